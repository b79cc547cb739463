"""The resident asked us to stop ("stop texting me"): confirm, and tell the channel to record it."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher


class ActionOptOut(Action):
    def name(self) -> Text:
        return "action_opt_out"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_stop")
        # The Twilio channel records the opt-out (by pseudonym) when it sees this; other
        # channels ignore it.
        dispatcher.utter_message(json_message={"opt_out": True})
        return []
