"""Numbers picked from the menu, and a place given outside the form."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import service_details
from actions.routing import TOPIC_BY_NUMBER, TOPICS_NEEDING_PLACE, route_to_topic, topic_action
from actions.services import DirectoryUnavailable, details

# Actions that end by showing a numbered list of services: a number after them picks one.
LIST_ACTIONS = {"action_mental_health", "action_gp", "action_dentist", "action_community",
                "action_crisis", "action_more", "action_screening", "action_choose_number"}
NOT_TURNS = {"action_listen", "action_extract_slots", "action_session_start"}


def _chosen_number(tracker: Tracker) -> int | None:
    value = next(tracker.get_latest_entity_values("number"), None)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def last_action_before_this_text(tracker: Tracker) -> str | None:
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
            continue
        if seen_user and event.get("event") == "action" and event.get("name") not in NOT_TURNS:
            return event.get("name")
    return None


def picks_a_service(tracker: Tracker) -> bool:
    return bool(tracker.get_slot("shown_services")) and \
        last_action_before_this_text(tracker) in LIST_ACTIONS


def out_of_list(number: int, count: int) -> str:
    if count == 1:
        return (f"There is no {number} in that list: it has just one service. "
                "Reply 1 for its details, or MORE for others.")
    return (f"There is no {number} in that list. Reply a number from 1 to {count} for details, "
            "or MORE for others.")


class ActionChooseNumber(Action):
    """A number picks a service from the list just shown, or else a topic from the menu."""

    def name(self) -> Text:
        return "action_choose_number"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        number = _chosen_number(tracker) or 0
        if picks_a_service(tracker):
            shown = tracker.get_slot("shown_services")
            if not 1 <= number <= len(shown):
                dispatcher.utter_message(text=out_of_list(number, len(shown)))
                return []
            try:
                plain = await details(shown[number - 1])
            except (DirectoryUnavailable, LookupError):
                dispatcher.utter_message(response="utter_directory_down")
                return []
            dispatcher.utter_message(text=service_details(plain))
            return []
        topic = TOPIC_BY_NUMBER.get(number)
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
