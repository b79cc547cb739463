"""Answers to Twilio messages shared by every Rasa server through Redis (when REDIS_URL is set).

Twilio may send a message again (same MessageSid) when an answer is slow or a connection drops,
and behind a load balancer the retry can reach another Rasa server. The first server to claim
the MessageSid processes the text and stores its answer; any other server waits for that answer
and sends it back unchanged, so the text is processed once. If Redis cannot be reached, each
server falls back to its own memory of answers (and says so in the log).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Optional

from ops.urls import redacted

logger = logging.getLogger(__name__)

PENDING = "\x00pending"


class SharedAnswers:
    def __init__(self, url: str, ttl: int = 600, wait: float = 12.0) -> None:
        import redis.asyncio as aioredis

        self.url = redacted(url)
        self.red = aioredis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1,
                                           decode_responses=True)
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
