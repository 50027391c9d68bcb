"""Legacy Excel (XLS), and the strings of binary data that no library reads part by part.

An XLS workbook is read cell by cell with xlrd (numbers written out in full, notes),
its properties with olefile, and then every string of every stream of the file: text
in an XLS is either Latin-1 or UTF-16, so the strings of the file hold whatever a
page header, a defined name or a chart title says, including what xlrd does not read.
"""
from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from . import Context, Part, Reading, Unreadable

_LATIN = re.compile(rb"[\x20-\x7e]{4,}")
# Readable UTF-16 text: ASCII, CJK punctuation and ideographs, full-width forms.
_WIDE = re.compile("[\u0020-\u007e\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]{4,}")


def binary_strings(data: bytes) -> str:
    """The runs of readable text in binary data, as ASCII and as UTF-16 (both alignments)."""
    out = [m[0].decode("ascii") for m in _LATIN.finditer(data)]
    for shift in (0, 1):
        chunk = data[shift:len(data) - (len(data) - shift) % 2]
        out += _WIDE.findall(chunk.decode("utf-16-le", "replace"))
    return "\n".join(out)


def _number(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return format(Decimal(repr(value)).normalize(), "f")


def _ole_strings(data: bytes) -> tuple[str, str]:
    """(the document properties, the strings of every stream) of an OLE file."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except OSError as exc:
        raise Unreadable(f"文件已损坏，无法打开（{exc}）") from exc
    with ole:
        meta = ole.get_metadata()
        props = []
        for name in meta.SUMMARY_ATTRIBS + meta.DOCSUM_ATTRIBS:
            value = getattr(meta, name, None)
            if isinstance(value, bytes):
                value = value.decode("gb18030", "replace")
            if isinstance(value, str) and value.strip():
                props.append(f"{name}: {value}")
        streams = [binary_strings(ole.openstream(entry).read()) for entry in ole.listdir(streams=True, storages=False)]
    return "\n".join(props), "\n".join(streams)


def _sheet_texts(sheet: Any) -> tuple[list[str], list[str]]:
    """(cell references, shown texts) of a sheet's numbers and text, then of its notes."""
    import xlrd

    refs, texts = [], []
    for r in range(sheet.nrows):
        for c, cell in enumerate(sheet.row(r)):
            if cell.ctype == xlrd.XL_CELL_NUMBER:
                shown = _number(cell.value)
            elif cell.ctype == xlrd.XL_CELL_TEXT:
                shown = str(cell.value).replace("\n", " ")
            else:
                continue
            refs.append(xlrd.cellname(r, c))
            texts.append(shown)
    for (r, c), note in sheet.cell_note_map.items():
        refs.append(f"{xlrd.cellname(r, c)} 批注")
        texts.append(f"{note.author} {note.text}".replace("\n", " "))
    return refs, texts


def _sheet_parts(name: str, refs: list[str], texts: list[str]) -> list[Part]:
    """A sheet's texts, and its long numbers again as lossy (Excel keeps 15 significant digits)."""
    parts: list[Part] = []
    if texts:
        parts.append(Part(f"工作表「{name}」", "\n".join(texts), tuple(refs)))
    lossy = [(ref, t) for ref, t in zip(refs, texts) if t.isdigit() and len(t) >= 15]
    if lossy:
        parts.append(Part(f"工作表「{name}」", "\n".join(t for _r, t in lossy), tuple(r for r, _t in lossy), lossy=True))
    return parts


def read_xls(data: bytes, ctx: Context) -> Reading:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds for damaged files
        raise Unreadable(f"XLS 文件无法打开（{type(exc).__name__}: {exc}）", "请用 Excel 另存为 .xlsx 后再附上") from exc
    reading = Reading()
    try:
        for sheet in book.sheets():
            reading.parts += _sheet_parts(sheet.name, *_sheet_texts(sheet))
    finally:
        book.release_resources()
    props, strings = _ole_strings(data)
    if props:
        reading.parts.append(Part("文档属性", props))
    reading.parts.append(Part("文件中的其他文字", strings))
    return reading


READERS = {".xls": read_xls}
