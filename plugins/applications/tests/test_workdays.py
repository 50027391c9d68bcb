"""Working days: hand-checked deadlines across 春节 and 国庆, 调休 weekends, unknown years, data files.

Every expected date below was worked out by hand, day by day, from the
arrangements chinesecalendar 1.11.0 carries (printed with
``chinese_calendar.holidays`` / ``chinese_calendar.workdays``):

- 2024 春节 off 02-10..02-17, 调休 work Sun 02-04 and Sun 02-18;
  中秋 off 09-15..09-17, work Sat 09-14; 国庆 off 10-01..10-07, work Sun 09-29 and Sat 10-12.
- 2025 春节 off 01-28..02-04, work Sun 01-26 and Sat 02-08;
  国庆 off 10-01..10-05, 10-07, 10-08 and 中秋 10-06, work Sun 09-28 and Sat 10-11.
- 2026 元旦 off 01-01..01-03, work Sun 01-04; 春节 off 02-15..02-23, work Sat 02-14 and Sat 02-28;
  中秋 off 09-25..09-27; 国庆 off 10-01..10-07, work Sun 09-20 and Sat 10-10.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from foundation.requests.counting import count_working_days
from foundation.requests.errors import RecordsError, UnknownYearError
from foundation.requests.workdays import WorkCalendar, load_calendar, parse_notice

D = dt.date
CAL = WorkCalendar()


def test_spring_festival_2024() -> None:
    # Received Thu 02-01. 02-02 (1); Sat 02-03 off; Sun 02-04 调休 (2); 02-05..02-09 (3-7);
    # 02-10..02-17 春节; Sun 02-18 调休 (8); 02-19..02-23 (9-13); 02-26..03-01 (14-18); 03-04 (19); 03-05 (20).
    c = count_working_days(CAL, D(2024, 2, 1), 20)
    assert c.due == D(2024, 3, 5)
    assert "跳过 2024-02-10（周六）至 2024-02-17（周六）：春节放假（8 天）" in c.notes
    assert "2024-02-04（周日）是春节调休上班日，计为第 2 个工作日" in c.notes
    assert "2024-02-18（周日）是春节调休上班日，计为第 8 个工作日" in c.notes
    assert "跳过周末 5 天：2024-02-03、2024-02-24、2024-02-25、2024-03-02、2024-03-03" in c.notes
    assert c.notes[-2] == "第 20 个工作日是 2024-03-05（周二），为期限的最后一天"
    assert c.notes[-1] == "节假日和调休依据：国务院办公厅关于2024年部分节假日安排的通知（chinesecalendar 1.11.0 所载数据）"


def test_national_day_2024() -> None:
    # Received Fri 09-27. Sat 09-28 off; Sun 09-29 调休 (1); 09-30 (2); 10-01..10-07 国庆;
    # 10-08..10-11 (3-6); Sat 10-12 调休 (7); 10-14..10-18 (8-12); 10-21..10-25 (13-17); 10-28..10-30 (18-20).
    c = count_working_days(CAL, D(2024, 9, 27), 20)
    assert c.due == D(2024, 10, 30)
    assert "跳过 2024-10-01（周二）至 2024-10-07（周一）：国庆节放假（7 天）" in c.notes
    assert "2024-09-29（周日）是国庆节调休上班日，计为第 1 个工作日" in c.notes
    assert "2024-10-12（周六）是国庆节调休上班日，计为第 7 个工作日" in c.notes


def test_correction_notice_deadline_can_fall_on_a_makeup_saturday() -> None:
    # 7 working days after Fri 2024-09-27: Sun 09-29 (1), 09-30 (2), 10-08..10-11 (3-6), Sat 10-12 (7).
    assert count_working_days(CAL, D(2024, 9, 27), 7).due == D(2024, 10, 12)


def test_mid_autumn_2024_makeup_saturday() -> None:
    # Received Thu 09-12: 09-13 (1), Sat 09-14 调休 (2), 09-15..09-17 中秋, 09-18..09-20 (3-5), 09-23 (6), 09-24 (7).
    c = count_working_days(CAL, D(2024, 9, 12), 7)
    assert c.due == D(2024, 9, 24)
    assert "跳过 2024-09-15（周日）至 2024-09-17（周二）：中秋节放假（3 天）" in c.notes


def test_spring_festival_2025() -> None:
    # Received Mon 01-20. 01-21..01-24 (1-4); Sat 01-25 off; Sun 01-26 调休 (5); 01-27 (6); 01-28..02-04 春节;
    # 02-05..02-07 (7-9); Sat 02-08 调休 (10); 02-10..02-14 (11-15); 02-17..02-21 (16-20).
    c = count_working_days(CAL, D(2025, 1, 20), 20)
    assert c.due == D(2025, 2, 21)
    assert "跳过 2025-01-28（周二）至 2025-02-04（周二）：春节放假（8 天）" in c.notes
    assert "2025-02-08（周六）是春节调休上班日，计为第 10 个工作日" in c.notes


def test_national_day_2025_with_mid_autumn_inside() -> None:
    # Received Fri 09-26. Sat 09-27 off; Sun 09-28 调休 (1); 09-29, 09-30 (2, 3); 10-01..10-08 off
    # (中秋 on 10-06); 10-09, 10-10 (4, 5); Sat 10-11 调休 (6); 10-13..10-17 (7-11); 10-20..10-24 (12-16);
    # 10-27..10-30 (17-20).
    c = count_working_days(CAL, D(2025, 9, 26), 20)
    assert c.due == D(2025, 10, 30)
    assert c.notes[:4] == (
        "2025-09-28（周日）是国庆节调休上班日，计为第 1 个工作日",
        "跳过 2025-10-01（周三）至 2025-10-05（周日）：国庆节放假（5 天）",
        "跳过 2025-10-06（周一）：中秋节放假（1 天）",
        "跳过 2025-10-07（周二）至 2025-10-08（周三）：国庆节放假（2 天）",
    )


def test_spring_festival_2026() -> None:
    # Received Tue 02-10. 02-11..02-13 (1-3); Sat 02-14 调休 (4); 02-15..02-23 春节; 02-24..02-27 (5-8);
    # Sat 02-28 调休 (9); 03-02..03-06 (10-14); 03-09..03-13 (15-19); 03-16 (20).
    c = count_working_days(CAL, D(2026, 2, 10), 20)
    assert c.due == D(2026, 3, 16)
    assert "跳过 2026-02-15（周日）至 2026-02-23（周一）：春节放假（9 天）" in c.notes
    assert "2026-02-28（周六）是春节调休上班日，计为第 9 个工作日" in c.notes


def test_national_day_2026_with_mid_autumn_before_it() -> None:
    # Received Fri 09-18. Sat 09-19 off; Sun 09-20 调休 (1); 09-21..09-24 (2-5); 09-25..09-27 中秋;
    # 09-28..09-30 (6-8); 10-01..10-07 国庆; 10-08, 10-09 (9, 10); Sat 10-10 调休 (11); 10-12..10-16 (12-16);
    # 10-19..10-22 (17-20).
    c = count_working_days(CAL, D(2026, 9, 18), 20)
    assert c.due == D(2026, 10, 22)
    assert "跳过 2026-09-25（周五）至 2026-09-27（周日）：中秋节放假（3 天）" in c.notes
    assert "跳过 2026-10-01（周四）至 2026-10-07（周三）：国庆节放假（7 天）" in c.notes


def test_across_new_year_cites_both_notices() -> None:
    # Received Tue 2025-12-30: 12-31 (1); 2026-01-01..01-03 元旦; Sun 01-04 调休 (2); 01-05..01-09 (3-7).
    c = count_working_days(CAL, D(2025, 12, 30), 7)
    assert c.due == D(2026, 1, 9)
    assert "2026-01-04（周日）是元旦调休上班日，计为第 2 个工作日" in c.notes
    assert c.notes[-1] == ("节假日和调休依据：国务院办公厅关于2025年部分节假日安排的通知（chinesecalendar 1.11.0 所载数据）；"
                           "国务院办公厅关于2026年部分节假日安排的通知（chinesecalendar 1.11.0 所载数据）")


def test_unknown_year_names_the_year_and_the_file_to_add() -> None:
    # Received Thu 2026-12-10: 12-11 (1), 12-14..12-18 (2-6), 12-21..12-25 (7-11), 12-28..12-31 (12-15),
    # then 2027, for which no State Council notice is on file.
    with pytest.raises(UnknownYearError) as caught:
        count_working_days(CAL, D(2026, 12, 10), 20)
    assert caught.value.year == 2027
    message = str(caught.value)
    assert "2027 年的节假日安排没有官方数据（已有 2004–2026 年）" in message
    assert "data/holidays/2027.yaml" in message and "不推测" in message
    assert count_working_days(CAL, D(2026, 12, 10), 15).due == D(2026, 12, 31)


def test_unknown_year_before_the_library() -> None:
    with pytest.raises(UnknownYearError, match="2003 年"):
        CAL.day(D(2003, 6, 2))


NOTICE_2027 = """\
# 测试用虚构数据，不是真实的国务院通知。
year: 2027
notice: 测试用：国务院办公厅关于2027年部分节假日安排的通知（虚构）
holidays:
  - name: 元旦
    from: 2027-01-01
    to: 2027-01-03
  - name: 春节
    from: 2027-02-05
    to: 2027-02-12
    workdays: [2027-02-14, 2027-02-20]
"""


def test_notice_file_adds_a_year(tmp_path: Path) -> None:
    folder = tmp_path / "data/holidays"
    folder.mkdir(parents=True)
    (folder / "2027.yaml").write_text(NOTICE_2027, encoding="utf-8")
    cal = load_calendar(folder, tmp_path)
    assert cal.covered() == "2004–2027"
    # 2026-12-10 + 20: 15 working days through 12-31 (see above); 2027-01-01..01-03 off; 01-04..01-08 (16-20).
    c = count_working_days(cal, D(2026, 12, 10), 20)
    assert c.due == D(2027, 1, 8)
    assert "跳过 2027-01-01（周五）至 2027-01-03（周日）：元旦放假（3 天）" in c.notes
    assert c.notes[-1].endswith("测试用：国务院办公厅关于2027年部分节假日安排的通知（虚构）")
    assert cal.day(D(2027, 2, 14)).is_makeup and cal.day(D(2027, 2, 8)).reason == "春节放假"


def test_notice_file_replaces_the_library_for_its_year(tmp_path: Path) -> None:
    text = "year: 2026\nnotice: 更正\nholidays:\n  - name: 国庆节\n    from: 2026-10-01\n    to: 2026-10-03\n"
    notice, problems = parse_notice(text, "data/holidays/2026.yaml")
    assert problems == [] and notice is not None
    cal = WorkCalendar([notice])
    assert cal.is_workday(D(2026, 10, 8)) and not cal.is_workday(D(2026, 10, 10))  # 10-10 no longer 调休
    assert cal.is_workday(D(2026, 2, 16))  # the library's 2026 春节 is replaced too
    assert not cal.is_workday(D(2025, 10, 8))  # other years keep the library's data


@pytest.mark.parametrize(("text", "expected"), [
    ("year: 2028\nnotice: x\nholidays:\n  - {name: 元旦, from: 2028-01-01, to: 2028-01-01}\n",
     "data/holidays/2027.yaml:1: year: 年份 2028 与文件名不一致（expected 文件名 2028.yaml）"),
    ("year: 2027\nholidays:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-01}\n",
     "data/holidays/2027.yaml:1: notice: 缺少通知名称和文号（expected 例如 “notice: 国务院办公厅关于2027年部分节假日安排的通知"
     "（国办发明电〔…〕…号）”）"),
    ("year: 2027\nnotice: x\nholidays:\n  - name: 国庆\n    from: 2027-10-01\n    to: 2027-10-07\n",
     "data/holidays/2027.yaml:4: name: 「国庆」不是《全国年节及纪念日放假办法》第二条的节日，是否应为「国庆节」？"
     "（expected 元旦、春节、清明节、劳动节、端午节、中秋节、国庆节；通知另定的一次性假日加 special: true）"),
    ("year: 2027\nnotice: x\nholidays:\n  - name: 春节\n    from: 2027-02-05\n    to: 2027-02-11\n"
     "    workdays: [2027-02-15]\n",
     "data/holidays/2027.yaml:7: workdays: 2027-02-15（周一）本来就是工作日（expected 调休上班日是周六或周日）"),
    ("year: 2027\nnotice: x\nholidays:\n  - name: 春节\n    from: 2027-02-11\n    to: 2027-02-05\n",
     "data/holidays/2027.yaml:6: to: 结束日期 2027-02-05 早于开始日期 2027-02-11（expected to 不早于 from）"),
])
def test_notice_file_mistakes(text: str, expected: str) -> None:
    notice, problems = parse_notice(text, "data/holidays/2027.yaml")
    assert notice is None
    assert [str(p) for p in problems] == [expected]


def test_invalid_notice_file_stops_loading(tmp_path: Path) -> None:
    folder = tmp_path / "data/holidays"
    folder.mkdir(parents=True)
    (folder / "2027.yaml").write_text("year: 2027\nnotice: x\nholidays: []\n", encoding="utf-8")
    (folder / "README.md").write_text("说明文件不读取", encoding="utf-8")
    with pytest.raises(RecordsError) as caught:
        load_calendar(folder, tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "data/holidays/2027.yaml:3: holidays: 缺少放假安排列表（expected 每个节日一项：name、from、to、workdays）"]
