"""The tests keep their own rules (issue 18), read from their source with ast:

- shared helpers live in non-test modules (tests/sitekit.py, or a plugin's own helper module):
  no test module is imported, no conftest.py is imported (pytest loads those itself), and a
  plugin's tests never import another plugin's tests folder;
- a domain failure is asserted by its type, never as `pytest.raises(Exception)`;
- every test function asserts something: `assert`, `pytest.raises`/`warns`/`fail`, or a helper
  named assert_*/check_*/expect_* (Playwright's `expect`) that itself asserts.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.sitekit import ROOT

FILES = sorted([*ROOT.glob("tests/**/*.py"), *ROOT.glob("plugins/*/tests/**/*.py"), ROOT / "conftest.py"])
TREES = {path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(encoding="utf-8")) for path in FILES}
HELPER_PREFIXES = ("assert_", "check_", "expect_")
ASSERTING_CALLS = {"pytest.raises", "pytest.warns", "pytest.fail", "raises", "warns", "fail", "expect"}


def imported_modules(rel: str, tree: ast.Module) -> list[tuple[int, str]]:
    """(line, dotted name) of every module `rel` imports, relative imports resolved."""
    package = rel.split("/")[:-1]
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            out.append((node.lineno, module))
            # `from . import test_x` names a module too
            out += [(node.lineno, f"{module}.{alias.name}") for alias in node.names if node.module is None]
    return out


def test_no_test_module_and_no_conftest_is_imported() -> None:
    bad = [f"{rel}:{line}: imports {module}" for rel, tree in TREES.items()
           for line, module in imported_modules(rel, tree)
           if module.split(".")[-1].startswith("test_") or module.split(".")[-1] == "conftest"]
    assert bad == [], "shared helpers belong in tests/sitekit.py or a helper module:\n" + "\n".join(bad)


def test_only_a_plugins_own_tests_import_its_tests_folder() -> None:
    bad = []
    for rel, tree in TREES.items():
        parts = rel.split("/")
        own = f"plugins.{parts[1]}.tests" if parts[0] == "plugins" else None
        for line, module in imported_modules(rel, tree):
            names = module.split(".")
            if len(names) >= 3 and names[0] == "plugins" and names[2] == "tests" and ".".join(names[:3]) != own:
                bad.append(f"{rel}:{line}: imports {module}")
    assert bad == [], "helpers two plugins' tests share belong in tests/sitekit.py:\n" + "\n".join(bad)


def _raises_anything(call: ast.Call) -> bool:
    if ast.unparse(call.func) not in ("pytest.raises", "raises") or not call.args:
        return False
    expected = call.args[0]
    names = expected.elts if isinstance(expected, ast.Tuple) else [expected]
    return any(ast.unparse(n).split(".")[-1] in ("Exception", "BaseException") for n in names)


def test_failures_are_asserted_by_their_type() -> None:
    bad = [f"{rel}:{node.lineno}: {ast.unparse(node)[:80]}" for rel, tree in TREES.items()
           for node in ast.walk(tree) if isinstance(node, ast.Call) and _raises_anything(node)]
    assert bad == [], "expect the domain exception (foundation/errors.py, a plugin's error):\n" + "\n".join(bad)


def _asserts(function: ast.AST, helpers: set[str]) -> bool:
    """Whether `function` asserts: itself, or through a call of one of `helpers` or pytest's."""
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Raise) and node.exc is not None and "AssertionError" in ast.unparse(node.exc):
            return True
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name in ASSERTING_CALLS or name.split(".")[-1] in helpers:
                return True
    return False


def _functions(prefixes: tuple[str, ...]) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    return [(rel, node) for rel, tree in TREES.items() for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith(prefixes)]


def test_helpers_named_to_assert_do_assert() -> None:
    helpers = _functions(HELPER_PREFIXES)
    assert helpers, "the rule below relies on at least one such helper"
    names = {node.name for _, node in helpers}
    bad = [f"{rel}:{node.lineno}: {node.name}" for rel, node in helpers if not _asserts(node, names - {node.name})]
    assert bad == [], "a helper named assert_*/check_*/expect_* must assert:\n" + "\n".join(bad)


def test_every_test_function_asserts_something() -> None:
    names = {node.name for _, node in _functions(HELPER_PREFIXES)}
    tests = _functions(("test_",))
    assert len(tests) > 300  # the rule looked at the real suite
    bad = [f"{rel}:{node.lineno}: {node.name}" for rel, node in tests if not _asserts(node, names)]
    assert bad == [], "a test that asserts nothing cannot fail:\n" + "\n".join(bad)


@pytest.mark.parametrize("source, fails", [
    ("def test_x():\n    assert 1 + 1 == 2\n", False),
    ("def test_x():\n    with pytest.raises(ContentError):\n        f()\n", False),
    ("def test_x():\n    check_outcome(1)\n", False),
    ("def test_x():\n    f()\n", True),
    ("def test_x():\n    with pytest.raises(Exception):\n        f()\n", True),
    ("def test_x():\n    with pytest.raises((ValueError, BaseException)):\n        f()\n", True),
])
def test_the_rules_see_what_they_are_about(source: str, fails: bool) -> None:
    """The checks above, on small sources: each flags what it is about and passes the rest."""
    tree = ast.parse(source)
    function = tree.body[0]
    flagged = not _asserts(function, {"check_outcome"}) or any(
        isinstance(n, ast.Call) and _raises_anything(n) for n in ast.walk(tree))
    assert flagged is fails


def test_relative_imports_are_resolved() -> None:
    tree = ast.parse("from .conftest import A\nfrom . import test_b\nfrom tests.sitekit import Site\n")
    assert [m for _, m in imported_modules("plugins/search/tests/test_q.py", tree)] == [
        "plugins.search.tests.conftest", "plugins.search.tests", "plugins.search.tests.test_b", "tests.sitekit"]
