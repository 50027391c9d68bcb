"""Sitemap plugin: sitemap.xml listing every public HTML page with absolute URLs."""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from pelican import signals

from foundation.display import public_base

EXCLUDED = {"404.html"}
# Folders whose pages are not for search engines (the tracker's status folder
# holds only a no-index page; nothing in it may be listed).
EXCLUDED_DIRS = ("ysqgk/status/",)


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


def write_sitemap(pelican: Any) -> None:
    """Walk the output and write sitemap.xml (runs after every page is written)."""
    out = Path(pelican.output_path)
    base = public_base(pelican.settings)
    known = lastmods(getattr(pelican, "xxgk_context", {}))
    rows = []
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        if rel in EXCLUDED or rel.startswith(EXCLUDED_DIRS):
            continue
        url = page_url(rel)
        lastmod = known.get(url)
        row = f"  <url><loc>{escape(base + '/' + quote(url))}</loc>"
        row += f"<lastmod>{lastmod}</lastmod></url>" if lastmod else "</url>"
        rows.append(row)
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")
    (out / "sitemap.xml").write_text(xml, encoding="utf-8")


def keep_context(generators: list[Any]) -> None:
    """Remember the shared context so `finalized` can date the pages."""
    if generators:
        _STATE["context"] = generators[0].context


_STATE: dict[str, Any] = {}


def finalized(pelican: Any) -> None:
    pelican.xxgk_context = _STATE.pop("context", {})
    write_sitemap(pelican)


def register() -> None:
    signals.all_generators_finalized.connect(keep_context)
    signals.finalized.connect(finalized)
