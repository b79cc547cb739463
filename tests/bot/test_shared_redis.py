"""What several Rasa servers share through a real Redis server: the per-sender rate limit and
the answers to Twilio MessageSids. Two objects over one Redis stand for two servers."""

from __future__ import annotations

import logging

import pytest

from bot.shared_state import SharedAnswers, SharedRateLimiter, SharedRedis
from bot.twilio_channel import RateLimiter

pytestmark = pytest.mark.asyncio


async def test_the_rate_limit_counts_texts_seen_by_every_server(redis_server):
    first = SharedRateLimiter(SharedRedis.connect(redis_server.url), 3, RateLimiter(3))
    second = SharedRateLimiter(SharedRedis.connect(redis_server.url), 3, RateLimiter(3))
    verdicts = [await limiter.check("sender-a") for limiter in (first, second, first, second,
                                                                 first)]
    assert verdicts == ["ok", "ok", "ok", "notice", "silent"]
    assert await second.check("sender-b") == "ok"  # each sender has their own count


async def test_with_redis_down_each_server_limits_on_its_own_and_says_so(redis_server, caplog):
    from tests.servers import free_port

    local = RateLimiter(1)
    down = SharedRedis.connect(f"redis://127.0.0.1:{free_port()}/0")
    limiter = SharedRateLimiter(down, 1, local)
    with caplog.at_level(logging.ERROR):
        assert [await limiter.check("sender-c") for _ in range(3)] == ["ok", "notice", "silent"]
    assert "rate limit counted by this server only" in caplog.text


async def test_an_answer_is_claimed_once_and_shared(redis_server):
    first = SharedAnswers(SharedRedis.connect(redis_server.url), wait=2)
    second = SharedAnswers(SharedRedis.connect(redis_server.url), wait=2)
    assert await first.claim("SM1") is True
    assert await second.claim("SM1") is False
    assert await second.answer_of("SM1") is None  # still pending after `wait`: no answer
    await first.publish("SM1", ["Help with food:", "Reply 1 to 3"])
    assert await second.answer_of("SM1") == ["Help with food:", "Reply 1 to 3"]
    assert await first.claim("SM2") is True
    await first.publish("SM2", [])  # e.g. a repeated STOP: deliberately no reply
    assert await second.answer_of("SM2") == []
    assert await second.answer_of("SM-never-seen") is None


async def test_with_redis_down_a_claim_says_unknown(caplog):
    from tests.servers import free_port

    answers = SharedAnswers(SharedRedis.connect(f"redis://127.0.0.1:{free_port()}/0"))
    with caplog.at_level(logging.ERROR):
        assert await answers.claim("SM3") is None
    assert "unreachable" in caplog.text
