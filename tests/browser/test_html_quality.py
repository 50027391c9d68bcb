"""Valid HTML over the whole demo build (Nu HTML Checker) and light pages."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.sitekit import VNU, vnu_errors

ROOT = Path(__file__).resolve().parents[2]


def test_vnu_reports_no_errors(demo_output: Path) -> None:
    if not VNU.is_file() or not shutil.which("java"):
        pytest.fail("vnu.jar or java missing: run `make test` (it runs npm ci; Java is on the machine)")
    pages = sorted(str(p) for p in demo_output.rglob("*.html"))
    assert len(pages) > 100
    errors = vnu_errors(pages, "/output/", 600)
    assert errors == []


def test_pages_are_light(demo_output: Path) -> None:
    documents = [p for p in demo_output.glob("*/*.html") if re.fullmatch(r"\d{4}-\d{5}\.html", p.name)]
    assert documents
    heaviest = max(documents, key=lambda p: p.stat().st_size)
    assert heaviest.stat().st_size <= 30 * 1024, heaviest
    css = sum(p.stat().st_size for p in (demo_output / "theme").rglob("*.css"))
    assert css <= 25 * 1024
    assert not list(demo_output.rglob("*.woff*")) and not list(demo_output.rglob("*.ttf"))
