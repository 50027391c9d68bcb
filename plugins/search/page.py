"""The search page the build writes (output/search/index.html): the service's search template
with no query, which answers from the static search index in the browser when no service
answers (theme/static/js/search-page.js; docs/search.md, "Search without a server").

Where the service runs, /search and /search/ are its own (it renders the same template with
results); on a host that only serves files, /search/ is this page.
"""
from __future__ import annotations

from typing import Any

from pelican.generators import Generator

from foundation.settings import build_setting

from . import store

SAVE_AS = "search/index.html"
URL = "search/"


def empty_view() -> dict[str, Any]:
    """What search.html shows before a query: the service's view of no query (service._view)."""
    return {"query": "", "message": "", "ran": False, "sort": "relevance", "filters": {}, "hits": [], "facets": [],
            "sort_links": [], "pagination": None, "total": 0, "relaxed": False, "capped": False,
            "searchable": True, "json_url": "search.json",
            "static_index": f"{store.OUTPUT_DIR}/{store.STATIC_DIR}/"}


class SearchPageGenerator(Generator):
    """Writes the static search page."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer: Any) -> None:
        if not build_setting(self.settings, "XXGK_STATIC_SEARCH"):
            return  # the service answers /search/ (a served preview)
        writer.write_file(SAVE_AS, self.get_template("search"), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], url=URL, page_url=URL,
                          page_title="搜索", breadcrumbs=[{"text": "首页", "url": ""}], search=empty_view())


def get_generators(pelican: Any) -> type:
    return SearchPageGenerator
