"""Record validation: one exact `path:line: field: problem (expected …)` per mistake; no personal data."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from foundation.requests import terms
from foundation.requests.errors import RecordsError
from foundation.requests.privacy import personal_data_in
from foundation.requests.records import load_records, parse_record
from tests.sitekit import FAKE_HASH, record_yaml, write_record

LABEL = "applications/2026/DJ-2026-0001.yaml"
PII = "记录中不得保存申请人的个人信息（姓名、联系方式、证件号码、地址留在登记系统中，《个人信息保护法》第六条）"


def problems(text: str) -> list[str]:
    record, found = parse_record(text, LABEL)
    assert record is None
    return sorted(str(p) for p in found)


def test_valid_record() -> None:
    events = [{"event": "补正告知", "date": "2026-03-04", "due": "2026-03-18"},
              {"event": "补正收到", "date": "2026-03-10"},
              {"event": "征求意见开始", "date": "2026-03-12", "party": "第三方"},
              {"event": "征求意见结束", "date": "2026-03-26", "party": "第三方"},
              {"event": "延期", "date": "2026-04-01", "approved": "2026-03-31"},
              {"event": "答复", "date": "2026-04-20", "outcome": "不予公开", "reason": "保护第三方合法权益"}]
    record, found = parse_record(record_yaml(stored=FAKE_HASH, events=events), LABEL)
    assert found == [] and record is not None
    assert [e.kind for e in record.events] == ["补正告知", "补正收到", "征求意见开始", "征求意见结束", "延期", "答复"]
    assert record.first(terms.EXTENSION).days == 20  # 第三十三条: at most 20; the default when not given
    assert record.closing.reason == "保护第三方合法权益"


@pytest.mark.parametrize(("extra", "expected"), [
    ({"phone": "13812345678"}, [
        f"{LABEL}:7: phone: 含有疑似手机号，{PII}（expected 删除）",
        f"{LABEL}:7: phone: 看起来是申请人的个人信息，{PII}（expected 删除这一项）"]),
    ({"申请人": "张三"}, [f"{LABEL}:7: 申请人: 看起来是申请人的个人信息，{PII}（expected 删除这一项）"]),
    ({"address": "天津市滨海新区某路1号"}, [f"{LABEL}:7: address: 看起来是申请人的个人信息，{PII}（expected 删除这一项）"]),
    ({"subject": "申请人身份证110101199003074514要求公开"}, [f"{LABEL}:6: subject: 含有疑似身份证号，{PII}（expected 删除）"]),
    ({"subject": "回复至 someone@example.com"}, [f"{LABEL}:6: subject: 含有疑似电子邮箱，{PII}（expected 删除）"]),
])
def test_personal_data_is_rejected(extra: dict[str, str], expected: list[str]) -> None:
    assert problems(record_yaml(stored=FAKE_HASH, **extra)) == expected


def test_personal_data_in_a_comment_or_event_is_rejected() -> None:
    text = record_yaml(stored=FAKE_HASH, events=[{"event": "撤回", "date": "2026-03-03", "contact": "x"}])
    text = "# 申请人电话 13912345678\n" + text
    assert problems(text) == sorted([
        f"{LABEL}:1: 内容: 含有疑似手机号，{PII}（expected 删除）",
        f"{LABEL}:11: contact: 看起来是申请人的个人信息，{PII}（expected 删除这一项）"])


def test_id_numbers_need_a_valid_check_digit() -> None:
    assert personal_data_in("编号 110101199003074514") == "身份证号"
    assert personal_data_in("电话 １３９ １２３４ ５６７８") == "手机号"   # in any form, as on the site
    assert personal_data_in("编号 110101199003074515") == ""  # 18 digits, wrong check digit: not an ID
    assert personal_data_in("22-25601234") == ""             # office landline in a comment is fine


@given(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64))
def test_a_code_hash_never_looks_like_personal_data(key: str) -> None:
    assert personal_data_in(f"code_hash: pbkdf2_sha256$600000${key}") == ""


@pytest.mark.parametrize(("kw", "expected"), [
    ({"channel": "网上"}, f"{LABEL}:3: channel: 「网上」不在允许的取值中，是否应为「网络」？（expected 其一：当面、邮寄、网络、传真）"),
    ({"category": "企业"}, f"{LABEL}:5: applicant_category: 「企业」不在允许的取值中，是否应为「商业企业」？"
                          "（expected 其一：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）"),
    ({"stored": "ABCD-EFGH-JK"}, f"{LABEL}:2: code_hash: 缺少或不是查询码的校验值（expected 由 .venv/bin/xxgk apply new 生成的 "
                                 "pbkdf2_sha256$600000$… ；记录中不得保存查询码本身）"),
    ({"number": "DJ-2026-0002"}, f"{LABEL}:1: number: 编号与文件名不一致（expected 文件名 DJ-2026-0002.yaml）"),
    ({"received": "2026-02-30"}, f"{LABEL}:4: received: 日期「2026-02-30」不存在：2026 年 2 月只有 28 天（expected 收到申请之日（第三十一条），"
                                 "格式 YYYY-MM-DD）"),
    ({"received": "2025-12-31"}, f"{LABEL}:1: number: 编号年份与收到申请日期 2025-12-31 不一致（expected DJ-2025-…）"),
    ({"subjet": "x"}, f"{LABEL}:7: subjet: 未知字段，是否应为 subject？（expected number、code_hash、channel、received、"
                      "applicant_category、subject、events）"),
])
def test_field_mistakes(kw: dict[str, str], expected: str) -> None:
    kw.setdefault("stored", FAKE_HASH)
    assert problems(record_yaml(**kw)) == [expected]


@pytest.mark.parametrize(("events", "expected"), [
    ([{"event": "补正告知", "date": "2026-03-03"}, {"event": "补正告知", "date": "2026-03-04"}],
     [f"{LABEL}:10: event: 补正只能告知一次（expected 一项补正告知；第三十条：一次性告知申请人作出补正）"]),
    ([{"event": "补正收到", "date": "2026-03-05"}],
     [f"{LABEL}:8: event: 没有补正告知就收到补正（expected 先有一项「补正告知」）"]),
    ([{"event": "延期", "date": "2026-03-05", "approved": "2026-03-05", "days": 25}],
     [f"{LABEL}:11: days: 「25」无效（expected 1 至 20 的工作日数，第三十三条第二款：延长的期限最长不得超过20个工作日）"]),
    ([{"event": "延期", "date": "2026-03-05", "approved": "2026-03-06"}],
     [f"{LABEL}:10: approved: 同意日期 2026-03-06 晚于告知申请人之日 2026-03-05（expected 先经负责人同意，再告知申请人）"]),
    ([{"event": "答复", "date": "2026-03-01", "outcome": "予以公开"}],
     [f"{LABEL}:9: date: 答复日期 2026-03-01 早于收到申请日期 2026-03-02（expected 不早于 2026-03-02）"]),
    ([{"event": "撤回", "date": "2026-03-09"}, {"event": "补正告知", "date": "2026-03-04"}],
     [f"{LABEL}:10: event: 「撤回」之后不应再有「补正告知」（expected 答复或撤回是最后一项）",
      f"{LABEL}:11: date: 补正告知日期 2026-03-04 早于上一项（撤回 2026-03-09）（expected 事项按时间顺序排列）"]),
    ([{"event": "征求意见开始", "date": "2026-03-03", "party": "第三方"},
      {"event": "答复", "date": "2026-03-10", "outcome": "予以公开"}],
     [f"{LABEL}:11: event: 答复前向第三方征求意见尚未记录结束（expected 在答复之前加一项「征求意见结束」）"]),
    ([{"event": "征求意见结束", "date": "2026-03-03", "party": "其他机关"}],
     [f"{LABEL}:8: event: 没有对应的「征求意见开始」（expected 之前有一项 party: 其他机关 的征求意见开始）"]),
    ([{"event": "征求意见开始", "date": "2026-03-03", "party": "专家"}],
     [f"{LABEL}:10: party: 「专家」不在允许的取值中（expected 其一：第三方、其他机关）"]),
    ([{"event": "答复", "date": "2026-03-10", "outcome": "不予公开"}],
     [f"{LABEL}:8: reason: 缺少「不予公开」的具体情形（expected 其一：" + "、".join(terms.OUTCOMES["不予公开"]) + "）"]),
    ([{"event": "答复", "date": "2026-03-10", "outcome": "公开"}],
     [f"{LABEL}:10: outcome: 「公开」不在允许的取值中，是否应为「予以公开」？（expected 其一：予以公开、部分公开、不予公开、"
      "无法提供、不予处理、其他处理）"]),
    ([{"event": "答复", "date": "2026-03-10", "outcome": "其他处理", "reason": terms.NO_CORRECTION}],
     [f"{LABEL}:11: reason: 只有告知补正而申请人未补正时才能这样处理（expected 有「补正告知」、没有「补正收到」，第三十条）"]),
    ([{"event": "补正告知", "date": "2026-03-03", "due": "2026-03-17"},
      {"event": "答复", "date": "2026-03-16", "outcome": "其他处理", "reason": terms.NO_CORRECTION}],
     [f"{LABEL}:14: reason: 补正期限 2026-03-17 尚未届满（expected 答复日期晚于补正期限，第三十条）"]),
    ([{"event": "上报", "date": "2026-03-03"}],
     [f"{LABEL}:8: event: 「上报」不在允许的取值中（expected 其一：补正告知、补正收到、延期、征求意见开始、征求意见结束、答复、撤回）"]),
])
def test_event_mistakes(events: list[dict[str, str]], expected: list[str]) -> None:
    assert problems(record_yaml(stored=FAKE_HASH, events=events)) == sorted(expected)


def test_load_records_reports_every_file_and_duplicates(tmp_path: Path) -> None:
    folder = tmp_path / "applications"
    write_record(folder, "DJ-2026-0001", stored=FAKE_HASH)
    write_record(folder, "DJ-2026-0002", stored=FAKE_HASH, channel="电话")
    copy = folder / "misc/DJ-2026-0001.yaml"
    copy.parent.mkdir()
    copy.write_text(record_yaml(stored=FAKE_HASH), encoding="utf-8")
    (folder / "README.md").write_text("不是记录", encoding="utf-8")
    with pytest.raises(RecordsError) as caught:
        load_records(folder, tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "applications/2026/DJ-2026-0002.yaml:3: channel: 「电话」不在允许的取值中（expected 其一：当面、邮寄、网络、传真）",
        "applications/misc/DJ-2026-0001.yaml:1: number: 编号 DJ-2026-0001 重复，已被 applications/2026/DJ-2026-0001.yaml "
        "使用（expected 每件申请一个编号，.venv/bin/xxgk apply new 会自动分配）",
    ]


def test_missing_folder_means_no_applications(tmp_path: Path) -> None:
    assert load_records(tmp_path / "applications", tmp_path) == []


def test_yaml_syntax_error_names_the_line() -> None:
    text = record_yaml(stored=FAKE_HASH).replace("subject: ", 'subject: "未闭合')
    [problem] = problems(text)
    assert problem == f"{LABEL}:6: YAML: 引号不成对：从这一行开始的引号没有结束（expected 值两端各一个 \" 或 '）"


@pytest.mark.parametrize("old, new, expected", [
    ("channel: 网络", "channel：网络",
     f"{LABEL}:3: YAML: 这一行用了全角冒号「：」：字段名后要用半角冒号加空格（expected “channel: 值”；"
     "字段名要用英文键，见 docs/fields.md）"),
    ("channel: 网络", "channel:\t网络\n\tx: 1", f"{LABEL}:4: YAML: 这一行有 Tab 字符：YAML 不能用 Tab 缩进或对齐，请把 Tab 换成空格"),
    ("received: '2026-03-02'", "received: 2026-02-30",
     f"{LABEL}:4: received: 日期「2026-02-30」不存在：2026 年 2 月只有 28 天（expected 收到申请之日（第三十一条），格式 YYYY-MM-DD）"),
])
def test_record_yaml_mistakes_get_the_entries_messages(old: str, new: str, expected: str) -> None:
    """Issue 17 item 6: the same explained YAML errors as entries, and no crash on an impossible date."""
    text = record_yaml(stored=FAKE_HASH)
    assert old in text
    assert expected in problems(text.replace(old, new))
