"""sitemap.xml lists every public page with absolute URLs and dates where known."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.sitekit import Site

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_sitemap_lists_every_html_page(site: Site) -> None:
    site.entry(serial=1)
    site.page("gybw", "关于本网")
    site.build()
    root = ET.parse(site.output / "sitemap.xml").getroot()
    locs = {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
            for u in root.findall("s:url", NS)}
    pages = [p.relative_to(site.output).as_posix() for p in site.output.rglob("*.html")
             if p.name != "404.html" and "ysqgk/status/" not in p.as_posix()
             and p.relative_to(site.output).as_posix() != "search/index.html"]  # noindex, like 404.html
    # And the open data of data/ (plugins.opendata), not each entry's record beside its page.
    data = [p for p in (site.output / "data").iterdir() if p.suffix in (".json", ".csv", ".jsonld")]
    assert len(data) == 13 and len(locs) == len(pages) + len(data)
    assert "http://localhost:8000/data/dcat.jsonld" in locs and "http://localhost:8000/tzgg/2024-00001.json" not in locs
    assert locs["http://localhost:8000/tzgg/2024-00001.html"] == "2024-03-05"
    assert locs["http://localhost:8000/tzgg/"] == "2024-03-05"
    assert "http://localhost:8000/" in locs
    assert "http://localhost:8000/gybw.html" in locs
    assert not any("404" in loc or "ysqgk/status" in loc for loc in locs)
    assert "http://localhost:8000/ysqgk/" in locs
