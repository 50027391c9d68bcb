"""View models of the portal, built from entries and the schema (templates stay logic-free)."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from foundation.display import Link, display, newest_first, page_window
from foundation.fields import Field
from foundation.schema import COLUMNS, STRUCTURE, fields_for

# Where a pagination bar skips pages: a link without a URL (the theme shows "…").
GAP = Link("…", "")


@dataclass
class Pagination:
    number: int
    total_pages: int
    total_items: int
    pages: list[Link] = field(default_factory=list)
    prev_url: str = ""
    next_url: str = ""


@dataclass
class Facet:
    label: str
    options: list[Link]


@dataclass
class ListingPage:
    """One page of a column's catalogue (all, one year, or one filter value)."""

    save_as: str
    url: str
    title: str
    heading: str
    column: Any
    entries: list[Any]
    pagination: Pagination
    years: list[Link]
    facets: list[Facet]
    filter_label: str = ""
    clear_url: str = ""
    lastmod: dt.datetime | None = None


def metadata_box(entry: Any, by_index: dict[str, Any]) -> list[dict[str, str]]:
    """Rows of the metadata box, in schema order, labels from the schema."""
    rows: list[dict[str, str]] = []
    for f in fields_for(entry.metadata["column"]):
        value = entry.metadata.get(f.name)
        if not f.in_box or value in (None, "", []):
            continue
        row = {"name": f.name, "label": f.label, "text": display(value, f), "url": ""}
        if f.kind == "ref" and value in by_index:
            target = by_index[value]
            row.update(text=f"{target.title}（{value}）", url=target.url)
        rows.append(row)
    return rows


def paginate(items: list[Any], size: int, base: str) -> list[tuple[str, str, list[Any], Pagination]]:
    """Split items into pages: (save_as, url, slice, pagination); page 1 is base/index.html."""
    total = max(1, math.ceil(len(items) / size))

    def where(n: int) -> tuple[str, str]:
        name = "index.html" if n == 1 else f"index_{n}.html"
        return f"{base}/{name}", (f"{base}/" if n == 1 else f"{base}/{name}")

    out = []
    for n in range(1, total + 1):
        save_as, url = where(n)
        p = Pagination(n, total, len(items))
        p.pages = [Link(str(i), where(i)[1], current=(i == n)) if i else GAP for i in page_window(n, total)]
        p.prev_url = where(n - 1)[1] if n > 1 else ""
        p.next_url = where(n + 1)[1] if n < total else ""
        out.append((save_as, url, items[(n - 1) * size:n * size], p))
    return out


def facet_values(f: Field, settings: dict[str, Any]) -> list[tuple[str, str]]:
    """(value, slug) pairs a facet field offers, in declared order."""
    if f.choices_from:
        return [tuple(pair) for pair in settings[f.choices_from]]
    if f.kind == "choice":
        return list(zip(f.choices, f.choice_slugs))
    return []


# One catalogue of a column: (base path, title, heading, filter label, entries, year, facet (field, slug)).
_Group = tuple[str, str, str, str, list[Any], "int | None", "tuple[str, str] | None"]


def column_listings(column: Any, entries: list[Any], settings: dict[str, Any]) -> list[ListingPage]:
    """Every catalogue page of one column: all entries, each year, each facet value.

    Entries are grouped in one pass and the year and facet counts are computed once per
    column (every page shows the same counts; only the current link differs), so a column
    costs O(entries + pages), not O(entries × pages).
    """
    entries = newest_first(entries)
    key = column.key
    facet_fields = [f for f in fields_for(key) if f.facet]
    by_year: dict[int, list[Any]] = {}
    for e in entries:
        by_year.setdefault(e.date.year, []).append(e)
    years = sorted(by_year, reverse=True)
    groups: list[_Group] = [(key, column.name, column.name, "", entries, None, None)]
    groups += [(f"{key}/{y}", f"{column.name} {y}年", f"{column.name}（{y}年）", f"{y}年", by_year[y], y, None)
               for y in years]
    members_by_facet = {f.name: _facet_members(f, entries, settings) for f in facet_fields}
    groups += [group for f in facet_fields for group in _facet_groups(column, f, members_by_facet[f.name])]
    facet_options = _facet_options(facet_fields, members_by_facet, settings)
    pages: list[ListingPage] = []
    for base, title, heading, label, members, year, current in groups:
        year_links = [Link(f"{y}年", f"{key}/{y}/", len(by_year[y]), y == year) for y in years]
        facets = _facets(key, facet_options, current)
        for save_as, url, chunk, pagination in paginate(members, settings["PAGE_SIZE"], base):
            page_title = title if pagination.number == 1 else f"{title}（第{pagination.number}页）"
            pages.append(ListingPage(save_as, url, page_title, heading, column, chunk, pagination,
                                     year_links, facets, label, f"{key}/" if label else "",
                                     members[0].date if members else None))
    return pages


def _facet_members(f: Field, entries: list[Any], settings: dict[str, Any]) -> dict[str, list[Any]]:
    """The entries of each value of a facet field, by the value's URL slug, in entry order."""
    slugs = dict(facet_values(f, settings))
    values: dict[str, list[Any]] = {}
    for e in entries:
        v = e.metadata.get(f.name)
        if v not in (None, ""):
            values.setdefault(slugs.get(v, str(v)), []).append(e)
    return values


def _facet_groups(column: Any, f: Field, values: dict[str, list[Any]]) -> list[_Group]:
    out: list[_Group] = []
    for slug, members in values.items():
        text = display(members[0].metadata[f.name], f)
        out.append((f"{column.key}/{f.name}/{slug}", f"{column.name} {f.label}：{text}",
                    f"{column.name}（{f.label}：{text}）", f"{f.label}：{text}", members, None, (f.name, slug)))
    return out


def _facet_options(facet_fields: list[Field], members: dict[str, dict[str, list[Any]]],
                   settings: dict[str, Any]) -> list[tuple[Field, list[tuple[str, str, int]]]]:
    """Each facet's options in display order: (slug, text, count), counted once per column."""
    out = []
    for f in facet_fields:
        groups = members[f.name]
        order = [slug for _v, slug in facet_values(f, settings)] or sorted(groups, reverse=True)
        options = [(s, display(groups[s][0].metadata[f.name], f), len(groups[s])) for s in order if s in groups]
        if options:
            out.append((f, options))
    return out


def _facets(key: str, options: list[tuple[Field, list[tuple[str, str, int]]]],
            current: tuple[str, str] | None) -> list[Facet]:
    return [Facet(f.label, [Link(text, f"{key}/{f.name}/{s}/", n, current == (f.name, s)) for s, text, n in opts])
            for f, opts in options]


def column_view(column: Any, entries: list[Any], latest: int) -> dict[str, Any]:
    """What the home page and the overview show of a column."""
    ordered = newest_first(entries)
    return {"key": column.key, "name": column.name, "description": column.description,
            "url": f"{column.key}/", "count": len(entries), "latest": ordered[:latest],
            "rss": f"{column.key}/rss.xml", "atom": f"{column.key}/atom.xml"}


def neighbours(entries: list[Any]) -> None:
    """Set entry.newer / entry.older within a column (newest first order)."""
    ordered = newest_first(entries)
    for i, e in enumerate(ordered):
        e.newer = ordered[i - 1] if i > 0 else None
        e.older = ordered[i + 1] if i + 1 < len(ordered) else None


__all__ = ["COLUMNS", "STRUCTURE", "ListingPage", "column_listings", "column_view", "metadata_box",
           "neighbours", "paginate"]
