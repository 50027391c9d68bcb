"""Exceptions of the applications plugin (依申请公开)."""
from __future__ import annotations

from foundation.errors import ContentError, XxgkError

HOLIDAY_DOCS = "docs/applications.md「录入下一年的节假日安排」"


class ApplicationsError(XxgkError):
    """Something about disclosure applications that an editor or operator must fix."""


class UnknownYearError(ApplicationsError):
    """A working-day count reached a year without an official holiday notice on file."""

    def __init__(self, year: int, covered: str, folder: str):
        self.year = year
        super().__init__(
            f"{year} 年的节假日安排没有官方数据（已有 {covered} 年），无法计算跨入 {year} 年的期限；"
            f"本程序不推测节假日。请在国务院办公厅发布《关于{year}年部分节假日安排的通知》后，"
            f"把通知中的放假日期和调休上班日期录入 {folder}/{year}.yaml（格式见 {HOLIDAY_DOCS}），"
            "然后重新运行。")


class RecordsError(ContentError):
    """One or more application records (or holiday files) are invalid; carries every problem."""
