"""A real, public Open Referral feed nobody here wrote: North Lincolnshire, December 2024.

The fixture (tests/data/oruk/, origin and licence in its README) is in the older ORUK v1 shape:
nested `organization`, `pc_*` extras, HTML descriptions, empty strings, and no areas, locations,
schedules or phones. Its services are all in North Lincolnshire, so the import must store none of
them, say why for each, and never let one reach a resident of Kirklees or Calderdale.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from directory import oruk
from directory.models import AuditRecord, Organization, Service
from directory.search import search

DATA = Path(__file__).resolve().parents[1] / "data" / "oruk"
FIXTURE = DATA / "north-lincolnshire-2024-12.json"
SOURCE = "https://northlincs.openplace.directory/o/ServiceDirectoryService/v2/services"
COMMIT = "98f87f208d50bace51179c6f791d3b5c98ad7486"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def counts(directory) -> dict[str, int]:
    with directory.sessions() as session:
        return {name: session.execute(select(func.count()).select_from(model)).scalar_one()
                for name, model in (("services", Service), ("organizations", Organization),
                                    ("audit", AuditRecord))}


def expected_reasons(record: dict) -> str:
    """Why the importer must skip this record, worked out from the record itself."""
    why = []
    # This feed names no area and no venue, so nothing can place it in either borough.
    if not record.get("service_areas") and not record.get("service_at_locations"):
        why.append(oruk.OUT_OF_AREA)
    phones = [p for c in record.get("contacts") or [] for p in c.get("phones") or []]
    if not (phones or record.get("phones") or record.get("email") or record.get("url")):
        why.append(oruk.UNREACHABLE)
    return "; ".join(why)


def test_the_fixture_is_the_real_feed_and_says_where_it_came_from(records):
    assert len(records) == 30 and len({r["id"] for r in records}) == 30
    # The ORUK v1 shape as published, not tidied up by us.
    assert all("pc_metadata" in r and isinstance(r["organization"], dict) for r in records)
    assert not any(k in r for r in records
                   for k in ("service_areas", "service_at_locations", "contacts", "schedules"))
    assert records[0]["name"] == '"We are with You" WAWY'
    assert records[0]["description"].startswith("<p>Struggling with Drug &amp; Alcohol")
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for fact in ("AaronJY/fh-or-tester", "data/North Lincolnshire Council.json", COMMIT,
                 "North Lincolnshire Council", SOURCE, "first 30 service records",
                 "each record unchanged", "December 2024"):
        assert fact in readme, fact
    assert re.search(r"\*\*Licence\*\*: none stated", readme)


def test_every_out_of_area_service_is_skipped_with_its_reason(empty_directory, records):
    before = counts(empty_directory)
    report, warnings = oruk.import_documents(empty_directory, records, actor="test",
                                             source=SOURCE)

    expected = {r["id"]: expected_reasons(r) for r in records}
    assert dict(report.skipped) == expected
    assert report.created == report.updated == report.unchanged == report.kept == []
    # Counted from the data above; the literals say what that data is.
    reasons = Counter(expected.values())
    assert reasons == {oruk.OUT_OF_AREA: 30}
    assert sum(oruk.UNREACHABLE in why for why in expected.values()) == 0
    assert report.summary() == "0 created, 0 updated, 0 unchanged, 30 skipped"
    # Nothing stored, not even inactive: no service, no organisation, no audit entry.
    assert counts(empty_directory) == before
    assert oruk.services_page(empty_directory)["total_items"] == 0
    assert warnings == []

    # Never offered to a resident, whatever they ask for and wherever they are.
    ids = {r["id"] for r in records}
    for place in ("Huddersfield", "Halifax", "HD1", "HX1 2QA", "anywhere"):
        for topic in (None, "community", "mental_health"):
            found = search(empty_directory, topic=topic, place=place, limit=50)
            assert not ids & {result.id for result in found}, (place, topic)
        for text in ("walking football", "suicide bereavement", "antenatal"):
            assert not ids & {r.id for r in search(empty_directory, place=place, text=text)}

    again, warnings_again = oruk.import_documents(empty_directory, records, actor="test",
                                                  source=SOURCE)
    assert again.created == again.updated == again.unchanged == []
    assert dict(again.skipped) == expected and warnings_again == []
    assert counts(empty_directory) == before


def test_the_v1_shape_is_read_correctly(empty_directory, records):
    """Were these services in Kirklees, this is what would be stored (an in-memory copy with an
    area added; nothing is written to the directory)."""
    for record in records:
        doc = {**copy.deepcopy(record), "service_areas": [{"id": "test", "name": "Kirklees"}]}
        row, warnings = oruk.row_from_document(doc, empty_directory, SOURCE, "test", {})
        assert row["id"] == record["id"] and row["status"] == "active"
        assert row["organization"] == record["organization"]["id"]
        assert row["area"] == ["Kirklees"] and row["phones"] == [] and row["locations"] == []
        assert "<" not in row["description"] and "&nbsp;" not in row["description"]
        assert "&amp;" not in row["description"] and "\xa0" not in row["description"]
        assert row["fees"] is None and row["hours"] is None  # "" is not a fee
        assert row["email"] == record["email"] and row["url"].startswith(("http://", "https://"))
        assert row["verified"] == record["assured_date"] and row["review"] is True
        assert row["verified_by"] == "import by test"  # not the council officer's email
        assert warnings == []
    first = oruk.row_from_document({**records[0], "service_areas": [{"name": "Kirklees"}]},
                                   empty_directory, SOURCE, "test", {})[0]
    assert first["description"].startswith(
        "Struggling with Drug & Alcohol Addiction? We Are With You provide free")
    pilates = next(r for r in records if r["name"] == "All Abilities Pilates Classes")
    assert pilates["url"] == "balancedcoaching.co.uk"  # as published: no scheme
    row, _ = oruk.row_from_document({**pilates, "service_areas": [{"name": "Calderdale"}]},
                                    empty_directory, SOURCE, "test", {})
    assert row["url"] == "https://balancedcoaching.co.uk"


def place(record: dict, **address) -> dict:
    """A copy of a real record with one venue at `address` (and still no service area)."""
    return {**copy.deepcopy(record), "service_at_locations": [
        {"id": "sal", "location": {"id": "loc", "name": "Venue", "addresses": [
            {"id": "ad", "address_1": "1 High Street", "city": address.get("city", ""),
             "postal_code": address.get("postcode", "")}]}}]}


def test_a_venue_decides_the_area_when_the_feed_gives_none(empty_directory, records):
    record = records[2]  # Action Station
    read = lambda doc: oruk.row_from_document(doc, empty_directory, SOURCE, "test", {})  # noqa: E731
    assert read(place(record, postcode="HD3 3AA"))[0]["area"] == ["Kirklees"]
    assert read(place(record, city="Halifax"))[0]["area"] == ["Calderdale"]
    # Its own town, and near misses, are not in either borough: no fuzzy matching here.
    for address in ({"postcode": "DN15 6NL"}, {"city": "Scunthorpe"}, {"city": "Brigg"},
                    {"postcode": "DN15 6NL", "city": "Halifax"}):
        with pytest.raises(ValueError, match="outside Kirklees and Calderdale"):
            read(place(record, **address))


def test_a_service_with_no_way_to_reach_it_is_reported(empty_directory, records):
    blank = {**copy.deepcopy(records[0]), "email": "", "url": ""}
    report, _ = oruk.import_documents(empty_directory, [blank], actor="test", source=SOURCE)
    assert report.skipped == [(blank["id"], f"{oruk.OUT_OF_AREA}; {oruk.UNREACHABLE}")]
    in_area = {**blank, "service_areas": [{"name": "Kirklees"}]}
    report, _ = oruk.import_documents(empty_directory, [in_area], actor="test", source=SOURCE)
    assert report.skipped == [(blank["id"], oruk.UNREACHABLE)] and report.created == []
    assert counts(empty_directory)["services"] == 0
