"""The events of an application (补正告知, 延期, 征求意见, 答复 …), as its record lists them.

Each event is checked on its own (its keys, dates and values), then the list is
checked against the order the regulation sets: 第三十条 (补正), 第三十二至三十四条
(征求意见, 延期), and an answer or withdrawal last.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from foundation.errors import Problem

from . import terms
from .checks import Checker
from .privacy import PERSONAL_KEY

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


def read_events(value: Any, received: dt.date | None, check: Checker) -> tuple[Event, ...] | None:
    """The events of a record, each checked, then their order (None when any is invalid)."""
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


_Where = tuple[Any, ...]


def _event(item: Any, i: int, check: Checker) -> Event | None:
    where = ("events", i)
    if not isinstance(item, dict) or "event" not in item:
        check.add(where, "events", f"第 {i + 1} 项应以 “- event: 种类” 开始（expected 其一：{'、'.join(terms.EVENT_KINDS)}）")
        return None
    kind = check.choice(where + ("event",), "event", item.get("event"), terms.EVENT_KINDS, "事项")
    if not kind:
        return None
    _unexpected_keys(item, kind, where, check)
    when = check.date(where + ("date",), "date", item.get("date"), f"{kind}的日期")
    reader = _EXTRA_READERS.get(kind)
    extra = reader(item, where, when, check) if reader else {}
    if when is None or any(v is None or v == "" for k, v in extra.items() if k != "due"):
        return None
    lines = {str(k): check.src.line(*where, k) for k in item}
    return Event(kind, when, check.src.line(*where), lines=lines,
                 **{k: v for k, v in extra.items() if v is not None})


def _unexpected_keys(item: dict[str, Any], kind: str, where: _Where, check: Checker) -> None:
    """Keys an event of `kind` does not have (personal-data keys are reported by the privacy check)."""
    allowed = ("event", "date") + EVENT_EXTRA[kind]
    for key in item:
        if key not in allowed and not PERSONAL_KEY.search(str(key)):
            check.add(where + (key,), str(key), f"「{kind}」没有这一项（expected {'、'.join(allowed)}）")


def _correction_extra(item: dict[str, Any], where: _Where, when: dt.date | None, check: Checker) -> dict[str, Any]:
    """补正告知: the correction period, when the record gives one (第三十条)."""
    if item.get("due") is None:
        return {}
    due = check.date(where + ("due",), "due", item["due"], "告知申请人的补正期限")
    if due and when and due <= when:
        check.add(where + ("due",), "due", f"补正期限 {due} 不晚于告知日期 {when}（expected 合理的补正期限，第三十条）")
    return {"due": due}


def _extension_extra(item: dict[str, Any], where: _Where, when: dt.date | None, check: Checker) -> dict[str, Any]:
    """延期: who agreed when, and how many working days (第三十三条第二款)."""
    approved = check.date(where + ("approved",), "approved", item.get("approved"),
                          "政府信息公开工作机构负责人同意延期之日（第三十三条第二款）")
    days = item.get("days", terms.MAX_EXTENSION_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= terms.MAX_EXTENSION_DAYS:
        check.add(where + ("days",), "days", f"「{days}」无效（expected 1 至 {terms.MAX_EXTENSION_DAYS} 的工作日数，"
                  "第三十三条第二款：延长的期限最长不得超过20个工作日）")
        days = 0
    if approved and when and approved > when:
        check.add(where + ("approved",), "approved", f"同意日期 {approved} 晚于告知申请人之日 {when}"
                  "（expected 先经负责人同意，再告知申请人）")
    return {"approved": approved, "days": days}


def _consult_extra(item: dict[str, Any], where: _Where, when: dt.date | None, check: Checker) -> dict[str, Any]:
    """征求意见开始/结束: whom the office consults."""
    return {"party": check.choice(where + ("party",), "party", item.get("party"), tuple(terms.CONSULTED),
                                  "征求意见的对象")}


def _answer_extra(item: dict[str, Any], where: _Where, when: dt.date | None, check: Checker) -> dict[str, Any]:
    """答复: the outcome and, where Table 三 splits it, the reason."""
    outcome = check.choice(where + ("outcome",), "outcome", item.get("outcome"), tuple(terms.OUTCOMES),
                           "办理结果（年报表三的类别）", terms.OUTCOME_MEANINGS)
    extra: dict[str, Any] = {"outcome": outcome}
    reasons = terms.OUTCOMES.get(outcome, ())
    reason = item.get("reason")
    if outcome and reasons:
        extra["reason"] = check.choice(where + ("reason",), "reason", reason, reasons, f"「{outcome}」的具体情形")
    elif outcome and reason not in (None, ""):
        check.add(where + ("reason",), "reason", f"「{outcome}」在年报表三中没有细分情形（expected 删除 reason）")
    return extra


# What each kind of event holds besides its date, read and checked.
_EXTRA_READERS: dict[str, Callable[[dict[str, Any], _Where, dt.date | None, Checker], dict[str, Any]]] = {
    terms.CORRECTION_NOTICE: _correction_extra,
    terms.EXTENSION: _extension_extra,
    terms.CONSULT_START: _consult_extra,
    terms.CONSULT_END: _consult_extra,
    terms.ANSWER: _answer_extra,
}


_Bad = Callable[[Event, str, str], None]


def _sequence(events: list[Event], received: dt.date, check: Checker) -> None:
    """Check the order of events against 第三十条、第三十二至三十四条."""
    def bad(event: Event, name: str, message: str) -> None:
        line = event.line if name == "event" else event.line_of(name)
        check.problems.append(Problem(check.label, line, name, message))

    seen: dict[str, Event] = {}
    open_consults: dict[str, Event] = {}
    previous: Event | None = None
    for e in events:
        _check_dates(e, received, previous, bad)
        closing = seen.get(terms.ANSWER) or seen.get(terms.WITHDRAWAL)
        if closing is not None:
            bad(e, "event", f"「{closing.kind}」之后不应再有「{e.kind}」（expected 答复或撤回是最后一项）")
        _check_correction(e, seen, bad)
        if e.kind == terms.EXTENSION:
            _check_extension(e, seen, bad)
        _check_consult(e, open_consults, bad)
        if e.kind == terms.ANSWER:
            _check_answer(e, seen, bad)
        seen.setdefault(e.kind, e)
        previous = e


def _check_dates(e: Event, received: dt.date, previous: Event | None, bad: _Bad) -> None:
    """No event before the application arrived, and events in the order they happened."""
    if e.date < received:
        bad(e, "date", f"{e.kind}日期 {e.date} 早于收到申请日期 {received}（expected 不早于 {received}）")
    if previous is not None and e.date < previous.date:
        bad(e, "date", f"{e.kind}日期 {e.date} 早于上一项（{previous.kind} {previous.date}）"
            "（expected 事项按时间顺序排列）")


def _check_correction(e: Event, seen: dict[str, Event], bad: _Bad) -> None:
    """第三十条: one notice, told at once; one correction received, after it."""
    if e.kind == terms.CORRECTION_NOTICE and e.kind in seen:
        bad(e, "event", "补正只能告知一次（expected 一项补正告知；第三十条：一次性告知申请人作出补正）")
    if e.kind == terms.CORRECTION_RECEIVED:
        if terms.CORRECTION_NOTICE not in seen:
            bad(e, "event", "没有补正告知就收到补正（expected 先有一项「补正告知」）")
        elif e.kind in seen:
            bad(e, "event", "补正只收到一次（expected 一项补正收到）")


def _check_extension(e: Event, seen: dict[str, Event], bad: _Bad) -> None:
    """第三十三条第二款: one extension, once the period runs."""
    if e.kind in seen:
        bad(e, "event", "答复期限只能延长一次（expected 一项延期，第三十三条第二款）")
    if terms.CORRECTION_NOTICE in seen and terms.CORRECTION_RECEIVED not in seen:
        bad(e, "event", "等待补正期间答复期限尚未起算，不能延期（expected 收到补正之后再延期，第三十条）")


def _check_consult(e: Event, open_consults: dict[str, Event], bad: _Bad) -> None:
    """Each consultation starts, then ends, before the answer (第三十二条、第三十四条)."""
    if e.kind == terms.CONSULT_START:
        if e.party in open_consults:
            bad(e, "event", f"向{e.party}征求意见尚未结束（expected 先记录「征求意见结束」）")
        open_consults[e.party] = e
    if e.kind == terms.CONSULT_END and open_consults.pop(e.party, None) is None:
        bad(e, "event", f"没有对应的「征求意见开始」（expected 之前有一项 party: {e.party} 的征求意见开始）")
    if e.kind == terms.ANSWER:
        for party in open_consults:
            bad(e, "event", f"答复前向{party}征求意见尚未记录结束（expected 在答复之前加一项「征求意见结束」）")


def _check_answer(e: Event, seen: dict[str, Event], bad: _Bad) -> None:
    notice, corrected = seen.get(terms.CORRECTION_NOTICE), seen.get(terms.CORRECTION_RECEIVED)
    if e.reason == terms.NO_CORRECTION:
        if notice is None or corrected is not None:
            bad(e, "reason", "只有告知补正而申请人未补正时才能这样处理（expected 有「补正告知」、没有「补正收到」，第三十条）")
        elif notice.due and e.date <= notice.due:
            bad(e, "reason", f"补正期限 {notice.due} 尚未届满（expected 答复日期晚于补正期限，第三十条）")
    if e.reason == terms.STILL_UNCLEAR and corrected is None:
        bad(e, "reason", "没有收到补正（expected 有「补正收到」之后才是“补正后申请内容仍不明确”）")
