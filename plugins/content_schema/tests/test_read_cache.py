"""The cache of valid reads (foundation/cache.py): unchanged files are not read again, and it never
hides a change or a problem.  Functional checks only: what a second build publishes and reports."""
from __future__ import annotations

from typing import Any

import pytest

from plugins.content_schema import reader
from tests.sitekit import ORG, Site, pdf_bytes
from foundation.errors import ContentError


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Bodies rendered by the reader in this test (a cached read renders nothing)."""
    seen: list[str] = []
    real = reader.render_markdown

    def counting(text: str) -> str:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(reader, "render_markdown", counting)
    return seen


def problems_of(site: Site, **overrides: Any) -> list[str]:
    with pytest.raises(ContentError) as caught:
        site.build(**overrides)
    return [str(p) for p in caught.value.problems]


def xxgk(site: Site, **changes: Any) -> dict[str, Any]:
    return {**site.settings()["XXGK"], **changes}


def test_unchanged_files_are_not_read_again_and_an_edit_is(site: Site, renders: list[str]) -> None:
    site.entry(serial=1, body="第一条的正文。")
    site.entry(serial=2, body="第二条的正文。")
    site.build()
    assert len(renders) == 6  # two entries and the four statutory pages
    renders.clear()
    site.build()
    assert renders == []
    assert "第一条的正文。" in site.read("tzgg/2024-00001.html")
    site.entry(serial=1, body="第一条改过的正文。", title="关于开展安全生产大检查的通知")
    site.build()
    assert renders == ["第一条改过的正文。\n"]
    page = site.read("tzgg/2024-00001.html")
    assert "第一条改过的正文。" in page and "关于开展安全生产大检查的通知" in page
    assert "第二条的正文。" in site.read("tzgg/2024-00002.html")


def test_an_invalid_file_is_reported_on_every_build(site: Site, renders: list[str]) -> None:
    site.entry(serial=1)
    site.entry(serial=2, date="2024-02-30")
    expected = ("content/tzgg/2024/2024-00002.md:6: date: 日期「2024-02-30」不存在：2024 年 2 月只有 29 天"
                "（expected YYYY-MM-DD，例如 2024-03-15）")
    assert problems_of(site) == [expected]
    assert problems_of(site) == [expected]
    site.entry(serial=2, date="2024-02-28", written_date="2024-02-27")
    site.build()
    assert (site.output / "tzgg/2024-00002.html").is_file()


def test_a_warning_is_shown_on_every_build(site: Site) -> None:
    site.entry(serial=1)
    site.entry(serial=2, status="draft", summary=None)  # a draft may lack fields: a reminder, not an error
    first = site.build().warnings
    second = site.build().warnings
    assert any("2024-00002.md" in w and "summary" in w for w in first)
    assert first == second


def test_a_deleted_file_disappears(site: Site) -> None:
    site.entry(serial=1, title="留下的通知")
    gone = site.entry(serial=2, title="将被删除的通知")
    site.build()
    assert "将被删除的通知" in site.read("tzgg/index.html")
    gone.unlink()
    site.build()
    assert not (site.output / "tzgg/2024-00002.html").exists()
    assert "将被删除的通知" not in site.read("tzgg/index.html")
    assert "留下的通知" in site.read("tzgg/index.html")


def test_publication_is_decided_again_for_a_cached_read(site: Site, renders: list[str]) -> None:
    site.entry(serial=1)
    site.entry(serial=2, title="定时发布的通知", date="2025-01-10", written_date="2025-01-08")
    site.build(XXGK=xxgk(site, TODAY="2025-01-01"))
    assert not (site.output / "tzgg/2024-00002.html").exists()
    renders.clear()
    site.build(XXGK=xxgk(site, TODAY="2025-01-15"))
    assert renders == []  # the same reads, from the cache ...
    assert "定时发布的通知" in site.read("tzgg/2024-00002.html")  # ... published on its day


def test_a_cached_penalty_is_masked_and_checked_again(site: Site) -> None:
    site.entry("xzcf", 1, party_name="张三丰", party_type="自然人", credit_code=None, legal_rep=None,
               body="当事人张三丰未按规定办理。")
    first = problems_of(site)
    assert any("自然人姓名「张三丰」出现在" in p for p in first)
    assert problems_of(site) == first


def test_a_removed_attachment_is_reported(site: Site) -> None:
    pdf = site.write("tzgg/2024/files/a.pdf", pdf_bytes())
    site.entry(attachments=["files/a.pdf"])
    site.build()
    pdf.unlink()
    [problem] = problems_of(site)
    assert "附件文件「files/a.pdf」不存在" in problem


def test_changed_settings_are_checked_again(site: Site) -> None:
    site.entry(publisher="党政办公室")
    site.build()
    publishers = [p for p in site.settings()["XXGK"]["PUBLISHERS"] if p[0] != "党政办公室"]
    [problem] = problems_of(site, XXGK=xxgk(site, PUBLISHERS=publishers))
    assert "publisher: 「党政办公室」不在允许的取值中" in problem


def test_caching_can_be_turned_off(site: Site, renders: list[str]) -> None:
    site.entry()
    site.build(XXGK_CACHE=False)
    site.build(XXGK_CACHE=False)
    assert len(renders) == 10
    assert not list((site.content.parent / ".xxgk-cache").glob("reads-*.sqlite"))


def test_a_damaged_cache_is_ignored(site: Site) -> None:
    site.entry(body="正文甲。")
    site.build()
    [cache] = (site.content.parent / ".xxgk-cache").glob("reads-*.sqlite")
    cache.write_bytes(b"not a pickle")
    site.entry(body="正文乙。")
    site.build()
    assert "正文乙。" in site.read("tzgg/2024-00001.html")


def test_index_no_duplicates_are_found_among_cached_reads(site: Site) -> None:
    site.entry(serial=1)
    site.entry(serial=2)
    site.build()
    site.entry(serial=2, index_no=f"{ORG}/2024-00001")
    problems = problems_of(site)
    assert any("索引号 11120116MB1K23456X/2024-00001 重复" in p for p in problems)


def test_reading_ahead_in_worker_processes_reads_the_same(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build of many files reads them in worker processes: same pages, same problems."""
    for i in range(1, 9):
        site.entry(serial=i, title=f"第{i}号通知", body=f"第{i}号通知的正文，“引号”和 \"quotes\" -- 破折号。")
    site.entry(serial=9, status="draft", summary=None)   # a warning
    site.entry(serial=10, genre="通告书")                   # an error

    def pages() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted((site.output / "tzgg").glob("*.html"))}

    one_by_one = problems_of(site, XXGK_CACHE=False)
    site.entry(serial=10)
    warnings = site.build(XXGK_CACHE=False).warnings
    expected = pages()

    monkeypatch.setattr(reader, "PARALLEL_FROM", 1)
    monkeypatch.setattr(reader.background, "can_fork", lambda: True)  # pytest-xdist runs a thread of its own
    here: list[str] = []
    real = reader.EntryReader._read

    def counting(self: reader.EntryReader, raw: bytes, label: str, *args: Any) -> Any:
        here.append(label)  # only reads in this process are seen: the workers have their own copy
        return real(self, raw, label, *args)

    monkeypatch.setattr(reader.EntryReader, "_read", counting)
    site.entry(serial=10, genre="通告书")
    assert problems_of(site, XXGK_CACHE=False) == one_by_one
    site.entry(serial=10)
    assert site.build(XXGK_CACHE=False).warnings == warnings
    assert pages() == expected
    assert here == []
