"""Parameters of the theme's components (theme/templates/components/), from the schema and the
entries: every rule a page applies (which fields a listing shows, whether a document is still in
force, which URL a filter has, which id a chart gets) is decided here, and templates only print."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundation.display import display
from foundation.fields import Field
from foundation.schema import IN_FORCE, field_map, fields_for, not_in_force

# A 政府信息公开目录 is looked up by 索引号, so it is the catalogue's first column; the other
# in_listing fields follow in schema order.
LISTING_FIRST = "index_no"
# Style hooks of the catalogue's columns (site.css: widths, no wrapping, hidden on phones).
CELL_CLASSES = {"index_no": "c-index", "publisher": "c-pub", "date": "c-date"}
# The field whose cell links the document.
TITLE_FIELD = "title"
# How a notice of a document no longer in force is styled (site.css .notice-*), by state.
NOTICE_VARIANTS = {"废止": "repealed", "失效": "expired"}
PENDING_VARIANT = "pending"


def listing_fields(column_key: str) -> list[Field]:
    """The catalogue's columns: the schema's in_listing fields, 索引号 first."""
    fields = [f for f in fields_for(column_key) if f.in_listing]
    return sorted(fields, key=lambda f: f.name != LISTING_FIRST)


@dataclass(frozen=True, slots=True)
class Header:
    label: str
    classes: str = ""


# Objects, not dicts: Jinja looks an attribute up before an item, and a listing page prints
# thousands of cells (dicts cost a failed attribute lookup each: 0.3 s a warm 1,512-entry build).
@dataclass(frozen=True, slots=True)
class Cell:
    kind: str            # title | date | text
    text: str
    classes: str = ""
    url: str = ""
    not_in_force: str = ""


def listing_columns(fields: list[Field]) -> list[Header]:
    """Header cells of the listing table."""
    return [Header(f.label, CELL_CLASSES.get(f.name, "")) for f in fields]


def listing_row(entry: Any, fields: list[Field]) -> list[Cell]:
    """One entry's cells of the listing table, in the order of `fields`."""
    cells = []
    for f in fields:
        value = getattr(entry, f.name, entry.metadata.get(f.name))
        text, classes = "" if value is None else display(value, f), CELL_CLASSES.get(f.name, "")
        if f.name == TITLE_FIELD:
            cells.append(Cell("title", text, classes, entry.url, not_in_force(entry.metadata)))
        else:
            cells.append(Cell("date" if f.kind == "date" else "text", text, classes))
    return cells


def notice_params(notice: Any) -> dict[str, Any] | None:
    """validity_notice's parameters for a policy's ValidityNotice (plugins/publication), or None."""
    if notice is None:
        return None
    replacement = notice.replacement
    return {
        "variant": PENDING_VARIANT if notice.pending else NOTICE_VARIANTS.get(notice.state, "expired"),
        "pending": notice.pending, "state": notice.state, "date": notice.date,
        "replacement": None if replacement is None else {
            "url": replacement.url, "title": replacement.title,
            "doc_no": getattr(replacement, "doc_no", "") or ""},
    }


def in_force_url(column_key: str) -> str:
    """The facet page of the column's documents in force (the 有效 value of 有效性), or ''."""
    f = field_map(column_key).get("validity")
    if f is None or not f.facet or IN_FORCE not in f.choices:
        return ""
    return f"{column_key}/{f.name}/{f.choice_slugs[f.choices.index(IN_FORCE)]}/"


def chart_ids(charts: dict[str, Any]) -> dict[str, str]:
    """A page-unique id for each department's chart (a listing page shows them all)."""
    return {department: f"chart-{n}" for n, department in enumerate(charts, 1)}


def apply(context: dict[str, Any], by_column: dict[str, list[Any]], listings: list[Any]) -> None:
    """Give entries and listing pages the parameters their components take."""
    charts = context.get("SANGONG_CHARTS") or {}
    ids = chart_ids(charts)
    fields_by_column = {key: listing_fields(key) for key in by_column}
    column_charts = {key: [{"id": ids[d], "chart": c} for d, c in charts.items()
                           if any(e.metadata.get("department") == d for e in entries)]
                     for key, entries in by_column.items()}
    for key, entries in by_column.items():
        for entry in entries:
            entry.listing_row = listing_row(entry, fields_by_column[key])
            entry.notice = notice_params(getattr(entry, "validity_notice", None))
            department = entry.metadata.get("department")
            chart = getattr(entry, "sangong_chart", None)
            entry.chart = {"id": ids[department], "chart": chart} if chart is not None else None
    for page in listings:
        key = page.column.key
        page.columns = listing_columns(fields_by_column[key])
        page.rows = [e.listing_row for e in page.entries]
        page.filter_groups = [{"label": "年份", "options": page.years}] + page.facets
        page.in_force_url = in_force_url(key)
        # The charts summarise the whole column: only its first, unfiltered page shows them.
        first = page.pagination.number == 1 and not page.filter_label
        page.charts = column_charts[key] if first else []


def sitemap_sections(structure: list[Any], columns: list[dict[str, Any]], proactive_url: str) -> list[dict[str, Any]]:
    """The sitemap's parts of the statutory structure; 法定主动公开内容 lists its columns."""
    return [{"text": s.text, "url": s.url, "columns": columns if s.url == proactive_url else []}
            for s in structure]
