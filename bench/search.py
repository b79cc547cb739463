"""Search benchmark: a synthetic directory of 1k, 10k and 100k services on SQLite and PostgreSQL.

Prints (and writes to bench/results/search.md) the median and p95 time of `directory.search`
for random topic + place queries. Not a test. PostgreSQL is a throwaway server this script
starts (as the `postgres` user when run as root); it is skipped, saying why, if it cannot start.

    .venv/bin/python bench/search.py [--sizes 1000,10000,100000] [--queries 100]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from directory.db import make_engine  # noqa: E402
from directory.migrate import upgrade  # noqa: E402
from directory.models import (  # noqa: E402
    Attribute, Location, Organization, Phone, Schedule, Service, ServiceArea, ServiceAtLocation,
    TaxonomyTerm, new_id,
)
from directory.repository import Directory  # noqa: E402
from directory.search import search  # noqa: E402


def populate(directory: Directory, size: int, rng: random.Random) -> None:
    directory.ensure_taxonomy()
    gaz = directory.gazetteer
    places = [p for p in gaz.places if p.in_area and p.kind != "borough"]
    with directory.sessions() as session:
        terms = [t.id for t in session.query(TaxonomyTerm).all()]
    org_id = new_id()
    with directory.engine.begin() as conn:
        conn.execute(insert(Organization), [{"id": org_id, "name": "Synthetic", "description": "",
                                             "is_community_anchor": False}])
        batch = 5000
        for start in range(0, size, batch):
            services, areas, links, locations, sals, phones, schedules = [], [], [], [], [], [], []
            for i in range(start, min(start + batch, size)):
                sid = new_id()
                place = rng.choice(places)
                services.append({"id": sid, "organization_id": org_id, "name": f"Service {i}",
                                 "description": f"Synthetic service {i} in {place.name}",
                                 "status": rng.choices(["active", "defunct"], [9, 1])[0],
                                 "source_url": "https://example.org", "last_verified": date(2026, 1, 1),
                                 "verified_by": "bench", "review_flag": False, "version": 1})
                roll = rng.random()
                if roll < 0.05:
                    areas.append({"id": new_id(), "service_id": sid, "kind": "national", "value": "England"})
                elif roll < 0.5:
                    areas.append({"id": new_id(), "service_id": sid, "kind": "borough", "value": place.borough})
                else:
                    areas.append({"id": new_id(), "service_id": sid, "kind": "district", "value": place.district})
                for term in rng.sample(terms, 2):
                    links.append({"id": new_id(), "service_id": sid, "taxonomy_term_id": term})
                lid = new_id()
                locations.append({"id": lid, "name": place.name, "latitude": place.lat + rng.uniform(-0.01, 0.01),
                                  "longitude": place.lon + rng.uniform(-0.01, 0.01)})
                sals.append({"id": new_id(), "service_id": sid, "location_id": lid})
                phones.append({"id": new_id(), "service_id": sid, "number": "+441422392767", "kind": "call", "position": 0})
                for position, day in enumerate(("MO", "TU", "WE", "TH", "FR")):
                    schedules.append({"id": new_id(), "service_id": sid, "byday": day, "opens_at": dtime(9),
                                      "closes_at": dtime(17), "open_24_7": False,
                                      "closed_bank_holidays": True, "position": position})
            conn.execute(insert(Service), services)
            conn.execute(insert(ServiceArea), areas)
            conn.execute(insert(Attribute), links)
            conn.execute(insert(Location), locations)
            conn.execute(insert(ServiceAtLocation), sals)
            conn.execute(insert(Phone), phones)
            conn.execute(insert(Schedule), schedules)


def measure(directory: Directory, queries: int, rng: random.Random) -> tuple[float, float]:
    gaz = directory.gazetteer
    places = [p.name for p in gaz.places if p.in_area and p.kind != "borough"]
    with directory.sessions() as session:
        codes = [t.code for t in session.query(TaxonomyTerm).all() if t.parent_id is not None]
    timings = []
    for _ in range(queries):
        started = time.perf_counter()
        search(directory, topic=rng.choice(codes), place=rng.choice(places), limit=3)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(int(0.95 * len(timings)), len(timings) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    lines = ["# Search benchmark", "",
             f"{args.queries} random queries (a need + a place, top 3) per size. Reproduce: "
             "`.venv/bin/python bench/search.py` (part of `make bench`).", "",
             "| backend | services | median ms | p95 ms | load s |", "|---|---:|---:|---:|---:|"]
    backends = [("SQLite", None), ("PostgreSQL", "postgres")]
    server = None
    for label, kind in backends:
        for size in sizes:
            rng = random.Random(size)
            if kind is None:
                tmp = tempfile.mkdtemp()
                url = f"sqlite:///{tmp}/bench.db"
            else:
                from tests.servers import PostgresServer, Unavailable

                if server is None:
                    try:
                        server = PostgresServer().start()
                    except Unavailable as why:
                        lines.append(f"| PostgreSQL | - | skipped: {why} | | |")
                        break
                url = server.create_database(f"bench_{size}")
            upgrade(url)
            directory = Directory(make_engine(url))
            started = time.perf_counter()
            populate(directory, size, rng)
            loaded = time.perf_counter() - started
            median, p95 = measure(directory, args.queries, rng)
            row = f"| {label} | {size:,} | {median:.1f} | {p95:.1f} | {loaded:.0f} |"
            print(row, flush=True)
            lines.append(row)
            directory.engine.dispose()
    if server is not None:
        server.stop()
    text = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "results" / "search.md"
    out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
