"""`signpost insights`: the needs picture on the command line, suppressed as on the page."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from directory.gazetteer import BOROUGHS
from directory.insights import Filters, NeedCounts
from directory.insights_report import as_csv, build, gap_list, label, read_day


def _day(text: str) -> date:
    try:
        return read_day(text)
    except ValueError as why:
        raise argparse.ArgumentTypeError(str(why))


def cmd_insights(args: argparse.Namespace) -> int:
    from directory.health import open_existing

    if args.until and args.until < args.since:
        print("The --until date is before the --since date.", file=sys.stderr)
        return 2
    directory = open_existing(args.database_url)
    try:
        report = build(NeedCounts(directory.engine),
                       Filters(args.since, args.until, args.borough, args.need))
    finally:
        directory.engine.dispose()
    if args.csv:
        sys.stdout.write(as_csv(report))
        return 0
    found = report.by_week
    print(f"Turns from {report.filters.since} to {report.filters.until or 'today'}: {found.total}")
    print("(<5: a count from 1 to 4; *: hidden so that a small count cannot be worked out)")
    print("\nNeeds:")
    for need in found.columns:
        print(f"  {label(need):<28} {found.column_totals[need]:>6}")
    print("\nNothing found (need, place):")
    for need, area, shown in gap_list(report):
        print(f"  {label(need):<20} {label(area):<30} {shown:>6}")
    print(f"\nCrisis contacts given: {report.crisis.total}")
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("insights", help="what residents needed and could not find "
                                                  "(anonymous, small numbers hidden)")
    parser.add_argument("--since", type=_day, required=True, help="first day, like 2026-11-01")
    parser.add_argument("--until", type=_day, help="last day (default: today)")
    parser.add_argument("--borough", choices=BOROUGHS)
    parser.add_argument("--need", help="one need code, like food")
    parser.add_argument("--csv", action="store_true", help="the page's tables as CSV")
    parser.add_argument("--database-url", help="default: DATABASE_URL, else build/directory.db")
    parser.set_defaults(func=cmd_insights)
