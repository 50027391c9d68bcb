"""The house rules of docs/architecture.md, checked against the code.

- Three layers: foundation/ imports nothing of the project above it; each plugin imports
  only the foundation and itself, never a sibling; the application (xxgk/) may import all.
- No import cycle among the project's modules (imports made when a module loads).
- Size: no module over MAX_MODULE_LINES, no function over MAX_FUNCTION_LINES or over
  MAX_COMPLEXITY (radon's cyclomatic complexity), tests left out.
- docs/architecture.md names every package of every layer, and lists the plugins in the
  order of PLUGINS (which is the order Pelican sends them its signals).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("foundation", "plugins", "xxgk")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_COMPLEXITY = 15


def modules() -> dict[str, Path]:
    """Every project module (tests left out) by dotted name."""
    out = {}
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "tests" in rel.parts:
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, top_level_only: bool = False) -> set[str]:
    """The project modules `name` imports (relative imports resolved; `from a import b` counts
    a.b when that is a module, else a)."""
    known = modules()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for a in node.names:
                found.add(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base)
    return {m for m in found if m.split(".")[0] in LAYERS and m in known}


def layer_of(module: str) -> tuple[str, str]:
    """(layer, unit): the plugin's name is the unit of the plugins layer."""
    parts = module.split(".")
    return (parts[0], parts[1] if parts[0] == "plugins" and len(parts) > 1 else parts[0])


def allowed(source: str, target: str) -> bool:
    (src_layer, src_unit), (dst_layer, dst_unit) = layer_of(source), layer_of(target)
    if src_layer == "foundation":
        return dst_layer == "foundation"
    if src_layer == "plugins":
        return dst_layer == "foundation" or (dst_layer == "plugins" and dst_unit == src_unit)
    return True  # the application may use everything


def test_imports_go_down_never_up_or_sideways() -> None:
    wrong = [f"{name} → {target}" for name, path in modules().items()
             for target in sorted(imports(name, path)) if not allowed(name, target)]
    assert not wrong, "imports against the layers (docs/architecture.md):\n" + "\n".join(wrong)


def test_no_import_cycles() -> None:
    graph = {name: imports(name, path, top_level_only=True) for name, path in modules().items()}
    # A package's own __init__ importing from a submodule, which imports the package's
    # names back, is how Python packages are built: only cycles through other modules count.
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt.startswith(node + ".") or node.startswith(nxt + "."):
                continue
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_the_rules_see_a_wrong_arrow() -> None:
    # The checks above must be able to fail: an upward, a sideways and an allowed arrow.
    assert not allowed("foundation.schema", "plugins.portal")
    assert not allowed("plugins.feeds", "plugins.portal.views")
    assert not allowed("plugins.search", "xxgk.build")
    assert allowed("plugins.search.engine", "plugins.search.store")
    assert allowed("xxgk.cli", "plugins.search.engine")
    assert "foundation.schema" in imports("plugins.portal.views", ROOT / "plugins/portal/views.py")


def _sizes() -> list[str]:
    out = []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_MODULE_LINES:
            out.append(f"{path.relative_to(ROOT)}: {lines} lines (at most {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    out.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length} lines "
                               f"(at most {MAX_FUNCTION_LINES})")
        for block in cc_visit(text):
            items = [block, *getattr(block, "methods", [])]
            for item in items:
                if item.complexity > MAX_COMPLEXITY and not hasattr(item, "methods"):
                    out.append(f"{path.relative_to(ROOT)}:{item.lineno} {item.fullname}: complexity "
                               f"{item.complexity} (at most {MAX_COMPLEXITY})")
    return sorted(set(out))


def test_modules_and_functions_stay_small() -> None:
    too_big = _sizes()
    assert not too_big, "split these (../shared/style.md: small modules, functions that do one thing):\n" \
        + "\n".join(too_big)


def _doc() -> str:
    return (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_architecture_doc_names_every_package() -> None:
    doc = _doc()
    packages = sorted({".".join(n.split(".")[:2])
                       for n in modules() if n.count(".") >= 1 or n in LAYERS})
    missing = [p for p in packages if f"`{p.replace('.', '/')}" not in doc]
    assert not missing, f"docs/architecture.md does not say where these live: {missing}"


def test_architecture_doc_lists_the_signal_order_of_plugins() -> None:
    conf = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    plugins = re.findall(r'^\s+"(plugins\.[a-z_]+)",', conf[conf.index("PLUGINS = ["):], flags=re.M)
    section = _doc().split("## Signal order", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\d+\. `(plugins\.[a-z_]+)`", section, flags=re.M)
    assert listed == plugins, "docs/architecture.md's signal order must be PLUGINS' order"


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_is_a_folder_a_newcomer_sees(layer: str) -> None:
    assert (ROOT / layer / "__init__.py").is_file()
    assert f"`{layer}/`" in _doc()


def test_every_setting_the_code_reads_is_declared() -> None:
    """Settings are declared once, with defaults and help (foundation/settings.py) and so in
    docs/settings.md: a setting the code reads without declaring it is a setting nobody can find."""
    from foundation.settings import BUILD_SETTINGS_BY_NAME, SERVICE_SETTINGS_BY_NAME, SETTINGS_BY_NAME

    internal = {"XXGK", "XXGK_RESOLVED", "XXGK_BUILD"}   # the dict itself, its resolved form, the build state
    undeclared = set()
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and re.fullmatch(r"(XXGK|SEARCH)_[A-Z_]+", node.value) \
                    and node.value not in internal and node.value not in BUILD_SETTINGS_BY_NAME \
                    and node.value not in SERVICE_SETTINGS_BY_NAME:
                undeclared.add(f"{name}: {node.value}")
        for key in re.findall(r'\["XXGK_RESOLVED"\](?:\["|\.get\(")([A-Z_]+)"', text):
            if key not in SETTINGS_BY_NAME:
                undeclared.add(f"{name}: XXGK[{key!r}]")
    assert not undeclared, f"settings read but not declared in foundation/settings.py: {sorted(undeclared)}"
