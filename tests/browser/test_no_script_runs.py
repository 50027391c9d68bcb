"""Hostile markup never runs, even where no Content-Security-Policy protects the page: the
static pages are served by a plain file server (a mirror, a CDN without the header) and the
search and tracker pages by the service with its CSP header removed."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pytest

from tests.hostile import PAYLOADS

PAGES = ("/", "/tzgg/", "/tzgg/2024-00001.html", "/xzcf/", "/xzcf/2024-00002.html", "/xzcf/2024-00008.html",
         "/czyjs/2024-00003.html", "/zcwj/", "/zcwj/2024-00004.html", "/zcwj/2024-00009.html", "/zn.html",
         "/wzdt.html", "/tzgg/2024/")


@pytest.fixture(scope="module")
def plain_server(hostile_output: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(hostile_output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def service_without_csp(hostile_output: Path) -> Iterator[str]:
    from waitress.server import create_server

    from xxgk.serve import site_app

    app = site_app(hostile_output)

    def without_csp(environ, start_response):  # noqa: ANN001, ANN202 - WSGI
        def start(status, headers, exc_info=None):  # noqa: ANN001, ANN202
            return start_response(status, [(k, v) for k, v in headers if k.lower() != "content-security-policy"],
                                  exc_info)
        return app(environ, start)

    server = create_server(without_csp, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


def visit(page: object, urls: list[str]) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        page.mouse.move(200, 200)  # an onmouseover would fire
        page.mouse.move(600, 400)
    return dialogs


def test_no_dialog_on_static_pages_without_csp(page: object, plain_server: str) -> None:
    assert visit(page, [plain_server + p for p in PAGES]) == []


def test_no_dialog_on_search_and_tracker_without_csp(page: object, service_without_csp: str) -> None:
    urls = [f"{service_without_csp}/search?q={quote(q)}" for q in ("XSS", *PAYLOADS)]
    urls.append(f"{service_without_csp}/ysqgk/query?number={quote(PAYLOADS[1])}&code={quote(PAYLOADS[0])}")
    assert visit(page, urls) == []
