"""Placing a build's files: write new bytes, or hard-link the previous build's identical file.

Shared by the writer of plugins.reuse (pages, feeds) and plugins.attachments (attachments):
see plugins/reuse/__init__.py for why this is safe (no build ever writes into a file).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from .settings import build_setting

# The folder of the output that holds the catalogue as open data (plugins.opendata writes it,
# plugins.sitemap lists it).
OPEN_DATA_DIR = "data"


def previous_output(settings: dict[str, Any]) -> Path | None:
    """The previous build's output folder (XXGK_PREVIOUS_OUTPUT), if this build may reuse its files."""
    value = build_setting(settings, "XXGK_PREVIOUS_OUTPUT")
    return Path(value) if value else None


def _same_file(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _replace_with_link(previous: Path, target: Path) -> bool:
    try:
        if target.exists() or target.is_symlink():
            target.unlink()
        os.link(previous, target)
        return True
    except OSError:
        return False


def place_bytes(target: Path, data: bytes, previous: Path | None) -> None:
    """Write `data` at `target`, or link the previous build's file when it holds the same bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if previous is not None and _same_file(previous, data) and _replace_with_link(previous, target):
        return
    if target.exists() or target.is_symlink():
        target.unlink()  # a fresh file: never write through a link into another build
    with open(target, "wb") as fh:
        fh.write(data)


def place_copy(source: Path, target: Path, previous: Path | None) -> None:
    """Copy `source` to `target`, or link the previous build's copy when the bytes are the same."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if previous is not None:
        try:
            same = previous.stat().st_size == source.stat().st_size and previous.read_bytes() == source.read_bytes()
        except OSError:
            same = False
        if same and _replace_with_link(previous, target):
            return
    if target.exists() or target.is_symlink():
        target.unlink()
    shutil.copyfile(source, target)
