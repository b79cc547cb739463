"""Mental health (not crisis): talking therapies for the borough, local support, what if worse."""

from typing import Optional

from rasa_sdk import Tracker

from actions import wording
from actions.replies import service_list
from actions.services import find
from actions.topic_reply import Answer, TopicReply


class ActionMentalHealth(TopicReply):
    topic = "mental_health"

    async def answer(self, tracker: Tracker, place: Optional[str]) -> Answer:
        results = await find("mental_health", place)
        listing = service_list(wording.MENTAL_HEALTH_INTRO, results,
                               outro=wording.MENTAL_HEALTH_OUTRO)
        return Answer(listing.text, listing.shown,
                      {"topic": "mental_health", "place": place, "next": len(listing.shown)})
