"""The tracker without JavaScript: GET /ysqgk/query?number=…&code=… renders the built page server-side.

It reads the same status files the browser fetches (found by the same hash,
so the service knows no more than a static host) and fills the result into
the built ``ysqgk/index.html``.  Mount it beside the static site, e.g. in
xxgk/serve.py: requests whose path is QUERY_PATH go to ``tracker_app(output)``.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any, Callable, Iterable

from werkzeug.wrappers import Request, Response

from foundation.requests import codes
from .limiter import Limiter, client_of, runtime_folder
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


BUSY = "查询的人较多，请稍后再试。"
TOO_OFTEN = "查询过于频繁，请过 {seconds} 秒后再试。"


def tracker_app(output_dir: Path, limiter: Limiter | None = None,
                trusted_proxies: frozenset[str] = frozenset()) -> WSGIApp:
    """A WSGI app answering QUERY_PATH from the built site in `output_dir`.  Key derivations are
    bounded by `limiter` (limiter.py: one at a time across every process serving the site,
    and a few a minute per client, by default)."""
    output_dir = Path(output_dir)
    limiter = limiter or Limiter(runtime_folder(output_dir))

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
        headers = dict(HEADERS)
        if not codes.normalise_number(number) or not codes.normalise_code(code):
            status, result = 400, render_message(MISSING)
        else:
            with limiter.derivation(client_of(environ, trusted_proxies)) as refused:
                data = find_status(output_dir, number, code) if refused is None else None
            if refused is not None:
                headers["Retry-After"] = str(refused.retry_after)
                text = BUSY if refused.status == 503 else TOO_OFTEN.format(seconds=refused.retry_after)
                status, result = refused.status, render_message(text)
            else:
                status, result = (200, render_status(data)) if data else (404, render_message(NOT_FOUND))
        body = fill_page(page_path.read_text(encoding="utf-8"), result, codes.normalise_number(number))
        return Response(body, status, headers, content_type="text/html; charset=utf-8")(environ, start_response)

    return app


__all__ = ["QUERY_PATH", "find_status", "tracker_app"]
