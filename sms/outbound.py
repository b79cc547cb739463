"""Send an SMS or WhatsApp message through Twilio's Messages API without blocking the event loop.

Uses twilio's own aiohttp-based client, retries with exponential backoff on 429 and 5xx (and on
connection errors), and never logs the number it sends to. `TWILIO_API_BASE` points it at a
stand-in of the API (tests); in production it talks to https://api.twilio.com.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from typing import Optional

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from sms.text import to_gsm7

logger = logging.getLogger(__name__)
TWILIO_API = "https://api.twilio.com"
RETRY_STATUSES = {429, 500, 502, 503, 504}


class _RedirectingClient(AsyncTwilioHttpClient):
    """Twilio's async client, sending to another base address (a local stand-in in tests)."""

    def __init__(self, base: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self._base = base.rstrip("/")

    async def request(self, method, url, *args, **kwargs):
        if url.startswith(TWILIO_API):
            url = self._base + url[len(TWILIO_API):]
        return await super().request(method, url, *args, **kwargs)


class SendFailed(RuntimeError):
    pass


@dataclass
class SenderConfig:
    account_sid: str
    auth_token: str
    sms_from: Optional[str] = None  # +44... or a Messaging Service is used instead
    whatsapp_from: Optional[str] = None  # whatsapp:+44...
    messaging_service_sid: Optional[str] = None
    status_callback: Optional[str] = None
    api_base: Optional[str] = None

    @classmethod
    def from_env(cls) -> Optional["SenderConfig"]:
        sid, token = os.environ.get("TWILIO_ACCOUNT_SID"), os.environ.get("TWILIO_AUTH_TOKEN")
        if not sid or not token:
            return None
        return cls(sid, token, os.environ.get("TWILIO_SMS_FROM"),
                   os.environ.get("TWILIO_WHATSAPP_FROM"),
                   os.environ.get("TWILIO_MESSAGING_SERVICE_SID"),
                   os.environ.get("TWILIO_STATUS_CALLBACK_URL"),
                   os.environ.get("TWILIO_API_BASE"))


class TwilioSender:
    def __init__(self, config: SenderConfig, max_attempts: int = 4, base_delay: float = 0.5,
                 timeout: float = 10.0) -> None:
        self.config = config
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        base = config.api_base or TWILIO_API
        self._http = (_RedirectingClient(base, timeout=timeout) if base != TWILIO_API
                      else AsyncTwilioHttpClient(timeout=timeout))
        self._client = Client(config.account_sid, config.auth_token, http_client=self._http)

    async def send(self, to: str, body: str) -> str:
        """Send `body` (made GSM-7) to `to` ("+44..." or "whatsapp:+44..."); returns the SID."""
        whatsapp = to.lower().startswith("whatsapp:")
        params = {"to": to, "body": to_gsm7(body)}
        sender = self.config.whatsapp_from if whatsapp else self.config.sms_from
        if sender:
            params["from_"] = sender
        elif self.config.messaging_service_sid:
            params["messaging_service_sid"] = self.config.messaging_service_sid
        else:
            raise SendFailed("no sending number configured for this channel")
        if self.config.status_callback:
            params["status_callback"] = self.config.status_callback
        for attempt in range(1, self.max_attempts + 1):
            try:
                message = await self._client.messages.create_async(**params)
                return message.sid
            except TwilioRestException as error:
                if error.status not in RETRY_STATUSES or attempt == self.max_attempts:
                    logger.error("Twilio refused a message: HTTP %s, code %s", error.status,
                                 error.code)
                    raise SendFailed(f"Twilio answered {error.status}") from error
                reason = f"HTTP {error.status}"
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                if attempt == self.max_attempts:
                    logger.error("Twilio unreachable: %s", type(error).__name__)
                    raise SendFailed(type(error).__name__) from error
                reason = type(error).__name__
            delay = self.base_delay * 2 ** (attempt - 1)
            logger.warning("Twilio send attempt %d failed (%s); retrying in %.1fs", attempt,
                           reason, delay)
            await asyncio.sleep(delay)
        raise SendFailed("unreachable")  # pragma: no cover

    async def close(self) -> None:
        await self._http.close()
