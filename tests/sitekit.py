"""The tests' shared helpers: small sites written from keyword arguments and built into tmp_path,
site folders for the command line, application records, files editors attach, and waiting for
a moment a test can observe."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import time
from pathlib import Path
from typing import Any, Callable

import yaml

from foundation.requests import codes
from foundation.requests.records import Record, parse_record
from foundation.schema import REQUIRED_PAGES
from xxgk.build import BuildResult, build, load_settings

ROOT = Path(__file__).resolve().parent.parent
ORG = "11120116MB1K23456X"
TODAY = "2024-12-31"  # the build's today in fixture sites: after their dates, inside every period
DEMO_TODAY = "2026-11-27"  # the demo content (content/, applications/) is written as of this day

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


def make_root(tmp_path: Path, today: str = TODAY) -> Path:
    """A site folder as `xxgk --root` expects it: the project's settings (with a fixed today) and
    theme, the required pages, and no entries yet."""
    root = tmp_path / "site"
    root.mkdir(parents=True)
    conf = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    conf = conf.replace('"PUBLISHERS": [', f'"TODAY": "{today}",\n    "PUBLISHERS": [', 1)
    (root / "pelicanconf.py").write_text(conf, encoding="utf-8")
    shutil.copy(ROOT / "publishconf.py", root / "publishconf.py")
    shutil.copytree(ROOT / "theme", root / "theme")
    pages = Site(tmp_path / "pages-source")
    shutil.copytree(pages.content / "pages", root / "content/pages")
    return root


def write_content(root: Path, rel: str, text: str) -> Path:
    """Write `text` to content/`rel` of a site folder made by make_root."""
    path = root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def wait_until(condition: Callable[[], object], what: str, timeout: float = 120, every: float = 0.05) -> None:
    """Return once `condition()` is true; fail the test after `timeout` seconds (`what` says what
    was awaited). Tests act at an observable moment, never after a sleep that hopes it has come."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(every)


# ------------------------------------------------------------------ application records

# A code hash that is well-formed; records built with it need no 600 000 PBKDF2 rounds.
FAKE_HASH = f"{codes.SCHEME}${codes.ITERATIONS}${'ab' * 32}"


def record_yaml(number: str = "DJ-2026-0001", code: str = "ABCD-EFGH-JK", *, stored: str | None = None,
                channel: str = "网络", received: str = "2026-03-02", category: str = "自然人",
                subject: str = "申请公开2025年港区道路养护合同", events: list[dict[str, Any]] | None = None,
                **extra: Any) -> str:
    """The text of a record file (code_hash computed unless `stored` is given)."""
    values: dict[str, Any] = {
        "number": number, "code_hash": stored or codes.code_hash(number, code), "channel": channel,
        "received": received, "applicant_category": category, "subject": subject, **extra,
        "events": events or [],
    }
    return yaml.safe_dump(values, allow_unicode=True, sort_keys=False)


def write_record(folder: Path, number: str = "DJ-2026-0001", **kw: Any) -> Path:
    """A record file in `folder` (an applications/ folder), under its year as the register keeps it."""
    year = number.split("-")[1]
    path = folder / year / f"{number}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(record_yaml(number, **kw), encoding="utf-8")
    return path


def make_record(received: dt.date, events: list[dict[str, Any]] | None = None, channel: str = "网络",
                number: str | None = None) -> Record:
    """A checked Record without touching the disk (fails the test on any problem)."""
    number = number or f"DJ-{received.year}-0001"
    text = record_yaml(number, stored=FAKE_HASH, channel=channel, received=received.isoformat(),
                       events=[{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in e.items()}
                               for e in events or []])
    record, problems = parse_record(text, f"applications/{received.year}/{number}.yaml")
    assert record is not None, [str(p) for p in problems]
    return record


# ------------------------------------------------------------------ files editors attach

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


VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def vnu_errors(pages: list[str], after: str, timeout: int) -> list[str]:
    """The Nu HTML Checker's errors on `pages`, each as `name:line: message` (the name is the
    part of the page's URL after `after`)."""
    import json
    import subprocess

    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                          capture_output=True, text=True, timeout=timeout)
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    return [f"{m.get('url', '').rsplit(after, 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
            if m.get("type") == "error"]
