"""长者模式, keyboard use, and the site without JavaScript."""
from __future__ import annotations

import re

from playwright.sync_api import expect


def computed(page: object, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(f"e => getComputedStyle(e).{prop}")


def test_elder_mode_by_keyboard_persists_across_pages(page: object, base_url: str) -> None:
    page.goto(base_url + "/")
    toggle = page.get_by_role("button", name="长者模式")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    size = float(computed(page, "body", "fontSize").rstrip("px"))
    line = float(computed(page, "body", "lineHeight").rstrip("px"))
    assert size >= 18 and line / size >= 1.5
    page.get_by_role("link", name="通知公告").first.click()
    # A click does not wait for the page it opens: wait for it before looking at it.
    page.wait_for_url("**/tzgg/")
    expect(page.get_by_role("button", name="长者模式")).to_have_attribute("aria-pressed", "true")
    assert float(computed(page, "body", "fontSize").rstrip("px")) >= 18
    # Nothing essential hidden: navigation, search, catalogue and footer are still there.
    for selector in (".site-nav", ".search-box", "table.catalogue", ".site-footer"):
        assert page.locator(selector).first.is_visible(), selector
    page.get_by_role("button", name="长者模式").press(" ")
    assert page.get_by_role("button", name="长者模式").get_attribute("aria-pressed") == "false"


def test_skip_link_and_visible_focus(page: object, base_url: str) -> None:
    page.goto(base_url + "/tzgg/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "跳到主要内容"
    assert skip.evaluate("e => e.getBoundingClientRect().left >= 0")  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    outline = focused.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px")


def test_every_control_reachable_by_keyboard(page: object, base_url: str) -> None:
    page.goto(base_url + "/czyjs/")
    wanted = page.evaluate("""() => {
        const all = Array.from(document.querySelectorAll('a[href], button:not([hidden]), input'));
        all.forEach((e, i) => e.dataset.stop = i);
        return all.length; }""")
    reached = set()
    for _ in range(wanted + 5):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.dataset.stop"))
    assert {str(i) for i in range(wanted)} <= reached


def test_site_works_without_javascript(browser: object, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(base_url + "/")
        page.get_by_role("link", name="政策文件").first.click()
        page.wait_for_url("**/zcwj/")
        page.locator(".filters").get_by_role("link", name=re.compile("^有效")).click()
        page.wait_for_url(re.compile("validity/yx"))
        page.locator("table.catalogue a").first.click()
        page.wait_for_url(re.compile(r"/zcwj/[0-9]{4}-[0-9]{5}\.html$"))
        expect(page.locator(".meta-box")).to_be_visible()
        page.get_by_role("searchbox", name="搜索本站信息").fill("预算")
        page.get_by_role("button", name="搜索").click()
        page.wait_for_url(re.compile(r"/search/?\?"))
        assert page.locator("main").inner_text().count("预算") > 1
        page.goto(base_url + "/ysqgk/")
        page.get_by_label("申请编号").fill("DJ-2026-0001")
        page.get_by_label("查询码").fill("Y8MS-UA5C-AG")
        page.get_by_role("button", name="查询").click()
        page.wait_for_url(re.compile("/ysqgk/query"))
        expect(page.locator("main")).to_contain_text("答复期限")
    finally:
        context.close()
