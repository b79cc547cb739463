"""Search through the database's own indexes (issue 17) answers as ranking every candidate in
Python did (tests/directory/search_before_indexes.py, the code before), on SQLite and
PostgreSQL; the indexes follow every edit; the ORUK API pages through them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

import directory.search_stages as stages
from directory.models import Location, TaxonomyTerm
from directory.oruk_locations import service_at_locations_page
from directory.search import search
from directory.search_index import miles, query_words
from tests.directory import search_before_indexes as before

UK = ZoneInfo("Europe/London")
MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UK)
EVENING = datetime(2026, 11, 23, 19, 0, tzinfo=UK)
PLACES = [None, "Halifax", "huddersfield", "Todmorden", "hebden brige", "HX7", "Batley"]
VARIANTS = [dict(limit=3), dict(limit=10, reachable_only=True), dict(limit=5, offset=4),
            dict(limit=10, open_now=True), dict(limit=10, open_now=True, now=EVENING),
            dict(limit=10, age=17, reachable_only=True), dict(limit=40)]


def answer(results) -> list[tuple]:
    return [(r.id, r.local, r.distance_miles, r.open_now, r.status_line, r.text_score)
            for r in results]


def both(directory, **query) -> tuple[list, list]:
    query.setdefault("now", MONDAY_NOON)
    return answer(search(directory, **query)), answer(before.search(directory, **query))


def topics(directory) -> list:
    with directory.sessions() as session:
        codes = sorted(session.execute(select(TaxonomyTerm.code)).scalars())
    return [None, *codes]


@pytest.mark.parametrize("small", [stages.SMALL, 0], ids=["as set", "always ring by ring"])
def test_same_services_in_the_same_order_as_ranking_every_candidate(directory, monkeypatch,
                                                                    small):
    monkeypatch.setattr(stages, "SMALL", small)
    compared = 0
    for topic in topics(directory)[::6] if small == 0 else topics(directory):
        for place in PLACES:
            for variant in VARIANTS if small else VARIANTS[:4]:
                new, old = both(directory, topic=topic, place=place, **variant)
                assert new == old, (topic, place, variant)
                compared += 1
    assert compared >= 150


def test_a_misspelt_word_still_finds_its_service_by_fuzzy_match(directory):
    for text_ in ("samaritns", "foodbnk", "advice line"):
        for place in (None, "Halifax"):
            new, old = both(directory, text=text_, place=place, limit=10)
            assert new == old and new, (text_, place)


def test_a_word_finds_the_services_holding_it_nearest_first(directory):
    """A spelt-out word is looked up in the word index: the services holding it, in the order
    ranking every candidate gives them; fuzzy look-alikes ("good" for "food") no longer come
    first. When the index finds too few, every candidate is fuzzy-matched as before."""
    for text_, topic, place in (("food", None, "Halifax"), ("food", "community", "Todmorden"),
                                ("carers", None, "Huddersfield"), ("debt advice", None, None)):
        new = search(directory, text=text_, topic=topic, place=place, limit=6, now=MONDAY_NOON)
        every = before.search(directory, text=text_, topic=topic, place=place, limit=500,
                              now=MONDAY_NOON)
        words = query_words(text_)
        holding = [r for r in every if any(
            w in f"{r.service.name} {r.service.description} {r.service.organization.name}".lower()
            for w in words)]
        expected = holding[:6] if len(holding) >= 6 else every[:6]
        assert answer(new) == answer(expected), (text_, topic, place)


def test_the_place_index_follows_edits(empty_directory, monkeypatch):
    monkeypatch.setattr(stages, "SMALL", 0)  # always through the index
    directory = empty_directory
    directory.seed()
    with directory.engine.connect() as connection:
        points = connection.execute(select(func.count()).select_from(Location).where(
            Location.latitude.isnot(None), Location.longitude.isnot(None))).scalar_one()
        if connection.dialect.name == "sqlite":
            indexed = connection.execute(text("SELECT count(*) FROM location_rtree")).scalar_one()
            assert indexed == points
    [todmorden] = [r for r in search(directory, topic="food", place="Todmorden", limit=1)]
    plain = directory.get(todmorden.id)
    moved = [{**loc, "latitude": 53.7900, "longitude": -1.7500} for loc in plain["locations"]]
    directory.update(todmorden.id, {"locations": moved}, plain["version"], "maintainer")
    far = {r.id: r for r in search(directory, topic="food", place="Todmorden", limit=100)}
    where = directory.gazetteer.resolve("Todmorden").point
    assert far[todmorden.id].distance_miles == pytest.approx(miles(where, (53.79, -1.75)))
    renamed = directory.get(todmorden.id)
    directory.update(todmorden.id, {"name": "Zebrafinch pantry"}, renamed["version"], "maintainer")
    [found] = search(directory, text="zebrafinch", limit=1)
    assert found.id == todmorden.id


def need_index(connection) -> set[tuple]:
    """What the need + place index holds: (service, location, need, latitude, longitude)."""
    if connection.dialect.name == "sqlite":
        rows = connection.execute(text(
            "SELECT k.service_id, k.location_id, t.term_id, r.min_lat, r.min_lon, "
            "r.max_lat, r.max_lon, r.min_term, r.max_term FROM need_rtree r "
            "JOIN need_key k ON k.key = r.key JOIN term_key t ON t.key = r.min_term"))
        return {(sid, lid, term, round(lat, 3), round(lon, 3))
                for sid, lid, term, lat, lon, lat2, lon2, t1, t2 in rows
                if abs(lat2 - lat) < 1e-4 and abs(lon2 - lon) < 1e-4 and t1 == t2}
    rows = connection.execute(text(
        "SELECT service_id, location_id, term_id, latitude, longitude FROM need_place"))
    return {(sid, lid, term, round(lat, 3), round(lon, 3)) for sid, lid, term, lat, lon in rows}


def need_pairs(connection) -> set[tuple]:
    """What the index should hold: each need of a service at each of its located places."""
    rows = connection.execute(text(
        "SELECT a.service_id, l.id, a.taxonomy_term_id, l.latitude, l.longitude "
        "FROM attribute a JOIN service_at_location sal ON sal.service_id = a.service_id "
        "JOIN location l ON l.id = sal.location_id "
        "WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL"))
    return {(sid, lid, term, round(lat, 3), round(lon, 3)) for sid, lid, term, lat, lon in rows}


def test_the_need_and_place_index_follows_edits(empty_directory, monkeypatch):
    """Needs changed, places moved, added, taken away and unplaced, a service created and one
    retired: the need + place index holds exactly each need at each located place."""
    monkeypatch.setattr(stages, "SMALL", 0)  # always through the index
    directory = empty_directory
    directory.seed()
    with directory.engine.connect() as connection:
        assert need_index(connection) == need_pairs(connection) != set()
    [food] = search(directory, topic="food", place="Todmorden", limit=1)
    plain = directory.get(food.id)
    place = {**plain["locations"][0], "latitude": 53.7900, "longitude": -1.7500}
    second = {**place, "id": None, "name": "Second place", "latitude": 53.65, "longitude": -1.78}
    directory.update(food.id, {"topics": ["carers", "money"], "area": ["Kirklees"],
                               "locations": [place, second]},
                     plain["version"], "maintainer")
    moved = search(directory, topic="carers", place="Huddersfield", limit=100)
    assert food.id in [r.id for r in moved]
    assert food.id not in [r.id for r in search(directory, topic="food", place="Todmorden",
                                                limit=100)]
    edited = directory.get(food.id)
    unplaced = [{**loc, "latitude": None, "longitude": None, "place": None, "postcode": None}
                for loc in edited["locations"][:1]]
    directory.update(food.id, {"locations": unplaced}, edited["version"], "maintainer")
    created = directory.create({**{k: v for k, v in plain.items() if k not in ("id", "version")},
                                "name": "Zebrafinch pantry", "topics": ["food"],
                                "locations": [{"name": "Zebrafinch pantry", "place": "Todmorden"}]},
                               "maintainer")
    retired = search(directory, topic="mental_health", place="Halifax", limit=1)[0].id
    directory.retire(retired, "maintainer")
    with directory.engine.begin() as connection:  # and row by row, as a bulk import may
        connection.execute(text(
            "UPDATE location SET latitude = latitude + 0.01 WHERE id IN "
            "(SELECT location_id FROM service_at_location LIMIT 5)"))
        connection.execute(text(
            "UPDATE attribute SET taxonomy_term_id = (SELECT id FROM taxonomy_term "
            "WHERE code = 'dementia') WHERE id IN (SELECT min(id) FROM attribute "
            "WHERE service_id NOT IN (SELECT a.service_id FROM attribute a JOIN taxonomy_term t "
            "ON t.id = a.taxonomy_term_id WHERE t.code = 'dementia') "
            "GROUP BY service_id LIMIT 5)"))
        connection.execute(text(
            "DELETE FROM service_at_location WHERE id IN "
            "(SELECT id FROM service_at_location LIMIT 3)"))
    with directory.engine.connect() as connection:
        assert need_index(connection) == need_pairs(connection)
    near = search(directory, topic="food", place="Todmorden", limit=200)
    assert created["id"] in [r.id for r in near]
    assert food.id not in [r.id for r in search(directory, topic="carers", place="Huddersfield",
                                                limit=200) if r.distance_miles is not None]
    assert retired not in [r.id for r in search(directory, topic="mental_health",
                                                place="Halifax", limit=200)]


def test_oruk_service_at_locations_pages_nearest_first_within_reach(directory):
    point = directory.gazetteer.resolve("HX7 8AB").point
    whole = service_at_locations_page(directory, per_page=1000, point=point, proximity_m=8000)
    assert whole["contents"] and whole["total_items"] == len(whole["contents"])
    distances = [miles(point, (s["location"]["latitude"], s["location"]["longitude"])) * 1609.344
                 for s in whole["contents"]]
    assert distances == sorted(distances) and max(distances) <= 8000
    first = service_at_locations_page(directory, page=1, per_page=3, point=point,
                                      proximity_m=8000)
    second = service_at_locations_page(directory, page=2, per_page=3, point=point,
                                       proximity_m=8000)
    assert [s["id"] for s in first["contents"] + second["contents"]] == \
        [s["id"] for s in whole["contents"][:6]]
    assert first["total_pages"] == -(-whole["total_items"] // 3)
    everything = service_at_locations_page(directory, per_page=1000)
    assert everything["total_items"] > whole["total_items"]


def test_a_dense_directory_is_read_ring_by_ring_and_still_ranked_exactly(empty_directory):
    """Thousands of services around the real places (bench/search.py's synthetic directory):
    most searches stop after a few rings, so the rings themselves are what is checked."""
    import random

    from bench.search import NOW, populate, queries

    rng = random.Random(7)
    populate(empty_directory, 3000, rng)
    rings = []
    original = stages.Search.rows

    def counting(self, shape, params=None, limit=None):
        rings.append(shape.box)
        return original(self, shape, params, limit)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stages.Search, "rows", counting)
        patch.setattr(stages, "SMALL", 0)  # every stage ring by ring, however few it holds
        for kind, query in queries(empty_directory, 90, rng):
            words = query.pop("text", None)
            for limit in (3, 12):
                query = {**query, "limit": limit, "now": NOW}
                assert answer(search(empty_directory, **query)) == \
                    answer(before.search(empty_directory, **query)), query
                if words:  # and with the words: the services holding them, nearest first
                    found = search(empty_directory, text=words, **query)
                    every = before.search(empty_directory, text=words,
                                          **{**query, "limit": 3000})
                    holding = [r for r in every if words in " ".join(
                        (r.service.name, r.service.description,
                         r.service.organization.name)).lower()]
                    assert len(holding) >= limit, (words, query)
                    assert answer(found) == answer(holding[:limit]), (words, query)
    stopped_early = sum(1 for box in rings if box)
    assert stopped_early > 100  # the ring-by-ring path really ran
