"""VCSE help for the need (food, warmth, money, carers, loneliness, ...) nearest the place,
and the Community Anchor for the area."""

import re
from typing import Optional

from rasa_sdk import Tracker

from actions import wording
from actions.replies import how_to_contact, service_list
from actions.services import find
from actions.topic_reply import Answer, TopicReply, topic_text
from sms.text import to_gsm7

NEEDS = [
    ("domestic_abuse", r"abus|violen|hits? me|scared of (my|him|her)|controlling|not safe at home"),
    ("food", r"food|hungry|eat|meal|parcel|fridge|pantry|nappies|baby bank"),
    ("warmth", r"warm|heat|cold|gas|electric|energy|fuel"),
    ("money", r"money|debt|bill|owe|benefit|universal credit|\bpip\b|rent arrears|bailiff|loan|afford|skint|cost of living|broke"),
    ("housing", r"hous|homeless|evict|landlord|sleeping rough|place to stay|shelter"),
    ("carers", r"carer|caring|look after my|care for my"),
    ("loneliness", r"lonel|alone|isolat|befriend|someone to talk|company|friends?"),
    ("digital", r"online|internet|computer|digital|laptop|forms? online|wifi"),
    ("older_people", r"older|elderly|pension|over 6\d|over 50"),
    ("youth", r"kids|child|young|youth|teen|school"),
    ("volunteering", r"volunteer"),
    ("hospice", r"hospice|end of life|terminal|palliative"),
    ("community_anchor", r"anchor|community (centre|group)"),
]


def need_in(text: str) -> str:
    for need, pattern in NEEDS:
        if re.search(pattern, text):
            return need
    return "community"


class ActionCommunity(TopicReply):
    topic = "community"

    async def answer(self, tracker: Tracker, place: Optional[str]) -> Answer:
        need = need_in(topic_text(tracker, ("community",)))
        results = await find(need, place)
        if not results:
            return Answer(wording.NOTHING_FOUND)
        anchor_line = ""
        anchors = [r for r in await find("community_anchor", place, limit=5)
                   if r.local and r.id not in {x.id for x in results}]
        if anchors and place and place != "anywhere":
            plain = anchors[0].as_dict()
            contact = how_to_contact(plain)
            anchor_line = to_gsm7(f"{wording.ANCHOR} {plain['name']}." + (f" {contact}." if contact else ""))
        listing = service_list(wording.COMMUNITY_INTRO[need], results, outro=anchor_line)
        return Answer(listing.text, listing.shown,
                      {"topic": need, "place": place, "next": len(listing.shown)})
