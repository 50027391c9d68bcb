"""The guard's scan cache (results by file content, kept across builds) never hides a finding."""
from __future__ import annotations

from pathlib import Path

import pytest

from plugins.pii_guard import guard, scan
from plugins.pii_guard.tests.test_pii_guard import ID, MOBILE, caught, pdf_with
from tests.sitekit import Site


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Output files whose text the guard extracted in this test (a cached file is not read as text)."""
    seen: list[str] = []
    real = scan.extract

    def counting(path: Path) -> tuple[str | None, str]:
        if "content" not in path.parts:  # the sources are read only to name where a finding came from
            seen.append(path.name)
        return real(path)

    monkeypatch.setattr(scan, "extract", counting)
    return seen


def test_a_finding_in_an_unchanged_attachment_is_reported_again(site: Site, reads: list[str]) -> None:
    site.write("tzgg/2024/files/名单.pdf", pdf_with(f"申请人 {ID}"))
    site.entry(attachments=["files/名单.pdf"])
    first = caught(site)
    reads.clear()
    assert caught(site) == first
    assert "名单.pdf" not in reads  # from the cache, and still reported


def test_an_unchanged_site_is_not_read_again_and_a_new_leak_is_found(site: Site, reads: list[str]) -> None:
    site.entry(serial=1, body="第一条。")
    site.entry(serial=2, body="第二条。")
    site.build()
    reads.clear()
    site.build()
    assert [name for name in reads if name.endswith((".html", ".xml"))] == []
    site.entry(serial=2, body=f"联系人手机 {MOBILE}。")
    message = caught(site)
    assert "content/tzgg/2024/2024-00002.md: 手机号 139******78 出现在 tzgg/2024-00002.html" in message
    assert "2024-00002.html" in reads  # the changed page was read again …
    assert "2024-00001.html" not in reads  # … and the unchanged one was not


def test_an_unreadable_attachment_is_warned_about_on_every_build(site: Site) -> None:
    site.write("tzgg/2024/files/坏.pdf", b"%PDF-1.4 this is not really a pdf")
    site.entry(attachments=["files/坏.pdf"])
    for _ in range(2):
        warnings = site.build().warnings
        assert any("隐私检查无法读取" in w and "坏.pdf" in w for w in warnings)


def test_turned_off(site: Site, reads: list[str]) -> None:
    site.entry()
    site.build(XXGK_CACHE=False)
    reads.clear()
    site.build(XXGK_CACHE=False)
    assert "2024-00001.html" in reads
    assert not list((site.content.parent / ".xxgk-cache").glob("privacy-*.sqlite"))


def test_the_guard_alone_takes_no_cache(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "a.html").write_text(f"<p>{MOBILE}</p>", encoding="utf-8")
    (tmp_path / "content").mkdir()
    assert [f.hit.kind for f in guard(out, tmp_path / "content", [])] == ["手机号"]
    assert not (tmp_path / ".xxgk-cache").exists()


def test_many_files_are_read_in_workers_with_the_same_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past PARALLEL_FROM files the scan forks workers: same findings, in the same order, and a
    file a worker cannot read is still warned about (in the build's process)."""
    out = tmp_path / "output"
    for i in range(30):
        page = f"<p>第{i}页。</p>" + (f"<p>{MOBILE}</p>" if i % 7 == 3 else "")
        (out / f"d{i % 3}").mkdir(parents=True, exist_ok=True)
        (out / f"d{i % 3}" / f"p{i}.html").write_text(page, encoding="utf-8")
    (out / "d0" / "名单.pdf").write_bytes(pdf_with(f"申请人 {ID}"))
    (out / "d1" / "坏.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "content").mkdir()
    allowed = frozenset()
    monkeypatch.setattr(scan, "PARALLEL_FROM", 10**6)
    alone = list(scan.scan_files(out, allowed))
    monkeypatch.setattr(scan, "PARALLEL_FROM", 5)
    forked: list[int] = []
    real_pool = scan.multiprocessing.get_context("fork").Pool

    class CountingContext:
        def Pool(self, *args, **kwargs):  # noqa: N802 - multiprocessing's name
            forked.append(1)
            return real_pool(*args, **kwargs)

    monkeypatch.setattr(scan.multiprocessing, "get_context", lambda _kind: CountingContext())
    with pytest.MonkeyPatch.context() as m:
        warned: list[str] = []
        m.setattr(scan.log, "warning", lambda fmt, *args: warned.append(fmt % args))
        together = list(scan.scan_files(out, allowed))
    assert forked == [1]
    assert together == alone
    assert {h.kind for _where, h in together} == {"身份证号", "手机号"}
    assert len([1 for _w, h in together if h.kind == "手机号"]) == 4
    assert any("坏.pdf" in w for w in warned)


def test_claimed_folders_are_left_to_their_provider(tmp_path: Path) -> None:
    out = tmp_path / "output"
    (out / "_search" / "gen").mkdir(parents=True)
    (out / "_search" / "gen" / "site.json").write_text(f'{{"x": "{MOBILE}"}}', encoding="utf-8")
    (out / "a.html").write_text("<p>无</p>", encoding="utf-8")
    assert [p.name for p in scan.output_files(out)] == ["site.json", "a.html"]
    assert [p.name for p in scan.output_files(out, skip={"_search"})] == ["a.html"]
