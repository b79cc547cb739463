"""Crisis: the contacts at once, before anything that could fail; then safe spaces open now."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import wording
from actions.language import is_non_english
from actions.replies import service_list
from actions.services import DirectoryUnavailable, find


class ActionCrisis(Action):
    def name(self) -> Text:
        return "action_crisis"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        # First and unconditional: a checked template, no database, no place needed.
        dispatcher.utter_message(response="utter_crisis")
        events: list[EventType] = [SlotSet("topic", "crisis"), SlotSet("suggested_topic", None)]
        if is_non_english(tracker.latest_message):
            dispatcher.utter_message(response="utter_non_english")
        place = tracker.get_slot("location")
        try:
            open_spaces = [r for r in await find("crisis", place, limit=10, open_now=True)
                           if r.local and r.open_now][:2]
        except DirectoryUnavailable:
            return events  # the crisis reply above is complete on its own
        if open_spaces:
            intro = wording.CRISIS_NEAR_YOU if place and place != "anywhere" else wording.CRISIS_IN_AREA
            listing = service_list(intro, open_spaces)
            dispatcher.utter_message(text=listing.text)
            return events + [SlotSet("shown_services", listing.shown),
                             SlotSet("last_search", None)]
        return events
