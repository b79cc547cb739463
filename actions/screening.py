"""NHS screening: the programme that fits what was asked, its ages, and how to book or get a kit."""

import re
from typing import Optional

from rasa_sdk import Tracker

from actions import wording
from actions.facts import say
from actions.needs import needs_of, request_parse
from actions.replies import how_to_contact
from actions.services import find
from actions.topic_reply import Answer, TopicReply, topic_text
from sms.text import to_gsm7

PROGRAMMES = [
    ("screening_bowel", r"bowel|poo|stool|\bfit\b|kit"),
    ("screening_breast", r"breast|mammo|boob"),
    ("screening_cervical", r"cervi|smear|\bpap\b|hpv"),
    ("screening_aaa", r"\baaa\b|aneurysm|aort"),
    ("screening_lung", r"lung|smok|chest"),
    ("screening_diabetic_eye", r"diabet|\beyes?\b|retin"),
    ("screening_health_check", r"health ?check|\bmot\b|over 40|blood pressure|cholesterol"),
]


# The checked facts for each programme (actions/facts.yml), for when no service is listed.
PROGRAMME_FACTS = {
    "screening_bowel": "bowel_every_2_years", "screening_breast": "breast_50_71",
    "screening_cervical": "cervical_every_5_years", "screening_aaa": "aaa_at_65",
    "screening_diabetic_eye": "diabetic_eye_12", "screening_health_check": "health_check_40_74",
    "screening_lung": "lung_55_74",
}


def programme_in(text: str) -> Optional[str]:
    found = [code for code, pattern in PROGRAMMES if re.search(pattern, text)]
    return found[0] if len(found) == 1 else None


class ActionScreening(TopicReply):
    topic = "screening"

    async def answer(self, tracker: Tracker, place: Optional[str]) -> Answer:
        request = request_parse(tracker, ("screening",))
        named = [code for code in needs_of(request, "screening") if code in PROGRAMME_FACTS]
        programme = named[0] if named else programme_in(
            topic_text(tracker, ("screening", "inform", "nlu_fallback")))
        if programme is None:
            return Answer(wording.SCREENING_ASK)
        results = await find(programme, place, limit=1)
        if not results:
            # No reachable service for it in the directory: the checked facts still answer.
            claim = PROGRAMME_FACTS.get(programme)
            return Answer(to_gsm7(say(claim)) if claim else wording.NOTHING_FOUND)
        plain = results[0].as_dict()
        contact = how_to_contact(plain)
        text = to_gsm7(f"{plain['name']}: {plain['description']}"
                       + (f" {contact}." if contact else ""))
        return Answer(text, [results[0].id])
