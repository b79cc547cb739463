"""Crisis: the contacts at once, before anything that could fail; then help for what they named.

Crisis first, never crisis only: after the checked template, a text that also names a need
(loneliness, low mood, a crisis cafe, food...) gets the services for that need in the same turn;
a crisis cafe or safe space is listed with when it next opens. Otherwise, local safe spaces are
listed only when open now.
"""

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import wording
from actions.insights import count_turn
from actions.language import is_non_english, note_for
from actions.needs import needs_of, request_parse
from actions.replies import service_list
from actions.services import DirectoryUnavailable, find
from actions.topic_reply import Answer

# The crisis template already gives these: never list them again under it.
IN_TEMPLATE = {"Emergency 999", "Samaritans", "Shout", "NHS 111 mental health option", "NHS 111"}


def named_need(parse: dict) -> Optional[str]:
    """The first need in a crisis text that is more than the crisis itself."""
    needs = needs_of(parse)
    if "crisis" in needs:
        return "crisis"  # "crisis cafe tonight", "safe space": the places themselves
    return next((n for n in needs if n != "crisis"), None)


async def help_for_need(need: str, place: Optional[str]) -> Answer:
    """Services for the need: near the place if we know it; if not, only national ones (a local
    service may be in the other borough) and a word that the town brings local help."""
    known = bool(place) and place != "anywhere"
    outro = "" if known else wording.CRISIS_SEND_TOWN
    if need == "crisis":
        spaces = [r for r in await find("crisis", place, limit=10) if r.local][:3]
        listing = service_list(wording.CRISIS_SPACES, spaces, outro=outro)
    else:
        found = [r for r in await find(need, place, limit=10)
                 if r.service.name not in IN_TEMPLATE and (known or not r.local)]
        intro = wording.COMMUNITY_INTRO.get(need) or wording.CRISIS_ALSO.get(need, "Help:")
        listing = service_list(intro, found[:3], outro=outro)
        if not listing.shown and outro:
            return Answer(outro)
    return Answer(listing.text if listing.shown else "", listing.shown,
                  {"topic": need, "place": place, "next": len(listing.shown)})


class ActionCrisis(Action):
    def name(self) -> Text:
        return "action_crisis"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        # First and unconditional: a checked template, no database, no place needed.
        dispatcher.utter_message(response="utter_crisis")
        events: list[EventType] = [SlotSet("topic", "crisis"), SlotSet("suggested_topic", None)]
        if is_non_english(tracker.latest_message):
            note = note_for(tracker.latest_message)
            if note:  # in their language first (GSM-7 form), then in English
                dispatcher.utter_message(text=note)
            dispatcher.utter_message(response="utter_non_english")
        place = tracker.get_slot("location")
        # The crisis text itself, also when this runs again because a town came after it.
        need = named_need(request_parse(tracker, ("crisis",)) or tracker.latest_message or {})
        shown = await self.local_help(dispatcher, need, place)
        count_turn(tracker, "crisis", "crisis", need or "crisis",
                   len(shown.services) if shown is not None else 0)
        if shown is None:
            return events
        return events + [SlotSet("shown_services", shown.services),
                         SlotSet("last_search", shown.search)]

    @staticmethod
    async def local_help(dispatcher: CollectingDispatcher, need: Optional[str],
                         place: Optional[str]) -> Optional["Shown"]:
        """After the contacts: help for the need they named, or safe spaces open now."""
        try:
            if need:
                answer = await help_for_need(need, place)
                if answer.text:
                    dispatcher.utter_message(text=answer.text)
                    return Shown(answer.shown, answer.search)
                return None
            open_spaces = [r for r in await find("crisis", place, limit=10, open_now=True)
                           if r.local and r.open_now][:2]
        except DirectoryUnavailable:
            return None  # the crisis reply above is complete on its own
        if not open_spaces:
            return None
        intro = wording.CRISIS_NEAR_YOU if place and place != "anywhere" else wording.CRISIS_IN_AREA
        listing = service_list(intro, open_spaces)
        dispatcher.utter_message(text=listing.text)
        return Shown(listing.shown, None)


@dataclass
class Shown:
    services: list[str]
    search: Optional[dict]
