"""Sitemap plugin: sitemap.xml listing every public HTML page with absolute URLs."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote
import xml.etree.ElementTree as ET

from pelican import signals

from foundation import build_state
from foundation.display import public_base
from foundation.outputs import OPEN_DATA_DIR

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
EXCLUDED = {"404.html", "search/index.html"}
# Folders whose pages are not for search engines (the tracker's status folder
# holds only a no-index page; nothing in it may be listed).
EXCLUDED_DIRS = ("ysqgk/status/",)
# Top-level folders that hold no pages: the search index, which the index's own process may
# be writing while this walks the output (plugins/search; its temporary folders come and go).
SKIPPED_TOP = {"_search"}


def page_url(rel: str) -> str:
    """The public URL path of an output file (folders for index.html)."""
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def lastmods(context: dict[str, Any]) -> dict[str, str]:
    """Known last-modified dates: entries and pages by their date, listings by their newest entry."""
    out: dict[str, str] = {}
    for item in context.get("articles", []) + context.get("pages", []):
        out[item.url] = item.date.date().isoformat()
    for listing in context.get("LISTINGS", []):
        if listing.lastmod:
            out[listing.url] = listing.lastmod.date().isoformat()
    return out


# The catalogue as open data (plugins.opendata): its files directly in data/ (the whole
# catalogue, each column, their schema and descriptions) are listed too; each entry's own
# record beside its page is not (its page is).
DATA_SUFFIXES = (".json", ".csv", ".jsonld")


def _pages(out: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(out):
        if Path(folder) == out:
            dirs[:] = [d for d in dirs if d not in SKIPPED_TOP]
        found += [Path(folder) / f for f in files if f.endswith(".html")]
    data = out / OPEN_DATA_DIR
    if data.is_dir():
        found += [p for p in data.iterdir() if p.is_file() and p.suffix in DATA_SUFFIXES]
    return sorted(found)


def write_sitemap(pelican: Any) -> None:
    """Walk the output and write sitemap.xml (runs after every page is written)."""
    out = Path(pelican.output_path)
    base = public_base(pelican.settings)
    known = lastmods(build_state.of(pelican.settings).context)
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)
    for path in _pages(out):
        rel = path.relative_to(out).as_posix()
        if rel in EXCLUDED or rel.startswith(EXCLUDED_DIRS):
            continue
        url = page_url(rel)
        item = ET.SubElement(urlset, "url")
        ET.SubElement(item, "loc").text = base + "/" + quote(url)
        if url in known:
            ET.SubElement(item, "lastmod").text = known[url]
    ET.indent(urlset)
    ET.ElementTree(urlset).write(out / "sitemap.xml", encoding="UTF-8", xml_declaration=True)


def register() -> None:
    signals.finalized.connect(write_sitemap)
