"""Tables read from budget workbooks (预算法 第十四条): XLSX sheets (openpyxl) or CSV files.

Readers expect the figures as a readable table beside the original file, and a
table with no data still shown with its reason (domain.md §7).  A sheet may hold
several tables, each laid out as real 部门预算/决算公开 workbooks are (docs/budgets.md);
what is wrong in them is named by sheet and row.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

EMPTY_MARK = "本表无数据"
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


def cell_text(value: Any) -> str:
    """A cell as shown: numbers with thousands separators (two decimals for a float), text stripped."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).strip()


def _filled(row: list[Any]) -> list[tuple[int, Any]]:
    return [(i, c) for i, c in enumerate(row) if c is not None and str(c).strip() != ""]


def is_number(value: Any) -> bool:
    """A number as a sheet holds it (True and False are not)."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _unit_of(texts: list[str]) -> Decimal | None:
    for text in texts:
        m = _UNIT.search(text) or _UNIT_IN_HEADER.search(text)
        if m:
            return UNITS[m["unit"]]
    return None


@dataclass
class _Block:
    """A table being read: its header row(s), body rows and notes, with their sheet rows."""

    header: list[Any]
    row: int                                                   # the sheet row of the header
    upper: list[Any] = field(default_factory=list)             # a two-row header's upper labels
    body: list[list[Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)           # the sheet row of each body row
    notes: list[tuple[int, str]] = field(default_factory=list)


_TABLE_NUMBER = re.compile(r"表\s*[0-9一二三四五六七八九十]+")


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
        self.table: _Block | None = None
        self.gap = True

    def feed(self, number: int, row: list[Any]) -> None:
        """Take the sheet's next row (1-based `number`)."""
        filled = _filled(row)
        if not filled:
            self.gap = True
            return
        texts = [str(c).strip() for _i, c in filled]
        if not self._around_table(number, filled, texts):
            self._in_table(number, row, filled)
        self.gap = False

    def _around_table(self, number: int, filled: list[tuple[int, Any]], texts: list[str]) -> bool:
        """A 单位 row, a note or a title: True when the row is one (and taken), not a table row."""
        one = len(filled) == 1 and not is_number(filled[0][1])
        if _is_label_row(filled, texts) and (self.table is None or self.table.body):
            self.close()
            self.unit = _unit_of(texts) or self.unit
        elif one and _NOTE.match(texts[0]) and self.table is not None:
            self.table.notes.append((number, texts[0]))
        elif one and EMPTY_MARK not in texts[0] and (self.table is None or self.gap and self.table.body):
            self.close()
            self.titles.append(texts[0])
        else:
            return False
        return True

    def _in_table(self, number: int, row: list[Any], filled: list[tuple[int, Any]]) -> None:
        """The header, a second header row under merged cells, or a body row."""
        if self.table is None:
            self.table = _Block(list(row), number)
        elif not self.table.body and filled[0][0] > 0 and not any(is_number(c) for _i, c in filled):
            # A second header row under merged cells (its first column is part of the merge).
            upper, lower = self.table.header, list(row) + [None] * len(self.table.header)
            parents = _parents(upper, lower)
            self.table.upper = parents
            self.table.header = [
                (f"{parent}：{cell_text(below)}" if parent and cell_text(below) != parent else cell_text(below))
                if below not in (None, "") else top for top, below, parent in zip(upper, lower, parents)]
        else:
            self.table.body.append(list(row))
            self.table.numbers.append(number)

    def close(self) -> None:
        """The table being read is complete: add it to the sheet's tables."""
        t, self.table = self.table, None
        if t is None:
            return
        caption = self._caption()
        header = _header(t)
        width = len(header)
        unit = _unit_of(header) or self.unit or Decimal(1)
        table = Table(caption, header, [], source=self.source, sheet=self.name, first_row=t.row, unit=unit,
                      parents=[cell_text(c) for c in (t.upper + [None] * width)[:width]] if t.upper else [])
        table.notes = [x for _n, x in t.notes]
        if not self._no_data(table, t):
            _fill(table, t)
        self.read.tables.append(table)

    def _caption(self) -> str:
        """The table's title rows as one caption, its number (「表7」) first; the sheet's name without."""
        caption = " ".join(x for x in self.titles if not _TABLE_NUMBER.fullmatch(x)) or self.name
        number_only = next((x for x in self.titles if _TABLE_NUMBER.fullmatch(x)), "")
        if number_only and number_only not in caption:
            caption = f"{number_only} {caption}"
        self.titles = []
        return caption

    def _no_data(self, table: Table, t: _Block) -> bool:
        """A table marked 「本表无数据」 (True): shown with its reason, and a finding when there is none."""
        marked = _empty_mark(t)
        if marked is None:
            return False
        first, reason, inline = marked
        table.empty_reason = reason or inline or EMPTY_MARK
        table.notes = [x for x in table.notes if x != table.empty_reason]
        if not reason and not inline:
            self.read.findings.append(Finding(self.name, f"第 {first} 行", (
                f"「{table.caption}」标为「本表无数据」却没有说明原因（expected 在下一行写明原因，例如"
                "「说明：本单位无政府性基金预算收支，故本表无数据。」）")))
        return True


def _is_label_row(filled: list[tuple[int, Any]], texts: list[str]) -> bool:
    """A row of labels above a table: 「部门：…」, 「单位：万元」 (no numbers)."""
    return all(not is_number(c) for _i, c in filled) and any(_LABEL_ROW.search(t) or _UNIT.search(t) for t in texts)


def _empty_mark(t: _Block) -> tuple[int, str, str] | None:
    """For a table marked 「本表无数据」: the row of the mark, the reason written beside or under it,
    and a mark that is its own reason (「本表无数据，因……」); None for a table with data."""
    texts = [(n, cell_text(c)) for n, r in zip(t.numbers, t.body) for c in r if c not in (None, "")]
    marks = [n for n, x in texts if EMPTY_MARK in x]
    if not marks:
        return None
    reasons = [x for _n, x in texts if EMPTY_MARK not in x] + [x for _n, x in t.notes]
    reason = next((x for x in reasons if x), "")
    inline = next((x for _n, x in texts if EMPTY_MARK in x and x.strip("。 ") != EMPTY_MARK), "")
    return marks[0], reason, inline


def _parents(upper: list[Any], lower: list[Any]) -> list[str | None]:
    """For each column of a two-row header, the merged top cell above it (None where there is none)."""
    parents: list[str | None] = []
    last = None
    for top, below in zip(upper, lower):
        if top not in (None, ""):
            last = cell_text(top)
        elif below in (None, ""):
            last = None
        parents.append(last if below not in (None, "") else None)   # a merged top cell covers the ones right of it
    return parents


def _header(t: _Block) -> list[str]:
    """The header as wide as the body, without empty columns at the right."""
    header = [cell_text(c) for c in t.header]
    width = max([len(header)] + [len(_filled(r)) and max(i for i, _c in _filled(r)) + 1 for r in t.body])
    header = (header + [""] * width)[:width]
    while header and not header[-1] and not any(len(r) >= len(header) and r[len(header) - 1] not in (None, "")
                                                for r in t.body):
        header.pop()
    return header


def _fill(table: Table, t: _Block) -> None:
    """The body of a table with data: values as read, shown text, numeric columns."""
    width = len(table.header)
    table.values = [(r + [None] * width)[:width] for r in t.body]
    table.row_numbers = list(t.numbers)
    # One format a column: 14 and 13.5 in one column read 14.00 and 13.50.
    decimals = [any(isinstance(r[i], float) and not r[i].is_integer() for r in table.values) for i in range(width)]
    table.rows = [[f"{c:,.2f}" if decimals[i] and is_number(c) else cell_text(c) for i, c in enumerate(r)]
                  for r in table.values]
    table.numeric = [i > 0 and _numeric([r[i] for r in table.values]) for i in range(width)]


def _numeric(column: list[Any]) -> bool:
    """A column of numbers (blanks allowed), right-aligned when shown."""
    return all(is_number(c) or c in (None, "") for c in column) and any(is_number(c) for c in column)


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


__all__ = ["EMPTY_MARK", "Finding", "Read", "Table", "TooManyCells", "UNITS", "cell_text", "is_number", "read_tables"]
