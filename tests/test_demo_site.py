"""The demo site shows every feature: columns, documents, attachments, feeds, pages, sitemap."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import feedparser
import pytest

from foundation.schema import COLUMNS, REQUIRED_PAGES

COLUMN_KEYS = [c.key for c in COLUMNS]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def entries(out: Path, key: str) -> list[Path]:
    return [p for p in (out / key).glob("*.html") if re.fullmatch(r"\d{4}-\d{5}\.html", p.name)]


@pytest.mark.parametrize("key", COLUMN_KEYS)
def test_each_column_has_at_least_twelve_entries(demo_output: Path, key: str) -> None:
    assert len(entries(demo_output, key)) >= 12
    listing = (demo_output / key / "index.html").read_text(encoding="utf-8")
    assert "按年份" in listing and "按主题分类" in listing and "按发布机构" in listing


def test_every_feed_parses(demo_output: Path) -> None:
    feeds = [p for p in demo_output.rglob("*.xml") if p.name != "sitemap.xml"]
    assert len(feeds) == 2 + 2 * len(COLUMN_KEYS)
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert feed.bozo == 0, path
        assert feed.entries, path


def test_no_broken_internal_links(demo_output: Path) -> None:
    missing = set()
    for page in demo_output.rglob("*.html"):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            parsed = urlparse(url)
            if parsed.scheme or parsed.netloc or url.startswith(("#", "mailto:", "tel:")):
                continue
            if parsed.path == "/search":
                continue  # served by the search service, not a file
            target = demo_output / unquote(parsed.path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                missing.add((page.relative_to(demo_output).as_posix(), url))
    assert not missing


def test_required_pages_and_sitemap(demo_output: Path) -> None:
    for slug in REQUIRED_PAGES:
        assert (demo_output / f"{slug}.html").is_file()
    assert (demo_output / "wzdt.html").is_file()
    urls = ET.parse(demo_output / "sitemap.xml").getroot()
    assert len(urls) > 60


def test_natural_person_penalty_is_masked(demo_output: Path) -> None:
    people = []
    for page in entries(demo_output, "xzcf"):
        html = page.read_text(encoding="utf-8")
        if "<dd>自然人</dd>" in html:
            people.append(html)
    assert len(people) == 1
    name = re.search(r'meta-party_name">\s*<dt>行政相对人名称</dt>\s*<dd>(.*?)</dd>', people[0]).group(1)
    assert re.fullmatch(r"[\u4e00-\u9fff]某某", name)
    assert "统一社会信用代码" not in people[0]


def test_repealed_policy_points_to_its_replacement(demo_output: Path) -> None:
    repealed = [p for p in entries(demo_output, "zcwj") if "<dd>废止</dd>" in p.read_text(encoding="utf-8")]
    assert repealed
    html = repealed[0].read_text(encoding="utf-8")
    link = re.search(r'meta-replaced_by">\s*<dt>替代文件</dt>\s*<dd><a href="/(zcwj/[\d-]+\.html)">', html)
    assert link and (demo_output / link.group(1)).is_file()


def test_budget_and_final_accounts_have_pdf_and_xlsx(demo_output: Path) -> None:
    kinds = {}
    for page in entries(demo_output, "czyjs"):
        html = page.read_text(encoding="utf-8")
        kind = re.search(r'meta-budget_kind">\s*<dt>公开类型</dt>\s*<dd>(.*?)</dd>', html).group(1)
        files = re.findall(r'<a href="/([^"]+\.(pdf|xlsx))" download>', html)
        types = {ext for _url, ext in files}
        for url, _ext in files:
            assert (demo_output / unquote(url)).stat().st_size > 500
        if {"pdf", "xlsx"} <= types:
            kinds[kind] = page
    assert "预算" in kinds and "决算" in kinds


def test_reference_report_is_a_policy_entry_with_full_text(demo_output: Path) -> None:
    reference = Path(__file__).resolve().parents[2] / "shared/reference/dongjiang-2023-rule-of-law-report.txt"
    pages = [p for p in entries(demo_output, "zcwj")
             if "<h1>东疆综合保税区2023年法治政府建设工作报告</h1>" in p.read_text(encoding="utf-8")]
    assert pages
    html = pages[0].read_text(encoding="utf-8")
    assert "<dd>报告</dd>" in html
    if reference.is_file():
        text = reference.read_text(encoding="utf-8")
        body = re.sub(r"<[^>]+>", "", html)
        sentences = [s.strip() for s in re.split(r"[。；！？\n]", text) if len(s.strip()) > 12]
        found = sum(1 for s in sentences if s in body)
        assert found / len(sentences) > 0.95
