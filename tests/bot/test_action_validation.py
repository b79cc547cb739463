"""The action server's responses are checked against Rasa's own schema, with validators built
once and each event checked against its own event's schema: the same verdicts and the same
message as Rasa's check."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import bot.rest_channel  # noqa: F401  (installs the check, as `rasa run` does)
from bot.action_validation import is_valid_response, response_validator, validate_action_result

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


EVENT_NAMES = [branch["properties"]["event"]["const"] for branch in
               RemoteAction.action_response_format_spec()["properties"]["events"]["items"]["oneOf"]]
EVENT_SHAPES = [{}, {"name": "location", "value": "Halifax"}, {"name": 3, "value": None},
                {"value": "no name"}, {"entities": []}, {"entities": "not a list"},
                {"timestamp": 1.5, "metadata": {}}, {"timestamp": "not a number"},
                {"text": "hi", "parse_data": {"intent": {"name": "greet"}}}, {"text": 7},
                {"name": "action_listen", "policy": None, "confidence": 0.9}]


def candidate_responses():
    for name in [*EVENT_NAMES, "no such event", None, 5]:
        for shape in EVENT_SHAPES:
            yield {"events": [{"event": name, **shape}]}
            yield {"events": [{"event": "slot", "name": "a", "value": 1}, {"event": name, **shape}],
                   "responses": [{"text": "x"}]}
    yield from [*GOOD, *BAD, {"events": [None]}, {"events": ["slot"]}, {"events": [{}]},
                {"events": None}, {"responses": None}, [], "text", None,
                {"events": [{"event": "slot", "name": "a", "value": 1}], "responses": "x"}]


def test_checking_each_event_by_its_name_gives_the_whole_schemas_verdict():
    whole = response_validator()
    verdicts = [(result, is_valid_response(result), whole.is_valid(result))
                for result in candidate_responses()]
    assert [(r, mine) for r, mine, rasas in verdicts if mine != rasas] == []
    assert {mine for _, mine, _ in verdicts} == {True, False}  # both verdicts were tried
