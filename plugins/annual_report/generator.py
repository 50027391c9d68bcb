"""The annual report generator: compute each year's report, check it, and write /nb/<year>.html."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.generators import Generator

from foundation.requests.deadlines import Progress
from foundation.requests.registry import open_register
from foundation import build_state
from foundation.display import Link, as_datetime
from foundation.markup import render_markdown
from foundation.schema import REPORTS_KEY, SECTION_REPORTS
from foundation.errors import Problem

from . import layout as L
from .source import ReportSource, read_reports
from .table2 import table_two
from .table3 import check_identities, rates, table_three
from .table4 import table_four
from .view import ReportView, SectionView, table_four_view, table_three_view, table_two_view

TITLE = "{org}{year}年政府信息公开工作年度报告"


def build_report(src: ReportSource, entries: list[Any], progress: list[Progress],
                 settings: dict[str, Any]) -> tuple[ReportView, list[Problem]]:
    """The view of one report and every problem its figures have."""
    t3 = table_three(progress, src.year)
    problems = check_identities(t3, src.label, src.line("year"))
    groups, found = table_four(src.values, src.lines, src.label)
    problems += found
    sections: list[SectionView] = []
    for title in L.SECTIONS:
        if title in src.sections:
            sections.append(SectionView(title, html=src.sections[title].html))
        elif title == L.SECTIONS[1]:
            sections.append(SectionView(title, tables=[table_two_view(table_two(entries, src.year, src.values))]))
        elif title == L.SECTIONS[2]:
            sections.append(SectionView(title, tables=[table_three_view(t3)], rates=rates(t3)))
        else:
            sections.append(SectionView(title, tables=[table_four_view(groups)]))
    url = f"{REPORTS_KEY}/{src.year}.html"
    title = src.values.get("title") or TITLE.format(org=settings["ORG_NAME"], year=src.year)
    view = ReportView(
        year=src.year, title=title, date=as_datetime(src.date), url=url, save_as=url,
        period=f"本报告所列数据的统计期限自{src.year}年1月1日起至{src.year}年12月31日止。",
        preamble=render_markdown(src.preamble) if src.preamble else "", sections=sections,
        published=not src.draft and src.date <= settings["TODAY"])
    return view, problems


def all_entries(context: dict[str, Any]) -> list[Any]:
    """Every entry read in this build, published or not (as crosscheck.entries_of, from the context)."""
    return [*context.get("articles", []), *context.get("drafts", []), *context.get("hidden_articles", [])]


class AnnualReportGenerator(Generator):
    """Publish one report per year under 政府信息公开年报 (条例 第四十九、五十条)."""

    reports: list[ReportView]

    def generate_context(self) -> None:
        settings = self.settings["XXGK_RESOLVED"]
        content = Path(self.settings["PATH"]).resolve()
        sources, problems = read_reports(content, settings)
        views: list[ReportView] = []
        if sources:
            register = open_register(content.parent, settings)
            entries = all_entries(self.context)
            for src in sources:
                view, found = build_report(src, entries, register.progress, settings)
                views.append(view)
                problems += found
        # Reported with every other content problem when all generators are done.
        build_state.of(self.settings).problems.extend(dict.fromkeys(problems))
        self.reports = sorted((v for v in views if v.published), key=lambda v: v.year, reverse=True)
        self.context["ANNUAL_REPORTS"] = self.reports

    def generate_output(self, writer: Any) -> None:
        reports_title, reports_url = SECTION_REPORTS
        for report in self.reports:
            writer.write_file(report.save_as, self.get_template("annual_report"), self.context,
                              relative_urls=self.settings["RELATIVE_URLS"], url=report.url, page_url=report.url,
                              page_title=report.title, report=report,
                              breadcrumbs=[Link("首页", ""), Link(reports_title, reports_url)])


__all__ = ["AnnualReportGenerator", "all_entries", "build_report"]
