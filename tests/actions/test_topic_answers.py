"""Each topic action over the seed directory, through rasa_sdk's dispatcher and a tracker."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.community import ActionCommunity, community_needs
from actions.crisis import ActionCrisis
from actions.dentist import ActionDentist
from actions.gp import ActionGp
from actions.menu import ActionChooseNumber
from actions.mental_health import ActionMentalHealth
from actions.more import ActionMore, ActionNonEnglish
from actions.screening import ActionScreening, programme_in
from sms.gsm7 import is_gsm7
from sms.text import MAX_CHARS

pytestmark = pytest.mark.asyncio


def user(text: str, intent: str, **extra) -> dict:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": [],
             **extra}
    return {"event": "user", "text": text, "parse_data": parse}


def action(name: str) -> dict:
    return {"event": "action", "name": name}


def tracker(*events, **slots) -> Tracker:
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    return Tracker("test", slots, latest, list(events), False, None, {}, None)


async def run(action_, t: Tracker) -> tuple[list[str], dict]:
    dispatcher = CollectingDispatcher()
    events = await action_.run(dispatcher, t, {})
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    texts = [m.get("text") or m.get("response") for m in dispatcher.messages]
    return texts, slots


def check_sms(text: str, limit: int = MAX_CHARS) -> None:
    assert is_gsm7(text), text
    assert len(text) <= limit, (len(text), text)


async def test_community_food_nearest_first_with_distance_and_anchor():
    texts, slots = await run(ActionCommunity(), tracker(
        user("need a food bank", "community"), user("hebden bridge", "inform"),
        location="Hebden Bridge"))
    text = texts[0]
    check_sms(text)
    assert text.startswith("Help with food:")
    assert "1 Calder Food Support" in text and "miles away" in text and "0.0" not in text
    assert slots["last_search"]["topic"] == "food"


async def test_the_community_anchor_is_numbered_like_the_rest():
    texts, slots = await run(ActionCommunity(), tracker(user("need a food bank", "community"),
                                                        location="Halifax"))
    text = texts[0]
    check_sms(text)
    assert "\n3 Community Anchor: " in text and "Reply 1 to 3" in text
    assert len(slots["shown_services"]) == 3


async def test_community_never_offers_a_service_outside_the_place():
    texts, _ = await run(ActionCommunity(), tracker(user("food bank", "community"),
                                                    location="Batley"))
    assert "Todmorden" not in texts[0] and "Halifax" not in texts[0]


async def test_more_gives_the_next_three_then_says_when_there_are_no_more():
    t = tracker(user("im skint and in debt", "community"), location="Halifax")
    first, slots = await run(ActionCommunity(), t)
    shown = list(slots["shown_services"])
    t = tracker(user("more", "more"), location="Halifax", last_search=slots["last_search"])
    more, slots2 = await run(ActionMore(), t)
    check_sms(more[0])
    assert more[0].startswith("More:") and not set(slots2["shown_services"]) & set(shown)
    last = slots2["last_search"]
    for _ in range(10):
        texts, slots3 = await run(ActionMore(), tracker(user("more", "more"), last_search=last))
        if "last_search" in slots3 and slots3["last_search"] is None:
            assert "That is all I have" in texts[0]
            break
        last = slots3["last_search"]
    else:
        pytest.fail("MORE never ran out")


async def test_a_number_after_a_list_gives_full_details():
    t = tracker(user("need a food bank", "community"), location="Hebden Bridge")
    _, slots = await run(ActionCommunity(), t)
    t = tracker(user("food", "community"), action("action_community"), action("action_listen"),
                user("1", "choose_number", entities=[{"entity": "number", "value": "1"}]),
                location="Hebden Bridge", shown_services=slots["shown_services"])
    t.latest_message["entities"] = [{"entity": "number", "value": "1"}]
    texts, _ = await run(ActionChooseNumber(), t)
    assert texts[0].startswith("Calder Food Support")
    assert "Hours: Sat 10:30am to 12:30pm" in texts[0]
    assert "Source dated Apr 2023. Details may have changed, check before you go." in texts[0]
    assert is_gsm7(texts[0])


async def test_a_number_after_the_menu_still_picks_a_topic():
    t = tracker(user("hi", "greet"), action("utter_greet"), action("action_listen"),
                user("3", "choose_number"), shown_services=["x"])
    t.latest_message["entities"] = [{"entity": "number", "value": "3"}]
    _, slots = await run(ActionChooseNumber(), t)
    assert slots["topic"] == "gp"


async def test_gp_answer_has_the_routes_in_order():
    texts, _ = await run(ActionGp(), tracker(user("cant get a docs appt", "gp"),
                                             location="Dewsbury"))
    check_sms(texts[0])
    order = [texts[0].index(fact) for fact in
             ("Contact your GP practice", "NHS App", "Call 111", "pharmacist", "proof of address")]
    assert order == sorted(order), texts[0]
    assert "A&E" not in texts[0]


async def test_dentist_answer():
    texts, slots = await run(ActionDentist(), tracker(user("tooth pain no dentist", "dentist"),
                                                      location="Halifax"))
    check_sms(texts[0])
    assert "111" in texts[0] and "Find an NHS dentist" in texts[0]
    assert "0300 311 2233" in texts[0]


@pytest.mark.parametrize("text, expected", [
    ("lost my bowel kit", "0800 707 6060"),  # the directory's number, shown in UK format
    ("when do i get a mammogram", "breast"),
    ("smear test", "Cervical"),
    ("aaa scan for my dad", "65"),
    ("diabetic eye test", "diabetes"),
    ("free nhs health check", "40 to 74"),
])
async def test_screening_picks_the_programme(text, expected):
    texts, _ = await run(ActionScreening(), tracker(user(text, "screening")))
    check_sms(texts[0])
    assert expected in texts[0]


async def test_screening_asks_which_when_unclear():
    texts, _ = await run(ActionScreening(), tracker(user("screening", "screening")))
    assert "Which screening" in texts[0]


async def test_mental_health_answer_for_the_borough():
    texts, _ = await run(ActionMentalHealth(), tracker(user("feeling low", "mental_health"),
                                                       location="Huddersfield"))
    check_sms(texts[0])
    assert "Talking Therapies" in texts[0] and "choose the mental health option" in texts[0]
    assert "Calderdale" not in texts[0]


async def test_crisis_comes_first_then_safe_spaces_open_now_only(monkeypatch):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import directory.search as search_module

    class Saturday8pm(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 11, 28, 20, 0, tzinfo=ZoneInfo("Europe/London"))

    monkeypatch.setattr(search_module, "datetime", Saturday8pm)
    texts, _ = await run(ActionCrisis(), tracker(user("i want to die", "crisis"),
                                                 location="Huddersfield"))
    assert texts[0] == "utter_crisis"
    assert "Well Bean crisis cafe" in texts[1] and texts[1].startswith("Open now near you:")

    class TuesdayNoon(Saturday8pm):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Europe/London"))

    monkeypatch.setattr(search_module, "datetime", TuesdayNoon)
    texts, _ = await run(ActionCrisis(), tracker(user("i want to die", "crisis"),
                                                 location="Huddersfield"))
    assert texts == ["utter_crisis"]  # the cafe is closed: never offered


async def test_database_down_still_gives_a_safe_answer(directory_down, caplog):
    texts, _ = await run(ActionCommunity(), tracker(user("food bank", "community"),
                                                    location="Batley"))
    assert texts == ["utter_community", "utter_directory_down"]
    texts, _ = await run(ActionCrisis(), tracker(user("i want to die", "crisis"),
                                                 location="Batley"))
    assert texts == ["utter_crisis"]
    texts, _ = await run(ActionMore(), tracker(user("more", "more"),
                                               last_search={"topic": "food", "next": 3}))
    assert texts == ["utter_directory_down"]
    assert "Directory unavailable" in caplog.text and "Batley" not in caplog.text


async def test_non_english_reply_and_crisis_in_another_language():
    texts, _ = await run(ActionNonEnglish(), tracker(user("potrzebuję lekarza", "non_english")))
    assert texts == ["utter_non_english"]
    parse_extra = {"language": {"code": "pl", "non_english": True}}
    texts, _ = await run(ActionCrisis(), tracker(user("chcę umrzeć", "crisis", **parse_extra)))
    assert texts[0] == "utter_crisis" and texts[-1] == "utter_non_english"
    assert texts[1].startswith("Ten serwis dziala tylko po angielsku")  # the note in Polish first


@pytest.mark.parametrize("text, need", [
    ("food bank", "food"), ("cant afford my gas", "warmth"), ("in debt", "money"),
    ("been evicted", "housing"), ("i look after my mum", "carers"),
    ("so lonely", "loneliness"), ("my partner hits me", "domestic_abuse"),
    ("help me get online", "digital"), ("community centre", "community_anchor"),
    ("something to do", None), ("cant afford to heat my house", "warmth"),
    ("im lonely in brighouse", "loneliness"), ("need a bed tonight", "housing"),
    ("i want to stop gambling", "gambling"), ("im pregnant and need a midwife", "maternity"),
])
def test_need_detection(text, need):
    found = community_needs({"text": text, "intent": {"name": "community"}})
    assert (found[0] if found else None) == need


def test_need_words_match_whole_words_only():
    assert community_needs({"text": "im lonely in brighouse"}) == ["loneliness"]
    assert community_needs({"text": "wheat free bread"}) == []
    assert community_needs({"text": "what a lovely day"}) == []


def test_two_needs_are_both_found_in_order():
    assert community_needs({"text": "need food and help with debt"})[:2] == ["food", "money"]


def test_programme_detection_is_none_when_ambiguous():
    assert programme_in("bowel or breast") is None


async def test_nothing_found_says_so_kindly(tmp_path):
    from actions import services
    from directory.db import make_engine
    from directory.migrate import upgrade
    from directory.repository import Directory

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)
    empty = Directory(make_engine(url))
    empty.ensure_taxonomy()
    services.set_directory(empty)
    texts, slots = await run(ActionCommunity(), tracker(user("food bank", "community"),
                                                        location="Batley"))
    assert texts == ["Sorry, I found nothing for that here. Call 111 for health help, any time."]
    texts, _ = await run(ActionMentalHealth(), tracker(user("low", "mental_health"),
                                                       location="Batley"))
    assert "Talking Therapies" in texts[0] and "Reply 1" not in texts[0]


async def test_unknown_place_means_both_boroughs():
    texts, _ = await run(ActionCommunity(), tracker(user("food bank", "community"),
                                                    location="anywhere"))
    assert "miles" not in texts[0] and texts[0].startswith("Help with food:")


@pytest.mark.parametrize("place", ["Huddersfield", "Dewsbury", "Halifax", "anywhere"])
async def test_the_gp_answer_offers_no_a_and_e(place):
    texts, _ = await run(ActionGp(), tracker(user("cant get a docs appt", "gp"), location=place))
    check_sms(texts[0])
    assert "A&E" not in texts[0] and "Contact your GP practice" in texts[0]
    assert "earache (age 1 to 17)" in texts[0]


@pytest.mark.parametrize("place", ["Halifax", "Dewsbury", "Huddersfield", "anywhere"])
async def test_domestic_abuse_lists_start_with_a_24_7_line(place, use_seeded_directory):
    from directory.search import search

    texts, slots = await run(ActionCommunity(), tracker(user("my partner hits me", "community"),
                                                        location=place))
    first = use_seeded_directory.get(slots["shown_services"][0])
    assert first["hours"] == "24/7" and not first["contact_may_be_out_of_date"], first["name"]
    flagged = [r for r in search(use_seeded_directory, topic="domestic_abuse", limit=50)
               if r.service.contact_flagged]
    for result in flagged:  # a possibly out-of-date contact is only ever shown with the warning
        name = result.service.name
        if name in texts[0]:
            line = next(x for x in texts[0].split("\n") if name in x)
            assert "may be out of date" in line


def test_a_possibly_out_of_date_contact_is_never_listed_first(use_seeded_directory):
    from actions.services import safe_order
    from directory.search import search

    results = search(use_seeded_directory, topic="community", place="Halifax", limit=40)
    flagged = [r for r in results if r.service.contact_flagged]
    assert flagged, "the seed has entries whose source says the contact may be out of date"
    assert not safe_order([flagged[0]] + results, "food")[0].service.contact_flagged


async def test_a_service_no_one_can_reach_is_never_offered(tmp_path):
    """Added by a maintainer (not the seed, which refuses it): still never offered to residents."""
    from actions import services
    from directory.migrate import migrated_directory

    directory = migrated_directory(f"sqlite:///{tmp_path / 'reach.db'}")
    directory.ensure_taxonomy()
    directory.upsert_organizations([{"id": "o", "name": "O"}], "test")
    row = {"organization": "o", "topics": ["food"], "area": ["Kirklees"], "source": "https://x.org",
           "verified": "2026-12-01", "verified_by": "test",
           "locations": [{"name": "Hall", "place": "Batley"}]}
    report = directory.load_services(
        [{**row, "id": "nowhere", "name": "Nowhere Pantry"},
         {**row, "id": "somewhere", "name": "Somewhere Pantry", "phones": ["01924 326000"]}],
        "test", "add")
    assert len(report.created) == 2
    services.set_directory(directory)
    texts, slots = await run(ActionCommunity(), tracker(user("food bank", "community"),
                                                        location="Batley"))
    assert "Somewhere Pantry" in texts[0] and "Nowhere Pantry" not in texts[0]
    assert len(slots["shown_services"]) == 1
