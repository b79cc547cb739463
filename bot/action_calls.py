"""The Rasa server's calls to the action server, made cheaper without changing what they do:
responses checked with a validator built once (bot/action_validation.py), connections kept
open between calls (bot/endpoint_connections.py) and no call to check a form that has nothing
to check yet (bot/form_activation.py). Each channel module installs them, so every
`rasa run` with credentials.yml has them; installing twice is harmless."""

from __future__ import annotations

from bot import action_validation, endpoint_connections, form_activation


def install() -> None:
    action_validation.install()
    endpoint_connections.install()
    form_activation.install()
