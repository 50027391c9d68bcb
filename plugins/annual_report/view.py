"""View models of a report page: the three tables cell by cell (with their spans), sections and rates.

Templates only print these (theme/templates/macros.html `report_table`): the
layout of the national template lives here, beside the figures it shows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from foundation.requests import terms

from . import layout as L
from .table2 import TableTwo
from .table3 import CARRIED, NEW, NEXT_YEAR, RESULTS_TOTAL, Rate, TableThree
from .table4 import ReviewFigures

SUPPLIED_NOTE = "由本机关根据业务台账填报"


@dataclass
class Cell:
    text: str
    header: bool = False       # a <th>
    scope: str = ""            # col / row / colgroup / rowgroup, for screen readers
    rowspan: int = 1
    colspan: int = 1
    numeric: bool = False
    supplied: bool = False     # a figure the editor supplied (marked on the page)
    col: int = 0               # first grid column the cell covers (set by TableView)
    sticky: bool = False       # a row label kept in view while the figures scroll (set by TableView)

    @property
    def classes(self) -> str:
        names = [f"lc{self.col}" if self.sticky else "", "num" if self.numeric else "",
                 "supplied" if self.supplied else ""]
        return " ".join(n for n in names if n)


@dataclass
class TableView:
    key: str
    caption: str
    width: int
    head: list[list[Cell]]
    bodies: list[list[list[Cell]]]
    label_columns: int = 1     # leading columns of row labels (kept in view while scrolling)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for group in (self.head, *self.bodies):  # a span never leaves its row group (HTML table model)
            place_cells(group, self.width, self.key)
        for cell in (c for group in (self.head, *self.bodies) for row in group for c in row):
            cell.sticky = cell.col + cell.colspan <= self.label_columns

    @property
    def columns(self) -> list[str]:
        """One class per grid column, for the <colgroup>."""
        return [f"lc{i}" if i < self.label_columns else "fig" for i in range(self.width)]


def place_cells(rows: list[list[Cell]], width: int, key: str) -> None:
    """Set each cell's first column, as HTML's table model does; every row must fill `width` columns."""
    taken: set[tuple[int, int]] = set()
    for y, row in enumerate(rows):
        x = 0
        for cell in row:
            while (y, x) in taken:
                x += 1
            cell.col = x
            taken |= {(y + dy, x + dx) for dy in range(cell.rowspan) for dx in range(cell.colspan)}
            x += cell.colspan
        filled = sum(1 for (yy, _x) in taken if yy == y)
        if filled != width:  # a mistake in this module's layout, never in content
            raise ValueError(f"table {key}: row {y + 1} covers {filled} columns, not {width}")


def _col(text: str, scope: str = "col", **kw: Any) -> Cell:
    return Cell(text, header=True, scope=scope, **kw)


def _row(text: str, **kw: Any) -> Cell:
    return Cell(text, header=True, scope="row", **kw)


def _fig(value: int | Decimal, colspan: int = 1, supplied: bool = False) -> Cell:
    text = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
    return Cell(text, numeric=True, colspan=colspan, supplied=supplied)


def table_two_view(t: TableTwo) -> TableView:
    """Table 二: one row group per item of 第二十条, as the template lays them out."""
    values: dict[str, list[Cell]] = {
        L.RULES: [_fig(v) for v in (t.rules.issued, t.rules.repealed, t.rules.in_force)],
        L.NORMATIVE: [_fig(v) for v in (t.normative.issued, t.normative.repealed, t.normative.in_force)],
        L.LICENSING: [_fig(t.licensing, 3, supplied=True)],
        L.PENALTY: [_fig(t.penalties, 3)],
        L.ENFORCEMENT: [_fig(t.enforcement, 3, supplied=True)],
        L.FEES: [_fig(t.fees, 3, supplied=True)],
    }
    bodies = []
    for item, headings, rows in L.TABLE2_BLOCKS:
        span = (L.TABLE2_WIDTH - 1) // len(headings)
        body = [[Cell(item, header=True, scope="rowgroup", colspan=L.TABLE2_WIDTH)],
                [_col(L.CONTENT)] + [_col(h, colspan=span) for h in headings]]
        body += [[_row(label)] + values[label] for label in rows]
        bodies.append(body)
    notes = [f"※ {L.LICENSING}、{L.ENFORCEMENT}决定数量和{L.FEES}金额{SUPPLIED_NOTE}；其余数字由本网站发布的政策文件和"
             "行政处罚信息（含已期满撤下的）按成文日期、失效或废止日期、处罚决定日期统计。"]
    return TableView("t2", f"表二　{L.SECTIONS[1][2:]}", L.TABLE2_WIDTH, [], bodies, notes=notes)


def table_three_view(t: TableThree) -> TableView:
    """Table 三: three header rows, then 一、二, the 22 result rows under 三, and 四."""
    head = [
        [Cell(L.TABLE3_NOTE, rowspan=3, colspan=3), _col(L.APPLICANTS, "colgroup", colspan=7)],
        [_col(terms.NATURAL_PERSON, rowspan=2), _col(L.ORGANISATIONS, "colgroup", colspan=5),
         _col(L.TOTAL, rowspan=2)],
        [_col(kind) for kind in terms.ORGANISATION_KINDS],
    ]

    def figures(row: Any) -> list[Cell]:
        return [_fig(v) for v in t.figures(row)]

    results: list[list[Cell]] = []
    for outcome, reasons in terms.OUTCOMES.items():
        if not reasons:
            results.append([_row(L.outcome_label(outcome), colspan=2)] + figures((outcome, "")))
        for i, reason in enumerate(reasons):
            group = [_row(L.outcome_label(outcome), rowspan=len(reasons))] if i == 0 else []
            results.append(group + [_row(L.reason_label(outcome, reason))] + figures((outcome, reason)))
    results.append([_row(RESULTS_TOTAL, colspan=2)] + figures(RESULTS_TOTAL))
    results[0].insert(0, _row(L.RESULTS, rowspan=len(results)))
    body = [[_row(NEW, colspan=3)] + figures(NEW), [_row(CARRIED, colspan=3)] + figures(CARRIED), *results,
            [_row(NEXT_YEAR, colspan=3)] + figures(NEXT_YEAR)]
    notes = [f"申请人撤回申请的，计入“（六）其他处理”中的“{L.WITHDRAWN_ROW[1]}”。"
             "数字按依申请公开登记记录中的收到申请日期和答复（撤回）日期统计。"]
    return TableView("t3", f"表三　{L.SECTIONS[2][2:]}", 10, head, [body], label_columns=3, notes=notes)


def table_four_view(groups: list[ReviewFigures]) -> TableView:
    """Table 四: 行政复议 | 行政诉讼 (未经复议直接起诉 | 复议后起诉), five results each."""
    results = len(L.RESULT_LABELS)
    head = [
        [_col(L.REVIEW, "colgroup", colspan=results),
         _col(L.LAWSUIT, "colgroup", colspan=results * len(L.LAWSUIT_KINDS))],
        [_col(label, rowspan=2) for label in L.RESULT_LABELS]
        + [_col(kind, "colgroup", colspan=results) for kind in L.LAWSUIT_KINDS],
        [_col(label) for _kind in L.LAWSUIT_KINDS for label in L.RESULT_LABELS],
    ]
    body = [[_fig(v) for g in groups for v in g.cells]]   # all supplied: said once, in the note
    notes = [f"本表数字{SUPPLIED_NOTE}（行政复议、行政诉讼案件台账）。"]
    return TableView("t4", f"表四　{L.SECTIONS[3][2:]}", results * 3, head, [body], label_columns=0, notes=notes)


@dataclass
class SectionView:
    title: str
    html: str = ""
    tables: list[TableView] = field(default_factory=list)
    rates: tuple[Rate, ...] = ()

    @property
    def anchor(self) -> str:
        return f"s{L.SECTIONS.index(self.title) + 1}"


@dataclass
class ReportView:
    year: int
    title: str
    date: Any                  # datetime (Beijing midnight), as entries have
    url: str
    save_as: str
    period: str
    preamble: str
    sections: list[SectionView]
    published: bool
