"""Each identity of Table 三 (domain.md §5) that fails gives its own message, naming the record that breaks it.

The record checker (foundation/requests/records.py) already refuses records
outside the template's vocabulary, so these records are built in memory and
then changed, as a drift between the records and the template would change them.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from plugins.annual_report import generator
from plugins.annual_report.table3 import CARRIED, NEW, RESULTS_TOTAL, TOTAL, check_identities, table_three
from foundation.requests.deadlines import compute
from foundation.requests.records import Record
from foundation.requests.workdays import WorkCalendar
from tests.sitekit import Site, make_record
from foundation.errors import ContentError

from .reportkit import answer, write_record, write_report

D = dt.date
REPORT = "content/nb/2023.md"
CATEGORIES = "自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他"


def progress(record: Record):  # noqa: ANN201 - a Progress
    return compute(record, WorkCalendar(), D(2024, 12, 31))


def answered(received: D, day: D, outcome: str = "予以公开", reason: str = "") -> Record:
    """A valid record answered on `day`, then given `outcome` and `reason` as they stand."""
    record = make_record(received, [answer(day.isoformat(), "予以公开")])
    event = dataclasses.replace(record.events[0], outcome=outcome, reason=reason)
    return dataclasses.replace(record, events=(event,))


def problems(*records: Record) -> list[str]:
    return [str(p) for p in check_identities(table_three([progress(r) for r in records], 2023), REPORT, 2)]


def test_valid_records_satisfy_every_identity() -> None:
    assert problems(answered(D(2023, 3, 1), D(2023, 3, 10)), make_record(D(2023, 12, 28))) == []


def test_row_total_is_not_the_sum_of_the_applicant_columns() -> None:
    record = dataclasses.replace(answered(D(2023, 3, 1), D(2023, 3, 10)), applicant_category="个体工商户")
    assert problems(record) == [
        "applications/2023/DJ-2023-0001.yaml:5: applicant_category: 申请人类别「个体工商户」不是年报表三的一列，"
        "这件申请只计入了总计列，2023年表三「一、本年新收政府信息公开申请数量」「（一）予以公开」「（七）总计」各行的"
        f"“总计 = 各类申请人之和”不成立（expected 其一：{CATEGORIES}）"]


@pytest.mark.parametrize("outcome, reason, field, expected", [
    ("不予公开", "", "reason", "「不予公开」的具体情形之一：属于国家秘密、其他法律行政法规禁止公开、危及“三安全一稳定”、"
                             "保护第三方合法权益、属于三类内部事务信息、属于四类过程性信息、属于行政执法案卷、属于行政查询事项"),
    ("予以公开", "属于国家秘密", "reason", "「予以公开」没有细分情形，删除 reason"),
    ("驳回", "", "outcome", "表三的办理结果之一：予以公开、部分公开、不予公开、无法提供、不予处理、其他处理"),
])
def test_outcome_that_is_no_row_of_table_three(outcome: str, reason: str, field: str, expected: str) -> None:
    record = answered(D(2023, 3, 1), D(2023, 3, 10), outcome, reason)
    shown = f"{outcome}：{reason}" if reason else outcome
    line = record.events[0].line_of(field)
    assert problems(record) == [
        f"applications/2023/DJ-2023-0001.yaml:{line}: {field}: 办理结果「{shown}」不是年报表三中的一行，"
        f"2023年表三“（七）总计 = 各项办理结果之和”不成立（（七）总计 1，各项之和 0）（expected {expected}）"]


def test_new_and_carried_do_not_equal_closed_and_carried_on() -> None:
    record = make_record(D(2024, 1, 5), [answer("2024-01-10", "予以公开")])
    early = dataclasses.replace(record.events[0], date=D(2023, 12, 28))
    record = dataclasses.replace(record, events=(early,))
    line = early.line_of("date")
    assert problems(record) == [
        f"applications/2024/DJ-2024-0001.yaml:{line}: date: 答复日期 2023-12-28 早于收到申请日期 2024-01-05，"
        "这件申请在2023年表三中只计入了一边，“一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理”不成立"
        "（总计列：0 ≠ 1）（expected 不早于 2024-01-05）"]


def test_a_failure_no_record_explains_still_fails_on_the_report() -> None:
    table = table_three([], 2023)
    table.cells[NEW]["自然人"] = 1
    table.cells[CARRIED][TOTAL] = 1
    table.cells[RESULTS_TOTAL][TOTAL] = 1
    found = [str(p) for p in check_identities(table, REPORT, 2)]
    assert found == [
        f"{REPORT}:2: 表三: 勾稽关系“总计 = 各类申请人之和”不成立：「一、本年新收政府信息公开申请数量」总计 0，各类申请人之和 1、"
        "「二、上年结转政府信息公开申请数量」总计 1，各类申请人之和 0、「（七）总计」总计 1，各类申请人之和 0"
        "（expected 成立；请检查本年度的依申请公开记录）",
        f"{REPORT}:2: 表三: 勾稽关系“（七）总计 = 各项办理结果之和”不成立：总计列（七）总计 1，各项办理结果之和 0"
        "（expected 成立；请检查本年度的依申请公开记录）",
        f"{REPORT}:2: 表三: 勾稽关系“一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理”不成立："
        "自然人列 1 ≠ 0（expected 成立；请检查本年度的依申请公开记录）",
    ]


def test_an_identity_failure_fails_the_build_at_the_record(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    write_record(site, "DJ-2023-0001", "2023-03-01", events=[answer("2023-03-10", "予以公开")])
    write_report(site, 2023)
    real = generator.open_register

    def drifted(*args, **kw):  # noqa: ANN002, ANN003, ANN202 - the vocabulary of Table 三 moved on
        register = real(*args, **kw)
        register.progress = [dataclasses.replace(p, record=dataclasses.replace(p.record, applicant_category="个人"))
                             for p in register.progress]
        return register

    monkeypatch.setattr(generator, "open_register", drifted)
    with pytest.raises(ContentError) as caught:
        site.build()
    assert [str(p) for p in caught.value.problems] == [
        "applications/2023/DJ-2023-0001.yaml:5: applicant_category: 申请人类别「个人」不是年报表三的一列，"
        "这件申请只计入了总计列，2023年表三「一、本年新收政府信息公开申请数量」「（一）予以公开」「（七）总计」各行的"
        f"“总计 = 各类申请人之和”不成立（expected 其一：{CATEGORIES}）"]
    assert not (site.output / "nb/2023.html").exists()
