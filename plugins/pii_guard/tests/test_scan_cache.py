"""The guard's scan cache (results by file content, kept across builds) never hides a finding, and
files are read in worker processes that a crashing reader cannot take down."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from plugins.pii_guard import PrivacyError, guard, readers, scan, source_problems
from tests.sitekit import Site
from foundation.settings import resolve

from .documents import pdf_with

ID = "11010519491231002X"
MOBILE = "13912345678"


def caught(site: Site) -> str:
    with pytest.raises(PrivacyError) as exc:
        site.build()
    return str(exc.value)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Output files the guard read in this test (a cached file is not read)."""
    seen: list[str] = []
    real = readers.read_path

    def counting(path: Path, ctx: readers.Context | None = None) -> readers.Reading:
        if "content" not in path.parts:  # sources are read only to name where a finding came from
            seen.append(path.name)
        return real(path, ctx)

    monkeypatch.setattr(scan.readers, "read_path", counting)
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
    assert "content/tzgg/2024/2024-00002.md:11: 手机号 139******78（公开后出现在" in message
    assert "2024-00002.html" in reads  # the changed page was read again …
    assert "2024-00001.html" not in reads  # … and the unchanged one was not


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
    findings, _unchecked, _unscanned = guard(out, tmp_path / "content", [])
    assert [f.hit.kind for f in findings] == ["手机号"]
    assert not (tmp_path / ".xxgk-cache").exists()


def test_many_files_are_read_in_workers_with_the_same_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past PARALLEL_FROM files the scan forks workers: same findings, in the same order, and a
    file a worker cannot read is still named."""
    out = tmp_path / "output"
    for i in range(30):
        page = f"<p>第{i}页。</p>" + (f"<p>{MOBILE}</p>" if i % 7 == 3 else "")
        (out / f"d{i % 3}").mkdir(parents=True, exist_ok=True)
        (out / f"d{i % 3}" / f"p{i}.html").write_text(page, encoding="utf-8")
    (out / "d0" / "名单.pdf").write_bytes(pdf_with(f"申请人 {ID}"))
    (out / "d1" / "坏.pdf").write_bytes(b"%PDF-1.4 not really")
    paths = scan.tree_files(out)
    monkeypatch.setattr(scan, "PARALLEL_FROM", 10)
    monkeypatch.setattr(scan.background, "can_fork", lambda: False)
    alone = scan.Scanner().scan(paths)
    monkeypatch.setattr(scan.background, "can_fork", lambda: True)  # pytest-xdist may run a thread
    forked: list[int] = []
    real_read = scan._read_in_workers
    monkeypatch.setattr(scan, "_read_in_workers", lambda *args: forked.append(1) or real_read(*args))
    together = scan.Scanner().scan(paths)
    assert forked == [1]
    assert together == alone
    assert {loc.hit.kind for r in together for loc in r.found} == {"身份证号", "手机号"}
    assert sum(1 for r in together for loc in r.found if loc.hit.kind == "手机号") == 4
    assert [p.name for p, r in zip(paths, together) if r.problem] == ["坏.pdf"]


def test_claimed_folders_are_left_to_their_provider(tmp_path: Path) -> None:
    out = tmp_path / "output"
    (out / "_search" / "gen").mkdir(parents=True)
    (out / "_search" / "gen" / "site.json").write_text(f'{{"x": "{MOBILE}"}}', encoding="utf-8")
    (out / "a.html").write_text("<p>无</p>", encoding="utf-8")
    assert [p.name for p in scan.tree_files(out)] == ["site.json", "a.html"]
    assert [p.name for p in scan.tree_files(out, skip={"_search"})] == ["a.html"]


@pytest.fixture
def crashing_pdf(monkeypatch: pytest.MonkeyPatch) -> str:
    """A PDF reader that kills its process on files named p06.pdf, as a segmentation fault in
    native code would; processes may fork (pytest-xdist may run a thread)."""
    real_pdf = readers.readers()[".pdf"]

    def crashing(data: bytes, ctx: readers.Context) -> readers.Reading:
        if b"crashes the reader" in data:
            os._exit(139)
        return real_pdf(data, ctx)

    monkeypatch.setitem(readers.readers(), ".pdf", crashing)
    monkeypatch.setattr(scan.background, "can_fork", lambda: True)
    return "p06.pdf"


def test_a_file_that_crashes_its_reader_is_named_and_the_rest_still_scanned(
        tmp_path: Path, crashing_pdf: str) -> None:
    """PDFium is native code: a file that kills the worker reading it is named, and every other
    file, before and after it, is still scanned (not a hang, not a lost finding)."""
    out = tmp_path / "output"
    out.mkdir()
    for i in range(12):
        (out / f"p{i:02}.html").write_text(f"<p>{MOBILE if i in (0, 11) else '无'}</p>", encoding="utf-8")
    (out / "p05.pdf").write_bytes(pdf_with(f"申请人 {ID}"))
    (out / crashing_pdf).write_bytes(b"%PDF-1.4 crashes the reader")
    assert len(list(out.iterdir())) < scan.PARALLEL_FROM  # a PDF is read in a worker however few files
    paths = scan.tree_files(out)
    results = scan.Scanner().scan(paths)
    found = [(p.name, loc.hit.kind) for p, r in zip(paths, results) for loc in r.found]
    assert found == [("p00.html", "手机号"), ("p05.pdf", "身份证号"), ("p11.html", "手机号")]
    assert [r.problem for p, r in zip(paths, results) if p.name == crashing_pdf] == [scan.CRASHED]


def test_check_survives_a_source_that_crashes_its_reader(tmp_path: Path, crashing_pdf: str) -> None:
    """`make check` reads the sources' PDFs in workers too: the crashing one is reported on that
    file (an error when it is attached), and the findings in every other source keep their lines."""
    site = Site(tmp_path)
    site.write("tzgg/2024/files/p05.pdf", pdf_with(f"申请人 {ID}"))
    site.write("tzgg/2024/files/" + crashing_pdf, b"%PDF-1.4 crashes the reader")
    site.write("tzgg/2024/2024-00001.md", f"---\ntitle: 甲\n---\n\n电话 {MOBILE}\n")
    settings = {**site.settings(), "XXGK_RESOLVED": resolve(site.settings()["XXGK"])}
    problems = source_problems(site.content, tmp_path, settings, attached=[
        site.content / "tzgg/2024/files" / crashing_pdf])
    found = [(p.path, p.line, p.severity, p.message[:6]) for p in problems]
    assert found == [
        ("content/tzgg/2024/2024-00001.md", 5, "error", "发现手机号 "),
        ("content/tzgg/2024/files/p05.pdf", 0, "error", "第 1 页："),
        ("content/tzgg/2024/files/p06.pdf", 0, "error", "无法检查该文"),
    ]
    assert "异常退出" in problems[2].message
