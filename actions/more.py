"""MORE: the next services for the last search; NON-ENGLISH: a kind reply, first in the
resident's language where we have it (GSM-7 Latin letters), then in plain English."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import wording
from actions.language import note_for
from actions.replies import service_list
from actions.services import DirectoryUnavailable, find

PAGE = 3


class ActionMore(Action):
    def name(self) -> Text:
        return "action_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        last = tracker.get_slot("last_search")
        if not last:
            dispatcher.utter_message(response="utter_more_nothing")
            return []
        offset = int(last.get("next", 0))
        try:
            results = await find(last["topic"], last.get("place"), limit=PAGE, offset=offset)
        except DirectoryUnavailable:
            dispatcher.utter_message(response="utter_directory_down")
            return []
        if not results:
            dispatcher.utter_message(text=wording.MORE_NONE)
            return [SlotSet("last_search", None)]
        listing = service_list("More:", results)
        dispatcher.utter_message(text=listing.text)
        return [SlotSet("shown_services", listing.shown),
                SlotSet("last_search", {**last, "next": offset + len(listing.shown)})]


class ActionNonEnglish(Action):
    def name(self) -> Text:
        return "action_non_english"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        note = note_for(tracker.latest_message)
        if note:
            dispatcher.utter_message(text=note)
        dispatcher.utter_message(response="utter_non_english")
        return []
