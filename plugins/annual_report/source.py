"""Report files: content/nb/<year>.md, front matter checked by the schema, narrative split by section.

The front matter is checked by the content schema (REPORT_FIELDS) with the
same messages as every entry.  The body holds the sections editors write
(一、五、六 of 国办公开办函〔2021〕30号) as ``## `` headings, with optional text
before the first; sections 二、三、四 are computed and may not be written.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from foundation import frontmatter
from foundation.markup import render_markdown
from foundation.schema import REPORTS_KEY
from foundation.validate import check_entry
from foundation.errors import Problem

from .layout import COMPUTED, NARRATIVE

BODY = "正文"
_HEADING = re.compile(r"^##(?!#)\s*(?P<text>.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class Section:
    title: str
    line: int
    markdown: str

    @property
    def html(self) -> str:
        return render_markdown(self.markdown)


@dataclass
class ReportSource:
    """One checked report file."""

    label: str                                  # content/nb/2023.md
    values: dict[str, Any]
    lines: dict[str, int]
    preamble: str = ""                          # Markdown before the first section
    sections: dict[str, Section] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.values["year"]

    @property
    def date(self) -> dt.date:
        return self.values["date"]

    @property
    def draft(self) -> bool:
        return self.values.get("status") == "draft"

    def line(self, name: str) -> int:
        return self.lines.get(name, 1)


def read_reports(content: Path, settings: dict[str, Any]) -> tuple[list[ReportSource], list[Problem]]:
    """Every report under content/nb/, checked; invalid ones are left out and their problems returned."""
    folder = content / REPORTS_KEY
    reports: list[ReportSource] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return reports, problems
    for path in sorted(folder.rglob("*.md")):
        report, found = read_report(path, content, settings)
        problems += found
        if report is not None:
            reports.append(report)
    return reports, problems


def read_report(path: Path, content: Path, settings: dict[str, Any]) -> tuple[ReportSource | None, list[Problem]]:
    """Check one report file; return it (None when it has errors) and every problem."""
    label = f"content/{path.relative_to(content).as_posix()}"
    parsed = frontmatter.split(path.read_bytes(), label)
    if parsed.problems:
        return None, parsed.problems
    checked = check_entry(parsed.values, parsed.lines, REPORTS_KEY, label, path.parent, settings)
    problems = list(checked.problems)
    report = ReportSource(label, checked.values, parsed.lines)
    if "year" in report.values:
        problems += _place(report, path, content)
        if "date" in report.values and report.date.year <= report.year:
            # 条例 第四十九条: a report covers a whole year and is published in the next one.
            problems.append(Problem(label, report.line("date"), "date",
                                    f"发布日期 {report.date} 不在报告年度 {report.year} 结束之后（expected "
                                    f"{report.year + 1}-01-01 或以后；条例 第四十九条：于次年1月31日前公布）"))
        elif "date" in report.values:
            problems += _late(report, settings["REPORT_DUE"])
    problems += _split_body(report, parsed.body, parsed.body_line)
    return (None if any(p.severity == "error" for p in problems) else report), problems


def _late(report: ReportSource, due: str) -> list[Problem]:
    """Warn when the report came out after its due day (条例 第四十九、五十条: 1月31日 / 3月31日)."""
    month, day = (int(x) for x in due.split("-"))
    deadline = dt.date(report.year + 1, month, day)
    if report.date <= deadline:
        return []
    return [Problem(report.label, report.line("date"), "date",
                    f"{report.year}年年报于 {report.date} 发布，晚于 {deadline}（条例 第四十九、五十条规定的公布期限）",
                    "warning")]


def _place(report: ReportSource, path: Path, content: Path) -> list[Problem]:
    """The file is content/nb/<year>.md, so each year has one report at a stable address."""
    expected = content / REPORTS_KEY / f"{report.year}.md"
    if path == expected:
        return []
    return [Problem(report.label, report.line("year"), "year",
                    f"文件名与报告年度 {report.year} 不一致（expected 文件 content/{REPORTS_KEY}/{report.year}.md，"
                    f"发布在 /{REPORTS_KEY}/{report.year}.html）")]


_Bad = Callable[[int, str], None]
_EXPECTED = "、".join(f"## {t}" for t in NARRATIVE)


def _split_body(report: ReportSource, body: str, first_line: int) -> list[Problem]:
    """Fill report.preamble and report.sections from `body`; return the problems of its structure."""
    problems: list[Problem] = []
    label = report.label

    def bad(line: int, message: str) -> None:
        problems.append(Problem(label, line, BODY, message))

    chunks = _chunks(report, body, first_line, bad)
    report.preamble = "\n".join(chunks[0][2]).strip()
    for title, line, text in chunks[1:]:
        report.sections[title].markdown = "\n".join(text).strip()
        if not report.sections[title].markdown:
            bad(line, f"「{title}」部分没有内容（expected 标题下写这一部分的正文）")
    _check_order(report, first_line, bad)
    return problems


def _chunks(report: ReportSource, body: str, first_line: int, bad: _Bad) -> list[tuple[str | None, int, list[str]]]:
    """The body cut at its narrative headings (## outside code fences): the preamble, then one
    (title, line, lines) a section, each section also entered in report.sections."""
    chunks: list[tuple[str | None, int, list[str]]] = [(None, first_line, [])]
    fenced = False
    for offset, text in enumerate(body.split("\n")):
        line = first_line + offset
        if _FENCE.match(text):
            fenced = not fenced
        m = None if fenced else _HEADING.match(text)
        title = _section_title(report, re.sub(r"\s+", "", m["text"]), line, bad) if m else None
        if title is None:
            chunks[-1][2].append(text)
            continue
        report.sections[title] = Section(title, line, "")
        chunks.append((title, line, []))
    return chunks


def _section_title(report: ReportSource, title: str, line: int, bad: _Bad) -> str | None:
    """A heading's title if it starts a section the editor writes, else None (with why)."""
    if title in COMPUTED:
        bad(line, f"「{title}」由系统根据本网站的信息和依申请公开记录生成，正文中不要写这一部分"
                  f"（expected 正文只写 {_EXPECTED}）")
        return None
    if title not in NARRATIVE:
        near = difflib.get_close_matches(title, NARRATIVE, n=1, cutoff=0.5)
        hint = f"，是否应为「{near[0]}」？" if near else ""
        bad(line, f"「{title}」不是年度报告由编辑撰写的部分{hint}（expected 二级标题只用 {_EXPECTED}；"
                  "部分内的小标题用 ###）")
        return None
    if title in report.sections:
        bad(line, f"「{title}」重复出现（第 {report.sections[title].line} 行已有），请合并为一部分")
        return None
    return title


def _check_order(report: ReportSource, first_line: int, bad: _Bad) -> None:
    """Every narrative section, in the national format's order (国办公开办函〔2021〕30号)."""
    order = [t for t in NARRATIVE if t in report.sections]
    written = list(report.sections)
    if written != order:
        first_wrong = next(w for w, o in zip(written, order, strict=True) if w != o)
        bad(report.sections[first_wrong].line,
            f"「{first_wrong}」的位置不对（expected 按国家格式的顺序：{_EXPECTED}）")
    for title in NARRATIVE:
        if title not in report.sections:
            bad(first_line, f"缺少「## {title}」部分（expected 正文依次写 {_EXPECTED}，"
                            "国办公开办函〔2021〕30号）")
