"""What the disclosure office does with the register: register an application, see what is due.

Typed functions behind ``.venv/bin/xxgk apply`` (xxgk/apply.py).
"""
from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foundation import yamltext
from foundation.errors import Problem

from foundation.requests import codes, terms
from foundation.requests.deadlines import Deadline, Progress, compute
from foundation.requests.errors import ApplicationsError, RecordsError
from foundation.requests.records import Record, next_number, parse_record, record_text
from foundation.requests.registry import Register
from foundation.requests.workdays import fmt
from foundation.requests.yamlsource import label_of

# The command that records each event (xxgk/apply.py), for messages.
COMMANDS = {terms.CORRECTION_NOTICE: "correction", terms.CORRECTION_RECEIVED: "corrected", terms.EXTENSION: "extend",
            terms.CONSULT_START: "consult", terms.CONSULT_END: "consulted", terms.ANSWER: "answer",
            terms.WITHDRAWAL: "withdraw"}
LOCK_NAME = ".apply.lock"   # in the records folder; not a record (records are *.yaml)
DEFAULT_PREFIX = "YSQ"   # 依申请; a site's own prefix is taken from its latest record


@dataclass(frozen=True)
class Created:
    record: Record
    code: str
    path: Path
    progress: Progress


def number_prefix(register: Register, prefix: str | None) -> str:
    """The prefix to number with: the one given, else the latest record's, else YSQ."""
    if prefix:
        if not codes.NUMBER_RE.fullmatch(f"{prefix}-2000-0001"):
            raise ApplicationsError(f"编号前缀「{prefix}」无效（expected 1 至 8 个大写字母，例如 DJ）")
        return prefix
    latest = max(register.records, key=lambda r: r.number.split("-")[1:], default=None)
    return latest.number.split("-")[0] if latest else DEFAULT_PREFIX


# What a command's option is called in the record it writes (problems name what the officer typed).
OPTIONS = {"channel": "--channel", "applicant_category": "--category", "subject": "--subject",
           "received": "--received", "date": "--date", "due": "--due", "approved": "--approved",
           "days": "--days", "party": "--party", "outcome": "--outcome", "reason": "--reason"}


def _as_options(problems: list[Problem], command: str, from_line: int = 0) -> list[Problem]:
    """Problems of what a command wrote (lines from `from_line` on), named by its options."""
    return [Problem(command, 0, OPTIONS.get(p.field, p.field), p.message, p.severity)
            if p.line >= from_line and p.field in OPTIONS else p for p in problems]


def create_application(register: Register, channel: str, category: str, subject: str,
                        received: dt.date | None = None, prefix: str | None = None) -> Created:
    """Write a new record with the next free number and a fresh query code (returned, never stored)."""
    received = received or register.today
    number = next_number(register.records, number_prefix(register, prefix), received.year)
    code = codes.new_code()
    text = record_text(number, codes.code_hash(number, code), channel, received, category, subject)
    path = register.folder / str(received.year) / f"{number}.yaml"
    record, problems = parse_record(text, label_of(path, register.site_root))
    if record is None:
        raise RecordsError(_as_options(problems, "apply new"))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as f:  # never overwrite a record
        f.write(text)
    return Created(record, code, path, compute(record, register.calendar, register.today))


def find_record(register: Register, number: str) -> Record:
    """The record numbered `number` (as typed: case and spaces do not matter)."""
    wanted = number.strip().upper()
    for record in register.records:
        if record.number == wanted:
            return record
    raise ApplicationsError(f"没有编号为「{number}」的申请（expected 已登记的编号，用 .venv/bin/xxgk apply list 查看）")


def _with_event(text: str, lines: list[str]) -> str:
    """`text` of a record with one more item at the end of its `events:` list (comments kept)."""
    rows = text.rstrip("\n").split("\n")
    at = next((i for i, row in enumerate(rows) if re.match(r"events:\s*(\[\s*\]\s*)?(#.*)?$", row)), None)
    if at is None:
        return "\n".join(rows + ["events:"] + ["  " + x for x in lines]) + "\n"
    if "[" in rows[at]:
        rows[at] = "events:"
    end, indent = _list_end(rows, at)
    return "\n".join(rows[:end] + [indent + x for x in lines] + rows[end:]) + "\n"


def _list_end(rows: list[str], at: int) -> tuple[int, str]:
    """Where a new item of the list that starts on row `at` goes, and the indent of its items."""
    end = at + 1   # the list ends before the next top-level key
    indent = "  "
    while end < len(rows) and (not rows[end].strip() or rows[end][:1] in (" ", "-", "#", "\t")):
        m = re.match(r"(\s*)- ", rows[end])
        if m and not rows[end].lstrip().startswith("#"):
            indent = m.group(1)
        end += 1
    while end > at + 1 and (not rows[end - 1].strip() or rows[end - 1].lstrip().startswith("#")):
        end -= 1   # keep trailing comments and blank lines after the new item
    return end, indent


def event_lines(kind: str, when: dt.date, **extra: Any) -> list[str]:
    """One event as the YAML lines of a list item (values quoted where plain YAML would misread them)."""
    out = [f"- event: {kind}", f"  date: {when.isoformat()}"]
    for key, value in extra.items():
        if value is None or value == "":
            continue
        shown = value.isoformat() if isinstance(value, dt.date) else str(value)
        out.append(f"  {key}: {shown if isinstance(value, (int, dt.date)) else yamltext.scalar_text(shown)}")
    return out


def add_event(register: Register, number: str, kind: str, when: dt.date | None = None, **extra: Any) -> Progress:
    """Append one event (补正告知, 延期, 答复 …) to an application's record, checked exactly as a
    hand-written one is (the record file is changed only if the result is valid), and return
    the application's new progress."""
    if kind not in terms.EVENT_KINDS:
        raise ApplicationsError(f"未知事项「{kind}」（expected 其一：{'、'.join(terms.EVENT_KINDS)}）")
    when = when or register.today
    if when > register.today:
        raise ApplicationsError(f"「{kind}」的日期 {when.isoformat()} 晚于今天 {register.today.isoformat()}"
                                "（expected 记录已经发生的事项；--date 默认今天）")
    record = find_record(register, number)
    command = f"apply {COMMANDS[kind]} {record.number}"
    path = register.site_root / record.path
    register.folder.mkdir(parents=True, exist_ok=True)
    # Two officers recording on the same register at once: one after the other, each reading
    # the record as the other left it (the lock file stays put while records are replaced).
    with open(register.folder / LOCK_NAME, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        text = path.read_text(encoding="utf-8")
        added = event_lines(kind, when, **extra)
        changed = _with_event(text, added)
        new_from = changed.rstrip("\n").count("\n") + 2 - len(added)   # the first line of the new item
        parsed, problems = parse_record(changed, record.path)
        if parsed is None:
            raise RecordsError(_as_options(problems, command, new_from))
        progress = compute(parsed, register.calendar, register.today)
        if progress.problems:
            raise RecordsError(_as_options(list(progress.problems), command, new_from))
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(changed, encoding="utf-8")
        os.replace(tmp, path)   # a reader never sees half a record
    register.records = [parsed if r.number == parsed.number else r for r in register.records]
    register.progress = [progress if p.number == parsed.number else p for p in register.progress]
    return progress


def progress_text(p: Progress) -> list[str]:
    """What `apply` prints after a change: the status and every deadline that applies, with its basis."""
    lines = [f"{p.number}：{p.status_label}"]
    for d in p.deadlines:
        when = fmt(d.due) if d.due else "暂无法确定"
        state = f"，{d.result}" if d.result else ""
        lines.append(f"  {d.label}：{when}（{d.basis}）{state}")
        lines += [f"    · {step}" for step in d.explanation]
    lines += [f"  注：{note}" for note in p.notes]
    return lines


def late_notes(p: Progress) -> list[str]:
    """For an application registered late (`apply new --received` in the past): the deadlines
    that have already gone by, and what that means."""
    out = []
    c = p.correction
    if c.due is not None and c.due < p.today and p.record.first(terms.CORRECTION_NOTICE) is None:
        out.append(f"补正告知期限已于 {fmt(c.due)}届满（{c.basis}）：此后不能再要求申请人补正")
    if p.status == "overdue" and p.final and p.final.due:
        out.append(f"答复期限已于 {fmt(p.final.due)}届满，已逾期 {p.overdue_days} 个工作日（{p.final.basis}）：请尽快答复")
    return out


def correction_lapsed(p: Progress) -> dt.date | None:
    """The 补正 period's last day, when the application still waits for a correction after it (第三十条)."""
    notice = p.record.first(terms.CORRECTION_NOTICE)
    if p.status == "awaiting_correction" and notice is not None and notice.due is not None and notice.due < p.today:
        return notice.due
    return None


def receipt(created: Created, tracker_url: str) -> str:
    """The receipt text to hand to the applicant."""
    r, p = created.record, created.progress
    lines = [
        "政府信息公开申请登记回执",
        "",
        f"申请编号：{r.number}",
        f"查询码：{created.code}",
        f"收到申请日期：{r.received.isoformat()}",
        f"  · {terms.CHANNELS[r.channel]}",
    ]
    answer = p.final
    if answer is not None and answer.due is not None:
        lines.append(f"答复期限：{fmt(answer.due)}前（{answer.basis}）")
        lines += [f"  · {step}" for step in answer.explanation]
    else:
        year = answer.unknown_year if answer else None
        lines.append(f"答复期限：自收到申请之日起 {terms.ANSWER_DAYS} 个工作日（{terms.LAW}第三十三条第二款）；"
                     f"{year} 年节假日安排公布后即可在查询页面看到具体日期")
    if p.correction.due is not None:
        lines.append(f"如申请内容需要补正，本机关将于 {fmt(p.correction.due)}前一次性告知，"
                     "答复期限自收到补正后的申请之日起重新计算（第三十条）。")
    lines += [
        f"能够当场答复的当场答复；需要延长答复期限的，经负责人同意并告知您，最长延长 {terms.MAX_EXTENSION_DAYS} 个工作日；"
        "征求第三方或其他机关意见的时间不计入答复期限（第三十三条）。",
        "",
        f"办理进度查询：{tracker_url}（输入申请编号和查询码）",
        "查询码是查看办理进度的唯一凭证。本机关只保存查询码的校验值，无法找回查询码，请妥善保管。",
    ]
    return "\n".join(lines)


def urgency(p: Progress) -> tuple[int, int, str]:
    """Sort key of open applications: overdue first (most overdue first), then fewest days left."""
    due = p.final.due.isoformat() if p.final and p.final.due else "9999"
    if p.status == "overdue":
        return 0, -(p.overdue_days or 0), due
    if p.days_left is not None:
        return 1, p.days_left, due
    return 2, 0, p.record.received.isoformat()


def open_applications(register: Register) -> list[Progress]:
    return sorted((p for p in register.progress if not p.closed), key=urgency)


def list_line(p: Progress) -> str:
    """One line of `apply list`."""
    lapsed = correction_lapsed(p)
    mark = "逾期" if p.status == "overdue" else "补正" if lapsed else "    "   # 2 wide = 4 narrow
    head = f"{mark}  {p.number}  收到 {p.record.received.isoformat()}  "
    due = p.final.due if p.final else None
    if p.status == "overdue" and due:
        late = f"已超过 {p.overdue_days} 个工作日" if p.overdue_days is not None else "已超过期限"
        return head + f"答复期限 {due.isoformat()}  {late}"
    if p.days_left is not None and due:
        today = "（今日到期）" if due == p.today else ""
        return head + f"答复期限 {due.isoformat()}  剩 {p.days_left} 个工作日{today}  {p.status_label}"
    if p.status == "awaiting_correction":
        return head + _awaiting_text(p, lapsed)
    if p.status == "consulting" and p.final:
        return head + f"{p.status_label}：已计 {p.final.counted} 个工作日，尚余 {p.final.working_days - p.final.counted} 个"
    return head + f"{p.status_label}：答复期限暂无法确定"


def _awaiting_text(p: Progress, lapsed: dt.date | None) -> str:
    """`apply list` of an application awaiting correction: when it was asked, or what to do once lapsed."""
    if lapsed:
        return (f"补正期限 {lapsed.isoformat()} 已过，申请人未补正：按「其他处理」办结"
                f"（.venv/bin/xxgk apply answer {p.number} --outcome 其他处理 --reason {terms.NO_CORRECTION}）")
    notice = p.record.first(terms.CORRECTION_NOTICE)
    until = f"，补正期限 {notice.due.isoformat()}" if notice and notice.due else ""
    return f"{p.status_label}（{notice.date.isoformat() if notice else ''} 告知{until}）"


def list_text(today: dt.date, pending: list[Progress]) -> list[str]:
    """What `apply list` prints: the open applications, most urgent first, and how many are late."""
    lines = [f"截至 {today.isoformat()}，未办结的申请："]
    lines += [list_line(p) for p in pending]
    overdue = sum(p.status == "overdue" for p in pending)
    lapsed = sum(correction_lapsed(p) is not None for p in pending)
    more = f"，{lapsed} 件补正期限已过待办结" if lapsed else ""
    lines.append(f"共 {len(pending)} 件未办结，其中 {overdue} 件逾期{more}。")
    return lines


def _deadline_json(d: Deadline) -> dict[str, Any]:
    return {"key": d.key, "label": d.label, "basis": d.basis, "start": d.start.isoformat(),
            "working_days": d.working_days, "due": d.due.isoformat() if d.due else None, "met": d.met,
            "result": d.result, "counted": d.counted, "unknown_year": d.unknown_year,
            "explanation": list(d.explanation)}


def progress_json(p: Progress) -> dict[str, Any]:
    """Every computed date and explanation of one application, for other tools (internal: has the subject)."""
    r = p.record
    return {
        "number": r.number, "path": r.path, "received": r.received.isoformat(), "channel": r.channel,
        "applicant_category": r.applicant_category, "subject": r.subject,
        "status": p.status, "status_label": p.status_label, "closed": p.closed,
        "correction_notice": _deadline_json(p.correction),
        "deadlines": [_deadline_json(d) for d in p.deadlines],
        "extension": ({"approved": p.extension.approved.isoformat(), "notified": p.extension.notified.isoformat(),
                       "days": p.extension.days, "text": p.extension.text()} if p.extension else None),
        "pauses": [{"party": x.party, "start": x.start.isoformat(), "end": x.end.isoformat() if x.end else None,
                    "excluded_working_days": x.excluded, "text": x.text()} for x in p.pauses],
        "reply_date": p.reply_date.isoformat() if p.reply_date else None, "outcome": p.outcome or None,
        "reason": p.reason or None, "on_time": p.on_time, "days_left": p.days_left,
        "overdue_days": p.overdue_days, "notes": list(p.notes), "warnings": list(p.warnings),
    }


def register_json(register: Register) -> dict[str, Any]:
    s = register.stats()
    return {
        "today": register.today.isoformat(),
        "statistics": {"year": s.year, "received": s.received, "answered": s.answered, "on_time": s.on_time,
                       "withdrawn": s.withdrawn, "open": s.open, "overdue": s.overdue,
                       "completion_rate": s.completion_rate},
        "applications": [progress_json(p) for p in register.progress],
    }


__all__ = ["Created", "add_event", "correction_lapsed", "create_application", "event_lines", "find_record",
           "late_notes", "list_line", "list_text", "open_applications", "progress_json", "progress_text", "receipt",
           "register_json", "urgency"]
