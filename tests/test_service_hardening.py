"""The public services under bad input and load: bounded, escaped, headed, never a 500 or a traceback."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.test import Client

from tests.loadkit import run_load
from tests.sitekit import entry_text, make_root, write_content
from xxgk.build import build_atomically
from xxgk.serve import SECURITY_HEADERS, harden, site_app


@pytest.fixture(scope="module")
def client(demo_output: Path) -> Client:
    return Client(site_app(demo_output))


@pytest.mark.parametrize("path", ["/", "/tzgg/", "/search?q=预算", "/search.json?q=预算", "/ysqgk/",
                                  "/ysqgk/query?number=DJ-2026-0001&code=Y8MS-UA5C-AG", "/nope.html",
                                  "/search?q=" + "长" * 200])
def test_security_headers_everywhere(client: Client, path: str) -> None:
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers.get("Referrer-Policy") in ("same-origin", "no-referrer")


@pytest.mark.parametrize(("query", "status", "text"), [
    ("q=" + "长" * 101, 400, "搜索词太长"),
    ("q=预算&page=abc", 400, "页码「abc」不对"),
    ("q=预算&page=99999999999", 400, "页码"),
    ("q=预算&page=999", 404, "超出了搜索结果的范围"),
    ("q=预算&sort=evil", 400, "排序方式只能是"),
])
def test_bad_parameters_get_a_helpful_4xx(client: Client, query: str, status: int, text: str) -> None:
    response = client.get("/search?" + query)
    assert response.status_code == status
    body = response.get_data(as_text=True)
    assert text in body and "Traceback" not in body and "<h1>" in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/search", "/ysqgk/query", "/", "/tzgg/"])
def test_only_get_and_head(client: Client, method: str, path: str) -> None:
    response = client.open(path, method=method)
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


@pytest.mark.parametrize("path", ["/../pelicanconf.py", "/%2e%2e/pelicanconf.py", "/..%2fpelicanconf.py",
                                  "/theme/../../pelicanconf.py", "//etc/passwd", "/ysqgk/status/../../../etc/passwd"])
def test_no_path_traversal(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "XXGK" not in response.get_data(as_text=True) and "root:" not in response.get_data(as_text=True)


def test_reflected_values_are_escaped(client: Client) -> None:
    hostile = "<script>alert('x')</script>\"'><img src=x onerror=1>"
    for path in ("/search?q=", "/search.json?q=", "/ysqgk/query?code=x&number="):
        body = client.get(path + hostile).get_data(as_text=True)
        assert "<script>alert" not in body and "<img src=x" not in body


def test_unexpected_error_is_a_plain_500_without_traceback() -> None:
    def broken(environ: dict, start_response: object) -> list[bytes]:
        raise RuntimeError("secret internals")

    response = Client(harden(broken)).get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "服务暂时出错" in body
    assert "secret internals" not in body and "Traceback" not in body
    assert response.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]


class _Server:
    """A waitress server on a free loopback port, in a daemon thread, stopped cleanly."""

    def __init__(self, app: object):
        from waitress.server import create_server

        self.server = create_server(app, host="127.0.0.1", port=0, threads=8)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def close(self) -> None:
        # Closing the listening socket from here would race the select loop (EBADF):
        # ask the loop to stop, then close once it has.
        self.server.task_dispatcher.shutdown()
        self.server.asyncore.close_all(self.server._map)


def serve(app: object) -> tuple[str, _Server]:
    server = _Server(app)
    return f"http://127.0.0.1:{server.server.effective_port}", server


def test_short_load_has_no_errors(demo_output: Path) -> None:
    base, server = serve(site_app(demo_output))
    try:
        stats = run_load(base, clients=8, seconds=4)
    finally:
        server.close()
    assert stats.requests > 40 and stats.errors == []


def test_load_while_rebuilds_swap_the_site_and_index(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    for i in range(1, 31):
        write_content(root, f"tzgg/2024/2024-{i:05d}.md", entry_text(serial=i, title=f"第{i}号安全生产通知"))
    build_atomically(root)
    base, server = serve(site_app(root / "output"))
    stop = threading.Event()
    builds: list[int] = []

    def rebuild() -> None:
        n = 0
        while not stop.is_set() and n < 4:
            n += 1
            write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, title=f"第{n}版安全生产通知"))
            build_atomically(root)
            builds.append(n)

    worker = threading.Thread(target=rebuild)
    worker.start()
    try:
        stats = run_load(base, clients=8, seconds=6,
                         pages=("/", "/tzgg/", "/tzgg/2024-00001.html", "/tzgg/2024-00017.html", "/feeds/all.atom.xml"))
    finally:
        stop.set()
        worker.join()
        server.close()
    assert builds and stats.requests > 40
    assert stats.errors == []


@pytest.mark.parametrize("page", ["%C2%B2", "%C2%B9", "%E2%91%A0", "%D9%A3", "%EF%BC%92", "-1", "0", "1e3", "9999999"])
def test_page_numbers_are_ascii_digits_within_bounds(client: Client, page: str) -> None:
    for path in ("/search.json", "/search"):
        response = client.get(f"{path}?q=通知&page={page}")
        assert response.status_code == 400, (path, page)
        assert "页码" in response.get_data(as_text=True)
