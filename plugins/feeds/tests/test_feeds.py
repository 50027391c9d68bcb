"""Feeds: parsed by feedparser without errors, absolute URLs, Beijing time, newest first, reproducible."""
from __future__ import annotations

import datetime as dt
import io

import feedparser
from openpyxl import Workbook

from tests.sitekit import Site, pdf_bytes

BASE = "http://localhost:8000"


def xlsx_bytes() -> bytes:
    wb = Workbook()
    wb.active.append(["项目", "预算数（万元）"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def fill(site: Site) -> None:
    site.write("czyjs/2024/files/预算表.pdf", pdf_bytes())
    site.write("czyjs/2024/files/预算表.xlsx", xlsx_bytes())
    site.entry(serial=1, date="2024-03-05", title="旧通知")
    site.entry(serial=2, date="2024-04-05", written_date="2024-04-01", title="新通知")
    site.entry("czyjs", serial=3, date="2024-02-25", written_date="2024-02-20", title="2024年部门预算",
               attachments=[{"file": "files/预算表.pdf", "title": "预算公开表"},
                            {"file": "files/预算表.xlsx", "title": "预算表格"}])


def parse(site: Site, rel: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site.output / rel).read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def test_every_feed_parses_cleanly(site: Site) -> None:
    fill(site)
    site.build()
    feeds = sorted(p.relative_to(site.output).as_posix() for p in site.output.rglob("*.xml")
                   if p.name != "sitemap.xml")
    assert feeds == ["czyjs/atom.xml", "czyjs/rss.xml", "feeds/all.atom.xml", "feeds/all.rss.xml",
                     "tzgg/atom.xml", "tzgg/rss.xml", "xzcf/atom.xml", "xzcf/rss.xml",
                     "zcwj/atom.xml", "zcwj/rss.xml"]
    for rel in feeds:
        parse(site, rel)


def test_site_feed_is_newest_first_with_absolute_urls_and_timezone(site: Site) -> None:
    fill(site)
    site.build()
    for rel in ("feeds/all.rss.xml", "feeds/all.atom.xml"):
        feed = parse(site, rel)
        assert [e.title for e in feed.entries] == ["新通知", "旧通知", "2024年部门预算"]
        assert all(e.link.startswith(BASE + "/") for e in feed.entries)
        assert feed.entries[0].link == f"{BASE}/tzgg/2024-00002.html"
        assert feed.feed.link == f"{BASE}/"
    raw = (site.output / "feeds/all.rss.xml").read_text(encoding="utf-8")
    assert "<pubDate>Fri, 05 Apr 2024 00:00:00 +0800</pubDate>" in raw
    assert "<lastBuildDate>Fri, 05 Apr 2024 00:00:00 +0800</lastBuildDate>" in raw
    atom = parse(site, "feeds/all.atom.xml")
    assert atom.feed.updated == "2024-04-05T00:00:00+08:00"


def test_attachments_are_enclosures(site: Site) -> None:
    fill(site)
    site.build()
    atom = parse(site, "czyjs/atom.xml")
    [entry] = atom.entries
    enclosures = [(link.href, int(link.length), link.type) for link in entry.links if link.rel == "enclosure"]
    pdf_size = (site.output / "czyjs/2024-00003/预算表.pdf").stat().st_size
    assert (f"{BASE}/czyjs/2024-00003/%E9%A2%84%E7%AE%97%E8%A1%A8.pdf", pdf_size, "application/pdf") in enclosures
    assert len(enclosures) == 2
    rss = parse(site, "czyjs/rss.xml")
    assert rss.entries[0].enclosures[0].href.endswith(".pdf")  # RSS carries the first attachment


def test_column_feed_holds_only_its_column(site: Site) -> None:
    fill(site)
    site.build()
    assert [e.title for e in parse(site, "tzgg/rss.xml").entries] == ["新通知", "旧通知"]
    assert parse(site, "xzcf/atom.xml").entries == []


def test_feeds_are_reproducible(site: Site) -> None:
    fill(site)
    site.build()
    first = {p: p.read_bytes() for p in site.output.rglob("*.xml")}
    site.build(XXGK={**site.settings()["XXGK"], "TODAY": dt.date(2026, 1, 1)})
    second = {p: p.read_bytes() for p in site.output.rglob("*.xml")}
    assert first == second


def test_publish_uses_siteurl(site: Site) -> None:
    fill(site)
    site.build(publish=True)
    feed = parse(site, "feeds/all.atom.xml")
    assert feed.entries[0].link == "https://xxgk.dongjiang.example.gov.cn/tzgg/2024-00002.html"
    html = site.read("tzgg/2024-00002.html")
    assert 'href="https://xxgk.dongjiang.example.gov.cn/theme/css/site.css"' in html
