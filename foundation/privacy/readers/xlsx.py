"""Cells of an XLSX workbook, read from its sheet XML: what Excel shows in each cell.

- Numbers are written out in full.  A number read as a float prints as
  1.101051990030712e+17; Excel shows 110105199003071000 for an ID typed into a number
  cell (its last digits lost: Excel keeps 15 significant digits).  Such long numbers
  are also given as a *lossy* part, checked for the digits that remain (detect.py).
- A formula's literals are read ("138"&"0013"&"8000" shows a mobile), and a formula
  cell saved without its value is refused: what it shows cannot be known without
  recalculating it (files written by programs rather than by Excel are so).
- Each column's header (the first text above it in the first rows) labels its cells.
"""
from __future__ import annotations

import io
import posixpath
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from defusedxml.ElementTree import fromstring, iterparse

from . import Context, Part, Reading, Unreadable
from .text import table_part

HEADER_ROWS = 10
LOSSY_FROM = Decimal(10) ** 14   # numbers this large hold identifiers, not amounts
# The fewest bytes a cell takes in sheet XML (<c r="A1"><v>1</v></c> is 22): a sheet larger than
# this many bytes a cell allowed holds too many cells, known before it is expanded.
BYTES_PER_CELL = 32
_SHEET = re.compile(r"xl/(worksheets|chartsheets|dialogsheets)/[^/]+\.xml")
_LITERAL = re.compile(r'"((?:[^"]|"")*)"')
_REF = re.compile(r"([A-Z]+)(\d+)")


def too_many_cells(limit: int) -> Callable[[str, int], str]:
    """A check for package members (package.members): a sheet whose size allows more than `limit` cells."""
    def check(name: str, size: int) -> str:
        if _SHEET.fullmatch(name) and size > limit * BYTES_PER_CELL:
            return f"工作表 {name} 展开后 {size / 1024 / 1024:.0f} MB，超过可读取的 {limit:,} 个单元格（设置 MAX_TABLE_CELLS）"
        return ""
    return check


def is_cell_part(name: str) -> bool:
    return name == "xl/sharedStrings.xml" or _SHEET.fullmatch(name) is not None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _shared_strings(data: bytes | None) -> list[str]:
    if data is None:
        return []
    out: list[str] = []
    current: list[str] = []
    for event, el in iterparse(io.BytesIO(data), events=("start", "end")):
        tag = _local(el.tag)
        if event == "start" and tag == "si":
            current = []
        elif event == "end":
            if tag == "t" and el.text:
                current.append(el.text)
            elif tag == "si":
                out.append("".join(current))
                el.clear()
    return out


def _sheet_names(files: dict[str, bytes]) -> dict[str, str]:
    """Sheet part path → the sheet's name."""
    try:
        book = fromstring(files["xl/workbook.xml"])
        rels = fromstring(files.get("xl/_rels/workbook.xml.rels", b"<Relationships/>"))
    except Exception as exc:  # noqa: BLE001
        raise Unreadable(f"工作簿结构无法解析（{type(exc).__name__}）") from exc
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in (e for e in book.iter() if _local(e.tag) == "sheet"):
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        out[path] = sheet.get("name", path)
    return out


def display(kind: str, value: str, shared: list[str]) -> str:
    """What Excel shows for a cell's stored value (numbers in full, not as floats)."""
    if kind == "s":
        try:
            return shared[int(value)]
        except (ValueError, IndexError):
            return value
    if kind in ("str", "inlineStr", "e", "b"):
        return value
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


_HEADERS_FOOTERS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")


class _SheetReader:
    """The cells of one sheet and its other text, read element by element (see _cells)."""

    def __init__(self, shared: list[str], sheet: str, ctx: Context, counted: list[int]):
        self.shared, self.sheet, self.ctx, self.counted = shared, sheet, ctx, counted
        self.cells: list[tuple[str, str]] = []
        self.lossy: list[tuple[str, str]] = []
        self.other: list[tuple[str, str]] = []
        # The cell being read: its reference, type, formula, stored value, inline text.
        self.ref = self.kind = self.formula = self.value = ""
        self.inline: list[str] = []

    def read(self, data: bytes) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
        for event, el in iterparse(io.BytesIO(data), events=("start", "end")):
            tag = _local(el.tag)
            if event == "start":
                if tag == "c":
                    self.ref, self.kind, self.formula, self.value, self.inline = \
                        el.get("r", ""), el.get("t", "n"), "", "", []
                continue
            if tag == "f":
                self.formula = el.text or self.formula or "="
            elif tag == "v":
                self.value = el.text or ""
            elif tag == "t" and el.text:
                self.inline.append(el.text)
            elif tag == "c":
                self._end_cell()
                el.clear()
            else:
                self._other_text(tag, el)
        return self.cells, self.lossy, self.other

    def _end_cell(self) -> None:
        """The cell just read: counted, refused if its formula has no saved value, else kept."""
        self.counted[0] += 1
        if self.counted[0] > self.ctx.limits.cells:
            raise Unreadable(f"工作簿超过 {self.ctx.limits.cells:,} 个单元格", "请拆分该工作簿；设置 MAX_TABLE_CELLS")
        kind, value, formula, ref = self.kind, self.value, self.formula, self.ref
        if kind == "inlineStr":
            value = "".join(self.inline)
        if formula and not value and kind != "inlineStr":
            raise Unreadable(f"工作表「{self.sheet}」{ref} 单元格的公式没有保存计算结果，无法确认它显示的内容",
                             "请在 Excel 中打开并保存一次，或把公式单元格粘贴为数值")
        shown = display(kind, value, self.shared)
        if shown:
            self.cells.append((ref, shown))
        if kind == "n" and value and _long_number(value):
            self.lossy.append((ref, shown))
        if formula and formula != "=":
            literals = "".join(m.replace('""', '"') for m in _LITERAL.findall(formula))
            self.cells.append((f"{ref} 公式", f"{formula}\n{literals}"))

    def _other_text(self, tag: str, el: Any) -> None:
        """Text outside cells: page headers and footers, and any other leaf element's."""
        if tag in _HEADERS_FOOTERS and el.text:
            self.other.append(("页眉页脚", el.text))
        elif len(el) == 0 and el.text and el.text.strip() and tag not in ("v", "f", "t"):
            self.other.append(("", el.text))


def _cells(data: bytes, shared: list[str], sheet: str, ctx: Context, counted: list[int]) -> tuple[
        list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """(ref, shown text) of every cell, (ref, digits) of its long numbers, and the sheet's
    other text (headers and footers …) as (place, text)."""
    return _SheetReader(shared, sheet, ctx, counted).read(data)


def _long_number(value: str) -> bool:
    try:
        return abs(Decimal(value)) >= LOSSY_FROM
    except InvalidOperation:
        return False


def _headers(cells: list[tuple[str, str]]) -> list[tuple[str | int, str]]:
    """Each cell under the header of its column: the first text in the column's first rows."""
    header: dict[str, str] = {}
    out: list[tuple[str | int, str]] = []
    for ref, shown in cells:
        m = _REF.fullmatch(ref)
        if not m:
            continue
        column, row = m[1], int(m[2])
        if column not in header:
            if row <= HEADER_ROWS and not re.fullmatch(r"[\d.,\s-]*", shown):
                header[column] = shown
            continue
        out.append((ref, f"{header[column]}：{shown}"))
    return out


def _sheet_cells(data: bytes, shared: list[str], sheet: str, ctx: Context, counted: list[int]) -> tuple[
        list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """_cells, with malformed sheet XML refused as unreadable."""
    try:
        return _cells(data, shared, sheet, ctx, counted)
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - malformed sheet XML
        raise Unreadable(f"工作表「{sheet}」无法解析（{type(exc).__name__}）") from exc


def _sheet_parts(where: str, cells: list[tuple[str, str]], lossy: list[tuple[str, str]],
                 other: list[tuple[str, str]]) -> list[Part]:
    """The parts of one sheet: its cells, its long numbers (lossy), its other text, its table."""
    parts: list[Part] = []
    if cells:
        parts.append(Part(where, "\n".join(v.replace("\n", " ") for _r, v in cells), tuple(r for r, _v in cells)))
    if lossy:
        parts.append(Part(where, "\n".join(v for _r, v in lossy), tuple(r for r, _v in lossy), lossy=True))
    if other:
        parts.append(Part(f"{where} 其他内容", "\n".join(t for _p, t in other)))
    table = table_part(_headers(cells), where)
    if table is not None:
        parts.append(table)
    return parts


def read_cells(files: dict[str, bytes], ctx: Context, reading: Reading) -> None:
    shared = _shared_strings(files.get("xl/sharedStrings.xml"))
    names = _sheet_names(files)
    counted = [0]
    for path in sorted(n for n in files if _SHEET.fullmatch(n)):
        sheet = names.get(path, path)
        reading.parts += _sheet_parts(f"工作表「{sheet}」", *_sheet_cells(files[path], shared, sheet, ctx, counted))
    # Strings not used by any cell are still in the file: read them all once more.
    if shared:
        reading.parts.append(Part("共享字符串", "\n".join(s.replace("\n", " ") for s in shared)))
