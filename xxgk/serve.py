"""Serve a built site (and, once built, its search service) on one local port."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import click
from werkzeug.utils import safe_join
from werkzeug.wrappers import Request, Response
from werkzeug.middleware.shared_data import SharedDataMiddleware

from foundation.settings import SERVICE_SETTINGS_BY_NAME
from foundation.errors import XxgkError

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
log = logging.getLogger(__name__)

# Sent with every response unless the app answering set its own: the pages
# load only the site's own files and run no inline script, so this CSP costs
# nothing and stops injected markup from running anything.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
}
ERROR_PAGE = ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>服务暂时出错</title></head>"
              "<body><h1>服务暂时出错</h1><p>请稍后再试，或返回<a href=\"/\">首页</a>。</p></body></html>")


def harden(inner: WSGIApp) -> WSGIApp:
    """Add the security headers to every response; turn any unexpected error into a plain 500 page.

    No traceback ever reaches a visitor: the error is logged for the operator.
    """

    def app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            present = {k.lower() for k, _v in headers}
            headers = headers + [(k, v) for k, v in SECURITY_HEADERS.items() if k.lower() not in present]
            return start_response(status, headers, exc_info)

        try:
            return inner(environ, start)
        except Exception:  # noqa: BLE001 - the last line of defence for the public
            log.exception("请求 %s 出错", environ.get("PATH_INFO", ""))
            response = Response(ERROR_PAGE, 500, content_type="text/html; charset=utf-8")
            response.headers.update(SECURITY_HEADERS)
            return response(environ, start_response)

    return app


def static_app(root: Path) -> WSGIApp:
    """The files under `root`, served by werkzeug's SharedDataMiddleware (content types, ETag and
    conditional requests, no path outside `root`); around it only what a static site needs:
    GET and HEAD only, `index.html` for a folder, and the site's own 404 page."""

    def not_found(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        page = root / "404.html"
        body = page.read_bytes() if page.is_file() else "未找到页面".encode()
        return Response(body, 404, content_type="text/html; charset=utf-8")(environ, start_response)

    # Previews change from one save to the next: browsers ask again every time (max-age 0).
    files = SharedDataMiddleware(not_found, {"/": str(root)}, cache_timeout=0)

    def app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        if request.method not in ("GET", "HEAD"):
            return Response("只支持 GET 和 HEAD 请求", 405, {"Allow": "GET, HEAD"})(environ, start_response)
        rel = request.path.lstrip("/")
        target = safe_join(str(root), rel) if rel else str(root)
        if target is not None and Path(target).is_dir():
            if rel and not rel.endswith("/"):
                return Response("", 301, {"Location": request.path + "/"})(environ, start_response)
            environ = {**environ, "PATH_INFO": environ.get("PATH_INFO", "/").rstrip("/") + "/index.html"}
        body = files(environ, start_response)
        if request.method == "HEAD":  # headers only, whatever server runs this app
            getattr(body, "close", lambda: None)()
            return [b""]
        return body

    return app


def mount(routes: dict[str, WSGIApp], fallback: WSGIApp) -> WSGIApp:
    """Send requests for each exact path in `routes` to its app, everything else to `fallback`."""

    def app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "").rstrip("/")
        return routes.get(path, fallback)(environ, start_response)

    return app


@dataclass(frozen=True)
class ServiceSettings:
    """How the service runs, from the environment of its process (docs/search.md)."""

    tracker_slots: int = 1           # XXGK_TRACKER_SLOTS: key derivations at once, all processes together
    tracker_per_minute: float = 6.0  # XXGK_TRACKER_PER_MINUTE: derivations a minute per client (after 3 at once)
    trusted_proxies: frozenset[str] = frozenset()  # XXGK_TRUSTED_PROXIES: proxies whose X-Forwarded-For is believed
    runtime: Path | None = None      # XXGK_RUNTIME: folder of the shared locks (default: one in the temp folder)

    @classmethod
    def from_env(cls, env: dict[str, str]) -> "ServiceSettings":
        problems = []

        def number(name: str, default: float, kind: type) -> Any:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            try:
                value = kind(raw)
            except ValueError:
                value = 0
            if value <= 0:
                problems.append(f"{name}={raw!r} 应为正数")
            return value

        default = {name: s.default for name, s in SERVICE_SETTINGS_BY_NAME.items()}
        settings = cls(number("XXGK_TRACKER_SLOTS", default["XXGK_TRACKER_SLOTS"], int),
                       number("XXGK_TRACKER_PER_MINUTE", default["XXGK_TRACKER_PER_MINUTE"], float),
                       frozenset(p.strip() for p in env.get("XXGK_TRUSTED_PROXIES", "").split(",") if p.strip()),
                       Path(env["XXGK_RUNTIME"]) if env.get("XXGK_RUNTIME") else None)
        if problems:
            raise XxgkError("服务设置有误：" + "；".join(problems))
        return settings


def site_app(output: Path, service: ServiceSettings = ServiceSettings()) -> WSGIApp:
    """The whole site: static files, with the dynamic services mounted beside them."""
    from plugins.applications.limiter import Limiter, runtime_folder
    from plugins.applications.service import QUERY_PATH, tracker_app
    from plugins.search.service import search_app

    app = search_app(output, fallback=static_app(output))   # /search, /search.json
    limiter = Limiter(service.runtime or runtime_folder(output), service.tracker_slots, service.tracker_per_minute)
    tracker = tracker_app(output, limiter, service.trusted_proxies)
    return harden(mount({QUERY_PATH: tracker}, app))  # /ysqgk/query (tracker without JS)


def app_from_env() -> WSGIApp:
    """For WSGI servers in production: the site in $XXGK_OUTPUT (default ./output) with search and tracker.

    The segmenter's dictionary is loaded here, so that with `gunicorn --preload` the
    workers share one copy (at 20,000 documents: 333 MB for two workers without, docs/performance.md).
    """
    import os

    from plugins.search.engine import load_segmenter

    load_segmenter()
    return site_app(Path(os.environ.get("XXGK_OUTPUT") or SERVICE_SETTINGS_BY_NAME["XXGK_OUTPUT"].default).absolute(), ServiceSettings.from_env(dict(os.environ)))


def serve(output: Path, host: str = "127.0.0.1", port: int = 8000, root: Path | None = None) -> None:
    """Serve `output` until interrupted; with `root`, build first and rebuild on every save."""
    import threading

    import waitress

    from .preview import PreviewState, preview_app, rebuild, watch

    from .build import preview_overrides

    shown = "localhost" if host in ("0.0.0.0", "127.0.0.1") else host
    app = site_app(output)
    stop = threading.Event()
    if root is not None:
        # Feeds and sitemap.xml carry absolute addresses: the ones this preview is served on.
        overrides = preview_overrides(root, f"http://{shown}:{port}")
        state = PreviewState()
        rebuild(root, output, state, overrides)
        app = preview_app(app, state)
        threading.Thread(target=watch, args=(root, output, state, stop, overrides), daemon=True).start()
    elif not (output / "index.html").is_file():
        raise XxgkError(f"{output} 里还没有生成的网站，请先运行 make publish")
    click.echo(f"预览地址：http://{shown}:{port}/  （按 Ctrl+C 停止）")
    try:
        waitress.serve(app, host=host, port=port, threads=8, _quiet=True)
    finally:
        stop.set()


__all__ = ["SECURITY_HEADERS", "ServiceSettings", "app_from_env", "harden", "mount", "serve", "site_app", "static_app"]
