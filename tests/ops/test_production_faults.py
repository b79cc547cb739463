"""The production profile under faults, for real: a PostgreSQL server and a Redis server on
127.0.0.1 started by this test run, the action server, two `rasa run` servers sharing
conversations through the SQL tracker store and the Redis lock store (endpoints.yml), and HAProxy
in front of them (ops/load_balancer.py). Texts are signed as Twilio signs them and go through the
load balancer, except where a test sends each text to a chosen server to prove what they share.
Each test leaves the servers running as it found them."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from dataclasses import dataclass
from typing import Optional

import aiohttp
import psycopg2
import pytest
from sqlalchemy import text

from bot.twilio_channel import TEXTS
from directory.db import make_engine
from ops.load_balancer import LoadBalancer
from ops.servers import ActionServer, PostgresServer, RasaServer, RedisServer, Unavailable
from ops.twilio_sim import Reply, send
from sms.pseudonym import pseudonym
from tests.servers import seeded_directory

pytestmark = [pytest.mark.model, pytest.mark.asyncio]
TOKEN = "fault-test-token"
SECRET = "fault-test-secret"
CRISIS_CONTACTS = ["999", "116 123", "85258", "111"]
_numbers = itertools.count(100)


def new_number() -> str:
    return f"+4477009{next(_numbers):05d}"


@dataclass
class Profile:
    postgres: PostgresServer
    redis: RedisServer
    actions: ActionServer
    rasa: list[RasaServer]
    balancer: LoadBalancer
    database_url: str

    async def say(self, server: Optional[int], number: str, body: str, **extra: str) -> Reply:
        """One signed text, through the load balancer or (`server`) to that Rasa server."""
        url = self.balancer.webhook if server is None else self.rasa[server].webhook
        async with aiohttp.ClientSession() as session:
            reply = await send(session, url, TOKEN, body, number, **extra)
        assert reply.status == 200, reply.raw
        return reply

    def events(self, number: str) -> list[tuple[str, str, dict]]:
        """(type, action name, data) of every stored event of this resident, in order."""
        engine = make_engine(self.database_url)
        try:
            with engine.connect() as connection:
                rows = connection.execute(text(
                    "SELECT type_name, action_name, data FROM events WHERE sender_id = :key "
                    "ORDER BY id"), {"key": pseudonym(number, SECRET)}).all()
        finally:
            engine.dispose()
        return [(kind, action or "", json.loads(data)) for kind, action, data in rows]

    def user_texts(self, number: str) -> list[str]:
        return [data["text"] for kind, _, data in self.events(number) if kind == "user"]


@pytest.fixture(scope="module")
def profile(tmp_path_factory, model_path):
    tmp = tmp_path_factory.mktemp("production")
    started: list = []
    try:
        postgres = PostgresServer().start()
        started.append(postgres)
        redis = RedisServer().start()
        started.append(redis)
    except Unavailable as why:
        for server in reversed(started):
            server.stop()
        pytest.skip(f"The production profile needs PostgreSQL and Redis here: {why}")
    database_url = postgres.create_database("signpost")
    seeded_directory(database_url).engine.dispose()
    try:
        actions = ActionServer(tmp, database_url, extra_env={"DIRECTORY_TIMEOUT": "1.5",
                                                               "DIRECTORY_HEALTH_EVERY": "1"})
        started.append(actions)
        env = {"TWILIO_AUTH_TOKEN": TOKEN, "SENDER_ID_SECRET": SECRET, "REDIS_URL": redis.url,
               "TWILIO_RATE_LIMIT": "1000", "DIRECTORY_HEALTH_EVERY": "1"}
        servers = [RasaServer(tmp, model_path, actions.webhook, database_url, env,
                              project_stores=True, wait=False) for _ in range(2)]
        started.extend(servers)
        for server in servers:
            server.wait_ready()
    except Unavailable as why:
        for server in reversed(started):
            server.stop()
        pytest.fail(str(why))
    try:
        balancer = LoadBalancer([server.port for server in servers], tmp / "haproxy").start()
    except Unavailable as why:
        for server in reversed(started):
            server.stop()
        pytest.skip(f"The production profile's load balancer needs HAProxy here: {why}")
    started.append(balancer)
    yield Profile(postgres, redis, actions, servers, balancer, database_url)
    for server in reversed(started):
        server.stop()


def has_all(replies: list[str], needles: list[str]) -> bool:
    joined = "\n".join(replies)
    return all(needle in joined for needle in needles)


def listed_name(listing: str, number: int) -> str:
    found = re.search(rf"^{number} (.+?):", listing, re.M)
    assert found, listing
    return found.group(1)


# -- two servers, one conversation store ---------------------------------------------------------
SCRIPTS = [
    ["hi", "need a food bank", "batley", "2"],
    ["i need a dentist", "huddersfield", "MORE"],
    ["how do i register with a gp", "halifax", "1"],
    ["bowel screening kit", "todmorden"],
    ["im lonely and want someone to talk to", "dewsbury", "more"],
    ["help", "3", "brighouse"],
]


async def test_conversations_alternating_between_two_servers_are_kept_whole_and_in_order(profile):
    async def resident(script: list[str], offset: int) -> tuple[str, list[Reply]]:
        number = new_number()
        replies = []
        for turn, body in enumerate(script):  # each text goes to the other server
            replies.append(await profile.say((turn + offset) % 2, number, body))
        return number, replies

    results = await asyncio.gather(*(resident(s, i) for i, s in enumerate(SCRIPTS)))

    for (number, replies), script in zip(results, SCRIPTS):
        assert all(reply.messages for reply in replies), [r.raw for r in replies]
        assert profile.user_texts(number) == script  # each once, in the order sent
    number, replies = results[0]
    chosen = listed_name(replies[2].messages[-1], 2)  # "2" answered from the other server
    assert chosen in replies[3].messages[-1]


async def test_simultaneous_texts_of_one_conversation_are_processed_one_at_a_time(profile):
    """Four texts of one conversation reach both servers at the same moment: the Redis lock
    makes them queue, so each is processed once and no two turns interleave."""
    number = new_number()
    await profile.say(0, number, "hi")
    bodies = ["need a food bank in batley", "need a dentist in halifax",
              "gp in dewsbury", "warm space in huddersfield"]
    replies = await asyncio.gather(*(profile.say(i % 2, number, body)
                                     for i, body in enumerate(bodies)))

    assert all(reply.messages for reply in replies)
    texts = profile.user_texts(number)
    assert sorted(texts[1:]) == sorted(bodies) and texts[0] == "hi"
    # Every turn is whole: user text, then its actions and bot reply, then listening again.
    turn: list[str] = []
    for kind, action, _ in profile.events(number):
        if kind == "user":
            assert not turn or turn[-1] == "action_listen", f"turns interleaved: {turn}"
            turn = ["user"]
        elif turn:
            turn.append(action if kind == "action" else kind)
    assert not any(TEXTS["error"] in reply.messages for reply in replies)


async def test_a_twilio_retry_reaching_the_other_server_is_answered_not_processed_again(profile):
    number = new_number()
    sid = "SM" + "7" * 32
    first, retry = await asyncio.gather(
        profile.say(0, number, "need a food bank in batley", MessageSid=sid),
        profile.say(1, number, "need a food bank in batley", MessageSid=sid))
    assert first.messages == retry.messages and "Help with food" in first.messages[-1]
    later = await profile.say(1, number, "need a food bank in batley", MessageSid=sid)
    assert later.messages == first.messages
    assert profile.user_texts(number) == ["need a food bank in batley"]


# -- the load balancer ----------------------------------------------------------------------------
async def test_the_public_door_takes_twilio_and_health_only_and_spreads_the_texts(profile):
    balancer = profile.balancer
    async with aiohttp.ClientSession() as session:
        for path in ("/model/parse", "/status", "/webhooks/rest/webhook",
                     "/conversations/x/tracker", "/webhooks/twilio/", "/"):
            async with session.get(balancer.url + path + f"?token={profile.rasa[0].token}") as r:
                assert r.status == 404, path
        async with session.get(balancer.url + "/health") as response:
            assert response.status == 200
        before = profile.balancer.sessions()
        replies = await asyncio.gather(*(send(session, balancer.webhook, TOKEN, "need a food bank "
                                              "in batley", new_number()) for _ in range(8)))
    assert all(r.status == 200 and "Help with food" in r.messages[-1] for r in replies)
    after = profile.balancer.sessions()
    assert all(after[name] > before[name] for name in after), (before, after)


async def test_a_server_that_goes_down_is_taken_out_and_its_texts_answered_by_the_other(profile):
    profile.rasa[0].stop()
    try:
        # At once, before a health check has seen it: the refused connection is sent on.
        at_once = [await profile.say(None, new_number(), "need a food bank in batley")
                   for _ in range(4)]
        profile.balancer.wait_for({"rasa1": "DOWN", "rasa2": "UP"})
        later = await asyncio.gather(*(profile.say(None, new_number(), "i want to kill myself")
                                       for _ in range(4)))
        async with aiohttp.ClientSession() as session:
            async with session.get(profile.balancer.url + "/health") as response:
                assert response.status == 200  # one server is enough to answer
    finally:
        profile.rasa[0].start()
    assert all("Help with food" in r.messages[-1] for r in at_once), [r.raw for r in at_once]
    assert all(has_all(r.messages, CRISIS_CONTACTS) for r in later)
    profile.balancer.wait_for({"rasa1": "UP", "rasa2": "UP"})


# -- faults ----------------------------------------------------------------------------------------
async def test_action_server_down_still_gives_a_safe_reply_and_recovers(profile):
    profile.actions.stop()
    try:
        food = await profile.say(None, new_number(), "need a food bank in batley")
        crisis = await profile.say(None, new_number(), "i want to end my life")
    finally:
        profile.actions.start()
    assert has_all(food.messages, ["111", "999", "116 123"]), food.messages
    assert has_all(crisis.messages, CRISIS_CONTACTS), crisis.messages
    assert "Help with food" in "\n".join(
        (await profile.say(None, new_number(), "need a food bank in batley")).messages)


async def test_slow_directory_crisis_reply_complete_others_sorry_then_back(profile):
    """A maintainer's long transaction holds the service table: lookups time out."""
    blocker = psycopg2.connect(host="127.0.0.1", port=profile.postgres.port, user="postgres",
                               dbname="signpost")
    try:
        with blocker.cursor() as cursor:
            cursor.execute("LOCK TABLE service IN ACCESS EXCLUSIVE MODE")
        crisis = await profile.say(None, new_number(), "i want to kill myself")
        food = await profile.say(None, new_number(), "need a food bank in batley")
    finally:
        blocker.rollback()
        blocker.close()
    assert has_all(crisis.messages, CRISIS_CONTACTS) and crisis.seconds < 10, crisis
    assert "cannot look up local services" in "\n".join(food.messages)
    assert has_all(food.messages, ["111", "999", "116 123"]) and food.seconds < 10
    after = await profile.say(None, new_number(), "need a food bank in batley")
    assert "Help with food" in "\n".join(after.messages)


async def test_database_down_crisis_reply_complete_others_sorry_then_resumes(profile):
    profile.postgres.halt()
    try:
        crisis = await profile.say(None, new_number(), "i want to kill myself")
        food = await profile.say(None, new_number(), "need a food bank in batley")
    finally:
        profile.postgres.start()
    assert has_all(crisis.messages, CRISIS_CONTACTS), crisis.messages
    assert has_all(food.messages, ["Sorry", "111", "999"]), food.messages
    # Nobody restarts anything: the next texts are answered as before.
    for server in (0, 1):
        after = await profile.say(server, new_number(), "need a food bank in batley")
        assert "Help with food" in "\n".join(after.messages), after.messages


async def test_redis_down_is_logged_plainly_and_the_resident_still_gets_an_answer(profile):
    profile.redis.halt()
    try:
        reply = await profile.say(0, new_number(), "need a food bank in batley")
    finally:
        profile.redis.start()
    assert "Help with food" in "\n".join(reply.messages), reply.messages
    log = profile.rasa[0].log_path.read_text()
    assert f"Redis lock store unreachable at redis://127.0.0.1:{profile.redis.port}" in log
    await profile.say(0, new_number(), "hi")
    assert "is back" in profile.rasa[0].log_path.read_text()


async def test_a_restarted_server_continues_the_conversation_where_it_was(profile):
    number = new_number()
    listing = (await profile.say(0, number, "need a food bank in batley")).messages[-1]
    profile.rasa[0].restart()
    details = await profile.say(0, number, "2")
    assert listed_name(listing, 2) in "\n".join(details.messages)
    assert profile.user_texts(number) == ["need a food bank in batley", "2"]


async def test_no_phone_number_reaches_the_shared_stores(profile):
    engine = make_engine(profile.database_url)
    try:
        with engine.connect() as connection:
            dump = "\n".join(str(row) for row in connection.execute(
                text("SELECT sender_id, data FROM events")))
    finally:
        engine.dispose()
    assert dump and "+447700" not in dump and "whatsapp:" not in dump
    for server in profile.rasa:
        assert "+447700" not in server.log_path.read_text()
