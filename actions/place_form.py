"""Checks the answer to "which town or postcode are you in?"."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.insights import count_turn
from directory.gazetteer import PLACE_SKIP_RE, Gazetteer, load_default

# The slot value meaning "no particular place": national and borough-wide services.
ANYWHERE = "anywhere"
# After this many answers that are not a place, stop asking and carry on without one.
MAX_TRIES = 2
# Intents whose message is read as an attempt to answer the question.
ANSWER_INTENTS = {"inform", "nlu_fallback", "affirm", "deny", "mental_health", "gp", "dentist",
                  "community"}
# A reply this short to "which town?" is an attempt at a place even if the classifier calls it
# out of scope ("gotham", "up north"); a longer one is a change of subject.
SHORT_ANSWER_WORDS = 2


def is_answer(intent: Optional[str], text: str) -> bool:
    if intent in ANSWER_INTENTS:
        return True
    return intent == "out_of_scope" and 0 < len(text.split()) <= SHORT_ANSWER_WORDS


class ValidatePlaceForm(FormValidationAction):
    def __init__(self, gazetteer: Optional[Gazetteer] = None) -> None:
        self._gazetteer = gazetteer or load_default()

    def name(self) -> Text:
        return "validate_place_form"

    async def extract_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Read an answer that the NLU found no place in, so the form asks again, kindly."""
        if tracker.get_slot("requested_slot") != "location":
            return {}  # the form is only starting: nothing has been asked yet
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = tracker.latest_message.get("text") or ""
        if PLACE_SKIP_RE.match(text):
            return {"location": ANYWHERE}  # "skip" answers whatever the classifier made of it
        if not is_answer(intent, text):
            return {}  # not an answer: the form steps aside for the intent's own rule
        place = next(tracker.get_latest_entity_values("location"), None)
        if place and intent in ANSWER_INTENTS:
            return {}  # the NLU found a place; the slot mapping has it
        if place:
            return {"location": place}  # a place the classifier did not see as an answer
        resolution = self._gazetteer.resolve(text)
        return {"location": resolution.name if resolution else text.strip()[:60] or None}

    async def validate_location(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value == ANYWHERE:
            return {"location": ANYWHERE, "place_problem": None, "place_tries": 0}
        resolution = self._gazetteer.resolve(str(value)) if value else None
        if resolution is not None and resolution.in_area:
            place = resolution.postcode or resolution.name
            return {"location": place, "place_problem": None, "place_tries": 0}
        tries = int(tracker.get_slot("place_tries") or 0) + 1
        if tries >= MAX_TRIES:
            dispatcher.utter_message(response="utter_place_anywhere")
            return {"location": ANYWHERE, "place_problem": None, "place_tries": 0}
        problem = "out_of_area" if resolution is not None else "unknown"
        if problem == "out_of_area":
            topic = tracker.get_slot("topic") or ""
            count_turn(tracker, "out_of_area", topic, topic, place=str(value))
        return {"location": None, "place_problem": problem, "place_tries": tries}
