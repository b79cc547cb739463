"""A resident's phone as Twilio presents it: form-encoded webhook requests signed with
X-Twilio-Signature (twilio's own RequestValidator), and the TwiML reply read back.
Used by the fault tests, bench/load.py and `signpost twilio-sim "text"`, which sends one signed
text to a local Rasa server, signed with the TWILIO_AUTH_TOKEN that server was started with."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
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


SIM_NUMBER = "+447700900123"  # Ofcom's range for drama: never a real phone


def _simulate(args: argparse.Namespace) -> int:
    token = os.environ.get("TWILIO_AUTH_TOKEN")
    if not token:
        print("Set TWILIO_AUTH_TOKEN to the value the Rasa server was started with, e.g.\n"
              '  TWILIO_AUTH_TOKEN=local-trial .venv/bin/signpost twilio-sim "food bank batley"',
              file=sys.stderr)
        return 2
    url = args.url or f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}" \
                      "/webhooks/twilio/webhook"

    async def once() -> Reply:
        async with aiohttp.ClientSession() as session:
            return await send(session, url, token, " ".join(args.text), args.sender,
                              sign_url=os.environ.get("TWILIO_WEBHOOK_URL"))

    try:
        reply = asyncio.run(once())
    except aiohttp.ClientError as error:
        print(f"Could not reach {url}: {error}. Is `make run` running?", file=sys.stderr)
        return 1
    if reply.status != 200:
        print(f"HTTP {reply.status}: {reply.raw.strip()}", file=sys.stderr)
        return 1
    for text in reply.messages:
        print(text, end="\n\n")
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "twilio-sim", help="send one signed SMS webhook request to the local assistant")
    command.add_argument("text", nargs="+")
    command.add_argument("--from", dest="sender", default=SIM_NUMBER,
                         help=f"the resident's number (default {SIM_NUMBER}, a drama number)")
    command.add_argument("--url", help="the webhook (default the local Rasa server's)")
    command.set_defaults(func=_simulate)
