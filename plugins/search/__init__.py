"""Search plugin: keeps a Whoosh index of every published document up to date, incrementally.

The index lives in a cache folder that survives builds (SEARCH_CACHE_PATH,
default `.xxgk-cache/search` beside the content folder) because Pelican empties
output/ on every build; each build updates it with the changed documents only
and links the result into output/_search/, where the search service
(plugins.search.service) reads it.  docs/search.md explains the design.
"""
from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any, Iterator

from pelican import signals

from foundation import build_state
from foundation import cache as caches
from foundation.settings import build_setting
from foundation.signals import GuardedOutput, ServiceDescription, guarded_outputs, service_descriptions

from . import docs, engine, store

log = logging.getLogger(__name__)

def cache_path(settings: dict[str, Any]) -> Path:
    """Where the persistent index is kept: SEARCH_CACHE_PATH, else `search` in the cache folder."""
    configured = build_setting(settings, "SEARCH_CACHE_PATH")
    return Path(configured).resolve() if configured else caches.cache_folder(settings) / "search"


def _plain(value: Any) -> Any:
    """Template context as JSON-able data (links and tuples become dicts and lists)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def site_bundle(settings: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """What the search service needs to render pages exactly like the built site's."""
    folders = [Path(settings["THEME"]) / "templates"] + [Path(p) for p in settings.get("THEME_TEMPLATES_OVERRIDES", [])]
    templates: dict[str, str] = {}
    for folder in folders:  # later folders override, as in Pelican
        for path in sorted(folder.rglob("*.html")):
            templates[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8")
    jinja = settings.get("JINJA_ENVIRONMENT", {})
    return {
        "templates": templates,
        "jinja": {k: bool(jinja.get(k, True)) for k in ("trim_blocks", "lstrip_blocks")},
        "context": {
            "SITEURL": settings.get("SITEURL", ""),
            "SITENAME": settings.get("SITENAME", ""),
            "XXGK": _plain(context.get("XXGK") or settings.get("XXGK_RESOLVED", {})),
            "STRUCTURE": _plain(context.get("STRUCTURE", [])),
            "FEEDS": _plain(context.get("FEEDS", {})),
        },
    }


def start_index(generators: list[Any]) -> None:
    """Once every entry is read: update the index and publish it into output/, beside Pelican.

    The work runs in a child process (foundation.background) while Pelican writes the pages,
    so a cold build pays for the index on the second core (docs/performance.md).
    Everything the child needs is taken here, before it forks.
    """
    if not generators:
        return
    first = generators[0]
    settings, context = first.settings, first.context
    entries = list(context.get("articles", [])) + list(context.get("pages", []))
    cache, spec = cache_path(settings), docs.spec()
    output = Path(first.output_path)
    bundle = site_bundle(settings, context)
    static = bool(build_setting(settings, "XXGK_STATIC_SEARCH"))

    def work() -> store.Stats:
        # Even the documents' digests are computed here, off the build's critical path
        # (20,000 entries: about 2 s).
        gen, stats = store.update_index(cache, spec, [docs.source(e) for e in entries])
        if static:
            store.export_static(cache, gen)
        store.publish(gen, output, bundle, stats, static=static)
        return stats

    build_state.of(settings).start(JOB, work, _report)


JOB = "搜索索引"


def _report(stats: store.Stats) -> None:
    """What the index did, once this build's index is joined."""
    log.info("搜索索引：共 %d 篇，新增 %d、更新 %d、删除 %d、未变 %d，分词 %d 篇，用时 %.2f 秒",
             stats.total, stats.added, stats.updated, stats.removed, stats.unchanged,
             stats.analysed, stats.seconds)


def guarded(pelican: Any) -> GuardedOutput:
    """For plugins.pii_guard (foundation.signals.guarded_outputs): the index's folder and its texts."""
    settings = pelican.settings

    def texts(output: Path) -> Iterator[tuple[str, str]]:
        # Called after the guard has scanned the pages, while the index may still be written.
        build_state.of(settings).join(JOB)
        yield from index_texts(output)

    return GuardedOutput(store.OUTPUT_DIR, texts)


def index_texts(output: Path) -> Iterator[tuple[str, str]]:
    """What the search service makes public: the index's stored text and the files published with it."""
    gen = store.published(output)
    if gen is None or not (gen / store.INDEX_DIR).is_dir():
        return
    for path in sorted(gen.rglob("*.json")):
        yield f"{path.relative_to(output).as_posix()}", path.read_text(encoding="utf-8")
    yield from static_texts(output / store.OUTPUT_DIR / store.STATIC_DIR, output)
    searcher = engine.Searcher(gen / store.INDEX_DIR)
    try:
        for url, text in searcher.stored_texts():
            yield f"{store.OUTPUT_DIR}（搜索索引）: {url}", text
        for n, terms in enumerate(searcher.vocabulary(), 1):
            yield f"{store.OUTPUT_DIR}（搜索索引的词表，第 {n} 段）", terms
    finally:
        searcher.close()


def static_texts(folder: Path, output: Path) -> Iterator[tuple[str, str]]:
    """Everything the static search index publishes as text: its JSON files (what results show)
    and every key of its buckets (the vocabulary and identifiers a query is answered with)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*.json")):
        yield path.relative_to(output).as_posix(), path.read_text(encoding="utf-8")
    for path in sorted((folder / "b").glob("*.bin")):
        yield f"{path.relative_to(output).as_posix()}（静态搜索索引的词表）", "\n".join(engine.bucket_keys(path.read_bytes()))


def register() -> None:
    from .page import get_generators

    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(start_index)
    guarded_outputs.connect(guarded)
    service_descriptions.connect(described)


def described(settings: dict[str, Any]) -> ServiceDescription:
    """For plugins.opendata (foundation.signals.service_descriptions): /search.json in OpenAPI."""
    from .openapi import description

    return description(settings)
