"""Every response template and every action's output over the seed directory: plain GSM-7,
at most 3 SMS segments (details may be longer: the resident asked), and plain English
(Flesch-Kincaid grade at most 6 with service names left out)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
import textstat
import yaml

from actions.community import COMMUNITY_NEEDS, ActionCommunity
from actions.crisis import ActionCrisis
from actions.dentist import ActionDentist
from actions.gp import ActionGp
from actions.mental_health import ActionMentalHealth
from actions.replies import service_details
from actions.screening import PROGRAMMES, ActionScreening
from sms.gsm7 import is_gsm7, segments
from sms.text import MAX_CHARS

from .test_topic_answers import run, tracker, user

ROOT = Path(__file__).resolve().parents[2]
PLACES = ["Batley", "Hebden Bridge", "HX1 2QA", "Holmfirth", "Todmorden", "anywhere", None]
MAX_GRADE = 6


def templates() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        for name, variants in (yaml.safe_load(path.read_text())["responses"] or {}).items() \
                if "responses" in yaml.safe_load(path.read_text()) else []:
            for variant in variants:
                found.append((name, variant["text"].replace("{count}", "3")))
    return found


def outputs() -> list[tuple[str, str]]:
    cases = []
    for place in PLACES:
        cases += [("mental_health", ActionMentalHealth(), user("feeling low", "mental_health"), place),
                  ("gp", ActionGp(), user("need a gp", "gp"), place),
                  ("dentist", ActionDentist(), user("need a dentist", "dentist"), place)]
        for need in COMMUNITY_NEEDS:
            cases.append((f"community:{need}", ActionCommunity(),
                          user(f"help {need.replace('_', ' ')}", "community"), place))
        cases.append(("community", ActionCommunity(), user("some help", "community"), place))
    for code, _ in PROGRAMMES:
        word = {"screening_bowel": "bowel", "screening_breast": "breast",
                "screening_cervical": "smear", "screening_aaa": "aaa", "screening_lung": "lung",
                "screening_diabetic_eye": "diabetic eye", "screening_health_check": "health check"}[code]
        cases.append((code, ActionScreening(), user(f"{word} screening", "screening"), None))
    cases.append(("screening", ActionScreening(), user("screening", "screening"), None))
    cases.append(("crisis", ActionCrisis(), user("i want to die", "crisis"), None))

    texts = []
    loop = asyncio.new_event_loop()  # its own loop: the async tests before it close theirs
    try:
        for label, action, event, place in cases:
            out, _ = loop.run_until_complete(run(action, tracker(event, location=place)))
            texts += [(f"{label}@{place}", t) for t in out if not t.startswith("utter_")]
    finally:
        loop.close()
    return texts


def names_removed(text: str, names: list[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "Name")
    # Web addresses are contact details, like names: not prose to score.
    text = re.sub(r"\b[\w.-]+\.(org|uk|com|net)(/[\w./-]*)?", "the web", text)
    # A numbered line reads as a sentence of its own.
    return re.sub(r"\n", ". ", text)


@pytest.fixture(scope="module")
def all_outputs(seeded_directory):
    from actions import services

    services.set_directory(seeded_directory)
    return outputs()


@pytest.fixture(scope="module")
def service_names(seeded_directory) -> list[str]:
    from directory.oruk import export_plain

    plains = list(export_plain(seeded_directory))
    return [p["name"] for p in plains] + [o for p in plains for o in
                                          [(loc.get("name") or "") for loc in p["locations"]] if o]


@pytest.mark.parametrize("name, text", templates())
def test_every_template_is_plain_short_sms(name, text):
    assert is_gsm7(text), name
    assert segments(text) <= 3, name
    assert textstat.flesch_kincaid_grade(names_removed(text, [])) <= MAX_GRADE, (name, text)


def test_every_action_output_is_plain_short_sms(all_outputs, service_names):
    assert len(all_outputs) > 60
    hard = []
    for label, text in all_outputs:
        assert is_gsm7(text), (label, text)
        assert len(text) <= MAX_CHARS and segments(text) <= 3, (label, len(text), text)
        grade = textstat.flesch_kincaid_grade(names_removed(text, service_names))
        if grade > MAX_GRADE:
            hard.append((label, grade, text))
    assert hard == []


def test_uk_number_format(all_outputs):
    joined = "\n".join(t for _, t in all_outputs)
    assert "+44" not in joined
    assert "0800 707 6060" in joined or "0300 311 2233" in joined


def test_details_of_every_service_are_plain_text(seeded_directory, service_names):
    from directory.oruk import export_plain

    for plain in export_plain(seeded_directory):
        text = service_details(plain)
        assert is_gsm7(text), plain["name"]
        assert "+44" not in text
