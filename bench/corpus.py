"""Benchmark sites made from ../shared/corpus/laws: xxgk entries across the four columns, and the
same Markdown with plain Pelican metadata for the bare-Pelican baseline.

Documents come from bench/search_bench.py (`load_corpus`, `variant`): the corpus itself first,
then varied copies (titles, dates, openings) up to any size.  Sites are written into a folder
the caller gives (a temporary one), never into content/.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

from bench import search_bench as sb  # noqa: E402  (corpus loading shared with the search benchmark)

TODAY = "2025-12-31"  # the build's today in bench sites: every entry is public on it
# Columns in the shares a district office's history has: notices and policies most, budgets least.
CYCLE = ("tzgg", "zcwj", "tzgg", "xzcf", "zcwj", "tzgg", "czyjs", "zcwj", "xzcf", "tzgg")
COLUMN_NAMES = {"tzgg": "通知公告", "xzcf": "行政处罚公示", "czyjs": "财政预算决算", "zcwj": "政策文件"}
GENRES = ("通知", "公告", "通告", "意见", "决定", "通报", "函", "其他")
POLICY_KINDS = ("规章", "行政规范性文件", "其他政策文件")
# Attachments are the demo site's own generated files (read from content/, never written there).
PDF = ROOT / "content" / "czyjs" / "2025" / "files" / "2025-bj-budget.pdf"
XLSX = ROOT / "content" / "czyjs" / "2025" / "files" / "2025-bj-budget.xlsx"
EDIT_TEXT = "\n\n本条为基准测试的修改：新增一段文字。\n"


@dataclass
class Doc:
    n: int
    column: str
    year: int
    serial: int
    title: str
    date: dt.date
    body: str
    attachments: tuple[Path, ...]

    @property
    def rel(self) -> str:
        return f"{self.column}/{self.year}/{self.year}-{self.serial:05d}.md"


def _public_date(n: int, column: str, date: dt.date) -> dt.date:
    """A date an office would have published on (2001–2025); penalties within their 3-year publicity."""
    if column == "xzcf":
        return dt.date(2023 + n % 3, date.month, min(date.day, 28))
    year = date.year if 2001 <= date.year <= 2025 else 2001 + date.year % 25
    return dt.date(year, date.month, min(date.day, 28))


def documents(laws: list[sb.Law], count: int) -> list[Doc]:
    serials: dict[int, int] = {}
    out = []
    for n in range(count):
        law, title = sb.variant(laws, n)
        column = CYCLE[n % len(CYCLE)]
        date = _public_date(n, column, law.date)
        serials[date.year] = serials.get(date.year, 0) + 1
        files: tuple[Path, ...] = ()
        if column == "czyjs":
            files = (PDF, XLSX) if n % 50 == 6 else (PDF,)
        elif column == "tzgg" and n % 20 == 0:
            files = (PDF,)
        out.append(Doc(n, column, date.year, serials[date.year], title[:200], date, law.body, files))
    return out


def _summary(doc: Doc) -> str:
    first = next((ln.strip() for ln in doc.body.splitlines() if ln.strip() and not ln.startswith("#")), "")
    return re.sub(r"\s+", " ", first)[:120] or doc.title


def _fields(doc: Doc, settings: dict) -> dict:
    n = doc.n
    topic = settings["TOPICS"][n % len(settings["TOPICS"])][0]
    publisher = settings["PUBLISHERS"][n % len(settings["PUBLISHERS"])][0]
    written = doc.date - dt.timedelta(days=2)
    values: dict = {"title": doc.title, "topic": topic, "publisher": publisher,
                    "written_date": written.isoformat(), "date": doc.date.isoformat(),
                    "genre": GENRES[n % len(GENRES)], "summary": _summary(doc)}
    if n % 3 == 0:
        values["doc_no"] = f"津东疆管发〔{doc.year}〕{doc.serial}号"
    if n % 2 == 0:
        values["keywords"] = "、".join(w for w in ("政务公开", "安全生产", "营商环境", "港口", "财政")[n % 3:n % 3 + 3])
    if doc.column == "xzcf":
        values.update(genre="决定", party_name=f"天津某某{n}号物流有限公司", party_type="法人及非法人组织",
                      credit_code="91120116MA05ABCD1K", legal_rep="李某某",
                      decision_no=f"津东疆市监罚〔{doc.year}〕{doc.serial}号", violation_type="未按规定公示年度报告",
                      facts="经查，当事人未按规定公示年度报告。", basis="《企业信息公示暂行条例》第十七条",
                      penalty_categories="罚款", penalty_content="罚款人民币五万元。", fine=5,
                      decision_date=written.isoformat(), authority="东疆综合保税区市场监督管理局")
    elif doc.column == "czyjs":
        # A department's budgets and final accounts over the years (its "三公" chart has a point each).
        values.update(genre="报告", fiscal_year=doc.year, budget_kind=("预算", "决算")[n % 2],
                      department=publisher,
                      approval_date=(doc.date - dt.timedelta(days=10)).isoformat())
    elif doc.column == "zcwj":
        values.update(policy_kind=POLICY_KINDS[n % len(POLICY_KINDS)])
    if doc.attachments:
        values["attachments"] = [{"file": f"files/{doc.year}-{doc.serial:05d}{p.suffix}", "title": f"附件{i + 1}"}
                                 for i, p in enumerate(doc.attachments)]
    return values


def _copy_attachments(doc: Doc, folder: Path) -> None:
    for p in doc.attachments:
        target = folder / "files" / f"{doc.year}-{doc.serial:05d}{p.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        data = p.read_bytes()
        if p.suffix == ".pdf":  # every PDF its own bytes (a comment after %%EOF), as on a real site
            data += f"\n% xxgk bench attachment {doc.n}\n".encode()
        target.write_bytes(data)


def write_xxgk(docs: list[Doc], site: Path) -> None:
    """`site`/content as an xxgk site: the statutory pages and one entry per document."""
    from pelicanconf import XXGK
    from tests.sitekit import ORG, Site, front_matter

    Site(site)  # the statutory and footer pages every site must have
    content = site / "content"
    for doc in docs:
        values = {**_fields(doc, XXGK), "index_no": f"{ORG}/{doc.year}-{doc.serial:05d}"}
        path = content / doc.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front_matter(values) + doc.body + "\n", encoding="utf-8")
        _copy_attachments(doc, path.parent)


BARE_CONF = '''# Bare Pelican: no plugins, its simple theme; paginated like xxgk's listings.
PATH = "content"
SITENAME = "bench"
SITEURL = ""
THEME = "simple"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
DEFAULT_PAGINATION = 20
PLUGINS = []
STATIC_PATHS = ["tzgg", "czyjs"]
RELATIVE_URLS = True
'''


def write_bare(docs: list[Doc], site: Path) -> None:
    """`site`/content with the same Markdown bodies and plain Pelican metadata, and its settings."""
    content = site / "content"
    for doc in docs:
        head = (f"Title: {doc.title}\nDate: {doc.date.isoformat()}\nCategory: {COLUMN_NAMES[doc.column]}\n"
                f"Slug: {doc.year}-{doc.serial:05d}\nSummary: {_summary(doc)}\n\n")
        path = content / doc.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(head + doc.body + "\n", encoding="utf-8")
        _copy_attachments(doc, path.parent)
    (site / "pelicanconf.py").write_text(BARE_CONF, encoding="utf-8")


def edit_one(site: Path, docs: list[Doc], round_: int = 0) -> Path:
    """Append a paragraph to one document (a different one each round) and return its path."""
    doc = docs[(len(docs) // 2 + round_ * 7) % len(docs)]
    path = site / "content" / doc.rel
    with path.open("a", encoding="utf-8") as fh:
        fh.write(EDIT_TEXT)
    return path


__all__ = ["Doc", "TODAY", "documents", "edit_one", "write_bare", "write_xxgk"]
