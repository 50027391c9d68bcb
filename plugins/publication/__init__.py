"""Publication rules: what the public may see, and when.

Decides, at every build and against the build's today, whether an entry is
published, scheduled, withdrawn, stopped or past its publicity period; masks
natural persons' names; links policies with their replacements and
interpretations; turns budget attachments into tables and charts; and warns
editors about late publication.  Unpublished entries leave listings, search
and feeds simply by not being published articles; their sources stay in git.
"""
from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any, Callable

from pelican import signals

from foundation import build_state
from foundation import cache as caches
from foundation.errors import Problem
from foundation.requests.workdays import load_calendar

from . import budgets, penalties, policies, timeliness

log = logging.getLogger(__name__)
Report = Callable[..., None]   # report(meta, field, message, severity="error")


def _problem(problems: list[Problem], meta: dict[str, Any], field: str, message: str,
             severity: str = "error") -> None:
    line = meta.get("field_lines", {}).get(field, 1)
    problems.append(Problem(meta["source_label"], line, field, message, severity))


def _reporter(settings: dict[str, Any]) -> Report:
    """Report problems of this build's entries (plugins.content_schema shows them with the rest)."""
    return functools.partial(_problem, build_state.of(settings).problems)


def decide(generator: Any, metadata: dict[str, Any]) -> None:
    """Set the entry's status for this build (runs before Pelican makes the Article)."""
    if metadata.get("status") == "skip" or "column" not in metadata:
        return
    settings = generator.settings["XXGK_RESOLVED"]
    today = settings["TODAY"]
    day = metadata["date"].date()
    if metadata["column"] == "xzcf":
        _penalty(metadata, settings)
    if metadata["column"] == "zcwj":
        policies.in_force_until(metadata, today)
    timeliness.check(metadata, settings, _calendar(generator.settings), _reporter(generator.settings))
    if metadata.get("status") == "draft":
        metadata["unpublished"] = "草稿"
    elif day > today:
        metadata["status"] = "draft"
        metadata["unpublished"] = f"定时发布：{day.isoformat()} 起公开"
    elif metadata["column"] == "xzcf":
        state, reason = penalties.public_status(metadata, today)
        if state == "withdrawn":
            # 行政处罚法 第四十八条: the page stays, replaced by the withdrawal notice.
            metadata["status"] = "hidden"
            metadata["template"] = "withdrawn"
            metadata["unpublished"] = reason
        elif state != "published":
            metadata["status"] = "draft"
            metadata["unpublished"] = reason


def _penalty(meta: dict[str, Any], settings: dict[str, Any]) -> None:
    meta["publicity_end"] = penalties.publicity_end(meta, settings["PENALTY_PUBLICITY"])
    # Fields that hold a natural person's name: masked here; plugins.pii_guard.names then
    # looks for the full names everywhere else in the entry and its attachments.
    unmasked, unknown = penalties.mask_names(meta, settings["NAME_MASK"])
    if unmasked:
        meta["unmasked_names"] = unmasked
    if unknown:
        meta["names_unknown"] = unknown


def _calendar(settings: dict[str, Any]) -> Any:
    """The working-day calendar, loaded once per build (None when it cannot be loaded)."""
    state = build_state.of(settings)
    if state.calendar is None:
        root = Path(settings["PATH"]).resolve().parent
        state.calendar = load_calendar(root / settings["XXGK_RESOLVED"]["HOLIDAYS_PATH"], root)
    return state.calendar


def relate(generator: Any) -> None:
    """After every entry is read: policy relations, budget tables and charts."""
    policies.relate(generator.articles, generator.hidden_articles)
    cache = table_cache(generator.settings)
    charts = budgets_context(generator.articles, cache, generator.settings["XXGK_RESOLVED"]["MAX_TABLE_CELLS"],
                             _reporter(generator.settings))
    cache.save()
    generator.context["SANGONG_CHARTS"] = charts
    generator.context["SCHEDULED_CHANGES"] = sorted(
        (a.metadata["source_label"], policies.pending_text(a.metadata)) for a in generator.articles
        if a.metadata.get("validity_pending"))
    generator.context["UNPUBLISHED"] = sorted(
        (a for a in generator.drafts + generator.hidden_articles if a.metadata.get("unpublished")),
        key=lambda a: a.metadata["source_label"])


def table_cache(settings: dict[str, Any]) -> caches.Cache:
    """Tables read from budget attachments, by file content: an unchanged XLSX is not opened again."""
    code = caches.code_digest([Path(budgets.__file__), Path(budgets.sheets.__file__)])
    return caches.Cache(caches.cache_root(settings), "tables", caches.fingerprint(code, caches.versions("openpyxl")))


def read_tables(path: Path, cache: caches.Cache | None = None, max_cells: int = 1_000_000) -> budgets.Read:
    """budgets.read_tables, through the cache (only workbooks read without error are kept; what
    is wrong in them is kept with the tables and reported on every build)."""
    if cache is None or not cache.enabled:
        return budgets.read_tables(path, max_cells)
    key = f"{caches.stamp(path.read_bytes()).hex()}:{path.name}:{max_cells}"
    read = cache.get(key, b"")
    if read is None:
        read = budgets.read_tables(path, max_cells)
        cache.put(key, b"", read)
    return read


def budgets_context(articles: list[Any], cache: caches.Cache | None,
                    max_cells: int, report: Report) -> dict[str, Any]:
    """Tables for each budget entry and one "三公" chart per department with two or more points."""
    points: dict[str, list[tuple[tuple[int, str], str, Any]]] = {}
    for entry in articles:
        if entry.metadata.get("column") != "czyjs":
            continue
        tables: list[budgets.Table] = []
        for a in entry.attachment_list:
            if a.extension in ("xlsx", "csv"):
                try:
                    read = read_tables(Path(a.source), cache, max_cells)
                    tables += read.tables
                    for finding in read.findings:
                        report(entry.metadata, "attachments", finding.text(a.title), finding.severity)
                    _figures, found = budgets.sangong_figures(read.tables)
                    for finding in found:
                        report(entry.metadata, "attachments", finding.text(a.title), finding.severity)
                except budgets.TooManyCells as exc:
                    report(entry.metadata, "attachments",
                             f"附件「{a.title}」{exc}，不能读取为表格（expected 只保留公开的表格，删除空行空列后另存；"
                             "设置 MAX_TABLE_CELLS）")
                except Exception as exc:  # noqa: BLE001 - any unreadable file is the editor's to fix
                    report(entry.metadata, "attachments",
                             f"附件「{a.title}」无法读取为表格（{type(exc).__name__}）（expected 用 Excel 另存为 .xlsx，"
                             "或 UTF-8 编码的 .csv）")
        entry.budget_tables = tables
        figures, _found = budgets.sangong_figures(tables)   # reported above, by attachment
        if figures:
            year, kind = entry.metadata["fiscal_year"], entry.metadata["budget_kind"]
            points.setdefault(entry.metadata["department"], []).append(((year, kind), f"{year}年{kind}", figures))
    charts = {}
    for department, items in points.items():
        items.sort(key=lambda p: p[0])
        if len(items) >= 2:
            charts[department] = budgets.sangong_chart(department, [(label, figs) for _k, label, figs in items])
    for entry in articles:
        if entry.metadata.get("column") == "czyjs":
            entry.sangong_chart = charts.get(entry.metadata["department"])
    return charts


def register() -> None:
    signals.article_generator_context.connect(decide)
    signals.article_generator_finalized.connect(relate)
