"""An event's class found by its name, remembered: the same answers as Rasa's own walk."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

import bot.rest_channel  # noqa: F401  (installs the lookup, as `rasa run` does)
from bot import event_lookup


def test_rasa_uses_the_remembered_lookup():
    assert Event.resolve_by_type is event_lookup.resolve_by_type


@pytest.mark.parametrize("cls", sorted(all_subclasses(Event), key=lambda c: c.type_name),
                         ids=lambda c: c.type_name)
def test_every_event_name_finds_rasas_class(cls):
    rasas = event_lookup._rasas_lookup(cls.type_name)
    assert event_lookup.resolve_by_type(cls.type_name) is rasas
    assert event_lookup.resolve_by_type(cls.type_name) is rasas  # and again, remembered


def test_unknown_names_behave_as_in_rasa():
    with pytest.raises(ValueError):
        event_lookup.resolve_by_type("no such event")
    assert event_lookup.resolve_by_type("no such event", SlotSet) is SlotSet
    assert event_lookup.resolve_by_type("topic") is None


def test_events_read_back_through_the_lookup():
    events = [UserUttered("hi", {"name": "greet"}), ActionExecuted("action_listen"),
              SlotSet("location", "Halifax")]
    assert [Event.from_parameters(e.as_dict()) for e in events] == events
