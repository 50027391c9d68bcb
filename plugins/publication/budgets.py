"""Budgets and final accounts (预算法 第十四条): tables from the attachments and the "三公" chart.

Readers expect the figures as a readable table beside the original file, a
table with no data still shown with its reason, and the "三公" 经费 across
years (domain.md §7).  Tables are read from the entry's XLSX (openpyxl) or
CSV attachments; the chart is inline SVG with a data table for screen readers.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

EMPTY_MARK = "本表无数据"
SANGONG_SHEET = "三公"
# The three "三公" items departments must explain (domain.md §7), as the rows are titled.
SANGONG_ITEMS = (("因公出国（境）费", "因公出国（境）费"), ("公务用车购置及运行", "公务用车购置及运行（维护）费"),
                 ("公务接待费", "公务接待费"))


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool] = field(default_factory=list)
    empty_reason: str = ""
    source: str = ""

    @property
    def empty(self) -> bool:
        return bool(self.empty_reason) or not self.rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).strip()


def _table(caption: str, raw: list[list[Any]], source: str) -> Table:
    raw = [list(r) for r in raw if any(c not in (None, "") for c in r)]
    if not raw:
        return Table(caption, [], [], empty_reason="表中没有内容", source=source)
    header = [_cell(c) for c in raw[0]]
    body = raw[1:]
    texts = [_cell(c) for r in body for c in r if c not in (None, "")]
    if EMPTY_MARK in texts:
        reason = next((t for t in texts if t != EMPTY_MARK), "")
        return Table(caption, header, [], empty_reason=reason or "本表无数据", source=source)
    width = len(header)
    rows = [[_cell(c) for c in (r + [None] * width)[:width]] for r in body]
    numeric = [i > 0 and all(isinstance(r[i] if i < len(r) else None, (int, float, type(None)))
                             for r in body) for i in range(width)]
    return Table(caption, header, rows, numeric, source=source)


BYTES_PER_CELL = 32  # the fewest bytes a cell takes in sheet XML (plugins/pii_guard/readers/xlsx.py)


class TooManyCells(ValueError):
    """A workbook holds more cells than MAX_TABLE_CELLS (a sheet can claim ten million rows in
    under a megabyte)."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"超过 {limit:,} 个单元格")


def _rows(rows: Any, limit: int, counted: list[int]) -> list[list[Any]]:
    out = []
    for row in rows:
        counted[0] += len(row)
        if counted[0] > limit:
            raise TooManyCells(limit)
        out.append(list(row))
    return out


def read_tables(path: Path, max_cells: int = 1_000_000) -> list[Table]:
    """Every sheet of an XLSX file, or the one table of a CSV file (TooManyCells past `max_cells`)."""
    counted = [0]
    if path.suffix.lower() == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        return [_table(path.stem, _rows(csv.reader(io.StringIO(text)), max_cells, counted), path.name)]
    with zipfile.ZipFile(path) as package:
        # Known before anything is expanded: a sheet of this size holds too many cells (openpyxl
        # would first scan all of it for its dimensions: 27 s for a million rows).
        sheets = sum(i.file_size for i in package.infolist() if i.filename.startswith("xl/worksheets/"))
    if sheets > max_cells * BYTES_PER_CELL:
        raise TooManyCells(max_cells)
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return [_table(ws.title, _rows(ws.iter_rows(values_only=True), max_cells, counted), path.name)
                for ws in wb.worksheets]
    finally:
        wb.close()


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def sangong_figures(tables: list[Table]) -> dict[str, Decimal]:
    """The three "三公" amounts (万元) from a "三公" sheet, by item label."""
    for table in tables:
        if SANGONG_SHEET not in table.caption or table.empty:
            continue
        out: dict[str, Decimal] = {}
        for row in table.rows:
            label = row[0].strip("\u3000 ")
            for prefix, name in SANGONG_ITEMS:
                if label.startswith(prefix) and name not in out:
                    value = _amount(row[1]) if len(row) > 1 else None
                    if value is not None:
                        out[name] = value
        if out:
            return out
    return {}


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: str
    series: int


@dataclass
class Chart:
    """A grouped bar chart laid out for the template (which only draws it)."""

    title: str
    department: str
    groups: list[str]                  # x-axis labels, e.g. 2024年决算
    series: list[str]                  # the three items
    values: list[list[str]]            # [group][series], formatted
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    width: int = 640
    height: int = 300
    plot_top: int = 20
    plot_bottom: int = 250
    plot_left: int = 60


def sangong_chart(department: str, points: list[tuple[str, dict[str, Decimal]]]) -> Chart:
    """Lay out a chart of "三公" 经费 for one department across (label, figures) points."""
    names = [name for _p, name in SANGONG_ITEMS]
    top = max((v for _l, figs in points for v in figs.values()), default=Decimal(1)) or Decimal(1)
    step = _nice_step(top)
    scale_max = step * ((top / step).to_integral_value(rounding="ROUND_CEILING") or 1)
    chart = Chart(f"{department}“三公”经费（万元）", department, [label for label, _f in points], names,
                  [[_fmt(figs.get(n)) for n in names] for _l, figs in points], [], [])
    plot_h = chart.plot_bottom - chart.plot_top
    group_w = (chart.width - chart.plot_left - 10) / max(len(points), 1)
    bar_w = group_w * 0.8 / len(names)
    for gi, (_label, figs) in enumerate(points):
        for si, name in enumerate(names):
            value = figs.get(name, Decimal(0))
            h = float(value / scale_max) * plot_h
            x = chart.plot_left + gi * group_w + group_w * 0.1 + si * bar_w
            chart.bars.append(Bar(round(x, 1), round(chart.plot_bottom - h, 1), round(bar_w - 2, 1),
                                  round(h, 1), _fmt(value), si))
    ticks = []
    for i in range(0, 5):
        v = scale_max * i / 4
        ticks.append((round(chart.plot_bottom - float(v / scale_max) * plot_h, 1), _fmt(v)))
    chart.ticks = ticks
    return chart


def _nice_step(top: Decimal) -> Decimal:
    for step in (Decimal("0.5"), Decimal(1), Decimal(2), Decimal(5), Decimal(10), Decimal(20), Decimal(50),
                 Decimal(100), Decimal(200), Decimal(500), Decimal(1000)):
        if top / step <= 8:
            return step
    return Decimal(1000)


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"
