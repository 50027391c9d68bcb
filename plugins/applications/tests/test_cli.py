"""``python -m xxgk apply new|list`` through click's runner: output, files written, exit codes."""
from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner, Result

from plugins.applications import codes
from tests.sitekit import ROOT
from xxgk.cli import main

from .helpers import FAKE_HASH, write_record

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
    assert re.search(r"DJ-2026-0001\.yaml:\d+: subject: 含有疑似手机号", result.stderr)
    assert "Traceback" not in result.output
    assert not list(folder.rglob("*.yaml"))


def test_new_in_a_year_without_notice_warns_and_still_registers(tmp_path: Path) -> None:
    result = new(tmp_path / "applications", "--received", "2026-12-21", "--prefix", "DJ")
    assert result.exit_code == 0, result.output
    assert "答复期限：自收到申请之日起 20 个工作日" in result.stdout and "2027 年节假日安排公布后" in result.stdout
    assert "警告: 2027 年的节假日安排没有官方数据" in result.stderr


def test_new_rejects_unknown_channel(tmp_path: Path) -> None:
    result = run("new", "--path", str(tmp_path), "--channel", "电话", "--category", "自然人", "--subject", "x")
    assert result.exit_code == 2 and "电话" in result.output


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
