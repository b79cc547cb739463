"""Open Referral UK 3.0 export (valid against the official schemas) and tolerant import."""

import json

import jsonschema
import pytest

from directory import oruk
from directory.ids import to_uuid

from .conftest import SHARED

SCHEMAS = SHARED / "oruk-3.0" / "schema" / "compiled"


def validator(name: str):
    path = SCHEMAS / name
    if not path.exists():
        pytest.skip(f"{path} is not beside the project")
    schema = json.loads(path.read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(validator_, document) -> list[str]:
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator_.iter_errors(document)]


def test_every_full_service_document_is_valid(seeded_sqlite):
    check = validator("service.json")
    page = oruk.export(seeded_sqlite)
    assert page["total_items"] == len(page["contents"]) >= 70
    for document in page["contents"]:
        assert errors(check, document) == [], document["name"]


def test_services_pages_are_valid_and_paginate(seeded_sqlite):
    check = validator("service_list.json")
    first = oruk.services_page(seeded_sqlite, page=1, per_page=10)
    last = oruk.services_page(seeded_sqlite, page=first["total_pages"], per_page=10)
    assert first["first_page"] and not first["last_page"] and first["size"] == 10
    assert last["last_page"] and not last["empty"]
    for document in first["contents"] + last["contents"]:
        assert errors(check, document) == []
    assert {"total_items", "total_pages", "page_number", "size", "first_page", "last_page",
            "empty", "contents"} <= set(first)


def test_search_and_taxonomy_filters(seeded_sqlite):
    page = oruk.services_page(seeded_sqlite, search_text="samaritans")
    found = [s["name"] for s in page["contents"]]
    assert "Samaritans" in found and all(name.startswith("Samaritans") for name in found)
    food = oruk.services_page(seeded_sqlite, taxonomy_term_id=to_uuid("term", "food"),
                              per_page=100)
    assert "Todmorden Foodbank" in [s["name"] for s in food["contents"]]


def test_our_own_export_imports_back_unchanged(directory):
    page = oruk.export(directory)
    report, warnings = oruk.import_documents(directory, page, actor="test")
    assert report.created == [] and report.updated == [] and report.skipped == []
    assert len(report.unchanged) == page["total_items"] and warnings == []


MESSY_FEED = {
    "total_items": 3, "contents": [
        {
            "id": "2f1d9f0e-6a51-4b6c-9a0a-3c1b7f9d8e01",
            "name": "<b>Lindley</b> Lunch Club",
            "description": "<p>Hot lunch &amp; a chat.<br>All welcome.</p>",
            "status": "active",
            "minimum_age": -1,
            "maximum_age": -1,
            "assured_date": "2026-10-01T09:30:00",
            "last_modified": "2026-10-01T09:30:00",
            "organization": {"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                             "name": "Lindley Friends", "description": "Volunteers"},
            "service_areas": [{"id": "a1", "name": "Kirklees"}],
            "contacts": [{"id": "c1", "phones": [
                {"id": "p1", "number": "Call us on 01484 123456 (mornings)"},
                {"id": "p2", "number": "ask at the desk"}]}],
            "schedules": [{"id": "s1", "freq": "WEEKLY", "byday": "WE",
                           "opens_at": "12:00:00Z", "closes_at": "14:00:00Z"}],
            "service_at_locations": [{"id": "sal1", "location": {
                "id": "9b2e1c3d-1111-4222-8333-944455556666", "location_type": "physical",
                "name": "Lindley Church Hall",
                "addresses": [{"id": "ad1", "address_1": "Town Street", "city": "Lindley",
                               "postal_code": "HD3 3AA", "country": "GB",
                               "state_province": "West Yorkshire", "address_type": "physical"}]}}],
            "attributes": [{"id": "at1", "taxonomy_term": {"id": "x", "name": "Loneliness and befriending"}},
                           {"id": "at2", "taxonomy_term": {"id": "y", "name": "Knitting"}}],
        },
        {"id": "no-area", "name": "Somewhere else", "status": "active",
         "organization": {"id": "o2", "name": "Elsewhere", "description": "x"},
         "service_areas": [{"id": "a2", "name": "Leeds"}]},
        {"name": "No id at all", "status": "active"},
    ]}


def test_a_messy_real_feed_is_imported_tolerantly_and_twice_is_a_no_op(directory):
    report, warnings = oruk.import_documents(directory, MESSY_FEED, actor="test",
                                             source="https://example.org/oruk")
    assert len(report.created) == 1
    skipped = dict(report.skipped)
    assert "no-area" in skipped and "no service area" in skipped["no-area"]
    assert any("id and a name" in why for why in skipped.values())
    assert any("ask at the desk" in w for w in warnings)
    assert any("Knitting" in w for w in warnings)

    service = directory.get("2f1d9f0e-6a51-4b6c-9a0a-3c1b7f9d8e01")
    assert service["name"] == "Lindley Lunch Club"
    assert service["description"] == "Hot lunch & a chat. All welcome."
    assert service["minimum_age"] is None and service["maximum_age"] is None
    assert service["verified"] == "2026-10-01" and service["review"] is True
    assert service["phones"] == [{"number": "+441484123456", "kind": "call", "note": None}]
    assert service["hours"] == [{"days": ["WE"], "opens": "12:00", "closes": "14:00"}]
    assert service["topics"] == ["loneliness"]
    assert service["source"] == "https://example.org/oruk"

    again, _ = oruk.import_documents(directory, MESSY_FEED, actor="test",
                                     source="https://example.org/oruk")
    assert again.created == [] and again.updated == [] and len(again.unchanged) == 1
    assert [h.action for h in directory.history(service["id"])] == ["import"]
