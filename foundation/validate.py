"""Check one entry's front matter against the schema and normalise its values.

Every problem is collected, never raised one at a time, so an editor sees the
whole list at once.  Messages name the field, the problem and what is
expected; the caller adds the file and line.
"""
from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from foundation.privacy import readers
from foundation.errors import Problem

from .fields import KINDS, Field
from .schema import ATTACHMENT_PATH, COLUMNS_BY_KEY, COLUMNS_BY_NAME, all_fields, field_map, one_of

_DOC_NO = re.compile(r"^(?P<head>.+?)(?P<open>[〔\[(（【﹝])(?P<year>\d{4})(?P<close>[〕\])）】﹞])(?P<tail>.+)$")
_INDEX_NO = re.compile(r"^(?P<org>[0-9A-Z]{9}|[0-9A-Z]{18})/(?P<year>[0-9]{4})-(?P<serial>[0-9]{5})$")
# Full-width digits (０-９): Python's \d takes them, URLs and other regex dialects do not.
_WIDE_DIGITS = re.compile("[\uff10-\uff19]")
_NARROW = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_LIST_SPLIT = re.compile(r"[、，,；;]\s*")
# The published forms, for what describes published data (plugins.opendata's JSON Schema): the
# same shapes as the checks above, without Python's named groups, a 文号 with its 〔〕 brackets
# as every published one has them (normalise_doc_no).
PATTERNS = {"index_no": re.sub(r"\(\?P<\w+>", "(", _INDEX_NO.pattern), "doc_no": r"^.+〔[0-9]{4}〕.+$"}
STATUSES = ("published", "draft")


class FieldError(ValueError):
    """A value that does not fit its field; the message is for editors."""


@dataclass
class Checked:
    """The outcome of checking one entry: normalised values and problems."""

    column: str
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def normalise_doc_no(value: str) -> str:
    """Return the 文号 with the year in 六角括号〔〕 (domain.md §2)."""
    m = _DOC_NO.match(value)
    if not m:
        return value
    return f"{m['head']}〔{m['year']}〕{m['tail']}"


# Characters no text may hold: C0 controls but tab and line breaks, DEL, and the two
# non-characters XML forbids.  YAML's "\0" or "\e" escapes, or a paste from a terminal, put them
# in a field; feeds (XML) then could not be written.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _text(value: Any, f: Field, ctx: dict) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise FieldError("应为一行文字")
    text = str(value).strip()
    bad = _CONTROL.search(text)
    if bad:
        raise FieldError(f"第 {bad.start() + 1} 个字是看不见的控制字符 U+{ord(bad.group()):04X}（expected 删除它后重新输入这段文字）")
    if f.kind == "text" and "\n" in text:
        raise FieldError("应为一行文字，不能换行")
    if f.max_length and len(text) > f.max_length:
        raise FieldError(f"太长：{len(text)} 字（expected 不超过 {f.max_length} 字）")
    return text


def as_date(value: Any) -> dt.date | None:
    """A date from what YAML gives (a date, a datetime or a YYYY-MM-DD string); None otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


_DATE_SHAPE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def impossible_date(value: Any) -> str:
    """Why a YYYY-MM-DD text names no day (2025-02-30, 2026-13-01); '' when it is not of that shape."""
    m = _DATE_SHAPE.match(str(value))
    if not m:
        return ""
    year, month, day = (int(x) for x in m.groups())
    if not 1 <= month <= 12:
        return f"日期「{str(value).strip()}」不存在：一年只有 12 个月，没有 {month} 月"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"日期「{str(value).strip()}」不存在：{year} 年 {month} 月只有 {last} 天"
    return ""


def _date(value: Any, f: Field, ctx: dict) -> dt.date:
    day = as_date(value)
    if day is None:
        why = impossible_date(value)
        raise FieldError(why + "（expected YYYY-MM-DD，例如 2024-03-15）" if why
                         else f"日期「{value}」无效（expected YYYY-MM-DD，例如 2024-03-15）")
    return day


def suggestion(value: str, options: list[str] | tuple[str, ...],
               meanings: tuple[tuple[str, str], ...] | dict[str, str] = ()) -> str:
    """「，是否应为「X」？」 for a value not allowed, or '' when there is no good guess.

    A guess by meaning first (declared with the field: 同意公开 means 予以公开); otherwise a
    guess only for what looks like a slip of the keyboard.  A loose spelling match misleads
    (公示 → 请示, 同意公开 → 部分公开), and the message lists the allowed values anyway.
    """
    meant = dict(meanings).get(value.strip())
    if meant:
        return f"，是否应为「{meant}」？"
    near = difflib.get_close_matches(value, list(options), n=1, cutoff=0.75)
    return f"，是否应为「{near[0]}」？" if near else ""


def _allowed(f: Field, ctx: dict) -> tuple[str, ...]:
    if f.choices_from:
        return tuple(name for name, _slug in ctx["settings"][f.choices_from])
    return f.choices


def _one_choice(value: str, f: Field, ctx: dict) -> str:
    allowed = _allowed(f, ctx)
    for typed, meant in f.replace:
        value = value.replace(typed, meant)
    if value not in allowed:
        shown = "、".join(allowed) if len(allowed) <= 16 else "、".join(allowed[:16]) + "……"
        raise FieldError(f"「{value}」不在允许的取值中{suggestion(value, allowed, f.meanings)}（expected 其一：{shown}）")
    return value


def _choice(value: Any, f: Field, ctx: dict) -> str:
    return _one_choice(_text(value, f, ctx), f, ctx)


def _list(value: Any, f: Field, ctx: dict) -> list[str]:
    if isinstance(value, str):
        items = [x.strip() for x in _LIST_SPLIT.split(value) if x.strip()]
    elif isinstance(value, list):
        items = [_text(x, f, ctx) for x in value]
    else:
        raise FieldError("应为列表，或用顿号、逗号分隔的文字")
    if f.choices:
        items = [_one_choice(x, f, ctx) for x in items]
    return items


def _index_no(value: Any, f: Field, ctx: dict) -> str:
    text = _text(value, f, ctx).upper()
    org = ctx["settings"]["ORG_CODE"]
    if _WIDE_DIGITS.search(text):
        raise FieldError(f"索引号「{value}」中的数字应为半角数字（expected「{text.translate(_NARROW)}」）")
    m = _INDEX_NO.match(text)
    if not m:
        raise FieldError(f"索引号「{value}」格式不正确（expected 机构代码/年份-五位流水号，例如 {org}/2024-00012）")
    if m["org"] != org:
        raise FieldError(f"索引号的机构代码「{m['org']}」与站点设置 ORG_CODE 不一致（expected {org}/{m['year']}-{m['serial']}）")
    return text


# 文号 written in forms GB/T 9704-2012 §7.3.2 does not use: 〔2026〕第16号, 〔2026〕016号 (the
# serial has no 第 and no leading zeros), 2026年16号 (the year in 〔〕).
_DOC_NO_LOOSE = re.compile(r"^(?P<head>.*?)(?:〔(?P<year>\d{4})〕|(?P<year2>\d{4})年)(?P<di>第?)(?P<num>\d+)号$")


def _doc_no(value: Any, f: Field, ctx: dict) -> str:
    text = _text(value, f, ctx)
    if _WIDE_DIGITS.search(text):
        raise FieldError(f"文号「{text}」中的数字应为半角数字（expected「{normalise_doc_no(text.translate(_NARROW))}」）")
    fixed = normalise_doc_no(text)
    if fixed != text:
        raise FieldError(f"文号的年份应使用六角括号〔〕（expected「{fixed}」）")
    if any(c in text for c in "\t ") or not text.endswith("号"):
        raise FieldError(f"文号「{text}」格式不正确（expected 形如 津东疆管发〔2024〕3号，以“号”结尾，不含空格）")
    m = _DOC_NO_LOOSE.match(text)
    if m:
        normal = f"{m['head']}〔{m['year'] or m['year2']}〕{int(m['num'])}号"
        if normal != text:
            ctx["warnings"].append(f"文号「{text}」不是规范写法：年份用六角括号〔〕，序号不加“第”、不编虚位"
                                   f"（GB/T 9704—2012 第 7.3.2 条）（expected「{normal}」）")
    return text


def _amount(value: Any, f: Field, ctx: dict) -> Decimal:
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise FieldError(f"「{value}」不是数字（expected 以万元为单位的数字，例如 0.5）") from None
    if not amount.is_finite() or amount < 0:
        raise FieldError(f"「{value}」应为不小于 0 的数字（单位：万元）")
    if f.plausible_max and amount > Decimal(str(f.plausible_max)):
        yuan = amount * 10000
        ctx["warnings"].append(
            f"{amount} 万元即 {yuan:,.0f} 元，超过通常的 {f.plausible_max:g} 万元：本字段的单位是万元，"
            f"是否把元数写进来了？（expected 例如 5000 元写作 0.5；金额确实如此可忽略本警告）")
    return amount


def _year(value: Any, f: Field, ctx: dict) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1949 <= value <= 2100:
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}", value.strip()):
        return _year(int(value), f, ctx)
    raise FieldError(f"「{value}」不是有效年份（expected 四位数字，例如 2024）")


def _number(value: Any, f: Field, ctx: dict) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):  # ASCII: int() refuses ² and ①
        return int(value.strip())
    raise FieldError(f"「{value}」不是整数（expected 0 或正整数，例如 1）")


def _ref(value: Any, f: Field, ctx: dict) -> str:
    text = _text(value, f, ctx).upper()
    if not _INDEX_NO.match(text):
        raise FieldError(f"应填写另一条信息的索引号（expected 例如 {ctx['settings']['ORG_CODE']}/2024-00012）")
    return text


def _attachments(value: Any, f: Field, ctx: dict) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise FieldError("应为列表，每项写 file 和 title（见编辑手册“附件”）")
    out = []
    for i, item in enumerate(value, 1):
        if isinstance(item, str):
            item = {"file": item}
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            raise FieldError(f"第 {i} 项应写 file: 文件名（expected '- file: 名称.pdf' 和 'title: 附件名称'）")
        unknown = set(item) - {"file", "title"}
        if unknown:
            raise FieldError(f"第 {i} 项有未知的键 {'、'.join(sorted(map(str, unknown)))}（expected 只有 file 和 title）")
        name = item["file"].strip()
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts or not name:
            raise FieldError(f"附件「{name}」不能用绝对路径或 ..（expected {ATTACHMENT_PATH}）")
        source = ctx["directory"] / rel
        if not source.is_file():
            raise FieldError(f"附件文件「{name}」不存在：找的是 {ctx['directory_label']}/{name}（expected {ATTACHMENT_PATH}）")
        target = source.resolve()
        if not target.is_relative_to(ctx["root"]):
            # A symbolic link (to the file or a folder above it) would publish what is outside the site.
            raise FieldError(f"附件「{name}」指向网站文件夹之外（{target}），不能发布（expected 把文件本身复制到 "
                             f"{ctx['directory_label']}/ 下，不要用链接）")
        size, most = target.stat().st_size, ctx["settings"]["MAX_ATTACHMENT_MB"]
        if size > most * 1024 * 1024:
            raise FieldError(f"附件「{name}」太大：{size / 1024 / 1024:.1f} MB，超过 {most} MB（expected 压缩或拆分后再附上；"
                             "设置 MAX_ATTACHMENT_MB）")
        if not readers.attachable(name):
            # Every published byte is checked for personal data (plugins.pii_guard): a type
            # the guard cannot read is not published.
            raise FieldError(f"附件「{name}」不能发布：{readers.refusal(name)}")
        title = str(item.get("title") or rel.stem).strip()
        out.append({"file": name, "title": title, "source": str(target)})
    return out


def _column(value: Any, f: Field, ctx: dict) -> str:
    text = _text(value, f, ctx)
    if text in COLUMNS_BY_KEY:
        return text
    if text in COLUMNS_BY_NAME:
        return COLUMNS_BY_NAME[text].key
    keys = list(COLUMNS_BY_KEY) + list(COLUMNS_BY_NAME)
    raise FieldError(f"未知栏目「{text}」{suggestion(text, keys)}（expected {one_of(list(COLUMNS_BY_KEY))}）")


def _status(value: Any, f: Field, ctx: dict) -> str:
    text = _text(value, f, ctx)
    if text not in STATUSES:
        raise FieldError(f"「{text}」无效（expected published 或 draft）")
    return text


CHECKS: dict[str, Callable[[Any, Field, dict], Any]] = {
    "text": _text, "longtext": _text, "date": _date, "choice": _choice, "list": _list,
    "index_no": _index_no, "doc_no": _doc_no, "amount": _amount, "year": _year, "number": _number,
    "ref": _ref, "attachments": _attachments, "column": _column, "status": _status,
}
if CHECKS.keys() != KINDS.keys():
    raise ImportError("every field kind (foundation/fields.py) needs exactly one check here")


def _condition_holds(cond: tuple[tuple[str, tuple[str, ...]], ...], values: dict[str, Any]) -> str:
    """Return a description of the first condition that holds, or ''."""
    for name, options in cond:
        if values.get(name) in options:
            return f"{all_fields()[name].label}为「{values[name]}」"
    return ""


def _filled_in(names: tuple[str, ...], values: dict[str, Any]) -> str:
    """Describe the first of `names` that is filled in, or ''."""
    for name in names:
        if name in values:
            return f"填写了{all_fields()[name].label}"
    return ""


def unknown_key_message(key: str, known: dict[str, Field]) -> str:
    """Explain an unknown front-matter key, pointing at the field meant."""
    by_label = {f.label: f.name for f in known.values()}
    if key in by_label:
        return f"字段名要用英文键：请把「{key}」写作 {by_label[key]}"
    candidates = list(known) + list(by_label)
    near = difflib.get_close_matches(key, candidates, n=1, cutoff=0.5)
    if near:
        name = by_label.get(near[0], near[0])
        return f"未知字段，是否应为 {name}（{known[name].label}）？"
    return "未知字段（本栏目可用字段见 docs/fields.md）"


def check_entry(values: dict[str, Any], lines: dict[str, int], column: str, path: str,
                directory: Path, settings: dict[str, Any], root: Path | None = None) -> Checked:
    """Validate and normalise one entry of `column`; collect every problem.  `root` is the content
    folder: no attachment may lead out of it (by a symbolic link)."""
    known = field_map(column)
    out = Checked(column)
    ctx = {"settings": settings, "directory": directory, "directory_label": path.rsplit("/", 1)[0],
           "root": (root or directory).resolve()}
    for key, raw in values.items():
        line = lines.get(key, 1)
        if key not in known:
            out.problems.append(Problem(path, line, key or "（空字段名）", _unknown_field(key, column, known)))
        elif not (raw is None or raw == "" or raw == []):  # empty is absent: required-ness is checked below
            _check_value(known[key], raw, ctx, out, Problem(path, line, key, ""))
    for f in known.values():
        if f.name not in out.values and f.default is not None and f.name not in values:
            out.values[f.name] = f.default
    bad = {p.field for p in out.problems}
    for f in known.values():
        out.problems += _conditions(f, f.name in out.values or f.name in bad, out.values,
                                    Problem(path, lines.get(f.name, 1), f.name, ""), settings)
    return out


def _unknown_field(key: str, column: str, known: dict[str, Field]) -> str:
    """A key the column has no field for: another column's field (a misplaced file?) or a typo."""
    others = [f"{c.name}（{c.key}）" for c in COLUMNS_BY_KEY.values() if key in field_map(c.key)]
    if others and key.isascii() and column in COLUMNS_BY_KEY:
        return (f"本栏目（{COLUMNS_BY_KEY[column].name}）没有这个字段，它属于 {'、'.join(others)} 栏目"
                "：文件是否放错了栏目文件夹？")
    return unknown_key_message(key, known)


def _check_value(f: Field, raw: Any, ctx: dict, out: Checked, at: Problem) -> None:
    """Normalise one value by its kind's check; its error and warnings are problems at `at`."""
    ctx["warnings"] = []
    try:
        out.values[f.name] = CHECKS[f.kind](raw, f, ctx)
    except FieldError as exc:
        out.problems.append(dataclasses.replace(at, message=str(exc)))
    out.problems += [dataclasses.replace(at, message=w, severity="warning") for w in ctx["warnings"]]


def _conditions(f: Field, present: bool, values: dict[str, Any], at: Problem,
                settings: dict[str, Any]) -> list[Problem]:
    """Problems with the field's presence: required (always, or because of another field's
    value or presence), or forbidden by another field's value."""
    out = []
    why = _condition_holds(f.required_if, values) or _filled_in(f.required_with, values)
    if not present and (f.required or why):
        because = f"（因为{why}）" if why else ""
        example = f.example.replace("{ORG}", settings["ORG_CODE"])
        shown = f" 例如 {example}" if example and "\n" not in example else ""
        out.append(dataclasses.replace(
            at, message=f"缺少必填字段{because}（expected 一行 “{f.name}: …”，{f.label}：{f.help}{shown}）",
            code="missing"))
    why_not = _condition_holds(f.forbidden_if, values)
    if f.name in values and why_not:
        out.append(dataclasses.replace(at, message=f"{why_not}时不应填写{f.label}，请删除这一行"))
    return out
