"""Opening hours in UK time: open now?, when next open?, and a short plain-English line.

A schedule row is one day and time range, or "open 24/7". `closes_at` 00:00 means midnight at
the end of the day; a range that closes before it opens runs past midnight. Rows can be limited
to a date range and can close on bank holidays in England.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Iterable, Optional, Protocol
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MIDNIGHT = time(0, 0)


class ScheduleLike(Protocol):
    byday: Optional[str]
    opens_at: Optional[time]
    closes_at: Optional[time]
    open_24_7: bool
    valid_from: Optional[date]
    valid_to: Optional[date]
    closed_bank_holidays: bool


@lru_cache(maxsize=8)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def _valid_on(row: ScheduleLike, day: date) -> bool:
    if row.valid_from and day < row.valid_from:
        return False
    if row.valid_to and day > row.valid_to:
        return False
    if row.closed_bank_holidays and is_bank_holiday(day):
        return False
    return True


@dataclass(frozen=True)
class Opening:
    start: datetime
    end: datetime


def _openings_on(rows: Iterable[ScheduleLike], day: date) -> list[Opening]:
    """Every opening that starts on `day` (UK local time)."""
    found = []
    for row in rows:
        if not _valid_on(row, day):
            continue
        if row.open_24_7:
            start = datetime.combine(day, MIDNIGHT, LONDON)
            found.append(Opening(start, start + timedelta(days=1)))
            continue
        if row.byday != DAY_CODES[day.weekday()] or row.opens_at is None or row.closes_at is None:
            continue
        start = datetime.combine(day, row.opens_at, LONDON)
        end_day = day if row.closes_at > row.opens_at else day + timedelta(days=1)
        found.append(Opening(start, datetime.combine(end_day, row.closes_at, LONDON)))
    return found


def is_open(rows: list[ScheduleLike], at: datetime) -> Optional[bool]:
    """True or False; None when the hours are not known (no schedule)."""
    if not rows:
        return None
    at = at.astimezone(LONDON)
    for day in (at.date() - timedelta(days=1), at.date()):
        if any(o.start <= at < o.end for o in _openings_on(rows, day)):
            return True
    return False


def current_opening(rows: list[ScheduleLike], at: datetime) -> Optional[Opening]:
    at = at.astimezone(LONDON)
    for day in (at.date() - timedelta(days=1), at.date()):
        for opening in _openings_on(rows, day):
            if opening.start <= at < opening.end:
                return opening
    return None


def next_opening(rows: list[ScheduleLike], at: datetime, days: int = 14) -> Optional[datetime]:
    """When it next opens after `at`, looking up to `days` ahead."""
    at = at.astimezone(LONDON)
    for offset in range(days + 1):
        starts = [o.start for o in _openings_on(rows, at.date() + timedelta(days=offset))
                  if o.start > at]
        if starts:
            return min(starts)
    return None


def is_always_open(rows: list[ScheduleLike]) -> bool:
    return any(r.open_24_7 and not r.closed_bank_holidays and not r.valid_to for r in rows)


def format_time(t: time) -> str:
    """9am, 5:30pm, midnight, noon."""
    if t == MIDNIGHT:
        return "midnight"
    if t == time(12, 0):
        return "noon"
    hour = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    return f"{hour}{suffix}" if t.minute == 0 else f"{hour}:{t.minute:02d}{suffix}"


def status_line(rows: list[ScheduleLike], at: datetime) -> str:
    """"Open 24/7", "Open now until 5pm", "Opens Mon 9am", "Closed now", or "Hours not known"."""
    if not rows:
        return "Hours not known"
    if is_always_open(rows):
        return "Open 24/7"
    at = at.astimezone(LONDON)
    opening = current_opening(rows, at)
    if opening is not None:
        return f"Open now until {format_time(opening.end.timetz().replace(tzinfo=None))}"
    upcoming = next_opening(rows, at)
    if upcoming is None:
        return "Closed now"
    when = format_time(upcoming.timetz().replace(tzinfo=None))
    if upcoming.date() == at.date():
        return f"Closed now. Opens today {when}"
    if upcoming.date() == at.date() + timedelta(days=1):
        return f"Closed now. Opens tomorrow {when}"
    return f"Closed now. Opens {DAY_NAMES[upcoming.weekday()]} {when}"
