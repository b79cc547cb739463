"""NHS dentistry: urgent pain, finding a dentist taking NHS patients, charges and free care."""

from typing import Optional

from rasa_sdk import Tracker

from actions import wording
from actions.replies import service_list
from actions.services import find
from actions.topic_reply import Answer, TopicReply


class ActionDentist(TopicReply):
    topic = "dentist"

    def answer(self, tracker: Tracker, place: Optional[str]) -> Answer:
        results = [r for r in find("dentist", place, limit=10) if r.service.name != "NHS 111"][:3]
        listing = service_list(wording.DENTIST_INTRO, results)
        return Answer(listing.text, listing.shown,
                      {"topic": "dentist", "place": place, "next": len(listing.shown) + 1})
