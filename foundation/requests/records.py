"""Application records: one YAML file per application under applications/ (never published).

A record holds what the office needs to count deadlines and fill Table 三 of
the annual report, and nothing about who applied: the applicant's name,
contact, ID number and address stay in the office's registration system.
《个人信息保护法》第六条 limits processing to the smallest scope the purpose
needs, and ../shared/domain.md §3 forbids them on the public site, so the
validator rejects keys and values that look like personal data.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foundation import yamltext
from foundation.errors import Problem

from . import codes, terms, yamlsource
from .checks import Checker
from .errors import RecordsError
from .events import Event, read_events
from .privacy import PERSONAL_KEY, personal_data_problems
from .yamlsource import label_of

SUBJECT_MAX = 100
RECORD_KEYS = ("number", "code_hash", "channel", "received", "applicant_category", "subject", "events")


@dataclass(frozen=True)
class Record:
    number: str
    code_hash: str
    channel: str
    received: dt.date
    applicant_category: str
    subject: str
    events: tuple[Event, ...] = ()
    path: str = ""
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def first(self, kind: str) -> Event | None:
        return next((e for e in self.events if e.kind == kind), None)

    @property
    def year(self) -> int:
        return self.received.year

    @property
    def closing(self) -> Event | None:
        """The 答复 or 撤回 that closed the application, if any."""
        return next((e for e in self.events if e.kind in (terms.ANSWER, terms.WITHDRAWAL)), None)


def parse_record(raw: bytes | str, label: str) -> tuple[Record | None, list[Problem]]:
    """Check one record file; return the record (None when invalid) and every problem."""
    src = yamlsource.load(raw, label)
    check = Checker(src, label)
    if check.problems:
        return None, check.problems
    check.problems += personal_data_problems(src, label)
    data = src.data
    if not isinstance(data, dict):
        check.add((), "文件", "应为 “字段名: 值” 的映射（expected 字段 " + "、".join(RECORD_KEYS) + "）")
        return None, check.problems
    _unknown_keys(data, check)
    number = _number(data.get("number"), label, check)
    stored = data.get("code_hash")
    _code_hash(stored, check)
    channel = check.choice(("channel",), "channel", data.get("channel"), tuple(terms.CHANNELS), "提交方式",
                           terms.CHANNEL_MEANINGS)
    received = check.date(("received",), "received", data.get("received"), "收到申请之日（第三十一条）")
    category = check.choice(("applicant_category",), "applicant_category", data.get("applicant_category"),
                            terms.APPLICANT_CATEGORIES, "申请人类别", terms.CATEGORY_MEANINGS)
    subject = _subject(data.get("subject"), check)
    if number and received and int(number.split("-")[1]) != received.year:
        check.add(("number",), "number", f"编号年份与收到申请日期 {received} 不一致"
                  f"（expected {number.split('-')[0]}-{received.year}-…）")
    events = read_events(data.get("events"), received, check)
    if check.problems or events is None or received is None:
        return None, check.problems
    return Record(number, str(stored).strip(), channel, received, category, subject, events, label,
                  {k: src.line(k) for k in data}), []


def _unknown_keys(data: dict[Any, Any], check: Checker) -> None:
    """Keys a record does not have (personal-data keys are reported by the privacy check)."""
    for key in data:
        if key not in RECORD_KEYS and not PERSONAL_KEY.search(str(key)):
            near = difflib.get_close_matches(str(key), RECORD_KEYS, n=1, cutoff=0.5)
            hint = f"，是否应为 {near[0]}？" if near else ""
            check.add((key,), str(key), f"未知字段{hint}（expected {'、'.join(RECORD_KEYS)}）")


def _code_hash(stored: Any, check: Checker) -> None:
    """The stored key of the query code must be one `apply new` made (never the code itself)."""
    try:
        codes.hash_key(str(stored or ""))
    except ValueError:
        check.add(("code_hash",), "code_hash", "缺少或不是查询码的校验值（expected 由 .venv/bin/xxgk apply new 生成的 "
                  f"{codes.SCHEME}${codes.ITERATIONS}$… ；记录中不得保存查询码本身）")


def _number(value: Any, label: str, check: Checker) -> str:
    if not isinstance(value, str) or not codes.NUMBER_RE.fullmatch(value.strip()):
        check.add(("number",), "number", f"缺少或格式不正确：{value!r}（expected 前缀-年份-四位流水号，例如 DJ-2026-0007）")
        return ""
    value = value.strip()
    if Path(label).stem != value:
        check.add(("number",), "number", f"编号与文件名不一致（expected 文件名 {value}.yaml）")
    return value


def _subject(value: Any, check: Checker) -> str:
    if not isinstance(value, str) or not value.strip():
        check.add(("subject",), "subject", "缺少内部摘要（expected 一行文字，概括所申请的信息，不写申请人信息）")
        return ""
    value = value.strip()
    if "\n" in value:
        check.add(("subject",), "subject", "应为一行文字，不能换行")
    elif len(value) > SUBJECT_MAX:
        check.add(("subject",), "subject", f"太长：{len(value)} 字（expected 不超过 {SUBJECT_MAX} 字）")
    return value


def load_records(folder: Path, label_root: Path) -> list[Record]:
    """Every record under `folder` (*.yaml, *.yml), checked; raise RecordsError with every problem."""
    records: list[Record] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return records
    for path in sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()):
        label = label_of(path, label_root)
        record, found = parse_record(path.read_bytes(), label)
        problems += found
        if record is not None:
            records.append(record)
    first: dict[str, Record] = {}
    for r in records:
        if r.number in first:
            problems.append(Problem(r.path, r.lines.get("number", 1), "number",
                                    f"编号 {r.number} 重复，已被 {first[r.number].path} 使用（expected 每件申请一个编号，"
                                    ".venv/bin/xxgk apply new 会自动分配）"))
        first.setdefault(r.number, r)
    if problems:
        raise RecordsError(problems)
    return sorted(records, key=lambda r: (r.received, r.number))


# ------------------------------------------------------------------- writing

def next_number(records: list[Record], prefix: str, year: int) -> str:
    """The next free number of `year` (serials restart each year)."""
    used = [int(m["serial"]) for r in records if (m := codes.NUMBER_RE.fullmatch(r.number))
            and int(m["year"]) == year]
    return f"{prefix}-{year}-{max(used, default=0) + 1:04d}"


_scalar = yamltext.scalar_text


def record_text(number: str, stored_hash: str, channel: str, received: dt.date, category: str, subject: str) -> str:
    """The YAML of a new record, with the comments editors need to add events."""
    return (
        "# 依申请公开登记记录（不发布）。不得写入申请人姓名、联系方式、证件号码、地址。\n"
        "# 事项格式见 docs/applications.md，例如：\n"
        "#   - event: 答复\n#     date: 2026-03-20\n#     outcome: 予以公开\n"
        f"number: {number}\n"
        f"code_hash: {stored_hash}\n"
        f"channel: {channel}\n"
        f"received: {received.isoformat()}\n"
        f"applicant_category: {category}\n"
        f"subject: {_scalar(subject)}\n"
        "events: []\n"
    )


__all__ = ["Event", "Record", "load_records", "next_number", "parse_record", "record_text"]
