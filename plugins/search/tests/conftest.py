"""A small real site for the search tests, built once per session into a temporary folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from plugins.search import engine, store
from tests.sitekit import Site

from .corpus import write_fixture


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("search-site"))
    write_fixture(site)
    site.build()
    return site


@pytest.fixture(scope="session")
def searcher(fixture_site: Site) -> engine.Searcher:
    gen = store.published(fixture_site.output)
    assert gen is not None
    return engine.Searcher(Path(gen) / store.INDEX_DIR)
