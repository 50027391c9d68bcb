"""Report files, records and an HTML table reader for the annual report tests (a helper module, not tests)."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from tests.sitekit import FAKE_HASH, Site, front_matter, write_record as write_record_file

SECTIONS_BODY = """## 一、总体情况

本年度政务公开工作总体情况。

## 五、存在的主要问题及改进情况

存在的问题和改进措施。

## 六、其他需要报告的事项

无其他需要报告的事项。
"""

# Valid figures the editor supplies (Table 二's three, Table 四's twelve).
SUPPLIED: dict[str, Any] = {
    "licensing": 0, "enforcement": 0, "fees": 0,
    **{f"{g}_{r}": 0 for g in ("review", "direct", "after_review")
       for r in ("upheld", "corrected", "other", "pending")},
}


def report_text(year: int = 2023, date: str | None = None, body: str = SECTIONS_BODY, **fields: Any) -> str:
    values = {"year": year, "date": date or f"{year + 1}-01-20", **SUPPLIED, **fields}
    return front_matter(values) + body


def write_report(site: Site, year: int = 2023, rel: str | None = None, **kw: Any) -> Path:
    return site.write(rel or f"nb/{year}.md", report_text(year, **kw))


def write_record(site: Site, number: str, received: str, category: str = "自然人",
                 events: list[dict[str, Any]] | None = None) -> Path:
    """A record file beside content/ (a well-formed code hash: no 600 000 PBKDF2 rounds)."""
    return write_record_file(site.content.parent / "applications", number, stored=FAKE_HASH, received=received,
                             category=category, events=events or [])


def answer(date: str, outcome: str, reason: str | None = None) -> dict[str, Any]:
    event = {"event": "答复", "date": date, "outcome": outcome}
    return {**event, "reason": reason} if reason else event


# ------------------------------------------------------------------ reading tables back

Cell = tuple[str, str, int, int]   # (tag, text, rowspan, colspan)


class _Tables(HTMLParser):
    """Every <table>: its caption and rows of cells, with the text a reader sees (markers left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self._cell: list[Any] | None = None
        self._skip = 0
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "class": a.get("class", "")})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td"):
            self._cell = [tag, "", int(a.get("rowspan") or 1), int(a.get("colspan") or 1),
                          "supplied" in (a.get("class") or "")]
        elif tag == "sup" or (tag == "span" and "visually-hidden" in (a.get("class") or "")):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(tuple(self._cell))
            self._cell = None
        elif tag in ("sup", "span") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.tables[-1]["caption"] += data
        elif self._cell is not None and not self._skip:
            self._cell[1] += data.strip()


def tables(html: str) -> list[dict[str, Any]]:
    """The report tables of a page: caption, class, and rows of (tag, text, rowspan, colspan, supplied)."""
    parser = _Tables()
    parser.feed(html)
    return [t for t in parser.tables if "report-table" in t["class"]]


def grid_widths(rows: list[list[tuple[Any, ...]]]) -> list[int]:
    """How many grid columns each row covers under HTML's table model (spans from rows above count)."""
    taken: set[tuple[int, int]] = set()
    for y, row in enumerate(rows):
        x = 0
        for cell in row:
            while (y, x) in taken:
                x += 1
            taken |= {(y + dy, x + dx) for dy in range(cell[2]) for dx in range(cell[3])}
            x += cell[3]
    return [len({x for (yy, x) in taken if yy == y}) for y in range(len(rows))]


def figures(table: dict[str, Any]) -> dict[str, list[str]]:
    """Each body row's last label → its figures (numbers as text), in column order."""
    out: dict[str, list[str]] = {}
    for row in table["rows"]:
        labels = [c[1] for c in row if c[0] == "th"]
        values = [c[1] for c in row if c[0] == "td"]
        if labels and values:
            out[labels[-1]] = values
    return out
