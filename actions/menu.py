"""Numbers picked from the menu, and a place given outside the form."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.routing import TOPIC_BY_NUMBER, TOPICS_NEEDING_PLACE, route_to_topic, topic_action


def _chosen_number(tracker: Tracker) -> int | None:
    value = next(tracker.get_latest_entity_values("number"), None)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class ActionChooseNumber(Action):
    def name(self) -> Text:
        return "action_choose_number"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        topic = TOPIC_BY_NUMBER.get(_chosen_number(tracker) or 0)
        if topic is None:
            dispatcher.utter_message(response="utter_menu_invalid")
            return []
        return route_to_topic(topic)


class ActionPlaceChanged(Action):
    """The resident named a place ("actually im in batley"): answer the current topic there."""

    def name(self) -> Text:
        return "action_place_changed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        topic = tracker.get_slot("topic")
        if topic is None:
            dispatcher.utter_message(response="utter_what_need")
            return []
        if topic in TOPICS_NEEDING_PLACE:
            # The form checks the new place and then the topic's rule answers.
            return route_to_topic(topic)
        return [FollowupAction(topic_action(topic))]
