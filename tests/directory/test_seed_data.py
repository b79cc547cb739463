"""The seed data file: real services, every fact sourced, nothing invented."""

import re
from datetime import date
from pathlib import Path

import phonenumbers
import pytest
import yaml

from directory import phones
from directory.repository import SEED_FILE
from directory.sources import SOURCES_DIR

from .conftest import SHARED

SEED = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
SERVICES = SEED["services"]
VCSE_EXCLUDED = {"nhs-england", "emergency-services", "chft", "midyorks", "swypft", "wy-icb",
                 "calderdale-council", "kirklees-council"}


def all_phones():
    for service in SERVICES:
        for phone in service.get("phones") or []:
            yield service["id"], str(phone["number"])


@pytest.mark.parametrize("service_id, number", list(all_phones()))
def test_every_phone_number_is_a_valid_uk_number(service_id, number):
    stored = phones.normalise(number)
    parsed = phonenumbers.parse(stored, "GB")
    if phones.is_short(stored):
        assert phonenumbers.shortnumberinfo.is_valid_short_number_for_region(parsed, "GB")
    else:
        assert phonenumbers.is_valid_number(parsed) and parsed.country_code == 44


def test_every_service_has_a_source_and_a_verified_date():
    verified = SEED["verified"]
    assert isinstance(verified, date) and verified <= date.today()
    assert SEED["verified_by"]
    for service in SERVICES:
        assert str(service["source"]).startswith(("http://", "https://")), service["id"]
        assert isinstance(service.get("verified", verified), date), service["id"]


def test_dated_or_second_hand_sources_start_due_for_review():
    for service in SERVICES:
        note = (service.get("source_note") or "").lower()
        if "[dated" in note or "[secondary" in note or "[undated" in note:
            assert service.get("review") is True, service["id"]


def test_the_seed_covers_what_residents_need():
    ids = {s["id"] for s in SERVICES}
    for needed in ("emergency-999", "samaritans", "shout", "nhs-111-mental-health",
                   "papyrus-hopeline", "childline", "calm-helpline", "kirklees-talking-therapies",
                   "calderdale-talking-therapies", "gp-registration", "nhs-app", "pharmacy-first",
                   "find-nhs-dentist", "urgent-dental-care", "nhs-dental-charges",
                   "bowel-screening", "breast-screening", "cervical-screening", "aaa-screening",
                   "nhs-health-check", "well-bean-crisis-cafe"):
        assert needed in ids
    vcse = [s for s in SERVICES if s["organization"] not in VCSE_EXCLUDED]
    assert len(vcse) >= 30
    local = [s for s in vcse if s["area"] != "national"]
    for borough in ("Kirklees", "Calderdale"):
        assert any(borough in s["area"] or any(str(a).startswith({"Kirklees": ("HD", "WF", "BD"),
                   "Calderdale": ("HX", "OL")}[borough]) for a in s["area"]) for s in local)


def test_excerpts_taken_from_the_seed_facts_are_copied_exactly():
    """Nothing invented: an excerpt that says it came via ../shared/seed-facts.md is in it, word
    for word (each phone number's own source excerpt is checked in test_sources.py)."""
    facts_file = SHARED / "seed-facts.md"
    if not facts_file.exists():
        pytest.skip("../shared/seed-facts.md is not beside the project")
    facts = facts_file.read_text(encoding="utf-8")
    copied = 0
    for path in sorted(SOURCES_DIR.glob("*.yml")):
        for source_id, entry in (yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]).items():
            if "seed-facts.md" not in str(entry.get("via", "")):
                continue
            for passage in str(entry["excerpt"]).split("\n...\n"):
                assert passage.strip() in facts, (path.name, source_id)
            copied += 1
    assert copied >= 50


def test_no_unverified_fact_became_a_phone_number():
    for service in SERVICES:
        note = service.get("source_note") or ""
        if re.search(r"(phone|number|contact)[^.;]*UNVERIFIED", note, re.IGNORECASE):
            assert not service.get("phones"), service["id"]
