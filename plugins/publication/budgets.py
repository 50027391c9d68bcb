"""Budgets and final accounts (预算法 第十四条): the "三公" 经费 of their tables, and its chart.

Readers expect the "三公" 经费 across years (domain.md §7): the figures are found
in the table titled (or on a sheet named) 「…三公…」, by row or by column, and laid
out as a grouped bar chart (inline SVG with a data table for screen readers).
The tables themselves are read by sheets.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from . import sheets
from .sheets import EMPTY_MARK, Finding, Read, Table, TooManyCells, cell_text, is_number, read_tables

SANGONG = "三公"
# The three "三公" items departments must explain (domain.md §7), as the rows are titled.
SANGONG_ITEMS = (("因公出国（境）费", "因公出国（境）费"), ("公务用车购置及运行", "公务用车购置及运行（维护）费"),
                 ("公务接待费", "公务接待费"))


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _figure(value: Any, unit: Decimal) -> Decimal | None:
    if is_number(value):
        return (Decimal(str(value)) * unit).quantize(Decimal("0.01"))
    return None


def _vertical(table: Table) -> dict[str, Decimal]:
    """Items as row labels (「因公出国（境）费 | 13.5」), the figure in the first number of the row."""
    out: dict[str, Decimal] = {}
    for row in table.values:
        label = cell_text(row[0]).strip("\u3000 ")
        for prefix, name in SANGONG_ITEMS:
            if label.startswith(prefix) and name not in out:
                value = next((f for f in (_figure(c, table.unit) for c in row[1:]) if f is not None), None)
                if value is not None:
                    out[name] = value
    return out


def _horizontal(table: Table) -> dict[str, Decimal]:
    """Items as column headers (the 财政部 template: 合计 | 因公出国（境）费 | 公务用车购置及运行费 (小计 |
    购置费 | 运行费) | 公务接待费), the figures in the first row that has numbers."""
    out: dict[str, Decimal] = {}
    body = [r for r in table.values if any(is_number(c) for c in r)]
    if not body:
        return out
    for i, head in enumerate(table.header):
        parent = table.parents[i] if i < len(table.parents) else ""
        label = (parent or head).strip("\u3000 ")
        for prefix, name in SANGONG_ITEMS:
            if label.startswith(prefix) and name not in out:
                value = _figure(body[0][i], table.unit)
                if value is not None:
                    out[name] = value
    return out


def sangong_figures(tables: list[Table]) -> tuple[dict[str, Decimal], list[Finding]]:
    """The three "三公" amounts (万元) from the table titled (or on a sheet named) 「…三公…」, by item;
    with a finding when such a table is there but its figures cannot be found."""
    for table in tables:
        if SANGONG not in table.caption and SANGONG not in table.sheet or table.empty:
            continue
        out = _vertical(table)
        if len(out) < len(SANGONG_ITEMS):
            out = {**_horizontal(table), **out}
        missing = [name for _p, name in SANGONG_ITEMS if name not in out]
        if missing and out != {}:
            return out, [Finding(table.sheet, f"第 {table.first_row} 行起", (
                f"「{table.caption}」中找不到{'、'.join(f'「{m}」' for m in missing)}的数字，“三公”经费图表不完整"
                "（expected 每一项一行（首列为项目名称）或一列（表头为项目名称），填写数字；单位写在「单位：万元」行）"),
                "warning")]
        if out:
            return out, []
        return {}, [Finding(table.sheet, f"第 {table.first_row} 行起", (
            f"「{table.caption}」中读不出“三公”经费，图表中不会有这一年（expected 每一项一行（首列为"
            "「因公出国（境）费」「公务用车购置及运行费」「公务接待费」）或一列，填写数字；单位写在「单位：万元」行）"))]
    return {}, []


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


# The tables are read by sheets.py; named here too, as the plugin and its tests have always used them.
__all__ = ["Bar", "Chart", "EMPTY_MARK", "Finding", "Read", "SANGONG", "SANGONG_ITEMS", "Table", "TooManyCells",
           "read_tables", "sangong_chart", "sangong_figures", "sheets"]
