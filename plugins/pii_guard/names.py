"""Natural persons' names in penalty records: masked where declared, and written nowhere else.

行政处罚法 第五十条 and 市场监督管理行政处罚信息公示规定 第六条: a natural person's
name is published masked (张某某, the NAME_MASK setting).  plugins.publication masks
the fields that hold such a name (party_name of a 自然人, operator of a 个体工商户)
and leaves the full names in `unmasked_names`; this check then looks for each full
name in the whole source file (every field, the body, attachment titles and file
names) and in the text of every attachment (OCR included), and reports each place.

Names are compared as a reader sees them: spaces of every kind and invisible
characters removed (「张　三」 is 张三), entities decoded, and a name written with a
middle dot (买买提·艾力) is looked for whole and by each part of two or more characters.
Names of natural persons in free text that no field declares are not known to the
build, and not found (SECURITY.md).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from foundation import build_state
from foundation import cache as caches
from foundation.errors import Problem

from foundation.privacy import readers
from foundation.privacy.normalise import compact, compact_with_offsets, decode

_DOTS = re.compile(r"[·・•‧∙⋅･.．]")
LAW = "行政处罚法 第五十条"


def name_form(text: str) -> str:
    """A text as names are compared: compact, every middle dot one ·."""
    return _DOTS.sub("·", compact(text))


def variants(name: str) -> list[str]:
    """What must not appear of a full name: the name (with and without its dot) and each part
    of a dotted name that has two or more characters."""
    form = name_form(name)
    out = [form, form.replace("·", "")]
    if "·" in form:
        out += [p for p in form.split("·") if len(p) >= 2]
    return [v for v in dict.fromkeys(out) if len(v) >= 2]


def _field_of_line(line: int, lines: dict[str, int], body_start: int) -> str:
    if line >= body_start:
        return "正文"
    owner, start = "", 0
    for field, first in lines.items():
        if start <= first <= line:
            owner, start = field, first
    return owner or "正文"


def _body_start(text: str) -> int:
    """The first line of the body (after the closing --- of the front matter)."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for i, line in enumerate(lines[1:], 2):
            if line.strip() == "---":
                return i + 1
    return 1


def in_source(text: str, wanted: list[str], lines: dict[str, int]) -> list[tuple[int, str]]:
    """(line, field or 正文) of each place one of `wanted` is written in a source file."""
    decoded = decode(text)
    form, offsets = compact_with_offsets(decoded)
    form = _DOTS.sub("·", form)
    body = _body_start(decoded)
    found: dict[int, str] = {}
    for w in wanted:
        for variant in (w, w.replace("·", "")):
            for m in re.finditer(re.escape(variant), form):
                line = decoded.count("\n", 0, offsets[m.start()]) + 1
                found.setdefault(line, _field_of_line(line, lines, body))
    return sorted(found.items())


def in_attachment(path: Path, wanted: list[str], ocr_cache: Path | None) -> list[str]:
    """The places in an attachment where one of `wanted` is written (OCR text included)."""
    try:
        reading = readers.read_path(path, readers.Context(ocr_cache=ocr_cache))
    except readers.Unreadable:
        return []  # the guard reports a file it cannot read
    out = []
    for part in reading.parts:
        form = name_form(part.text)
        if any(w in form or w.replace("·", "") in form for w in wanted):
            out.append(part.where or "正文")
    return out


def entry_problems(meta: dict[str, Any], source: Path, attachments: list[Any],
                   ocr_cache: Path | None) -> list[Problem]:
    """Every place a full name declared in the entry is written outside its own field."""
    label = meta["source_label"]
    lines: dict[str, int] = meta.get("field_lines", {})
    problems: list[Problem] = []
    for field, why in meta.get("names_unknown", {}).items():
        problems.append(Problem(label, lines.get(field, 1), field, why, severity="warning"))
    text = source.read_text(encoding="utf-8", errors="replace")
    for field, raw in meta.get("unmasked_names", {}).items():
        masked = meta.get(field, "")
        wanted = variants(raw)
        for line, owner in in_source(text, wanted, lines):
            if owner == field:
                continue
            where = "正文" if owner == "正文" else f"字段 {owner} "
            problems.append(Problem(label, line, owner, f"自然人姓名「{raw}」出现在{where}中，公开时必须隐去"
                                    f"（expected 改写为「{masked}」；{LAW}）"))
        for a in attachments:
            for place in in_attachment(Path(a.source), wanted, ocr_cache):
                problems.append(Problem(label, lines.get("attachments", 1), "attachments",
                                        f"自然人姓名「{raw}」出现在附件「{a.title}」的{place}，公开时必须隐去"
                                        f"（expected 把附件中的姓名改为「{masked}」后重新导出；{LAW}）"))
    return problems


def check_entries(generator: Any) -> None:
    """After every entry is read: names in published and scheduled penalty records (drafts warn)."""
    problems = build_state.of(generator.settings).problems
    root = caches.cache_root(generator.settings)
    ocr_cache = root / "ocr" if root is not None else None
    for entry in generator.articles + generator.drafts:
        meta = entry.metadata
        if not meta.get("unmasked_names") and not meta.get("names_unknown"):
            continue
        found = entry_problems(meta, Path(entry.source_path), getattr(entry, "attachment_list", []), ocr_cache)
        draft = meta.get("unpublished") == "草稿"
        problems.extend(Problem(p.path, p.line, p.field, p.message, "warning") if draft else p for p in found)
