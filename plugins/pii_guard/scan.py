"""Read every output file as text (HTML, XML, JSON, PDF, XLSX, search index) and find identifiers."""
from __future__ import annotations

import functools
import html
import logging
import os
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple, TypeVar

from xxgk import background
from xxgk.cache import stamp

from .detect import Hit, find

log = logging.getLogger(__name__)
T = TypeVar("T")

TEXT_SUFFIXES = {".html", ".htm", ".xml", ".json", ".txt", ".csv", ".js", ".css", ".svg", ".md"}


@dataclass(frozen=True)
class Finding:
    output: str       # where it was found (output file, or index field)
    source: str       # the source file it came from, when known
    hit: Hit

    def __str__(self) -> str:
        return f"{self.source or '（来源未知）'}: {self.hit.kind} {self.hit.masked} 出现在 {self.output}"


@functools.cache
def _pdfium() -> Any:
    """PDFium, set up (once a process) to extract text without system fonts.  By default it
    finds and parses a system font for every font a PDF does not embed (a CJK one for
    STSong-Light and the like), once per document: 7 ms a page, for glyph shapes text
    extraction never uses.  Characters come from the PDF's own encodings, CMaps and ToUnicode
    tables, so the text is the same with and without them (tested), in 1.8 ms for a 3-page
    budget instead of 23 (14 with pypdf)."""
    import pypdfium2

    class NoSystemFonts(pypdfium2.PdfSysfontBase):  # type: ignore[misc]
        def EnumFonts(self, _info: Any, _mapper: Any) -> None:  # noqa: N802 - PDFium's names
            return None

        def MapFont(self, _info: Any, *_request: Any) -> None:  # noqa: N802
            return None

        def GetFont(self, _info: Any, _face: Any) -> None:  # noqa: N802
            return None

    NoSystemFonts().setup()
    return pypdfium2


def pdf_text(path: Path) -> str:
    pdfium = _pdfium()
    document = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        # PDFium ends lines with CRLF.
        return "\n".join(texts).replace("\r\n", "\n")
    finally:
        document.close()


def xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return "\n".join(" ".join("" if c is None else str(c) for c in row)
                         for ws in wb.worksheets for row in ws.iter_rows(values_only=True))
    finally:
        wb.close()


EXTRACTORS: dict[str, Callable[[Path], str]] = {".pdf": pdf_text, ".xlsx": xlsx_text}


def extract(path: Path) -> tuple[str | None, str]:
    """(the readable text of a file or None when no library reads its type, why it could not be
    read: empty when it could)."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text = path.read_text(encoding="utf-8", errors="replace")
        # Entities would hide digits from the patterns (&#49;&#51;8…).
        return (html.unescape(text) if suffix in (".html", ".htm", ".xml", ".svg") else text), ""
    extractor = EXTRACTORS.get(suffix)
    if extractor is None:
        return None, ""
    try:
        return extractor(path), ""
    except Exception as exc:  # noqa: BLE001 - an unreadable attachment is reported, not fatal
        return None, str(exc) or type(exc).__name__


def _uncached_hits(path: Path, allowed: frozenset[str]) -> tuple[list[Hit], bool, str]:
    """(identifiers in the file, whether its text could be read, why not)."""
    text, problem = extract(path)
    return (find(text, allowed) if text else []), text is not None, problem


def _readable(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in TEXT_SUFFIXES or suffix in EXTRACTORS


def _cache_key(path: Path) -> str:
    # By content: any page or file with these bytes has the same findings.
    return stamp(path.read_bytes()).hex() + path.suffix.lower()


# Below this many files to read, starting worker processes costs more than it saves.
PARALLEL_FROM = 200


def _lower_priority() -> None:
    # The search index is written beside the scan in a process of its own and is the
    # longest piece of a cold build; the scan's workers give it the first claim on a core.
    os.nice(5)


# Why a file could not be read when reading it killed the process (PDFium is native code).
CRASHED = "读取它的进程异常退出，文件可能已损坏"


def unreadable(path: Path | str, why: str) -> str:
    """The warning for a file the guard could not read."""
    return f"隐私检查无法读取 {path}（{why}），请人工检查该文件"


def _read_in_workers(read: Callable[[Path], T], paths: list[Path], crashed: T) -> list[T]:
    """`read` of each path (in order), in worker processes; `crashed` for a file whose
    reading killed its process."""
    results: list[T] = []
    with background.workers(initializer=_lower_priority) as pool:
        try:
            results.extend(pool.map(read, paths, chunksize=8))
        except BrokenProcessPool:
            pass
    # PDFium is native code: a file that crashes it kills the worker reading it, and the pool
    # with it.  The files not read yet are then read one process each, so that the one that
    # crashes is named (and warned about, like any unreadable file) and the others are read.
    for path in paths[len(results):]:
        with background.workers(1, _lower_priority) as alone:
            try:
                results.append(alone.submit(read, path).result())
            except BrokenProcessPool:
                results.append(crashed)
    return results


def _read_all(read: Callable[[Path], T], paths: list[Path], crashed: T) -> list[T]:
    # PDFs are read in workers even when there are few: a file that crashes PDFium then
    # costs only a worker (named in a warning), not the build or the check.
    in_workers = len(paths) >= PARALLEL_FROM or any(p.suffix.lower() == ".pdf" for p in paths)
    if in_workers and background.can_fork():
        return _read_in_workers(read, paths, crashed)
    return [read(path) for path in paths]


def files_hits(paths: list[Path], allowed: frozenset[str], cache: Any = None) -> list[list[Hit]]:
    """The identifiers in each of `paths` (in order).  With a cache (xxgk/cache.py), a file with
    the same bytes is not read again; a file whose text could not be extracted is not cached,
    so its warning is logged on every build.  Files to read are read in worker processes when
    there are many (docs/performance.md) or any PDF among them."""
    cached = cache is not None and cache.enabled
    out: list[list[Hit]] = [[] for _ in paths]
    keys: dict[int, str] = {}
    todo: list[int] = []
    for i, path in enumerate(paths):
        if not _readable(path):
            continue
        if cached:
            keys[i] = _cache_key(path)
            found = cache.get(keys[i], b"")
            if found is not None:
                out[i] = found
                continue
        todo.append(i)
    results = _read_all(functools.partial(_uncached_hits, allowed=allowed), [paths[i] for i in todo],
                        ([], False, CRASHED))
    for i, (found, readable, problem) in zip(todo, results):
        if problem:  # logged here, in the build's process, also when a worker read the file
            log.warning("%s", unreadable(paths[i], problem))
        out[i] = found
        if cached and readable:
            cache.put(keys[i], b"", found)
    return out


def output_files(root: Path, skip: Iterable[str] = ()) -> list[Path]:
    """Every file under `root`, sorted, leaving out the top-level folders named in `skip`
    (their content is scanned through a provider; they may still be being written)."""
    skipped = set(skip)
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == root:
            dirnames[:] = [d for d in dirnames if d not in skipped]
        found += [Path(dirpath) / name for name in filenames]
    return sorted(p for p in found if p.is_file())


def scan_files(root: Path, allowed: frozenset[str], cache: Any = None,
               skip: Iterable[str] = ()) -> Iterator[tuple[str, Hit]]:
    paths = output_files(root, skip)
    for path, hits in zip(paths, files_hits(paths, allowed, cache)):
        for hit in hits:
            yield path.relative_to(root).as_posix(), hit


def scan_texts(texts: Iterable[tuple[str, str]], allowed: frozenset[str],
               cache: Any = None) -> Iterator[tuple[str, Hit]]:
    for where, text in texts:
        if cache is not None and cache.enabled:
            key = stamp(text.encode("utf-8")).hex() + ":text"
            found = cache.get(key, b"")
            if found is None:
                found = find(text, allowed)
                cache.put(key, b"", found)
        else:
            found = find(text, allowed)
        for hit in found:
            yield where, hit


class SourceText(NamedTuple):
    path: Path
    label: str          # relative to the label root, as problems name files
    text: str | None    # None when it could not be read
    problem: str        # why not


def source_texts(content: Path, label_root: Path) -> list[SourceText]:
    """Every source file under `content` of a type the guard reads, sorted by path, with its text."""
    paths = sorted(p for p in content.rglob("*") if p.is_file() and _readable(p))
    return [SourceText(path, path.relative_to(label_root).as_posix(), text, problem)
            for path, (text, problem) in zip(paths, _read_all(extract, paths, (None, CRASHED)))]


class SourceIndex:
    """Find which source file a leaked identifier came from."""

    def __init__(self, content: Path, label_root: Path):
        # A source that cannot be read is left out silently: the scan of the output has
        # already warned about its published copy.
        self._texts = [(s.label, s.text) for s in source_texts(content, label_root) if s.text]

    def source_of(self, hit: Hit) -> str:
        for label, text in self._texts:
            if any(h.value == hit.value for h in find(text)):
                return label
        return ""
