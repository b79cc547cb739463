"""Search by need and place, on the seed directory."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from directory.search import PlaceNotFound, UnknownTopic, search

UK = ZoneInfo("Europe/London")
MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UK)
MONDAY_7PM = datetime(2026, 11, 23, 19, 0, tzinfo=UK)


def names(results):
    return [r.service.name for r in results]


def test_nearest_local_services_first_in_miles(seeded_sqlite):
    results = search(seeded_sqlite, topic="food", place="hebden brige", limit=5, now=MONDAY_NOON)
    assert results[0].service.name == "Calder Food Support"
    distances = [r.distance_miles for r in results if r.distance_miles is not None]
    assert distances == sorted(distances) and distances[0] < 1


def test_national_services_come_after_local_ones(seeded_sqlite):
    results = search(seeded_sqlite, topic="crisis", place="Huddersfield", limit=20)
    locals_ = [r.local for r in results]
    assert locals_ == sorted(locals_, reverse=True)
    assert results[0].service.name == "Well Bean crisis cafe"
    assert "Samaritans" in names(results)


def test_national_services_fill_in_where_nothing_local_exists(seeded_sqlite):
    results = search(seeded_sqlite, topic="dentist", place="Batley")
    assert results and not any(r.local for r in results)


def test_a_place_outside_the_area_of_a_local_service_does_not_get_it(seeded_sqlite):
    assert "Well Bean crisis cafe" not in names(search(seeded_sqlite, topic="crisis",
                                                       place="Halifax", limit=20))
    assert "Calderdale Staying Well" not in names(search(seeded_sqlite, topic="loneliness",
                                                         place="Dewsbury", limit=20))


def test_open_now_in_uk_time(seeded_sqlite):
    at_noon = names(search(seeded_sqlite, topic="crisis", open_now=True, limit=20, now=MONDAY_NOON))
    assert "Samaritans" in at_noon and "Well Bean crisis cafe" not in at_noon
    assert "CALM helpline" not in at_noon
    evening = names(search(seeded_sqlite, topic="crisis", open_now=True, limit=20, now=MONDAY_7PM))
    assert "Well Bean crisis cafe" in evening and "CALM helpline" in evening


def test_topic_includes_its_needs(seeded_sqlite):
    community = names(search(seeded_sqlite, topic="community", place="Todmorden", limit=50))
    assert "Todmorden Foodbank" in community and "Calderdale Staying Safe" in community


def test_fuzzy_text(seeded_sqlite):
    found = names(search(seeded_sqlite, text="samaritns"))  # the line, and a local branch first
    assert "Samaritans" in found and all(name.startswith("Samaritans") for name in found)


def test_age_limits(seeded_sqlite):
    young = names(search(seeded_sqlite, topic="crisis", age=15, limit=20))
    older = names(search(seeded_sqlite, topic="crisis", age=40, limit=20))
    assert "Childline" in young and "Childline" not in older
    assert "Samaritans" in older and "Papyrus HOPELINE247" not in older  # Papyrus: up to 35
    assert "Papyrus HOPELINE247" in names(search(seeded_sqlite, topic="crisis", age=30, limit=20))


def test_limit_and_offset_page_through(seeded_sqlite):
    everything = names(search(seeded_sqlite, topic="crisis", limit=50))
    assert names(search(seeded_sqlite, topic="crisis", limit=3, offset=3)) == everything[3:6]


def test_unknown_place_and_topic_are_errors(seeded_sqlite):
    with pytest.raises(PlaceNotFound):
        search(seeded_sqlite, topic="food", place="Leeds")
    with pytest.raises(UnknownTopic):
        search(seeded_sqlite, topic="pizza")


def test_retired_or_closed_services_are_never_offered(directory):
    directory.retire("todmorden-foodbank", actor="t", status="defunct")
    directory.retire("halifax-food-bank", actor="t", status="temporarily closed")
    directory.retire("ebenezer-foodbank", actor="t", status="inactive")
    found = names(search(directory, topic="food", place="Todmorden", limit=50))
    found += names(search(directory, topic="food", place="Hebden Bridge", limit=50))
    assert not {"Todmorden Foodbank", "Halifax Food Bank", "Ebenezer Foodbank"} & set(found)
    assert "Calder Food Support" in found
