"""The Rasa server's calls to the action server, made cheaper without changing what they do:
responses checked with a validator built once (bot/action_validation.py) and connections kept
open between calls (bot/endpoint_connections.py). Each channel module installs them, so every
`rasa run` with credentials.yml has them; installing twice is harmless."""

from __future__ import annotations

from bot import action_validation, endpoint_connections


def install() -> None:
    action_validation.install()
    endpoint_connections.install()
