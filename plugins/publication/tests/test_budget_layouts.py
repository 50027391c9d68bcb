"""Issue 17 item 3: budget workbooks as offices make them are read right, or refused with the
sheet and row; the documented example workbook reads as docs/budgets.md says."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from plugins.publication import budgets
from plugins.pii_guard import PrivacyError
from tests.sitekit import ROOT, Site, xlsx_bytes
from foundation.errors import ContentError

UNIT_ROW = ["部门：东疆综合保税区管理委员会", None, "单位：万元"]


def ordinary_sheet(year: int, visits: float) -> bytes:
    """What an office's Excel holds: a merged title, a unit row, the table, and the "三公"
    block under it on the same sheet, on a sheet named Sheet1."""
    return xlsx_bytes({"Sheet1": [
        [f"{year}年部门收支总表"], UNIT_ROW, ["项目", "预算数"], ["一般公共预算拨款收入", 1200.5], ["收入合计", 1200.5],
        [],
        [f"{year}年“三公”经费预算表"], UNIT_ROW, ["项目", "预算数"], ["因公出国（境）费", visits],
        ["公务用车购置及运行维护费", 12.5], ["公务接待费", 3],
    ]}, {"Sheet1": ["A1:C1", "A7:C7"]})


def budget_entry(site: Site, year: int, serial: int, data: bytes, name: str = "预算.xlsx") -> None:
    site.write(f"czyjs/{year}/files/{name}", data)
    site.entry("czyjs", serial=serial, year=year, fiscal_year=year, date=f"{year}-03-05",
               written_date=f"{year}-03-01", approval_date=f"{year}-02-20",
               attachments=[{"file": f"files/{name}", "title": "预算表"}])


def test_an_ordinary_sheet_with_title_unit_rows_and_two_tables(site: Site) -> None:
    budget_entry(site, 2023, 1, ordinary_sheet(2023, 10))
    budget_entry(site, 2024, 2, ordinary_sheet(2024, 8.5))
    site.build()
    html = site.read("czyjs/2024-00002.html")
    assert "<caption>2024年部门收支总表</caption>" in html
    assert '<thead><tr><th scope="col">项目</th><th scope="col">预算数</th></tr></thead>' in html
    assert "<caption>2024年“三公”经费预算表</caption>" in html
    assert "单位：万元" not in html.split("<caption>2024年部门收支总表</caption>")[1].split("</table>")[0]
    listing = site.read("czyjs/index.html")   # the chart has both years, 2024 included
    assert '<th scope="row">2023年预算</th><td class="num">10.00</td>' in listing
    assert '<th scope="row">2024年预算</th><td class="num">8.50</td>' in listing


def test_the_finance_ministry_template_items_as_columns_in_yuan(tmp_path: Path) -> None:
    path = tmp_path / "三公.xlsx"
    path.write_bytes(xlsx_bytes({"表7": [
        ["表7"], ["一般公共预算“三公”经费支出表"], ["部门：东疆综合保税区管理委员会", None, None, None, None, None, "单位：元"],
        ["项目", "合计", "因公出国（境）费", "公务用车购置及运行费", None, None, "公务接待费"],
        [None, None, None, "小计", "购置费", "运行费", None],
        ["2024年预算数", 349000, 135000, 146000, 0, 146000, 68000],
    ]}, {"表7": ["D4:F4"]}))
    read = budgets.read_tables(path)
    [table] = read.tables
    assert table.caption == "表7 一般公共预算“三公”经费支出表"
    assert table.header[3:6] == ["公务用车购置及运行费：小计", "公务用车购置及运行费：购置费", "公务用车购置及运行费：运行费"]
    figures, found = budgets.sangong_figures(read.tables)
    assert found == [] and figures == {"因公出国（境）费": Decimal("13.50"), "公务用车购置及运行（维护）费": Decimal("14.60"),
                                       "公务接待费": Decimal("6.80")}


def test_no_data_without_its_reason_is_an_error_naming_sheet_and_row(site: Site) -> None:
    budget_entry(site, 2024, 1, xlsx_bytes({"政府性基金": [["2024年政府性基金预算支出表"], UNIT_ROW, ["项目", "预算数"],
                                                        ["本表无数据"]]}))
    with pytest.raises(ContentError) as caught:
        site.build()
    assert ("content/czyjs/2024/2024-00001.md:14: attachments: 附件「预算表」工作表「政府性基金」第 4 行："
            "「2024年政府性基金预算支出表」标为「本表无数据」却没有说明原因（expected 在下一行写明原因") in str(caught.value)


def test_a_formula_without_its_value_is_refused_naming_the_cell(site: Site) -> None:
    """Asked for as a warning; it is an error, because the privacy guard cannot know what such a
    cell shows (openpyxl saves formulas without a value, as program-written workbooks do)."""
    budget_entry(site, 2024, 1, xlsx_bytes({"收支": [["项目", "预算数"], ["收入", 10], ["支出", 4], ["结余", "=B2-B3"]]}))
    with pytest.raises(PrivacyError) as caught:
        site.build()
    assert "工作表「收支」B4 单元格的公式没有保存计算结果" in str(caught.value)


def test_a_sangong_table_without_readable_figures_is_refused(site: Site) -> None:
    budget_entry(site, 2024, 1, xlsx_bytes({"“三公”经费": [["项目", "说明"], ["因公出国（境）费", "见附件"],
                                                      ["公务接待费", "略"]]}))
    with pytest.raises(ContentError) as caught:
        site.build()
    assert "工作表「“三公”经费」第 1 行起：「“三公”经费」中读不出“三公”经费，图表中不会有这一年" in str(caught.value)


def test_the_documented_example_workbook_reads_as_documented() -> None:
    read = budgets.read_tables(ROOT / "docs/examples/budget-example.xlsx")
    assert read.findings == []
    assert [(t.sheet, t.caption) for t in read.tables] == [
        ("预算公开表", "2026年部门收支总表"), ("预算公开表", "2026年一般公共预算“三公”经费支出表"),
        ("政府性基金预算支出表", "2026年政府性基金预算支出表")]
    assert read.tables[1].notes == ["注：“三公”经费较上年减少1.3万元，主要是压减公务接待。"]
    assert read.tables[2].empty_reason.startswith("说明：本部门2026年没有使用政府性基金预算拨款")
    figures, _ = budgets.sangong_figures(read.tables)
    assert figures["公务接待费"] == Decimal("6.80")
    docs = (ROOT / "docs/budgets.md").read_text(encoding="utf-8")
    assert "examples/budget-example.xlsx" in docs


def test_a_csv_budget_with_title_unit_rows_and_numbers_as_excel_holds_them(tmp_path: Path) -> None:
    path = tmp_path / "三公.csv"
    path.write_text("2024年“三公”经费支出表\n单位：元,\n项目,金额\n因公出国（境）费,\"135,000\"\n"
                    "公务用车购置及运行维护费,146000\n公务接待费,68000\n", encoding="utf-8")
    read = budgets.read_tables(path)
    [table] = read.tables
    assert table.caption == "2024年“三公”经费支出表" and table.numeric == [False, True]
    figures, found = budgets.sangong_figures(read.tables)
    assert found == [] and figures["因公出国（境）费"] == Decimal("13.50") and figures["公务接待费"] == Decimal("6.80")
