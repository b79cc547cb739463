"""The needs picture: the tables the insights page, its CSV and `signpost insights` all show.

Every figure is built here from the stored counts and suppressed here (directory.suppression),
so the page, the download and the command show the same numbers and hide the same cells.
Weeks start on Monday; a date range is widened to whole weeks, so that two ranges a day apart
cannot be subtracted to find one day's small count.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Optional

from directory.insights import Filters, NeedCounts
from directory.suppression import Shown, is_hidden, suppress_table

NO_PLACE = "no place given"
NOT_UNDERSTOOD = "not understood"
Area = tuple[str, str]  # (area, borough)


def read_day(text: str) -> date:
    """A date written like 2026-11-30; otherwise a ValueError saying how to write it."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"Dates are written like 2026-11-30, not {text[:20]!r}.") from None


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def whole_weeks(filters: Filters) -> Filters:
    since = week_of(filters.since) if filters.since else None
    until = week_of(filters.until) + timedelta(days=6) if filters.until else None
    return Filters(since, until, filters.borough or None, filters.need or None)


def need_label(row: dict) -> str:
    return row["need"] or (NOT_UNDERSTOOD if row["outcome"] == "not_understood" else "other")


def area_of(row: dict) -> Area:
    return (row["area"] or NO_PLACE, row["borough"])


@dataclass
class Table:
    """Rows x columns of suppressed counts, with their suppressed totals."""

    rows: list
    columns: list
    cells: dict
    row_totals: dict
    column_totals: dict
    total: Shown


def table(counts: Counter, rows: list, columns: list) -> Table:
    cells, row_totals, column_totals, total = suppress_table(counts, rows, columns)
    return Table(rows, columns, cells, row_totals, column_totals, total)


def totals_by(counts: Counter, index: int) -> Counter:
    found: Counter = Counter()
    for key, count in counts.items():
        found[key[index]] += count
    return found


def ranked(counts: Counter) -> list:
    return [key for key, _ in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))]


@dataclass
class Report:
    filters: Filters
    weeks: list[date] = field(default_factory=list)
    by_week: Optional[Table] = None  # week x need, every turn
    by_area: Optional[Table] = None  # (area, borough) x one column, every turn
    gaps: Optional[Table] = None  # need x area, nothing found
    crisis: Optional[Table] = None  # week x "crisis", crisis contacts given


def build(counts: NeedCounts, filters: Filters, today: Optional[date] = None) -> Report:
    filters = whole_weeks(filters)
    rows = counts.rows(filters)
    report = Report(filters)
    first = filters.since or min((r["day"] for r in rows), default=today or date.today())
    last = filters.until or max((r["day"] for r in rows), default=first)
    week = week_of(first)
    while week <= last:
        report.weeks.append(week)
        week += timedelta(days=7)
    need_by_week, by_area, gaps, crisis = Counter(), Counter(), Counter(), Counter()
    for row in rows:
        need, area, week = need_label(row), area_of(row), week_of(row["day"])
        need_by_week[(week, need)] += row["count"]
        by_area[(area, "turns")] += row["count"]
        if row["outcome"] == "nothing_found":
            gaps[(need, area)] += row["count"]
        if row["outcome"] == "crisis":
            crisis[(week, "crisis contacts given")] += row["count"]
    report.by_week = table(need_by_week, report.weeks, ranked(totals_by(need_by_week, 1)))
    report.by_area = table(by_area, ranked(totals_by(by_area, 0)), ["turns"])
    report.gaps = table(gaps, ranked(totals_by(gaps, 0)), ranked(totals_by(gaps, 1)))
    if is_hidden(report.by_week.total) or is_hidden(report.by_area.total):
        # the same number (every turn) in both: hidden in one, it must be hidden in the other
        hidden = report.by_week.total if is_hidden(report.by_week.total) else report.by_area.total
        report.by_week.total = report.by_area.total = hidden
    report.crisis = table(crisis, report.weeks, ["crisis contacts given"])
    return report


def gap_list(report: Report) -> list[tuple[str, Area, Shown]]:
    """(need, area, shown count) for every need and place where nothing was found."""
    found = report.gaps
    return [(need, area, found.cells[(need, area)]) for need in found.rows
            for area in found.columns if found.cells[(need, area)] != 0]


def as_csv(report: Report) -> str:
    """The page's tables in one long table: table, row, column, count (suppressed)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "row", "column", "count"])
    writer.writerow(["range", report.filters.since or "", report.filters.until or "", ""])
    for name, found in (("needs_by_week", report.by_week), ("turns_by_area", report.by_area),
                        ("nothing_found", report.gaps), ("crisis_by_week", report.crisis)):
        for r in found.rows:
            for c in found.columns:
                writer.writerow([name, label(r), label(c), found.cells[(r, c)]])
            writer.writerow([name, label(r), "total", found.row_totals[r]])
        for c in found.columns:
            writer.writerow([name, "total", label(c), found.column_totals[c]])
        writer.writerow([name, "total", "total", found.total])
    return out.getvalue()


def label(key) -> str:
    if isinstance(key, tuple):
        return f"{key[0]} ({key[1]})" if key[1] else key[0]
    return key.isoformat() if isinstance(key, date) else str(key)
