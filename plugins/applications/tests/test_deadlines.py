"""Deadlines of whole records: restart after 补正, extension, consultation pause, same-day answer, status.

Expected dates are worked out by hand from chinesecalendar 1.11.0 (see
test_workdays.py for the holiday arrangements used).
"""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from foundation.requests import terms
from foundation.requests.counting import Pause, count_working_days
from foundation.requests.deadlines import compute
from foundation.requests.stats import year_stats
from foundation.requests.workdays import WorkCalendar
from tests.sitekit import make_record

D = dt.date

CAL = WorkCalendar()


def test_plain_answer_deadline_and_on_time() -> None:
    r = make_record(D(2025, 1, 20), [{"event": "答复", "date": D(2025, 2, 21), "outcome": "予以公开"}])
    p = compute(r, CAL, D(2026, 11, 27))
    assert p.final.due == D(2025, 2, 21)  # last day still counts as on time
    assert p.on_time is True and p.status == "answered" and p.final.result == "2025-02-21 答复，在期限内"
    late = compute(make_record(D(2025, 1, 20), [{"event": "答复", "date": D(2025, 2, 24), "outcome": "予以公开"}]),
                   CAL, D(2026, 11, 27))
    assert late.on_time is False and late.final.result == "2025-02-24 答复，超过期限"


def test_correction_restarts_the_clock() -> None:
    # Received Fri 2024-09-27; 7-day notice deadline Sat 2024-10-12 (调休, see test_workdays).
    # Corrected application Mon 10-21: 10-22..10-25 (4), 10-28..11-01 (9), 11-04..11-08 (14), 11-11..11-15 (19),
    # 11-18 (20).
    r = make_record(D(2024, 9, 27), [
        {"event": "补正告知", "date": D(2024, 10, 9), "due": D(2024, 10, 25)},
        {"event": "补正收到", "date": D(2024, 10, 21)},
        {"event": "答复", "date": D(2024, 11, 18), "outcome": "部分公开"},
    ])
    p = compute(r, CAL, D(2026, 11, 27))
    assert p.correction.due == D(2024, 10, 12) and p.correction.met is True
    assert p.correction.result == "2024-10-09 告知补正，在期限内"
    assert p.answer.start == D(2024, 10, 21) and p.answer.due == D(2024, 11, 18)
    assert p.answer.explanation[0] == ("2024-10-21（周一）收到补正后的申请，答复期限自该日起重新计算（第三十条）；"
                                       "该日不计入，自次日起计算 20 个工作日")
    assert p.answer.basis == "《政府信息公开条例》第三十三条第二款，第三十条"
    assert p.on_time is True
    assert [d.label for d in p.deadlines] == ["补正告知期限", "答复期限"]


def test_awaiting_correction_has_no_answer_deadline() -> None:
    r = make_record(D(2026, 11, 19), [{"event": "补正告知", "date": D(2026, 11, 24), "due": D(2026, 12, 8)}])
    p = compute(r, CAL, D(2026, 11, 27))
    assert p.status == "awaiting_correction" and p.answer is None and p.final is None
    assert p.correction.due == D(2026, 11, 30)  # 11-20 (1), 11-23..11-27 (2-6), 11-30 (7)
    assert "答复期限自收到补正之日起计算（第三十条）" in p.notes[-1]


def test_no_correction_in_time_closes_without_answer_deadline() -> None:
    r = make_record(D(2025, 11, 3), [
        {"event": "补正告知", "date": D(2025, 11, 6), "due": D(2025, 11, 20)},
        {"event": "答复", "date": D(2025, 11, 24), "outcome": "其他处理", "reason": terms.NO_CORRECTION},
    ])
    p = compute(r, CAL, D(2026, 11, 27))
    assert p.status == "answered" and p.on_time is True and p.final is None
    assert p.outcome == "其他处理" and p.reason == terms.NO_CORRECTION


def test_extension_adds_working_days() -> None:
    # Received Mon 2024-05-06: 05-07..05-10 (4), Sat 05-11 调休 (5), 05-13..05-31 (6-20) -> 05-31.
    # Extended by 20: 06-03..06-07 (25), 06-10 端午, 06-11..06-14 (29), 06-17..06-21 (34), 06-24..06-28 (39),
    # 07-01 (40).
    events = [{"event": "延期", "date": D(2024, 5, 30), "approved": D(2024, 5, 29), "days": 20},
              {"event": "答复", "date": D(2024, 6, 28), "outcome": "予以公开"}]
    p = compute(make_record(D(2024, 5, 6), events), CAL, D(2026, 11, 27))
    assert p.answer.due == D(2024, 5, 31) and p.final.due == D(2024, 7, 1)
    assert p.extension.text() == ("经政府信息公开工作机构负责人于 2024-05-29 同意，2024-05-30 告知申请人，答复期限延长 20 个"
                                  "工作日（第三十三条第二款）：由 2024-05-31 延长至 2024-07-01")
    assert "跳过 2024-06-10（周一）：端午节放假（1 天）" in p.final.explanation
    assert p.on_time is True and p.answer.result == "已延长 20 个工作日"
    assert [d.label for d in p.deadlines] == ["答复期限", "延长后的答复期限"]
    late = compute(make_record(D(2024, 5, 6), events[:1] + [{**events[1], "date": D(2024, 7, 2)}]), CAL,
                   D(2026, 11, 27))
    assert late.on_time is False


def test_extension_after_the_original_deadline_is_a_problem() -> None:
    events = [{"event": "延期", "date": D(2024, 6, 3), "approved": D(2024, 5, 31), "days": 10}]
    p = compute(make_record(D(2024, 5, 6), events), CAL, D(2024, 6, 3))
    assert [str(x) for x in p.problems] == [
        "applications/2024/DJ-2024-0001.yaml:9: date: 延期于 2024-06-03 才告知申请人，已过原答复期限 2024-05-31"
        "（expected 在原期限届满前经负责人同意并告知申请人，第三十三条第二款）"]


def test_consultation_pauses_the_clock() -> None:
    # Received Mon 2025-03-03: 03-04 (1), 03-05 (2); third party consulted 03-05..03-20, so 03-06..03-20 do not
    # count; 03-21 (3), 03-24..03-28 (8), 03-31..04-03 (12), 04-04..04-06 清明, 04-07..04-11 (17), 04-14..04-16 (20).
    events = [{"event": "征求意见开始", "date": D(2025, 3, 5), "party": "第三方"},
              {"event": "征求意见结束", "date": D(2025, 3, 20), "party": "第三方"}]
    p = compute(make_record(D(2025, 3, 3), events), CAL, D(2025, 4, 1))
    assert p.final.due == D(2025, 4, 16)
    assert p.pauses == (Pause("第三方", D(2025, 3, 5), D(2025, 3, 20), 11),)
    assert p.final.basis == "《政府信息公开条例》第三十三条第二款、第三款"
    assert ("2025-03-05（周三）开始征求第三方意见（第三十二条），至 2025-03-20（周四）结束，期间不计算期限（第三十三条第三款）；"
            "此前已计 2 个工作日，2025-03-20 次日起继续计算") in p.final.explanation
    assert "跳过 2025-04-04（周五）至 2025-04-06（周日）：清明节放假（3 天）" in p.final.explanation
    # 04-01..04-03, 04-07..04-11, 04-14..04-16: 11 working days from today through the deadline.
    assert p.status == "open" and p.days_left == 11


def test_running_consultation_leaves_the_deadline_open() -> None:
    events = [{"event": "征求意见开始", "date": D(2025, 3, 5), "party": "其他机关"}]
    p = compute(make_record(D(2025, 3, 3), events), CAL, D(2025, 3, 25))
    assert p.status == "consulting" and p.final.due is None and p.final.counted == 2
    assert p.final.explanation[-2].endswith("已计 2 个工作日，尚余 18 个工作日，征求意见结束后次日起继续计算")


def test_same_day_answer() -> None:
    p = compute(make_record(D(2024, 6, 12), [{"event": "答复", "date": D(2024, 6, 12), "outcome": "予以公开"}],
                            channel="当面"), CAL, D(2026, 11, 27))
    assert p.on_time is True and p.reply_date == D(2024, 6, 12)
    assert "2024-06-12（周三）当场答复（第三十三条第一款）" in p.notes


def test_withdrawal_closes_without_verdict() -> None:
    p = compute(make_record(D(2025, 12, 1), [{"event": "撤回", "date": D(2025, 12, 5)}]), CAL, D(2026, 11, 27))
    assert p.status == "withdrawn" and p.closed and p.on_time is None and p.final.due is not None


def test_open_overdue_and_due_today() -> None:
    # Received Fri 2026-10-16: 10-19..11-13 is 20 working days; 11-16..11-27 is 10 more.
    overdue = compute(make_record(D(2026, 10, 16)), CAL, D(2026, 11, 27))
    assert overdue.status == "overdue" and overdue.final.due == D(2026, 11, 13) and overdue.overdue_days == 10
    # Received Fri 2026-10-30: 11-02..11-27 is 20 working days, so due today with this day left.
    today = compute(make_record(D(2026, 10, 30)), CAL, D(2026, 11, 27))
    assert today.status == "open" and today.final.due == D(2026, 11, 27) and today.days_left == 1


def test_unknown_year_leaves_the_deadline_undetermined() -> None:
    p = compute(make_record(D(2026, 12, 10)), CAL, D(2026, 12, 11))
    assert p.final.due is None and p.final.unknown_year == 2027 and p.status == "open"
    assert p.final.explanation[-1] == "2027 年的节假日安排尚未公布或尚未录入，期限暂时无法确定"
    assert len(p.warnings) == 1 and "data/holidays/2027.yaml" in p.warnings[0]
    assert p.correction.due == D(2026, 12, 21)  # within 2026: 12-11, 12-14..12-18, 12-21


def test_year_statistics() -> None:
    today = D(2026, 11, 27)
    progresses = [compute(r, CAL, today) for r in [
        make_record(D(2026, 3, 2), [{"event": "答复", "date": D(2026, 3, 10), "outcome": "予以公开"}]),
        make_record(D(2026, 3, 3), [{"event": "答复", "date": D(2026, 6, 1), "outcome": "不予公开",
                                     "reason": "属于国家秘密"}]),
        make_record(D(2026, 4, 1), [{"event": "撤回", "date": D(2026, 4, 2)}]),
        make_record(D(2026, 11, 20)),
        make_record(D(2025, 3, 3), [{"event": "答复", "date": D(2025, 3, 4), "outcome": "予以公开"}]),
    ]]
    s = year_stats(progresses, 2026)
    assert (s.received, s.answered, s.on_time, s.withdrawn, s.open, s.closed) == (4, 2, 1, 1, 1, 3)
    assert s.completion_rate == "75%" and s.on_time_rate == "50%"
    assert s.by_outcome == {"予以公开": 1, "不予公开": 1}
    assert year_stats(progresses, 2024).completion_rate == "—"


# ------------------------------------------------------------------ properties

DAYS = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 10, 30))


def plain_weekday_count(start: dt.date, n: int) -> dt.date:
    """The n-th Monday-to-Friday after `start`, as if there were no holidays at all."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= day.weekday() < 5
    return day


def special_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Days in (start, end] whose status differs from a plain weekday/weekend."""
    out, day = [], start
    while day < end:
        day += dt.timedelta(days=1)
        if CAL.is_workday(day) != (day.weekday() < 5):
            out.append(day)
    return out


@settings(max_examples=300, deadline=None)
@given(start=DAYS, n=st.integers(min_value=1, max_value=40))
def test_deadline_is_always_a_working_day(start: dt.date, n: int) -> None:
    due = count_working_days(CAL, start, n).due
    assert due > start and CAL.is_workday(due)
    assert CAL.workdays_between(start, due) == n


@settings(max_examples=300, deadline=None)
@given(start=DAYS, n=st.integers(min_value=1, max_value=40))
def test_never_earlier_than_plain_weekdays_without_makeup_days(start: dt.date, n: int) -> None:
    due = count_working_days(CAL, start, n).due
    plain = plain_weekday_count(start, n)
    if not special_days(start, max(due, plain)):
        assert due == plain
    if not any(CAL.day(d).is_makeup for d in special_days(start, due)):
        assert due >= plain


@settings(max_examples=150, deadline=None)
@given(start=DAYS, n=st.integers(min_value=1, max_value=20), offset=st.integers(min_value=0, max_value=15),
       length=st.integers(min_value=1, max_value=20))
def test_a_pause_never_brings_the_deadline_forward(start: dt.date, n: int, offset: int, length: int) -> None:
    begin = start + dt.timedelta(days=offset)
    pause = Pause("第三方", begin, begin + dt.timedelta(days=length))
    without = count_working_days(CAL, start, n).due
    with_pause = count_working_days(CAL, start, n, [pause]).due
    assert with_pause >= without and CAL.is_workday(with_pause)
