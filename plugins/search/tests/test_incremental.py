"""The index across builds: only changed documents are analysed; deletions go; damage is repaired."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from plugins.search import cache_path, engine, store
from foundation import background
from tests.sitekit import ORG, Site


def search(site: Site, query: str) -> list[str]:
    searcher = engine.Searcher(store.published(site.output) / store.INDEX_DIR)
    try:
        return [h.index_no for h in searcher.search(query).hits]
    finally:
        searcher.close()


def three(site: Site) -> None:
    site.entry("tzgg", 1, title="关于蓝鲸码头开放的通知", body="蓝鲸码头本周开放。")
    site.entry("tzgg", 2, title="关于冷链仓储检查的通知", body="检查冷链仓储。")
    site.entry("tzgg", 3, title="关于融资租赁政策的通知", body="融资租赁政策说明。")


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every text the engine segments during the test (bodies included).

    The build then writes the index in its own process, not in a child (foundation.background),
    so the texts are seen here."""
    monkeypatch.setattr(background, "can_fork", lambda: False)
    seen: list[str] = []
    real = engine.index.analyse_with_grams

    def counting(text: str):  # type: ignore[no-untyped-def]
        seen.append(text)
        return real(text)

    monkeypatch.setattr(engine.index, "analyse_with_grams", counting)  # where documents are analysed
    yield seen


def test_first_build_indexes_everything_and_an_unchanged_rebuild_nothing(site: Site, analysed: list[str]) -> None:
    three(site)
    site.build()
    first = store.build_stats(site.output)
    assert first.full_rebuild and first.analysed == first.total == first.added
    assert any("蓝鲸码头本周开放" in t for t in analysed)
    analysed.clear()
    site.build()
    again = store.build_stats(site.output)
    assert (again.analysed, again.unchanged, again.full_rebuild) == (0, first.total, False)
    assert analysed == []
    assert search(site, "蓝鲸") == [f"{ORG}/2024-00001"]


def test_an_edit_reindexes_that_document_only(site: Site, analysed: list[str]) -> None:
    three(site)
    site.build()
    analysed.clear()
    site.entry("tzgg", 1, title="关于海豚码头开放的通知", body="海豚码头本周开放。")
    site.build()
    stats = store.build_stats(site.output)
    assert (stats.analysed, stats.updated, stats.added, stats.removed) == (1, 1, 0, 0)
    assert not any("冷链" in t or "融资租赁" in t for t in analysed)
    assert search(site, "海豚") == [f"{ORG}/2024-00001"]
    assert search(site, "蓝鲸") == []
    assert search(site, "冷链") == [f"{ORG}/2024-00002"]


def test_a_deleted_or_unpublished_document_leaves_the_index(site: Site, analysed: list[str]) -> None:
    three(site)
    site.build()
    analysed.clear()
    (site.content / "tzgg" / "2024" / "2024-00002.md").unlink()
    site.entry("tzgg", 3, title="关于融资租赁政策的通知", body="融资租赁政策说明。", status="draft")
    site.build()
    stats = store.build_stats(site.output)
    assert (stats.removed, stats.analysed) == (2, 0)
    assert search(site, "冷链") == [] and search(site, "融资租赁") == []
    assert search(site, "蓝鲸") == [f"{ORG}/2024-00001"]


def test_a_new_document_is_added_alone(site: Site, analysed: list[str]) -> None:
    three(site)
    site.build()
    analysed.clear()
    site.entry("tzgg", 4, title="关于航运金融论坛的通知", body="航运金融论坛。")
    site.build()
    stats = store.build_stats(site.output)
    assert (stats.added, stats.analysed, stats.unchanged) == (1, 1, stats.total - 1)
    assert search(site, "航运金融") == [f"{ORG}/2024-00004"]


def test_runs_of_characters_are_found_in_every_segment_after_edits_and_deletions(site: Site) -> None:
    # Each build adds a segment; a run is checked in the Han column of the segment its
    # document lies in, and a deleted document's column is never read as another's.
    three(site)
    site.build()
    site.entry("tzgg", 4, title="关于航运金融论坛的通知", body="航运金融论坛在东疆举办。")
    site.build()
    (site.content / "tzgg" / "2024" / "2024-00002.md").unlink()
    site.entry("tzgg", 5, title="关于冷链物流的通知", body="冷链物流仓储检查开始。")
    site.build()
    searcher = engine.Searcher(store.published(site.output) / store.INDEX_DIR)
    try:
        assert len(searcher._leaves) > 1  # the case this test is about
        for typed, expected in (('"码头本周开"', "2024-00001"), ('"融论坛在东"', "2024-00004"),
                                ('"流仓储检"', "2024-00005"), ("链物流仓储检查开", "2024-00005")):
            assert [h.index_no for h in searcher.search(typed).hits] == [f"{ORG}/{expected}"], typed
        assert searcher.search('"检查冷链仓储"').total == 0  # the deleted document's run
    finally:
        searcher.close()


def live_generation(site: Site) -> Path:
    cache = cache_path(site.settings())
    name = store.read_pointer(cache)
    assert name
    return cache / name


def test_a_damaged_index_is_rebuilt_with_a_message(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    three(site)
    site.build()
    for path in live_generation(site).glob("MAIN_*.*"):  # every file of every segment
        path.write_bytes(b"not a segment")
    with caplog.at_level(logging.WARNING, logger="plugins.search.store"):
        site.build()
    assert any("无法读取" in r.getMessage() and "重新完整建立" in r.getMessage() for r in caplog.records)
    assert store.build_stats(site.output).full_rebuild
    assert search(site, "蓝鲸") == [f"{ORG}/2024-00001"]


def test_a_missing_index_is_rebuilt_with_a_message(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    three(site)
    site.build()
    (cache_path(site.settings()) / store.CURRENT).unlink()
    with caplog.at_level(logging.WARNING, logger="plugins.search.store"):
        site.build()
    assert any("CURRENT 缺失" in r.getMessage() for r in caplog.records)
    stats = store.build_stats(site.output)
    assert stats.full_rebuild and stats.analysed == stats.total


def test_each_update_is_a_new_generation_and_the_old_one_still_reads(site: Site) -> None:
    three(site)
    site.build()
    old = live_generation(site)
    reader = engine.Searcher(old)
    site.entry("tzgg", 1, title="关于海豚码头开放的通知", body="海豚码头本周开放。")
    site.build()
    new = live_generation(site)
    assert new != old and old.is_dir()
    assert not list(new.parent.glob("tmp-*"))
    # A reader of the previous generation goes on answering from it.
    assert [h.title for h in reader.search("蓝鲸").hits] == ["关于蓝鲸码头开放的通知"]
    reader.close()


def test_the_index_is_published_into_output_but_not_into_the_sitemap(site: Site) -> None:
    three(site)
    site.build()
    gen = store.published(site.output)
    assert gen is not None and gen.parent == site.output / store.OUTPUT_DIR
    assert "_search" not in site.read("sitemap.xml")
    assert not list((site.output / store.OUTPUT_DIR).rglob("*.html"))
