"""What the Rasa servers share through Redis (when REDIS_URL is set), over one connection pool:
the answers to Twilio MessageSids, so a retry is processed once whichever server it reaches, and
the per-sender rate limit. If Redis cannot be reached, each server falls back to its own memory
(and says so in the log).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Optional, Protocol

from ops.urls import redacted

logger = logging.getLogger(__name__)

PENDING = "\x00pending"


@dataclass(frozen=True)
class SharedRedis:
    url: str  # fit for the log: no password
    client: Any  # redis.asyncio.Redis

    @classmethod
    def connect(cls, url: str) -> "SharedRedis":
        import redis.asyncio as aioredis

        return cls(redacted(url), aioredis.Redis.from_url(
            url, socket_timeout=1, socket_connect_timeout=1, decode_responses=True))


class SharedAnswers:
    """Answers to Twilio MessageSids. Twilio may send a message again (same MessageSid) when an
    answer is slow or a connection drops, and behind a load balancer the retry can reach another
    Rasa server: the first server to claim the MessageSid processes the text and stores its
    answer; any other server waits for that answer and sends it back unchanged."""

    def __init__(self, redis: SharedRedis, ttl: int = 600, wait: float = 12.0) -> None:
        self.url, self.red = redis.url, redis.client
        self.ttl, self.wait = ttl, wait

    @staticmethod
    def _key(message_sid: str) -> str:
        return f"signpost:answer:{message_sid}"

    async def claim(self, message_sid: str) -> Optional[bool]:
        """True: this server answers it. False: another already is. None: Redis is down."""
        import redis

        try:
            return bool(await self.red.set(self._key(message_sid), PENDING, nx=True, ex=self.ttl))
        except (redis.RedisError, OSError) as error:
            logger.error("Redis at %s unreachable (%s): Twilio retries are only recognised "
                         "by the server that took the first request", self.url,
                         type(error).__name__)
            return None

    async def publish(self, message_sid: str, messages: list[str]) -> None:
        import redis

        try:
            await self.red.set(self._key(message_sid), json.dumps(messages), ex=self.ttl)
        except (redis.RedisError, OSError) as error:
            logger.error("Redis at %s unreachable (%s): an answer was not shared", self.url,
                         type(error).__name__)

    async def answer_of(self, message_sid: str) -> Optional[list[str]]:
        """The answer another server gave (waiting up to `wait` s for it), or None."""
        import redis

        deadline = time.monotonic() + self.wait
        while time.monotonic() < deadline:
            try:
                value = await self.red.get(self._key(message_sid))
            except (redis.RedisError, OSError):
                return None
            if value is None:
                return None
            if value != PENDING:
                return json.loads(value)
            await asyncio.sleep(0.1)
        return None


class LocalLimiter(Protocol):
    def check(self, key: str, now: Optional[float] = None) -> str: ...


class SharedRateLimiter:
    """A per-sender rate limit counted over every server's texts. Without it two servers behind
    a load balancer would let a sender through at twice the limit. Counts are kept per sender
    per window (a fixed window: Redis INCR + EXPIRE)."""

    def __init__(self, redis: SharedRedis, limit: int, fallback: LocalLimiter,
                 window: int = 60) -> None:
        self.url, self.red = redis.url, redis.client
        self.limit, self.window, self.fallback = limit, window, fallback

    async def check(self, key: str) -> str:
        """"ok", "notice" (the first text over the limit: one polite notice) or "silent"."""
        import redis

        bucket = f"signpost:rate:{key}:{int(time.time() // self.window)}"
        try:
            async with self.red.pipeline(transaction=True) as pipe:
                count, _ = await pipe.incr(bucket).expire(bucket, self.window * 2).execute()
        except (redis.RedisError, OSError) as error:
            logger.error("Redis at %s unreachable (%s): rate limit counted by this server only",
                         self.url, type(error).__name__)
            return self.fallback.check(key)
        if count <= self.limit:
            return "ok"
        return "notice" if count == self.limit + 1 else "silent"
