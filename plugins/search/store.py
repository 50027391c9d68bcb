"""Index generations on disk: incremental update in a temporary folder, atomic swap, publish.

Layout of the cache (persistent across builds, SEARCH_CACHE_PATH)::

    CURRENT          name of the live generation, replaced atomically (os.replace)
    gen-000007/      a complete Whoosh index + spec.json + manifest.json
    tmp-…/           a generation being written; never read, removed when stale

A build hard-links the live generation into a tmp folder, applies only the
changed documents there, renames it to the next gen-N and points CURRENT at
it.  Whoosh never rewrites a segment file in place (new segments, new TOC
files), so the links are safe and the previous generation stays intact for
readers that still have it open.  The same trick publishes the generation into
output/_search/ (Pelican wipes output/ on every build; the cache survives).
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from foundation.errors import XxgkError

from . import engine

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
INDEX_DIR = "index"
SITE_FILE = "site.json"
STATS_FILE = "stats.json"
OUTPUT_DIR = "_search"
# The static search index (engine.static): in each generation of the cache, and published at
# output/_search/static/, where the browser reads it (theme/static/js/search-engine.js).
STATIC_DIR = "static"
STATIC_IDS = "static-ids.json"
_LOCK_NAMES = ("MAIN_WRITELOCK",)


class SearchIndexError(XxgkError):
    """The search index could not be written."""


@dataclass(frozen=True)
class Source:
    """A document as the build sees it: its key, a digest of everything indexed, and how to build it."""

    key: str
    digest: str
    build: Callable[[], engine.IndexDoc]


class _Built(Sequence[engine.IndexDoc]):
    """The documents of `sources`, each built when it is asked for: one at a time, as the index
    takes them (engine.update), rather than all held at once."""

    def __init__(self, sources: list[Source]):
        self._sources = sources

    def __len__(self) -> int:
        return len(self._sources)

    def __getitem__(self, i: int) -> engine.IndexDoc:  # type: ignore[override]
        return self._sources[i].build()


@dataclass
class Stats:
    """What one index update did (also written to the manifest, for tests and the bench)."""

    total: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    analysed: int = 0
    full_rebuild: bool = False
    reason: str = ""
    seconds: float = 0.0
    generation: str = ""


def digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
                          .encode("utf-8")).hexdigest()


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One writer per cache at a time (two builds of the same site would otherwise race)."""
    with open(folder / "lock", "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _link_tree(src: Path, dst: Path, skip: tuple[str, ...] = ()) -> None:
    """Hard-link every file of `src` into a new folder `dst` (copy across file systems)."""
    dst.mkdir(parents=True)
    for item in src.iterdir():
        if item.name in _LOCK_NAMES or item.name in skip or item.is_dir():
            continue
        try:
            os.link(item, dst / item.name)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
            shutil.copy2(item, dst / item.name)


def read_pointer(folder: Path) -> str | None:
    try:
        name = (folder / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def _point(folder: Path, name: str) -> None:
    tmp = folder / f".{CURRENT}.{uuid.uuid4().hex}"
    tmp.write_text(name + "\n", encoding="utf-8")
    os.replace(tmp, folder / CURRENT)


def _prune(folder: Path, keep: set[str], prefixes: Sequence[str]) -> None:
    for item in folder.iterdir():
        if item.is_dir() and item.name.startswith(tuple(prefixes)) and item.name not in keep:
            shutil.rmtree(item, ignore_errors=True)


def _live(cache: Path, spec: engine.Spec) -> tuple[Path | None, dict[str, str], str]:
    """(live generation, its manifest's digests, why it cannot be used) — reason '' when usable."""
    name = read_pointer(cache)
    if name is None:
        if any(p.name.startswith("gen-") for p in cache.iterdir()):
            return None, {}, "搜索索引的指针文件 CURRENT 缺失"
        return None, {}, ""
    gen = cache / name
    try:
        manifest = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("version") != engine.ENGINE_VERSION:
            return None, {}, f"搜索索引版本 {manifest.get('version')} 与当前版本 {engine.ENGINE_VERSION} 不同"
        if engine.read_spec(gen) != spec:
            return None, {}, "内容模式中的检索字段已改变"
        docs = manifest["docs"]
        searcher = engine.Searcher(gen)  # opens every segment: a damaged file fails here
        try:
            count = searcher.count
        finally:
            searcher.close()
        if count != len(docs):
            return None, {}, f"搜索索引有 {count} 篇，清单记录 {len(docs)} 篇，二者不一致"
        return gen, docs, ""
    except Exception as exc:  # noqa: BLE001 - any failure to read means: rebuild
        return None, {}, f"搜索索引 {gen} 无法读取（{type(exc).__name__}: {exc}）"


def _full_rebuild(tmp: Path, spec: engine.Spec, wanted: dict[str, Source], reason: str,
                  stats: Stats) -> tuple[list[str], list[str]]:
    """Create an empty index in `tmp` for every document; return (keys to add, keys to delete)."""
    if reason:
        log.warning("%s：重新完整建立搜索索引", reason)
    else:
        log.info("还没有搜索索引，完整建立（%d 篇）", len(wanted))
    stats.full_rebuild, stats.reason = True, reason or "首次建立"
    engine.create(tmp, spec)
    stats.added = len(wanted)
    return list(wanted), []


def _changes(old: dict[str, str], wanted: dict[str, Source], stats: Stats) -> tuple[list[str], list[str]]:
    """(keys to add, keys to delete) to bring an index of the digests `old` up to `wanted`, counted in `stats`."""
    removed = [k for k in old if k not in wanted]
    changed = [k for k, s in wanted.items() if k in old and old[k] != s.digest]
    new = [k for k in wanted if k not in old]
    stats.removed, stats.updated, stats.added = len(removed), len(changed), len(new)
    stats.unchanged = len(wanted) - len(changed) - len(new)
    return changed + new, removed + changed


def _next_generation(cache: Path) -> Path:
    number = 1 + max((int(p.name[4:]) for p in cache.glob("gen-*") if p.name[4:].isdigit()), default=0)
    return cache / f"gen-{number:06d}"


def _write_generation(cache: Path, tmp: Path, wanted: dict[str, Source], add: list[str], delete: list[str],
                      stats: Stats, started: float) -> Path:
    """Apply the changes to the index in `tmp`, then make it the next generation (removed on failure)."""
    try:
        stats.analysed = engine.update(tmp, _Built([wanted[k] for k in add]), delete)
        count = engine.doc_count(tmp)
        if count != len(wanted):
            raise SearchIndexError(f"搜索索引写入后有 {count} 篇，应为 {len(wanted)} 篇")
        gen = _next_generation(cache)
        stats.generation = gen.name
        stats.seconds = round(time.perf_counter() - started, 3)
        manifest = {"version": engine.ENGINE_VERSION, "docs": {k: s.digest for k, s in wanted.items()},
                    "stats": asdict(stats)}
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        os.rename(tmp, gen)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return gen


def update_index(cache: Path, spec: engine.Spec, sources: Sequence[Source]) -> tuple[Path, Stats]:
    """Bring the index in `cache` up to date with `sources`; return the live generation and what changed."""
    started = time.perf_counter()
    cache.mkdir(parents=True, exist_ok=True)
    wanted = {s.key: s for s in sources}
    if len(wanted) != len(sources):
        raise SearchIndexError("两篇文档的网址相同，无法建立搜索索引")
    with _locked(cache):
        _prune(cache, set(), ("tmp-",))
        live, old, reason = _live(cache, spec)
        stats = Stats(total=len(wanted))
        tmp = cache / f"tmp-{uuid.uuid4().hex}"
        if live is None:
            add, delete = _full_rebuild(tmp, spec, wanted, reason, stats)
        else:
            add, delete = _changes(old, wanted, stats)
            if not (add or delete):
                stats.generation = live.name
                stats.seconds = round(time.perf_counter() - started, 3)
                return live, stats
            _link_tree(live, tmp, skip=(STATIC_IDS,))
            (tmp / MANIFEST).unlink(missing_ok=True)
        gen = _write_generation(cache, tmp, wanted, add, delete, stats, started)
        _point(cache, gen.name)
        # The previous generation stays for a reader that opened it a moment ago.
        _prune(cache, {gen.name, live.name if live else ""}, ("gen-",))
        return gen, stats


def export_static(cache: Path, gen: Path) -> engine.ExportStats | None:
    """Write generation `gen`'s static index into gen/static/ unless it has one; files the last
    export wrote with the same content are linked from it, and documents keep their static
    numbers (gen/static-ids.json).  None when it was already there."""
    if engine.static_current(gen / STATIC_DIR):
        return None
    with _locked(cache):
        earlier = sorted((p for p in cache.glob("gen-*") if p != gen and engine.static_current(p / STATIC_DIR)),
                         key=lambda p: p.name)
        previous = earlier[-1] if earlier else None
        ids: dict[str, int] = {}
        if previous is not None:
            try:
                ids = json.loads((previous / STATIC_IDS).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                previous, ids = None, {}
        tmp = cache / f"tmp-{uuid.uuid4().hex}"
        try:
            stats, ids = engine.export(gen, tmp,
                                       previous / STATIC_DIR if previous else None, ids)
            # A new file, never written into: the generation's files are hard links shared with
            # the generation before and with published builds (plugins.reuse).
            written = gen / f".{STATIC_IDS}.{uuid.uuid4().hex}"
            written.write_text(json.dumps(ids, ensure_ascii=False), encoding="utf-8")
            os.replace(written, gen / STATIC_IDS)
            shutil.rmtree(gen / STATIC_DIR, ignore_errors=True)
            os.rename(tmp, gen / STATIC_DIR)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return stats


def _link_all(src: Path, dst: Path) -> None:
    """Hard-link the tree `src` into a new folder `dst` (copy across file systems)."""
    for folder, _dirs, files in os.walk(src):
        target = dst / Path(folder).relative_to(src)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(Path(folder) / name, target / name)
            except OSError:
                shutil.copy2(Path(folder) / name, target / name)


def publish(gen: Path, output: Path, site: dict[str, Any], stats: Stats, static: bool = True) -> Path:
    """Link generation `gen` into output/_search/ with the site bundle the service renders with,
    and its static search index when `static` (engine.static)."""
    root = output / OUTPUT_DIR
    root.mkdir(parents=True, exist_ok=True)
    previous = read_pointer(root)
    # A new name every build, so a running service also picks up changed templates.
    name = f"{gen.name}-{time.time_ns()}"
    tmp = root / f"tmp-{uuid.uuid4().hex}"
    try:
        tmp.mkdir()
        # The manifest stays in the cache: the service does not need it, and its
        # hex digests hold digit runs that look like phone numbers to plugins.pii_guard.
        _link_tree(gen, tmp / INDEX_DIR, skip=(MANIFEST, STATIC_IDS))
        (tmp / SITE_FILE).write_text(json.dumps(site, ensure_ascii=False, default=str), encoding="utf-8")
        (tmp / STATS_FILE).write_text(json.dumps(asdict(stats), ensure_ascii=False), encoding="utf-8")
        os.rename(tmp, root / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _point(root, name)
    _prune(root, {name, previous or ""}, ("gen-", "tmp-"))
    if static and engine.static_current(gen / STATIC_DIR):
        _publish_static(gen / STATIC_DIR, root / STATIC_DIR)
    return root / name


def _publish_static(src: Path, dst: Path) -> None:
    """Replace the published static index with `src`'s files (two renames: a browser that
    fetches in between gets a 404 and says the search is unavailable, never a mix)."""
    tmp = dst.with_name(f"tmp-{uuid.uuid4().hex}")
    _link_all(src, tmp)
    old = dst.with_name(f"tmp-{uuid.uuid4().hex}")
    if dst.exists():
        os.rename(dst, old)
    os.rename(tmp, dst)
    shutil.rmtree(old, ignore_errors=True)


def published(output: Path) -> Path | None:
    """The live published generation under output/_search/, if any."""
    root = output / OUTPUT_DIR
    name = read_pointer(root)
    return root / name if name else None


def build_stats(output: Path) -> Stats:
    """What the last build's index update did, as published with it."""
    gen = published(output)
    if gen is None:
        raise SearchIndexError(f"{output} 里没有搜索索引")
    return Stats(**json.loads((gen / STATS_FILE).read_text(encoding="utf-8")))


__all__ = ["OUTPUT_DIR", "STATIC_DIR", "SearchIndexError", "export_static", "Source", "Stats", "build_stats", "digest", "publish",
           "published", "read_pointer", "update_index"]
