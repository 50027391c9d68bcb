"""Domain exceptions and the problem record every check reports with."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one source file, phrased for an editor."""

    path: str
    line: int
    field: str
    message: str
    severity: str = "error"  # "error" fails the build, "warning" is only shown
    code: str = ""           # a machine-readable kind where callers need one ("missing")

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "警告: "
        return f"{self.where}: {self.field}: {prefix}{self.message}"

    @property
    def where(self) -> str:
        """`path:line` (just the path for a whole-file problem), as editors open it."""
        return f"{self.path}:{self.line}" if self.line else self.path

    def logged(self) -> str:
        """The problem as a build prints it after 「警告: 」 or 「错误: 」: without the severity again."""
        return f"{self.where}: {self.field}: {self.message}"


class XxgkError(Exception):
    """Base of every error xxgk raises on purpose."""


class SettingsError(XxgkError):
    """The site settings are missing something or hold a wrong value."""


class ContentError(XxgkError):
    """One or more content files are invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
