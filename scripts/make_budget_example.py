"""Write docs/examples/budget-example.xlsx: a budget workbook laid out as real ones are (docs/budgets.md).

One sheet as an office's Excel holds it: a merged title row, a 「部门：…　单位：万元」 row, the
table, then — after a blank row — the next table with its own title; the "三公" table in the
财政部 template's layout (two header rows, the items as columns); and a sheet marked
「本表无数据」 with its reason.  Run: .venv/bin/python scripts/make_budget_example.py
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

OUT = Path(__file__).resolve().parent.parent / "docs/examples/budget-example.xlsx"


def build() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "预算公开表"
    bold = Font(bold=True)
    rows = [
        ["2026年部门收支总表"],
        ["部门：东疆综合保税区管理委员会", None, "单位：万元"],
        ["项目", "本年预算数", "上年预算数"],
        ["一般公共预算拨款收入", 71830, 70210],
        ["政府性基金预算拨款收入", 0, 0],
        ["其他收入", 1190, 1020],
        ["收入合计", 73020, 71230],
        [],
        ["2026年一般公共预算“三公”经费支出表"],
        ["部门：东疆综合保税区管理委员会", None, None, None, None, None, "单位：万元"],
        ["项目", "合计", "因公出国（境）费", "公务用车购置及运行费", None, None, "公务接待费"],
        [None, None, None, "小计", "购置费", "运行费", None],
        ["2026年预算数", 34.9, 13.5, 14.6, 0, 14.6, 6.8],
        ["2025年预算数", 36.2, 14.0, 15.2, 0, 15.2, 7.0],
        ["注：“三公”经费较上年减少1.3万元，主要是压减公务接待。"],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A1:C1")
    ws.merge_cells("A9:G9")
    ws.merge_cells("D11:F11")
    for cell in ("A1", "A9"):
        ws[cell].font = Font(bold=True, size=14)
        ws[cell].alignment = Alignment(horizontal="center")
    for cell in ("A3", "B3", "C3", "A11", "B11", "C11", "D11", "G11"):
        ws[cell].font = bold
    ws.column_dimensions["A"].width = 32
    empty = wb.create_sheet("政府性基金预算支出表")
    for row in (["2026年政府性基金预算支出表"], ["部门：东疆综合保税区管理委员会", "单位：万元"], ["项目", "预算数"],
                ["本表无数据"], ["说明：本部门2026年没有使用政府性基金预算拨款安排的支出，故本表无数据。"]):
        empty.append(row)
    return wb


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    build().save(OUT)
    print(f"wrote {OUT}")
