"""Office Open XML (DOCX, XLSX, PPTX) and OFD: every part of the package, as a reader sees it.

Every XML part is read, not only the body: headers and footers, comments, footnotes,
document properties (docProps/core.xml: author, title …), defined names, tracked
deletions, alt text and link targets (attribute values).  Text of consecutive runs of
a paragraph is joined as Word shows it; paragraphs, cells and elements that are not
runs are kept apart, so that two numbers are never glued into one.  Tables are also
given with each cell under its column header (text.labelled_cells).

Workbooks are read cell by cell (xlsx.py): numbers written out in full, formulas with
their literals.  Images, embedded files and objects inside the package are read as
their own type (OCR for images).  XML is parsed with defusedxml: no entity expansion,
no external references.
"""
from __future__ import annotations

import io
import re
from pathlib import PurePosixPath
from typing import Any

from defusedxml.ElementTree import iterparse

from . import Context, Part, Reading, Refused, Unreadable, read_bytes
from .legacy import binary_strings
from .package import members
from .text import labelled_cells, table_part

# Elements that begin a new line: paragraphs, breaks, table rows and cells, list items.
BLOCK = {"p", "br", "cr", "tr", "tc", "tbl", "si", "row", "txbx", "txbxContent", "sp", "comment", "footnote",
         "endnote", "shape", "textbox", "TextObject", "Page", "Annot", "CustomTag"}
# Elements whose text is a run of its paragraph: joined to the text before it as it is.
RUN_TEXT = {"t", "delText", "instrText"}
# What members are, by name, for the place a finding names.
_PLACES = ((r"word/document\.xml", "正文"), (r"word/header\d*\.xml", "页眉"), (r"word/footer\d*\.xml", "页脚"),
           (r"(word|xl|ppt)/comments.*\.xml", "批注"), (r"word/footnotes\.xml", "脚注"), (r"word/endnotes\.xml", "尾注"),
           (r"docProps/(core|app)\.xml", "文档属性"), (r"docProps/custom\.xml", "自定义属性"),
           (r"xl/workbook\.xml", "工作簿（名称定义）"), (r"ppt/slides/slide(\d+)\.xml", "第 {0} 张幻灯片"),
           (r"ppt/notesSlides/notesSlide(\d+)\.xml", "第 {0} 张幻灯片的备注"),
           (r"Doc_\d+/Pages/Page_(\d+)/Content\.xml", "第 {1} 页"), (r"OFD\.xml", "文档属性"))
SKIPPED = (".odttf", ".ttf", ".otf", ".fntdata", ".ttc")  # fonts: glyphs, no text a reader sees
XML_TYPES = (".xml", ".rels", ".vml")


def place(name: str) -> str:
    for pattern, label in _PLACES:
        m = re.fullmatch(pattern, name)
        if m:
            groups = m.groups()
            return label.format(*groups, *(str(int(g) + 1) for g in groups if g and g.isdigit()))
    return name


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _XmlText:
    """The text of an XML part as it is parsed, element by element (see xml_text)."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.tables: list[list[list[list[str]]]] = []   # open tables: rows of cells of text pieces
        self.cells: list[tuple[str | int, str]] = []
        self.boxes: list[Any] = []                       # OFD text objects on the current line

    def start(self, tag: str, el: Any) -> None:
        """An element begins: line breaks, tabs and gaps before it, table structure, attribute text."""
        out = self.out
        if tag in BLOCK:
            out.append("\n")
        if tag == "tab":
            out.append("\t")
        if tag == "TextObject":
            out.append(_ofd_gap(self.boxes, el.get("Boundary", "")))
        if tag in ("tbl", "tr", "tc"):
            self._open(tag)
        values = [v for k, v in el.attrib.items() if _worth(v)]
        if values:
            out.append("\n" + "\n".join(values) + "\n")

    def _open(self, tag: str) -> None:
        tables = self.tables
        if tag == "tbl":
            tables.append([])
        elif tag == "tr" and tables:
            tables[-1].append([])
        elif tag == "tc" and tables and tables[-1]:
            tables[-1][-1].append([])

    def end(self, tag: str, el: Any) -> None:
        """An element ends: its text (a run joined to its paragraph, anything else on its own
        line, and into the table cell it is in); a table's cells under their headers."""
        text = el.text if len(el) == 0 and el.text and el.text.strip() else ""
        tables = self.tables
        if text:
            self.out.append(text if tag in RUN_TEXT or tag == "TextCode" else f"\n{text}\n")
            if tables and tables[-1] and tables[-1][-1]:
                tables[-1][-1][-1].append(text)
        if tag == "tbl" and tables:
            self._close_table()

    def _close_table(self) -> None:
        rows = [["".join(c) for c in row] for row in self.tables.pop()]
        self.cells += [(f"表格第 {r + 1} 行", cell) for r, cell in labelled_cells(rows)]


def xml_text(data: bytes) -> tuple[str, list[tuple[str | int, str]]]:
    """(the text of an XML part, its table cells under their headers)."""
    part = _XmlText()
    start, end = part.start, part.end
    try:
        for event, el in iterparse(io.BytesIO(data), events=("start", "end")):
            if event == "start":
                start(_local(el.tag), el)
            else:
                end(_local(el.tag), el)
                el.clear()
    except Exception as exc:  # noqa: BLE001 - defusedxml's refusals and any malformed XML
        raise Unreadable(f"XML 内容无法解析（{type(exc).__name__}）") from exc
    return "".join(part.out), part.cells


def _worth(value: str) -> bool:
    """Attribute values that can hold text: not identifiers of the format (rId7, 00A1B2C3) or
    short numbers (sizes, positions)."""
    v = value.strip()
    return len(v) >= 2 and not re.fullmatch(r"-?[\d.]{1,10}|[A-Za-z]{0,6}\d{0,6}|[0-9A-Fa-f]{8}|\{[0-9A-Fa-f-]+\}", v)


def _ofd_gap(boxes: list[Any], boundary: str) -> str:
    """What separates an OFD text object from the one before: a line break on another line,
    a tab across a column gap, a space otherwise."""
    try:
        x, y, w, h = (float(v) for v in boundary.split()[:4])
    except ValueError:
        return " "
    previous = boxes[-1] if boxes else None
    boxes[:] = [(x, y, w, h)]
    if previous is None:
        return "\n"
    px, py, pw, ph = previous
    if abs(y - py) > max(h, ph) / 2:
        return "\n"
    return "\t" if x - (px + pw) > 1.5 * max(h, ph, 1.0) else " "


def read_member(name: str, data: bytes, ctx: Context, reading: Reading, package: str, strict: bool = False) -> None:
    """One member of a package (or, `strict`, of an archive: a member of a type that is not
    read is refused, as the file would be on its own), into `reading`."""
    suffix = PurePosixPath(name).suffix.lower() or PurePosixPath(name).name.lower()  # ".rels" has no suffix
    prefix = f"{package}中的「{name}」"
    if strict:
        try:
            reading.add(read_bytes(data, name, ctx.inner()), prefix)
        except Unreadable as exc:
            raise type(exc)(f"{prefix}：{exc.reason}", exc.fix) from exc
        return
    if suffix in SKIPPED:
        return
    if suffix in XML_TYPES:
        text, cells = xml_text(data)
        reading.parts.append(Part(place(name), text))
        table = table_part(cells, f"{place(name)} 表格")
        if table is not None:
            reading.parts.append(table)
        return
    try:
        inner = read_bytes(data, name, ctx.inner())
    except Refused:
        # Embedded OLE objects, macros, vector images (EMF keeps its text as UTF-16): their strings.
        inner = Reading([Part("", binary_strings(data))])
    reading.add(inner, prefix)


def read_package(data: bytes, ctx: Context, kind: str = "文档") -> Reading:
    from . import xlsx

    reading = Reading()
    contents = list(members(data, ctx, kind, xlsx.too_many_cells(ctx.limits.cells)))
    names = {n for n, _d in contents}
    if "xl/workbook.xml" in names:
        xlsx.read_cells(dict(contents), ctx, reading)
    for name, member in contents:
        if xlsx.is_cell_part(name):
            continue  # read cell by cell above
        read_member(name, member, ctx, reading, kind)
    return reading


READERS = {s: read_package for s in (".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".xltx", ".pptx", ".pptm", ".ofd")}
