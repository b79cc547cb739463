"""A resident's phone as Twilio presents it: form-encoded webhook requests signed with
X-Twilio-Signature (twilio's own RequestValidator), and the TwiML reply read back.
Used by the fault tests and bench/load.py."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Optional
from xml.etree import ElementTree

import aiohttp
from twilio.request_validator import RequestValidator

_sids = itertools.count(1)


def message_form(body: str, sender: str, to: str = "+447700900001", **extra: str) -> dict:
    return {"From": sender, "To": to, "Body": body,
            "MessageSid": f"SM{time.time_ns() % 10**12:012d}{next(_sids):020d}",
            "NumMedia": "0", **extra}


def messages_in(twiml: str) -> list[str]:
    return [m.text or "" for m in ElementTree.fromstring(twiml).iter("Message")]


@dataclass
class Reply:
    status: int
    messages: list[str]
    seconds: float
    raw: str


async def send(session: aiohttp.ClientSession, url: str, token: str, body: str, sender: str,
               sign_url: Optional[str] = None, **extra: str) -> Reply:
    """POST one text; `extra` adds or overrides form fields (a retry passes its MessageSid)."""
    data = message_form(body, sender, **extra)
    signature = RequestValidator(token).compute_signature(sign_url or url, data)
    started = time.perf_counter()
    async with session.post(url, data=data, headers={"X-Twilio-Signature": signature}) as response:
        raw = await response.text()
    seconds = time.perf_counter() - started
    texts = messages_in(raw) if response.status == 200 and raw.startswith("<?xml") else []
    return Reply(response.status, texts, seconds, raw)
