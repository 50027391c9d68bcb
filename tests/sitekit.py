"""Small sites for tests: write entries from keyword arguments, build into tmp_path."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import yaml

from foundation.schema import REQUIRED_PAGES
from xxgk.build import BuildResult, build, load_settings

ROOT = Path(__file__).resolve().parent.parent
ORG = "11120116MB1K23456X"
TODAY = "2024-12-31"  # the build's today in fixture sites: after their dates, inside every period

# Valid defaults for each column; tests override what they are about.
BASE: dict[str, Any] = {
    "title": "关于开展安全生产检查的通知",
    "topic": "综合政务\\政务公开",
    "publisher": "党政办公室",
    "written_date": "2024-03-01",
    "date": "2024-03-05",
    "genre": "通知",
    "summary": "部署安全生产检查工作。",
}
OWN: dict[str, dict[str, Any]] = {
    "tzgg": {},
    "xzcf": {
        "genre": "决定", "party_name": "天津某某物流有限公司", "party_type": "法人及非法人组织",
        "credit_code": "91120116MA05ABCD1K", "legal_rep": "李某某",
        "decision_no": "津东疆市监罚〔2024〕1号", "violation_type": "未按规定公示年度报告",
        "facts": "经查，当事人未按规定公示年度报告。", "basis": "《企业信息公示暂行条例》第十七条",
        "penalty_categories": "罚款", "penalty_content": "罚款人民币五万元。", "fine": 5,
        "decision_date": "2024-03-01", "authority": "东疆综合保税区市场监督管理局",
    },
    "czyjs": {
        "genre": "报告", "fiscal_year": 2024, "budget_kind": "预算",
        "department": "东疆综合保税区管理委员会（本级）", "approval_date": "2024-02-20",
    },
    "zcwj": {"genre": "通知", "policy_kind": "行政规范性文件"},
}


def pdf_bytes(text: str = "附件正文") -> bytes:
    """A small real PDF (the guard reads every published attachment, so a fake one fails the build)."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.drawString(72, 760, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def front_matter(values: dict[str, Any]) -> str:
    """YAML front matter for `values` (None values are left out)."""
    clean = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items() if v is not None}
    return "---\n" + yaml.safe_dump(clean, allow_unicode=True, sort_keys=False) + "---\n"


def entry_text(column: str = "tzgg", serial: int = 1, year: int = 2024, body: str = "正文。",
               **overrides: Any) -> str:
    values = {**BASE, **OWN[column], "index_no": f"{ORG}/{year}-{serial:05d}"}
    values.update(overrides)
    return front_matter(values) + body + "\n"


class Site:
    """A content folder in tmp_path that tests fill and build."""

    def __init__(self, root: Path):
        self.content = root / "content"
        self.output = root / "output"
        self.content.mkdir(parents=True, exist_ok=True)
        for slug, title in REQUIRED_PAGES.items():
            section = {"zn": "指南", "zd": "制度"}.get(slug, "网站")
            self.page(slug, title, section)

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def entry(self, column: str = "tzgg", serial: int = 1, year: int = 2024, rel: str | None = None,
              **kw: Any) -> Path:
        rel = rel or f"{column}/{year}/{year}-{serial:05d}.md"
        return self.write(rel, entry_text(column, serial, year, **kw))

    def page(self, slug: str, title: str, section: str = "网站", body: str = "页面正文。") -> Path:
        text = front_matter({"title": title, "slug": slug, "section": section, "date": "2024-01-01"})
        return self.write(f"pages/{slug}.md", text + body + "\n")

    def settings(self, publish: bool = False, **overrides: Any) -> dict[str, Any]:
        """Settings of this site; the build's today is fixed (TODAY) unless a test sets XXGK."""
        base = load_settings(ROOT, publish, self.output, {"PATH": str(self.content)})
        fixed = {"PATH": str(self.content), "XXGK": {**base["XXGK"], "TODAY": TODAY}}
        return load_settings(ROOT, publish, self.output, {**fixed, **overrides})

    def build(self, publish: bool = False, **overrides: Any) -> BuildResult:
        return build(self.settings(publish, **overrides))

    def read(self, rel: str) -> str:
        return (self.output / rel).read_text(encoding="utf-8")


def xlsx_skeleton(sheet_xml: bytes) -> bytes:
    """The smallest XLSX package around one sheet's XML (for workbooks no library would write)."""
    import zipfile

    ns = "http://schemas.openxmlformats.org/"
    files = {
        "[Content_Types].xml": f'<Types xmlns="{ns}package/2006/content-types"><Default Extension="rels" '
        f'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{ns}package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{ns}officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{ns}spreadsheetml/2006/main" xmlns:r="{ns}officeDocument/2006/'
        'relationships"><sheets><sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}package/2006/relationships"><Relationship '
        f'Id="rId1" Type="{ns}officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


def xlsx_bytes(sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None) -> bytes:
    """A workbook with one sheet per (name, rows), as an editor's budget attachment; `merges`
    gives each sheet's merged ranges (offices merge their title rows)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cells in (merges or {}).get(name, []):
            ws.merge_cells(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def budget_xlsx() -> bytes:
    return xlsx_bytes({
        "收支总表": [["项目", "预算数（万元）"], ["一般公共预算财政拨款收入", 1200.5], ["支出合计", 1200.5]],
        "政府性基金预算支出表": [["项目", "预算数（万元）"], ["本表无数据"], ["说明：本单位无政府性基金收支。"]],
        "“三公”经费支出表": [["项目", "预算数（万元）"], ["因公出国（境）费", 10], ["公务用车购置及运行维护费", 12.5],
                        ["公务接待费", 3]],
    })
