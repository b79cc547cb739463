"""The action server's responses are checked against Rasa's own schema, with a validator built
once: the same verdicts and the same message as Rasa's check."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import bot.rest_channel  # noqa: F401  (installs the check, as `rasa run` does)
from bot.action_validation import response_validator, validate_action_result

GOOD = [{"events": [], "responses": [{"text": "hi"}]},
        {"events": [{"event": "slot", "name": "location", "value": "Halifax"}]}, {}]
BAD = [{"events": [{"event": "no such event"}]}, {"events": "not a list"},
       {"responses": ["not an object"]}]


def test_rasa_uses_the_validator_built_once():
    assert RemoteAction._validate_action_result is validate_action_result
    assert response_validator() is response_validator()


@pytest.mark.parametrize("result", GOOD)
def test_good_responses_pass(result):
    assert RemoteAction("action_x", None)._validate_action_result(result)


@pytest.mark.parametrize("result", BAD)
def test_bad_responses_are_refused_with_rasas_message(result):
    from jsonschema import validate

    with pytest.raises(ValidationError):
        validate(result, RemoteAction.action_response_format_spec())  # Rasa's own verdict
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_x", None)._validate_action_result(result)
