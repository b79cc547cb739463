"""Every fact the assistant states in its own words is a claim with a source, and every figure in
a claim (phone number, age, interval, time) appears in its source excerpts."""

import re
from pathlib import Path

import pytest
import yaml

from actions import facts, wording
from directory.sources import load_sources

ROOT = Path(__file__).resolve().parents[2]
SOURCES = load_sources()
CLAIMS = facts.claims()
NOT_FACTS = [re.compile(p) for p in yaml.safe_load(facts.FACTS_FILE.read_text())["not_facts"]]
FIGURE = re.compile(r"\d+(?:[.:]\d+)?")


def figures(text: str) -> list[str]:
    return FIGURE.findall(text)


@pytest.mark.parametrize("claim_id", list(CLAIMS))
def test_every_figure_of_a_claim_is_in_its_source_excerpt(claim_id):
    claim = CLAIMS[claim_id]
    assert claim["sources"], claim_id
    assert all(s in SOURCES for s in claim["sources"]), claim_id
    excerpts = re.sub(r"\s+", " ", " ".join(SOURCES[s].excerpt for s in claim["sources"]))
    for figure in figures(claim["text"]):
        assert re.search(rf"(?<!\d){re.escape(figure)}(?!\d)", excerpts), (claim_id, figure)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.?!])\s+|\n", text) if s.strip()]


def stated_texts() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        for name, variants in (yaml.safe_load(path.read_text()).get("responses") or {}).items():
            found += [(name, v["text"]) for v in variants]
    for name in dir(wording):
        value = getattr(wording, name)
        if isinstance(value, str) and name.isupper():
            found.append((name, value))
        elif isinstance(value, dict) and name.isupper():
            found += [(f"{name}[{k}]", v) for k, v in value.items() if isinstance(v, str)]
    return found


@pytest.mark.parametrize("name, text", stated_texts())
def test_every_sentence_with_a_figure_is_a_sourced_claim(name, text):
    claim_texts = [c["text"] for c in CLAIMS.values()]
    for sentence in sentences(text):
        if not figures(sentence) or any(p.search(sentence) for p in NOT_FACTS):
            continue
        assert any(sentence in claim for claim in claim_texts), (name, sentence)


def test_pharmacy_first_earache_is_for_children_only():
    text = CLAIMS["gp_pharmacy_first"]["text"]
    assert "earache (age 1 to 17)" in text
    assert "sore throats and earache" not in wording.GP_INTRO


def test_the_gp_reply_sends_nobody_to_a_and_e():
    assert "A&E" not in wording.GP_INTRO and "hospital" not in wording.GP_NEAREST.lower()


def test_the_check_can_fail():
    excerpt = SOURCES["rf-pharmacy-first"].excerpt
    assert not re.search(r"(?<!\d)18(?!\d)", "age 1 to 17") and "17" in excerpt
    assert "0800 707 6060" not in SOURCES["rf-bowel"].excerpt  # printed as 0800 707 60 60
