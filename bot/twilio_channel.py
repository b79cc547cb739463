"""Our Twilio input channel for SMS and WhatsApp: `POST /webhooks/twilio/webhook`.

Unlike Rasa's stock Twilio channel it
- checks `X-Twilio-Signature` on every request (403 and nothing processed otherwise), and
  refuses everything when no auth token is configured;
- replies inline as TwiML, one <Message> per bot message, within Twilio's 15 s: a turn slower
  than REPLY_DEADLINE gets a holding reply and the answer follows through the outbound API;
- uses a keyed pseudonym of the number as the sender id (the number never reaches the tracker
  store or the logs); `channel` (sms or whatsapp) goes in the metadata;
- answers a Twilio retry (same MessageSid) the same way without processing it twice, also when
  the retry reaches another Rasa server (answers shared through Redis when REDIS_URL is set);
- handles STOP/START/HELP itself (opt-outs persist in the database), rate-limits each sender
  (counted across Rasa servers in Redis when REDIS_URL is set),
  and gives every odd request a clear reply or 4xx: empty, media-only, location, huge, malformed.
- `POST /webhooks/twilio/status` records delivery status callbacks (signature-checked too).

Configuration (environment): TWILIO_AUTH_TOKEN (required), SENDER_ID_SECRET (required: the
pseudonym key), TWILIO_WEBHOOK_URL (the public URL Twilio calls, when behind a proxy),
TWILIO_STATUS_URL, TWILIO_RATE_LIMIT (messages per minute, default 20), and for the outbound
API TWILIO_ACCOUNT_SID, TWILIO_SMS_FROM / TWILIO_WHATSAPP_FROM or TWILIO_MESSAGING_SERVICE_SID.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import OrderedDict, defaultdict, deque
from typing import Any, Awaitable, Callable, Deque, Dict, Optional, Text
from urllib.parse import parse_qs

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot import action_calls
from bot.shared_state import SharedAnswers, SharedRateLimiter, SharedRedis
from directory import health as directory_health
from sms.pseudonym import channel_of, pseudonym
from sms.text import to_gsm7

logger = logging.getLogger(__name__)
# Loaded by every `rasa run` (credentials.yml): cheaper calls to the action server
# (bot/action_calls.py).
action_calls.install()

REPLY_DEADLINE = 10.0  # seconds; Twilio gives up at 15
MAX_BODY = 20_000  # far beyond Twilio's 1600: a forged or broken request
LONG_BODY = 1600
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
START_WORDS = {"START", "UNSTOP", "YES"}
HELP_WORDS = {"HELP", "INFO"}

TEXTS = {
    "stopped": "You will not get any more texts from us. Text START to use this service again. "
               "In an emergency, call 999.",
    "started": "Welcome back. Text HELP to see what I can help with.",
    "help_opted_out": "This text line finds health and community services in Kirklees and "
                      "Calderdale. Text START to use it again. In an emergency, call 999.",
    "empty": "Your message was empty. Please text what you need help with, or HELP for the menu.",
    "media": "Sorry, I can only read text. Please type what you need help with. "
             "In an emergency, call 999.",
    "too_long": "That was a long message, so I read the start of it. If I missed something, "
                "please send it in a shorter text.",
    "slow": "Sorry for the wait. Your answer will follow in a moment. In an emergency, call 999.",
    "rate": "You have sent a lot of messages. Please wait a minute and try again. "
            "In an emergency, call 999.",
    # Sent whenever a turn fails or gives nothing (action server, database or Redis down), so it
    # carries every crisis contact: the message it answers may have been a crisis.
    "error": "Sorry, something went wrong. If you are in danger now, call 999. Samaritans: call "
             "116 123, free, any time. Shout: text SHOUT to 85258. NHS 111: for health help, or "
             "choose the mental health option.",
    "far_away": "Thanks. That location is outside Kirklees and Calderdale, so I will show "
                "services for anywhere in the two boroughs.",
}


def form_of(request: Request) -> Dict[str, Any]:
    """The posted form with blank values kept (Sanic drops them, and Twilio signs them)."""
    cached = getattr(request.ctx, "twilio_form", None)
    if cached is None:
        try:
            parsed = parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            parsed = {}
        cached = {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}
        request.ctx.twilio_form = cached
    return cached


def twiml(messages: list[str]) -> str:
    reply = MessagingResponse()
    for text in messages:
        if text:
            reply.message(to_gsm7(text))
    return str(reply)


def _twiml_response(messages: list[str]) -> HTTPResponse:
    return response.text(twiml(messages), content_type="text/xml")


class RateLimiter:
    """At most `limit` messages per sender in `window` seconds; one notice per window."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._seen: Dict[str, Deque[float]] = defaultdict(deque)
        self._noticed: Dict[str, float] = {}

    def check(self, key: str, now: Optional[float] = None) -> str:
        """"ok", "notice" (over the limit: send one polite notice) or "silent"."""
        now = time.monotonic() if now is None else now
        seen = self._seen[key]
        while seen and now - seen[0] > self.window:
            seen.popleft()
        seen.append(now)
        if len(seen) <= self.limit:
            return "ok"
        if now - self._noticed.get(key, -1e9) > self.window:
            self._noticed[key] = now
            return "notice"
        return "silent"


class TwilioSecureInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TwilioSecureInput":
        credentials = credentials or {}
        return cls(
            auth_token=credentials.get("auth_token") or os.environ.get("TWILIO_AUTH_TOKEN"),
            sender_secret=credentials.get("sender_id_secret") or os.environ.get("SENDER_ID_SECRET"),
            webhook_url=credentials.get("webhook_url") or os.environ.get("TWILIO_WEBHOOK_URL"),
            status_url=credentials.get("status_url") or os.environ.get("TWILIO_STATUS_URL"),
            rate_limit=int(credentials.get("rate_limit") or os.environ.get("TWILIO_RATE_LIMIT", 20)),
            reply_deadline=float(os.environ.get("TWILIO_REPLY_DEADLINE", REPLY_DEADLINE)),
            redis_url=os.environ.get("REDIS_URL"),
        )

    def __init__(self, auth_token: Optional[str], sender_secret: Optional[str],
                 webhook_url: Optional[str] = None, status_url: Optional[str] = None,
                 rate_limit: int = 20, store=None, sender=None, gazetteer=None,
                 reply_deadline: float = REPLY_DEADLINE,
                 redis_url: Optional[str] = None) -> None:
        self.auth_token = auth_token
        self.sender_secret = sender_secret
        self.webhook_url = webhook_url
        self.status_url = status_url
        self.reply_deadline = reply_deadline
        self.rate_limiter = RateLimiter(rate_limit)
        # Several Rasa servers share retries' answers and the rate limit through Redis.
        shared = SharedRedis.connect(redis_url) if redis_url else None
        self.shared_answers = SharedAnswers(shared) if shared else None
        self.shared_rate_limit = SharedRateLimiter(shared, rate_limit, self.rate_limiter) \
            if shared else None
        self._store = store
        self._sender = sender
        self._gazetteer = gazetteer
        self._answers: "OrderedDict[str, asyncio.Future]" = OrderedDict()
        self._refusal = self._why_refusing()
        if self._refusal:
            logger.error("Twilio webhook will refuse every request: %s", self._refusal)

    def _why_refusing(self) -> Optional[str]:
        if not self.auth_token:
            return "TWILIO_AUTH_TOKEN is not set, so requests cannot be authenticated"
        if not self.sender_secret:
            return "SENDER_ID_SECRET is not set, so numbers cannot be pseudonymised"
        return None

    # -- collaborators, made on first use ------------------------------------------------------
    @property
    def store(self):
        if self._store is None:
            from directory.db import make_engine
            from directory.migrate import upgrade
            from sms.store import ChannelStore

            upgrade()  # opt-out tables live beside the directory's
            self._store = ChannelStore(make_engine())
        return self._store

    @property
    def sender(self):
        if self._sender is None:
            from sms.outbound import SenderConfig, TwilioSender

            config = SenderConfig.from_env()
            self._sender = TwilioSender(config) if config else False
        return self._sender or None

    @property
    def gazetteer(self):
        if self._gazetteer is None:
            from directory.gazetteer import load_default

            self._gazetteer = load_default()
        return self._gazetteer

    # -- checks ----------------------------------------------------------------------------------
    def _is_authentic(self, request: Request, url: Optional[str]) -> bool:
        signature = request.headers.get("X-Twilio-Signature")
        if not signature:
            return False
        return RequestValidator(self.auth_token).validate(url or request.url, form_of(request),
                                                          signature)

    def _place_text(self, latitude: str, longitude: str) -> Optional[str]:
        from directory.search import miles

        try:
            point = (float(latitude), float(longitude))
        except ValueError:
            return None
        nearest = min((p for p in self.gazetteer.places
                       if p.in_area and p.kind != "borough" and p.lat is not None),
                      key=lambda p: miles(point, (p.lat, p.lon)))
        if miles(point, (nearest.lat, nearest.lon)) > 5:
            return None
        return f"im in {nearest.name}"

    # -- the webhook -----------------------------------------------------------------------------
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("twilio_secure_webhook", __name__)
        directory_health.log_health(logger, "Rasa server")

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            # 200 even when the directory is empty: crisis replies still work, so a load
            # balancer must not take every server out; the body says what is wrong.
            return response.json({"status": "ok" if not self._refusal else "refusing",
                                  "reason": self._refusal,
                                  "directory": (await directory_health.cached_check()).as_dict()})

        @hook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if self._refusal:
                return response.text(f"Refused: {self._refusal}.", status=403)
            if "application/x-www-form-urlencoded" not in (request.content_type or ""):
                return response.text("Expected a form-encoded Twilio request.", status=400)
            if not self._is_authentic(request, self.webhook_url):
                logger.warning("Twilio webhook: missing or wrong signature; request refused")
                return response.text("Invalid or missing X-Twilio-Signature.", status=403)
            address = form_of(request).get("From")
            message_sid = form_of(request).get("MessageSid") or form_of(request).get("SmsMessageSid")
            if not address or not message_sid:
                return response.text("A Twilio message needs From and MessageSid.", status=400)
            body = form_of(request).get("Body") or ""
            if len(body) > MAX_BODY:
                return response.text("Message body too large.", status=413)

            existing = self._answers.get(message_sid)
            if existing is not None:  # a Twilio retry: the same answer, not processed again
                return _twiml_response(await asyncio.shield(existing))
            future: asyncio.Future = asyncio.get_running_loop().create_future()
            self._answers[message_sid] = future
            while len(self._answers) > 10_000:
                self._answers.popitem(last=False)
            claimed = await self.shared_answers.claim(message_sid) \
                if self.shared_answers else None
            if claimed is False:  # a retry another server is answering, or has answered
                messages = await self.shared_answers.answer_of(message_sid)
                if messages is None:  # the first server gave no answer in time
                    messages = [TEXTS["error"]]
                future.set_result(messages)
                return _twiml_response(messages)
            try:
                messages = await self._answer(request, address, body, on_new_message)
            except Exception as error:  # never a 500 to Twilio, never silence
                logger.error("Twilio webhook failed: %s", type(error).__name__)
                messages = [TEXTS["error"]]
            future.set_result(messages)
            if claimed:
                await self.shared_answers.publish(message_sid, messages)
            return _twiml_response(messages)

        @hook.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            if self._refusal:
                return response.text(f"Refused: {self._refusal}.", status=403)
            status_url = self.status_url or (
                self.webhook_url[: -len("/webhook")] + "/status"
                if self.webhook_url and self.webhook_url.endswith("/webhook") else None)
            if not self._is_authentic(request, status_url):
                return response.text("Invalid or missing X-Twilio-Signature.", status=403)
            sid = form_of(request).get("MessageSid")
            state = form_of(request).get("MessageStatus")
            if not sid or not state:
                return response.text("A status callback needs MessageSid and MessageStatus.",
                                     status=400)
            self.store.record_status(sid, state, form_of(request).get("ErrorCode"))
            return response.empty()

        return hook

    async def _answer(self, request: Request, address: str, body: str,
                      on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> list[str]:
        key = pseudonym(address, self.sender_secret)
        channel = channel_of(address)
        word = body.strip().upper()

        if word in STOP_WORDS:
            return [TEXTS["stopped"]] if self.store.opt_out(key) else []
        if word in START_WORDS and self.store.is_opted_out(key):
            self.store.opt_in(key)
            return [TEXTS["started"]]
        if self.store.is_opted_out(key):
            return [TEXTS["help_opted_out"]] if word in HELP_WORDS else []

        verdict = await self.shared_rate_limit.check(key) if self.shared_rate_limit \
            else self.rate_limiter.check(key)
        if verdict != "ok":
            return [TEXTS["rate"]] if verdict == "notice" else []

        notes: list[str] = []
        text = body.strip()
        latitude, longitude = form_of(request).get("Latitude"), form_of(request).get("Longitude")
        if latitude and longitude and not text:
            text = self._place_text(latitude, longitude) or ""
            if not text:
                notes.append(TEXTS["far_away"])
                text = "anywhere"
        media = int(form_of(request).get("NumMedia") or 0)
        if not text:
            return [TEXTS["media"] if media else TEXTS["empty"]]
        if len(text) > LONG_BODY:
            notes.append(TEXTS["too_long"])
            text = text[:LONG_BODY]
        if word in HELP_WORDS:
            text = "help"

        metadata = {"channel": channel, "media": media or None}
        collector = CollectingOutputChannel()
        turn = asyncio.ensure_future(on_new_message(UserMessage(
            text, collector, key, input_channel=self.name(), metadata=metadata,
            message_id=form_of(request).get("MessageSid"))))
        try:
            await asyncio.wait_for(asyncio.shield(turn), timeout=self.reply_deadline)
        except asyncio.TimeoutError:
            turn.add_done_callback(lambda _: asyncio.ensure_future(
                self._send_late(address, collector, key)))
            return notes + [TEXTS["slow"]]
        replies = await self._replies(collector, key)
        return notes + replies if replies or notes else [TEXTS["error"]]

    async def _replies(self, collector: CollectingOutputChannel, key: str) -> list[str]:
        texts = []
        for message in collector.messages:
            custom = message.get("custom") or {}
            if isinstance(custom, dict) and custom.get("opt_out"):
                self.store.opt_out(key)  # "stop texting me", understood by the NLU
                continue
            if message.get("text"):
                texts.append(message["text"])
        return texts

    async def _send_late(self, address: str, collector: CollectingOutputChannel,
                         key: str) -> None:
        texts = await self._replies(collector, key)
        if not texts:
            return
        if self.sender is None:
            logger.error("A slow answer could not follow: outbound Twilio is not configured")
            return
        for text in texts:
            try:
                await self.sender.send(address, text)
            except Exception as error:
                logger.error("A slow answer could not be sent: %s", type(error).__name__)
