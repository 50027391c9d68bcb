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
from typing import Any, Callable

from foundation import yamltext
from foundation.validate import as_date, impossible_date, suggestion
from foundation.errors import Problem

from . import codes, terms, yamlsource
from .errors import RecordsError
from .privacy import PERSONAL_KEY, personal_data_problems
from .yamlsource import label_of

SUBJECT_MAX = 100
RECORD_KEYS = ("number", "code_hash", "channel", "received", "applicant_category", "subject", "events")
EVENT_EXTRA: dict[str, tuple[str, ...]] = {
    terms.CORRECTION_NOTICE: ("due",),
    terms.CORRECTION_RECEIVED: (),
    terms.EXTENSION: ("approved", "days"),
    terms.CONSULT_START: ("party",),
    terms.CONSULT_END: ("party",),
    terms.ANSWER: ("outcome", "reason"),
    terms.WITHDRAWAL: (),
}

@dataclass(frozen=True)
class Event:
    kind: str
    date: dt.date
    line: int = 1
    due: dt.date | None = None          # 补正告知: the correction period the office set
    approved: dt.date | None = None     # 延期: the day the head of the disclosure office agreed
    days: int = 0                       # 延期: working days added (≤ 20)
    party: str = ""                     # 征求意见: 第三方 or 其他机关
    outcome: str = ""                   # 答复: Table 三 category
    reason: str = ""                    # 答复: Table 三 sub-reason
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def line_of(self, key: str) -> int:
        """The line of one of the event's keys (the event's first line when absent)."""
        return self.lines.get(key, self.line)


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


class _Checker:
    """Collects the problems of one record file."""

    def __init__(self, src: yamlsource.Located, label: str):
        self.src = src
        self.label = label
        self.problems: list[Problem] = list(src.problems)

    def add(self, path: tuple[Any, ...], name: str, message: str) -> None:
        self.problems.append(Problem(self.label, self.src.line(*path), name, message))

    def date(self, path: tuple[Any, ...], name: str, value: Any, what: str) -> dt.date | None:
        day = as_date(value)
        if day is not None:
            return day
        shown = "缺少" if value is None else (impossible_date(value) or f"「{value}」不是有效日期，")
        self.add(path, name, f"{shown}（expected {what}，格式 YYYY-MM-DD）")
        return None

    def choice(self, path: tuple[Any, ...], name: str, value: Any, options: tuple[str, ...] | list[str],
               what: str, meanings: dict[str, str] | None = None) -> str:
        if not isinstance(value, str) or not value.strip():
            self.add(path, name, f"缺少{what}（expected 其一：{'、'.join(options)}）")
            return ""
        value = value.strip()
        if value not in options:
            hint = suggestion(value, options, meanings or {})
            self.add(path, name, f"「{value}」不在允许的取值中{hint}（expected 其一：{'、'.join(options)}）")
            return ""
        return value


def parse_record(raw: bytes | str, label: str) -> tuple[Record | None, list[Problem]]:
    """Check one record file; return the record (None when invalid) and every problem."""
    src = yamlsource.load(raw, label)
    check = _Checker(src, label)
    if check.problems:
        return None, check.problems
    check.problems += personal_data_problems(src, label)
    data = src.data
    if not isinstance(data, dict):
        check.add((), "文件", "应为 “字段名: 值” 的映射（expected 字段 " + "、".join(RECORD_KEYS) + "）")
        return None, check.problems
    for key in data:
        if key not in RECORD_KEYS and not PERSONAL_KEY.search(str(key)):
            near = difflib.get_close_matches(str(key), RECORD_KEYS, n=1, cutoff=0.5)
            hint = f"，是否应为 {near[0]}？" if near else ""
            check.add((key,), str(key), f"未知字段{hint}（expected {'、'.join(RECORD_KEYS)}）")
    number = _number(data.get("number"), label, check)
    stored = data.get("code_hash")
    try:
        codes.hash_key(str(stored or ""))
    except ValueError:
        check.add(("code_hash",), "code_hash", "缺少或不是查询码的校验值（expected 由 .venv/bin/xxgk apply new 生成的 "
                  f"{codes.SCHEME}${codes.ITERATIONS}$… ；记录中不得保存查询码本身）")
    channel = check.choice(("channel",), "channel", data.get("channel"), tuple(terms.CHANNELS), "提交方式",
                           terms.CHANNEL_MEANINGS)
    received = check.date(("received",), "received", data.get("received"), "收到申请之日（第三十一条）")
    category = check.choice(("applicant_category",), "applicant_category", data.get("applicant_category"),
                            terms.APPLICANT_CATEGORIES, "申请人类别", terms.CATEGORY_MEANINGS)
    subject = _subject(data.get("subject"), check)
    if number and received and int(number.split("-")[1]) != received.year:
        check.add(("number",), "number", f"编号年份与收到申请日期 {received} 不一致"
                  f"（expected {number.split('-')[0]}-{received.year}-…）")
    events = _events(data.get("events"), received, check)
    if check.problems or events is None or received is None:
        return None, check.problems
    return Record(number, str(stored).strip(), channel, received, category, subject, events, label,
                  {k: src.line(k) for k in data}), []


def _number(value: Any, label: str, check: _Checker) -> str:
    if not isinstance(value, str) or not codes.NUMBER_RE.fullmatch(value.strip()):
        check.add(("number",), "number", f"缺少或格式不正确：{value!r}（expected 前缀-年份-四位流水号，例如 DJ-2026-0007）")
        return ""
    value = value.strip()
    if Path(label).stem != value:
        check.add(("number",), "number", f"编号与文件名不一致（expected 文件名 {value}.yaml）")
    return value


def _subject(value: Any, check: _Checker) -> str:
    if not isinstance(value, str) or not value.strip():
        check.add(("subject",), "subject", "缺少内部摘要（expected 一行文字，概括所申请的信息，不写申请人信息）")
        return ""
    value = value.strip()
    if "\n" in value:
        check.add(("subject",), "subject", "应为一行文字，不能换行")
    elif len(value) > SUBJECT_MAX:
        check.add(("subject",), "subject", f"太长：{len(value)} 字（expected 不超过 {SUBJECT_MAX} 字）")
    return value


def _events(value: Any, received: dt.date | None, check: _Checker) -> tuple[Event, ...] | None:
    if value is None or value == []:
        return ()
    if not isinstance(value, list):
        check.add(("events",), "events", "应为列表，每项以 “- event: 种类” 开始（expected 见 docs/applications.md）")
        return None
    events: list[Event] = []
    for i, item in enumerate(value):
        event = _event(item, i, check)
        if event is not None:
            events.append(event)
    if len(events) != len(value) or received is None:
        return None
    _sequence(events, received, check)
    return tuple(events)


def _event(item: Any, i: int, check: _Checker) -> Event | None:
    where = ("events", i)
    if not isinstance(item, dict) or "event" not in item:
        check.add(where, "events", f"第 {i + 1} 项应以 “- event: 种类” 开始（expected 其一：{'、'.join(terms.EVENT_KINDS)}）")
        return None
    kind = check.choice(where + ("event",), "event", item.get("event"), terms.EVENT_KINDS, "事项")
    if not kind:
        return None
    allowed = ("event", "date") + EVENT_EXTRA[kind]
    for key in item:
        if key not in allowed and not PERSONAL_KEY.search(str(key)):
            check.add(where + (key,), str(key), f"「{kind}」没有这一项（expected {'、'.join(allowed)}）")
    when = check.date(where + ("date",), "date", item.get("date"), f"{kind}的日期")
    extra: dict[str, Any] = {}
    if kind == terms.CORRECTION_NOTICE and item.get("due") is not None:
        extra["due"] = check.date(where + ("due",), "due", item["due"], "告知申请人的补正期限")
        if extra["due"] and when and extra["due"] <= when:
            check.add(where + ("due",), "due", f"补正期限 {extra['due']} 不晚于告知日期 {when}（expected 合理的补正期限，第三十条）")
    elif kind == terms.EXTENSION:
        extra["approved"] = check.date(where + ("approved",), "approved", item.get("approved"),
                                       "政府信息公开工作机构负责人同意延期之日（第三十三条第二款）")
        days = item.get("days", terms.MAX_EXTENSION_DAYS)
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= terms.MAX_EXTENSION_DAYS:
            check.add(where + ("days",), "days", f"「{days}」无效（expected 1 至 {terms.MAX_EXTENSION_DAYS} 的工作日数，"
                      "第三十三条第二款：延长的期限最长不得超过20个工作日）")
            days = 0
        extra["days"] = days
        if extra["approved"] and when and extra["approved"] > when:
            check.add(where + ("approved",), "approved", f"同意日期 {extra['approved']} 晚于告知申请人之日 {when}"
                      "（expected 先经负责人同意，再告知申请人）")
    elif kind in (terms.CONSULT_START, terms.CONSULT_END):
        extra["party"] = check.choice(where + ("party",), "party", item.get("party"), tuple(terms.CONSULTED),
                                      "征求意见的对象")
    elif kind == terms.ANSWER:
        outcome = check.choice(where + ("outcome",), "outcome", item.get("outcome"), tuple(terms.OUTCOMES),
                               "办理结果（年报表三的类别）", terms.OUTCOME_MEANINGS)
        extra["outcome"] = outcome
        reasons = terms.OUTCOMES.get(outcome, ())
        reason = item.get("reason")
        if outcome and reasons:
            extra["reason"] = check.choice(where + ("reason",), "reason", reason, reasons, f"「{outcome}」的具体情形")
        elif outcome and reason not in (None, ""):
            check.add(where + ("reason",), "reason", f"「{outcome}」在年报表三中没有细分情形（expected 删除 reason）")
    if when is None or any(v is None or v == "" for k, v in extra.items() if k != "due"):
        return None
    lines = {str(k): check.src.line(*where, k) for k in item}
    return Event(kind, when, check.src.line(*where), lines=lines,
                 **{k: v for k, v in extra.items() if v is not None})


def _sequence(events: list[Event], received: dt.date, check: _Checker) -> None:
    """Check the order of events against 第三十条、第三十二至三十四条."""
    def bad(event: Event, name: str, message: str) -> None:
        line = event.line if name == "event" else event.line_of(name)
        check.problems.append(Problem(check.label, line, name, message))

    seen: dict[str, Event] = {}
    open_consults: dict[str, Event] = {}
    previous: Event | None = None
    for e in events:
        if e.date < received:
            bad(e, "date", f"{e.kind}日期 {e.date} 早于收到申请日期 {received}（expected 不早于 {received}）")
        if previous is not None and e.date < previous.date:
            bad(e, "date", f"{e.kind}日期 {e.date} 早于上一项（{previous.kind} {previous.date}）"
                "（expected 事项按时间顺序排列）")
        closing = seen.get(terms.ANSWER) or seen.get(terms.WITHDRAWAL)
        if closing is not None:
            bad(e, "event", f"「{closing.kind}」之后不应再有「{e.kind}」（expected 答复或撤回是最后一项）")
        if e.kind == terms.CORRECTION_NOTICE and e.kind in seen:
            bad(e, "event", "补正只能告知一次（expected 一项补正告知；第三十条：一次性告知申请人作出补正）")
        if e.kind == terms.CORRECTION_RECEIVED:
            if terms.CORRECTION_NOTICE not in seen:
                bad(e, "event", "没有补正告知就收到补正（expected 先有一项「补正告知」）")
            elif e.kind in seen:
                bad(e, "event", "补正只收到一次（expected 一项补正收到）")
        if e.kind == terms.EXTENSION:
            if e.kind in seen:
                bad(e, "event", "答复期限只能延长一次（expected 一项延期，第三十三条第二款）")
            if terms.CORRECTION_NOTICE in seen and terms.CORRECTION_RECEIVED not in seen:
                bad(e, "event", "等待补正期间答复期限尚未起算，不能延期（expected 收到补正之后再延期，第三十条）")
        if e.kind == terms.CONSULT_START:
            if e.party in open_consults:
                bad(e, "event", f"向{e.party}征求意见尚未结束（expected 先记录「征求意见结束」）")
            open_consults[e.party] = e
        if e.kind == terms.CONSULT_END and open_consults.pop(e.party, None) is None:
            bad(e, "event", f"没有对应的「征求意见开始」（expected 之前有一项 party: {e.party} 的征求意见开始）")
        if e.kind == terms.ANSWER:
            for party in open_consults:
                bad(e, "event", f"答复前向{party}征求意见尚未记录结束（expected 在答复之前加一项「征求意见结束」）")
            _check_answer(e, seen, bad)
        seen.setdefault(e.kind, e)
        previous = e


def _check_answer(e: Event, seen: dict[str, Event], bad: Callable[[Event, str, str], None]) -> None:
    notice, corrected = seen.get(terms.CORRECTION_NOTICE), seen.get(terms.CORRECTION_RECEIVED)
    if e.reason == terms.NO_CORRECTION:
        if notice is None or corrected is not None:
            bad(e, "reason", "只有告知补正而申请人未补正时才能这样处理（expected 有「补正告知」、没有「补正收到」，第三十条）")
        elif notice.due and e.date <= notice.due:
            bad(e, "reason", f"补正期限 {notice.due} 尚未届满（expected 答复日期晚于补正期限，第三十条）")
    if e.reason == terms.STILL_UNCLEAR and corrected is None:
        bad(e, "reason", "没有收到补正（expected 有「补正收到」之后才是“补正后申请内容仍不明确”）")


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
