"""Search benchmark: a synthetic directory of 1k to 1M services on SQLite and PostgreSQL.

Prints (and writes to bench/results/search.md) the median and p95 time of `directory.search`
for mixed queries, a third each: a need + a place, words + a place, and a need + a place open
now; and how p95 grows with size. Services sit around the real places of both boroughs, each
with two needs, a borough, district or national area, a phone and opening hours. PostgreSQL is
a throwaway server this script starts (as the `postgres` user when run as root); it is skipped,
saying why, if it cannot start. Both databases are ANALYZEd after loading, as after any bulk
import. Not a test.

    .venv/bin/python bench/search.py [--sizes 1000,10000,100000,1000000] [--queries 300]
                                     [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from directory.db import make_engine  # noqa: E402
from directory.migrate import upgrade  # noqa: E402
from directory.models import (  # noqa: E402
    Attribute, Location, Organization, Phone, Schedule, Service, ServiceArea, ServiceAtLocation,
    TaxonomyTerm, new_id,
)
from directory.repository import Directory  # noqa: E402
from directory.search import search  # noqa: E402

WORDS = ["food bank", "debt advice", "befriending", "carers café", "warm space", "youth club",
         "lunch club", "benefits advice", "housing support", "digital skills", "wellbeing walk",
         "bereavement group", "recovery cafe", "parent and toddler", "men's shed",
         "community pantry", "energy advice", "advocacy", "peer support", "drop-in"]
QUERY_WORDS = ["food", "debt", "befriending", "carers", "warm", "youth", "lunch", "benefits",
               "housing", "digital", "walk", "bereavement", "pantry", "energy", "advocacy"]
NOW = datetime(2026, 11, 24, 11, 0, tzinfo=ZoneInfo("Europe/London"))  # a Tuesday morning
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA")


def populate(directory: Directory, size: int, rng: random.Random) -> None:
    directory.ensure_taxonomy()
    places = [p for p in directory.gazetteer.places if p.in_area and p.kind != "borough"
              and p.lat is not None]
    with directory.sessions() as session:
        terms = [t.id for t in session.query(TaxonomyTerm).all()]
    org_id = new_id()
    with directory.engine.begin() as conn:
        conn.execute(insert(Organization), [{"id": org_id, "name": "Synthetic", "description": "",
                                             "is_community_anchor": False}])
        batch = 5000
        for start in range(0, size, batch):
            rows: dict[type, list[dict]] = {t: [] for t in (Service, ServiceArea, Attribute,
                                                            Location, ServiceAtLocation, Phone,
                                                            Schedule)}
            for i in range(start, min(start + batch, size)):
                sid, lid = new_id(), new_id()
                place = rng.choice(places)
                what = rng.choice(WORDS)
                rows[Service].append({
                    "id": sid, "organization_id": org_id, "name": f"{place.name} {what} {i}",
                    "description": f"A {rng.choice(WORDS)} and {what} for people in {place.name}",
                    "status": rng.choices(["active", "defunct"], [9, 1])[0],
                    "source_url": "https://example.org", "last_verified": date(2026, 1, 1),
                    "verified_by": "bench", "review_flag": False, "version": 1})
                roll = rng.random()
                kind, value = (("national", "England") if roll < 0.05 else
                               ("borough", place.borough) if roll < 0.5 else
                               ("district", place.district))
                rows[ServiceArea].append({"id": new_id(), "service_id": sid, "kind": kind,
                                          "value": value})
                rows[Attribute] += [{"id": new_id(), "service_id": sid, "taxonomy_term_id": t}
                                    for t in rng.sample(terms, 2)]
                rows[Location].append({"id": lid, "name": place.name,
                                       "latitude": place.lat + rng.uniform(-0.02, 0.02),
                                       "longitude": place.lon + rng.uniform(-0.03, 0.03)})
                rows[ServiceAtLocation].append({"id": new_id(), "service_id": sid,
                                                "location_id": lid})
                rows[Phone].append({"id": new_id(), "service_id": sid, "number": "+441422392767",
                                    "kind": "call", "position": 0})
                rows[Schedule] += [{"id": new_id(), "service_id": sid, "byday": day,
                                    "opens_at": dtime(9), "closes_at": dtime(rng.choice((13, 17))),
                                    "open_24_7": False, "closed_bank_holidays": True,
                                    "position": n}
                                   for n, day in enumerate(sorted(rng.sample(DAYS, 3)))]
            for table, values in rows.items():
                conn.execute(insert(table), values)
    with directory.engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def queries(directory: Directory, count: int, rng: random.Random) -> list[tuple[str, dict]]:
    places = [p.name for p in directory.gazetteer.places if p.in_area and p.kind != "borough"]
    with directory.sessions() as session:
        codes = [t.code for t in session.query(TaxonomyTerm).all() if t.parent_id is not None]
    kinds = ["need + place", "words + place", "open now"]
    out = []
    for i in range(count):
        kind = kinds[i % 3]
        query = {"place": rng.choice(places), "limit": 3, "now": NOW}
        if kind == "words + place":
            query["text"] = rng.choice(QUERY_WORDS)
        else:
            query["topic"] = rng.choice(codes)
        if kind == "open now":
            query["open_now"] = True
        out.append((kind, query))
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def measure(directory: Directory, count: int, rng: random.Random) -> dict[str, list[float]]:
    planned = queries(directory, count, rng)
    for _, query in planned[:10]:  # warm the caches, as a running server has them
        search(directory, **query)
    timings: dict[str, list[float]] = {}
    for kind, query in planned:
        started = time.perf_counter()
        search(directory, **query)
        elapsed = (time.perf_counter() - started) * 1000
        timings.setdefault(kind, []).append(elapsed)
        timings.setdefault("all", []).append(elapsed)
    return timings


def database(kind: str, size: int, server):
    if kind == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    return server.create_database(f"bench_{size}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    header = ("| backend | services | need + place p50 / p95 ms | words + place p50 / p95 ms | "
              "open now p50 / p95 ms | all p50 ms | all p95 ms | load s |")
    lines = ["# Search benchmark", "",
             f"{args.queries} mixed queries per size (a third each: need + place, words + place, "
             "need + place open now; top 3) against a synthetic directory around the real places. "
             "Reproduce: `.venv/bin/python bench/search.py` (part of `make bench`).", "",
             header, "|---|---:|---:|---:|---:|---:|---:|---:|"]
    growth: list[str] = []
    server = None
    for backend in args.backends.split(","):
        label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend]
        p95s: dict[int, float] = {}
        if backend == "postgresql":
            from tests.servers import PostgresServer, Unavailable

            try:
                server = PostgresServer().start()
            except Unavailable as why:
                lines.append(f"| PostgreSQL | - | skipped: {why} | | | | | |")
                continue
        for size in sizes:
            rng = random.Random(size)
            url = database(backend, size, server)
            upgrade(url)
            directory = Directory(make_engine(url))
            started = time.perf_counter()
            populate(directory, size, rng)
            loaded = time.perf_counter() - started
            # Measure as a server that opens the directory finds it: connections opened
            # during the bulk load ran several times slower on SQLite afterwards.
            directory.engine.dispose()
            directory = Directory(make_engine(url))
            timings = measure(directory, args.queries, rng)
            cells = [f"{statistics.median(timings[k]):.1f} / {percentile(timings[k], .95):.1f}"
                     for k in ("need + place", "words + place", "open now")]
            p95s[size] = percentile(timings["all"], .95)
            row = (f"| {label} | {size:,} | {' | '.join(cells)} | "
                   f"{statistics.median(timings['all']):.1f} | {p95s[size]:.1f} | {loaded:.0f} |")
            print(row, flush=True)
            lines.append(row)
            directory.engine.dispose()
        steps = sorted(p95s)
        for small, big in zip(steps, steps[1:]):
            growth.append(f"- {label}: {small:,} to {big:,} services ({big // small}x): p95 "
                          f"{p95s[small]:.1f} to {p95s[big]:.1f} ms "
                          f"({p95s[big] / max(p95s[small], 1e-9):.1f}x)")
    if server is not None:
        server.stop()
    lines += ["", "How p95 grows with size:", "", *growth]
    text_out = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results" / "search.md").write_text(text_out)
    print(text_out)


if __name__ == "__main__":
    main()
