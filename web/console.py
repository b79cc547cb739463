"""Community Champions: chat with the assistant for a resident, and text them a service's details."""

from __future__ import annotations

import logging
import os
import secrets
from collections import OrderedDict, deque
from typing import Optional

import aiohttp
import phonenumbers
from aiohttp import web
from aiohttp_session import get_session

from web.app_keys import DIRECTORY, RASA, RASA_TOKEN, SENDER

logger = logging.getLogger(__name__)
RASA_URL = os.environ.get("RASA_URL", "http://127.0.0.1:5005")
_transcripts: "OrderedDict[str, deque]" = OrderedDict()  # in memory only; never the resident's number


def transcript(conversation: str) -> deque:
    if conversation not in _transcripts:
        _transcripts[conversation] = deque(maxlen=40)
        while len(_transcripts) > 1000:
            _transcripts.popitem(last=False)
    return _transcripts[conversation]


async def ask_assistant(conversation: str, text: str, rasa_url: str, token: str) -> list[str]:
    """The replies a resident would get by SMS, through Rasa's REST channel (which wants the
    assistant's API token)."""
    timeout = aiohttp.ClientTimeout(total=20)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.post(f"{rasa_url}/webhooks/rest/webhook",
                                json={"sender": conversation, "message": text,
                                      "metadata": {"channel": "web_console"}},
                                headers={"Authorization": f"Bearer {token}"}) as response:
            response.raise_for_status()
            replies = await response.json()
    return [r["text"] for r in replies if r.get("text")]


def uk_mobile(text: str) -> Optional[str]:
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    if (not phonenumbers.is_valid_number(number) or number.country_code != 44
            or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def add_console_routes(app: web.Application, render, require) -> None:
    @require("champion")
    async def console(request: web.Request):
        session = await get_session(request)
        conversation = session.setdefault("console_conversation", f"console-{secrets.token_hex(8)}")
        return await render(request, "console.html", {"lines": list(transcript(conversation)),
                                                      "error": None})

    @require("champion")
    async def console_say(request: web.Request):
        form = await request.post()
        session = await get_session(request)
        conversation = session.setdefault("console_conversation", f"console-{secrets.token_hex(8)}")
        text = (form.get("message") or "").strip()
        error = None
        if text:
            lines = transcript(conversation)
            lines.append(("resident", text))
            try:
                for reply in await ask_assistant(conversation, text, request.app[RASA],
                                                   request.app[RASA_TOKEN]):
                    lines.append(("assistant", reply))
            except (aiohttp.ClientError, TimeoutError) as problem:
                logger.error("Console could not reach the assistant: %s", type(problem).__name__)
                error = ("The assistant is not answering just now. For health help call NHS 111. "
                         "In danger call 999.")
        if error:
            return await render(request, "console.html", {"lines": list(transcript(conversation)),
                                                          "error": error}, status=503)
        raise web.HTTPSeeOther("/console")

    @require("champion")
    async def console_new(request: web.Request):
        session = await get_session(request)
        session["console_conversation"] = f"console-{secrets.token_hex(8)}"
        raise web.HTTPSeeOther("/console")

    @require("champion")
    async def send_details(request: web.Request):
        from actions.replies import service_details
        from directory.repository import NotFound

        form = await request.post()
        service_id = request.match_info["id"]
        try:
            plain = request.app[DIRECTORY].get(service_id)
        except NotFound:
            raise web.HTTPNotFound(text="No such service.")
        number = uk_mobile(form.get("phone", ""))
        problem = None
        if form.get("consent") != "yes":
            problem = "Tick the box to show the resident agreed to get this text."
        elif number is None:
            problem = "Enter a UK mobile number, like 07700 900123."
        sender = request.app.get(SENDER)
        if problem is None and sender is None:
            problem = "Texting is not set up on this server (Twilio settings missing)."
        if problem:
            return await render(request, "sent.html", {"service": plain, "error": problem},
                                status=422)
        try:
            await sender.send(number, service_details(plain))
        except Exception as error:  # the sender logs without the number
            logger.error("Champion text failed: %s", type(error).__name__)
            return await render(request, "sent.html", {
                "service": plain, "error": "The text could not be sent. Please try again."},
                status=502)
        # The number is used for this one text and not kept anywhere.
        return await render(request, "sent.html", {"service": plain, "error": None})

    app.router.add_get("/console", console)
    app.router.add_post("/console", console_say)
    app.router.add_post("/console/new", console_new)
    app.router.add_post("/services/{id}/send", send_details)
