"""The Rasa server's calls to the action server, made cheaper without changing what they do:
responses checked with validators built once (bot/action_validation.py), connections kept
open between calls (bot/endpoint_connections.py), no call to check a form that has nothing
to check yet (bot/form_activation.py), and each event's class found by its name once
(bot/event_lookup.py; the tracker store reads events the same way). Each channel module installs them, so every
`rasa run` with credentials.yml has them; installing twice is harmless."""

from __future__ import annotations

from bot import action_validation, endpoint_connections, event_lookup, form_activation


def install() -> None:
    action_validation.install()
    endpoint_connections.install()
    form_activation.install()
    event_lookup.install()
