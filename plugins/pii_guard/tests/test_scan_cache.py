"""The guard's scan cache (results by file content, kept across builds) never hides a finding."""
from __future__ import annotations

import os
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
    # Read here, not in worker processes, whose calls this list would not see.
    monkeypatch.setattr(scan.background, "can_fork", lambda: False)
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
    monkeypatch.setattr(scan.background, "can_fork", lambda: False)
    alone = list(scan.scan_files(out, allowed))
    monkeypatch.setattr(scan.background, "can_fork", lambda: True)  # pytest-xdist may run a thread
    forked: list[int] = []
    real_read = scan._read_in_workers
    monkeypatch.setattr(scan, "_read_in_workers", lambda *args: forked.append(1) or real_read(*args))
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


@pytest.fixture
def crashing_pdf(monkeypatch: pytest.MonkeyPatch) -> str:
    """A PDF reader that kills its process on files named p06.pdf, as a segmentation fault in
    native code would; processes may fork (pytest-xdist may run a thread)."""
    real_pdf = scan.EXTRACTORS[".pdf"]

    def crashing(path: Path) -> str:
        if path.name == "p06.pdf":
            os._exit(139)
        return real_pdf(path)

    monkeypatch.setitem(scan.EXTRACTORS, ".pdf", crashing)
    monkeypatch.setattr(scan.background, "can_fork", lambda: True)
    return "p06.pdf"


def test_a_file_that_crashes_its_reader_is_named_and_the_rest_still_scanned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crashing_pdf: str) -> None:
    """PDFium is native code: a file that kills the worker reading it is warned about by name,
    and every other file, before and after it, is still scanned (not a hang, not a lost finding)."""
    out = tmp_path / "output"
    out.mkdir()
    for i in range(12):
        (out / f"p{i:02}.html").write_text(f"<p>{MOBILE if i in (0, 11) else '无'}</p>", encoding="utf-8")
    (out / "p05.pdf").write_bytes(pdf_with(f"申请人 {ID}"))
    (out / crashing_pdf).write_bytes(b"%PDF-1.4 crashes the reader")
    assert len(list(out.iterdir())) < scan.PARALLEL_FROM  # a PDF is read in a worker however few files
    warned: list[str] = []
    monkeypatch.setattr(scan.log, "warning", lambda fmt, *args: warned.append(fmt % args))
    found = [(where, h.kind) for where, h in scan.scan_files(out, frozenset())]
    assert found == [("p00.html", "手机号"), ("p05.pdf", "身份证号"), ("p11.html", "手机号")]
    assert [w for w in warned if "p06.pdf" in w and "异常退出" in w]


def test_check_and_the_source_lookup_survive_a_source_that_crashes_its_reader(
        tmp_path: Path, crashing_pdf: str) -> None:
    """`make check` reads the sources' PDFs in workers too: the crashing one is a warning on
    that file, and the findings in every other source are still reported with their lines."""
    from xxgk.check import source_privacy

    content = tmp_path / "content"
    (content / "tzgg/2024/files").mkdir(parents=True)
    (content / "tzgg/2024/2024-00001.md").write_text(f"---\ntitle: 甲\n---\n\n电话 {MOBILE}\n", encoding="utf-8")
    (content / "tzgg/2024/files/p05.pdf").write_bytes(pdf_with(f"申请人 {ID}"))
    (content / "tzgg/2024/files" / crashing_pdf).write_bytes(b"%PDF-1.4 crashes the reader")
    problems = source_privacy(content, tmp_path, [])
    found = [(p.path, p.line, p.severity, p.message[:5]) for p in problems]
    assert found == [
        ("content/tzgg/2024/2024-00001.md", 5, "error", "发现手机号"),
        ("content/tzgg/2024/files/p05.pdf", 0, "error", "发现身份证"),
        ("content/tzgg/2024/files/p06.pdf", 0, "warning", "无法读取该"),
    ]
    assert "异常退出" in problems[2].message and "expected" in problems[2].message
    sources = scan.SourceIndex(content, tmp_path)
    leaked = next(h for h in scan.find(f"申请人 {ID}") if h.kind == "身份证号")
    assert sources.source_of(leaked) == "content/tzgg/2024/files/p05.pdf"
