"""Search with no server: only output/ served by a plain file server (python -m http.server), the
browser answering from the static index, in Debian's Chromium; and the same answers as the service."""
from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pytest

from xxgk.serve import SECURITY_HEADERS

# Queries of every kind with the demo's documents: words, a phrase, a pasted fragment cut
# mid-word, an identifier, traditional characters, full-width digits, no result.
AGREE = ["融资租赁", '"安全生产"', "冷链物流扶持", "及时了解和享受融资租", "东疆 航运", "行政处罚决定书", "津东疆管规〔2026〕1号",
         "預算", "２０２５", "qzxwvk"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _WithCsp(_Quiet):
    """The same files with the site's security headers, as a host configured per docs/deploy would send."""

    def end_headers(self) -> None:
        for k, v in SECURITY_HEADERS.items():
            self.send_header(k, v)
        super().end_headers()


def _serve(root: Path, handler: type) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def plain(demo_output: Path) -> Iterator[str]:
    yield from _serve(demo_output, _Quiet)


@pytest.fixture(scope="module")
def with_csp(demo_output: Path) -> Iterator[str]:
    yield from _serve(demo_output, _WithCsp)


def _search(page: object, base: str, query: str, extra: str = "") -> None:
    page.goto(f"{base}/search?q={quote(query)}{extra}")
    page.wait_for_selector(".search-summary, .search-message", timeout=15_000)


def _results(page: object) -> list[dict[str, str]]:
    return page.eval_on_selector_all(".search-result", """items => items.map(li => ({
        title: li.querySelector('.result-title').innerHTML.replace(/>\\s+</g, '><').trim(),
        meta: li.querySelector('.result-meta').innerHTML.replace(/>\\s+</g, '><').trim()}))""")


def test_a_known_item_is_found_first_from_static_files(page: object, plain: str) -> None:
    _search(page, plain, "东疆综合保税区融资租赁产业高质量发展扶持办法")
    first = page.locator(".search-result .result-title a").first
    assert "融资租赁产业高质量发展扶持办法" in first.inner_text()
    assert page.locator(".search-summary").inner_text().startswith("找到")
    assert page.url.startswith(f"{plain}/search/?q=")


def test_static_and_service_answers_agree(page: object, plain: str, base_url: str) -> None:
    """The static page and the service's page show the same summary, facets and results (titles
    with their marks, columns, dates, 索引号, 文号) for every query of the set."""
    for query in AGREE:
        _search(page, base_url, query)
        service = (page.locator(".search-summary").inner_text(), _results(page),
                   page.locator("nav.filters").all_inner_texts())
        _search(page, plain, query)
        static = (page.locator(".search-summary").inner_text(), _results(page),
                  page.locator("nav.filters").all_inner_texts())
        assert static == service, query


def test_snippets_are_marked_from_the_documents_text(page: object, plain: str) -> None:
    fragment = "及时了解和享受融资租"  # pasted from a body (tzgg/2026-00012), cut mid-word at both ends
    _search(page, plain, fragment)
    assert page.locator(".search-result .result-title a").first.get_attribute("href").endswith("tzgg/2026-00012.html")
    # The summary's snippet first, then the passage of the result's page that holds the fragment.
    page.wait_for_function(f"[...document.querySelectorAll('.snippet mark')].some(m => m.textContent === '{fragment}')",
                           timeout=15_000)


def test_facets_sort_and_pagination_work(page: object, plain: str) -> None:
    _search(page, plain, "东疆")
    total = int(re.search(r"找到 (\d+) 条", page.locator(".search-summary").inner_text()).group(1))
    assert total > 10
    page.locator(".pagination a[rel=next]").click()
    page.wait_for_selector(".search-results[start='11']")
    assert "第 2 /" in page.locator(".pagination p").inner_text()
    page.locator("nav.filters a", has_text="财政预算决算").click()
    page.wait_for_selector(".search-summary")
    assert "column=czyjs" in page.url
    columns = page.locator(".search-result .result-meta span").filter(has_text="栏目").all_inner_texts()
    assert columns and all("财政预算决算" in c for c in columns)
    page.locator(".search-sort a", has_text="按发布日期").click()
    page.wait_for_selector(".search-sort strong")
    dates = page.locator(".search-result time").all_inner_texts()
    assert dates == sorted(dates, reverse=True)


def test_hostile_and_over_long_queries(page: object, plain: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    hostile = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'
    _search(page, plain, hostile)
    assert hostile.split('"')[0] in page.locator(".search-summary, .search-message").first.inner_text()
    assert page.locator("main img[src=x], main script:not([src])").count() == 0
    _search(page, plain, "税" * 101)
    assert "搜索词太长：101 个字" in page.locator(".search-message").inner_text()
    _search(page, plain, "东疆", "&page=abc")
    assert "页码「abc」不对" in page.locator(".search-message").inner_text()
    assert dialogs == []


def test_no_request_leaves_the_site_and_the_csp_holds(page: object, with_csp: str) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "404" not in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    _search(page, with_csp, "安全生产")
    page.wait_for_load_state("networkidle")
    assert page.locator(".search-result").count() > 0
    assert requests and all(u.startswith(with_csp) for u in requests), [u for u in requests if not u.startswith(with_csp)]
    assert any("/_search/static/" in u for u in requests)
    assert problems == []


def test_no_axe_violations_on_static_results(page: object, plain: str, axe_source: str) -> None:
    _search(page, plain, "融资租赁")
    page.evaluate(axe_source)
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    assert violations == []


def test_works_on_a_phone_in_elder_mode(browser: object, plain: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    context.add_init_script("window.localStorage.setItem('xxgk-elder', '1')")
    page = context.new_page()
    try:
        _search(page, plain, "行政处罚")
        assert page.evaluate("document.documentElement.classList.contains('elder')")
        assert page.locator(".search-result").count() > 0
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    finally:
        context.close()
