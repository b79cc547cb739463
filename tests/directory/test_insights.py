"""The anonymous need counts: what a row may hold, that counting adds up under concurrent turns
(SQLite and PostgreSQL), and that the report, its CSV and `signpost insights` hide small counts."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import inspect

from directory.insights import Filters, NeedCounts, Turn
from directory.insights_report import as_csv, build, gap_list
from directory.migrate import migrated_directory
from directory.suppression import SMALL, is_hidden
from tests.directory.test_csv_and_cli import ROOT

MONDAY = date(2026, 11, 2)


def turn(day: date = MONDAY, need: str = "food", area: str = "Batley", borough: str = "Kirklees",
         outcome: str = "offered", offered: int = 3) -> Turn:
    return Turn(day, "community", need, area, borough, "sms", outcome, offered)


def test_a_row_holds_no_person_and_no_full_postcode():
    with pytest.raises(ValueError, match="full postcode"):
        turn(area="HD1 2AB")
    with pytest.raises(ValueError, match="full postcode"):
        turn(area="hd12ab")
    with pytest.raises(ValueError):
        turn(outcome="we chatted")
    assert turn(area="HD1").area == "HD1"


def test_the_table_has_only_aggregate_columns(tmp_path):
    directory = migrated_directory(f"sqlite:///{tmp_path / 'd.db'}")
    columns = {c["name"] for c in inspect(directory.engine).get_columns("need_count")}
    assert columns == {"day", "topic", "need", "area", "borough", "channel", "outcome", "offered",
                       "count"}
    directory.engine.dispose()


def test_concurrent_turns_are_all_counted(database_url):
    directory = migrated_directory(database_url)
    counts = NeedCounts(directory.engine)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: counts.add(turn(need="food" if i % 3 else "money")), range(60)))
    rows = counts.rows()
    assert {(r["need"], r["count"]) for r in rows} == {("food", 40), ("money", 20)}
    assert counts.rows(Filters(need="money"))[0]["count"] == 20
    assert counts.rows(Filters(since=MONDAY + timedelta(days=1))) == []
    directory.engine.dispose()


@pytest.fixture
def counts(tmp_path):
    directory = migrated_directory(f"sqlite:///{tmp_path / 'd.db'}")
    found = NeedCounts(directory.engine)
    for _ in range(30):
        found.add(turn())
    for _ in range(3):  # a small count that subtraction from the food total would reveal
        found.add(turn(area="Todmorden", borough="Calderdale", outcome="nothing_found"))
    for _ in range(6):
        found.add(turn(need="money", area="HD1", outcome="nothing_found",
                       day=MONDAY + timedelta(7)))
    for _ in range(7):
        found.add(turn(need="money", area="Halifax", borough="Calderdale",
                       outcome="nothing_found", day=MONDAY + timedelta(8)))
    yield found
    directory.engine.dispose()


def test_the_report_hides_small_counts_and_what_would_give_them_away(counts):
    report = build(counts, Filters(since=MONDAY))
    assert report.by_week.total == 46
    gaps = {(need, area): shown for need, area, shown in gap_list(report)}
    assert gaps[("food", ("Todmorden", "Calderdale"))] == SMALL
    assert set(gaps) == {("food", ("Todmorden", "Calderdale")), ("money", ("HD1", "Kirklees")),
                         ("money", ("Halifax", "Calderdale"))}
    # food's only gap is 3: with its row total shown, it would be there by subtraction
    assert is_hidden(report.gaps.row_totals["food"])
    # money's gaps (6 and 7) are each the only one in their place: with money's total and the
    # gap total both shown, food's 3 would be their difference
    assert is_hidden(report.gaps.total) or is_hidden(report.gaps.row_totals["money"])
    for table in (report.by_week, report.by_area, report.gaps, report.crisis):
        for value in [*table.cells.values(), *table.row_totals.values(),
                      *table.column_totals.values(), table.total]:
            assert is_hidden(value) or value == 0 or value >= 5


def test_the_csv_and_the_command_show_the_page_figures(counts, tmp_path):
    report = build(counts, Filters(since=MONDAY + timedelta(days=3)))
    assert report.filters.since == MONDAY  # widened to the whole week
    rows = list(csv.DictReader(io.StringIO(as_csv(report))))
    values = [r["count"] for r in rows if r["table"] != "range"]
    assert SMALL in values and all(v in (SMALL, "*") or int(v) == 0 or int(v) >= 5
                                   for v in values)
    env = {**os.environ, "DATABASE_URL": str(counts.engine.url)}
    done = subprocess.run([sys.executable, "-m", "cli", "insights", "--since", "2026-11-05",
                           "--csv"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == as_csv(report).replace("\r\n", "\n")
    plain = subprocess.run([sys.executable, "-m", "cli", "insights", "--since", "2026-11-05"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0 and "Todmorden (Calderdale)" in plain.stdout
    assert " 3\n" not in plain.stdout and SMALL in plain.stdout
    bad = subprocess.run([sys.executable, "-m", "cli", "insights", "--since", "yesterday"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "2026-11-30" in bad.stderr
