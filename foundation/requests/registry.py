"""Open the register of applications (records, the working-day calendar, computed progress)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .deadlines import Progress, compute
from .errors import RecordsError
from .records import Record, load_records
from .stats import YearStats, year_stats
from .workdays import WorkCalendar, load_calendar


def site_path(site_root: Path, value: str) -> Path:
    """A folder setting, relative to the site folder (the one holding content/) unless absolute."""
    path = Path(value)
    return path if path.is_absolute() else site_root / path


@dataclass
class Register:
    site_root: Path
    folder: Path
    calendar: WorkCalendar
    today: dt.date
    records: list[Record] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)

    def stats(self, year: int | None = None) -> YearStats:
        return year_stats(self.progress, year or self.today.year)

    def stats_by_year(self) -> dict[int, YearStats]:
        return {y: year_stats(self.progress, y) for y in sorted({r.year for r in self.records} | {self.today.year})}

    @property
    def warnings(self) -> list[str]:
        return list(dict.fromkeys(w for p in self.progress for w in p.warnings))


def open_register(site_root: Path, xxgk: dict[str, Any], today: dt.date | None = None) -> Register:
    """Load and check every record and holiday file; raise RecordsError with every problem."""
    folder = site_path(site_root, xxgk["APPLICATIONS_PATH"])
    calendar = load_calendar(site_path(site_root, xxgk["HOLIDAYS_PATH"]), site_root)
    register = Register(site_root, folder, calendar, today or xxgk["TODAY"])
    register.records = load_records(folder, site_root)
    register.progress = [compute(r, calendar, register.today) for r in register.records]
    problems = [p for pr in register.progress for p in pr.problems]
    if problems:
        raise RecordsError(problems)
    return register
