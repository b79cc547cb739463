"""Rasa finds an event's class by its name with a walk over every subclass of Event, for every
event it reads (each one a tracker store or action server sends back): a few percent of the Rasa
server's CPU under load. The same lookup, remembered per name once found; a name no class has
yet is left to Rasa's own lookup every time (so a class defined later is still found)."""

from __future__ import annotations

from typing import Dict, Optional, Text, Type

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_rasas_lookup = Event.resolve_by_type
_found: Dict[Text, Type[Event]] = {}


def resolve_by_type(type_name: Text,
                    default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    cls = _found.get(type_name)
    if cls is None:
        cls = next((c for c in all_subclasses(Event) if c.type_name == type_name), None)
        if cls is None:
            return _rasas_lookup(type_name, default)
        _found[type_name] = cls
    return cls


def install() -> None:
    Event.resolve_by_type = staticmethod(resolve_by_type)
