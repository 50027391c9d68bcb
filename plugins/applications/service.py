"""The tracker without JavaScript: GET /ysqgk/query?number=…&code=… renders the built page server-side.

It reads the same status files the browser fetches (found by the same hash,
so the service knows no more than a static host) and fills the result into
the built ``ysqgk/index.html``.  Mount it beside the static site, e.g. in
xxgk/serve.py: requests whose path is QUERY_PATH go to ``tracker_app(output)``.
"""
from __future__ import annotations

import html
import json
import threading
from pathlib import Path
from typing import Any, Callable, Iterable

from werkzeug.wrappers import Request, Response

from . import codes
from .public import MISSING, NOT_FOUND, PAGE, QUERY_PATH, STATUS_DIR, render_message, render_status

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
RESULT_MARKER = "<!-- tracker-result -->"
PREFILL_MARKER = 'value="" data-prefill="number"'
HEADERS = {
    "Cache-Control": "no-store",              # a result page must not sit in shared caches
    "Referrer-Policy": "no-referrer",         # the URL holds the query code
    "X-Content-Type-Options": "nosniff",
}


def find_status(output_dir: Path, number: str, code: str) -> dict[str, Any] | None:
    """The public status of `number` if `code` is its query code, else None (same for unknown numbers)."""
    key = codes.derive(number, code)
    path = output_dir / STATUS_DIR / f"{codes.file_name(key)}.json"
    if not path.is_file():
        return None
    return codes.unseal(key, json.loads(path.read_text(encoding="utf-8")))


def fill_page(page: str, result: str, number: str) -> str:
    """Put a rendered result (and the number typed) into the built tracker page."""
    page = page.replace(RESULT_MARKER, result, 1)
    return page.replace(PREFILL_MARKER, f'value="{html.escape(number)}" data-prefill="number"', 1)


# Each query derives a PBKDF2 key (600,000 rounds, ~0.3 s of one core) on purpose, so that
# guessing codes is infeasible; bound how many run at once so a flood of queries cannot
# take the whole server, and answer 503 (try again) when all slots stay busy.
DERIVATION_SLOTS = 2
SLOT_WAIT_SECONDS = 10.0
BUSY = "查询的人较多，请稍后再试。"


def tracker_app(output_dir: Path, slots: int = DERIVATION_SLOTS, wait: float = SLOT_WAIT_SECONDS) -> WSGIApp:
    """A WSGI app answering QUERY_PATH from the built site in `output_dir`."""
    output_dir = Path(output_dir)
    gate = threading.BoundedSemaphore(slots)

    def app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        if request.path.rstrip("/") != QUERY_PATH:
            return Response("未找到页面", 404, content_type="text/plain; charset=utf-8")(environ, start_response)
        if request.method not in ("GET", "HEAD"):
            return Response("只支持 GET 和 HEAD 请求", 405, {"Allow": "GET, HEAD"})(environ, start_response)
        page_path = output_dir / PAGE
        if not page_path.is_file():
            return Response("网站尚未生成查询页面", 404, content_type="text/plain; charset=utf-8")(
                environ, start_response)
        number = request.values.get("number", "")[:40]
        code = request.values.get("code", "")[:40]
        if not codes.normalise_number(number) or not codes.normalise_code(code):
            status, result = 400, render_message(MISSING)
        elif not gate.acquire(timeout=wait):
            status, result = 503, render_message(BUSY)
        else:
            try:
                data = find_status(output_dir, number, code)
            finally:
                gate.release()
            status, result = (200, render_status(data)) if data else (404, render_message(NOT_FOUND))
        body = fill_page(page_path.read_text(encoding="utf-8"), result, codes.normalise_number(number))
        return Response(body, status, HEADERS, content_type="text/html; charset=utf-8")(environ, start_response)

    return app


__all__ = ["QUERY_PATH", "find_status", "tracker_app"]
