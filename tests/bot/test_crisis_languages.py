"""Crisis cues in other languages (bot/nlu/crisis_cues_languages.yml): they fire on held-out
crisis texts in each language, not on everyday texts or idioms of dying, and never on English.

The cues and the texts were written without a native speaker: see the notes in both files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.nlu.crisis_cues import DEFAULT_LANGUAGE_CUES, CrisisCues, load_default

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = yaml.safe_load((ROOT / "tests" / "data" / "crisis_heldout_languages.yml")
                         .read_text(encoding="utf-8"))["languages"]
CUES_DATA = yaml.safe_load(DEFAULT_LANGUAGE_CUES.read_text(encoding="utf-8"))
LANGUAGES = {entry["id"]: entry for entry in CUES_DATA["languages"]}
REQUIRED_CODES = {"ur", "pa", "pl", "ar", "bn", "gu", "ro", "sk", "cs", "ku", "fa"}
MARKUP = re.compile(r"\[([^\]]+)\]\([^)]+\)")


@pytest.fixture(scope="module")
def cues() -> CrisisCues:
    return load_default()


def _english_texts() -> list[str]:
    """Every training and held-out text that is neither crisis nor another language."""
    texts = []
    for path in sorted((ROOT / "nlu_data").glob("*.yml")) + [ROOT / "tests" / "data" / "nlu_heldout.yml"]:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in block or block["intent"] in ("crisis", "non_english"):
                continue
            for line in block.get("examples", "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(MARKUP.sub(r"\1", line[2:]).strip())
    return texts


def test_every_language_asked_for_is_there_and_marked_for_review():
    assert "written without a native speaker" in DEFAULT_LANGUAGE_CUES.read_text(encoding="utf-8").lower()
    assert {entry["code"] for entry in LANGUAGES.values()} >= REQUIRED_CODES
    for entry in LANGUAGES.values():
        assert entry["review"] == "native speaker needed", entry["id"]
        assert entry["patterns"], entry["id"]
    assert set(HELDOUT) == set(LANGUAGES)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_each_pattern_fires_on_the_examples_it_was_written_from(cues, language):
    missed = [example for pattern in LANGUAGES[language]["patterns"]
              for example in pattern.get("examples", []) if cues.check(example) is None]
    assert missed == []


@pytest.mark.parametrize("language", sorted(HELDOUT))
def test_heldout_texts_are_enough_and_not_the_cues_own_examples(language):
    data = HELDOUT[language]
    assert len(data["crisis"]) >= 6 and len(data["not_crisis"]) >= 4
    examples = {CrisisCues.normalise_languages(e) for p in LANGUAGES[language]["patterns"]
                for e in p.get("examples", [])}
    assert [t for t in data["crisis"] if CrisisCues.normalise_languages(t) in examples] == []


@pytest.mark.parametrize("language", sorted(HELDOUT))
def test_recall_on_heldout_crisis_texts_is_one(cues, language):
    texts = HELDOUT[language]["crisis"]
    missed = [t for t in texts if cues.check(t) is None]
    recall = (len(texts) - len(missed)) / len(texts)
    assert recall == 1.0, missed


@pytest.mark.parametrize("language", sorted(HELDOUT))
def test_no_false_fires_on_everyday_texts_and_idioms(cues, language):
    fired = {t: cues.check(t) for t in HELDOUT[language]["not_crisis"]}
    assert {t: c for t, c in fired.items() if c is not None} == {}


def test_missing_diacritics_and_other_keyboards_still_fire(cues):
    for text in ("chcę się zabić", "chce sie zabic", "chcę sie zabic", "CHCĘ SIĘ ZABIĆ!!",
                 "main marna chahta hoon", "nechci už žít", "nechci uz zit",
                 "میخوام بمیرم", "ميخوام بميرم", "ਖ਼ੁਦਕੁਸ਼ੀ", "ਖੁਦਕੁਸੀ"):
        assert cues.check(text) is not None, text


def test_a_language_cue_says_which_language_and_why(cues):
    cue = cues.check("chcę się zabić")
    assert cue.cue.startswith("polish.") and cue.language == "pl" and "zabic" in cue.matched
    cue = cues.check("main marna chahta hoon")
    assert cue.cue.startswith("urdu.") and cue.language == "ur"


def test_no_new_fires_on_english_texts(cues):
    english_only = CrisisCues.load(languages_path=None)
    texts = _english_texts()
    assert len(texts) > 500
    new = [t for t in texts if cues.check(t) is not None and english_only.check(t) is None]
    language_fires = [t for t in texts if (cues.check(t) or None) and cues.check(t).language]
    assert new == [] and language_fires == []


def test_english_behaviour_is_unchanged(cues):
    english_only = CrisisCues.load(languages_path=None)
    for text in ("i want to kill myself", "toothache is killing me", "gonna kms", "dying for a brew",
                 "i took 20 pills", "cut my hair"):
        assert cues.check(text) == english_only.check(text)
        assert cues.normalise(text) == english_only.normalise(text)


def test_english_od_cue_fires_on_slavic_od(cues):
    """Known and left for a decision: the English overdose cue `\\bod\\b` reads the Polish, Czech
    and Slovak preposition "od" (from) as "OD". The English cues were not changed here, so this
    pins today's behaviour; drop or change the test when crisis_cues.yml is changed."""
    cue = cues.check("umieram od smiechu")
    assert cue is not None and cue.cue == "overdose" and cue.language is None


def test_everyday_texts_in_other_languages_from_training_do_not_fire(cues):
    blocks = yaml.safe_load((ROOT / "nlu_data" / "conversation.yml").read_text(encoding="utf-8"))["nlu"]
    texts = [line.strip()[2:] for b in blocks if b.get("intent") == "non_english"
             for line in b["examples"].splitlines() if line.strip().startswith("- ")]
    assert texts and [t for t in texts if cues.check(t)] == []
