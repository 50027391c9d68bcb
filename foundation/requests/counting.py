"""Counting working days after a start day, every skipped day explained.

Practice, by analogy with 民事诉讼法 第八十五条: the day of receipt is not counted;
day 1 is the first working day after it.  A consultation (第三十三条第三款 with
第三十二条 and 第三十四条) pauses the clock from the day after it starts through the
day it ends.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from . import terms
from .workdays import WorkCalendar, fmt

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Pause:
    """A consultation (第三十二条 third party / 第三十四条 other agency) that stops the clock."""

    party: str
    start: dt.date
    end: dt.date | None
    excluded: int | None = None      # working days not counted (None: still running or unknown year)

    @property
    def label(self) -> str:
        return terms.CONSULTED[self.party]

    def covers(self, day: dt.date) -> bool:
        return self.start < day and (self.end is None or day <= self.end)

    def text(self) -> str:
        if self.end is None:
            return f"{self.label}：{self.start.isoformat()} 开始，尚未结束，期间不计算答复期限（第三十三条第三款）"
        days = f"，不计算 {self.excluded} 个工作日" if self.excluded is not None else ""
        return (f"{self.label}：{self.start.isoformat()} 至 {self.end.isoformat()}{days}"
                "（第三十三条第三款）")


@dataclass(frozen=True)
class Count:
    """The outcome of counting `needed` working days after `start`."""

    start: dt.date
    needed: int
    due: dt.date | None                # None while a consultation is still running
    counted: int
    notes: tuple[str, ...]
    checked_through: dt.date           # last day looked at


class _Explanation:
    """The notes of one count: each run of holidays on one line, weekends summed up at the end."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.weekends: list[dt.date] = []
        self.run: list[dt.date] = []
        self.run_name = ""

    def flush(self) -> None:
        """Close the current run of holidays into one note."""
        if self.run:
            run = self.run
            span = fmt(run[0]) if len(run) == 1 else f"{fmt(run[0])}至 {fmt(run[-1])}"
            self.notes.append(f"跳过 {span}：{self.run_name}放假（{len(run)} 天）")
        self.run, self.run_name = [], ""

    def skipped(self, day: dt.date, holiday: str, working: bool) -> bool:
        """Note `day` if it is not a working day (True then): a holiday joins its run."""
        if working:
            self.flush()
            return False
        if holiday:
            if self.run and self.run_name != holiday:
                self.flush()
            self.run.append(day)
            self.run_name = holiday
        else:
            self.flush()
            self.weekends.append(day)
        return True

    def paused(self, pause: Pause, counted: int, needed: int) -> None:
        """A consultation stops the clock (第三十三条第三款)."""
        self.flush()
        if pause.end is None:
            self.notes.append(f"{fmt(pause.start)}开始{pause.label}，期限暂停计算（第三十三条第三款）："
                              f"已计 {counted} 个工作日，尚余 {needed - counted} 个工作日，征求意见结束后次日起继续计算")
        else:
            self.notes.append(f"{fmt(pause.start)}开始{pause.label}，至 {fmt(pause.end)}结束，期间不计算期限"
                              f"（第三十三条第三款）；此前已计 {counted} 个工作日，{pause.end.isoformat()} 次日起继续计算")

    def close(self, cal: WorkCalendar, due: dt.date | None, needed: int, years: list[int]) -> tuple[str, ...]:
        """Every note, with the weekends, the last day and the holiday notices relied on."""
        self.flush()
        if self.weekends:
            self.notes.append(f"跳过周末 {len(self.weekends)} 天：" + "、".join(d.isoformat() for d in self.weekends))
        if due is not None:
            self.notes.append(f"第 {needed} 个工作日是 {fmt(due)}，为期限的最后一天")
        if years:
            self.notes.append("节假日和调休依据：" + "；".join(cal.source(y) for y in years))
        return tuple(self.notes)


def count_working_days(cal: WorkCalendar, start: dt.date, needed: int,
                       pauses: Iterable[Pause] = ()) -> Count:
    """Count `needed` working days after `start`, skipping paused days; explain every skipped day.

    Raises UnknownYearError when the count reaches a year without official holiday data.
    """
    pauses = sorted(pauses, key=lambda p: p.start)
    explained = _Explanation()
    years: list[int] = []
    counted, day, due = 0, start, None
    while counted < needed:
        day += ONE_DAY
        pause = next((p for p in pauses if p.covers(day)), None)
        if pause is not None:
            explained.paused(pause, counted, needed)
            if pause.end is None:
                day -= ONE_DAY
                break
            day = pause.end
            continue
        info = cal.day(day)
        if day.year not in years:
            years.append(day.year)
        if explained.skipped(day, info.holiday, info.working):
            continue
        counted += 1
        if info.is_makeup:
            explained.notes.append(f"{fmt(day)}是{info.holiday}调休上班日，计为第 {counted} 个工作日")
    else:
        due = day
    return Count(start, needed, due, counted, explained.close(cal, due, needed, years), day)


__all__ = ["Count", "ONE_DAY", "Pause", "count_working_days"]
