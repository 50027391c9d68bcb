"""The search service: a WSGI application for /search (HTML, the site's theme) and /search.json.

It reads what the build published under output/_search/ — the index and a
bundle of the theme's templates and context — and reopens both when a new
build swaps in another generation (CURRENT changes).  It needs nothing else
from the project, so production runs it from the built site alone::

    gunicorn 'plugins.search.service:app_from_env()'   # XXGK_OUTPUT=/srv/xxgk/output

Pages work without JavaScript: the form is a GET, facets and pages are links.
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlencode

from jinja2 import DictLoader, Environment
from markupsafe import Markup

from foundation.markup import sanitised
from foundation.settings import SERVICE_SETTINGS_BY_NAME
from werkzeug.wrappers import Request, Response

from foundation.display import markup_safe_json, page_window

from . import engine, store

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
PER_PAGE = 10
SORTS = {"relevance": "按相关度", "date": "按发布日期"}
# The theme's own files only: no inline script, so nothing a document or a query
# smuggles into the page can run (everything is escaped as well).
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'self'",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}


class _Generation:
    """One published build: its index searcher and its template environment."""

    def __init__(self, folder: Path):
        self.name = folder.name
        self.searcher = engine.Searcher(folder / store.INDEX_DIR)
        site = json.loads((folder / store.SITE_FILE).read_text(encoding="utf-8"))
        self.context: dict[str, Any] = site.get("context", {})
        jinja = site.get("jinja", {})
        # autoescape: everything from the query and the documents is escaped;
        # auto_reload off: templates are loaded once, even if the build that
        # published them has since been replaced.
        self.env = Environment(loader=DictLoader(site.get("templates", {})), autoescape=True,
                               auto_reload=False, trim_blocks=jinja.get("trim_blocks", True),
                               lstrip_blocks=jinja.get("lstrip_blocks", True))
        self.env.filters["sanitised"] = sanitised  # as in the build's templates
        self.keywords = set(self.searcher.spec.keywords)


@dataclass
class _Params:
    q: str = ""
    page: int = 1
    sort: str = "relevance"
    filters: dict[str, str] = field(default_factory=dict)

    def url(self, path: str = "search", **changes: Any) -> str:
        values: dict[str, Any] = {"q": self.q}
        if self.sort != "relevance":
            values["sort"] = self.sort
        values.update(self.filters)
        values.update(changes)
        if values.get("page") == 1:
            values.pop("page")
        if values.get("sort") == "relevance":
            values.pop("sort")
        clean = {k: v for k, v in values.items() if v not in (None, "")}
        return f"{path}?{urlencode(clean)}" if clean else path


_ASCII_INT = re.compile(r"[0-9]{1,9}")


def ascii_int(raw: str, low: int, high: int) -> int | None:
    """`raw` as a whole number within [low, high], written in ASCII digits only, else None
    (str.isdigit() accepts ² and ①, which int() refuses: that was a 500)."""
    if not _ASCII_INT.fullmatch(raw):
        return None
    value = int(raw)
    return value if low <= value <= high else None


class _BadRequest(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


class SearchService:
    """WSGI app: /search and /search.json; everything else goes to `fallback` (or 404)."""

    def __init__(self, output: Path, fallback: WSGIApp | None = None):
        self.output = output
        self.fallback = fallback
        self._lock = threading.Lock()
        self._gen: _Generation | None = None

    # the published index ------------------------------------------------------

    def generation(self) -> _Generation | None:
        """The live generation, reopened when a build has swapped in a new one."""
        root = self.output / store.OUTPUT_DIR
        name = store.read_pointer(root)
        current = self._gen
        if name is None or (current is not None and current.name == name):
            # While a rebuild has emptied output/, keep answering from the open generation.
            return current
        with self._lock:
            if self._gen is None or self._gen.name != name:
                try:
                    self._gen = _Generation(root / name)
                    log.info("搜索服务已打开索引 %s", name)
                except Exception as exc:  # noqa: BLE001 - a half-written build: keep the old one
                    log.warning("无法打开搜索索引 %s（%s: %s），继续使用上一版", name, type(exc).__name__, exc)
            return self._gen

    # WSGI -------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        path = request.path.rstrip("/") or "/"
        if path not in ("/search", "/search.json"):
            if self.fallback is not None:
                return self.fallback(environ, start_response)
            return Response("未找到", 404, content_type="text/plain; charset=utf-8")(environ, start_response)
        if request.method not in ("GET", "HEAD"):
            return Response("只支持 GET 和 HEAD 请求", 405, {"Allow": "GET, HEAD"})(environ, start_response)
        as_json = path == "/search.json"
        response = self._json(request) if as_json else self._html(request)
        response.headers.update(HEADERS)
        return response(environ, start_response)

    def _params(self, request: Request, gen: _Generation) -> _Params:
        args = request.args
        q = " ".join(args.get("q", "").split())
        if len(q) > engine.MAX_QUERY_CHARS:
            raise _BadRequest(f"搜索词太长：{len(q)} 个字，最多 {engine.MAX_QUERY_CHARS} 个字，请缩短后再搜索。")
        raw_page = args.get("page", "1").strip() or "1"
        page = ascii_int(raw_page, 1, 999_999)
        if page is None:
            raise _BadRequest(f"页码「{raw_page[:20]}」不对，页码应为从 1 开始的整数。")
        sort = args.get("sort", "relevance") or "relevance"
        if sort not in SORTS:
            raise _BadRequest("排序方式只能是 relevance（按相关度）或 date（按发布日期）。")
        filters: dict[str, str] = {}
        for name in sorted(gen.keywords):
            value = args.get(name, "").strip()
            if not value:
                continue
            if name == "column":
                # The column's name works as well as its key (links use the key).
                by_name = {v: k for k, v in gen.searcher.column_names.items()}
                value = by_name.get(value, value)
            if len(value) > engine.MAX_QUERY_CHARS:
                raise _BadRequest(f"筛选条件 {name} 太长。")
            filters[name] = value
        return _Params(q, page, sort, filters)

    def _run(self, request: Request) -> tuple[_Generation, _Params, engine.Results | None]:
        gen = self.generation()
        if gen is None:
            raise _BadRequest("搜索服务暂时不可用：网站还没有生成搜索索引（请先运行 make html）。", 503)
        params = self._params(request, gen)
        if not params.q:
            return gen, params, None
        try:
            results = gen.searcher.search(params.q, params.page, PER_PAGE, params.sort, params.filters)
        except engine.QueryError as exc:
            raise _BadRequest(f"{exc}。") from exc
        if results.total and params.page > results.pages:
            raise _BadRequest(f"第 {params.page} 页超出了搜索结果的范围：共 {results.total} 条，"
                              f"{results.pages} 页。", 404)
        return gen, params, results

    # JSON -------------------------------------------------------------------

    def _json(self, request: Request) -> Response:
        try:
            gen, params, results = self._run(request)
        except _BadRequest as exc:
            return _json_response({"error": exc.message, "query": request.args.get("q", "")[:200]}, exc.status)
        base = gen.context.get("SITEURL", "")
        names = gen.searcher.column_names
        if results is None:
            body: dict[str, Any] = {"query": "", "total": 0, "page": 1, "results": [],
                                    "facets": {"column": {}, "year": {}}}
        else:
            body = {
                "query": results.query, "total": results.total, "page": results.page,
                "results": [{"title": h.title, "url": f"{base}/{h.url}", "column": h.column_name, "date": h.date,
                             "index_no": h.index_no, "doc_no": h.doc_no, "snippet": h.snippet_html}
                            for h in results.hits],
                "facets": {"column": {names.get(k, k): n for k, n in results.facets["column"].items()},
                           "year": results.facets["year"]},
            }
        return _json_response(body, 200)

    # HTML -------------------------------------------------------------------

    def _html(self, request: Request) -> Response:
        gen = self.generation()
        try:
            gen, params, results = self._run(request)
        except _BadRequest as exc:
            if gen is None:
                return Response(exc.message, exc.status, content_type="text/plain; charset=utf-8")
            q = " ".join(request.args.get("q", "").split())[:engine.MAX_QUERY_CHARS]
            return self._page(gen, _view(gen, _Params(q), None, exc.message), exc.status)
        return self._page(gen, _view(gen, params, results, ""), 200)

    def _page(self, gen: _Generation, view: dict[str, Any], status: int) -> Response:
        title = f"搜索：{view['query']}" if view["query"] else "搜索"
        text = gen.env.get_template("search.html").render(
            **gen.context, page_title=title, breadcrumbs=[{"text": "首页", "url": ""}], search=view)
        return Response(text, status, content_type="text/html; charset=utf-8")


def _json_response(body: dict[str, Any], status: int) -> Response:
    return Response(markup_safe_json(body), status, content_type="application/json; charset=utf-8")


def _link(text: str, url: str, count: int = 0, current: bool = False) -> dict[str, Any]:
    return {"text": text, "url": url, "count": count, "current": current}


def _view(gen: _Generation, params: _Params, results: engine.Results | None, message: str) -> dict[str, Any]:
    """Everything search.html shows, ready to print (the template has no logic of its own)."""
    view: dict[str, Any] = {"query": params.q, "message": message, "ran": results is not None,
                            "sort": params.sort, "filters": params.filters, "hits": [], "facets": [],
                            "sort_links": [], "pagination": None, "total": 0, "relaxed": False, "capped": False,
                            "searchable": True, "json_url": params.url("search.json", page=params.page)}
    if results is None:
        return view
    names = gen.searcher.column_names
    view.update(total=results.total, relaxed=results.relaxed, searchable=results.searchable, capped=results.capped,
                phrase_checks=engine.PHRASE_CHECKS,
                first=(results.page - 1) * results.per_page + 1)
    view["hits"] = [{"url": h.url, "title_html": Markup(h.title_html), "snippet_html": Markup(h.snippet_html),
                     "column": h.column_name, "column_url": f"{h.column}/" if h.column != "pages" else "",
                     "date": h.date, "index_no": h.index_no, "doc_no": h.doc_no, "validity": h.validity}
                    for h in results.hits]
    view["sort_links"] = [_link(label, params.url(sort=key, page=1), current=params.sort == key)
                          for key, label in SORTS.items()]
    facets = []
    for name, label, counts, text in (
            ("column", "栏目", results.facets["column"], lambda k: names.get(k, k)),
            ("year", "年份", results.facets["year"], lambda y: f"{y}年")):
        chosen = params.filters.get(name, "")
        options = [_link(f"全部{label}", params.url(**{name: "", "page": 1}), sum(counts.values()), not chosen)]
        options += [_link(text(k), params.url(**{name: k, "page": 1}), n, chosen == k) for k, n in counts.items()]
        facets.append({"label": label, "options": options})
    view["facets"] = facets
    view["pagination"] = _pagination(params, results)
    return view


def _pagination(params: _Params, results: engine.Results) -> dict[str, Any]:
    """The theme's pagination macro's shape, with a window of pages around the current one."""
    n, total = results.page, results.pages
    return {"number": n, "total_pages": total, "total_items": results.total,
            "pages": [_link(str(i), params.url(page=i), current=i == n) if i else _link("…", "")
                      for i in page_window(n, total)],
            "prev_url": params.url(page=n - 1) if n > 1 else "",
            "next_url": params.url(page=n + 1) if n < total else ""}


def search_app(output: Path, fallback: WSGIApp | None = None) -> WSGIApp:
    """The search service for the site built into `output`; other paths go to `fallback` (or 404)."""
    return SearchService(Path(output), fallback)


def app_from_env() -> WSGIApp:
    """For WSGI servers: the service for the built site in $XXGK_OUTPUT (default ./output)."""
    return search_app(Path(os.environ.get("XXGK_OUTPUT") or SERVICE_SETTINGS_BY_NAME["XXGK_OUTPUT"].default).resolve())


__all__ = ["SearchService", "app_from_env", "search_app"]
