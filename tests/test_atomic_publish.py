"""Killing a build at any point leaves the previous site (and its search index) served intact."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sitekit import ROOT, entry_text
from tests.test_editor_workflow import make_root, write


def snapshot(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_killed_build_leaves_previous_site(tmp_path: Path, sig: signal.Signals) -> None:
    root = make_root(tmp_path)
    for i in range(1, 41):
        write(root, f"tzgg/2024/2024-{i:05d}.md", entry_text(serial=i, title=f"第{i}号通知",
                                                             body="安全生产检查。" * 200))
    command = [sys.executable, "-m", "xxgk", "build", "--publish", "--root", str(root)]
    assert subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    output = root / "output"
    before, live = snapshot(output), os.readlink(output)
    title = "改过的标题"
    write(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, title=title))
    # Kill at spread-out moments of the build: start-up, reading, writing, indexing.
    for delay in (0.05, 0.4, 0.9, 1.5, 2.2):
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(sig)
        proc.wait(timeout=120)
        if os.readlink(output) != live:
            # The swap happened before the signal: the new site is live and whole; go on from it.
            assert title in (output / "tzgg/2024-00001.html").read_text(encoding="utf-8")
            assert pages(snapshot(output)) == pages(before)
            before, live = snapshot(output), os.readlink(output)
            title = f"标题{delay}"
            write(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, title=title))
            continue
        assert snapshot(output) == before


def pages(files: dict[str, bytes]) -> set[str]:
    """The site's files, less the search index's generation-named segments."""
    return {name for name in files if not name.startswith("_search/")}
