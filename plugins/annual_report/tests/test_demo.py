"""The demo office's reports: 2023 agrees with its real report (5 applications, all on time), 2025 with its records.

Also keeps docs/annual_report.md honest: its field table is the schema's.
"""
from __future__ import annotations

from pathlib import Path

from plugins.content_schema.docs import field_table
from foundation.schema import REPORT_FIELDS
from tests.sitekit import ROOT

from .reportkit import figures, tables


def _report(demo_output: Path, year: int) -> tuple[str, list[dict]]:
    html = (demo_output / f"nb/{year}.html").read_text(encoding="utf-8")
    return html, tables(html)


def test_2023_is_the_seed_report(demo_output: Path) -> None:
    # 2023 法治政府建设工作报告: 5 applications, all answered within the legal deadline, 办结率 100%.
    html, (t2, t3, t4) = _report(demo_output, 2023)
    rows = figures(t3)
    assert rows["一、本年新收政府信息公开申请数量"] == ["3", "1", "0", "0", "1", "0", "5"]
    assert rows["二、上年结转政府信息公开申请数量"] == ["0"] * 7
    assert rows["（七）总计"] == ["3", "1", "0", "0", "1", "0", "5"]
    assert rows["四、结转下年度继续办理"] == ["0"] * 7
    assert "<dt>办结率</dt><dd><strong>100%</strong>" in html
    assert "<dt>按时办结率</dt><dd><strong>100%</strong>" in html
    # The demo's policies: one 规范性文件 issued (“双随机、一公开”细则), one expired (融资租赁, 2023-06-30);
    # its penalty column: four decisions in 2023.
    assert figures(t2) == {"规章": ["0", "0", "0"], "行政规范性文件": ["1", "1", "2"], "行政许可": ["307"],
                           "行政处罚": ["4"], "行政强制": ["0"], "行政事业性收费": ["0"]}
    assert [c[1] for c in t4["rows"][-1]] == ["0"] * 15


def test_2025_counts_every_outcome_and_the_withdrawn_penalty(demo_output: Path) -> None:
    html, (t2, t3, t4) = _report(demo_output, 2025)
    rows = figures(t3)
    assert rows["一、本年新收政府信息公开申请数量"] == ["2", "1", "1", "1", "1", "1", "7"]
    assert rows["（七）总计"] == rows["一、本年新收政府信息公开申请数量"]
    assert rows["3.其他"] == ["0", "0", "0", "0", "0", "1", "1"]  # the withdrawn application
    assert rows["四、结转下年度继续办理"] == ["0"] * 7
    # 行政处罚 includes the decision revoked on 复议 and withdrawn from publicity in September.
    assert figures(t2)["行政处罚"] == ["5"]
    assert figures(t2)["行政规范性文件"] == ["2", "1", "5"]
    assert [c[1] for c in t4["rows"][-1]][:5] == ["1", "0", "0", "0", "1"]


def test_reports_are_listed_newest_first_and_in_the_sitemap(demo_output: Path) -> None:
    listing = (demo_output / "nb/index.html").read_text(encoding="utf-8")
    assert listing.index('href="/nb/2025.html"') < listing.index('href="/nb/2023.html"')
    sitemap = (demo_output / "sitemap.xml").read_text(encoding="utf-8")
    assert "/nb/2023.html</loc>" in sitemap and "/nb/2025.html</loc>" in sitemap


def test_docs_list_every_field_of_the_report_file() -> None:
    docs = (ROOT / "docs/annual_report.md").read_text(encoding="utf-8")
    assert field_table(REPORT_FIELDS, {}) in docs, "docs/annual_report.md: paste field_table(REPORT_FIELDS) again"
