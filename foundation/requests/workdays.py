"""Working days in China: official holidays and 调休 working weekends, never guessed.

The days off and the weekend days that become working days (调休) are fixed
each year by a State Council notice under 《全国年节及纪念日放假办法》; the
statutory holidays themselves are listed in its 第二条.  `chinesecalendar`
carries the notices of 2004–2026.  For a later year the office adds the
notice as a data file (``data/holidays/2027.yaml``, see docs/applications.md);
a file replaces the library's data for its year, so it can also correct it.
A date in a year with neither raises `UnknownYearError`: a deadline computed
from guessed holidays would be wrong law (../shared/domain.md §4).
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, Callable, Iterable

import chinese_calendar

from foundation.validate import as_date
from foundation.errors import Problem

from . import yamlsource
from .errors import RecordsError, UnknownYearError
from .yamlsource import label_of

WEEKDAYS = "一二三四五六日"
# 《全国年节及纪念日放假办法》第二条: the holidays every citizen has off.
OFFICIAL_HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
_LIBRARY_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}
LIBRARY = f"chinesecalendar {version('chinesecalendar')}"
DEFAULT_FOLDER = "data/holidays"


def fmt(day: dt.date) -> str:
    """A date as editors and applicants read it: 2026-02-14（周六）."""
    return f"{day.isoformat()}（周{WEEKDAYS[day.weekday()]}）"


@dataclass(frozen=True)
class Day:
    """One calendar day: working or not, and the holiday it belongs to or is 调休 for."""

    date: dt.date
    working: bool
    holiday: str = ""

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def is_makeup(self) -> bool:
        """A weekend day that is a working day because of 调休."""
        return self.working and self.is_weekend

    @property
    def reason(self) -> str:
        """Why the day is not a working day (empty for working days)."""
        if self.working:
            return ""
        return f"{self.holiday}放假" if self.holiday else "周末"


@dataclass(frozen=True)
class YearNotice:
    """The holiday arrangement of one year: days off and 调休 working days, with its source."""

    year: int
    source: str
    off: dict[dt.date, str] = field(default_factory=dict)
    on: dict[dt.date, str] = field(default_factory=dict)


def _library_name(english: str) -> str:
    chinese = chinese_calendar.Holiday(english).chinese
    return _LIBRARY_NAMES.get(chinese, chinese)


def library_notices() -> list[YearNotice]:
    """The arrangements chinesecalendar carries, one per year, with official holiday names."""
    by_year: dict[int, YearNotice] = {}
    for day, english in chinese_calendar.holidays.items():
        notice = by_year.setdefault(day.year, YearNotice(day.year, _library_source(day.year)))
        notice.off[day] = _library_name(english)
    for day, english in chinese_calendar.workdays.items():
        notice = by_year.setdefault(day.year, YearNotice(day.year, _library_source(day.year)))
        notice.on[day] = _library_name(english)
    return [by_year[y] for y in sorted(by_year)]


def _library_source(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知（{LIBRARY} 所载数据）"


class WorkCalendar:
    """Working days from official notices: chinesecalendar, overridden year by year by data files."""

    def __init__(self, notices: Iterable[YearNotice] = (), folder: str = DEFAULT_FOLDER):
        self.folder = folder
        files = list(notices)
        file_years = {n.year for n in files}
        self._sources: dict[int, str] = {}
        self._special: dict[dt.date, Day] = {}
        for notice in library_notices():
            if notice.year not in file_years:
                self._add(notice)
        for notice in files:
            self._add(notice)

    def _add(self, notice: YearNotice) -> None:
        self._sources[notice.year] = notice.source
        for day, name in notice.off.items():
            self._special[day] = Day(day, False, name)
        for day, name in notice.on.items():
            self._special[day] = Day(day, True, name)

    @property
    def years(self) -> list[int]:
        return sorted(self._sources)

    def covered(self) -> str:
        """The covered years as text, e.g. 2004–2026 or 2004–2026、2028."""
        runs: list[list[int]] = []
        for y in self.years:
            if runs and runs[-1][-1] == y - 1:
                runs[-1].append(y)
            else:
                runs.append([y])
        return "、".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) or "无"

    def source(self, year: int) -> str:
        """The notice a year's working days come from."""
        self._check(year)
        return self._sources[year]

    def _check(self, year: int) -> None:
        if year not in self._sources:
            raise UnknownYearError(year, self.covered(), self.folder)

    def day(self, date: dt.date) -> Day:
        """Classify one day; raise UnknownYearError for a year without an official notice."""
        self._check(date.year)
        special = self._special.get(date)
        if special is not None:
            return special
        return Day(date, date.weekday() < 5)

    def is_workday(self, date: dt.date) -> bool:
        return self.day(date).working

    def workdays_between(self, after: dt.date, through: dt.date) -> int:
        """The number of working days d with after < d <= through."""
        n, d = 0, after + dt.timedelta(days=1)
        while d <= through:
            n += self.day(d).working
            d += dt.timedelta(days=1)
        return n


# ---------------------------------------------------------------- data files

_FILE_KEYS = {"year", "notice", "holidays"}
_HOLIDAY_KEYS = {"name", "from", "to", "workdays", "special"}


def parse_notice(raw: bytes | str, label: str) -> tuple[YearNotice | None, list[Problem]]:
    """Check one holiday data file (e.g. data/holidays/2027.yaml); return its notice and problems."""
    src = yamlsource.load(raw, label)
    problems = list(src.problems)
    if problems:
        return None, problems

    def bad(path: tuple[Any, ...], fieldname: str, message: str) -> None:
        problems.append(Problem(label, src.line(*path), fieldname, message))

    data = src.data
    if not isinstance(data, dict):
        bad((), "文件", "应为 “字段名: 值” 的映射（expected year、notice、holidays 三项，见 docs/applications.md）")
        return None, problems
    for key in data:
        if key not in _FILE_KEYS:
            bad((key,), str(key), "未知字段（expected year、notice、holidays）")
    stem = Path(label).stem
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        bad(("year",), "year", f"缺少或不是年份（expected year: {stem}）")
        return None, problems
    if stem != str(year):
        bad(("year",), "year", f"年份 {year} 与文件名不一致（expected 文件名 {year}.yaml）")
    notice_title = data.get("notice")
    if not isinstance(notice_title, str) or not notice_title.strip():
        bad(("notice",), "notice", f"缺少通知名称和文号（expected 例如 “notice: 国务院办公厅关于{year}年部分节假日"
            "安排的通知（国办发明电〔…〕…号）”）")
    items = data.get("holidays")
    if not isinstance(items, list) or not items:
        bad(("holidays",), "holidays", "缺少放假安排列表（expected 每个节日一项：name、from、to、workdays）")
        return None, problems
    notice = YearNotice(year, str(notice_title or "").strip())
    for i, item in enumerate(items):
        _parse_holiday(item, i, year, notice, bad)
    return (None if problems else notice), problems


_Bad = Callable[[tuple[Any, ...], str, str], None]


def _parse_holiday(item: Any, i: int, year: int, notice: YearNotice, bad: _Bad) -> None:
    """One holiday of the notice: its days off and its make-up working days, into `notice`."""
    where = ("holidays", i)
    if not isinstance(item, dict):
        bad(where, "holidays", f"第 {i + 1} 项应写 name、from、to、workdays")
        return
    for key in item:
        if key not in _HOLIDAY_KEYS:
            bad(where + (key,), str(key), "未知字段（expected name、from、to、workdays，一次性节日另加 special: true）")
    name = _holiday_name(item, where, bad)
    span = _holiday_span(item, where, year, bad) if name else None
    if name and span and _days_off(span, name, where, notice, bad):
        _make_up_days(item, where, year, name, notice, bad)


def _holiday_name(item: dict[str, Any], where: tuple[Any, ...], bad: _Bad) -> str | None:
    """The holiday's name: one of 第二条's, or a one-off the notice sets (special: true)."""
    name = item.get("name")
    special = item.get("special") is True
    if not isinstance(name, str) or not name.strip():
        bad(where, "name", "缺少节日名称（expected 例如 name: 春节）")
        return None
    name = name.strip()
    if name not in OFFICIAL_HOLIDAYS and not special:
        near = difflib.get_close_matches(name, OFFICIAL_HOLIDAYS, n=1, cutoff=0.3)
        hint = f"是否应为「{near[0]}」？" if near else ""
        bad(where + ("name",), "name", f"「{name}」不是《全国年节及纪念日放假办法》第二条的节日，{hint}"
            f"（expected {'、'.join(OFFICIAL_HOLIDAYS)}；通知另定的一次性假日加 special: true）")
        return None
    return name


def _holiday_span(item: dict[str, Any], where: tuple[Any, ...], year: int,
                  bad: _Bad) -> tuple[dt.date, dt.date] | None:
    """The first and last day off, both in `year`."""
    start, end = as_date(item.get("from")), as_date(item.get("to"))
    if start is None or end is None:
        missing = "from" if start is None else "to"
        bad(where + (missing,), missing, f"「{item.get(missing)}」不是日期（expected YYYY-MM-DD，放假起止日期）")
        return None
    if end < start:
        bad(where + ("to",), "to", f"结束日期 {end} 早于开始日期 {start}（expected to 不早于 from）")
        return None
    if start.year != year or end.year != year:
        bad(where + ("from",), "from", f"放假日期 {start}–{end} 不在 {year} 年（expected 本文件只录入 {year} 年的放假日期）")
        return None
    return start, end


def _days_off(span: tuple[dt.date, dt.date], name: str, where: tuple[Any, ...], notice: YearNotice,
              bad: _Bad) -> bool:
    """Mark the days off of one holiday; False when they overlap another's."""
    day, end = span
    while day <= end:
        if day in notice.off:
            bad(where + ("from",), "from", f"{day} 已在「{notice.off[day]}」放假期间（expected 各节日放假日期不重叠）")
            return False
        notice.off[day] = name
        day += dt.timedelta(days=1)
    return True


def _make_up_days(item: dict[str, Any], where: tuple[Any, ...], year: int, name: str, notice: YearNotice,
                  bad: _Bad) -> None:
    """The weekend days worked instead (调休), each a Saturday or Sunday of `year` or the December before."""
    workdays = item.get("workdays") or []
    if not isinstance(workdays, list):
        workdays = [workdays]
    for j, value in enumerate(workdays):
        wd = as_date(value)
        path = where + ("workdays", j)
        if wd is None:
            bad(path, "workdays", f"「{value}」不是日期（expected YYYY-MM-DD，调休上班的周六或周日）")
        elif wd.weekday() < 5:
            bad(path, "workdays", f"{fmt(wd)}本来就是工作日（expected 调休上班日是周六或周日）")
        elif not (wd.year == year or (wd.year == year - 1 and wd.month == 12)):
            bad(path, "workdays", f"{wd} 不在 {year} 年（expected {year} 年或 {year - 1} 年 12 月的日期）")
        elif wd in notice.off:
            bad(path, "workdays", f"{wd} 同时被列为放假日（expected 一天只能是放假或调休上班之一）")
        else:
            notice.on[wd] = name


def load_calendar(folder: Path, label_root: Path | None = None) -> WorkCalendar:
    """The working-day calendar with every data file of `folder` (missing folder: library only)."""
    label_root = label_root or folder.parent.parent
    label_folder = label_of(folder, label_root)
    notices: list[YearNotice] = []
    problems: list[Problem] = []
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".yaml", ".yml") or not path.is_file():
                continue
            notice, found = parse_notice(path.read_bytes(), label_of(path, label_root))
            problems += found
            if notice is not None:
                notices.append(notice)
    if problems:
        raise RecordsError(problems)
    return WorkCalendar(notices, label_folder)


__all__ = ["Day", "LIBRARY", "OFFICIAL_HOLIDAYS", "WorkCalendar", "YearNotice", "fmt", "load_calendar",
           "parse_notice"]
