"""Every response is plain GSM-7 SMS text and short; the menu fits one SMS."""

from pathlib import Path

import pytest
import yaml

from sms.gsm7 import is_gsm7, non_gsm_characters, segments


def _responses():
    for path in sorted(Path("bot/domain").glob("*.yml")):
        for name, variants in (yaml.safe_load(path.read_text()).get("responses") or {}).items():
            for variant in variants:
                yield name, variant["text"]


RESPONSES = list(_responses())


def test_there_are_responses():
    assert len(RESPONSES) > 15


@pytest.mark.parametrize("name, text", RESPONSES)
def test_response_is_gsm7_and_at_most_three_segments(name, text):
    assert is_gsm7(text), (name, non_gsm_characters(text))
    assert segments(text.replace("{suggested_text}", "food, money or community help")) <= 3, name


@pytest.mark.parametrize("name", ["utter_greet", "utter_help", "utter_ask_location"])
def test_first_contact_fits_one_sms(name):
    texts = [t for n, t in RESPONSES if n == name]
    assert texts and all(segments(t) == 1 for t in texts)


def test_menu_offers_six_numbered_topics():
    text = next(t for n, t in RESPONSES if n == "utter_help")
    for number in range(1, 7):
        assert f"\n{number} " in text


def test_crisis_reply_has_every_contact():
    text = next(t for n, t in RESPONSES if n == "utter_crisis")
    for contact in ("999", "116 123", "SHOUT", "85258", "111", "mental health option"):
        assert contact in text


def test_segments_counts():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 459) == 3
    assert segments("\u2019") == 1 and not is_gsm7("\u201chi\u201d \U0001F600")
