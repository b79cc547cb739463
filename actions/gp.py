"""GP access: registering, appointments, out of hours, pharmacy, and urgent care near the place."""

from typing import Optional

from rasa_sdk import Tracker

from actions import wording
from actions.replies import service_list
from actions.services import find
from actions.topic_reply import Answer, TopicReply


class ActionGp(TopicReply):
    topic = "gp"

    async def answer(self, tracker: Tracker, place: Optional[str]) -> Answer:
        # A&E is for emergencies (actions/urgent.py sends 999 for those), not for an appointment.
        nearby = [r for r in await find("gp", place, limit=10)
                  if r.local and "emergency" not in r.service.topic_codes][:2]
        if not nearby:
            return Answer(service_list(wording.GP_INTRO, [], footer=False).text)
        listing = service_list(wording.GP_INTRO + "\n" + wording.GP_NEAREST, nearby)
        return Answer(listing.text, listing.shown,
                      {"topic": "gp", "place": place, "next": len(listing.shown)})
