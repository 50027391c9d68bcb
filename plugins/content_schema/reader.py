"""Pelican reader for xxgk entries: YAML front matter checked against the schema.

The body is rendered by Python-Markdown exactly once and sanitised with nh3;
内容概述 stays plain text (never run through Markdown, which would double
the cost of a build).  Problems are collected, not raised: Pelican swallows
reader exceptions, so the plugin reports every problem after all files are read.

Valid reads are cached across builds (BuildState.reads, foundation/cache.py): an unchanged file
is neither parsed, checked nor rendered again.  Only a read that reported no
problem at all is cached, so an invalid file (or one with a warning) is read,
and its problems reported, on every build; a cached read whose attachment file
has gone is read again (the validator reports the missing file).  What the
reader's output depends on besides the file — this code, the schema, the XXGK
settings, library versions — is the cache's fingerprint.  The publication
rules run after every read, cached or not (Pelican sends
article_generator_context and content_object_init for each file it reads).

When many files are not in the cache (a first build, a new xxgk version), they
are read ahead by one worker process per core (prefetch); Pelican's own reads
then take the results in its order, with the same problems.
"""
from __future__ import annotations

import dataclasses
import functools
import os
from pathlib import Path
from typing import Any

from pelican.readers import BaseReader
from pelican.urlwrappers import Category

from foundation import background, build_state
from foundation import cache as caches
from foundation.errors import Problem

from foundation import bounds, frontmatter
from foundation.schema import COLUMNS_BY_KEY, COLUMNS_BY_NAME, PAGES_KEY, REPORTS_KEY
from foundation.validate import check_entry
from foundation.display import as_datetime
from foundation.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, MARKDOWN_CONFIG, MARKDOWN_EXTENSIONS, render_markdown



def _code() -> list[Path]:
    """The code a read's result depends on: this plugin and the foundation (schema, validation, settings)."""
    return caches.code_files(Path(__file__).parent, caches.FOUNDATION)


def start_cache(settings: dict[str, Any]) -> caches.Cache:
    """Open the cache of valid reads for this build (empty and unsaved when caching is off)."""
    xxgk = {k: v for k, v in settings["XXGK_RESOLVED"].items() if k != "TODAY"}
    fp = caches.fingerprint(
        caches.code_digest(_code()),
        caches.versions("markdown", "nh3", "pyyaml", "pelican"),
        MARKDOWN_EXTENSIONS, MARKDOWN_CONFIG, sorted(ALLOWED_TAGS),
        {k: sorted(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        xxgk, str(Path(settings["PATH"]).resolve()))
    state = build_state.of(settings)
    state.prefetched = None
    state.reads = caches.Cache(caches.cache_root(settings), "reads", fp)
    return state.reads


def save_cache(settings: dict[str, Any]) -> None:
    state = build_state.of(settings)
    cache, state.reads, state.prefetched = state.reads, None, None
    if cache is not None:
        cache.save()


# Reading ahead in worker processes pays from about this many uncached files on
# (starting the workers costs a fraction of a second).
PARALLEL_FROM = 200
# The reader of a forked read-ahead worker, set by its initializer in the worker process
# only (the parent never sets it): passed as an argument, it would be pickled, settings
# and all, with every chunk of files.
_worker_reader: "EntryReader | None" = None


def _start_worker(reader: "EntryReader") -> None:
    global _worker_reader
    _worker_reader = reader


@dataclasses.dataclass(frozen=True)
class _Prefetched:
    stamp: bytes
    content: str
    meta: dict[str, Any]           # without the category (rebuilt in the parent)
    problems: tuple[Problem, ...]


def _read_ahead(item: tuple[str, str]) -> tuple[str, _Prefetched]:
    """In a worker: read one file as EntryReader.read would, collecting its problems."""
    rel, path = item
    source = Path(path)
    raw = source.read_bytes()
    key, _problem = classify(rel)
    assert _worker_reader is not None, "called outside a read-ahead worker"
    problems = build_state.of(_worker_reader.settings).problems
    before = len(problems)
    content, meta = _worker_reader._read(raw, f"content/{rel}", key, source)
    found = tuple(problems[before:])
    del problems[before:]
    return rel, _Prefetched(caches.stamp(raw), content, {k: v for k, v in meta.items() if k != "category"}, found)


def _hint(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def prefetch(reader: "EntryReader") -> dict[str, _Prefetched]:
    """Read every uncached entry of the content folder in worker processes, when there are enough.

    Only with more than one core and from a process with one thread (the preview
    server builds in a threaded process, where forking is unsafe): otherwise files
    are read one by one as Pelican asks for them.
    """
    state = build_state.of(reader.settings)
    if state.prefetched is not None:
        return state.prefetched
    state.prefetched = {}
    if not background.can_fork():
        return state.prefetched
    cache = state.reads
    # A file whose size and modification time are those it had when it was cached is
    # most likely unchanged (read() checks its content all the same).
    known = cache.hints() if cache is not None else {}
    base = reader.content_root
    todo: list[tuple[str, str]] = []
    for path in sorted(base.rglob("*.md")):
        rel = path.relative_to(base).as_posix()
        key, _problem = classify(rel)
        if key is None or key == REPORTS_KEY:
            continue
        if known.get(rel) == _hint(path):
            continue
        todo.append((rel, str(path)))
    if len(todo) < PARALLEL_FROM:
        return state.prefetched
    with background.workers(initializer=_start_worker, initargs=(reader,)) as pool:
        state.prefetched = dict(pool.map(_read_ahead, todo, chunksize=16))
    return state.prefetched


def classify(rel: str) -> tuple[str | None, str | None]:
    """Return (schema key, problem) for a source path relative to the content folder."""
    parts = rel.split("/")
    if len(parts) >= 2 and (parts[0] in COLUMNS_BY_KEY or parts[0] in (PAGES_KEY, REPORTS_KEY)):
        return parts[0], None
    folders = "、".join(f"content/{c.key}" for c in COLUMNS_BY_KEY.values())
    return None, f"文件不在任何栏目文件夹中（expected {folders} 或 content/{PAGES_KEY} 下）"


def declared_column(value: Any) -> str | None:
    """The column key an entry's `column` field names, if it names one."""
    if isinstance(value, str):
        value = value.strip()
        if value in COLUMNS_BY_KEY:
            return value
        if value in COLUMNS_BY_NAME:
            return COLUMNS_BY_NAME[value].key
    return None


class EntryReader(BaseReader):
    """Read `content/<column>/**.md` and `content/pages/*.md`."""

    enabled = True
    file_extensions = ["md"]

    @functools.cached_property
    def content_root(self) -> Path:
        """The content folder, resolved once: it does not move during a build."""
        return Path(self.settings["PATH"]).resolve()

    @property
    def problems(self) -> list[Problem]:
        """This build's problems (foundation.build_state), which the plugin reports once all is read."""
        return build_state.of(self.settings).problems

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        located = self._locate(source_path)
        if located is None:
            return "", {"status": "skip"}
        source, rel, key = located
        label = f"content/{rel}"
        raw = source.read_bytes()
        state = build_state.of(self.settings)
        cache = state.reads if state.reads is not None and state.reads.enabled else None
        stamp = caches.stamp(raw)
        hit = self._cached(cache, rel, stamp)
        if hit is not None:
            return hit
        before = len(self.problems)
        ahead = prefetch(self).pop(rel, None)
        if ahead is not None and ahead.stamp == stamp:
            self.problems.extend(ahead.problems)
            content, meta = ahead.content, self._with_category(ahead.meta)
        else:
            content, meta = self._read(raw, label, key, source)
        if "claimed" in meta:
            state.left_out[label] = meta.pop("claimed")
        if cache is not None and len(self.problems) == before and meta.get("status") != "skip":
            plain = {k: v for k, v in meta.items() if k != "category"}  # rebuilt with this build's settings
            attachments = [a["source"] for a in meta.get("attachments", [])]
            cache.put(rel, stamp, (attachments, content, plain), hint=_hint(source))
        return content, meta

    def _locate(self, source_path: str) -> tuple[Path, str, str] | None:
        """(file, path in content/, schema key) of a source this reader reads, else None (with the
        problem when the file is misplaced: outside the content folder, or in no column)."""
        written = Path(os.path.abspath(source_path))
        source = written.resolve()
        if not source.is_relative_to(self.content_root):
            # A symbolic link that leads out of the content folder (to it, or to a folder above it).
            rel = written.relative_to(Path(os.path.abspath(self.settings["PATH"]))).as_posix()
            self.problems.append(Problem(f"content/{rel}", 0, "文件", f"指向网站文件夹之外（{source}），不能发布"
                                         "（expected 把文件本身放进 content/ 下，不要用链接）"))
            return None
        rel = source.relative_to(self.content_root).as_posix()
        key, problem = classify(rel)
        if key is None:
            self.problems.append(Problem(f"content/{rel}", 1, "栏目", problem))
            return None
        if key == REPORTS_KEY:  # annual reports are read, checked and written by plugins.annual_report
            return None
        return source, rel, key

    def _cached(self, cache: caches.Cache | None, rel: str, stamp: bytes) -> tuple[str, dict[str, Any]] | None:
        """The cached read of an unchanged file whose attachments are all still there."""
        hit = cache.get(rel, stamp) if cache is not None else None
        if hit is None:
            return None
        attachments, content, meta = hit
        if all(os.path.isfile(p) for p in attachments):
            return content, self._with_category(meta)
        cache.discard(rel)  # an attachment has gone: read again, and the validator names it
        return None

    def _with_category(self, meta: dict[str, Any]) -> dict[str, Any]:
        if "column" in meta:
            meta["category"] = Category(COLUMNS_BY_KEY[meta["column"]].name, self.settings)
        return meta

    def _read(self, raw: bytes, label: str, key: str, source: Path) -> tuple[str, dict[str, Any]]:
        limits = self.settings["XXGK_RESOLVED"]
        big = bounds.too_big(len(raw), limits["MAX_SOURCE_MB"])
        if big:
            self.problems.append(Problem(label, 1, "文件", big))
            return "", {"status": "skip"}
        parsed = frontmatter.split(raw, label)
        problems = list(parsed.problems)
        key = self._declared_column(parsed, key, label, problems)
        if any(p.severity == "error" for p in parsed.problems):  # unreadable: nothing more to check
            self.problems.extend(problems)
            return "", {"status": "skip"}
        checked = check_entry(parsed.values, parsed.lines, key, label, source.parent, limits, self.content_root)
        problems += checked.problems
        # An entry not built for its errors still holds its 索引号: other entries may refer to
        # it, and a second file with the same number is a duplicate now, not after the fix.
        skip: dict[str, Any] = {"status": "skip"}
        if "index_no" in checked.values:
            skip["claimed"] = (checked.values["index_no"], parsed.lines.get("index_no", 1))
        empty = bounds.unfinished(parsed.body) if key != REPORTS_KEY else ""
        if empty:  # "missing": a draft may lack its body for now (a reminder, below)
            problems.append(Problem(label, parsed.body_line, "正文", empty, code="missing"))
        if not self._report(parsed, problems):
            return "", skip
        deep = bounds.nesting(parsed.body, limits["MAX_MARKDOWN_NESTING"])
        if deep:
            problems.append(Problem(label, parsed.body_line + deep[0] - 1, "正文", deep[1]))
            self.problems.append(problems[-1])
        if any(p.severity == "error" for p in problems):
            return "", skip
        try:
            html = render_markdown(parsed.body)
        except RecursionError:  # a structure deeper than the nesting bound measures: still named
            self.problems.append(Problem(label, parsed.body_line, "正文", "正文的嵌套结构太深，无法转换（expected 减少列表、"
                                         "引用或括号的嵌套层次）"))
            return "", skip
        return html, self._metadata(key, checked.values, label, parsed.lines)

    @staticmethod
    def _declared_column(parsed: frontmatter.FrontMatter, key: str, label: str, problems: list[Problem]) -> str:
        """The column to check the entry against: the one its `column` names when that is not its
        folder, so the one real mistake (the folder) is reported, not every field of it."""
        declared = declared_column(parsed.values.get("column"))
        if key == PAGES_KEY or not declared or declared == key:
            return key
        problems.append(Problem(
            label, parsed.lines.get("column", 1), "column",
            f"文件放错了栏目文件夹：它属于 {declared}，却在 content/{key}/ 下"
            f"（expected 移到 content/{declared}/，或改正 column）"))
        return declared

    def _report(self, parsed: frontmatter.FrontMatter, problems: list[Problem]) -> bool:
        """Report the entry's problems; False when a draft lacks only what it may still lack."""
        if parsed.values.get("status") == "draft" and all(p.code == "missing" for p in problems):
            # A draft is not published, so what it still lacks is a reminder, not a
            # failure: the rest of the site keeps building while the editor works.
            self.problems.extend(dataclasses.replace(p, severity="warning") for p in problems)
            return not problems
        self.problems.extend(problems)
        return True

    def _metadata(self, key: str, values: dict[str, Any], label: str,
                  lines: dict[str, int]) -> dict[str, Any]:
        meta: dict[str, Any] = dict(values)
        meta["source_label"] = label
        meta["field_lines"] = dict(lines)
        meta["date"] = as_datetime(values["date"])
        if key == PAGES_KEY:
            meta["template"] = "page"
            return meta
        meta["column"] = key
        meta["category"] = Category(COLUMNS_BY_KEY[key].name, self.settings)
        meta["slug"] = values["index_no"].split("/", 1)[1]
        # plugins.publication decides scheduled, withdrawn and expired entries.
        meta["status"] = values.get("status", "published")
        meta["template"] = "entry"
        meta.setdefault("issuer", values["publisher"])
        return meta
