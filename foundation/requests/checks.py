"""The problems of one record file, collected with the lines they are on."""
from __future__ import annotations

import datetime as dt
from typing import Any

from foundation.errors import Problem
from foundation.validate import as_date, impossible_date, suggestion

from . import yamlsource


class Checker:
    """Collects the problems of one record file."""

    def __init__(self, src: yamlsource.Located, label: str):
        self.src = src
        self.label = label
        self.problems: list[Problem] = list(src.problems)

    def add(self, path: tuple[Any, ...], name: str, message: str) -> None:
        self.problems.append(Problem(self.label, self.src.line(*path), name, message))

    def date(self, path: tuple[Any, ...], name: str, value: Any, what: str) -> dt.date | None:
        day = as_date(value)
        if day is not None:
            return day
        shown = "缺少" if value is None else (impossible_date(value) or f"「{value}」不是有效日期，")
        self.add(path, name, f"{shown}（expected {what}，格式 YYYY-MM-DD）")
        return None

    def choice(self, path: tuple[Any, ...], name: str, value: Any, options: tuple[str, ...] | list[str],
               what: str, meanings: dict[str, str] | None = None) -> str:
        if not isinstance(value, str) or not value.strip():
            self.add(path, name, f"缺少{what}（expected 其一：{'、'.join(options)}）")
            return ""
        value = value.strip()
        if value not in options:
            hint = suggestion(value, options, meanings or {})
            self.add(path, name, f"「{value}」不在允许的取值中{hint}（expected 其一：{'、'.join(options)}）")
            return ""
        return value
