"""Parse the YAML editors write, and explain its errors in their language on the right line.

Used for entries' front matter and for application records (plugins/applications),
so both get the same messages.  PyYAML's own errors are English, sometimes a line
late (a full-width colon is reported on the line after it) and say nothing of the
fix; some mistakes raise nothing at all (a `` #`` inside a value silently cuts it
off; an indented ``字段：值`` line is folded into the value above).  YAML's date
resolver raises a bare ValueError for an impossible date (2025-02-30), which
used to end the whole read with Pelican's 「Could not process」; here such a value
stays the text it was, and the schema's date check names the field.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problem

# libyaml's parser when PyYAML was built with it (its wheels are): the same YAML, the same
# node tree with line marks, a sixth of the time (the pure-Python parser was 15 % of
# reading the laws corpus; docs/performance.md).
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# A line that looks like `字段名：值` or `key：value` (a full-width colon where YAML needs `: `).
_FULL_WIDTH_KEY = re.compile(r"^(?P<indent>\s*)(?:-\s+)?(?P<key>[^\s:：#\"'\-][^:：\"']{0,30}?)\s*：")


class Loader(_BASE):  # type: ignore[misc, valid-type]
    """The safe loader (libyaml's where PyYAML has it) whose dates never raise."""

    def construct_lenient_timestamp(self, node: yaml.Node) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            # 2025-02-30 looks like a date but is none: keep the text for the schema to name.
            return self.construct_scalar(node)


Loader.add_constructor(_TIMESTAMP, Loader.construct_lenient_timestamp)


@dataclass
class Parsed:
    """The node tree and values of one YAML text, or the explained error."""

    node: yaml.Node | None = None
    data: Any = None
    error: tuple[int, str] | None = None            # (0-based line in the text, message)
    warnings: list[tuple[int, str, str]] = field(default_factory=list)  # (line, key, message)


def _full_width_line(lines: list[str], upto: int) -> int | None:
    for i, line in enumerate(lines[:upto + 1]):
        if _FULL_WIDTH_KEY.match(line) and ": " not in line.split("：", 1)[0]:
            return i
    return None


@dataclass(frozen=True)
class _Error:
    """What PyYAML said, and where, for the explainers below."""

    problem: str
    at: int                 # 0-based line PyYAML points at (within the text)
    context: int | None     # 0-based line of the construct it was reading, if it said
    context_text: str
    lines: list[str]

    def line(self, i: int) -> str:
        return self.lines[i] if 0 <= i < len(self.lines) else ""


def _full_width(e: _Error) -> tuple[int, str] | None:
    fw = _full_width_line(e.lines, e.at)
    if fw is None:
        return None
    key = _FULL_WIDTH_KEY.match(e.lines[fw])["key"].strip()  # type: ignore[index]
    return fw, (f"这一行用了全角冒号「：」：字段名后要用半角冒号加空格（expected “{key}: 值”；"
                "字段名要用英文键，见 docs/fields.md）")


def _tab(e: _Error) -> tuple[int, str] | None:
    tab_here = "\t" in e.line(e.at) and "cannot start any token" in e.problem
    if "tab" in e.problem or "\t" in e.problem or tab_here:
        return e.at, "这一行有 Tab 字符：YAML 不能用 Tab 缩进或对齐，请把 Tab 换成空格"
    return None


def _brackets(e: _Error) -> tuple[int, str] | None:
    bracketed = [i for i in (e.at if e.context is None else e.context, e.at)
                 if re.match(r"\s*(-\s+)?[^\s:#]+:\s+[\[{]", e.line(i))]
    if bracketed or "expected ',' or ']'" in e.problem or "expected ',' or '}'" in e.problem:
        line = bracketed[0] if bracketed else e.at if e.context is None else e.context
        return line, ("方括号或花括号不成对：YAML 把以 [ 或 { 开头的值当作列表或映射（expected 给整个值加引号，"
                      "例如 title: \"[2026] 第 1 号\"）")
    return None


def _mapping_value(e: _Error) -> tuple[int, str] | None:
    if "mapping values are not allowed" not in e.problem:
        return None
    if re.match(r"\s+[A-Za-z_][A-Za-z0-9_]*:(\s|$)", e.line(e.at)):
        return e.at, ("这一行缩进了：字段要从行首写起（expected 删去行首的空格；若它是上一行值的一部分，"
                      "请给上一行的值加引号）")
    return e.at, ("值里有「: 」（冒号加空格），YAML 把它当成了字段分隔：请给整个值加引号"
                  "（expected 例如 title: \"关于: 某事的通知\"）")


def _no_colon(e: _Error) -> tuple[int, str] | None:
    if "could not find expected ':'" in e.problem:
        return (e.at if e.context is None else e.context,
                "这一行不是 “字段名: 值”（expected 字段名后跟半角冒号和空格；续行的文字要比字段名多缩进）")
    return None


def _quotes(e: _Error) -> tuple[int, str] | None:
    if "quoted scalar" in e.context_text:
        return (e.at if e.context is None else e.context,
                "引号不成对：从这一行开始的引号没有结束（expected 值两端各一个 \" 或 '）")
    return None


def _indentation(e: _Error) -> tuple[int, str] | None:
    if "expected <block end>" in e.problem or "block mapping" in e.context_text:
        return e.at, "缩进不一致：同一层的字段要从同一列开始（expected 与上面的字段对齐，用空格缩进）"
    if "expected <document start>" not in e.problem:
        return None
    first = next((i for i, x in enumerate(e.lines) if x.strip() and not x.lstrip().startswith("#")), e.at)
    if e.lines[first][:1].isspace():
        return first, "第一个字段前有空格：顶层的字段要从行首写起（expected 删去行首的空格）"
    return e.at, "这一行与上面的字段没有对齐（expected 顶层的字段都从行首写起）"


def _characters(e: _Error) -> tuple[int, str] | None:
    if "found undefined alias" in e.problem or "found character" in e.problem:
        return e.at, f"这一行有 YAML 不能识别的字符（{e.problem}）：以 * & ! % @ ` 开头的值请加引号"
    return None


# Tried in this order: the first explainer that recognises the error names the line and the fix.
_EXPLAINERS = (_full_width, _tab, _brackets, _mapping_value, _no_colon, _quotes, _indentation, _characters)


def _explain(exc: yaml.YAMLError, lines: list[str]) -> tuple[int, str]:
    """The 0-based line and a Chinese message for one PyYAML error."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    at = mark.line if mark else (context.line if context else 0)
    error = _Error(problem, min(at, max(len(lines) - 1, 0)), context.line if context else None,
                   getattr(exc, "context", "") or "", lines)
    for explainer in _EXPLAINERS:
        found = explainer(error)
        if found is not None:
            return found
    return error.at, f"YAML 格式错误：{problem}（常见原因：冒号后缺空格、引号不成对、缩进不一致）"


def _scalar_warnings(node: yaml.Node, lines: list[str], out: list[tuple[int, str, str]], key: str = "") -> None:
    """Values cut off by a ` #` comment, and `字段：值` lines folded into the value above."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            _scalar_warnings(value, lines, out, str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else key)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _scalar_warnings(item, lines, out, key)
    elif isinstance(node, yaml.ScalarNode) and not node.style:  # plain: None (Python) or "" (libyaml)
        end = node.end_mark
        if end.line < len(lines):
            rest = lines[end.line][end.column:]
            if rest[:1].isspace() and rest.strip().startswith("#"):
                cut = rest.strip()
                out.append((end.line, key, f"值在「 #」处被截断：YAML 把「{cut[:30]}」当作注释删去了；"
                            "如果它是值的一部分，请给整个值加引号（expected 例如 title: \"第 #3 号\"）"))
        for i in range(node.start_mark.line + 1, min(end.line + 1, len(lines))):
            m = _FULL_WIDTH_KEY.match(lines[i])
            if m:
                out.append((i, key, f"这一行被并入了上一个字段的值：若「{m['key'].strip()}」是字段，请用半角冒号加空格"
                            "写在行首（expected “字段名: 值”）"))


def parse(text: str) -> Parsed:
    """Parse `text`; never raises on bad input."""
    out = Parsed()
    lines = text.split("\n")
    loader = Loader(text)
    try:
        # One parse: the node tree gives the lines, and the values are constructed from it
        # (what yaml.load does after composing the same tree).
        out.node = loader.get_single_node()
        out.data = loader.construct_document(out.node) if out.node is not None else None
    except yaml.YAMLError as exc:
        out.node, out.data, out.error = None, None, _explain(exc, lines)
        return out
    finally:
        loader.dispose()
    if out.node is not None:
        _scalar_warnings(out.node, lines, out.warnings)
    return out


NOT_TEXT = "不是 UTF-8 编码的文本文件（请用 UTF-8 保存）"


def decode(raw: bytes | str) -> str | None:
    """Decode UTF-8 (with or without BOM) and unify line ends; None when not text."""
    if isinstance(raw, bytes):
        if b"\x00" in raw:
            return None
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    return raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def decode_file(raw: bytes | str, label: str, problems: list[Problem]) -> str | None:
    """`decode(raw)`, and when it is not text a problem naming the file `label` added to `problems`."""
    text = decode(raw)
    if text is None:
        problems.append(Problem(label, 1, "文件", NOT_TEXT))
    return text


def load(text: str, label: str, first_line: int, what: str) -> tuple[Parsed, list[Problem]]:
    """Parse YAML that starts on line `first_line` of the file `label`: the parse, and the
    editors' problems at their lines in the file (`what` names the block in messages)."""
    parsed = parse(text)
    if parsed.error:
        line, message = parsed.error
        return parsed, [Problem(label, line + first_line, what, message)]
    return parsed, [Problem(label, line + first_line, key or what, message, severity="warning")
                    for line, key, message in parsed.warnings]


def mapping_keys(node: yaml.MappingNode, label: str,
                 first_line: int) -> tuple[list[tuple[str, int, yaml.Node]], list[Problem]]:
    """(key, line in the file, value node) of each key of a mapping, and a problem for each key
    written a second time (the first one counts)."""
    seen: dict[str, int] = {}
    keys, problems = [], []
    for key_node, value in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
        line = key_node.start_mark.line + first_line
        if key in seen:
            problems.append(Problem(label, line, key, f"字段重复出现（第 {seen[key]} 行已有），请删除其中一行"))
            continue
        seen[key] = line
        keys.append((key, line, value))
    return keys, problems


def scalar_text(text: str) -> str:
    """`text` as a YAML scalar, as yaml.safe_dump writes it (quoted only when plain YAML would
    read it differently), on one line."""
    dumped = yaml.safe_dump({"k": text}, allow_unicode=True, width=float("inf"), default_flow_style=False)
    return dumped[len("k: "):].rstrip("\n")
