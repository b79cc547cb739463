"""The shape every topic action shares until the directory answers for it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher


class TopicReply(Action, ABC):
    """Sends the topic's checked response and records the topic as the conversation's current one."""

    @property
    @abstractmethod
    def topic(self) -> str:
        """The topic's name, as in the intent and the `topic` slot."""

    def name(self) -> Text:
        return f"action_{self.topic}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response=f"utter_{self.topic}")
        return [SlotSet("topic", self.topic), SlotSet("suggested_topic", None)]
