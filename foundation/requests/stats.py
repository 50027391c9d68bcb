"""依申请公开 figures of a year, computed from the records (shown on the tracker and the home page)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import terms
from .deadlines import Progress


@dataclass(frozen=True)
class YearStats:
    """依申请公开 figures of one year, over the applications received in it (status as of today)."""

    year: int
    received: int = 0
    answered: int = 0
    on_time: int = 0
    withdrawn: int = 0
    open: int = 0
    overdue: int = 0        # still open after the deadline that applies (第三十三条)
    by_outcome: dict[str, int] = field(default_factory=dict)

    @property
    def closed(self) -> int:
        """办结: answered or withdrawn."""
        return self.answered + self.withdrawn

    @property
    def completion_rate(self) -> str:
        """办结率 = 办结 / 收到, as a percentage."""
        return f"{round(100 * self.closed / self.received)}%" if self.received else "—"

    @property
    def in_progress(self) -> int:
        """办理中: open and within the deadline (not yet late, so not counted against the office)."""
        return self.open - self.overdue

    @property
    def on_time_rate(self) -> str:
        return f"{round(100 * self.on_time / self.answered)}%" if self.answered else "—"


def year_stats(progresses: Iterable[Progress], year: int) -> YearStats:
    """Count the applications received in `year`."""
    mine = [p for p in progresses if p.record.received.year == year]
    outcomes = {name: sum(1 for p in mine if p.outcome == name) for name in terms.OUTCOMES}
    return YearStats(
        year, len(mine), sum(p.status == "answered" for p in mine), sum(p.on_time is True for p in mine),
        sum(p.status == "withdrawn" for p in mine), sum(not p.closed for p in mine),
        sum(not p.closed and bool(p.overdue_days) for p in mine),
        {k: v for k, v in outcomes.items() if v})


__all__ = ["YearStats", "year_stats"]
