"""Table 三 (收到和处理政府信息公开申请情况), counted from the application records, and its identities.

Each application counts in the year's table by its dates alone, whatever the
build's today: 一 if received in the year; 二 if received earlier and still
open on 31 December of the year before; in an outcome row and （七）总计 if
answered or withdrawn in the year; 四 if still open on 31 December.  Columns
are the applicant categories (条例 第二十七条: 公民、法人或者其他组织 may apply).

The template states the identities a report must satisfy (../shared/domain.md
§5): 一 + 二 = （七） + 四 in every column; （七） = the sum of the outcome rows;
in every row 总计 = the sum of the applicant columns.  Each is checked, and a
failure names the record that breaks it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from foundation.requests import terms
from foundation.requests.deadlines import Progress
from foundation.requests.records import Record
from foundation.errors import Problem

from .layout import (APPLICANT_COLUMNS, CARRIED, NEW, NEXT_YEAR, RESULTS_TOTAL, TOTAL, WITHDRAWN_ROW, outcome_label,
                      outcome_rows, reason_label)

Row = Any  # a label (一、二、（七）、四) or an (outcome, reason) pair
OUTCOME_ROWS = outcome_rows()
ROWS: tuple[Row, ...] = (NEW, CARRIED, *OUTCOME_ROWS, RESULTS_TOTAL, NEXT_YEAR)
IDENTITY_FLOW = "一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理"
IDENTITY_RESULTS = "（七）总计 = 各项办理结果之和"
IDENTITY_COLUMNS = "总计 = 各类申请人之和"


def row_label(row: Row) -> str:
    """The template's label of a row (the sub-row label under its outcome for a reason)."""
    if isinstance(row, tuple):
        outcome, reason = row
        return f"{outcome_label(outcome)} {reason_label(outcome, reason)}" if reason else outcome_label(outcome)
    return row


@dataclass(frozen=True)
class Place:
    """Where one application counts in Table 三 of a year."""

    progress: Progress
    new: bool
    carried: bool
    closed: bool                       # answered or withdrawn during the year: counts in （七）总计
    row: tuple[str, str] | None        # its outcome row when closed
    next_year: bool
    on_time: bool                      # closed within the time the law allows

    @property
    def record(self) -> Record:
        return self.progress.record

    def rows(self) -> list[Row]:
        out: list[Row] = [r for r, yes in ((NEW, self.new), (CARRIED, self.carried)) if yes]
        if self.closed:
            out += [self.row, RESULTS_TOTAL]
        if self.next_year:
            out.append(NEXT_YEAR)
        return out


def _open_on(record: Record, day: dt.date) -> bool:
    closing = record.closing
    return record.received <= day and (closing is None or closing.date > day)


def _closed_on_time(p: Progress) -> bool:
    """Answered within the deadline (第三十三条), or withdrawn before the deadline ran out."""
    closing = p.record.closing
    if closing is None:
        return False
    if closing.kind == terms.ANSWER:
        return p.on_time is True
    due = p.final.due if p.final else None
    return due is None or closing.date <= due


def place(p: Progress, year: int) -> Place | None:
    """Where `p` counts in `year`'s table (None when it has no part in it)."""
    r = p.record
    closing = r.closing
    closed = closing is not None and closing.date.year == year
    row: tuple[str, str] | None = None
    if closed:
        row = (closing.outcome, closing.reason) if closing.kind == terms.ANSWER else WITHDRAWN_ROW
    spot = Place(p, new=r.received.year == year,
                 carried=r.received.year < year and _open_on(r, dt.date(year - 1, 12, 31)),
                 closed=closed, row=row, next_year=_open_on(r, dt.date(year, 12, 31)),
                 on_time=closed and _closed_on_time(p))
    return spot if spot.rows() else None


@dataclass
class TableThree:
    year: int
    cells: dict[Row, dict[str, int]] = field(default_factory=dict)   # row → column → count
    on_time: int = 0
    places: list[Place] = field(default_factory=list)

    def figures(self, row: Row) -> list[int]:
        return [self.cells[row][c] for c in APPLICANT_COLUMNS]

    def total(self, row: Row) -> int:
        return self.cells[row][TOTAL]


def table_three(progress: Iterable[Progress], year: int) -> TableThree:
    """Count every application into `year`'s table (the 总计 column counts every one, whatever its column)."""
    table = TableThree(year, {row: dict.fromkeys(APPLICANT_COLUMNS, 0) for row in ROWS})
    for p in progress:
        spot = place(p, year)
        if spot is None:
            continue
        table.places.append(spot)
        table.on_time += spot.on_time
        for row in spot.rows():
            if row not in table.cells:
                continue  # an outcome the template has no row for: only （七）总计 counts it
            table.cells[row][TOTAL] += 1
            if spot.record.applicant_category in terms.APPLICANT_CATEGORIES:
                table.cells[row][spot.record.applicant_category] += 1
    return table


# ------------------------------------------------------------------ identities

def check_identities(table: TableThree, label: str, line: int) -> list[Problem]:
    """Every identity of §5 that does not hold, as problems naming the records that break it."""
    return _check_columns(table, label, line) + _check_results(table, label, line) + _check_flow(table, label, line)


def _fallback(label: str, line: int, identity: str, detail: str) -> Problem:
    return Problem(label, line, "表三", f"勾稽关系“{identity}”不成立：{detail}"
                                       "（expected 成立；请检查本年度的依申请公开记录）")


def _check_columns(table: TableThree, label: str, line: int) -> list[Problem]:
    bad = [row for row in ROWS if table.total(row) != sum(table.figures(row)[:-1])]
    if not bad:
        return []
    categories = "、".join(terms.APPLICANT_CATEGORIES)
    out = []
    for spot in table.places:
        r = spot.record
        if r.applicant_category in terms.APPLICANT_CATEGORIES:
            continue
        rows = "".join(f"「{row_label(row)}」" for row in spot.rows() if row in bad)
        out.append(Problem(r.path, r.lines.get("applicant_category", 1), "applicant_category",
                           f"申请人类别「{r.applicant_category}」不是年报表三的一列，这件申请只计入了总计列，"
                           f"{table.year}年表三{rows}各行的“{IDENTITY_COLUMNS}”不成立（expected 其一：{categories}）"))
    return out or [_fallback(label, line, IDENTITY_COLUMNS, "、".join(
        f"「{row_label(row)}」总计 {table.total(row)}，各类申请人之和 {sum(table.figures(row)[:-1])}" for row in bad))]


def _check_results(table: TableThree, label: str, line: int) -> list[Problem]:
    bad = [c for c in APPLICANT_COLUMNS
           if table.cells[RESULTS_TOTAL][c] != sum(table.cells[row][c] for row in OUTCOME_ROWS)]
    if not bad:
        return []
    total = table.total(RESULTS_TOTAL)
    summed = sum(table.cells[row][TOTAL] for row in OUTCOME_ROWS)
    out = []
    for spot in table.places:
        if not spot.closed or spot.row in OUTCOME_ROWS:
            continue
        outcome, reason = spot.row or ("", "")
        answer = spot.record.closing
        shown = f"{outcome}：{reason}" if reason else outcome
        where, expected = _outcome_fix(outcome)
        out.append(Problem(spot.record.path, answer.line_of(where), where,
                           f"办理结果「{shown}」不是年报表三中的一行，{table.year}年表三“{IDENTITY_RESULTS}”不成立"
                           f"（（七）总计 {total}，各项之和 {summed}）（expected {expected}）"))
    return out or [_fallback(label, line, IDENTITY_RESULTS, "、".join(
        f"{c}列（七）总计 {table.cells[RESULTS_TOTAL][c]}，各项办理结果之和 "
        f"{sum(table.cells[row][c] for row in OUTCOME_ROWS)}" for c in bad))]


def _outcome_fix(outcome: str) -> tuple[str, str]:
    """Which key of an answer to correct, and to what, when its result is not a row of Table 三."""
    if outcome in terms.OUTCOMES and terms.OUTCOMES[outcome]:
        return "reason", f"「{outcome}」的具体情形之一：{'、'.join(terms.OUTCOMES[outcome])}"
    if outcome in terms.OUTCOMES:
        return "reason", f"「{outcome}」没有细分情形，删除 reason"
    return "outcome", f"表三的办理结果之一：{'、'.join(terms.OUTCOMES)}"


def _check_flow(table: TableThree, label: str, line: int) -> list[Problem]:
    def side(c: str) -> tuple[int, int]:
        cells = table.cells
        return cells[NEW][c] + cells[CARRIED][c], cells[RESULTS_TOTAL][c] + cells[NEXT_YEAR][c]

    bad = [c for c in APPLICANT_COLUMNS if side(c)[0] != side(c)[1]]
    if not bad:
        return []
    left, right = side(TOTAL)
    out = []
    for spot in table.places:
        r, closing = spot.record, spot.record.closing
        # Counting by dates puts an application on both sides or on neither,
        # unless it was closed before it was received.
        if (spot.new or spot.carried) == (spot.closed or spot.next_year) or closing is None \
                or closing.date >= r.received:
            continue
        out.append(Problem(r.path, closing.line_of("date"), "date",
                           f"{closing.kind}日期 {closing.date} 早于收到申请日期 {r.received}，这件申请在{table.year}年"
                           f"表三中只计入了一边，“{IDENTITY_FLOW}”不成立（总计列：{left} ≠ {right}）"
                           f"（expected 不早于 {r.received}）"))
    return out or [_fallback(label, line, IDENTITY_FLOW, "、".join(
        f"{c}列 {side(c)[0]} ≠ {side(c)[1]}" for c in bad))]


# ------------------------------------------------------------------ rates

@dataclass(frozen=True)
class Rate:
    label: str
    numerator: int
    denominator: int
    formula: str

    @property
    def text(self) -> str:
        if not self.denominator:
            return "—"
        value = 100 * self.numerator / self.denominator
        return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


def rates(table: TableThree) -> tuple[Rate, Rate]:
    """办结率 over the year's workload (一 + 二) and 按时办结率 over what was closed （七）."""
    workload = table.total(NEW) + table.total(CARRIED)
    closed = table.total(RESULTS_TOTAL)
    return (
        Rate("办结率", closed, workload, f"（七）总计 {closed} 件 ÷（一、本年新收 + 二、上年结转）{workload} 件"),
        Rate("按时办结率", table.on_time, closed,
             f"在法定期限内办结 {table.on_time} 件 ÷（七）总计 {closed} 件"),
    )
