"""SECURITY.md names, for each promise, the tests that prove it: they must exist."""
from __future__ import annotations

import ast
import re

from tests.sitekit import ROOT


def test_every_test_security_md_names_exists() -> None:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    section = text.split("## Each promise, and the test that proves it", 1)[1].split("\n## ", 1)[0]
    named = 0
    for row in section.splitlines():
        if not row.startswith("|") or row.startswith("|---") or row.startswith("| promise"):
            continue
        tests_cell = row.rstrip("|").rsplit("|", 1)[-1]
        module = None
        for ref in re.findall(r"`([^`]+)`", tests_cell):
            path, _, name = ref.partition("::")
            if ".py" not in path and not path.endswith("/") and not path.startswith("…"):
                continue  # a command (make bench-load), not a test
            if path.startswith("…"):
                path = module or ""
            if path.endswith("/"):
                assert (ROOT / path).is_dir(), ref
                continue
            candidates = [ROOT / path] + list(ROOT.glob(f"**/tests/{path}"))
            file = next((c for c in candidates if c.is_file()), None)
            assert file is not None, f"SECURITY.md names {ref}, which does not exist"
            module = str(file.relative_to(ROOT))
            if name:
                functions = {n.name for n in ast.walk(ast.parse(file.read_text(encoding="utf-8")))
                             if isinstance(n, ast.FunctionDef)}
                assert name in functions, f"SECURITY.md names {ref}: no such test"
            named += 1
    assert named >= 20
