"""Pelican reader for xxgk entries: YAML front matter checked against the schema.

The body is rendered by Python-Markdown exactly once and sanitised with nh3;
内容概述 stays plain text (never run through Markdown, which would double
the cost of a build).  Problems are collected, not raised: Pelican swallows
reader exceptions, so the plugin reports every problem after all files are read.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import markdown
import nh3
from pelican.readers import BaseReader
from pelican.urlwrappers import Category

from xxgk.errors import Problem
from xxgk.settings import TIMEZONE

from . import frontmatter
from .schema import COLUMNS_BY_KEY, COLUMNS_BY_NAME, PAGES_KEY, REPORTS_KEY
from .validate import check_entry

MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "smarty"]
# Table cell alignment as the align attribute: nh3 strips style attributes.
MARKDOWN_CONFIG = {"tables": {"use_align_attribute": True}}
# Tags an editor's Markdown may produce; scripts, styles, forms and frames never
# reach the public page (the search service's CSP forbids inline script anyway).
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"}, "a": {"href"}, "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"}, "abbr": {"title"},
}

PROBLEMS: list[Problem] = []  # filled while reading; reset and reported by the plugin


def render_markdown(text: str) -> str:
    """Render an entry body to sanitised HTML."""
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG,
                             output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto", "tel"}, link_rel=None)


def as_datetime(day: dt.date) -> dt.datetime:
    """Midnight of `day` in Beijing time (all public dates are Asia/Shanghai)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=TIMEZONE)


def classify(rel: str) -> tuple[str | None, str | None]:
    """Return (schema key, problem) for a source path relative to the content folder."""
    parts = rel.split("/")
    if len(parts) >= 2 and (parts[0] in COLUMNS_BY_KEY or parts[0] in (PAGES_KEY, REPORTS_KEY)):
        return parts[0], None
    return None, ("文件不在任何栏目文件夹中（expected content/tzgg、content/xzcf、content/czyjs、"
                  "content/zcwj 或 content/pages 下）")


def declared_column(value: Any) -> str | None:
    """The column key an entry's `column` field names, if it names one."""
    if isinstance(value, str):
        value = value.strip()
        if value in COLUMNS_BY_KEY:
            return value
        if value in COLUMNS_BY_NAME:
            return COLUMNS_BY_NAME[value].key
    return None


class EntryReader(BaseReader):
    """Read `content/<column>/**.md` and `content/pages/*.md`."""

    enabled = True
    file_extensions = ["md"]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        base = Path(self.settings["PATH"]).resolve()
        source = Path(source_path).resolve()
        rel = source.relative_to(base).as_posix()
        label = f"content/{rel}"
        key, problem = classify(rel)
        if key is None:
            PROBLEMS.append(Problem(label, 1, "栏目", problem))
            return "", {"status": "skip"}
        if key == REPORTS_KEY:  # annual reports are read, checked and written by plugins.annual_report
            return "", {"status": "skip"}
        parsed = frontmatter.split(source.read_bytes(), label)
        problems = list(parsed.problems)
        declared = declared_column(parsed.values.get("column"))
        if key != PAGES_KEY and declared and declared != key:
            # Check against the column the editor meant, so the one real
            # mistake (the folder) is reported, not every field of it.
            problems.append(Problem(
                label, parsed.lines.get("column", 1), "column",
                f"文件放错了栏目文件夹：它属于 {declared}，却在 content/{key}/ 下"
                f"（expected 移到 content/{declared}/，或改正 column）"))
            key = declared
        if parsed.problems:  # the front matter itself is unreadable: nothing more to check
            PROBLEMS.extend(problems)
            return "", {"status": "skip"}
        checked = check_entry(parsed.values, parsed.lines, key, label, source.parent,
                              self.settings["XXGK_RESOLVED"])
        problems += checked.problems
        values = checked.values
        if parsed.values.get("status") == "draft" and all(p.code == "missing" for p in problems):
            # A draft is not published, so what it still lacks is a reminder, not a
            # failure: the rest of the site keeps building while the editor works.
            PROBLEMS.extend(dataclasses.replace(p, severity="warning") for p in problems)
            if problems:
                return "", {"status": "skip"}
        else:
            PROBLEMS.extend(problems)
        if any(p.severity == "error" for p in problems):
            return "", {"status": "skip"}
        return render_markdown(parsed.body), self._metadata(key, values, label, parsed.lines)

    def _metadata(self, key: str, values: dict[str, Any], label: str,
                  lines: dict[str, int]) -> dict[str, Any]:
        meta: dict[str, Any] = dict(values)
        meta["source_label"] = label
        meta["field_lines"] = dict(lines)
        meta["date"] = as_datetime(values["date"])
        if key == PAGES_KEY:
            meta["template"] = "page"
            return meta
        meta["column"] = key
        meta["category"] = Category(COLUMNS_BY_KEY[key].name, self.settings)
        meta["slug"] = values["index_no"].split("/", 1)[1]
        # plugins.publication decides scheduled, withdrawn and expired entries.
        meta["status"] = values.get("status", "published")
        meta["template"] = "entry"
        meta.setdefault("issuer", values["publisher"])
        return meta
