"""Policy validity (有效 / 失效 / 废止), replacements and interpretations (政策解读).

A repealed or expired policy stays online with a prominent notice that links
its replacement (GOV.UK's withdrawn notice is the model, domain.md §2); the
replacement links back, and a policy lists the 解读 that explain it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from foundation.schema import NOT_IN_FORCE


@dataclass
class ValidityNotice:
    state: str            # 失效 or 废止
    date: str
    replacement: Any      # the replacing entry, or None
    pending: bool = False  # the date is still to come: the policy is in force until then


def in_force_until(meta: dict[str, Any], today: dt.date) -> None:
    """A policy repealed or expiring on a day still to come is 有效 until that day, with a notice
    that says when: like scheduled publishing, it changes by itself at the first build on or
    after the day (the daily `make publish`).  `validity_pending` keeps what it will become."""
    day = meta.get("validity_date")
    if meta.get("validity") in NOT_IN_FORCE and day is not None and day > today:
        meta["validity_pending"] = (meta["validity"], day)
        meta["validity"] = "有效"


def pending_text(meta: dict[str, Any]) -> str:
    state, day = meta["validity_pending"]
    return f"现行有效，将于 {day.isoformat()} {state}（当天起重新生成时自动改为{state}）"


def relate(articles: list[Any], hidden: list[Any]) -> None:
    """Set validity_notice, replaces, interpretations and status_label on policies."""
    by_index = {a.metadata["index_no"]: a for a in articles}
    for entry in articles + hidden:
        entry.replaces = []
        entry.interpretations = []
        entry.validity_notice = None
        entry.status_label = ""
    for entry in articles:
        meta = entry.metadata
        if meta.get("column") != "zcwj":
            continue
        replacement = by_index.get(meta.get("replaced_by") or "")
        if meta.get("validity") in NOT_IN_FORCE:
            entry.validity_notice = ValidityNotice(meta["validity"], meta["validity_date"].isoformat(), replacement)
            entry.status_label = f"已{meta['validity']}"
            if replacement is not None:
                replacement.replaces.append(entry)
        elif meta.get("validity_pending"):
            state, day = meta["validity_pending"]
            entry.validity_notice = ValidityNotice(state, day.isoformat(), replacement, pending=True)
        target = by_index.get(meta.get("interprets") or "")
        if target is not None:
            target.interpretations.append(entry)
