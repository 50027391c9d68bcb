"""Killing a build at any point leaves the previous site (and its search index) served intact."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from tests.sitekit import ROOT, entry_text, make_root, wait_until, write_content

# The moments a build is killed at, each known by what the build has written by then: the new
# build folders (in .xxgk-builds) and the index generations it is writing (tmp-… in the cache).
# Start-up needs nothing: the signal comes while the interpreter is still importing.
Moment = Callable[[list[Path], list[Path]], bool]
MOMENTS: dict[str, Moment] = {
    "start-up": lambda builds, indexes: True,
    "indexing": lambda builds, indexes: bool(indexes),  # entries read, the index written beside Pelican
    "writing entries": lambda builds, indexes: any((b / "tzgg/2024-00001.html").exists() for b in builds),
    "writing lists": lambda builds, indexes: any((b / "index.html").exists() for b in builds),
    # The sitemap is written last; the privacy guard then reads the whole output before the swap.
    "checking": lambda builds, indexes: any((b / "sitemap.xml").exists() for b in builds),
}


def snapshot(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


def kill_at(command: list[str], root: Path, moment: Moment, sig: signal.Signals) -> None:
    """Start a build, send it `sig` once `moment` has come (or it has ended first), and wait for it."""
    builds, indexes = root / ".xxgk-builds", root / ".xxgk-cache/search"
    known = set(builds.iterdir()) | set(indexes.iterdir())

    def written(folder: Path, prefix: str = "") -> list[Path]:
        return [p for p in folder.iterdir() if p not in known and p.name.startswith(prefix)]

    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: proc.poll() is not None or moment(written(builds), written(indexes, "tmp-")),
                   "the build reached its moment", every=0.005)
    finally:
        proc.send_signal(sig)  # nothing is sent to a build that has already ended
        proc.wait(timeout=120)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_killed_build_leaves_previous_site(tmp_path: Path, sig: signal.Signals) -> None:
    root = make_root(tmp_path)
    for i in range(1, 41):
        write_content(root, f"tzgg/2024/2024-{i:05d}.md", entry_text(serial=i, title=f"第{i}号通知",
                                                                     body="安全生产检查。" * 200))
    command = [sys.executable, "-m", "xxgk", "build", "--publish", "--root", str(root)]
    assert subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    output = root / "output"
    before, live = snapshot(output), os.readlink(output)
    title = "改过的标题"
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, title=title))
    for name, moment in MOMENTS.items():
        kill_at(command, root, moment, sig)
        if os.readlink(output) != live:
            # The swap happened before the signal: the new site is live and whole; go on from it.
            assert title in (output / "tzgg/2024-00001.html").read_text(encoding="utf-8")
            assert pages(snapshot(output)) == pages(before)
            before, live = snapshot(output), os.readlink(output)
            title = f"标题（{name}）"
            write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, title=title))
            continue
        assert snapshot(output) == before, name


def pages(files: dict[str, bytes]) -> set[str]:
    """The site's files, less the search index's generation-named segments."""
    return {name for name in files if not name.startswith("_search/")}
