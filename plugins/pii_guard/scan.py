"""Scan files for identifiers: each file read into its parts (readers/), each hit located in it.

Files are read in worker processes when there are many, or when any is of a type read
by native code (PDFium, image decoders): a file that crashes its reader then costs
only that worker, and is named (docs/performance.md, SECURITY.md).  Results are kept
by file content (foundation/cache.py): a page or attachment with the same bytes is not read
again.  A file that could not be read, or whose images could not be read for want of
OCR, is not kept, so that it is reported on every build.
"""
from __future__ import annotations

import functools
import logging
import os
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from foundation import background
from foundation.cache import stamp

from foundation.privacy import readers
from foundation.privacy.detect import Hit, find_decoded, find_lossy
from foundation.privacy.normalise import decode
from foundation.privacy.readers import Context, Limits, Refused, Unreadable

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Located:
    """A hit and where in its file it is: a line of a text file, or a place (page, cell …)."""

    hit: Hit
    line: int = 0
    where: str = ""

    def place(self, label: str) -> str:
        """`label` (the file) with this hit's line or place, as problems name them."""
        if self.line:
            return f"{label}:{self.line}"
        return f"{label} {self.where}".strip()


@dataclass(frozen=True)
class FileScan:
    found: tuple[Located, ...] = ()
    unscanned: tuple[str, ...] = ()   # parts that are images no OCR could read
    problem: str = ""                 # why the file could not be read ("" when it was)
    refused: bool = False             # its type is not read at all

    @property
    def complete(self) -> bool:
        return not self.problem and not self.unscanned


def hits_in(reading: readers.Reading, allowed: frozenset[str]) -> list[Located]:
    """Every identifier in the parts of a reading, located, each once."""
    out: list[Located] = []
    seen: set[tuple[str, str, int, str]] = set()
    for part in reading.parts:
        text = decode(part.text)
        hits = find_decoded(text, allowed) + (find_lossy(text) if part.lossy else [])
        for hit in hits:
            line, where = part.locate(text.count("\n", 0, hit.start) + 1)
            key = (hit.kind, hit.value, line, where)
            if key not in seen:
                seen.add(key)
                out.append(Located(hit, line, where))
    return out


def scan_path(path: Path, allowed: frozenset[str], ocr_cache: Path | None = None,
              limits: Limits = Limits()) -> FileScan:
    """Read one file and find its identifiers (never raises for what is in the file)."""
    try:
        reading = readers.read_path(path, Context(limits, ocr_cache))
    except Refused as exc:
        return FileScan(problem=str(exc), refused=True)
    except Unreadable as exc:
        return FileScan(problem=str(exc))
    except (MemoryError, RecursionError) as exc:
        return FileScan(problem=f"文件过于复杂，无法读取（{type(exc).__name__}）（请拆分或重新导出该文件）")
    except Exception as exc:  # noqa: BLE001 - a library's failure on a damaged file is reported, not fatal
        return FileScan(problem=f"文件无法读取（{type(exc).__name__}: {exc}）（请重新导出该文件后再附上）")
    return FileScan(tuple(hits_in(reading, allowed)), tuple(reading.unscanned))


# Below this many files to read, starting worker processes costs more than it saves.
PARALLEL_FROM = 200
# Types read by native code (PDFium, image decoders) or that may take long (OCR): read in workers.
_ISOLATED = (".pdf", ".ofd", ".zip", ".docx", ".xlsx", ".pptx", ".xls", ".jpg", ".jpeg", ".png", ".gif", ".bmp",
             ".tif", ".tiff", ".webp")
# Why a file could not be read when reading it killed the process.
CRASHED = "读取它的进程异常退出，文件可能已损坏（请重新导出该文件后再附上）"


def _lower_priority() -> None:
    # The search index is written beside the scan in a process of its own and is the
    # longest piece of a cold build; the scan's workers give it the first claim on a core.
    os.nice(5)


def _read_in_workers(read: Callable[[Path], T], paths: list[Path], crashed: T) -> list[T]:
    """`read` of each path (in order), in worker processes; `crashed` for a file whose
    reading killed its process."""
    results: list[T] = []
    with background.workers(initializer=_lower_priority) as pool:
        try:
            results.extend(pool.map(read, paths, chunksize=8))
        except BrokenProcessPool:
            pass
    # A file that crashes native code kills the worker reading it, and the pool with it.  The
    # files not read yet are then read one process each, so that the one that crashes is
    # named (like any unreadable file) and the others are read.
    for path in paths[len(results):]:
        with background.workers(1, _lower_priority) as alone:
            try:
                results.append(alone.submit(read, path).result())
            except BrokenProcessPool:
                results.append(crashed)
    return results


def read_all(read: Callable[[Path], T], paths: list[Path], crashed: T) -> list[T]:
    in_workers = len(paths) >= PARALLEL_FROM or any(p.suffix.lower() in _ISOLATED for p in paths)
    if in_workers and background.can_fork():
        return _read_in_workers(read, paths, crashed)
    return [read(path) for path in paths]


@dataclass(frozen=True)
class Scanner:
    """How files are scanned in one build: allowed numbers, the caches, the bounds."""

    allowed: frozenset[str] = frozenset()
    cache: Any = None                 # foundation.cache.Cache of FileScan by content, or None
    ocr_cache: Path | None = None
    limits: Limits = Limits()

    def _from_cache(self, paths: list[Path], cached: bool) -> tuple[list[FileScan | None], dict[int, str], list[int]]:
        """(the scans of `paths` the cache has, None for the others; the cache key of each path,
        by index, when `cached`; the indexes of the paths still to read)."""
        out: list[FileScan | None] = [None] * len(paths)
        keys: dict[int, str] = {}
        todo: list[int] = []
        for i, path in enumerate(paths):
            if cached:
                keys[i] = stamp(path.read_bytes()).hex() + path.suffix.lower()
                found = self.cache.get(keys[i], b"")
                if found is not None:
                    out[i] = found
                    continue
            todo.append(i)
        return out, keys, todo

    def scan(self, paths: list[Path]) -> list[FileScan]:
        """The scan of each of `paths` (in order), through the cache."""
        cached = self.cache is not None and self.cache.enabled
        out, keys, todo = self._from_cache(paths, cached)
        # Files with the same bytes (one attachment published by several entries) are read once.
        first: dict[str, int] = {}
        unique = [i for i in todo if not cached or first.setdefault(keys[i], i) == i]
        read = functools.partial(scan_path, allowed=self.allowed, ocr_cache=self.ocr_cache, limits=self.limits)
        for i, result in zip(unique, read_all(read, [paths[i] for i in unique], FileScan(problem=CRASHED))):
            out[i] = result
            if cached and result.complete:
                self.cache.put(keys[i], b"", result)
        for i in todo:
            if out[i] is None:
                out[i] = out[first[keys[i]]]
        return [r if r is not None else FileScan() for r in out]

    def texts(self, texts: Iterable[tuple[str, str]]) -> Iterator[tuple[str, Located]]:
        """(where, hit) in texts that are not files (the search index's stored fields)."""
        reading = readers.Reading()
        for where, text in texts:
            reading.parts = [readers.Part("", text)]
            if self.cache is not None and self.cache.enabled:
                key = stamp(text.encode("utf-8")).hex() + ":text"
                found = self.cache.get(key, b"")
                if found is None:
                    found = hits_in(reading, self.allowed)
                    self.cache.put(key, b"", found)
            else:
                found = hits_in(reading, self.allowed)
            for located in found:
                yield where, located


def tree_files(root: Path, skip: Iterable[str] = ()) -> list[Path]:
    """Every file under `root`, sorted, leaving out the top-level folders named in `skip`."""
    skipped = set(skip)
    inside = root.resolve()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):  # links to folders are not followed
        if Path(dirpath) == root:
            dirnames[:] = [d for d in dirnames if d not in skipped]
        found += [Path(dirpath) / name for name in filenames]
    # A link to a file outside is not read (plugins.content_schema reports it as an error).
    return sorted(p for p in found if p.is_file() and (not p.is_symlink() or p.resolve().is_relative_to(inside)))


def unreadable(label: str, why: str) -> str:
    """The message for a file the guard could not read."""
    return f"{label}：隐私检查无法读取该文件：{why}"
