"""The search service through a WSGI test client: HTML with the theme, JSON, bounds, escaping, reloads."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from werkzeug.test import Client

from plugins.search.service import search_app
from plugins.search.tests.corpus import NOTICES, READING, SAFETY, SHIPPING
from tests.sitekit import ORG, Site
from xxgk.serve import site_app

HOSTILE_QUERY = '<script>alert("x")</script>\'开放日'


@pytest.fixture(scope="module")
def client(fixture_site: Site) -> Client:
    return Client(site_app(fixture_site.output))


def get_json(client: Client, url: str) -> tuple[int, dict]:
    r = client.get(url)
    assert r.headers["Content-Type"].startswith("application/json")
    return r.status_code, json.loads(r.get_data(as_text=True))


def test_the_json_has_the_documented_shape(client: Client) -> None:
    status, body = get_json(client, "/search.json?q=" + quote("航运金融"))
    assert status == 200
    assert set(body) == {"query", "total", "page", "results", "facets"}
    assert (body["query"], body["total"], body["page"]) == ("航运金融", 2, 1)
    assert set(body["results"][0]) == {"title", "url", "column", "date", "index_no", "doc_no", "snippet"}
    assert {r["index_no"] for r in body["results"]} == {SHIPPING, READING}
    shipping = next(r for r in body["results"] if r["index_no"] == SHIPPING)
    assert shipping["url"] == f"/zcwj/{SHIPPING.split('/')[1]}.html"
    assert (shipping["column"], shipping["date"], shipping["doc_no"]) == ("政策文件", "2024-02-01", "津东疆管规〔2024〕1号")
    assert set(body["facets"]) == {"column", "year"}
    assert body["facets"]["column"] == {"政策文件": 2} and body["facets"]["year"] == {"2024": 2}


def test_the_json_doc_no_query_puts_the_document_first(client: Client) -> None:
    _s, body = get_json(client, "/search.json?q=" + quote("津东疆管规(2024)1号"))
    assert body["results"][0]["index_no"] == SHIPPING


def test_the_json_filters_sorts_and_pages(client: Client) -> None:
    _s, page2 = get_json(client, "/search.json?q=" + quote("通航安全") + "&page=2")
    assert (page2["total"], page2["page"], len(page2["results"])) == (NOTICES, 2, NOTICES - 10)
    _s, by_date = get_json(client, "/search.json?q=" + quote("安全生产") + "&sort=date")
    dates = [r["date"] for r in by_date["results"]]
    assert dates == sorted(dates, reverse=True)
    _s, narrowed = get_json(client, "/search.json?q=" + quote("东疆") + "&column=zcwj")
    assert narrowed["total"] == 2
    _s, by_name = get_json(client, "/search.json?q=" + quote("东疆") + "&column=" + quote("政策文件"))
    assert by_name["total"] == 2


@pytest.mark.parametrize("url, status, words", [
    ("/search.json?q=" + quote("安" * 101), 400, "太长"),
    ("/search.json?q=" + quote("通航安全") + "&page=9", 404, "超出"),
    ("/search.json?q=x&page=0", 400, "页码"),
    ("/search.json?q=x&page=abc", 400, "页码"),
    ("/search.json?q=x&sort=title", 400, "排序"),
])
def test_the_json_explains_bad_requests(client: Client, url: str, status: int, words: str) -> None:
    got, body = get_json(client, url)
    assert got == status and words in body["error"]


def test_an_empty_json_query_has_no_results(client: Client) -> None:
    status, body = get_json(client, "/search.json")
    assert status == 200 and body["total"] == 0 and body["results"] == []


def test_the_page_uses_the_theme_and_lists_results(client: Client) -> None:
    r = client.get("/search?q=" + quote("安全生产"))
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert 'class="site-header"' in html and "主办单位" in html  # base.html
    assert 'name="q"' in html and 'value="安全生产"' in html
    assert "找到 3 条" in html
    assert f"{SAFETY}" in html and "2024-01-08" in html and "通知公告" in html
    assert "<mark>安全生产</mark>" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script; CSP forbids it anyway
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]


def test_the_page_has_facet_links_sort_links_and_pages(client: Client) -> None:
    html = client.get("/search?q=" + quote("东疆")).get_data(as_text=True)
    assert "/search?q=%E4%B8%9C%E7%96%86&amp;column=zcwj" in html and "政策文件（2）" in html
    assert "/search?q=%E4%B8%9C%E7%96%86&amp;year=2024" in html
    assert "/search?q=%E4%B8%9C%E7%96%86&amp;sort=date" in html
    assert 'rel="next"' in html and "/search?q=%E4%B8%9C%E7%96%86&amp;page=2" in html
    filtered = client.get("/search?q=" + quote("东疆") + "&column=zcwj").get_data(as_text=True)
    assert 'class="current">政策文件（2）' in filtered and "找到 2 条" in filtered


def test_the_page_escapes_the_query_and_the_documents(client: Client) -> None:
    r = client.get("/search?q=" + quote(HOSTILE_QUERY))
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&#39;开放日"' in html
    doc = client.get("/search?q=" + quote("开放日")).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc and "<script>alert(1)" not in doc


@pytest.mark.parametrize("url, status, words", [
    ("/search?q=" + quote("安" * 101), 400, "太长"),
    ("/search?q=" + quote("通航安全") + "&page=5", 404, "超出了搜索结果的范围"),
    ("/search?q=x&page=-1", 400, "页码"),
])
def test_the_page_explains_bad_requests_in_the_theme(client: Client, url: str, status: int, words: str) -> None:
    r = client.get(url)
    html = r.get_data(as_text=True)
    assert r.status_code == status and words in html and 'class="site-header"' in html


@pytest.mark.parametrize("query", ["", "AND (", "*:*", '"'])
def test_empty_and_syntax_queries_show_the_page(client: Client, query: str) -> None:
    r = client.get("/search?q=" + quote(query))
    assert r.status_code == 200 and 'name="q"' in r.get_data(as_text=True)


def test_other_paths_are_the_static_site(client: Client) -> None:
    assert client.get("/").status_code == 200
    assert client.get("/search/").status_code == 200
    assert client.post("/search?q=x").status_code == 405


def test_without_an_index_the_service_says_it_is_unavailable(tmp_path: Path) -> None:
    status, body = get_json(Client(search_app(tmp_path)), "/search.json?q=x")
    assert status == 503 and "make html" in body["error"]
    assert Client(search_app(tmp_path)).get("/elsewhere").status_code == 404


def test_a_rebuild_is_picked_up_without_restarting(site: Site) -> None:
    site.entry("tzgg", 1, title="关于蓝鲸码头开放的通知", body="蓝鲸码头本周开放。")
    site.build()
    client = Client(search_app(site.output))
    assert get_json(client, "/search.json?q=" + quote("蓝鲸"))[1]["total"] == 1
    site.entry("tzgg", 1, title="关于海豚码头开放的通知", body="海豚码头本周开放。")
    site.build()
    assert get_json(client, "/search.json?q=" + quote("蓝鲸"))[1]["total"] == 0
    _s, body = get_json(client, "/search.json?q=" + quote("海豚"))
    assert [r["index_no"] for r in body["results"]] == [f"{ORG}/2024-00001"]
