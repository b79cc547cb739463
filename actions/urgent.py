"""Urgent first: dental pain or swelling, a child who is ill, chest pain. The urgent route
(111 or 999) is sent before any question about the place (as `action_ask_location`, which the
place form runs instead of its plain question)."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import wording
from actions.needs import request_parse
from actions.routing import TOPICS_NEEDING_PLACE

# Most urgent first: the first that matches is the one sent.
URGENT = [
    ("emergency", re.compile(
        r"chest pains?|heart attack|cant breathe|can't breathe|cannot breathe|struggling to breathe"
        r"|stroke|face (is )?droop|unconscious|not breathing|fitting|seizure|bleeding heavily"
        r"|severe bleeding|collapsed")),
    ("child_ill", re.compile(
        r"\b(baby|babys|child|childs|son|daughter|toddler|kid|little one)\b.*\b(ill|poorly|sick"
        r"|fever|temperature|rash|vomit\w*|not eating|wont wake|floppy)\b"
        r"|\b(ill|poorly|sick|fever|temperature)\b.*\b(baby|child|toddler|kid)\b")),
    ("dental_pain", re.compile(
        r"tooth ?ache|tooth pain|teeth pain|pain in my (tooth|teeth|mouth|jaw)|swell\w*|swollen"
        r"|abscess|knocked out|broken tooth|broke my tooth|gum\w* bleed|bleeding gum\w*"
        r"|(tooth|teeth|dental).*(pain|hurt\w*|agony|killing|cant sleep|can't sleep)")),
]


def urgent_kind(text: str, topic: Optional[str] = None) -> Optional[str]:
    """The most urgent kind in the text; dental pain only when the request is about teeth."""
    low = (text or "").lower()
    for kind, pattern in URGENT:
        if pattern.search(low) and (kind != "dental_pain" or topic == "dentist"
                                    or re.search(r"tooth|teeth|dental|gum", low)):
            return kind
    return None


class ActionAskLocation(Action):
    def name(self) -> Text:
        return "action_ask_location"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if not tracker.get_slot("place_problem"):  # only on the first time of asking
            request = request_parse(tracker, tuple(TOPICS_NEEDING_PLACE))
            kind = urgent_kind(request.get("text") or "",
                               (request.get("intent") or {}).get("name"))
            if kind:
                dispatcher.utter_message(text=wording.URGENT_FIRST[kind])
        dispatcher.utter_message(response="utter_ask_location")
        return []
