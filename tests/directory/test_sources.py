"""Every contact detail of every seed service appears in the source excerpt it names."""

from datetime import date

import pytest

from directory import sources
from directory.gazetteer import load_default

DATA = sources.load_seed()
SERVICES = DATA.services
SOURCES = DATA.sources
IDS = [s["id"] for s in SERVICES]


@pytest.mark.parametrize("service", SERVICES, ids=IDS)
def test_every_contact_detail_is_in_its_source_excerpt(service):
    assert sources.problems(service, SOURCES) == [], service["_file"]


@pytest.mark.parametrize("source", list(SOURCES.values()), ids=list(SOURCES))
def test_every_source_has_a_url_a_read_date_and_a_kind(source):
    assert source.url.startswith(("http://", "https://"))
    assert isinstance(source.read, date) and source.read <= date.today()
    assert source.kind in sources.SOURCE_KINDS
    assert source.excerpt.strip()
    if source.published:
        assert source.published <= source.read


@pytest.mark.parametrize("service", [s for s in SERVICES if s.get("status", "active") == "active"],
                         ids=[s["id"] for s in SERVICES if s.get("status", "active") == "active"])
def test_every_active_service_can_be_reached(service):
    assert sources.reachable(service)


def test_places_and_postcodes_are_known():
    gazetteer = load_default()
    for service in SERVICES:
        for loc in service.get("locations") or []:
            for key in ("postcode", "place"):
                if loc.get(key):
                    found = gazetteer.resolve(str(loc[key]))
                    assert found is not None and found.in_area, (service["id"], key, loc[key])


def test_the_checks_can_fail():
    """A number, time or address that is not in the excerpt is caught."""
    source = sources.Source("s", "https://example.org", date(2026, 12, 1), "own_site",
                            "Call 01484 223000, Monday to Friday 9am to 5pm, at 1 High Street.")
    good = {"id": "x", "sources": ["s"], "phones": [{"number": "01484 223000"}],
            "hours": [{"days": ["MO"], "opens": "09:00", "closes": "17:00"}],
            "hours_text": "Monday to Friday 9am to 5pm", "locations": [{"address": "1 High Street"}]}
    assert sources.problems(good, {"s": source}) == []
    for change in ({"phones": [{"number": "01484 223001"}]},
                   {"hours": [{"days": ["MO"], "opens": "09:30", "closes": "17:00"}]},
                   {"locations": [{"address": "2 High Street"}]},
                   {"email": "a@example.org"}, {"url": "https://other.org"}, {"maximum_age": 18},
                   {"sources": []}, {"sources": ["nope"]}):
        assert sources.problems({**good, **change}, {"s": source}), change
    second_hand = sources.Source("s", "https://example.org", date(2026, 12, 1), "second_hand",
                                 source.excerpt)
    assert sources.problems(good, {"s": second_hand})  # must start due for review
    assert sources.problems({**good, "review": True}, {"s": second_hand}) == []


def test_an_unreachable_active_service_is_refused_by_the_seed_load(tmp_path, empty_directory):
    (tmp_path / "seed.yml").write_text(
        "version: 1\nverified: 2026-12-01\nverified_by: test\n"
        "organizations: [{id: o, name: O}]\n"
        "services:\n"
        "  - {id: nowhere, organization: o, name: Nowhere Group, topics: [food], area: [Kirklees],"
        " source: 'https://example.org'}\n", encoding="utf-8")
    report = empty_directory.seed(tmp_path / "seed.yml")
    assert [label for label, _ in report.skipped] == ["nowhere"]
    assert "Nowhere Group" in report.skipped[0][1]
    assert not report.created


@pytest.mark.parametrize("service", SERVICES, ids=IDS)
def test_no_service_claims_a_check_newer_than_its_sources(service):
    """The details reply says when the facts were confirmed: never after a source was read,
    and for a dated or second-hand page, when that page was written if it says."""
    from directory.repository import seed_row

    row = seed_row(service, SOURCES, DATA.defaults)
    used = [SOURCES[s] for s in service["sources"]]
    assert row["verified"] <= min(s.read for s in used)
    for source in used:
        if source.published and not source.trusted:
            assert row["verified"] <= source.published
