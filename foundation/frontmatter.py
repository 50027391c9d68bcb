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


def normalise_text(raw: bytes | str) -> str | None:
    """Decode UTF-8 (with or without BOM) and unify line ends; None when not text."""
    if isinstance(raw, bytes):
        if b"\x00" in raw:
            return None
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    return raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split(raw: bytes | str, path: str) -> FrontMatter:
    """Parse the front matter of one source file; never raises on bad input."""
    out = FrontMatter()
    text = normalise_text(raw)
    if text is None:
        out.problems.append(Problem(path, 1, "文件", "不是 UTF-8 编码的文本文件（请用 UTF-8 保存）"))
        return out
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        out.problems.append(Problem(
            path, 1, "元数据", "文件应以 --- 开头的元数据块开始（expected '---' on line 1, "
            "then one 'key: value' per line, then '---')"))
        return out
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE)
    except StopIteration:
        out.problems.append(Problem(
            path, 1, "元数据", "元数据块没有结束行 ---（expected a closing '---' line after the metadata）"))
        return out
    header = "\n".join(lines[1:end])
    out.body = "\n".join(lines[end + 1:])
    out.body_line = end + 2
    parsed = yamltext.parse(header)
    if parsed.error:
        line, message = parsed.error
        out.problems.append(Problem(path, line + 2, "元数据", message))
        return out
    out.problems += [Problem(path, line + 2, key or "元数据", message, severity="warning")
                     for line, key, message in parsed.warnings]
    node, data = parsed.node, parsed.data
    if node is None:
        return out
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        out.problems.append(Problem(path, 2, "元数据", "元数据应为每行一个 “字段名: 值”"))
        return out
    for key_node, _value in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
        line = key_node.start_mark.line + 2
        if key in out.lines:
            out.problems.append(Problem(
                path, line, key, f"字段重复出现（第 {out.lines[key]} 行已有），请删除其中一行"))
            continue
        out.lines[key] = line
    out.values = {str(k): v for k, v in data.items()}
    return out
