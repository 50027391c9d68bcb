"""Live preview for editors: rebuild on save, and show build errors on the page being previewed.

`make serve` runs this: a watcher rebuilds the site (atomically, so the
server never serves a half-written site) whenever content, theme, settings,
application records or holiday data change.  While the last build failed,
every page carries a banner listing the problems, so a stale site is never
shown silently; a small script reloads the page when a new build is live.
"""
from __future__ import annotations

import html
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import click
from werkzeug.wrappers import Response

from foundation.errors import ContentError, XxgkError

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
WATCHED = ("content", "theme", "applications", "data", "pelicanconf.py")
LIVE_JS = """(function () {
  var seen = null;
  function poll() {
    fetch("/_preview/state", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.version !== seen) { location.reload(); }
      seen = s.version;
    }).catch(function () {}).finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""


@dataclass
class PreviewState:
    version: int = 0
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def succeeded(self) -> None:
        with self.lock:
            self.version += 1
            self.problems = []

    def failed(self, problems: list[str]) -> None:
        with self.lock:
            self.version += 1
            self.problems = problems


def describe_failure(exc: Exception) -> list[str]:
    if isinstance(exc, ContentError):
        return [str(p) for p in exc.problems]
    if isinstance(exc, XxgkError):
        return str(exc).splitlines()
    return [f"内部错误（{type(exc).__name__}: {exc}）"]


def rebuild(root: Path, output: Path, state: PreviewState, overrides: dict[str, Any] | None = None) -> None:
    """Build once; record success or the problems, and tell the terminal."""
    from .build import build_atomically

    try:
        result = build_atomically(root, output=output, overrides=overrides)
    except Exception as exc:  # noqa: BLE001 - every failure is shown to the editor, none kills the preview
        problems = describe_failure(exc)
        state.failed(problems)
        click.echo("生成失败，预览仍显示上一次成功的版本（页面顶部有提示）：", err=True)
        for line in problems:
            click.echo(f"  {line}", err=True)
        return
    state.succeeded()
    for w in result.warnings:
        click.echo(f"警告: {w}", err=True)
    click.echo("已重新生成，浏览器会自动刷新。")


def watch(root: Path, output: Path, state: PreviewState, stop: threading.Event,
          overrides: dict[str, Any] | None = None) -> None:
    """Rebuild whenever a watched file changes, until `stop` is set."""
    from watchfiles import watch as watch_files

    paths = [root / p for p in WATCHED if (root / p).exists()]
    for _changes in watch_files(*paths, stop_event=stop, debounce=400, raise_interrupt=False):
        rebuild(root, output, state, overrides)


def banner(problems: list[str]) -> str:
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
    return ('<div role="alert" class="preview-error">'
            "<strong>预览未更新：最近一次生成失败，下面显示的是上一次成功生成的网站。请改正以下问题并保存：</strong>"
            f"<ul>{items}</ul></div>")


def preview_app(inner: WSGIApp, state: PreviewState) -> WSGIApp:
    """Serve the site with the live-reload script and, after a failed build, the problems banner."""

    def app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/_preview/live.js":
            return Response(LIVE_JS, content_type="application/javascript; charset=utf-8")(environ, start_response)
        if path == "/_preview/state":
            with state.lock:
                body = json.dumps({"version": state.version, "problems": state.problems}, ensure_ascii=False)
            return Response(body, content_type="application/json; charset=utf-8",
                            headers={"Cache-Control": "no-store"})(environ, start_response)
        response = Response.from_app(inner, environ)
        if response.mimetype == "text/html" and environ.get("REQUEST_METHOD") != "HEAD":
            page = response.get_data(as_text=True)
            with state.lock:
                problems = list(state.problems)
            if problems and '<a class="skip-link"' in page:
                page = page.replace('<a class="skip-link"', banner(problems) + '<a class="skip-link"', 1)
            elif problems:
                page = banner(problems) + page
            page = page.replace("</body>", '<script src="/_preview/live.js" defer></script></body>', 1)
            response.set_data(page)
        response.headers["Cache-Control"] = "no-store"
        return response(environ, start_response)

    return app
