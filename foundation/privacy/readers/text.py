"""Text files: decoded as their encoding says, with table columns labelled by their header.

A number in a table is often labelled only by its column's header (「银行卡号」 three
rows up); each table is also given as lines 「header：cell」, so that the detectors
see the label beside every cell.  Tables are read from HTML (<table>), Markdown
(pipe tables) and CSV.
"""
from __future__ import annotations

import csv
import html
import io
import re

from . import Context, Part, Reading

TEXT_TYPES = (".md", ".markdown", ".txt", ".html", ".htm", ".xml", ".json", ".csv", ".tsv", ".svg", ".css",
              ".js", ".jsonld", ".rss", ".atom", ".xsl", ".py", ".yaml", ".yml")
MAX_TABLE_ROWS = 5000


def decode_bytes(data: bytes) -> str:
    """Text in UTF-8 (with or without BOM), UTF-16 with a BOM, else GB 18030 (Chinese Windows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


# Headers that label what their column holds for a detector that needs a label (cards,
# accounts, passports and permits: detect.py); other columns need none, and are left out.
# (Case-sensitive alternatives: re.IGNORECASE made this search ten times slower on Chinese pages.)
LABELLING = re.compile(r"卡|账|帐|户名|开户|银行|护照|通行证|证件|台胞|回乡|居留|[Cc]ard|CARD|[Aa]cc(?:oun)?t|ACC(?:OUN)?T|"
                       r"[Pp]assport|PASSPORT")


def labelled_cells(rows: list[list[str]]) -> list[tuple[int, str]]:
    """(row, 「header：cell」) for each cell below the first row whose header labels it."""
    if len(rows) < 2:
        return []
    header = [" ".join(h.split()) if LABELLING.search(h) else "" for h in rows[0]]
    lines = []
    for r, row in enumerate(rows[1:MAX_TABLE_ROWS], 1):
        for i, cell in enumerate(row):
            if i < len(header) and header[i] and cell.strip():
                lines.append((r, f"{header[i]}：{' '.join(cell.split())}"))
    return lines


def table_part(cells: list[tuple[str | int, str]], where: str = "表格") -> Part | None:
    """A part of labelled cells, each line located by its label: a line of the file (int)
    or a place (str)."""
    if not cells:
        return None
    text = "\n".join(cell.replace("\n", " ") for _label, cell in cells)
    if all(isinstance(label, int) for label, _cell in cells):
        return Part(where, text, file_lines=tuple(int(label) for label, _cell in cells))
    return Part(where, text, tuple(str(label) for label, _cell in cells))


_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_ROW = re.compile(r"<tr\b.*?(?:</tr>|(?=<tr\b)|$)", re.S | re.I)
_CELL = re.compile(r"<t[hd]\b[^>]*>(.*?)(?:</t[hd]>|(?=<t[hd]\b)|$)", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


def html_tables(text: str) -> list[tuple[str | int, str]]:
    out = []
    for n, table in enumerate(_TABLE.finditer(text), 1):
        rows = [[html.unescape(_TAG.sub(" ", c)) for c in _CELL.findall(r[0])] for r in _ROW.finditer(table[0])]
        out += [(f"第 {n} 个表格", cell) for _r, cell in labelled_cells([r for r in rows if r])]
    return out


_PIPE_ROW = re.compile(r"^\s*\|?(.*?)\|?\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def markdown_tables(text: str) -> list[tuple[str | int, str]]:
    """Pipe tables (a row, a rule line |---|---|, rows), each cell labelled by its line."""
    lines = text.split("\n")
    out = []
    i = 0
    while i + 1 < len(lines):
        if "|" in lines[i] and _RULE.match(lines[i + 1]):
            rows, numbers = [_cells(lines[i])], [i + 1]
            j = i + 2
            while j < len(lines) and "|" in lines[j]:
                rows.append(_cells(lines[j]))
                numbers.append(j + 1)
                j += 1
            out += [(numbers[r], cell) for r, cell in labelled_cells(rows)]
            i = j
        else:
            i += 1
    return out


def _cells(line: str) -> list[str]:
    inner = _PIPE_ROW.match(line)
    return [c.strip() for c in (inner[1] if inner else line).split("|")]


def csv_tables(text: str, delimiter: str) -> list[tuple[str | int, str]]:
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        return []
    return [(f"第 {r + 1} 行", cell) for r, cell in labelled_cells(rows)]  # CSV rows may span lines


def read_text(data: bytes, ctx: Context, suffix: str) -> Reading:
    text = decode_bytes(data)
    parts = [Part("", text)]
    if suffix in (".html", ".htm", ".xml", ".rss", ".atom", ".svg") and "<table" in text and LABELLING.search(text):
        tables = html_tables(text)
    elif suffix in (".md", ".markdown"):
        tables = markdown_tables(text) if "|" in text else []
    elif suffix in (".csv", ".tsv"):
        tables = csv_tables(text, "\t" if suffix == ".tsv" else ",")
    else:
        tables = []
    table = table_part(tables)
    if table is not None:
        parts.append(table)
    return Reading(parts)


def _reader(suffix: str):  # noqa: ANN202 - a Reader
    return lambda data, ctx: read_text(data, ctx, suffix)


READERS = {suffix: _reader(suffix) for suffix in TEXT_TYPES}
