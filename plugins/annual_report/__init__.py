"""Annual report plugin (政府信息公开工作年度报告, 条例 第四十九、五十条).

Editors write one content/nb/<year>.md: the narrative sections and the
figures only the office's ledgers hold.  The build computes Table 二 from the
site's policies and penalties and Table 三 from the application records,
lays the tables out as 国办公开办函〔2021〕30号 does, fails on any identity
of the template that does not hold, and publishes /nb/<year>.html, listed on
/nb/ (context ANNUAL_REPORTS).  See docs/annual_report.md.
"""
from __future__ import annotations

from typing import Any


def get_generators(pelican: Any) -> type:
    from .generator import AnnualReportGenerator

    return AnnualReportGenerator


def register() -> None:
    from pelican import signals

    signals.get_generators.connect(get_generators)
