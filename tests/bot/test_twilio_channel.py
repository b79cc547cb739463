"""The Twilio channel, through a real Rasa server (trained model, real action server) started
on a free port, with requests signed by twilio's own RequestValidator."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import aiohttp
import pytest
from twilio.request_validator import RequestValidator

from sms.pseudonym import pseudonym
from tests.servers import RasaServer, Unavailable
from tests.sms.twilio_standin import StandIn, start

pytestmark = [pytest.mark.model, pytest.mark.asyncio]
TOKEN = "test-auth-token"
SECRET = "test-pseudonym-secret"
NUMBER = "+447700900123"


def rasa_or_fail(tmp: Path, model: Path, action_url: str, database_url: str,
                 extra_env: dict | None = None) -> RasaServer:
    env = {"TWILIO_AUTH_TOKEN": TOKEN, "SENDER_ID_SECRET": SECRET, **(extra_env or {})}
    try:
        return RasaServer(tmp, model, action_url, database_url, env)
    except Unavailable as why:
        pytest.fail(str(why))


@pytest.fixture(scope="module")
def rasa_server(tmp_path_factory, model_path, action_server, conversation_directory_url):
    server = rasa_or_fail(tmp_path_factory.mktemp("rasa"), model_path, action_server,
                          conversation_directory_url)
    yield server
    server.stop()


_sids = iter(range(1, 10**9))


def form(body: str = "", sender: str = NUMBER, **extra) -> dict:
    return {"From": sender, "To": "+447700900001", "Body": body,
            "MessageSid": f"SM{next(_sids):032d}", "NumMedia": "0", **extra}


async def post(url: str, data: dict, token: str = TOKEN, sign_url: str | None = None,
               signature: str | None = None, tamper: dict | None = None) -> tuple[int, str]:
    if signature is None:
        signature = RequestValidator(token).compute_signature(sign_url or url, data)
    sent = {**data, **(tamper or {})}
    headers = {"X-Twilio-Signature": signature} if signature else {}
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=sent, headers=headers) as response:
            return response.status, await response.text()


def messages(twiml: str) -> list[str]:
    return [m.text or "" for m in ElementTree.fromstring(twiml).iter("Message")]


async def say(server: RasaServer, body: str, **extra) -> list[str]:
    status, text = await post(server.webhook, form(body, **extra))
    assert status == 200, text
    return messages(text)


# -- authentication ------------------------------------------------------------------------------
async def test_a_signed_request_gets_an_inline_twiml_answer(rasa_server):
    status, text = await post(rasa_server.webhook, form("need a food bank in dewsbury"))
    assert status == 200 and text.startswith("<?xml") and "<Response><Message>" in text
    assert any("Help with food" in m for m in messages(text))


@pytest.mark.parametrize("case", ["no signature", "wrong token", "wrong url", "tampered body"])
async def test_an_unsigned_or_forged_request_is_refused_and_not_processed(rasa_server, case):
    data = form("i need a gp", sender="+447700900999")
    kwargs = {"no signature": {"signature": ""},
              "wrong token": {"token": "not-the-token"},
              "wrong url": {"sign_url": "https://evil.example/webhooks/twilio/webhook"},
              "tampered body": {"tamper": {"Body": "something else"}}}[case]
    status, _ = await post(rasa_server.webhook, data, **kwargs)
    assert status == 403
    key = pseudonym("+447700900999", SECRET)
    with urllib.request.urlopen(rasa_server.api(f"/conversations/{key}/tracker")) as r:
        tracker = json.loads(r.read())
    assert not [e for e in tracker["events"] if e["event"] == "user"]


# -- privacy -------------------------------------------------------------------------------------
async def test_the_number_never_reaches_the_tracker_or_the_logs(rasa_server):
    await say(rasa_server, "cant get a docs appt", sender="whatsapp:+447700900555")
    key = pseudonym("+447700900555", SECRET)
    with urllib.request.urlopen(rasa_server.api(f"/conversations/{key}/tracker")) as r:
        tracker = r.read().decode()
    assert "docs appt" in tracker
    assert "7700900555" not in tracker and "7700 900555" not in tracker
    user = [e for e in json.loads(tracker)["events"] if e["event"] == "user"][-1]
    assert user["metadata"]["channel"] == "whatsapp"
    assert "7700900555" not in rasa_server.log_path.read_text()


# -- retries, opt-out, help -------------------------------------------------------------------------
async def test_a_twilio_retry_gets_the_same_answer_once(rasa_server):
    data = form("food bank in batley", sender="+447700900444")
    first = await post(rasa_server.webhook, data)
    again = await post(rasa_server.webhook, data)
    assert first == again and first[0] == 200
    key = pseudonym("+447700900444", SECRET)
    with urllib.request.urlopen(rasa_server.api(f"/conversations/{key}/tracker")) as r:
        users = [e for e in json.loads(r.read())["events"] if e["event"] == "user"]
    assert len(users) == 1


async def test_stop_confirms_once_then_silence_until_start(rasa_server):
    sender = "+447700900333"
    assert "START" in (await say(rasa_server, "STOP", sender=sender))[0]
    assert await say(rasa_server, "stop", sender=sender) == []
    assert await say(rasa_server, "need a gp", sender=sender) == []
    assert "START" in (await say(rasa_server, "HELP", sender=sender))[0]
    assert "Welcome back" in (await say(rasa_server, "START", sender=sender))[0]
    assert await say(rasa_server, "need a gp in batley", sender=sender)


async def test_stop_in_words_is_an_opt_out_too(rasa_server):
    sender = "+447700900334"
    assert any("START" in m for m in await say(rasa_server, "please stop texting me",
                                               sender=sender))
    assert await say(rasa_server, "hello", sender=sender) == []


async def test_help_gives_the_menu(rasa_server):
    assert any("1 Crisis help now" in m for m in await say(rasa_server, "HELP",
                                                            sender="+447700900335"))


# -- bad input -------------------------------------------------------------------------------------
async def test_empty_body(rasa_server):
    assert "empty" in (await say(rasa_server, "   ", sender="+447700900222"))[0]


async def test_media_only(rasa_server):
    replies = await say(rasa_server, "", sender="+447700900223", NumMedia="1",
                        MediaUrl0="https://api.twilio.com/x.jpg", MediaContentType0="image/jpeg")
    assert "only read text" in replies[0]


async def test_whatsapp_location_is_used_as_the_place(rasa_server):
    sender = "whatsapp:+447700900224"
    await say(rasa_server, "need a food bank", sender=sender)
    replies = await say(rasa_server, "", sender=sender, Latitude="53.7427", Longitude="-2.0159")
    assert any("Calder Food Support" in m for m in replies)


async def test_a_very_long_body_is_read_not_lost(rasa_server):
    body = "i need a food bank in halifax. " * 60
    replies = await say(rasa_server, body, sender="+447700900225")
    assert "long message" in replies[0] and any("Help with food" in m for m in replies), replies


@pytest.mark.parametrize("body", ["\U0001F622\U0001F622\U0001F622", "مجھے ڈاکٹر کی ضرورت ہے"])
async def test_emoji_and_other_scripts_get_a_plain_reply(rasa_server, body):
    replies = await say(rasa_server, body, sender="+447700900226")
    assert replies and all(r.isascii() for r in replies)


async def test_malformed_requests_get_a_clear_4xx(rasa_server):
    status, text = await post(rasa_server.webhook, {"Body": "no sender"})
    assert status == 400 and "From" in text
    async with aiohttp.ClientSession() as session:
        async with session.post(rasa_server.webhook, json={"Body": "hi"}) as response:
            assert response.status == 400


async def test_rate_limit_sends_one_polite_notice(rasa_server):
    sender = "+447700900227"
    replies = [await say(rasa_server, "hi", sender=sender) for _ in range(23)]
    notices = [r for r in replies if r and "wait a minute" in r[0]]
    assert len(notices) == 1 and replies[-1] == []


async def test_status_callback_is_signed_and_recorded(rasa_server, conversation_directory_url):
    url = f"{rasa_server.url}/webhooks/twilio/status"
    data = {"MessageSid": "SM" + "9" * 32, "MessageStatus": "delivered"}
    assert (await post(url, data, signature=""))[0] == 403
    assert (await post(url, data))[0] == 204
    from directory.db import make_engine
    from sms.store import ChannelStore

    assert ChannelStore(make_engine(conversation_directory_url)).status_of(data["MessageSid"]) \
        == "delivered"


# -- restart and slow turns ---------------------------------------------------------------------------
async def test_opt_out_survives_a_restart_and_slow_answers_follow_by_api(
        tmp_path, model_path, action_server, conversation_directory_url):
    first = rasa_or_fail(tmp_path, model_path, action_server, conversation_directory_url)
    try:
        assert "START" in (await say(first, "STOP", sender="+447700900111"))[0]
    finally:
        first.stop()
    standin = StandIn()
    runner, api = await start(standin)
    second = rasa_or_fail(tmp_path, model_path, action_server, conversation_directory_url,
                          {"TWILIO_API_BASE": api, "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
                         "TWILIO_SMS_FROM": "+447700900001", "TWILIO_REPLY_DEADLINE": "0.001"})
    try:
        assert await say(second, "need a gp", sender="+447700900111") == []  # still opted out
        replies = await say(second, "food bank in todmorden", sender="+447700900112")
        assert "answer will follow" in replies[0]
        for _ in range(100):
            if standin.received:
                break
            await asyncio.sleep(0.1)
        assert standin.received and standin.received[0]["To"] == "+447700900112"
        assert "Help with food" in standin.received[0]["Body"]
    finally:
        second.stop()
        await runner.cleanup()


# -- the anonymous need counts -----------------------------------------------------------------------
def need_count_rows(database_url: str) -> list[dict]:
    from sqlalchemy import text

    from directory.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return [dict(r._mapping) for r in connection.execute(text("SELECT * FROM need_count"))]
    finally:
        engine.dispose()


def cells(rows: list[dict]) -> dict:
    found: dict = {}
    for r in rows:
        key = (r["topic"], r["need"], r["area"], r["borough"], r["channel"], r["outcome"])
        found[key] = found.get(key, 0) + r["count"]
    return found


async def test_real_conversations_are_counted_and_nothing_about_anyone_is_stored(
        rasa_server, conversation_directory_url):
    before = cells(need_count_rows(conversation_directory_url))
    held = [("+447700900301", ["need a food bank in batley"]),
            ("whatsapp:+447700900302", ["need a food bank", "HD1 2AB"]),
            ("+447700900303", ["i want to kill myself"]),
            ("+447700900304", ["i need a dentist", "leeds"])]
    for sender, texts in held:
        for body in texts:
            assert await say(rasa_server, body, sender=sender)
    expected = {("community", "food", "Batley", "Kirklees", "sms", "offered"): 1,
                ("community", "food", "HD1", "Kirklees", "whatsapp", "offered"): 1,
                ("crisis", "crisis", "", "", "sms", "crisis"): 1,
                ("dentist", "dentist", "Leeds", "", "sms", "out_of_area"): 1}
    for _ in range(100):  # counted beside the reply: allow the action server a moment
        rows = need_count_rows(conversation_directory_url)
        after = cells(rows)
        added = {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}
        if added == expected:
            break
        await asyncio.sleep(0.1)
    assert added == expected
    assert set(rows[0]) == {"day", "topic", "need", "area", "borough", "channel", "outcome",
                            "offered", "count"}
    stored = repr(rows).lower()
    for sender, texts in held:
        number = sender.split(":")[-1]
        assert number not in stored and number[1:] not in stored
        assert pseudonym(number, SECRET).lower() not in stored
        for body in texts:  # a text that is only a town may be stored as the place: no more
            assert body.lower() not in stored or body.lower() == "leeds"
    assert "hd1 2ab" not in stored and "whatsapp:" not in stored
