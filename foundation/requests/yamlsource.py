"""Read a YAML data file into plain values plus the line of every key and list item.

Records and holiday files are nested (an event list, a list of holidays), so
the line of each value is looked up by its path, e.g. ``("events", 2, "date")``.
Problems are returned, never raised, so an editor sees them all at once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from foundation import yamltext
from foundation.frontmatter import normalise_text
from foundation.errors import Problem

Path_ = tuple[Any, ...]


@dataclass
class Located:
    """Parsed YAML with line numbers (1-based) for every mapping key and sequence item."""

    data: Any = None
    lines: dict[Path_, int] = field(default_factory=dict)
    text: str = ""
    problems: list[Problem] = field(default_factory=list)

    def line(self, *path: Any) -> int:
        """Line of `path`, or of its nearest ancestor that has one (1 for the file)."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return 1


def _walk(node: yaml.Node, path: Path_, out: Located, label: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                out.problems.append(Problem(label, line, key, f"字段重复出现（第 {seen[key]} 行已有），请删除其中一行"))
                continue
            seen[key] = line
            out.lines[path + (key,)] = line
            _walk(value_node, path + (key,), out, label)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.lines[path + (i,)] = item.start_mark.line + 1
            _walk(item, path + (i,), out, label)


def load(raw: bytes | str, label: str) -> Located:
    """Parse one YAML file; `label` names it in problems (e.g. applications/2026/DJ-2026-0001.yaml)."""
    out = Located()
    text = normalise_text(raw)
    if text is None:
        out.problems.append(Problem(label, 1, "文件", "不是 UTF-8 编码的文本文件（请用 UTF-8 保存）"))
        return out
    out.text = text
    parsed = yamltext.parse(text)
    if parsed.error:
        line, message = parsed.error
        out.problems.append(Problem(label, line + 1, "YAML", message))
        return out
    out.problems += [Problem(label, line + 1, key or "YAML", message, severity="warning")
                     for line, key, message in parsed.warnings]
    node, out.data = parsed.node, parsed.data
    if node is not None:
        _walk(node, (), out, label)
    return out


def label_of(path: Path, root: Path) -> str:
    """`path` relative to the site folder, as problems name files."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
