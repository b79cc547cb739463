"""Questions about the services just listed: "is it open now", "is it free", "how do i get
there", "whats the number", "anything nearer". Answered from the list, not a new search."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import how_to_contact, hours_text, joined
from actions.services import DirectoryUnavailable, details, status_of

NOTHING_LISTED = ("I have not listed any services yet. Tell me what you need and your town, "
                  "or text HELP to see the menu.")


def _where(plain: dict) -> str:
    for loc in plain["locations"]:
        parts = [p for p in (loc.get("address"), loc.get("place"), loc.get("postcode")) if p]
        if loc.get("address") or loc.get("postcode"):
            return "at " + ", ".join(parts)
    return ""


def answer_about(ask: str, number: int, plain: dict) -> str:
    name = f"{number} {plain['name']}"
    if ask == "open_now":
        status = plain.get("opening") or ""
        if status and status != "Hours not known":
            return f"{name}: {status}."
        hours = hours_text(plain.get("hours"))
        return f"{name}: {hours}." if hours else f"{name}: I do not know its hours. {how_to_contact(plain)} to ask."
    if ask == "cost":
        if plain.get("fees"):
            return f"{name}: {plain['fees']}"
        return f"{name}: I do not know if it costs anything. Ask them when you get in touch."
    if ask == "directions":
        where = _where(plain)
        return f"{name} is {where}." if where else f"{name} has no address I know. {how_to_contact(plain)}."
    if ask == "phone":
        contact = how_to_contact(plain)
        return f"{name}: {contact}." if contact else f"{name}: I have no number for it."
    return ""


class ActionFollowup(Action):
    def name(self) -> Text:
        return "action_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        shown = tracker.get_slot("shown_services") or []
        asks = (tracker.latest_message or {}).get("asks") or ["open_now"]
        if not shown:
            dispatcher.utter_message(text=NOTHING_LISTED)
            return []
        if "nearer" in asks:
            dispatcher.utter_message(text=(
                "These are the nearest I have. Send your postcode, like HD1 2AB, for a closer match. "
                "Or text MORE for others."))
            return []
        try:
            plains = [await details(service_id) for service_id in shown[:3]]
        except (DirectoryUnavailable, LookupError):
            dispatcher.utter_message(response="utter_directory_down")
            return []
        lines = []
        for number, plain in enumerate(plains, start=1):
            if asks[0] == "open_now":
                plain = {**plain, "opening": await status_of(plain["id"])}
            lines.append(answer_about(asks[0], number, plain))
        lines.append("Reply with a number for all the details.")
        dispatcher.utter_message(text=joined(["\n".join(lines)]))
        return []
