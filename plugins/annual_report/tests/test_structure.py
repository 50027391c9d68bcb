"""The rendered tables have the national template's layout: every label, rowspan and colspan.

The expected structures below are copied from the template of 国办公开办函〔2021〕30号,
not derived from the plugin's own layout data, so a change to either shows here.
Cells are (tag, text, rowspan, colspan); "#" stands for a figure.
"""
from __future__ import annotations

import re

import pytest

from tests.sitekit import Site

from .reportkit import grid_widths, tables, write_report


def th(text: str, rowspan: int = 1, colspan: int = 1) -> tuple[str, str, int, int]:
    return ("th", text, rowspan, colspan)


def fig(colspan: int = 1) -> tuple[str, str, int, int]:
    return ("td", "#", 1, colspan)


TABLE2 = [
    [th("第二十条第（一）项", colspan=4)],
    [th("信息内容"), th("本年制发件数"), th("本年废止件数"), th("现行有效件数")],
    [th("规章"), fig(), fig(), fig()],
    [th("行政规范性文件"), fig(), fig(), fig()],
    [th("第二十条第（五）项", colspan=4)],
    [th("信息内容"), th("本年处理决定数量", colspan=3)],
    [th("行政许可"), fig(3)],
    [th("第二十条第（六）项", colspan=4)],
    [th("信息内容"), th("本年处理决定数量", colspan=3)],
    [th("行政处罚"), fig(3)],
    [th("行政强制"), fig(3)],
    [th("第二十条第（八）项", colspan=4)],
    [th("信息内容"), th("本年收费金额（单位：万元）", colspan=3)],
    [th("行政事业性收费"), fig(3)],
]

SEVEN = [fig()] * 7
TABLE3 = [
    [("td", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), th("申请人情况", colspan=7)],
    [th("自然人", rowspan=2), th("法人或其他组织", colspan=5), th("总计", rowspan=2)],
    [th("商业企业"), th("科研机构"), th("社会公益组织"), th("法律服务机构"), th("其他")],
    [th("一、本年新收政府信息公开申请数量", colspan=3), *SEVEN],
    [th("二、上年结转政府信息公开申请数量", colspan=3), *SEVEN],
    [th("三、本年度办理结果", rowspan=22), th("（一）予以公开", colspan=2), *SEVEN],
    [th("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2), *SEVEN],
    [th("（三）不予公开", rowspan=8), th("1.属于国家秘密"), *SEVEN],
    [th("2.其他法律行政法规禁止公开"), *SEVEN],
    [th("3.危及“三安全一稳定”"), *SEVEN],
    [th("4.保护第三方合法权益"), *SEVEN],
    [th("5.属于三类内部事务信息"), *SEVEN],
    [th("6.属于四类过程性信息"), *SEVEN],
    [th("7.属于行政执法案卷"), *SEVEN],
    [th("8.属于行政查询事项"), *SEVEN],
    [th("（四）无法提供", rowspan=3), th("1.本机关不掌握相关政府信息"), *SEVEN],
    [th("2.没有现成信息需要另行制作"), *SEVEN],
    [th("3.补正后申请内容仍不明确"), *SEVEN],
    [th("（五）不予处理", rowspan=5), th("1.信访举报投诉类申请"), *SEVEN],
    [th("2.重复申请"), *SEVEN],
    [th("3.要求提供公开出版物"), *SEVEN],
    [th("4.无正当理由大量反复申请"), *SEVEN],
    [th("5.要求行政机关确认或重新出具已获取信息"), *SEVEN],
    [th("（六）其他处理", rowspan=3), th("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"), *SEVEN],
    [th("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"), *SEVEN],
    [th("3.其他"), *SEVEN],
    [th("（七）总计", colspan=2), *SEVEN],
    [th("四、结转下年度继续办理", colspan=3), *SEVEN],
]

RESULTS = [th("结果维持"), th("结果纠正"), th("其他结果"), th("尚未审结"), th("总计")]
TABLE4 = [
    [th("行政复议", colspan=5), th("行政诉讼", colspan=10)],
    [*(th(c[1], rowspan=2) for c in RESULTS), th("未经复议直接起诉", colspan=5), th("复议后起诉", colspan=5)],
    [*RESULTS, *RESULTS],
    [fig()] * 15,
]

SECTIONS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    site = Site(tmp_path_factory.mktemp("report-structure"))
    site.entry()
    write_report(site, 2023, date="2024-01-20")
    site.build()
    return site.read("nb/2023.html")


def _shape(table: dict) -> list[list[tuple[str, str, int, int]]]:
    return [[(c[0], "#" if c[0] == "td" and re.fullmatch(r"[\d.]+", c[1]) else c[1], c[2], c[3]) for c in row]
            for row in table["rows"]]


@pytest.mark.parametrize("index, caption, expected, width", [
    (0, "表二　主动公开政府信息情况", TABLE2, 4),
    (1, "表三　收到和处理政府信息公开申请情况", TABLE3, 10),
    (2, "表四　政府信息公开行政复议、行政诉讼情况", TABLE4, 15),
])
def test_table_matches_the_national_template(page: str, index: int, caption: str, expected: list, width: int) -> None:
    table = tables(page)[index]
    assert table["caption"] == caption
    assert _shape(table) == expected
    assert grid_widths(table["rows"]) == [width] * len(expected)


def test_six_sections_in_order_with_the_tables_in_theirs(page: str) -> None:
    assert re.findall(r"<h2 id=\"s\d\">(.*?)</h2>", page) == SECTIONS
    sections = re.split(r"<h2 id=\"s\d\">", page)[1:]
    assert [s.count('<table class="report-table') for s in sections] == [0, 1, 1, 1, 0, 0]
    assert "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。" in page


def test_tables_scroll_in_a_labelled_focusable_region(page: str) -> None:
    # On a phone the wide tables scroll sideways; keyboard users reach the box with Tab.
    for key in ("t2", "t3", "t4"):
        assert (f'<div class="table-scroll report-scroll" role="region" aria-labelledby="{key}-caption" '
                'tabindex="0">') in page
    assert '<th scope="row" colspan="3" class="lc0">一、本年新收政府信息公开申请数量</th>' in page
    assert '<th scope="row" class="lc2">1.属于国家秘密</th>' in page  # sticky third label column
