"""NHS dentistry: urgent pain, finding a dentist taking NHS patients, charges and free care."""

from typing import Optional

from rasa_sdk import Tracker

from actions import wording
from actions.replies import service_list
from actions.services import find
from actions.topic_reply import Answer, TopicReply

ALREADY_IN_INTRO = {"NHS 111"}


class ActionDentist(TopicReply):
    topic = "dentist"

    async def answer(self, tracker: Tracker, place: Optional[str]) -> Answer:
        everything = await find("dentist", place, limit=10)
        results = [r for r in everything if r.service.name not in ALREADY_IN_INTRO][:3]
        listing = service_list(wording.DENTIST_INTRO, results)
        ids = [r.id for r in everything]
        next_index = ids.index(listing.shown[-1]) + 1 if listing.shown else 0
        return Answer(listing.text, listing.shown,
                      {"topic": "dentist", "place": place, "next": next_index})
