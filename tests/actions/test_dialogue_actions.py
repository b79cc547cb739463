"""The dialogue actions on their own, through rasa_sdk's dispatcher and a tracker."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.crisis import ActionCrisis
from actions.fallback import ActionAnswerSuggestion, ActionClarify, ActionOutOfScope
from actions.gp import ActionGp
from actions.menu import ActionChooseNumber, ActionPlaceChanged
from actions.place_form import ANYWHERE, ValidatePlaceForm

pytestmark = pytest.mark.asyncio


def user_event(text: str, intent: str, confidence: float = 0.9,
               entities: list[dict] | None = None,
               ranking: list[dict] | None = None) -> dict[str, Any]:
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
        "intent_ranking": ranking or [{"name": intent, "confidence": confidence}],
    }
    return {"event": "user", "text": text, "parse_data": parse}


def tracker(*events: dict, slots: dict | None = None, loop: str | None = None) -> Tracker:
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    return Tracker(
        sender_id="test", slots=slots or {}, latest_message=latest, events=list(events),
        paused=False, followup_action=None,
        active_loop={"name": loop} if loop else {}, latest_action_name=None,
    )


def names(events: list[dict]) -> list[tuple]:
    return [(e["event"], e.get("name"), e.get("value")) for e in events]


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("response") for m in dispatcher.messages]


async def test_menu_number_three_routes_gp_through_the_place_form():
    dispatcher = CollectingDispatcher()
    t = tracker(user_event("3", "choose_number", entities=[{"entity": "number", "value": "3"}]))
    events = await ActionChooseNumber().run(dispatcher, t, {})
    assert ("slot", "topic", "gp") in names(events)
    assert ("followup", "place_form", None) in names(events)


async def test_menu_number_five_screening_needs_no_place():
    t = tracker(user_event("5", "choose_number", entities=[{"entity": "number", "value": "5"}]))
    events = await ActionChooseNumber().run(CollectingDispatcher(), t, {})
    assert ("followup", "action_screening", None) in names(events)


async def test_menu_number_out_of_range_says_so():
    dispatcher = CollectingDispatcher()
    t = tracker(user_event("9", "choose_number", entities=[{"entity": "number", "value": "9"}]))
    assert await ActionChooseNumber().run(dispatcher, t, {}) == []
    assert responses(dispatcher) == ["utter_menu_invalid"]


async def test_place_changed_with_no_topic_asks_what_is_needed():
    dispatcher = CollectingDispatcher()
    t = tracker(user_event("im in batley", "inform",
                           entities=[{"entity": "location", "value": "Batley"}]))
    assert await ActionPlaceChanged().run(dispatcher, t, {}) == []
    assert responses(dispatcher) == ["utter_what_need"]


async def test_place_changed_reanswers_the_current_topic():
    t = tracker(user_event("actually im in batley", "inform",
                           entities=[{"entity": "location", "value": "Batley"}]),
                slots={"topic": "dentist", "location": "Dewsbury"})
    events = await ActionPlaceChanged().run(CollectingDispatcher(), t, {})
    assert ("followup", "place_form", None) in names(events)


async def test_topic_action_answers_and_remembers_the_topic():
    dispatcher = CollectingDispatcher()
    events = await ActionGp().run(dispatcher, tracker(user_event("need a gp", "gp"),
                                                      slots={"location": "Batley"}), {})
    assert "proof of address" in dispatcher.messages[0]["text"]
    assert ("slot", "topic", "gp") in names(events)


async def test_crisis_action_sends_crisis_contacts_first():
    dispatcher = CollectingDispatcher()
    await ActionCrisis().run(dispatcher, tracker(user_event("i want to die", "crisis")), {})
    assert responses(dispatcher)[0] == "utter_crisis"


class TestPlaceForm:
    @pytest.fixture
    def form(self) -> ValidatePlaceForm:
        return ValidatePlaceForm()

    async def test_town_is_accepted_with_its_proper_name(self, form):
        t = tracker(user_event("hebden brige", "inform"), slots={"requested_slot": "location"})
        result = await form.validate_location("hebden brige", CollectingDispatcher(), t, {})
        assert result["location"] == "Hebden Bridge"
        assert result["place_tries"] == 0

    async def test_postcode_is_kept_as_postcode(self, form):
        t = tracker(user_event("hx1 2qa", "inform"), slots={"requested_slot": "location"})
        result = await form.validate_location("hx1 2qa", CollectingDispatcher(), t, {})
        assert result["location"] == "HX1 2QA"

    async def test_out_of_area_postcode_is_refused_and_explained(self, form):
        t = tracker(user_event("LS1 4AP", "inform"), slots={"requested_slot": "location"})
        result = await form.validate_location("LS1 4AP", CollectingDispatcher(), t, {})
        assert result == {"location": None, "place_problem": "out_of_area", "place_tries": 1}

    async def test_second_unknown_place_gives_up_asking(self, form):
        dispatcher = CollectingDispatcher()
        t = tracker(user_event("narnia", "inform"),
                    slots={"requested_slot": "location", "place_tries": 1})
        result = await form.validate_location("narnia", dispatcher, t, {})
        assert result["location"] == ANYWHERE
        assert responses(dispatcher) == ["utter_place_anywhere"]

    async def test_skip_means_anywhere(self, form):
        t = tracker(user_event("dunno", "nlu_fallback"), slots={"requested_slot": "location"})
        assert await form.extract_location(CollectingDispatcher(), t, {}) == {"location": ANYWHERE}

    async def test_a_short_reply_is_read_as_a_place_even_if_out_of_scope(self, form):
        t = tracker(user_event("gotham", "out_of_scope"), slots={"requested_slot": "location"})
        assert await form.extract_location(CollectingDispatcher(), t, {}) == {"location": "gotham"}

    async def test_a_long_out_of_scope_reply_is_a_change_of_subject(self, form):
        t = tracker(user_event("whats on the telly tonight", "out_of_scope"),
                    slots={"requested_slot": "location"})
        assert await form.extract_location(CollectingDispatcher(), t, {}) == {}

    async def test_nothing_is_read_before_the_question_is_asked(self, form):
        t = tracker(user_event("need a gp", "gp"), slots={"requested_slot": None})
        assert await form.extract_location(CollectingDispatcher(), t, {}) == {}

    @pytest.mark.parametrize("text, intent", [("need a gp", "gp"), ("food bank", "community"),
                                              ("dunno", "nlu_fallback"), ("gotham", "out_of_scope")])
    async def test_a_form_starting_with_nothing_to_check_gets_nothing_back(self, form, text,
                                                                          intent):
        """bot/form_activation.py skips this call; it must stay a call that does nothing."""
        domain = {"forms": {"place_form": {"required_slots": ["location"]}},
                  "slots": {"location": {}, "place_problem": {}, "place_tries": {}}}
        dispatcher = CollectingDispatcher()
        t = tracker(user_event(text, intent),
                    {"event": "slot", "name": "requested_slot", "value": None},
                    {"event": "action", "name": "place_form"},
                    slots={"requested_slot": None, "location": None}, loop="place_form")
        assert await form.run(dispatcher, t, domain) == []
        assert dispatcher.messages == []

    async def test_an_other_request_is_not_taken_as_a_place(self, form):
        t = tracker(user_event("what is this", "help"), slots={"requested_slot": "location"})
        assert await form.extract_location(CollectingDispatcher(), t, {}) == {}


class TestClarify:
    async def test_first_unclear_text_suggests_the_likely_topic(self):
        dispatcher = CollectingDispatcher()
        t = tracker(user_event("teeth", "nlu_fallback", 0.3,
                               ranking=[{"name": "nlu_fallback", "confidence": 0.5},
                                        {"name": "dentist", "confidence": 0.3}]))
        events = await ActionClarify().run(dispatcher, t, {})
        assert responses(dispatcher) == ["utter_suggest_topic"]
        assert ("slot", "suggested_topic", "dentist") in names(events)

    async def test_unclear_text_with_no_likely_topic_asks_to_rephrase(self):
        dispatcher = CollectingDispatcher()
        t = tracker(user_event("zxqv", "nlu_fallback", 0.2,
                               ranking=[{"name": "nlu_fallback", "confidence": 0.5},
                                        {"name": "greet", "confidence": 0.2}]))
        await ActionClarify().run(dispatcher, t, {})
        assert responses(dispatcher) == ["utter_ask_rephrase"]

    async def test_second_unclear_text_offers_a_person(self):
        dispatcher = CollectingDispatcher()
        t = tracker(user_event("zxqv", "nlu_fallback", 0.2),
                    {"event": "bot", "text": "Sorry, I did not get that."},
                    user_event("plomk", "nlu_fallback", 0.2))
        await ActionClarify().run(dispatcher, t, {})
        assert responses(dispatcher) == ["utter_human_route"]

    async def test_a_bare_place_is_treated_as_a_change_of_place(self):
        t = tracker(user_event("shelf", "nlu_fallback", 0.3,
                               entities=[{"entity": "location", "value": "Shelf"}]))
        events = await ActionClarify().run(CollectingDispatcher(), t, {})
        assert ("followup", "action_place_changed", None) in names(events)

    async def test_yes_takes_the_suggestion(self):
        t = tracker(user_event("yes", "affirm"), slots={"suggested_topic": "dentist"})
        events = await ActionAnswerSuggestion().run(CollectingDispatcher(), t, {})
        assert ("slot", "topic", "dentist") in names(events)
        assert ("followup", "place_form", None) in names(events)

    async def test_no_asks_to_say_it_another_way(self):
        dispatcher = CollectingDispatcher()
        t = tracker(user_event("no", "deny"), slots={"suggested_topic": "dentist"})
        events = await ActionAnswerSuggestion().run(dispatcher, t, {})
        assert responses(dispatcher) == ["utter_ask_rephrase"]
        assert ("slot", "suggested_topic", None) in names(events)


class TestOutOfScope:
    async def test_first_time_is_kind_and_shows_the_menu(self):
        dispatcher = CollectingDispatcher()
        await ActionOutOfScope().run(dispatcher, tracker(user_event("tell me a joke", "out_of_scope")), {})
        assert responses(dispatcher) == ["utter_out_of_scope"]

    async def test_again_after_a_muddle_offers_a_person(self):
        dispatcher = CollectingDispatcher()
        t = tracker(user_event("zxqv", "nlu_fallback", 0.3),
                    {"event": "bot", "text": "Sorry, could you say that another way?"},
                    user_event("flibble", "out_of_scope"))
        await ActionOutOfScope().run(dispatcher, t, {})
        assert responses(dispatcher) == ["utter_human_route"]

    async def test_an_understood_message_in_between_resets_the_count(self):
        dispatcher = CollectingDispatcher()
        t = tracker(user_event("flibble", "out_of_scope"),
                    user_event("need a gp", "gp"),
                    user_event("tell me a joke", "out_of_scope"))
        await ActionOutOfScope().run(dispatcher, t, {})
        assert responses(dispatcher) == ["utter_out_of_scope"]
