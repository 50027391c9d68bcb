"""A fixture year with known entries and records gives known figures in every cell of every table.

Fixture site (today 2024-12-31; reports for 2023 and 2024):

- policies: a 规章 issued in 2023; a 规章 of 2021 repealed on 2023-07-01; 行政规范性文件
  of 2022 in force; one issued and expired within 2023; one issued on 2023-12-29 and
  published in 2024; one of 2022 expiring on 2024-01-01 (in force at the end of 2023);
  one of 2024; a 2023 draft; an 其他政策文件 of 2023 (not in the table).
- penalties decided in 2023: one public, one past its publicity period, one
  withdrawn, one draft; one decided in 2022 and published in 2023; one of 2024.
- applications: two received in December 2022 and answered in 2023 (one late);
  seven received in 2023, one per applicant column and two natural persons (one
  withdrawn, two still open on 31 December); one closed within 2022; one of 2024.
"""
from __future__ import annotations

import pytest

from tests.sitekit import Site
from foundation.errors import ContentError

from .reportkit import answer, figures, tables, write_record, write_report

ZERO = ["0"] * 7
# Table 三 of 2023: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计.
TABLE3_2023 = {
    "一、本年新收政府信息公开申请数量": ["2", "1", "1", "1", "1", "1", "7"],
    "二、上年结转政府信息公开申请数量": ["1", "1", "0", "0", "0", "0", "2"],
    "（一）予以公开": ["0", "1", "0", "0", "0", "0", "1"],
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": ["1", "0", "0", "0", "0", "0", "1"],
    "1.属于国家秘密": ["1", "0", "0", "0", "0", "0", "1"],
    "2.其他法律行政法规禁止公开": ZERO, "3.危及“三安全一稳定”": ZERO, "4.保护第三方合法权益": ZERO,
    "5.属于三类内部事务信息": ZERO, "6.属于四类过程性信息": ZERO, "7.属于行政执法案卷": ZERO,
    "8.属于行政查询事项": ZERO,
    "1.本机关不掌握相关政府信息": ZERO,
    "2.没有现成信息需要另行制作": ["0", "0", "1", "0", "0", "0", "1"],
    "3.补正后申请内容仍不明确": ZERO,
    "1.信访举报投诉类申请": ZERO,
    "2.重复申请": ["0", "0", "0", "0", "0", "1", "1"],
    "3.要求提供公开出版物": ZERO, "4.无正当理由大量反复申请": ZERO, "5.要求行政机关确认或重新出具已获取信息": ZERO,
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": ["0", "0", "0", "0", "1", "0", "1"],
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请": ZERO,
    "3.其他": ["0", "0", "0", "1", "0", "0", "1"],
    "（七）总计": ["2", "1", "1", "1", "1", "1", "7"],
    "四、结转下年度继续办理": ["1", "1", "0", "0", "0", "0", "2"],
}


def _policy(site: Site, serial: int, year: int, kind: str, written: str, **kw: object) -> None:
    site.entry("zcwj", serial=serial, year=year, policy_kind=kind, written_date=written,
               date=kw.pop("date", written), **kw)


def _penalty(site: Site, serial: int, year: int, decided: str, published: str, **kw: object) -> None:
    site.entry("xzcf", serial=serial, year=year, decision_date=decided, written_date=decided, date=published,
               decision_no=f"津东疆市监罚〔{year}〕{serial}号", **kw)


def fixture_site(site: Site) -> Site:
    _policy(site, 1, 2023, "规章", "2023-03-01")
    _policy(site, 1, 2021, "规章", "2021-05-06", validity="废止", validity_date="2023-07-01")
    _policy(site, 1, 2022, "行政规范性文件", "2022-02-07")
    _policy(site, 2, 2023, "行政规范性文件", "2023-04-03", validity="失效", validity_date="2023-11-30")
    _policy(site, 3, 2023, "行政规范性文件", "2023-12-29", date="2024-01-03")
    _policy(site, 2, 2022, "行政规范性文件", "2022-06-01", validity="失效", validity_date="2024-01-01")
    _policy(site, 1, 2024, "行政规范性文件", "2024-02-05")
    _policy(site, 4, 2023, "行政规范性文件", "2023-06-01", status="draft")
    _policy(site, 5, 2023, "其他政策文件", "2023-05-04")
    _penalty(site, 11, 2023, "2023-03-01", "2023-03-08")
    _penalty(site, 12, 2023, "2023-05-04", "2023-05-11", fine=0.5)  # 3 months of publicity: over
    _penalty(site, 13, 2023, "2023-08-01", "2023-08-08", withdrawn_date="2023-09-01",
             withdrawal_reason="该行政处罚决定已被依法撤销。")
    _penalty(site, 14, 2023, "2023-10-09", "2023-10-16", status="draft")
    _penalty(site, 15, 2023, "2022-12-20", "2023-01-05")
    _penalty(site, 11, 2024, "2024-01-10", "2024-01-17")
    write_record(site, "DJ-2022-0001", "2022-06-01", events=[answer("2022-06-20", "予以公开")])
    write_record(site, "DJ-2022-0002", "2022-12-20", "商业企业", [answer("2023-01-10", "予以公开")])
    write_record(site, "DJ-2022-0003", "2022-12-28", events=[answer("2023-03-01", "不予公开", "属于国家秘密")])
    write_record(site, "DJ-2023-0001", "2023-02-01", events=[answer("2023-02-10", "部分公开")])
    write_record(site, "DJ-2023-0002", "2023-03-01", "科研机构",
                 [answer("2023-03-15", "无法提供", "没有现成信息需要另行制作")])
    write_record(site, "DJ-2023-0003", "2023-04-03", "社会公益组织", [{"event": "撤回", "date": "2023-04-10"}])
    write_record(site, "DJ-2023-0004", "2023-05-04", "法律服务机构", [
        {"event": "补正告知", "date": "2023-05-08", "due": "2023-05-22"},
        answer("2023-06-01", "其他处理", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")])
    write_record(site, "DJ-2023-0005", "2023-06-01", "其他", [answer("2023-06-05", "不予处理", "重复申请")])
    write_record(site, "DJ-2023-0006", "2023-12-20", events=[answer("2024-01-10", "予以公开")])
    write_record(site, "DJ-2023-0007", "2023-12-27", "商业企业")
    write_record(site, "DJ-2024-0001", "2024-03-01", events=[answer("2024-03-20", "予以公开")])
    write_report(site, 2023, date="2024-01-20", licensing=12, enforcement=3, fees=1.25,
                 review_upheld=1, review_corrected=2, review_pending=1,
                 direct_corrected=1, after_review_upheld=1, after_review_other=1, after_review_total=2)
    write_report(site, 2024, date="2025-01-15", licensing=20)
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = fixture_site(Site(tmp_path_factory.mktemp("annual-report")))
    site.build()
    return site


@pytest.fixture(scope="module")
def built_next_year(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = fixture_site(Site(tmp_path_factory.mktemp("annual-report-2025")))
    site.build(XXGK={**site.settings()["XXGK"], "TODAY": "2025-02-01"})
    return site


def _tables(site: Site, year: int) -> list[dict]:
    return tables(site.read(f"nb/{year}.html"))


def test_table_two_counts_policies_and_every_penalty_decision(built: Site) -> None:
    t2 = figures(_tables(built, 2023)[0])
    assert t2 == {"规章": ["1", "1", "1"], "行政规范性文件": ["3", "1", "4"], "行政许可": ["12"],
                  "行政处罚": ["4"], "行政强制": ["3"], "行政事业性收费": ["1.25"]}


def test_table_two_marks_what_the_editor_supplied(built: Site) -> None:
    rows = {row[0][1]: row[-1][4] for row in _tables(built, 2023)[0]["rows"] if len(row) > 1 and row[-1][0] == "td"}
    assert rows == {"规章": False, "行政规范性文件": False, "行政许可": True, "行政处罚": False,
                    "行政强制": True, "行政事业性收费": True}
    assert "由本机关根据业务台账填报" in built.read("nb/2023.html")


def test_table_three_every_cell(built: Site) -> None:
    t3 = figures(_tables(built, 2023)[1])
    assert {k: v for k, v in t3.items() if k in TABLE3_2023} == TABLE3_2023
    assert len([k for k in t3 if k in TABLE3_2023]) == 25


def test_table_four_from_the_report_file(built: Site) -> None:
    t4 = _tables(built, 2023)[2]
    assert [c[1] for c in t4["rows"][-1]] == ["1", "2", "0", "1", "4", "0", "1", "0", "0", "1",
                                               "1", "0", "1", "0", "2"]


def test_rates_of_the_year(built: Site) -> None:
    html = built.read("nb/2023.html")
    # 办结 7 of 9 (7 new + 2 carried); on time 6 of 7: DJ-2022-0003 was answered after its deadline.
    assert "<dt>办结率</dt><dd><strong>77.8%</strong>（（七）总计 7 件 ÷（一、本年新收 + 二、上年结转）9 件）" in html
    assert "<dt>按时办结率</dt><dd><strong>85.7%</strong>（在法定期限内办结 6 件 ÷（七）总计 7 件）" in html


def test_scheduled_report_is_neither_written_nor_listed(built: Site) -> None:
    assert not (built.output / "nb/2024.html").exists()
    listing = built.read("nb/index.html")
    assert '<a href="/nb/2023.html">天津东疆综合保税区管理委员会2023年政府信息公开工作年度报告</a>' in listing
    assert "2024年" not in listing
    assert "nb/2023.html" in built.read("sitemap.xml")


def test_next_year_carries_over_what_was_open(built_next_year: Site) -> None:
    built = built_next_year
    t = _tables(built, 2024)
    t3 = figures(t[1])
    assert t3["一、本年新收政府信息公开申请数量"] == ["1", "0", "0", "0", "0", "0", "1"]
    assert t3["二、上年结转政府信息公开申请数量"] == ["1", "1", "0", "0", "0", "0", "2"]
    assert t3["（一）予以公开"] == ["2", "0", "0", "0", "0", "0", "2"]
    assert t3["（七）总计"] == ["2", "0", "0", "0", "0", "0", "2"]
    assert t3["四、结转下年度继续办理"] == ["0", "1", "0", "0", "0", "0", "1"]
    assert figures(t[0])["行政规范性文件"] == ["1", "1", "4"]
    assert figures(t[0])["行政处罚"] == ["1"]
    listing = built.read("nb/index.html")
    assert listing.index("/nb/2024.html") < listing.index("/nb/2023.html")  # newest first


def test_draft_report_is_checked_but_not_published(site: Site) -> None:
    write_report(site, 2023, status="draft")
    site.build()
    assert not (site.output / "nb/2023.html").exists()
    assert "本机关尚未发布年度报告" in site.read("nb/index.html")
    write_report(site, 2023, status="draft", review_upheld=1, review_total=2)
    with pytest.raises(ContentError):
        site.build()


def test_report_page_alone_links_the_report_stylesheet(built: Site) -> None:
    html = built.read("nb/2023.html")
    assert '<link rel="stylesheet" href="/theme/css/annual_report.css">' in html
    assert (built.output / "theme/css/annual_report.css").is_file()
    assert "annual_report.css" not in built.read("index.html")
