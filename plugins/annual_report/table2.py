"""Table 二 (主动公开政府信息情况): counted from the site's entries, plus the figures editors supply.

条例 第二十条 lists what must be disclosed proactively; the template reports
four of its items.  第（一）项 (规章, 行政规范性文件) and 第（六）项 行政处罚 are on
this site as entries, so they are counted; 行政许可 (第（五）项), 行政强制
(第（六）项) and 行政事业性收费 (第（八）项) have no records here and come from
the report file, marked as supplied.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from foundation.schema import not_in_force

from .layout import NORMATIVE, RULES


@dataclass(frozen=True)
class PolicyFigures:
    issued: int      # 本年制发件数: 成文日期 in the year
    repealed: int    # 本年废止件数: became 失效 or 废止 in the year
    in_force: int    # 现行有效件数: issued by 31 December and not yet 失效 or 废止 then


@dataclass(frozen=True)
class TableTwo:
    rules: PolicyFigures
    normative: PolicyFigures
    licensing: int            # supplied
    penalties: int
    enforcement: int          # supplied
    fees: Decimal             # supplied, 万元


def _ended(meta: dict[str, Any]) -> dt.date | None:
    """The day a policy stopped being in force (失效/废止日期), if it has."""
    return meta.get("validity_date") if not_in_force(meta) else None


def policy_figures(entries: Iterable[Any], year: int, kind: str) -> PolicyFigures:
    """Issued, repealed and in-force counts of one 文件类型 (policy_kind) for `year`."""
    end = dt.date(year, 12, 31)
    mine = [e.metadata for e in entries
            if e.metadata.get("column") == "zcwj" and e.metadata.get("policy_kind") == kind]
    issued = sum(m["written_date"].year == year for m in mine)
    repealed = sum(1 for m in mine if (d := _ended(m)) is not None and d.year == year)
    in_force = sum(1 for m in mine if m["written_date"] <= end and not ((d := _ended(m)) is not None and d <= end))
    return PolicyFigures(issued, repealed, in_force)


def penalty_decisions(entries: Iterable[Any], year: int) -> int:
    """行政处罚 decisions made in `year` (处罚决定日期), whether or not still publicly listed.

    A decision counts in the year it was made even when its publicity has
    ended, stopped early or been withdrawn (行政处罚法 第四十八条): the table
    reports the office's decisions, not what the column shows today.
    """
    return sum(1 for e in entries
               if e.metadata.get("column") == "xzcf" and e.metadata["decision_date"].year == year)


def table_two(entries: Iterable[Any], year: int, values: dict[str, Any]) -> TableTwo:
    """Table 二 of `year`: every entry read in the build (published or not) and the report's figures."""
    entries = list(entries)
    return TableTwo(
        rules=policy_figures(entries, year, RULES),
        normative=policy_figures(entries, year, NORMATIVE),
        licensing=values["licensing"],
        penalties=penalty_decisions(entries, year),
        enforcement=values["enforcement"],
        fees=values["fees"],
    )
