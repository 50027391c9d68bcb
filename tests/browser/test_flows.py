"""What people do, done as they would do it, in Chromium."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from playwright.sync_api import expect

DEMO_NUMBER, DEMO_CODE = "DJ-2026-0001", "Y8MS-UA5C-AG"


def test_browse_filter_open_and_download(page: object, base_url: str, demo_output: Path) -> None:
    page.goto(base_url + "/")
    # A click does not wait for the page it opens: each step waits for its URL before looking.
    page.get_by_role("link", name="更多财政预算决算", exact=False).click()
    page.wait_for_url("**/czyjs/")
    page.locator(".filters").get_by_role("link", name=re.compile(r"^2025年")).click()
    page.wait_for_url("**/czyjs/2025/")
    expect(page.locator("h1")).to_have_text("财政预算决算（2025年）")
    page.get_by_role("link", name="东疆综合保税区管理委员会（本级）2025年部门预算").click()
    page.wait_for_url("**/czyjs/2025-00004.html")
    attachment = page.locator(".attachment").filter(has_text="XLSX").first
    listed = attachment.locator(".file-meta").inner_text()
    with page.expect_download() as info:
        attachment.get_by_role("link").click()
    download = info.value
    saved = Path(download.path())
    href = attachment.get_by_role("link").get_attribute("href")
    original = demo_output / unquote(href).lstrip("/")
    assert saved.read_bytes() == original.read_bytes()
    size_kb = f"{saved.stat().st_size / 1024:.1f} KB"
    assert size_kb in listed, (size_kb, listed)


def test_search_from_home_and_open_a_result(page: object, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_role("searchbox", name="搜索本站信息").fill("融资租赁")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url(re.compile(r"/search/?\?"))
    first = page.locator(".search-results .result-title a").first
    title = first.inner_text()
    href = first.get_attribute("href")
    first.click()
    page.wait_for_url("**" + href)
    expect(page.locator("h1")).to_have_text(title)


def test_tracker_lookup_right_and_wrong_code(page: object, base_url: str) -> None:
    page.goto(base_url + "/ysqgk/")
    page.get_by_label("申请编号").fill(DEMO_NUMBER)
    page.get_by_label("查询码").fill(DEMO_CODE)
    page.get_by_role("button", name="查询").click()
    result = page.locator("#tracker-result")
    done = ("() => { const t = document.querySelector('#tracker-result').innerText.trim();"
            " return t.length > 0 && !t.startsWith('正在查询'); }")
    page.wait_for_function(done)
    shown = result.inner_text()
    assert DEMO_NUMBER in shown and "收到申请" in shown
    page.goto(base_url + "/ysqgk/")
    page.get_by_label("申请编号").fill(DEMO_NUMBER)
    page.get_by_label("查询码").fill("ABCD-EFGH-JK")
    page.get_by_role("button", name="查询").click()
    page.wait_for_function(done)
    wrong = result.inner_text()
    page.goto(base_url + "/ysqgk/")
    page.get_by_label("申请编号").fill("DJ-2099-0001")
    page.get_by_label("查询码").fill("ABCD-EFGH-JK")
    page.get_by_role("button", name="查询").click()
    page.wait_for_function(done)
    assert result.inner_text() == wrong and DEMO_NUMBER not in wrong


def test_print_hides_navigation(page: object, base_url: str) -> None:
    page.goto(base_url + "/zcwj/2025-00002.html")
    page.emulate_media(media="print")
    for selector in (".site-nav", ".search-box", ".breadcrumbs", ".entry-nav", ".elder-toggle"):
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none", selector
    assert page.locator("h1").is_visible() and page.locator(".meta-box").is_visible()


def test_no_third_party_requests_and_no_web_fonts(page: object, base_url: str) -> None:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    for path in ("/", "/czyjs/", "/czyjs/2025-00004.html", "/search?q=预算", "/ysqgk/"):
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    assert seen and all(url.startswith(base_url) for url in seen), [u for u in seen if not u.startswith(base_url)]
    fonts = page.evaluate("Array.from(document.fonts).filter(f => f.status === 'loaded').length")
    assert fonts == 0
    assert not any(re.search(r"\.(woff2?|ttf|otf)(\?|$)", url) for url in seen)


def test_metadata_box_leaves_no_empty_cell(page: object, base_url: str) -> None:
    """Issue 17 item 10: on a wide screen every line of the metadata box is filled to the edge
    (a pair alone on its line, such as 有效性, takes the whole line)."""
    for path in ("/zcwj/2025-00002.html", "/xzcf/2026-00013.html", "/tzgg/2022-00005.html", "/zcwj/2022-00003.html"):
        page.goto(base_url + path)
        box = page.locator(".meta-box").bounding_box()
        rows = page.locator(".meta-box > .meta-row").evaluate_all(
            "rs => rs.map(r => { const b = r.getBoundingClientRect(); return [b.top, b.right, b.width]; })")
        lines: dict[int, float] = {}
        for top, right, _width in rows:
            lines[round(top)] = max(lines.get(round(top), 0), right)
        for top, right in lines.items():
            assert abs(right - (box["x"] + box["width"])) < 3, (path, top, right, box)
