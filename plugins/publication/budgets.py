"""Budgets and final accounts (预算法 第十四条): tables from the attachments and the "三公" chart.

Readers expect the figures as a readable table beside the original file, a
table with no data still shown with its reason, and the "三公" 经费 across
years (domain.md §7).  Tables are read from the entry's XLSX (openpyxl) or
CSV attachments; the chart is inline SVG with a data table for screen readers.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

EMPTY_MARK = "本表无数据"
SANGONG = "三公"
# The three "三公" items departments must explain (domain.md §7), as the rows are titled.
SANGONG_ITEMS = (("因公出国（境）费", "因公出国（境）费"), ("公务用车购置及运行", "公务用车购置及运行（维护）费"),
                 ("公务接待费", "公务接待费"))
# Units a table states (「单位：万元」, 「（万元）」 in a header), as a factor to 万元.
UNITS = {"万元": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"), "亿元": Decimal(10000)}
_UNIT = re.compile(r"(?:金额)?单位[:：]\s*(?P<unit>亿元|万元|千元|元)")
_UNIT_IN_HEADER = re.compile(r"[（(](?P<unit>亿元|万元|千元|元)[)）]")
_LABEL_ROW = re.compile(r"^\s*(?:编制)?(?:单位|部门|预算单位|编制部门)[:：]")
_NOTE = re.compile(r"^\s*(?:注|说明|备注)\s*[0-9一二三四五六七八九十]*\s*[:：.、]")


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool] = field(default_factory=list)
    empty_reason: str = ""
    source: str = ""
    sheet: str = ""
    first_row: int = 0               # the sheet row of the header (1-based)
    unit: Decimal = Decimal(1)       # factor from the table's unit to 万元
    parents: list[str] = field(default_factory=list)   # a two-row header's upper labels, by column
    values: list[list[Any]] = field(default_factory=list)   # the body as read (numbers as numbers)
    row_numbers: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)      # 「注：…」 under the table, shown with it

    @property
    def empty(self) -> bool:
        return bool(self.empty_reason) or not self.rows


@dataclass(frozen=True)
class Finding:
    """Something wrong in a workbook, at its sheet and row (or cell), phrased for an editor."""

    sheet: str
    where: str                       # 「第 7 行」 or 「单元格 C7」
    message: str
    severity: str = "error"

    def text(self, title: str) -> str:
        return f"附件「{title}」工作表「{self.sheet}」{self.where}：{self.message}"


@dataclass
class Read:
    tables: list[Table] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).strip()


def _filled(row: list[Any]) -> list[tuple[int, Any]]:
    return [(i, c) for i, c in enumerate(row) if c is not None and str(c).strip() != ""]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _unit_of(texts: list[str]) -> Decimal | None:
    for text in texts:
        m = _UNIT.search(text) or _UNIT_IN_HEADER.search(text)
        if m:
            return UNITS[m["unit"]]
    return None


class _Sheet:
    """Split one sheet into tables: [title rows] [单位 row] header row(s) body [notes], repeated.

    The layouts of real 部门预算/决算公开 workbooks: a merged title row (「2025年部门收支总表」,
    maybe 「表一」 above it), a row 「部门：…　单位：万元」, one or two header rows, the body,
    notes (「注：…」, 「说明：…」); several such tables may follow one another on a sheet,
    separated by a blank row and a new title.
    """

    def __init__(self, name: str, source: str, read: Read):
        self.name, self.source, self.read = name, source, read
        self.titles: list[str] = []
        self.unit: Decimal | None = None
        self.table: dict[str, Any] | None = None
        self.gap = True

    def feed(self, number: int, row: list[Any]) -> None:
        filled = _filled(row)
        if not filled:
            self.gap = True
            return
        texts = [str(c).strip() for _i, c in filled]
        one = len(filled) == 1 and not _is_number(filled[0][1])
        labels = all(not _is_number(c) for _i, c in filled) and (
            any(_LABEL_ROW.search(t) or _UNIT.search(t) for t in texts))
        if labels and (self.table is None or self.table["body"]):
            self.close()
            self.unit = _unit_of(texts) or self.unit
        elif one and _NOTE.match(texts[0]) and self.table is not None:
            self.table["notes"].append((number, texts[0]))
        elif one and EMPTY_MARK not in texts[0] and (self.table is None or self.gap and self.table["body"]):
            self.close()
            self.titles.append(texts[0])
        elif self.table is None:
            self.table = {"header": list(row), "upper": [], "row": number, "body": [], "numbers": [], "notes": []}
        elif not self.table["body"] and filled[0][0] > 0 and not any(_is_number(c) for _i, c in filled):
            # A second header row under merged cells (its first column is part of the merge).
            upper, lower = self.table["header"], list(row) + [None] * len(self.table["header"])
            parents, last = [], None
            for top, below in zip(upper, lower):
                if top not in (None, ""):
                    last = _cell(top)
                elif below in (None, ""):
                    last = None
                parents.append(last if below not in (None, "") else None)   # a merged top cell covers the ones right of it
            self.table["upper"] = parents
            self.table["header"] = [
                (f"{parent}：{_cell(below)}" if parent and _cell(below) != parent else _cell(below)) if below not in (None, "")
                else top for top, below, parent in zip(upper, lower, parents)]
        else:
            self.table["body"].append(list(row))
            self.table["numbers"].append(number)
        self.gap = False

    def close(self) -> None:
        t, self.table = self.table, None
        if t is None:
            if self.titles and not self.read.tables:
                pass
            return
        caption = " ".join(x for x in self.titles if not re.fullmatch(r"表\s*[0-9一二三四五六七八九十]+", x)) or self.name
        number_only = next((x for x in self.titles if re.fullmatch(r"表\s*[0-9一二三四五六七八九十]+", x)), "")
        if number_only and number_only not in caption:
            caption = f"{number_only} {caption}"
        self.titles = []
        header = [_cell(c) for c in t["header"]]
        width = max([len(header)] + [len(_filled(r)) and max(i for i, _c in _filled(r)) + 1 for r in t["body"]])
        header = (header + [""] * width)[:width]
        while header and not header[-1] and not any(len(r) >= len(header) and r[len(header) - 1] not in (None, "")
                                                    for r in t["body"]):
            header.pop()
        width = len(header)
        unit = _unit_of(header) or self.unit or Decimal(1)
        table = Table(caption, header, [], source=self.source, sheet=self.name, first_row=t["row"], unit=unit,
                      parents=[_cell(c) for c in (t["upper"] + [None] * width)[:width]] if t["upper"] else [])
        table.notes = [x for _n, x in t["notes"]]
        texts = [(n, _cell(c)) for n, r in zip(t["numbers"], t["body"]) for c in r if c not in (None, "")]
        marks = [n for n, x in texts if EMPTY_MARK in x]
        if marks:
            reasons = [x for _n, x in texts if EMPTY_MARK not in x] + [x for _n, x in t["notes"]]
            reason = next((x for x in reasons if x), "")
            inline = next((x for _n, x in texts if EMPTY_MARK in x and x.strip("。 ") != EMPTY_MARK), "")
            table.empty_reason = reason or inline or EMPTY_MARK
            table.notes = [x for x in table.notes if x != table.empty_reason]
            if not reason and not inline:
                self.read.findings.append(Finding(self.name, f"第 {marks[0]} 行", (
                    f"「{caption}」标为「本表无数据」却没有说明原因（expected 在下一行写明原因，例如"
                    "「说明：本单位无政府性基金预算收支，故本表无数据。」）")))
        else:
            table.values = [(r + [None] * width)[:width] for r in t["body"]]
            table.row_numbers = list(t["numbers"])
            # One format a column: 14 and 13.5 in one column read 14.00 and 13.50.
            decimals = [any(isinstance(r[i], float) and not r[i].is_integer() for r in table.values) for i in range(width)]
            table.rows = [[f"{c:,.2f}" if decimals[i] and _is_number(c) else _cell(c) for i, c in enumerate(r)]
                          for r in table.values]
            table.numeric = [i > 0 and all(_is_number(r[i]) or r[i] in (None, "") for r in table.values)
                             and any(_is_number(r[i]) for r in table.values) for i in range(width)]
        self.read.tables.append(table)


def _sheet_tables(name: str, rows: Any, source: str, read: Read) -> None:
    sheet = _Sheet(name, source, read)
    before = len(read.tables)
    for number, row in enumerate(rows, 1):
        sheet.feed(number, list(row))
    sheet.close()
    if len(read.tables) == before and sheet.titles:
        read.findings.append(Finding(name, "", (
            "只有标题，找不到表格（expected 标题行、「单位：万元」行之后是表头行，再往下是数据）")))


BYTES_PER_CELL = 32  # the fewest bytes a cell takes in sheet XML (foundation/privacy/readers/xlsx.py)


class TooManyCells(ValueError):
    """A workbook holds more cells than MAX_TABLE_CELLS (a sheet can claim ten million rows in
    under a megabyte)."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"超过 {limit:,} 个单元格")


def _rows(rows: Any, limit: int, counted: list[int]) -> Any:
    for row in rows:
        counted[0] += len(row)
        if counted[0] > limit:
            raise TooManyCells(limit)
        yield list(row)


_CSV_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def _csv_value(text: str) -> Any:
    """A CSV cell as Excel would hold it: 1,200.50 and 135000 are numbers, the rest is text."""
    plain = text.strip()
    if _CSV_NUMBER.fullmatch(plain):
        number = plain.replace(",", "")
        return float(number) if "." in number else int(number)
    return text


def read_tables(path: Path, max_cells: int = 1_000_000) -> Read:
    """Every table of an XLSX file (several may share a sheet), or the one table of a CSV file,
    with what is wrong in them (TooManyCells past `max_cells`)."""
    counted = [0]
    read = Read()
    if path.suffix.lower() == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        rows = ([_csv_value(c) for c in row] for row in csv.reader(io.StringIO(text)))
        _sheet_tables(path.stem, _rows(rows, max_cells, counted), path.name, read)
        return read
    with zipfile.ZipFile(path) as package:
        # Known before anything is expanded: a sheet of this size holds too many cells (openpyxl
        # would first scan all of it for its dimensions: 27 s for a million rows).
        sheets = sum(i.file_size for i in package.infolist() if i.filename.startswith("xl/worksheets/"))
    if sheets > max_cells * BYTES_PER_CELL:
        raise TooManyCells(max_cells)
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            _sheet_tables(ws.title, _rows(ws.iter_rows(values_only=True), max_cells, counted), path.name, read)
    finally:
        wb.close()
    # A formula saved without its value is refused by the privacy guard, naming its cell
    # (foundation/privacy/readers/xlsx.py): what it would show cannot be checked.
    return read


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _figure(value: Any, unit: Decimal) -> Decimal | None:
    if _is_number(value):
        return (Decimal(str(value)) * unit).quantize(Decimal("0.01"))
    return None


def _vertical(table: Table) -> dict[str, Decimal]:
    """Items as row labels (「因公出国（境）费 | 13.5」), the figure in the first number of the row."""
    out: dict[str, Decimal] = {}
    for row in table.values:
        label = _cell(row[0]).strip("\u3000 ")
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
    body = [r for r in table.values if any(_is_number(c) for c in r)]
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
