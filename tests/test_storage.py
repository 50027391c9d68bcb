"""A full disk, a read-only folder, a folder without permission: one plain sentence naming the
folder and what to do, exit status 1, and the previous site intact."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from tests.sitekit import ROOT, Site
from xxgk.build import StorageError, build_atomically


def publish(site: Site, output: Path) -> Path:
    overrides = {"PATH": str(site.content), "XXGK": site.settings()["XXGK"]}
    return build_atomically(ROOT, output=output, overrides=overrides).output


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "磁盘空间已满"), (errno.EROFS, "只读"),
                                              (errno.EACCES, "没有权限写入")])
def test_a_failed_write_is_one_plain_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int,
                                              words: str) -> None:
    site = Site(tmp_path)
    site.entry()
    live = publish(site, tmp_path / "output")
    before = (live / "tzgg/2024-00001.html").read_bytes()
    from pelican.writers import Writer

    def failing(self, name, *args, **kwargs):  # noqa: ANN001, ANN202 - Writer.write_file
        raise OSError(code, os.strerror(code), str(tmp_path / ".xxgk-builds/x/tzgg/2024-00001.html"))

    monkeypatch.setattr(Writer, "write_file", failing)
    site.entry(title="新标题")
    with pytest.raises(StorageError) as exc:
        publish(site, tmp_path / "output")
    message = str(exc.value)
    assert words in message and "原来的网站未受影响" in message and "Errno" not in message
    assert "报告" not in message  # not a bug to report
    assert (tmp_path / "output/tzgg/2024-00001.html").read_bytes() == before


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 3 MB file system (tmpfs) for the output; skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_real_full_disk_and_a_read_only_one(tmp_path: Path, small_disk: Path) -> None:
    site = Site(tmp_path)
    site.entry()
    output = small_disk / "output"
    publish(site, output)
    before = (output / "tzgg/2024-00001.html").read_bytes()
    # Fill the disk.
    with open(small_disk / "filler", "wb", buffering=0) as f:  # unbuffered: closing has nothing left to write
        try:
            while True:
                f.write(b"\0" * 65536)
        except OSError:
            pass
    site.entry(title="新标题")
    with pytest.raises(StorageError, match="磁盘空间已满"):
        publish(site, output)
    assert (output / "tzgg/2024-00001.html").read_bytes() == before
    (small_disk / "filler").unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(StorageError, match="只读"):
        publish(site, output)
    assert (output / "tzgg/2024-00001.html").read_bytes() == before
    # The command line says the same in one line, with exit status 1.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "xxgk", "build", "--root", str(ROOT), "--output", str(output)],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert run.returncode == 1 and "只读" in run.stderr and "Traceback" not in run.stderr
