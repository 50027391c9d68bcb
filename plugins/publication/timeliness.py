"""Warnings for late publication, counted the way the law counts.

条例 第二十六条: proactive information is published within 20 working days of
being formed; 预算法 第十四条: budgets and final accounts within 20 days of
approval; 行政处罚法 第四十八条: a changed or revoked decision is withdrawn
within 3 working days.  These are warnings: the entry is still published.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from foundation.errors import XxgkError


def _workdays(calendar: Any, start: dt.date, end: dt.date) -> int | None:
    try:
        return calendar.workdays_between(start, end)
    except XxgkError:
        return None  # a year without an official holiday notice: no count, no guess


def check(meta: dict[str, Any], settings: dict[str, Any], calendar: Any,
          problem: Callable[..., None]) -> None:
    """Report timeliness warnings for one entry."""
    published = meta["date"].date()
    written = meta.get("written_date")
    if written and written > published:
        problem(meta, "written_date", f"成文日期 {written} 晚于发布日期 {published}（expected 不晚于发布日期）")
    elif written:
        n = _workdays(calendar, written, published)
        limit = settings["PROACTIVE_WORKDAYS"]
        if n is not None and n > limit:
            problem(meta, "date", f"成文后第 {n} 个工作日才发布，超过条例第二十六条规定的 {limit} 个工作日", "warning")
    approval = meta.get("approval_date")
    if approval:
        days = (published - approval).days
        if days > settings["BUDGET_DAYS"]:
            problem(meta, "date", f"批复后第 {days} 日才公开，超过预算法第十四条规定的 {settings['BUDGET_DAYS']} 日",
                    "warning")
    changed, withdrawn = meta.get("decision_changed_date"), meta.get("withdrawn_date")
    if changed and withdrawn:
        n = _workdays(calendar, changed, withdrawn)
        limit = settings["WITHDRAWAL_WORKDAYS"]
        if n is not None and n > limit:
            problem(meta, "withdrawn_date",
                    f"处罚决定变更后第 {n} 个工作日才撤下公示，超过行政处罚法第四十八条规定的 {limit} 个工作日",
                    "warning")
