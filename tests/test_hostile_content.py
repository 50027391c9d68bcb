"""Hostile markup in every field of the schema, in file names and attachment titles, and in the
settings' names: every page type, feed, the sitemap, search and the tracker print it as text."""
from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
from werkzeug.test import Client

from tests.hostile import PAYLOADS, injected
from xxgk.serve import site_app


def test_no_page_carries_an_injected_element_or_attribute(hostile_output: Path) -> None:
    pages = sorted(hostile_output.rglob("*.html"))
    assert len(pages) > 30
    found = {p.relative_to(hostile_output).as_posix(): injected(p.read_text(encoding="utf-8")) for p in pages}
    assert {k: v for k, v in found.items() if v} == {}
    # The payloads are on the pages, as text: escaped, whole.
    entry = (hostile_output / "tzgg/2024-00001.html").read_text(encoding="utf-8")
    assert "<h1>XSS1 &#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;</h1>" in entry
    assert 'content="XSS1 &#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in entry  # <meta ArticleTitle>, not broken out


def test_feeds_and_sitemap_hold_the_text_and_no_markup(hostile_output: Path) -> None:
    """RSS readers render <description> as HTML, Atom's <summary> is text: either way a reader
    shows the summary as the text it is."""
    summaries = []
    for path in sorted(hostile_output.rglob("*.xml")):
        ET.parse(path)  # well-formed
        for e in feedparser.parse(path.read_bytes()).entries:
            detail = e.get("summary_detail", {})
            if detail.get("type") == "text/html":
                assert injected(detail["value"]) == [], path
                summaries.append(html.unescape(detail["value"]))
            else:
                summaries.append(detail.get("value", ""))
    assert sum(1 for t in summaries if "<script>alert(" in t or "<img src=x" in t) >= 2  # shown as text


def test_search_pages_json_and_the_tracker(hostile_output: Path) -> None:
    client = Client(site_app(hostile_output))
    for payload in ("XSS", *PAYLOADS):
        page = client.get("/search", query_string={"q": payload}).get_data(as_text=True)
        assert injected(page) == [], payload
        data = json.loads(client.get("/search.json", query_string={"q": payload}).get_data(as_text=True))
        assert "<script" not in json.dumps([h.get("title_html", "") for h in data.get("hits", [])])
    tracker = client.get("/ysqgk/query", query_string={"number": PAYLOADS[1], "code": PAYLOADS[0]})
    assert injected(tracker.get_data(as_text=True)) == []


def test_the_body_is_sanitised_and_the_fields_escaped(hostile_output: Path) -> None:
    html = (hostile_output / "zcwj/2024-00004.html").read_text(encoding="utf-8")
    assert "alert(11)" not in html and "<iframe" not in html and 'href="javascript' not in html
    assert "<p>正文。</p>" in html
