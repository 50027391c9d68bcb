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
        keys, duplicates = yamltext.mapping_keys(node, label, 1)
        out.problems += duplicates
        for key, line, value_node in keys:
            out.lines[path + (key,)] = line
            _walk(value_node, path + (key,), out, label)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.lines[path + (i,)] = item.start_mark.line + 1
            _walk(item, path + (i,), out, label)


def load(raw: bytes | str, label: str) -> Located:
    """Parse one YAML file; `label` names it in problems (e.g. applications/2026/DJ-2026-0001.yaml)."""
    out = Located()
    text = yamltext.decode_file(raw, label, out.problems)
    if text is None:
        return out
    out.text = text
    parsed, out.problems = yamltext.load(text, label, 1, "YAML")
    if parsed.error:
        return out
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
