"""A per-sender rate limit shared by every Rasa server through Redis (when REDIS_URL is set).

Without it each server would count only the texts it saw, so two servers behind a load balancer
would let a sender through at twice the limit. Counts are kept per sender per window (a fixed
window: Redis INCR + EXPIRE). If Redis cannot be reached the server's own limiter decides.
"""

from __future__ import annotations

import logging
import time
from typing import Optional, Protocol

from ops.urls import redacted

logger = logging.getLogger(__name__)


class LocalLimiter(Protocol):
    def check(self, key: str, now: Optional[float] = None) -> str: ...


class SharedRateLimiter:
    def __init__(self, url: str, limit: int, fallback: LocalLimiter, window: int = 60) -> None:
        import redis.asyncio as aioredis

        self.url = redacted(url)
        self.red = aioredis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
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
