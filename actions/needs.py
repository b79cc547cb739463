"""The needs the NLU found in the resident's request (see bot/nlu/needs.py), read from the tracker."""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

from bot.nlu.needs import load_default

# A few words for each need, for "Need help with money too? Text MONEY."
NEED_WORDS = {
    "food": ("food", "FOOD"), "warmth": ("heating or energy", "WARM"),
    "money": ("money or debt", "MONEY"), "housing": ("housing", "HOUSING"),
    "carers": ("caring for someone", "CARERS"), "loneliness": ("feeling lonely", "LONELY"),
    "domestic_abuse": ("abuse at home", "ABUSE"), "bereavement": ("grief", "GRIEF"),
    "alcohol_drugs": ("alcohol or drugs", "ALCOHOL"), "gambling": ("gambling", "GAMBLING"),
    "digital": ("getting online", "ONLINE"), "youth": ("children or young people", "YOUNG"),
    "older_people": ("older people", "OLDER"), "disability": ("disability", "DISABILITY"),
    "volunteering": ("volunteering", "VOLUNTEER"), "complaints": ("a complaint", "COMPLAINT"),
    "stop_smoking": ("stopping smoking", "SMOKING"), "maternity": ("pregnancy", "MIDWIFE"),
    "dementia": ("dementia", "DEMENTIA"), "hospice": ("end of life care", "HOSPICE"),
    "mental_health": ("your mental health", "MENTAL HEALTH"), "gp": ("a GP", "GP"),
    "dentist": ("a dentist", "DENTIST"),
}


def request_parse(tracker: Tracker, intents: tuple[str, ...]) -> dict:
    """The parse of the latest text classified as one of `intents` (the request being answered)."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") in intents:
            return parse
    return {}


def needs_of(parse: dict, topic: Optional[str] = None) -> list[str]:
    """Need codes in the parse, in its order; only those a `topic` answers when given.
    A parse from a model without the NeedExtractor is read with the same word list. A need the
    topic gave (no word named it) is left out: the topic is answered as such."""
    if "needs" in parse:
        needs = parse.get("needs") or []
    else:
        intent = (parse.get("intent") or {}).get("name")
        finder = load_default()
        needs = [{"code": n.code, "topic": n.topic}
                 for n in finder.ordered(finder.find(parse.get("text") or ""), intent)]
    return [n["code"] for n in needs
            if not n.get("from_topic") and (topic is None or n.get("topic") == topic)]


def offer_line(code: str) -> str:
    words, keyword = NEED_WORDS.get(code, (code.replace("_", " "), code.upper()))
    return f"Need help with {words} too? Text {keyword}."
