"""Valid HTML over the whole demo build (Nu HTML Checker) and light pages."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def test_vnu_reports_no_errors(demo_output: Path) -> None:
    if not VNU.is_file() or not shutil.which("java"):
        pytest.fail("vnu.jar or java missing: run `make test` (it runs npm ci; Java is on the machine)")
    pages = sorted(str(p) for p in demo_output.rglob("*.html"))
    assert len(pages) > 100
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').rsplit('/output/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m.get("type") == "error"]
    assert errors == []


def test_pages_are_light(demo_output: Path) -> None:
    documents = [p for p in demo_output.glob("*/*.html") if re.fullmatch(r"\d{4}-\d{5}\.html", p.name)]
    assert documents
    heaviest = max(documents, key=lambda p: p.stat().st_size)
    assert heaviest.stat().st_size <= 30 * 1024, heaviest
    css = sum(p.stat().st_size for p in (demo_output / "theme").rglob("*.css"))
    assert css <= 25 * 1024
    assert not list(demo_output.rglob("*.woff*")) and not list(demo_output.rglob("*.ttf"))
