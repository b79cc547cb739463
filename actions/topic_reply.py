"""What every topic action shares: find services, format them, remember what was shown.

If the directory cannot be reached, the resident still gets a safe answer (NHS 111, 999,
Samaritans) from a checked template; the failure is logged without personal data.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.insights import count_turn
from actions.needs import request_parse
from actions.services import DirectoryUnavailable

logger = logging.getLogger(__name__)


@dataclass
class Answer:
    text: str
    shown: list[str] = field(default_factory=list)  # service ids, in the numbers shown
    search: Optional[dict] = None  # what "more" repeats: topic, place, intro, offset
    need: Optional[str] = None  # the need answered, when it is not the search's topic


def topic_text(tracker: Tracker, intents: tuple[str, ...]) -> str:
    """The resident's own words for this request: the latest text classified as one of `intents`."""
    return (request_parse(tracker, intents).get("text") or "").lower()


def remembered(answer: Answer) -> list[EventType]:
    return [SlotSet("shown_services", answer.shown or None), SlotSet("last_search", answer.search)]


class TopicReply(Action, ABC):
    @property
    @abstractmethod
    def topic(self) -> str:
        """The topic's name, as in the intent and the `topic` slot."""

    def name(self) -> Text:
        return f"action_{self.topic}"

    @abstractmethod
    async def answer(self, tracker: Tracker, place: Optional[str]) -> Answer:
        """The reply for this topic at this place (may raise DirectoryUnavailable)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        events: list[EventType] = [SlotSet("topic", self.topic), SlotSet("suggested_topic", None)]
        try:
            answer = await self.answer(tracker, tracker.get_slot("location"))
        except DirectoryUnavailable:
            dispatcher.utter_message(response=f"utter_{self.topic}")
            dispatcher.utter_message(response="utter_directory_down")
            return events + [SlotSet("shown_services", None), SlotSet("last_search", None)]
        dispatcher.utter_message(text=answer.text)
        count_turn(tracker, "offered" if answer.shown else "nothing_found", self.topic,
                   answer.need or (answer.search or {}).get("topic") or self.topic,
                   len(answer.shown))
        return events + remembered(answer)
