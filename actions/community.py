"""VCSE help for the need (food, warmth, money, carers, loneliness, ...) nearest the place,
and the Community Anchor for the area."""

from typing import Optional

from rasa_sdk import Tracker

from actions import wording
from actions.needs import needs_of, offer_line, request_parse
from actions.replies import service_list
from actions.services import find, safe_order
from actions.topic_reply import Answer, TopicReply

COMMUNITY_NEEDS = tuple(code for code in wording.COMMUNITY_INTRO if code != "community")


def community_needs(parse: dict) -> list[str]:
    """Community needs the NLU found in the request, in its order (see bot/nlu/needs.py)."""
    return [code for code in needs_of(parse, "community") if code in COMMUNITY_NEEDS]


class ActionCommunity(TopicReply):
    topic = "community"

    async def answer(self, tracker: Tracker, place: Optional[str]) -> Answer:
        needs = community_needs(request_parse(tracker, ("community",))) or ["community"]
        need = needs[0]
        results = safe_order(await find(need, place, limit=10), need)[:3]
        offer = offer_line(needs[1]) if len(needs) > 1 else ""
        if not results:
            return Answer(wording.NOTHING_FOUND + (" " + offer if offer else ""), need=need)
        labels = {}
        if place and place != "anywhere" and need != "community_anchor":
            anchors = [r for r in await find("community_anchor", place, limit=5)
                       if r.local and r.id not in {x.id for x in results}]
            if anchors:
                results = results[:2] + anchors[:1]
                labels = {anchors[0].id: wording.ANCHOR + " "}
        listing = service_list(wording.COMMUNITY_INTRO[need], results, outro=offer, labels=labels)
        return Answer(listing.text, listing.shown,
                      {"topic": need, "place": place, "next": len(listing.shown)})
