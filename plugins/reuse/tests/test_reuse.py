"""Atomic builds link unchanged files to the previous build's and never change that build."""
from __future__ import annotations

import os
from pathlib import Path

from tests.sitekit import entry_text, make_root, write_content
from xxgk.build import build_atomically


def snapshot(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


def inode(path: Path) -> int:
    return path.stat().st_ino


def test_unchanged_files_are_links_and_the_previous_build_is_untouched(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_content(root, "tzgg/2024/files/a.txt", "附件甲")
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, title="第一号通知", attachments=["files/a.txt"]))
    write_content(root, "tzgg/2024/2024-00002.md", entry_text(serial=2, title="第二号通知"))
    write_content(root, "tzgg/2024/2024-00003.md", entry_text(serial=3, title="第三号通知"))
    output = root / "output"
    build_atomically(root)
    first = output.resolve()

    build_atomically(root)  # nothing changed: every page and the attachment are the same files
    second = output.resolve()
    assert second != first
    before = snapshot(second)
    for rel in ("tzgg/2024-00001.html", "tzgg/2024-00002.html", "tzgg/index.html", "tzgg/2024-00001/a.txt"):
        assert inode(second / rel) == inode(first / rel)

    write_content(root, "tzgg/2024/2024-00002.md", entry_text(serial=2, title="第二号通知（修订）"))
    write_content(root, "tzgg/2024/files/a.txt", "附件乙")
    (root / "content/tzgg/2024/2024-00003.md").unlink()
    build_atomically(root)
    third = output.resolve()
    assert "第二号通知（修订）" in (third / "tzgg/2024-00002.html").read_text(encoding="utf-8")
    assert inode(third / "tzgg/2024-00002.html") != inode(second / "tzgg/2024-00002.html")
    assert "附件乙" in (third / "tzgg/2024-00001/a.txt").read_text(encoding="utf-8")
    assert not (third / "tzgg/2024-00003.html").exists()
    # The page of the unchanged entry changed too (its neighbour is gone), so it is a new file.
    assert "第三号通知" not in (third / "tzgg/2024-00001.html").read_text(encoding="utf-8")
    # The build before is exactly what it was, though the new one shares its unchanged files.
    assert snapshot(second) == before
    assert os.readlink(output) == os.path.relpath(third, output.parent)


def test_a_plain_build_writes_files(tmp_path: Path) -> None:
    """The first build has no build before it: its files are written, not linked."""
    root = make_root(tmp_path)
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1))
    build_atomically(root)
    page = root / "output" / "tzgg/2024-00001.html"
    assert page.stat().st_nlink == 1
