"""axe-core reports no violations on any page type, on a phone and on a desktop."""
from __future__ import annotations

import pytest

from .pages import PAGE_TYPES, WIDTHS


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_axe_violations(browser: object, base_url: str, axe_source: str, name: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    try:
        response = page.goto(base_url + PAGE_TYPES[name])
        assert response is not None and response.status in (200, 404) and (
            response.status == 200 or name == "search-none"), f"{name}: HTTP {response.status}"
        page.evaluate(axe_source)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))")
        assert violations == [], f"{name} at {width}px: {violations}"
    finally:
        context.close()
