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
- Counting (practice, by analogy with 民事诉讼法 第八十五条): the day of receipt
  is not counted; day 1 is the first working day after it.  A consultation
  pauses the clock from the day after it starts through the day it ends.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from foundation.errors import Problem

from . import terms
from .errors import UnknownYearError
from .records import Event, Record
from .workdays import WorkCalendar, fmt

ONE_DAY = dt.timedelta(days=1)
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
class Pause:
    """A consultation (第三十二条 third party / 第三十四条 other agency) that stops the clock."""

    party: str
    start: dt.date
    end: dt.date | None
    excluded: int | None = None      # working days not counted (None: still running or unknown year)

    @property
    def label(self) -> str:
        return terms.CONSULTED[self.party]

    def covers(self, day: dt.date) -> bool:
        return self.start < day and (self.end is None or day <= self.end)

    def text(self) -> str:
        if self.end is None:
            return f"{self.label}：{self.start.isoformat()} 开始，尚未结束，期间不计算答复期限（第三十三条第三款）"
        days = f"，不计算 {self.excluded} 个工作日" if self.excluded is not None else ""
        return (f"{self.label}：{self.start.isoformat()} 至 {self.end.isoformat()}{days}"
                "（第三十三条第三款）")


@dataclass(frozen=True)
class Count:
    """The outcome of counting `needed` working days after `start`."""

    start: dt.date
    needed: int
    due: dt.date | None                # None while a consultation is still running
    counted: int
    notes: tuple[str, ...]
    checked_through: dt.date           # last day looked at


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


def count_working_days(cal: WorkCalendar, start: dt.date, needed: int,
                       pauses: Iterable[Pause] = ()) -> Count:
    """Count `needed` working days after `start`, skipping paused days; explain every skipped day.

    Raises UnknownYearError when the count reaches a year without official holiday data.
    """
    pauses = sorted(pauses, key=lambda p: p.start)
    notes: list[str] = []
    weekends: list[dt.date] = []
    run: list[dt.date] = []
    run_name = ""
    years: list[int] = []

    def flush() -> None:
        nonlocal run, run_name
        if run:
            span = fmt(run[0]) if len(run) == 1 else f"{fmt(run[0])}至 {fmt(run[-1])}"
            notes.append(f"跳过 {span}：{run_name}放假（{len(run)} 天）")
        run, run_name = [], ""

    counted, day, due = 0, start, None
    while counted < needed:
        day += ONE_DAY
        pause = next((p for p in pauses if p.covers(day)), None)
        if pause is not None:
            flush()
            if pause.end is None:
                notes.append(f"{fmt(pause.start)}开始{pause.label}，期限暂停计算（第三十三条第三款）："
                             f"已计 {counted} 个工作日，尚余 {needed - counted} 个工作日，征求意见结束后次日起继续计算")
                day -= ONE_DAY
                break
            notes.append(f"{fmt(pause.start)}开始{pause.label}，至 {fmt(pause.end)}结束，期间不计算期限"
                         f"（第三十三条第三款）；此前已计 {counted} 个工作日，{pause.end.isoformat()} 次日起继续计算")
            day = pause.end
            continue
        info = cal.day(day)
        if day.year not in years:
            years.append(day.year)
        if not info.working:
            if info.holiday:
                if run and run_name != info.holiday:
                    flush()
                run.append(day)
                run_name = info.holiday
            else:
                flush()
                weekends.append(day)
            continue
        flush()
        counted += 1
        if info.is_makeup:
            notes.append(f"{fmt(day)}是{info.holiday}调休上班日，计为第 {counted} 个工作日")
    else:
        due = day
    flush()
    if weekends:
        notes.append(f"跳过周末 {len(weekends)} 天：" + "、".join(d.isoformat() for d in weekends))
    if due is not None:
        notes.append(f"第 {needed} 个工作日是 {fmt(due)}，为期限的最后一天")
    if years:
        notes.append("节假日和调休依据：" + "；".join(cal.source(y) for y in years))
    return Count(start, needed, due, counted, tuple(notes), day)


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
    closing = record.closing
    reply = closing if closing and closing.kind == terms.ANSWER else None
    withdrawn = closing if closing and closing.kind == terms.WITHDRAWAL else None
    problems: list[Problem] = []
    warnings: list[str] = []
    notes: list[str] = [f"收到申请之日：{fmt(record.received)}。{terms.CHANNELS[record.channel]}"]

    correction = _deadline(
        "correction_notice", "补正告知期限", BASIS_CORRECTION, cal, record.received, terms.CORRECTION_NOTICE_DAYS,
        [f"申请内容不明确的，应自收到申请之日起 {terms.CORRECTION_NOTICE_DAYS} 个工作日内一次性告知申请人补正"
         f"（第三十条）；自 {fmt(record.received)}的次日起计算，收到申请当日不计入"])
    if notice:
        correction = _settle(correction, notice.date, "告知补正")

    pauses = _pauses(record, cal)
    answer: Deadline | None = None
    final: Deadline | None = None
    extension: Extension | None = None
    if notice and not corrected:
        due = f"，补正期限至 {notice.due.isoformat()}" if notice.due else ""
        notes.append(f"{fmt(notice.date)}告知申请人补正{due}；答复期限自收到补正之日起计算（第三十条），"
                     "申请人无正当理由逾期不补正的，视为放弃申请")
    else:
        start = corrected.date if corrected else record.received
        intro = ([f"{fmt(corrected.date)}收到补正后的申请，答复期限自该日起重新计算（第三十条）；"
                  "该日不计入，自次日起计算 20 个工作日"] if corrected else
                 [f"应自收到申请之日起 {terms.ANSWER_DAYS} 个工作日内答复（第三十三条第二款）；"
                  f"自 {fmt(record.received)}的次日起计算，收到申请当日不计入"])
        basis = BASIS_ANSWER + ("、第三款" if pauses else "") + ("，第三十条" if corrected else "")
        answer = _deadline("answer", "答复期限", basis, cal, start, terms.ANSWER_DAYS, intro, pauses)
        final = answer
        if ext:
            approved = ext.approved or ext.date  # records.py requires `approved` on every 延期
            total = terms.ANSWER_DAYS + ext.days
            extension_intro = [f"经负责人于 {fmt(approved)}同意、{fmt(ext.date)}告知申请人，延长 {ext.days} 个工作日"
                               f"（第三十三条第二款），即自 {fmt(start)}的次日起共计 {total} 个工作日"]
            final = _deadline("extended_answer", "延长后的答复期限", BASIS_ANSWER + ("、第三款" if pauses else ""),
                              cal, start, total, extension_intro, pauses)
            extension = Extension(approved, ext.date, ext.days, answer.due, final.due)
            if answer.due and ext.date > answer.due:
                problems.append(Problem(record.path, ext.line_of("date"), "date", f"延期于 {ext.date} 才告知申请人，已过原答复期限 "
                                        f"{answer.due}（expected 在原期限届满前经负责人同意并告知申请人，第三十三条第二款）"))
            answer = Deadline(**{**answer.__dict__, "result": f"已延长 {ext.days} 个工作日"})
        for d in (answer, final):
            if d and d.unknown_year:
                warnings.append(str(UnknownYearError(d.unknown_year, cal.covered(), cal.folder)))

    on_time: bool | None = None
    if reply:
        if reply.date == record.received and not notice:
            notes.append(f"{fmt(reply.date)}当场答复（第三十三条第一款）")
        if final is None:
            on_time = True
            notes.append("答复时答复期限尚未起算（等待补正），不存在超期")
        else:
            final = _settle(final, reply.date, "答复")
            if not ext:
                answer = final
            on_time = final.met
    if withdrawn:
        notes.append(f"{fmt(withdrawn.date)}申请人撤回申请，办理终结")

    status, days_left, overdue_days = _status(notice, corrected, ext, pauses, final, reply, withdrawn, today, cal)
    return Progress(record, today, status, correction, answer, final, extension, tuple(pauses),
                    reply.date if reply else None, reply.outcome if reply else "", reply.reason if reply else "",
                    on_time, days_left, overdue_days, tuple(notes), tuple(problems), tuple(dict.fromkeys(warnings)))


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


__all__ = ["Count", "Deadline", "Extension", "Pause", "Progress", "STATUS_LABELS", "compute", "count_working_days"]
