"""Legal deadlines of an application, each with its basis and a day-by-day explanation.

Pure functions of a record, a working-day calendar and "today":

- 第三十条: the office tells the applicant what to correct within 7 working
  days of receipt, once; the answer period then runs from the day the
  corrected application arrives.
- 第三十三条第二款: the answer is due within 20 working days of receipt; one
  extension of at most 20 working days, approved by the head of the
  disclosure office and told to the applicant.
- 第三十三条第三款 with 第三十二条 and 第三十四条: time spent consulting a third
  party or another agency does not count.
- Counting working days (counting.py): the day of receipt is not counted, a
  consultation pauses the clock.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from foundation.errors import Problem

from . import terms
from .counting import ONE_DAY, Pause, count_working_days
from .errors import UnknownYearError
from .events import Event
from .records import Record
from .workdays import WorkCalendar, fmt

BASIS_CORRECTION = f"{terms.LAW}第三十条"
BASIS_ANSWER = f"{terms.LAW}第三十三条第二款"

# Status keys, in the order `apply list` sorts open applications.
STATUS_LABELS = {
    "overdue": "已超过答复期限，尚未答复",
    "open": "办理中",
    "extended": "办理中（已延长答复期限）",
    "consulting": "征求意见中（期限暂停计算）",
    "awaiting_correction": "等待申请人补正",
    "answered": "已答复",
    "withdrawn": "已撤回",
}


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    basis: str
    start: dt.date
    working_days: int
    due: dt.date | None
    explanation: tuple[str, ...]
    met: bool | None = None            # None: not decided (still open, or superseded)
    result: str = ""
    counted: int = 0
    unknown_year: int | None = None
    checked_through: dt.date | None = None


@dataclass(frozen=True)
class Extension:
    approved: dt.date
    notified: dt.date
    days: int
    original_due: dt.date | None
    due: dt.date | None

    def text(self) -> str:
        base = (f"经政府信息公开工作机构负责人于 {self.approved.isoformat()} 同意，{self.notified.isoformat()} 告知申请人，"
                f"答复期限延长 {self.days} 个工作日（第三十三条第二款）")
        if self.original_due and self.due:
            base += f"：由 {self.original_due.isoformat()} 延长至 {self.due.isoformat()}"
        return base


@dataclass(frozen=True)
class Progress:
    """Everything computed about one application as of `today`."""

    record: Record
    today: dt.date
    status: str
    correction: Deadline
    answer: Deadline | None            # the 20-day answer deadline (None while awaiting correction)
    final: Deadline | None             # the deadline that applies: extended if extended
    extension: Extension | None
    pauses: tuple[Pause, ...]
    reply_date: dt.date | None
    outcome: str
    reason: str
    on_time: bool | None
    days_left: int | None
    overdue_days: int | None
    notes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def number(self) -> str:
        return self.record.number

    @property
    def closed(self) -> bool:
        return self.status in ("answered", "withdrawn")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def deadlines(self) -> tuple[Deadline, ...]:
        """The deadlines that apply: the correction notice only if one was sent."""
        out: list[Deadline] = []
        if self.record.first(terms.CORRECTION_NOTICE):
            out.append(self.correction)
        if self.answer:
            out.append(self.answer)
        if self.final and self.final is not self.answer:
            out.append(self.final)
        return tuple(out)


def _deadline(key: str, label: str, basis: str, cal: WorkCalendar, start: dt.date, needed: int,
              intro: list[str], pauses: Iterable[Pause] = ()) -> Deadline:
    """Count a deadline; an unknown year leaves it undetermined (with what was counted so far)."""
    try:
        c = count_working_days(cal, start, needed, pauses)
    except UnknownYearError as exc:
        return Deadline(key, label, basis, start, needed, None,
                        tuple(intro) + (f"{exc.year} 年的节假日安排尚未公布或尚未录入，期限暂时无法确定",),
                        unknown_year=exc.year, checked_through=dt.date(exc.year, 1, 1) - ONE_DAY)
    return Deadline(key, label, basis, start, needed, c.due, tuple(intro) + c.notes, counted=c.counted,
                    checked_through=c.checked_through)


def _pauses(record: Record, cal: WorkCalendar) -> list[Pause]:
    out: list[Pause] = []
    open_: dict[str, Event] = {}
    for e in record.events:
        if e.kind == terms.CONSULT_START:
            open_[e.party] = e
        elif e.kind == terms.CONSULT_END and e.party in open_:
            begin = open_.pop(e.party)
            try:
                excluded: int | None = cal.workdays_between(begin.date, e.date)
            except UnknownYearError:
                excluded = None
            out.append(Pause(e.party, begin.date, e.date, excluded))
    out += [Pause(e.party, e.date, None) for e in open_.values()]
    return sorted(out, key=lambda p: p.start)


def _settle(d: Deadline, done: dt.date, verb: str) -> Deadline:
    """Mark a deadline met or missed by the act done on `done`."""
    if d.due is not None:
        met = done <= d.due
    elif d.checked_through is not None and done <= d.checked_through:
        met = True  # the deadline lies beyond every day already checked
    else:
        return d
    result = f"{done.isoformat()} {verb}，{'在期限内' if met else '超过期限'}"
    return Deadline(**{**d.__dict__, "met": met, "result": result})


def compute(record: Record, cal: WorkCalendar, today: dt.date) -> Progress:
    """Every deadline of `record`, whether it was kept, and the status as of `today`."""
    notice = record.first(terms.CORRECTION_NOTICE)
    corrected = record.first(terms.CORRECTION_RECEIVED)
    ext = record.first(terms.EXTENSION)
    reply, withdrawn = _closing(record)
    notes: list[str] = [f"收到申请之日：{fmt(record.received)}。{terms.CHANNELS[record.channel]}"]
    correction = _correction(record, cal, notice)
    pauses = _pauses(record, cal)
    answer: Deadline | None = None
    final: Deadline | None = None
    extension: Extension | None = None
    problems: list[Problem] = []
    warnings: list[str] = []
    if notice and not corrected:
        due = f"，补正期限至 {notice.due.isoformat()}" if notice.due else ""
        notes.append(f"{fmt(notice.date)}告知申请人补正{due}；答复期限自收到补正之日起计算（第三十条），"
                     "申请人无正当理由逾期不补正的，视为放弃申请")
    else:
        answer, final, extension, problems = _answer(record, cal, corrected, ext, pauses)
        warnings = [str(UnknownYearError(d.unknown_year, cal.covered(), cal.folder))
                    for d in (answer, final) if d.unknown_year]
    on_time: bool | None = None
    if reply:
        answer, final, on_time = _replied(record, reply, notice, ext, answer, final, notes)
    if withdrawn:
        notes.append(f"{fmt(withdrawn.date)}申请人撤回申请，办理终结")
    status, days_left, overdue_days = _status(notice, corrected, ext, pauses, final, reply, withdrawn, today, cal)
    return Progress(record, today, status, correction, answer, final, extension, tuple(pauses),
                    reply.date if reply else None, reply.outcome if reply else "", reply.reason if reply else "",
                    on_time, days_left, overdue_days, tuple(notes), tuple(problems), tuple(dict.fromkeys(warnings)))


def _closing(record: Record) -> tuple[Event | None, Event | None]:
    """The 答复 and the 撤回 that closed the application (one of them at most)."""
    closing = record.closing
    if closing is None:
        return None, None
    return (closing, None) if closing.kind == terms.ANSWER else (None, closing)


def _correction(record: Record, cal: WorkCalendar, notice: Event | None) -> Deadline:
    """The 7 working days to ask for a correction (第三十条), settled by the notice if one was sent."""
    correction = _deadline(
        "correction_notice", "补正告知期限", BASIS_CORRECTION, cal, record.received, terms.CORRECTION_NOTICE_DAYS,
        [f"申请内容不明确的，应自收到申请之日起 {terms.CORRECTION_NOTICE_DAYS} 个工作日内一次性告知申请人补正"
         f"（第三十条）；自 {fmt(record.received)}的次日起计算，收到申请当日不计入"])
    return _settle(correction, notice.date, "告知补正") if notice else correction


def _answer(record: Record, cal: WorkCalendar, corrected: Event | None, ext: Event | None,
            pauses: list[Pause]) -> tuple[Deadline, Deadline, Extension | None, list[Problem]]:
    """The answer deadline (第三十三条第二款), from the corrected application if any (第三十条), and
    the deadline that applies once extended; the problems of a late extension."""
    start = corrected.date if corrected else record.received
    intro = ([f"{fmt(corrected.date)}收到补正后的申请，答复期限自该日起重新计算（第三十条）；"
              "该日不计入，自次日起计算 20 个工作日"] if corrected else
             [f"应自收到申请之日起 {terms.ANSWER_DAYS} 个工作日内答复（第三十三条第二款）；"
              f"自 {fmt(record.received)}的次日起计算，收到申请当日不计入"])
    basis = BASIS_ANSWER + ("、第三款" if pauses else "") + ("，第三十条" if corrected else "")
    answer = _deadline("answer", "答复期限", basis, cal, start, terms.ANSWER_DAYS, intro, pauses)
    if not ext:
        return answer, answer, None, []
    approved = ext.approved or ext.date  # events.py requires `approved` on every 延期
    total = terms.ANSWER_DAYS + ext.days
    extension_intro = [f"经负责人于 {fmt(approved)}同意、{fmt(ext.date)}告知申请人，延长 {ext.days} 个工作日"
                       f"（第三十三条第二款），即自 {fmt(start)}的次日起共计 {total} 个工作日"]
    final = _deadline("extended_answer", "延长后的答复期限", BASIS_ANSWER + ("、第三款" if pauses else ""),
                      cal, start, total, extension_intro, pauses)
    extension = Extension(approved, ext.date, ext.days, answer.due, final.due)
    problems = []
    if answer.due and ext.date > answer.due:
        problems.append(Problem(record.path, ext.line_of("date"), "date", f"延期于 {ext.date} 才告知申请人，已过原答复期限 "
                                f"{answer.due}（expected 在原期限届满前经负责人同意并告知申请人，第三十三条第二款）"))
    answer = Deadline(**{**answer.__dict__, "result": f"已延长 {ext.days} 个工作日"})
    return answer, final, extension, problems


def _replied(record: Record, reply: Event, notice: Event | None, ext: Event | None, answer: Deadline | None,
             final: Deadline | None, notes: list[str]) -> tuple[Deadline | None, Deadline | None, bool | None]:
    """The deadlines settled by the answer, and whether it came in time (notes gets what it says)."""
    if reply.date == record.received and not notice:
        notes.append(f"{fmt(reply.date)}当场答复（第三十三条第一款）")
    if final is None:
        notes.append("答复时答复期限尚未起算（等待补正），不存在超期")
        return answer, final, True
    final = _settle(final, reply.date, "答复")
    return (answer if ext else final), final, final.met


def _status(notice: Event | None, corrected: Event | None, ext: Event | None, pauses: list[Pause],
            final: Deadline | None, reply: Event | None, withdrawn: Event | None, today: dt.date,
            cal: WorkCalendar) -> tuple[str, int | None, int | None]:
    if reply:
        return "answered", None, None
    if withdrawn:
        return "withdrawn", None, None
    if notice and not corrected:
        return "awaiting_correction", None, None
    if final is None or final.due is None:
        running = any(p.end is None for p in pauses)
        return ("consulting" if running else "open"), None, None
    try:
        if today <= final.due:
            return ("extended" if ext else "open"), cal.workdays_between(today - ONE_DAY, final.due), None
        return "overdue", None, cal.workdays_between(final.due, today)
    except UnknownYearError:
        return ("overdue" if today > final.due else "extended" if ext else "open"), None, None


__all__ = ["Deadline", "Extension", "Progress", "STATUS_LABELS", "compute"]
