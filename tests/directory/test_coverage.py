"""Coverage: need x borough and need x town counts of active services a resident can reach."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from directory import coverage, oruk, sources
from directory.repository import Directory
from tests.servers import seeded_directory

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "https://example.org/coverage-test"
HOURS = [{"days": ["MO", "WE"], "opens": "10:00", "closes": "14:00"}]


def service(sid: str, area, topics, **fields) -> dict:
    return {"id": sid, "organization": "cov-org", "name": sid.replace("-", " ").title(),
            "source": SOURCE, "area": area, "topics": topics, **fields}


ROWS = [
    service("k-food-phone", ["Kirklees"], ["food"], phones=["01484 223000"],
            locations=[{"name": "Hall", "place": "Dewsbury"}]),
    service("k-food-web", ["WF15"], ["food"], url="https://example.org/spen-food"),
    service("c-food-hours", ["Calderdale"], ["food"], hours=HOURS,
            locations=[{"name": "Chapel", "address": "1 Market Street", "postcode": "HX7 8AD"}]),
    service("national-food", "national", ["food"], phones=["0808 208 2138"]),
    service("k-food-closed", ["Kirklees"], ["food"], phones=["01484 223001"], status="defunct"),
    # An address but no hours: nobody can act on it.
    service("c-food-no-way-in", ["Calderdale"], ["food"],
            locations=[{"name": "Hut", "address": "2 Crown Street", "postcode": "HX1 1AA"}]),
    service("k-warmth-email", ["Kirklees"], ["warmth"], email="warm@example.org",
            locations=[{"name": "Library", "place": "Meltham"}]),
    service("c-money-village", ["Calderdale"], ["money"], phones=["01422 392767"],
            locations=[{"name": "Institute", "place": "Mytholmroyd"}]),
    service("both-carers", ["Kirklees", "Calderdale"], ["carers"], url="https://example.org/c"),
]


def build(directory: Directory) -> Directory:
    directory.upsert_organizations([{"id": "cov-org", "name": "Coverage Test Org"}], "test")
    report = directory.load_services([dict(r) for r in ROWS], actor="test", action="import")
    assert not report.skipped, report.skipped
    return directory


def sid(directory: Directory, slug: str) -> str:
    return directory.get(slug)["id"]


def test_counts_local_national_and_town_cells(empty_directory):
    found = coverage.coverage(build(empty_directory))
    boroughs, towns = found.boroughs, found.towns
    assert [boroughs.count("food", c) for c in ("Kirklees", "Calderdale", "national")] == [2, 1, 1]
    assert boroughs.is_gap("food", "Calderdale") and not boroughs.is_gap("food", "Kirklees")
    assert not boroughs.is_gap("food", "national")  # national is never judged a gap
    assert boroughs.count("carers", "Kirklees") == boroughs.count("carers", "Calderdale") == 1
    # A parent topic counts its needs' services once each.
    assert boroughs.count("community", "Kirklees") == 4
    assert boroughs.count("community", "Calderdale") == 3
    assert (towns.count("food", "Dewsbury"), towns.count("food", "Spen Valley"),
            towns.count("food", "Hebden Bridge"), towns.count("food", "Halifax")) == (1, 1, 1, 0)
    assert towns.is_gap("food", "Halifax") and not towns.is_gap("food", "Dewsbury")
    assert towns.count("warmth", "Holme Valley") == 1  # Meltham is in HD9
    assert towns.count("money", "Hebden Bridge") == 1  # Mytholmroyd is a village of HX7
    needs = [n.code for n in boroughs.needs]
    assert needs[:len(coverage.NEEDS)] == list(coverage.NEEDS) and "screening_bowel" in needs
    assert found.towns.columns == list(coverage.TOWNS)


def test_the_database_rule_is_sources_reachable(empty_directory):
    directory = build(empty_directory)
    found = coverage.coverage(directory)
    unreachable = {s.id for s in found.unreachable}
    for plain in oruk.export_plain(directory):
        if plain["status"] == "active":
            assert (plain["id"] not in unreachable) == sources.reachable(plain), plain["name"]
    assert unreachable == {sid(directory, "c-food-no-way-in")}
    assert found.unreachable[0].topics == ("food",)


def test_a_service_made_unreachable_is_listed_and_not_counted(empty_directory):
    directory = build(empty_directory)
    target = directory.get("k-food-phone")
    directory.update(target["id"], {"phones": []}, target["version"], "test")
    found = coverage.coverage(directory)
    assert target["id"] in {s.id for s in found.unreachable}
    assert found.boroughs.count("food", "Kirklees") == 1
    assert found.towns.count("food", "Dewsbury") == 0
    assert all(target["id"] not in members for members in found.boroughs.members.values())
    assert all(target["id"] not in members for members in found.towns.members.values())


def _direct(rows: list[dict], directory: Directory, need: str, column: str) -> int:
    """Counted the slow way, from every service in full: the check on the queries."""
    districts = {c for c, d in directory.gazetteer.districts.items() if d.borough == column}
    count = 0
    for plain in rows:
        if plain["status"] != "active" or not sources.reachable(plain):
            continue
        if need not in plain["topics"]:
            continue
        if column == "national":
            count += plain["area"] == "national"
        elif plain["area"] != "national":
            count += any(a == column or a in districts for a in plain["area"])
    return count


def test_seeded_matrix_matches_a_direct_count(empty_directory):
    empty_directory.seed()  # the seed data is being extended: refused rows do not matter here
    rows = list(oruk.export_plain(empty_directory))
    found = coverage.coverage(empty_directory)
    for need, column in (("food", "Kirklees"), ("loneliness", "Calderdale"),
                         ("money", "national"), ("carers", "Calderdale")):
        assert found.boroughs.count(need, column) == _direct(rows, empty_directory, need, column), \
            (need, column)


def test_cli_prints_the_aligned_table_with_gaps(tmp_path):
    url = f"sqlite:///{tmp_path / 'coverage.db'}"
    build(seeded_directory(url, seed=False)).engine.dispose()

    def run(*args):
        return subprocess.run([sys.executable, "-m", "cli", "directory", "coverage", *args],
                              cwd=ROOT, env={**os.environ, "DATABASE_URL": url},
                              capture_output=True, text=True, timeout=120)

    shown = run()
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    header = next(line for line in lines if line.startswith("need "))
    food = next(line for line in lines if line.startswith("food "))
    assert header.split() == ["need", "Kirklees", "Calderdale", "national"]
    assert food.split() == ["food", "2", "1", "!", "1"]
    # Aligned: each count ends under the end of its column's header (the "!" sits after it).
    assert food.index("2") == header.index("Kirklees") + len("Kirklees") - 1
    assert "C Food No Way In" in shown.stdout and "no one can reach" in shown.stdout

    towns = run("--towns")
    assert towns.returncode == 0 and "Hebden Bridge" in towns.stdout and "0 !" in towns.stdout
    table = run("--towns", "--csv")
    assert table.returncode == 0
    assert table.stdout.splitlines()[0] == ",".join(
        ["need", "name", *coverage.TOWNS, "gaps"])
    food_row = next(r for r in table.stdout.splitlines() if r.startswith("food,"))
    assert "Halifax" in food_row.split(",")[-1]


def test_every_borough_gap_has_a_recorded_reason_and_every_reason_a_gap(seeded_sqlite):
    found = coverage.coverage(seeded_sqlite).boroughs
    assert found.unexplained_gaps() == [], "record why in directory/data/gaps.yml, or fill it"
    stale = [gap for gap in found.reasons if gap not in found.gaps()]
    assert stale == [], "these gaps are filled now: take them out of directory/data/gaps.yml"
