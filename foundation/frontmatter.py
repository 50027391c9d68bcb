"""Split a Markdown file into YAML front matter (with the line of each key) and body.

Python-Markdown's own metadata accepts ASCII keys only and silently ends the
header at the first other line, so a typo would land in the published body.
YAML front matter between two ``---`` lines has no such trap, and PyYAML's
node tree gives the line of every key for error messages.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from foundation.errors import Problem

from . import yamltext

FENCE = "---"


@dataclass
class FrontMatter:
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)   # 1-based line of each key
    body: str = ""
    body_line: int = 1                                      # line where the body starts
    problems: list[Problem] = field(default_factory=list)


def split(raw: bytes | str, path: str) -> FrontMatter:
    """Parse the front matter of one source file; never raises on bad input."""
    out = FrontMatter()
    text = yamltext.decode_file(raw, path, out.problems)
    if text is None:
        return out
    lines = text.split("\n")
    end = _closing_fence(lines, path, out.problems)
    if end is None:
        return out
    out.body = "\n".join(lines[end + 1:])
    out.body_line = end + 2
    # The header's first line is line 2 of the file (after the opening ---).
    parsed, problems = yamltext.load("\n".join(lines[1:end]), path, 2, "元数据")
    out.problems += problems
    if parsed.error or parsed.node is None:
        return out
    if not isinstance(parsed.node, yaml.MappingNode) or not isinstance(parsed.data, dict):
        out.problems.append(Problem(path, 2, "元数据", "元数据应为每行一个 “字段名: 值”"))
        return out
    keys, duplicates = yamltext.mapping_keys(parsed.node, path, 2)
    out.problems += duplicates
    out.lines = {key: line for key, line, _value in keys}
    out.values = {str(k): v for k, v in parsed.data.items()}
    return out


def _closing_fence(lines: list[str], path: str, problems: list[Problem]) -> int | None:
    """The index of the line that closes the front matter, or None (with the problem) when the
    file does not open with one or never closes it."""
    if not lines or lines[0].strip() != FENCE:
        problems.append(Problem(
            path, 1, "元数据", "文件应以 --- 开头的元数据块开始（expected '---' on line 1, "
            "then one 'key: value' per line, then '---')"))
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), None)
    if end is None:
        problems.append(Problem(
            path, 1, "元数据", "元数据块没有结束行 ---（expected a closing '---' line after the metadata）"))
    return end
