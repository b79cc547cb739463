"""Clarifying a message the classifier was unsure of, for SMS (no buttons).

First a suggestion ("Did you mean help with a GP? Reply YES or NO"), then a request to say it
another way, and if that fails too, a real phone line instead of another loop.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.insights import count_turn
from actions.routing import TOPIC_WORDS, TOPICS, route_to_topic

# A suggestion is only worth making when the classifier gave the topic at least this much.
SUGGEST_THRESHOLD = 0.2
# Messages the assistant could not act on: several in a row mean it is time to offer a person.
NOT_UNDERSTOOD = {"nlu_fallback", "out_of_scope"}
# Replies to a clarifying question, which neither add to nor reset the count.
UNCLEAR_INTENTS = NOT_UNDERSTOOD | {"deny", "affirm"}


def unclear_turns(tracker: Tracker) -> int:
    """How many messages in a row, up to the latest, the assistant could not act on."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent in NOT_UNDERSTOOD:
            count += 1
        elif intent not in UNCLEAR_INTENTS:
            break
    return count


def best_topic(tracker: Tracker) -> Optional[str]:
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        if ranked.get("name") in TOPICS and ranked.get("confidence", 0) >= SUGGEST_THRESHOLD:
            return ranked["name"]
    return None


class ActionClarify(Action):
    def name(self) -> Text:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if next(tracker.get_latest_entity_values("location"), None):
            # A bare place ("LS1 4AP", "shelf") is an answer about where, not a muddle.
            return [FollowupAction("action_place_changed")]
        count_turn(tracker, "not_understood")
        if unclear_turns(tracker) >= 2:
            dispatcher.utter_message(response="utter_human_route")
            return [SlotSet("suggested_topic", None)]
        topic = best_topic(tracker)
        if topic is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return [SlotSet("suggested_topic", None)]
        dispatcher.utter_message(response="utter_suggest_topic", suggested_text=TOPIC_WORDS[topic])
        return [SlotSet("suggested_topic", topic)]


class ActionAnswerSuggestion(Action):
    """YES takes the suggested topic; NO asks the resident to say it another way."""

    def name(self) -> Text:
        return "action_answer_suggestion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        suggested = tracker.get_slot("suggested_topic")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if suggested in TOPICS and intent == "affirm":
            return route_to_topic(suggested)
        if suggested in TOPICS:
            dispatcher.utter_message(response="utter_ask_rephrase")
        else:
            dispatcher.utter_message(response="utter_help")
        return [SlotSet("suggested_topic", None)]


class ActionOutOfScope(Action):
    """Something we do not help with: a kind reply and the menu; again and again: a person."""

    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        count_turn(tracker, "not_understood")
        if unclear_turns(tracker) >= 2:
            dispatcher.utter_message(response="utter_human_route")
        else:
            dispatcher.utter_message(response="utter_out_of_scope")
        return [SlotSet("suggested_topic", None)]
