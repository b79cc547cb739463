"""The note in the resident's language (actions/language_notes.yml, actions.language.note_for):
GSM-7, short, there for every language asked for, and sent before the English note."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import NOTES_FILE, load_notes, note_for
from actions.more import ActionNonEnglish
from sms.gsm7 import is_gsm7, non_gsm_characters, segments

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ["ur", "pa", "pl", "ar", "bn", "gu", "ro", "sk", "cs", "ku", "fa"]
NOTES = load_notes()
ENGLISH = yaml.safe_load((ROOT / "bot" / "domain" / "answers.yml").read_text(encoding="utf-8"))[
    "responses"]["utter_non_english"][0]["text"]


def parse(code: str | None, text: str = "...") -> dict:
    language = {"code": code, "non_english": code not in (None, "en")} if code else {}
    return {"text": text, "intent": {"name": "non_english", "confidence": 1.0}, "entities": [],
            "language": language}


def test_every_language_asked_for_has_a_reviewed_note():
    assert "written without a native speaker" in NOTES_FILE.read_text(encoding="utf-8").lower()
    assert set(REQUIRED) <= set(NOTES)
    for code, note in NOTES.items():
        assert note["review"] == "native speaker needed", code
        assert note["text"] and note["latin"], code


def test_every_language_the_guard_detects_has_a_note():
    from bot.nlu.language_guard import LANGUAGES, load_roman_languages

    codes = {language.iso_code_639_1.name.lower() for language in LANGUAGES} - {"en"}
    codes |= {code for code, _, _ in load_roman_languages()["languages"]}
    assert codes <= set(NOTES), codes - set(NOTES)


@pytest.mark.parametrize("code", sorted(NOTES))
def test_latin_note_is_gsm7_and_fits_two_segments_with_the_english(code):
    latin = NOTES[code]["latin"]
    assert is_gsm7(latin), (code, non_gsm_characters(latin))
    assert segments(latin) == 1, (code, len(latin))
    assert segments(latin + "\n" + ENGLISH) <= 2
    for number in ("111", "999"):
        assert number in latin and number in NOTES[code]["text"], (code, number)


def test_note_for_gives_the_latin_note_of_the_detected_language():
    polish = note_for(parse("pl", "chcę się zabić"))
    assert polish == NOTES["pl"]["latin"]
    assert "tlumacza" in polish and "111" in polish and "999" in polish
    assert note_for(parse("ur")) == NOTES["ur"]["latin"]
    assert note_for(parse("PL")) == polish


@pytest.mark.parametrize("value", [None, {}, {"text": "hi"}, parse("en"), parse(None),
                                   parse("xx"), {"language": None}])
def test_note_for_is_none_without_a_known_other_language(value):
    assert note_for(value) is None


def _tracker(parse_data: dict) -> Tracker:
    event = {"event": "user", "text": parse_data.get("text"), "parse_data": parse_data}
    return Tracker("test", {}, parse_data, [event], False, None, {}, None)


@pytest.mark.asyncio
async def test_non_english_reply_sends_the_note_first_then_the_english():
    dispatcher = CollectingDispatcher()
    await ActionNonEnglish().run(dispatcher, _tracker(parse("pl", "potrzebuję lekarza")), {})
    sent = [m.get("text") or m.get("response") for m in dispatcher.messages]
    assert sent == [NOTES["pl"]["latin"], "utter_non_english"]

    dispatcher = CollectingDispatcher()
    await ActionNonEnglish().run(dispatcher, _tracker(parse("xx")), {})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_non_english"]
