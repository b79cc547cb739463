"""Where each topic goes: which topics need a place first, and which action answers each."""

from __future__ import annotations

from rasa_sdk.events import EventType, FollowupAction, SlotSet

TOPICS = ("crisis", "mental_health", "gp", "dentist", "screening", "community")
# The numbered menu, in the order the help text lists it.
TOPIC_BY_NUMBER = {i + 1: topic for i, topic in enumerate(TOPICS)}
TOPICS_NEEDING_PLACE = {"mental_health", "gp", "dentist", "community"}
PLACE_FORM = "place_form"
# What a topic is called in "Did you mean ...?".
TOPIC_WORDS = {
    "crisis": "urgent help for your mental health",
    "mental_health": "mental health support",
    "gp": "help with a GP",
    "dentist": "help with a dentist",
    "screening": "NHS screening",
    "community": "food, money or community help",
}


def topic_action(topic: str) -> str:
    return f"action_{topic}"


def route_to_topic(topic: str) -> list[EventType]:
    """Events that make the assistant answer `topic` next, asking for the place if it needs one."""
    follow_up = PLACE_FORM if topic in TOPICS_NEEDING_PLACE else topic_action(topic)
    return [SlotSet("topic", topic), SlotSet("suggested_topic", None), FollowupAction(follow_up)]
