"""Mistakes in a report file fail the build with one exact `path:line: field: problem` line each."""
from __future__ import annotations

import pytest

from tests.sitekit import Site
from foundation.errors import ContentError

from .reportkit import SECTIONS_BODY, write_report

EXPECTED_SECTIONS = "## 一、总体情况、## 五、存在的主要问题及改进情况、## 六、其他需要报告的事项"


def problems_of(site: Site) -> list[str]:
    with pytest.raises(ContentError) as caught:
        site.build()
    return [str(p) for p in caught.value.problems]


def line_of(site: Site, rel: str, text: str) -> int:
    lines = (site.content / rel).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if line.startswith(text))


def test_valid_report_builds(site: Site) -> None:
    write_report(site, 2023)
    site.build()
    assert (site.output / "nb/2023.html").is_file()


def test_file_name_must_be_the_year(site: Site) -> None:
    write_report(site, 2023, rel="nb/年报.md")
    assert problems_of(site) == [
        "content/nb/年报.md:2: year: 文件名与报告年度 2023 不一致（expected 文件 content/nb/2023.md，发布在 /nb/2023.html）"]


def test_report_in_a_sub_folder(site: Site) -> None:
    write_report(site, 2023, rel="nb/2023/2023.md")
    assert problems_of(site) == [
        "content/nb/2023/2023.md:2: year: 文件名与报告年度 2023 不一致（expected 文件 content/nb/2023.md，"
        "发布在 /nb/2023.html）"]


def test_published_before_the_year_ended(site: Site) -> None:
    write_report(site, 2023, date="2023-12-31")
    assert problems_of(site) == [
        "content/nb/2023.md:3: date: 发布日期 2023-12-31 不在报告年度 2023 结束之后"
        "（expected 2024-01-01 或以后；条例 第四十九条：于次年1月31日前公布）"]


def test_missing_supplied_figure(site: Site) -> None:
    write_report(site, 2023, licensing=None)
    assert problems_of(site) == [
        "content/nb/2023.md:1: licensing: 缺少必填字段（expected 一行 “licensing: …”，行政许可 本年处理决定数量："
        "表二 第二十条第（五）项。本网站没有这类记录，由编辑根据本机关业务台账填写，报告中注明为填报数据。 例如 156）"]


def test_unknown_field_suggests_the_nearest(site: Site) -> None:
    write_report(site, 2023, licence=3)
    line = line_of(site, "nb/2023.md", "licence:")
    assert problems_of(site) == [
        f"content/nb/2023.md:{line}: licence: 未知字段，是否应为 licensing（行政许可 本年处理决定数量）？"]


def test_figure_that_is_not_a_whole_number(site: Site) -> None:
    write_report(site, 2023, review_upheld="两件")
    line = line_of(site, "nb/2023.md", "review_upheld:")
    assert problems_of(site) == [f"content/nb/2023.md:{line}: review_upheld: 「两件」不是整数（expected 0 或正整数，例如 1）"]


def test_table_four_total_must_add_up(site: Site) -> None:
    write_report(site, 2023, review_upheld=1, review_corrected=1, review_total=3)
    line = line_of(site, "nb/2023.md", "review_total:")
    assert problems_of(site) == [
        f"content/nb/2023.md:{line}: review_total: 行政复议总计 3 不等于各项结果之和 2"
        "（结果维持 1、结果纠正 1、其他结果 0、尚未审结 0）（expected 2，或删除这一行由系统相加）"]


def test_computed_section_is_not_written_by_hand(site: Site) -> None:
    body = SECTIONS_BODY.replace("## 五、", "## 三、收到和处理政府信息公开申请情况\n\n| 表 |\n|---|\n\n## 五、")
    write_report(site, 2023, body=body)
    line = line_of(site, "nb/2023.md", "## 三、")
    assert problems_of(site) == [
        f"content/nb/2023.md:{line}: 正文: 「三、收到和处理政府信息公开申请情况」由系统根据本网站的信息和依申请公开记录生成，"
        f"正文中不要写这一部分（expected 正文只写 {EXPECTED_SECTIONS}）"]


def test_misspelt_section_title_and_the_missing_section(site: Site) -> None:
    write_report(site, 2023, body=SECTIONS_BODY.replace("五、存在的主要问题及改进情况", "五、存在问题及改进情况"))
    line = line_of(site, "nb/2023.md", "## 五、")
    body = line_of(site, "nb/2023.md", "## 一、")  # the body's first line: a missing section is reported there
    assert problems_of(site) == [
        f"content/nb/2023.md:{body}: 正文: 缺少「## 五、存在的主要问题及改进情况」部分（expected 正文依次写 "
        f"{EXPECTED_SECTIONS}，国办公开办函〔2021〕30号）",
        f"content/nb/2023.md:{line}: 正文: 「五、存在问题及改进情况」不是年度报告由编辑撰写的部分，"
        f"是否应为「五、存在的主要问题及改进情况」？（expected 二级标题只用 {EXPECTED_SECTIONS}；部分内的小标题用 ###）"]


def test_sections_out_of_order(site: Site) -> None:
    one, five, six = SECTIONS_BODY.split("## ")[1:]
    write_report(site, 2023, body=f"## {one}## {six}## {five}")
    line = line_of(site, "nb/2023.md", "## 六、")
    assert problems_of(site) == [
        f"content/nb/2023.md:{line}: 正文: 「六、其他需要报告的事项」的位置不对"
        f"（expected 按国家格式的顺序：{EXPECTED_SECTIONS}）"]


def test_empty_section(site: Site) -> None:
    write_report(site, 2023, body=SECTIONS_BODY.replace("无其他需要报告的事项。", ""))
    line = line_of(site, "nb/2023.md", "## 六、")
    assert problems_of(site) == [
        f"content/nb/2023.md:{line}: 正文: 「六、其他需要报告的事项」部分没有内容（expected 标题下写这一部分的正文）"]


def test_preamble_and_sub_headings_are_kept(site: Site) -> None:
    body = "本报告依据《条例》编制。\n\n" + SECTIONS_BODY.replace("本年度政务公开工作总体情况。",
                                                             "### （一）主动公开\n\n全年主动公开信息。")
    write_report(site, 2023, body=body)
    site.build()
    html = site.read("nb/2023.html")
    assert '<div class="entry-body report-preamble"><p>本报告依据《条例》编制。</p></div>' in html
    assert "<h3>（一）主动公开</h3>\n<p>全年主动公开信息。</p>" in html


def test_late_report_warns_but_builds(site: Site) -> None:
    write_report(site, 2023, date="2024-02-05")
    result = site.build()
    assert (site.output / "nb/2023.html").is_file()
    assert any("2023年年报于 2024-02-05 发布，晚于 2024-01-31（条例 第四十九、五十条规定的公布期限）" in w
               for w in result.warnings)
    result = site.build(XXGK={**site.settings()["XXGK"], "REPORT_DUE": "03-31"})
    assert not any("年报" in w for w in result.warnings)
