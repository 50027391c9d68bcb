"""``.venv/bin/xxgk apply new|list`` through click's runner: output, files written, exit codes."""
from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner, Result

from foundation.requests import codes
from tests.sitekit import FAKE_HASH, ROOT, write_record
from xxgk.cli import main

CODE_RE = re.compile(r"查询码：([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2})")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["apply", *args, "--root", str(ROOT)])


def new(folder: Path, *extra: str) -> Result:
    return run("new", "--path", str(folder), "--channel", "网络", "--category", "自然人",
               "--subject", "申请公开2025年港区道路养护合同", *extra)


def test_new_writes_a_record_and_prints_the_receipt(tmp_path: Path) -> None:
    folder = tmp_path / "applications"
    result = new(folder, "--received", "2026-09-18", "--prefix", "DJ")
    assert result.exit_code == 0, result.output
    code = CODE_RE.search(result.stdout).group(1)
    path = folder / "2026/DJ-2026-0001.yaml"
    text = path.read_text(encoding="utf-8")
    assert code not in text and codes.normalise_code(code) not in text
    stored = re.search(r"^code_hash: (\S+)$", text, re.M).group(1)
    assert codes.verify("DJ-2026-0001", code, stored)
    assert "申请编号：DJ-2026-0001" in result.stdout
    # Hand-checked in test_workdays: received Fri 2026-09-18 -> 20 working days end Thu 2026-10-22.
    assert "答复期限：2026-10-22（周四）前（《政府信息公开条例》第三十三条第二款）" in result.stdout
    assert "  · 跳过 2026-10-01（周四）至 2026-10-07（周三）：国庆节放假（7 天）" in result.stdout
    # 7 working days: Sun 09-20 调休 (1), 09-21..09-24 (2-5), 09-28 (6), 09-29 (7).
    assert "如申请内容需要补正，本机关将于 2026-09-29（周二）前一次性告知" in result.stdout
    assert "办理进度查询：https://xxgk.dongjiang.example.gov.cn/ysqgk/（输入申请编号和查询码）" in result.stdout
    assert "已登记 " in result.stderr and "DJ-2026-0001.yaml" in result.stderr


def test_new_takes_the_next_number_and_keeps_the_prefix(tmp_path: Path) -> None:
    folder = tmp_path / "applications"
    write_record(folder, "DJ-2026-0007", stored=FAKE_HASH)
    write_record(folder, "DJ-2025-0012", stored=FAKE_HASH, received="2025-05-06")
    result = new(folder, "--received", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert "申请编号：DJ-2026-0008" in result.stdout
    first_of_year = new(folder, "--received", "2024-03-04")
    assert "申请编号：DJ-2024-0001" in first_of_year.stdout


def test_new_refuses_personal_data_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "applications"
    result = run("new", "--path", str(folder), "--channel", "当面", "--category", "自然人", "--prefix", "DJ",
                 "--received", "2026-11-20", "--subject", "张先生（13812345678）申请公开拆迁补偿文件")
    assert result.exit_code == 1
    assert "apply new: --subject: 含有疑似手机号" in result.stderr   # named by the option typed
    assert "Traceback" not in result.output
    assert not list(folder.rglob("*.yaml"))


def test_new_in_a_year_without_notice_warns_and_still_registers(tmp_path: Path) -> None:
    result = new(tmp_path / "applications", "--received", "2026-12-21", "--prefix", "DJ")
    assert result.exit_code == 0, result.output
    assert "答复期限：自收到申请之日起 20 个工作日" in result.stdout and "2027 年节假日安排公布后" in result.stdout
    assert "警告: 2027 年的节假日安排没有官方数据" in result.stderr


def test_new_rejects_unknown_channel(tmp_path: Path) -> None:
    result = run("new", "--path", str(tmp_path), "--channel", "电话", "--category", "自然人", "--subject", "x")
    assert result.exit_code == 1 and "Error:" not in result.output
    assert "apply new: --channel: 「电话」不在允许的取值中（expected 其一：当面、邮寄、网络、传真）" in result.stderr
    assert not any(tmp_path.rglob("*.yaml"))


def make_open_register(folder: Path) -> None:
    write_record(folder, "DJ-2026-0001", stored=FAKE_HASH, received="2026-10-30")   # due 11-27
    write_record(folder, "DJ-2026-0002", stored=FAKE_HASH, received="2026-10-16")   # due 11-13
    write_record(folder, "DJ-2026-0003", stored=FAKE_HASH, received="2026-11-09",
                 events=[{"event": "征求意见开始", "date": "2026-11-16", "party": "第三方"}])
    write_record(folder, "DJ-2026-0004", stored=FAKE_HASH, received="2026-09-01",
                 events=[{"event": "答复", "date": "2026-09-02", "outcome": "予以公开"}])


def test_list_sorts_by_urgency_marks_overdue_and_fails(tmp_path: Path) -> None:
    folder = tmp_path / "applications"
    make_open_register(folder)
    result = run("list", "--path", str(folder), "--today", "2026-11-27")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "截至 2026-11-27，未办结的申请：",
        "逾期  DJ-2026-0002  收到 2026-10-16  答复期限 2026-11-13  已超过 10 个工作日",
        "      DJ-2026-0001  收到 2026-10-30  答复期限 2026-11-27  剩 1 个工作日（今日到期）  办理中",
        "      DJ-2026-0003  收到 2026-11-09  征求意见中（期限暂停计算）：已计 5 个工作日，尚余 15 个",
        "共 3 件未办结，其中 1 件逾期。",
    ]


def test_list_without_overdue_succeeds(tmp_path: Path) -> None:
    folder = tmp_path / "applications"
    make_open_register(folder)
    result = run("list", "--path", str(folder), "--today", "2026-11-12")
    assert result.exit_code == 0, result.output
    assert "逾期" not in result.stdout.replace("其中 0 件逾期", "")
    assert result.stdout.splitlines()[1].split()[0] == "DJ-2026-0002"   # 2 working days left: most urgent


def test_list_json_has_every_application_with_explanations(tmp_path: Path) -> None:
    folder = tmp_path / "applications"
    make_open_register(folder)
    result = run("list", "--json", "--path", str(folder), "--today", "2026-11-27")
    assert result.exit_code == 1  # the same exit status as the table: one is overdue
    data = json.loads(result.stdout)
    assert data["today"] == "2026-11-27"
    assert [a["number"] for a in data["applications"]] == ["DJ-2026-0004", "DJ-2026-0002", "DJ-2026-0001",
                                                           "DJ-2026-0003"]
    answered = data["applications"][0]
    assert answered["on_time"] is True and answered["deadlines"][0]["due"] == "2026-09-29"
    assert answered["deadlines"][0]["explanation"][-2] == "第 20 个工作日是 2026-09-29（周二），为期限的最后一天"
    assert answered["subject"] == "申请公开2025年港区道路养护合同"  # internal output for the office's own tools
    assert data["statistics"] == {"year": 2026, "received": 4, "answered": 1, "on_time": 1, "withdrawn": 0,
                                  "open": 3, "overdue": 1, "completion_rate": "25%"}


def test_list_reports_invalid_records_without_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "applications"
    write_record(folder, "DJ-2026-0001", stored=FAKE_HASH, received="2026-02-30")
    result = run("list", "--path", str(folder))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "applications/2026/DJ-2026-0001.yaml:4: received: 日期「2026-02-30」不存在：2026 年 2 月只有 28 天" in result.stderr


# -- issue 17 item 11: every event by command, checked as a hand-written one, with the new deadlines

def test_every_event_by_command_from_receipt_to_answer(tmp_path: Path) -> None:
    folder = tmp_path / "applications"
    assert new(folder, "--received", "2026-10-09", "--prefix", "DJ").exit_code == 0
    record = folder / "2026/DJ-2026-0001.yaml"
    steps = [
        (["correction", "DJ-2026-0001", "--date", "2026-10-13", "--due", "2026-10-27"], "等待申请人补正"),
        (["corrected", "dj-2026-0001", "--date", "2026-10-20"], "办理中"),
        (["consult", "DJ-2026-0001", "--party", "第三方", "--date", "2026-10-22"], "征求意见中（期限暂停计算）"),
        (["consulted", "DJ-2026-0001", "--party", "第三方", "--date", "2026-11-05"], "办理中"),
        (["extend", "DJ-2026-0001", "--approved", "2026-11-20", "--date", "2026-11-20", "--days", "10"],
         "办理中（已延长答复期限）"),
        (["answer", "DJ-2026-0001", "--outcome", "部分公开", "--date", "2026-11-25"], "已答复"),
    ]
    for args, status in steps:
        result = run(*args, "--today", args[args.index("--date") + 1], "--path", str(folder))
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[0] == f"DJ-2026-0001：{status}", result.stdout
    out = result.stdout
    assert "答复期限" in out and "第三十三条第二款" in out
    text = record.read_text(encoding="utf-8")
    assert text.startswith("# 依申请公开登记记录（不发布）")   # the comments stay
    from foundation.requests.records import parse_record
    parsed, problems = parse_record(text, "applications/2026/DJ-2026-0001.yaml")
    assert problems == [] and [e.kind for e in parsed.events] == [
        "补正告知", "补正收到", "征求意见开始", "征求意见结束", "延期", "答复"]
    assert parsed.events[4].days == 10 and parsed.events[5].outcome == "部分公开"


def test_an_event_that_does_not_fit_is_refused_and_the_record_unchanged(tmp_path: Path) -> None:
    folder = tmp_path / "applications"
    write_record(folder, "DJ-2026-0001", stored=FAKE_HASH, received="2026-10-09")
    record = folder / "2026/DJ-2026-0001.yaml"
    before = record.read_text(encoding="utf-8")
    early = run("answer", "DJ-2026-0001", "--outcome", "予以公开", "--date", "2026-10-01", "--path", str(folder))
    assert early.exit_code == 1 and "Traceback" not in early.output
    assert "apply answer DJ-2026-0001: --date: 答复日期 2026-10-01 早于收到申请日期 2026-10-09" in early.stderr
    future = run("withdraw", "DJ-2026-0001", "--date", "2026-10-30", "--today", "2026-10-20", "--path", str(folder))
    assert future.exit_code == 1 and "「撤回」的日期 2026-10-30 晚于今天 2026-10-20" in future.stderr
    missing = run("answer", "DJ-2026-0001", "--outcome", "不予公开", "--date", "2026-10-20", "--path", str(folder))
    assert missing.exit_code == 1 and "reason: 缺少「不予公开」的具体情形" in missing.stderr
    meant = run("answer", "DJ-2026-0001", "--outcome", "同意公开", "--date", "2026-10-20", "--path", str(folder))
    assert meant.exit_code == 1 and "outcome: 「同意公开」不在允许的取值中，是否应为「予以公开」？" in meant.stderr
    unknown = run("withdraw", "DJ-2026-0099", "--path", str(folder))
    assert unknown.exit_code == 1 and "没有编号为「DJ-2026-0099」的申请" in unknown.stderr
    assert record.read_text(encoding="utf-8") == before


def test_list_flags_a_lapsed_correction_and_says_what_to_do(tmp_path: Path) -> None:
    folder = tmp_path / "applications"
    write_record(folder, "DJ-2026-0001", stored=FAKE_HASH, received="2026-11-02",
                 events=[{"event": "补正告知", "date": "2026-11-04", "due": "2026-11-18"}])
    result = run("list", "--path", str(folder), "--today", "2026-11-27")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        "补正  DJ-2026-0001  收到 2026-11-02  补正期限 2026-11-18 已过，申请人未补正：按「其他处理」办结"
        "（.venv/bin/xxgk apply answer DJ-2026-0001 --outcome 其他处理 --reason "
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请）")
    assert result.stdout.splitlines()[-1] == "共 1 件未办结，其中 0 件逾期，1 件补正期限已过待办结。"


def test_new_received_in_the_past_says_which_deadlines_have_gone_by(tmp_path: Path) -> None:
    folder = tmp_path / "applications"
    result = new(folder, "--received", "2026-09-01", "--prefix", "DJ")
    assert result.exit_code == 0, result.output
    assert "警告: 补正告知期限已于 2026-09-10（周四）届满" in result.stderr
    assert re.search(r"警告: 答复期限已于 2026-09-29（周二）届满，已逾期 \d+ 个工作日", result.stderr), result.stderr


def _officer(folder: str, party: str, barrier: object, records: int) -> None:
    import datetime as dt

    from xxgk.apply import _open
    from foundation.requests.office import add_event

    register = _open(ROOT, Path(folder), dt.date(2026, 10, 21))
    for n in range(1, records + 1):
        barrier.wait()   # both officers write the same record at the same moment
        add_event(register, f"DJ-2026-{n:04d}", "征求意见开始", dt.date(2026, 10, 20), party=party)


def test_two_officers_recording_at_once_keep_both_events(tmp_path: Path) -> None:
    """Two processes add an event to the same record at the same moment, twelve times over:
    each writes under a lock after reading the record as the other left it, so none is lost."""
    import multiprocessing

    from foundation.requests.records import parse_record

    folder = tmp_path / "applications"
    records = 12
    for n in range(1, records + 1):
        write_record(folder, f"DJ-2026-{n:04d}", stored=FAKE_HASH, received="2026-10-09")
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    officers = [ctx.Process(target=_officer, args=(str(folder), party, barrier, records))
                for party in ("第三方", "其他机关")]
    for p in officers:
        p.start()
    for p in officers:
        p.join(60)
        assert p.exitcode == 0
    for n in range(1, records + 1):
        label = f"applications/2026/DJ-2026-{n:04d}.yaml"
        parsed, problems = parse_record((tmp_path / label).read_text(encoding="utf-8"), label)
        assert problems == [] and sorted(e.party for e in parsed.events) == ["其他机关", "第三方"], label
