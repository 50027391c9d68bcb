"""Generate the demo site's downloadable attachments: real PDF and XLSX files.

Run from the repository root:

    .venv/bin/python scripts/make_demo_attachments.py

The figures below are the single source of the demo's budget and final-accounts
numbers (万元); the Markdown bodies of content/czyjs/ quote the same figures.
Output is deterministic: ReportLab runs with ``invariant=1`` and the XLSX
packages get fixed document properties and fixed ZIP timestamps, so a rerun
rewrites identical bytes (and leaves git clean).
"""
from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.xml.functions import tostring
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
AUTHOR = "天津东疆综合保税区管理委员会"
FONT = "STSong-Light"
EMPTY = "本表无数据"
# Every generated package carries this timestamp instead of "now".
FIXED_TIME = dt.datetime(2025, 1, 1, 8, 0, 0)

pdfmetrics.registerFont(UnicodeCIDFont(FONT))


# ---------------------------------------------------------------- departments

@dataclass(frozen=True)
class Department:
    name: str
    duties: str
    structure: str
    projects: str  # what the project spending (项目支出) is mainly used for


DEPARTMENTS: dict[str, Department] = {
    "bj": Department(
        "东疆综合保税区管理委员会（本级）",
        "东疆综合保税区管理委员会是天津市人民政府的派出机构，受滨海新区人民政府委托，"
        "统一负责东疆综合保税区的经济发展、规划建设、产业促进、市场监管、安全生产、"
        "生态环境、文化旅游、政务服务和社会事务等管理工作，推进融资租赁、航运物流、"
        "跨境电商等重点产业发展，服务北方国际航运枢纽建设。",
        "管委会本级内设党政办公室、财政局、经济发展局、市场监督管理局、文化和旅游局、"
        "建设和交通局、生态环境和应急管理局、政务服务办公室等工作部门。纳入本部门预算"
        "编制范围的为管委会本级机关，综合执法大队单独编制部门预算。",
        "产业促进、基础设施建设与维护、城市管理、安全生产和生态环境保护等",
    ),
    "zhzf": Department(
        "东疆综合保税区综合执法大队",
        "东疆综合保税区综合执法大队承担辖区内城市管理、市容环境卫生、园林绿化、"
        "违法建设治理等领域的综合行政执法工作，配合相关部门开展安全生产、生态环境、"
        "文化市场等领域的联合执法检查。",
        "综合执法大队内设综合科、法制科和三个执法中队，为管委会所属参照公务员法管理的"
        "行政执法单位，实行独立核算。",
        "执法装备购置和维护、市容环境专项整治、违法建设治理和执法辅助服务等",
    ),
    "zwfw": Department(
        "东疆综合保税区政务服务办公室",
        "东疆综合保税区政务服务办公室负责辖区政务服务中心的运行管理，承担行政许可和"
        "公共服务事项的集中受理、“一网通办”、政务服务“好差评”和营商环境投诉受理等工作。",
        "政务服务办公室内设综合科、审批服务科和数据管理科，负责管理东疆综合保税区政务服务中心。",
        "政务服务中心运行保障、“一网通办”平台运行维护和帮办代办服务等",
    ),
}


# ------------------------------------------------------------------- figures

def d(text: str) -> Decimal:
    return Decimal(text)


@dataclass(frozen=True)
class Figures:
    """One department budget (预算) or final accounts (决算), amounts in 万元."""

    dept: str
    kind: str                                   # 预算 or 决算
    year: int
    grant: str                                  # 一般公共预算（财政）拨款收入
    other: str                                  # 其他收入
    carry_in: str                               # 上年结转 / 年初结转和结余
    functions: tuple[tuple[str, str, str], ...]  # (功能分类编码, 科目名称, 金额)
    personnel: str                              # 基本支出：人员经费
    public: str                                 # 基本支出：公用经费
    sangong: tuple[str, str, str, str]          # 出国（境）, 公务用车购置, 公务用车运行, 公务接待
    running: str                                # 机关运行经费
    carry_out: str = "0.00"                     # 决算：年末结转和结余
    procurement: str = "0.00"                   # 政府采购预算（决算）
    notes: dict[str, str] = field(default_factory=dict)  # 三公经费的情况说明

    @property
    def income_total(self) -> Decimal:
        return d(self.grant) + d(self.other) + d(self.carry_in)

    @property
    def spending(self) -> Decimal:
        return sum((d(x[2]) for x in self.functions), Decimal("0"))

    @property
    def project(self) -> Decimal:
        return self.spending - d(self.personnel) - d(self.public)

    @property
    def sangong_total(self) -> Decimal:
        return sum((d(x) for x in self.sangong), Decimal("0"))

    def check(self) -> None:
        """Fail loudly if the figures do not add up (a wrong demo is a bad demo)."""
        out = self.spending + d(self.carry_out)
        assert self.income_total == out, (self.dept, self.kind, self.year, self.income_total, out)
        assert self.project >= 0 and d(self.running) <= d(self.public), (self.dept, self.year)


def _fn(*rows: tuple[str, str]) -> tuple[tuple[str, str, str], ...]:
    names = {
        "201": "一般公共服务支出", "208": "社会保障和就业支出", "210": "卫生健康支出",
        "211": "节能环保支出", "212": "城乡社区支出", "214": "交通运输支出",
        "215": "资源勘探工业信息等支出", "216": "商业服务业等支出", "221": "住房保障支出",
    }
    return tuple((code, names[code], amount) for code, amount in rows)


_ALL = [
    # 管委会本级：部门预算 2021–2026
    Figures("bj", "预算", 2021, "58620.00", "830.00", "2900.00",
            _fn(("201", "8422.00"), ("208", "1553.00"), ("210", "762.00"), ("211", "1834.00"),
                ("212", "25132.00"), ("214", "5510.00"), ("215", "10797.00"), ("216", "6967.00"),
                ("221", "1373.00")),
            "8120.00", "1410.00", ("12.00", "0.00", "18.50", "9.80"), "1260.00", procurement="6850.00"),
    Figures("bj", "预算", 2022, "63480.00", "910.00", "4520.00",
            _fn(("201", "8982.00"), ("208", "1777.00"), ("210", "784.00"), ("211", "2031.00"),
                ("212", "27493.00"), ("214", "6009.00"), ("215", "12604.00"), ("216", "7764.00"),
                ("221", "1466.00")),
            "8360.00", "1365.00", ("10.00", "0.00", "17.60", "8.50"), "1215.00", procurement="7420.00"),
    Figures("bj", "预算", 2023, "66310.00", "1050.00", "3880.00",
            _fn(("201", "9981.00"), ("208", "1952.00"), ("210", "863.00"), ("211", "2181.00"),
                ("212", "27484.00"), ("214", "6627.00"), ("215", "11856.00"), ("216", "8768.00"),
                ("221", "1528.00")),
            "8480.00", "1340.00", ("15.00", "0.00", "16.80", "8.00"), "1198.00", procurement="8160.00"),
    Figures("bj", "预算", 2024, "70260.00", "1120.00", "4300.00",
            _fn(("201", "9998.00"), ("208", "1877.00"), ("210", "887.00"), ("211", "2435.00"),
                ("212", "29910.00"), ("214", "6405.00"), ("215", "13450.00"), ("216", "9079.00"),
                ("221", "1639.00")),
            "8590.00", "1322.00", ("15.00", "0.00", "16.00", "7.60"), "1176.00", procurement="9240.00"),
    Figures("bj", "预算", 2025, "68450.00", "1270.00", "4200.00",
            _fn(("201", "10259.00"), ("208", "1821.00"), ("210", "840.00"), ("211", "2211.00"),
                ("212", "29075.00"), ("214", "6646.00"), ("215", "12897.00"), ("216", "8528.00"),
                ("221", "1643.00")),
            "8640.00", "1296.00", ("14.00", "0.00", "15.20", "7.20"), "1150.00", procurement="8870.00"),
    Figures("bj", "预算", 2026, "71830.00", "1190.00", "3430.00",
            _fn(("201", "10491.00"), ("208", "1940.00"), ("210", "950.00"), ("211", "2427.00"),
                ("212", "29740.00"), ("214", "6521.00"), ("215", "13575.00"), ("216", "9048.00"),
                ("221", "1758.00")),
            "8710.00", "1268.00", ("13.50", "0.00", "14.60", "6.80"), "1128.00", procurement="9015.00"),
    # 管委会本级：部门决算 2021–2025
    Figures("bj", "决算", 2021, "60135.42", "862.17", "2900.00",
            _fn(("201", "8419.72"), ("208", "1504.53"), ("210", "753.59"), ("211", "1756.34"),
                ("212", "22978.07"), ("214", "5173.89"), ("215", "10772.92"), ("216", "6713.95"),
                ("221", "1304.58")),
            "8032.46", "1388.15", ("0.00", "0.00", "16.92", "3.15"), "1231.47", carry_out="4520.00",
            procurement="6512.38",
            notes={"abroad": "受新冠肺炎疫情影响，全年未组织因公出国（境）团组。",
                   "reception": "全年共接待国内公务考察调研28批次、216人次，受疫情影响接待批次明显减少。"}),
    Figures("bj", "决算", 2022, "64207.86", "933.54", "4520.00",
            _fn(("201", "8575.87"), ("208", "1744.84"), ("210", "814.44"), ("211", "2057.09"),
                ("212", "25813.10"), ("214", "6049.59"), ("215", "11318.77"), ("216", "7944.12"),
                ("221", "1463.58")),
            "8295.37", "1341.08", ("0.00", "0.00", "16.35", "2.48"), "1186.22", carry_out="3880.00",
            procurement="7104.56",
            notes={"abroad": "受疫情影响，全年未组织因公出国（境）团组。",
                   "reception": "全年共接待国内公务考察调研21批次、164人次。"}),
    Figures("bj", "决算", 2023, "67925.31", "1012.66", "3880.00",
            _fn(("201", "9546.13"), ("208", "1772.10"), ("210", "855.76"), ("211", "2237.40"),
                ("212", "26596.31"), ("214", "6010.84"), ("215", "12296.71"), ("216", "7658.88"),
                ("221", "1543.84")),
            "8437.92", "1318.60", ("11.26", "0.00", "15.87", "6.12"), "1172.05", carry_out="4300.00",
            procurement="7836.91",
            notes={"abroad": "全年组织因公出国（境）团组2个、共9人次，赴新加坡、荷兰开展融资租赁和航运物流产业招商推介。",
                   "reception": "全年共接待国内公务考察调研52批次、418人次。"}),
    Figures("bj", "决算", 2024, "71684.20", "1146.35", "4300.00",
            _fn(("201", "10242.11"), ("208", "2008.39"), ("210", "908.98"), ("211", "2202.41"),
                ("212", "28433.32"), ("214", "6329.93"), ("215", "13095.55"), ("216", "8112.76"),
                ("221", "1597.10")),
            "8562.18", "1297.45", ("12.84", "0.00", "15.02", "6.35"), "1149.63", carry_out="4200.00",
            procurement="8957.20",
            notes={"abroad": "全年组织因公出国（境）团组2个、共10人次，赴爱尔兰、阿联酋开展飞机租赁和国际航运产业交流。",
                   "reception": "全年共接待国内公务考察调研55批次、436人次。"}),
    Figures("bj", "决算", 2025, "69902.73", "1228.91", "4200.00",
            _fn(("201", "9527.17"), ("208", "1783.54"), ("210", "817.15"), ("211", "2300.70"),
                ("212", "29130.03"), ("214", "6045.91"), ("215", "12271.43"), ("216", "8373.37"),
                ("221", "1652.34")),
            "8601.33", "1270.12", ("11.90", "0.00", "14.48", "5.96"), "1121.84", carry_out="3430.00",
            procurement="8611.05",
            notes={"abroad": "全年组织因公出国（境）团组2个、共8人次，赴新加坡、日本开展航运物流和跨境电商产业推介。",
                   "reception": "全年共接待国内公务考察调研49批次、381人次。"}),
    # 综合执法大队
    Figures("zhzf", "预算", 2025, "1865.40", "0.00", "0.00",
            _fn(("208", "168.50"), ("210", "52.30"), ("212", "1596.20"), ("221", "48.40")),
            "1420.60", "186.80", ("0.00", "0.00", "9.60", "0.50"), "186.80", procurement="96.00"),
    Figures("zhzf", "决算", 2024, "1902.37", "0.00", "0.00",
            _fn(("208", "172.66"), ("210", "51.44"), ("212", "1628.91"), ("221", "49.36")),
            "1455.08", "192.16", ("0.00", "0.00", "9.84", "0.36"), "192.16", procurement="88.42",
            notes={"reception": "全年共接待上级部门执法检查和兄弟单位交流6批次、31人次。"}),
    # 政务服务办公室
    Figures("zwfw", "预算", 2026, "2316.80", "0.00", "0.00",
            _fn(("201", "2104.50"), ("208", "126.90"), ("210", "44.20"), ("221", "41.20")),
            "1286.40", "214.40", ("0.00", "0.00", "3.20", "0.80"), "214.40", procurement="604.00"),
]
FIGURES: dict[tuple[str, str, int], Figures] = {(f.dept, f.kind, f.year): f for f in _ALL}

# Years before the demo's first entry, used only for year-on-year comparisons.
SANGONG_BEFORE: dict[tuple[str, str, int], tuple[str, str, str, str]] = {
    ("bj", "预算", 2020): ("15.00", "0.00", "19.20", "10.50"),
    ("bj", "决算", 2020): ("0.00", "0.00", "17.85", "3.62"),
    ("zhzf", "预算", 2024): ("0.00", "0.00", "10.20", "0.60"),
    ("zhzf", "决算", 2023): ("0.00", "0.00", "10.05", "0.42"),
    ("zwfw", "预算", 2025): ("0.00", "0.00", "3.40", "0.90"),
}
RUNNING_BEFORE: dict[tuple[str, str, int], str] = {
    ("bj", "预算", 2020): "1295.00", ("bj", "决算", 2020): "1268.30",
    ("zhzf", "预算", 2024): "192.00", ("zhzf", "决算", 2023): "189.73",
    ("zwfw", "预算", 2025): "221.60",
}
SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")


def sangong_of(dept: str, kind: str, year: int) -> tuple[Decimal, ...] | None:
    """Return the four "三公" amounts of a year, from the figures or the earlier-years table."""
    f = FIGURES.get((dept, kind, year))
    raw = f.sangong if f else SANGONG_BEFORE.get((dept, kind, year))
    return tuple(d(x) for x in raw) if raw else None


def running_of(dept: str, kind: str, year: int) -> Decimal | None:
    f = FIGURES.get((dept, kind, year))
    raw = f.running if f else RUNNING_BEFORE.get((dept, kind, year))
    return d(raw) if raw else None


def wan(x: Decimal | str) -> str:
    """Format 万元 with thousands separators and two decimals."""
    return f"{Decimal(x):,.2f}"


def change(now: Decimal, before: Decimal | None) -> str:
    """Describe a year-on-year change in words."""
    if before is None:
        return ""
    diff = now - before
    if diff == 0:
        return "与上年持平"
    word = "增加" if diff > 0 else "减少"
    pct = f"，{'增长' if diff > 0 else '下降'}{abs(diff) / before * 100:.1f}%" if before else ""
    return f"比上年{word}{wan(abs(diff))}万元{pct}"


# ------------------------------------------------- the public text, as blocks

Block = tuple  # ("h2", text) | ("h3", text) | ("p", text) | ("table", header, rows)


def income_rows(f: Figures) -> list[list[str]]:
    budget = f.kind == "预算"
    return [
        ["一般公共预算拨款收入" if budget else "一般公共预算财政拨款收入", wan(f.grant)],
        ["政府性基金预算拨款收入" if budget else "政府性基金预算财政拨款收入", wan("0")],
        ["国有资本经营预算拨款收入" if budget else "国有资本经营预算财政拨款收入", wan("0")],
        ["其他收入", wan(f.other)],
        ["上年结转" if budget else "年初结转和结余", wan(f.carry_in)],
    ]


def sangong_table(f: Figures) -> tuple[list[str], list[list[str]]]:
    now = sangong_of(f.dept, f.kind, f.year)
    before = sangong_of(f.dept, f.kind, f.year - 1)
    label = "预算数" if f.kind == "预算" else "决算数"
    header = ["项目", f"{f.year}年{label}（万元）", f"{f.year - 1}年{label}（万元）", "增减（万元）"]
    rows = []
    items = ["合计", *SANGONG_ITEMS]
    now_all = (sum(now, Decimal("0")), *now)
    before_all = (sum(before, Decimal("0")), *before) if before else (None,) * 5
    for item, a, b in zip(items, now_all, before_all):
        diff = "—" if b is None else (f"{a - b:+,.2f}" if a != b else "0.00")
        rows.append([item, wan(a), wan(b) if b is not None else "—", diff])
    return header, rows


def _vs(now: Decimal, before: Decimal | None) -> str:
    """Return '，比上年…' or '' when there is no earlier figure."""
    text = change(now, before)
    return f"，{text}" if text else ""


def _sangong_paragraphs(f: Figures) -> list[str]:
    now = sangong_of(f.dept, f.kind, f.year)
    before = sangong_of(f.dept, f.kind, f.year - 1)
    b = before or (None,) * 4
    label = "预算" if f.kind == "预算" else "支出决算"
    total = sum(now, Decimal("0"))
    total_before = sum(before, Decimal("0")) if before else None
    abroad_note = f.notes.get("abroad") or (
        "主要用于融资租赁、航运物流产业境外招商推介和国际交流。" if now[0]
        else f"本年度未{'安排' if f.kind == '预算' else '发生'}因公出国（境）费。")
    if b[2] is not None and now[2] < b[2]:
        run_note = "主要原因是严格落实过“紧日子”要求，压减车辆维修和燃油费用。"
    else:
        run_note = "主要用于执法执勤、应急保障和机要通信用车的燃料、维修、保险等支出。"
    reception_note = f.notes.get("reception") or (
        "主要用于接待上级部门和兄弟单位来东疆考察调研的用餐等支出，严格执行公务接待标准。")
    planned = sangong_of(f.dept, "预算", f.year) if f.kind == "决算" else None
    share = ""
    if planned and sum(planned, Decimal("0")):
        budget_total = sum(planned, Decimal("0"))
        share = f"，完成年初预算{wan(budget_total)}万元的{total / budget_total * 100:.1f}%"
    return [
        f"{f.year}年“三公”经费{label}{wan(total)}万元{share}{_vs(total, total_before)}。其中：",
        f"（一）因公出国（境）费{wan(now[0])}万元{_vs(now[0], b[0])}。{abroad_note}",
        f"（二）公务用车购置费{wan(now[1])}万元{_vs(now[1], b[1])}。本年度未{'安排' if f.kind == '预算' else '发生'}公务用车购置。",
        f"（三）公务用车运行维护费{wan(now[2])}万元{_vs(now[2], b[2])}。{run_note}",
        f"（四）公务接待费{wan(now[3])}万元{_vs(now[3], b[3])}。{reception_note}",
    ]


def sections(f: Figures) -> list[Block]:
    """Return the public text (公开文本) of a budget or final accounts as blocks."""
    f.check()
    dept = DEPARTMENTS[f.dept]
    budget = f.kind == "预算"
    word = "预算" if budget else "决算"
    blocks: list[Block] = [
        ("h2", "一、部门概况"),
        ("h3", "（一）主要职能"), ("p", dept.duties),
        ("h3", "（二）机构设置"), ("p", dept.structure),
        ("h2", f"二、{f.year}年部门{word}收支总体情况"),
    ]
    spend = f.spending
    if budget:
        blocks.append(("p", f"按照综合预算原则，本部门所有收入和支出均纳入部门预算管理。{f.year}年收入预算"
                              f"{wan(f.income_total)}万元，支出预算{wan(spend)}万元，收支平衡。"))
    else:
        blocks.append(("p", f"{f.year}年度本部门收入总计{wan(f.income_total)}万元，支出总计{wan(spend)}万元，"
                              f"年末结转和结余{wan(f.carry_out)}万元。"))
    blocks.append(("h3", f"（一）收入{word}"))
    rows = income_rows(f) + [["收入合计" if budget else "收入总计", wan(f.income_total)]]
    blocks.append(("table", ["项目", f"{word}数（万元）"], rows))
    blocks.append(("h3", f"（二）支出{word}（按功能分类）"))
    frows = [[f"{code} {name}", wan(amount)] for code, name, amount in f.functions]
    frows.append(["支出合计", wan(spend)])
    blocks.append(("table", ["科目", f"{word}数（万元）"], frows))
    blocks.append(("h3", "（三）基本支出和项目支出"))
    blocks.append(("p", f"基本支出{wan(d(f.personnel) + d(f.public))}万元，其中人员经费{wan(f.personnel)}万元，"
                          f"主要包括基本工资、津贴补贴、社会保障缴费、住房公积金等；公用经费{wan(f.public)}万元，"
                          f"主要包括办公费、水电费、差旅费、维修（护）费等。项目支出{wan(f.project)}万元，"
                          f"主要用于{dept.projects}。"))
    blocks.append(("p", f"本部门{f.year}年没有使用政府性基金预算拨款和国有资本经营预算拨款安排的支出，"
                          f"政府性基金预算{'财政拨款收入支出决算表' if not budget else '支出表'}为空表"
                          "（本单位无政府性基金收支）。"))
    blocks.append(("h2", f"三、“三公”经费{word}情况说明"))
    header, srows = sangong_table(f)
    blocks.append(("table", header, srows))
    blocks += [("p", p) for p in _sangong_paragraphs(f)]
    blocks.append(("h2", "四、机关运行经费"))
    run, run_before = running_of(f.dept, f.kind, f.year), running_of(f.dept, f.kind, f.year - 1)
    reason = "，主要原因是持续压减一般性支出" if run_before and run < run_before else ""
    blocks.append(("p", f"{f.year}年本部门机关运行经费{word}{wan(run)}万元{_vs(run, run_before)}{reason}。"
                          "机关运行经费主要用于办公及印刷、水电、邮电、物业管理、差旅、日常维修等支出。"))
    blocks.append(("h2", "五、其他重要事项的情况说明"))
    blocks.append(("p", f"政府采购：{f.year}年本部门政府采购{word}{wan(f.procurement)}万元，"
                          "主要用于信息化建设、物业服务和基础设施维护等。"))
    blocks.append(("p", "绩效管理：本部门对项目支出全面设定绩效目标，"
                          + ("预算执行中开展绩效运行监控。" if budget else "年度终了对项目支出开展绩效自评，自评结果已报财政局。")))
    blocks.append(("h2", "六、名词解释"))
    blocks += [
        ("p", "财政拨款收入：指本级财政当年拨付的资金。"),
        ("p", "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。"),
        ("p", "项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。"),
        ("p", "“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。"
              "其中，因公出国（境）费反映单位公务出国（境）的住宿费、旅费、伙食补助费、杂费、培训费等支出；"
              "公务用车购置及运行维护费反映单位公务用车购置支出及燃料费、维修费、过路过桥费、保险费等支出；"
              "公务接待费反映单位按规定开支的各类公务接待支出。"),
        ("p", "机关运行经费：指为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的"
              "各项资金，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、专用材料及一般设备"
              "购置费、办公用房水电费、办公用房取暖费、办公用房物业管理费、公务用车运行维护费以及其他费用。"),
    ]
    return blocks


def title_of(f: Figures) -> str:
    return f"{DEPARTMENTS[f.dept].name}{f.year}年部门{f.kind}公开"


# --------------------------------------------------------------------- PDF

# wordWrap="CJK" breaks lines between any two characters and keeps 。，、 off the line start.
_STYLES = {
    "title": ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1, spaceAfter=6 * mm),
    "h2": ParagraphStyle("h2", fontName=FONT, fontSize=13, leading=20, spaceBefore=4 * mm, spaceAfter=2 * mm),
    "h3": ParagraphStyle("h3", fontName=FONT, fontSize=11.5, leading=18, spaceBefore=2 * mm, spaceAfter=1 * mm),
    "p": ParagraphStyle("p", fontName=FONT, fontSize=10.5, leading=17, firstLineIndent=21),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=9.5, leading=13),
    "note": ParagraphStyle("note", fontName=FONT, fontSize=9, leading=13, textColor=colors.grey),
}
for _style in _STYLES.values():
    _style.wordWrap = "CJK"


def _pdf_table(header: list[str], rows: list[list[str]], width: float) -> Table:
    """Return a grid table whose column widths follow the length of their longest cell."""
    weights = [min(max(3, *(len(str(r[i])) for r in [header, *rows])), 18) + 2 for i in range(len(header))]
    widths = [width * w / sum(weights) for w in weights]
    data = [[Paragraph(c, _STYLES["cell"]) for c in header]]
    data += [[Paragraph(c, _STYLES["cell"]) for c in r] for r in rows]
    t = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return t


def write_pdf(path: Path, title: str, subject: str, blocks: list[Block], note: str = "") -> None:
    """Write a PDF document; invariant=1 fixes the timestamps and the document ID."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, invariant=1, title=title, author=AUTHOR, subject=subject,
        creator="xxgk scripts/make_demo_attachments.py", leftMargin=20 * mm, rightMargin=20 * mm,
        topMargin=20 * mm, bottomMargin=20 * mm, lang="zh-CN",
    )
    width = A4[0] - 40 * mm
    story = [Paragraph(title, _STYLES["title"])]
    for block in blocks:
        if block[0] == "table":
            story += [_pdf_table(block[1], block[2], width), Spacer(1, 3 * mm)]
        else:
            story.append(Paragraph(block[1], _STYLES[block[0]]))
    if note:
        story += [Spacer(1, 6 * mm), Paragraph(note, _STYLES["note"])]
    doc.build(story)
    _write_if_changed(path, buffer.getvalue())


# --------------------------------------------------------------------- XLSX

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _sheet(wb: Workbook, name: str, header: list[str], rows: list[list[object]]) -> None:
    """Add a sheet whose first row is the header (readers parse it as a plain table)."""
    ws = wb.create_sheet(name)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            cell.border = _BOX
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 18


def _num(x: Decimal | str) -> float:
    return float(Decimal(x))


def write_xlsx(path: Path, title: str, sheets: list[tuple[str, list[str], list[list[object]]]]) -> None:
    """Write a workbook with fixed properties, then re-pack it with fixed ZIP timestamps."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, header, rows in sheets:
        _sheet(wb, name, header, rows)
    props = wb.properties
    props.title, props.creator, props.lastModifiedBy = title, AUTHOR, AUTHOR
    props.created = props.modified = FIXED_TIME
    raw = io.BytesIO()
    wb.save(raw)  # openpyxl stamps properties.modified with "now" here...
    props.modified = FIXED_TIME  # ...so docProps/core.xml is re-serialised below
    core = tostring(props.to_tree())
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = core if info.filename == "docProps/core.xml" else src.read(info.filename)
            dst.writestr(fixed, data)
    _write_if_changed(path, out.getvalue())


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write only when the bytes differ, so a rerun leaves files untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def budget_workbook(f: Figures) -> list[tuple[str, list[str], list[list[object]]]]:
    """Return the sheets (name, header, rows) of a budget or final-accounts workbook."""
    header = ["项目", f"{'预算数' if f.kind == '预算' else '决算数'}（万元）"]
    rows: list[list[object]] = [["一、收入", None]]
    rows += [[name, _num(v.replace(",", ""))] for name, v in income_rows(f)]
    rows += [["收入合计" if f.kind == "预算" else "收入总计", _num(f.income_total)], ["二、支出", None]]
    rows += [[f"{code} {name}", _num(v)] for code, name, v in f.functions]
    rows += [["支出合计", _num(f.spending)]]
    if f.kind == "决算":
        rows += [["年末结转和结余", _num(f.carry_out)]]
    basic = [["合计", _num(f.spending)], ["基本支出", _num(d(f.personnel) + d(f.public))],
             ["　其中：人员经费", _num(f.personnel)], ["　　　　公用经费", _num(f.public)],
             ["项目支出", _num(f.project)]]
    abroad, car_buy, car_run, reception = sangong_of(f.dept, f.kind, f.year)
    sangong = [
        ["合计", _num(abroad + car_buy + car_run + reception)],
        [SANGONG_ITEMS[0], _num(abroad)],
        ["公务用车购置及运行维护费", _num(car_buy + car_run)],
        ["　其中：" + SANGONG_ITEMS[1], _num(car_buy)],
        ["　　　　" + SANGONG_ITEMS[2], _num(car_run)],
        [SANGONG_ITEMS[3], _num(reception)],
    ]
    fund_name = "政府性基金预算支出表" if f.kind == "预算" else "政府性基金预算财政拨款收入支出决算表"
    fund = [[EMPTY, None], ["说明：本单位无政府性基金收支，故本表无数据。", None]]
    return [
        ("收支总表", header, rows),
        ("基本支出和项目支出表", header, basic),
        (fund_name, header, fund),
        ("“三公”经费支出表", header, sangong),
    ]


# ------------------------------------------------------- notice attachments

RECRUITMENT_2022 = (
    ["岗位代码", "招聘部门", "岗位名称", "人数", "学历学位", "专业要求"],
    [
        ["DJ2201", "经济发展局", "产业促进岗", "2", "硕士研究生及以上", "金融学、国际贸易学、产业经济学"],
        ["DJ2202", "财政局", "财务管理岗", "1", "本科及以上", "会计学、财务管理、审计学"],
        ["DJ2203", "建设和交通局", "工程管理岗", "2", "本科及以上", "土木工程、交通工程、港口航道与海岸工程"],
        ["DJ2204", "生态环境和应急管理局", "安全监管岗", "2", "本科及以上", "安全工程、化学工程与工艺、环境工程"],
        ["DJ2205", "市场监督管理局", "市场监管岗", "2", "本科及以上", "法学、食品科学与工程、药学"],
        ["DJ2206", "政务服务办公室", "审批服务岗", "1", "本科及以上", "不限"],
    ],
)

CHECKLIST_2026 = (
    ["序号", "抽查事项", "抽查对象", "检查方式", "实施部门", "比例", "时间"],
    [
        ["1", "企业公示信息抽查", "辖区各类企业", "书面检查、网络监测", "市场监督管理局", "3%", "4—10月"],
        ["2", "食品经营者监督检查", "食品销售、餐饮服务经营者", "现场检查", "市场监督管理局", "5%", "5—9月"],
        ["3", "特种设备使用单位监督检查", "叉车、起重机械使用单位", "现场检查", "市场监督管理局", "5%", "6—10月"],
        ["4", "工贸企业安全生产检查", "仓储物流、冷链企业", "现场检查", "生态环境和应急管理局", "8%", "3—11月"],
        ["5", "固体废物污染环境防治检查", "产废企业", "现场检查、书面检查", "生态环境和应急管理局", "5%", "5—10月"],
        ["6", "文化市场经营单位检查", "娱乐场所、上网服务营业场所、印刷企业", "现场检查", "文化和旅游局", "10%", "4—11月"],
        ["7", "道路运输经营者检查", "道路货物运输经营者", "书面检查、现场检查", "建设和交通局", "5%", "4—10月"],
        ["8", "建筑施工扬尘防治检查", "在建工地", "现场检查", "建设和交通局", "10%", "3—11月"],
    ],
)


def notice_pdfs() -> list[tuple[Path, str, list[Block], str]]:
    return [
        (CONTENT / "tzgg/2022/files/2022-recruitment-posts.pdf",
         "东疆综合保税区管理委员会2022年公开招聘工作人员岗位信息表",
         [("p", "报名时间：2022年7月18日9:00至7月24日17:00。其他条件详见招聘公告。"),
          ("table", *RECRUITMENT_2022)],
         "本表由东疆综合保税区管理委员会党政办公室编制。"),
        (CONTENT / "tzgg/2026/files/2026-random-inspection-list.pdf",
         "东疆综合保税区2026年度“双随机、一公开”抽查事项清单",
         [("p", "抽查比例为占该类检查对象总数的比例；对信用风险等级高的检查对象适当提高抽查比例和频次。"),
          ("table", *CHECKLIST_2026)],
         "本清单由东疆综合保税区市场监督管理局会同有关部门编制。"),
    ]


# --------------------------------------------------------------------- main

# (figures key, folder under content/, file stem); the folder year is the year the entry is published.
BUDGET_ATTACHMENTS: list[tuple[tuple[str, str, int], str, str]] = [
    (("bj", "预算", 2025), "czyjs/2025", "2025-bj-budget"),
    (("bj", "预算", 2026), "czyjs/2026", "2026-bj-budget"),
    (("zhzf", "预算", 2025), "czyjs/2025", "2025-zhzf-budget"),
    (("bj", "决算", 2023), "czyjs/2024", "2023-bj-final"),
    (("bj", "决算", 2024), "czyjs/2025", "2024-bj-final"),
    (("zhzf", "决算", 2024), "czyjs/2025", "2024-zhzf-final"),
]


def main() -> int:
    for f in FIGURES.values():
        f.check()
    written = []
    for key, folder, stem in BUDGET_ATTACHMENTS:
        f = FIGURES[key]
        base = CONTENT / folder / "files"
        write_pdf(base / f"{stem}.pdf", title_of(f), f"{f.year}年部门{f.kind}公开文本", sections(f),
                  f"本文件由{DEPARTMENTS[f.dept].name}编制，金额单位：万元。")
        write_xlsx(base / f"{stem}.xlsx", f"{title_of(f)}表", budget_workbook(f))
        written += [base / f"{stem}.pdf", base / f"{stem}.xlsx"]
    for path, title, blocks, note in notice_pdfs():
        write_pdf(path, title, title, blocks, note)
        written.append(path)
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
