"""Rasa's REST channel (`POST /webhooks/rest/webhook`), closed: a request must carry the API
token (RASA_AUTH_TOKEN) as `Authorization: Bearer <token>` or `?token=<token>`, else 401 and
nothing is processed. Without it anyone who reached the port could talk as any sender id and
read that conversation's replies. Used by the champions' console, `make chat` and the tests."""

from __future__ import annotations

import hmac
import logging
import os
from typing import Any, Dict, Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.exceptions import Unauthorized
from sanic.request import Request

from bot import action_calls

logger = logging.getLogger(__name__)
# Loaded by every `rasa run` (credentials.yml): cheaper calls to the action server
# (bot/action_calls.py).
action_calls.install()


class TokenRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TokenRestInput":
        return cls(os.environ.get("RASA_AUTH_TOKEN"))

    def __init__(self, token: Optional[str] = None) -> None:
        self.token = token or ""
        if not self.token:
            logger.error("RASA_AUTH_TOKEN is not set: the REST channel refuses every request.")

    def allowed(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        given = header[len("Bearer "):] if header.startswith("Bearer ") else \
            request.args.get("token", "")
        return bool(self.token) and hmac.compare_digest(given.encode(), self.token.encode())

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        # The first thing the channel's webhook does with a request, so a refusal here comes
        # before the message is read or handed to the agent.
        if not self.allowed(req):
            raise Unauthorized("This channel needs the assistant's API token.")
        return await super()._extract_sender(req)
