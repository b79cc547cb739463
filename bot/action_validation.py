"""Check the action server's responses against Rasa's schema, quickly and with Rasa's errors.

Rasa's `RemoteAction._validate_action_result` calls `jsonschema.validate(result, schema)` for
every response, and `validate` checks the schema itself against the metaschema and builds a new
validator each time: about 14 ms a response on this machine (issue 16 measured it at 35% of the
Rasa server's CPU under load). A validator built once still took about 1 ms, most of it the
`oneOf` over Rasa's 23 event schemas: every event is tried against all of them.

Each of those schemas pins `event` to its own constant, so an event can only be valid against
the one whose constant it names; an event is valid exactly when it is valid against the shared
part of the item schema together with that one branch. So a response is first checked that way
(the events' list unchecked at the top, then each event against its branch). Only a response
that fails is checked again by the whole schema, which raises Rasa's own error. Installed by
bot/action_calls.py.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


def _validator(schema: Dict[Text, Any]):
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@lru_cache(maxsize=1)
def response_validator():
    return _validator(RemoteAction.action_response_format_spec())


@lru_cache(maxsize=1)
def event_validators():
    """The response schema with its events' items unchecked, and one validator per event name."""
    schema = RemoteAction.action_response_format_spec()
    items = schema["properties"]["events"]["items"]
    shared = {key: value for key, value in items.items() if key != "oneOf"}
    by_event = {}
    for branch in items["oneOf"]:
        name = branch["properties"]["event"]["const"]
        if name in by_event:
            raise ValueError(f"two event schemas for {name!r}: the shortcut would not hold")
        by_event[name] = _validator({"allOf": [shared, branch]})
    outer = {**schema, "properties": {**schema["properties"],
                                      "events": {**schema["properties"]["events"],
                                                 "items": {}}}}
    return _validator(outer), by_event


def is_valid_response(result: Any) -> bool:
    outer, by_event = event_validators()
    if not outer.is_valid(result):
        return False
    for event in result.get("events") or []:
        branch = by_event.get(event.get("event")) if isinstance(event, dict) else None
        if branch is None or not branch.is_valid(event):
            return False
    return True


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    if is_valid_response(result):
        return True
    try:
        response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions")
        raise error


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
