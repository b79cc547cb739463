"""What the needs picture costs: one count, and the page's report and charts over a season.

    .venv/bin/python bench/insights.py [--turns 5000] [--weeks 12]

Synthetic counts (not residents' data) in a fresh SQLite directory: needs and places drawn
unevenly, as real texts are (a few common, many rare), so many cells are small.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from directory.insights import Filters, NeedCounts, Turn
from directory.insights_report import build
from directory.migrate import migrated_directory
from directory.suppression import is_hidden


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=5000)
    parser.add_argument("--weeks", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(18)
    needs = [f"need{i}" for i in range(25)]
    areas = [(f"Place{i}", "Kirklees" if i % 2 else "Calderdale") for i in range(60)]
    today = date.today()
    with tempfile.TemporaryDirectory() as folder:
        directory = migrated_directory(f"sqlite:///{Path(folder) / 'insights.db'}")
        counts = NeedCounts(directory.engine)
        took = []
        for _ in range(args.turns):
            area, borough = rng.choice(areas[:10] * 4 + areas)
            turn = Turn(today - timedelta(days=rng.randrange(args.weeks * 7)), "community",
                        rng.choice(needs[:5] * 5 + needs), area, borough, "sms",
                        rng.choice(["offered"] * 6 + ["nothing_found", "crisis"]), 2)
            started = time.perf_counter()
            counts.add(turn)
            took.append(time.perf_counter() - started)
        filters = Filters(today - timedelta(weeks=args.weeks), today)
        started = time.perf_counter()
        report = build(counts, filters)
        built = time.perf_counter() - started
        from web import insight_charts

        started = time.perf_counter()
        insight_charts.weekly_lines(report.by_week, "needs")
        insight_charts.ranked_bars([(a, report.by_area.cells[(a, "turns")])
                                    for a in report.by_area.rows], "places")
        insight_charts.ranked_bars([(n, report.gaps.row_totals[n]) for n in report.gaps.rows],
                                   "gaps")
        insight_charts.weekly_bars(report.crisis, "crisis contacts given", "crisis")
        drawn = time.perf_counter() - started
        directory.engine.dispose()
    took.sort()
    print(f"{args.turns} turns over {args.weeks} weeks ({len(report.by_week.rows)} weeks shown)")
    print(f"one count (insert or add 1): median {statistics.median(took) * 1000:.2f} ms, "
          f"p95 {took[int(len(took) * 0.95)] * 1000:.2f} ms")
    print(f"report (query + suppression of 4 tables): {built:.2f} s; 4 charts: {drawn:.2f} s")
    for name, table in (("needs by week", report.by_week), ("by place", report.by_area),
                        ("nothing found", report.gaps), ("crisis by week", report.crisis)):
        nonzero = [v for v in table.cells.values() if v != 0]
        hidden = sum(is_hidden(v) for v in nonzero)
        print(f"  {name}: {len(table.rows)} x {len(table.columns)}, {len(nonzero)} non-zero "
              f"cells, {hidden} hidden ({hidden / max(len(nonzero), 1):.0%})")


if __name__ == "__main__":
    main()
