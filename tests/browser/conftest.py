"""Real pages in a real browser: Debian's Chromium driven by Playwright, the demo site served on loopback.

Never a downloaded browser: Playwright launches /usr/bin/chromium (installed by
`make test` / .ci/run with apt-get).  The site is the demo build with its fixed
today, served by the same WSGI app as `make serve` (static files, search, tracker).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Iterator

import pytest

from tests.browser.pages import ARGS, CHROMIUM


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # In CI the browser is installed by `make test`, so a missing one must fail loudly there.
    if Path(CHROMIUM).exists() or os.environ.get("CI") == "true":
        return
    reason = f"{CHROMIUM} missing: run `make test`, which installs Debian's chromium"
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def base_url(demo_output: Path) -> Iterator[str]:
    from waitress.server import create_server

    from xxgk.serve import site_app

    server = create_server(site_app(demo_output), host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    root = Path(__file__).resolve().parents[2]
    path = root / "node_modules/axe-core/axe.min.js"
    if not path.is_file():
        pytest.fail("node_modules/axe-core missing: run `make test` (it runs npm ci)")
    return path.read_text(encoding="utf-8")
