"""What the index holds for an entry or page, derived from the content schema's search roles."""
from __future__ import annotations

from typing import Any

from foundation.fields import Field
from foundation.schema import COLUMNS_BY_KEY, PAGE_FIELDS, PAGES_KEY, all_fields, fields_for, not_in_force
from foundation.display import display

from . import engine
from .store import Source, digest

# The body is not a front-matter field; it is searched like any text field at weight 1.
BODY = "body"
BODY_BOOST = 1.0
# Not schema fields either: every result is counted by column and by year of 发布日期.
YEAR = "year"
PAGES_NAME = "网站页面"


def search_fields() -> dict[str, Field]:
    """Every field with a search role, by name (entries' fields and pages' fields)."""
    out = {name: f for name, f in all_fields().items() if f.search}
    for f in PAGE_FIELDS:
        if f.search:
            out.setdefault(f.name, f)
    return out


def spec() -> engine.Spec:
    """The index's fields: one per schema field with a search role, plus the body and the year."""
    fields = search_fields()
    text = tuple((f.name, f.boost) for f in fields.values() if f.search == "text") + ((BODY, BODY_BOOST),)
    ids = tuple(f.name for f in fields.values() if f.search == "id")
    keywords = tuple(f.name for f in fields.values() if f.search == "keyword") + (YEAR,)
    return engine.Spec(text, ids, keywords)


def column_name(key: str) -> str:
    return COLUMNS_BY_KEY[key].name if key in COLUMNS_BY_KEY else PAGES_NAME


def _value(entry: Any, f: Field) -> str:
    value = entry.metadata.get(f.name)
    return "" if value in (None, "", []) else display(value, f)


def source(entry: Any) -> Source:
    """The index's view of one published entry or page (built lazily: only changed ones are analysed)."""
    key_column = entry.metadata.get("column") or PAGES_KEY
    own = fields_for(key_column)
    text = {f.name: _value(entry, f) for f in own if f.search == "text"}
    ids = {f.name: _value(entry, f) for f in own if f.search == "id"}
    keywords = {f.name: _value(entry, f) for f in own if f.search == "keyword"}
    date = entry.date.date().isoformat()
    keywords["column"] = key_column
    keywords["date"] = date
    keywords[YEAR] = date[:4]
    doc_no = next((v for f in own if f.kind == "doc_no" for v in [_value(entry, f)] if v), "")
    show = {"key": entry.url, "url": entry.url, "title": entry.title, "column": key_column,
            "column_name": column_name(key_column), "date": date, "index_no": ids.get("index_no", ""),
            # 内容概述 is the snippet when the body does not contain the query's words.
            "doc_no": doc_no, "summary": str(entry.metadata.get("summary") or ""),
            # A repealed or expired document is marked in results as in listings (domain.md §2).
            "validity": not_in_force(entry.metadata)}
    # The HTML as read, not `entry.content`: that property resolves {filename} links (inside
    # tags, which the index drops) and keeps the result in Pelican's memo for the life of the
    # build.  This runs in the index's own process (plugins/search/__init__.py), where that
    # memo filled a private copy of every page's HTML: about 240 MB at 20,000 entries.
    html = getattr(entry, "_content", None) or ""

    def build() -> engine.IndexDoc:
        body = engine.html_to_text(html)
        return engine.IndexDoc(entry.url, {**text, BODY: body}, ids, keywords, show, body)

    return Source(entry.url, digest([engine.ENGINE_VERSION, text, ids, keywords, show, html]), build)


__all__ = ["BODY", "YEAR", "column_name", "search_fields", "source", "spec"]
