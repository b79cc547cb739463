"""Where Rasa keeps conversations and conversation locks, chosen by the environment.

endpoints.yml names these two classes, so one file serves both profiles:
- embedded default (nothing set): Rasa's in-memory tracker and lock stores;
- production: `DATABASE_URL` (or `TRACKER_DATABASE_URL`) -> SQL tracker store in that database
  (PostgreSQL), `REDIS_URL` -> Redis lock store shared by every Rasa server.

The Redis lock store differs from Rasa's own in two ways:
- every change to a conversation's ticket lock is one Redis transaction (WATCH/MULTI), so two
  servers taking or returning tickets at the same moment cannot overwrite each other's ticket
  (Rasa's store reads, changes and writes the lock in separate steps);
- if Redis cannot be reached the message is still answered under a lock local to this process,
  and the log says so plainly (ERROR, at most once a minute, and once more when Redis is back).
"""

from __future__ import annotations

import logging
import os
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Callable, Optional, Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX, LOCK_LIFETIME, InMemoryLockStore, LockStore,
    RedisLockStore,
)
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore

from ops.urls import redacted, tracker_database_url

logger = logging.getLogger(__name__)

OUTAGE_LOG_INTERVAL = 60.0  # seconds between repeated "Redis is down" errors


class ReconnectingSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store with pool_pre_ping: after the database restarts, the next
    message uses a fresh connection instead of failing on a dead one."""

    def __init__(self, url: str, domain: Any = None, event_broker: Any = None) -> None:
        import sqlalchemy as sa
        from rasa.core.tracker_store import create_engine_kwargs

        super().__init__(domain=domain, host=url, event_broker=event_broker)
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)


class EnvironmentTrackerStore:
    """`tracker_store: type: bot.stores.EnvironmentTrackerStore` in endpoints.yml."""

    def __new__(cls, host: Optional[str] = None, domain: Any = None, event_broker: Any = None,
                **_: Any):
        url = tracker_database_url()
        if not url:
            logger.info("Tracker store: in memory (set DATABASE_URL to keep conversations)")
            return InMemoryTrackerStore(domain, event_broker)
        logger.info("Tracker store: SQL at %s", redacted(url))
        return ReconnectingSQLTrackerStore(url, domain=domain, event_broker=event_broker)


class EnvironmentLockStore:
    """`lock_store: type: bot.stores.EnvironmentLockStore` in endpoints.yml."""

    def __new__(cls, endpoint_config: Any = None, **_: Any):
        url = os.environ.get("REDIS_URL") or (endpoint_config.url if endpoint_config else None)
        if not url:
            logger.info("Lock store: in memory (one Rasa server only; set REDIS_URL for more)")
            return InMemoryLockStore()
        return SharedRedisLockStore(url)


class SharedRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store (its keys and storage), reached by URL, with the ticket protocol
    made atomic and a way through Redis outages (see the module docstring)."""

    def __init__(self, url: str, socket_timeout: float = 1.0) -> None:
        import redis

        LockStore.__init__(self)
        self.url = redacted(url)
        self.red = redis.Redis.from_url(url, socket_timeout=socket_timeout,
                                        socket_connect_timeout=socket_timeout)
        self.key_prefix = DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        self.local = InMemoryLockStore()
        self._down_since: Optional[float] = None
        self._last_outage_log = 0.0
        logger.info("Lock store: Redis at %s", self.url)

    def _change(self, conversation_id: Text,
                change: Callable[[Optional[TicketLock]], tuple[Optional[TicketLock], Any]]) -> Any:
        """Read, change and write one lock as a single Redis transaction (retried on a clash).
        `change` returns (the lock to save, or None to delete it; a result to hand back)."""
        import json

        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new_lock, result = change(lock)
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new_lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue

    # -- the ticket protocol, made atomic ---------------------------------------------------------
    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: Optional[TicketLock]):
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        return self._change(conversation_id, take)

    def update_lock(self, conversation_id: Text) -> None:
        def expire(lock: Optional[TicketLock]):
            if lock is None:
                return None, None
            lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self.cleanup(conversation_id, ticket_number)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        def give_back(lock: Optional[TicketLock]):
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, give_back)

    # -- Redis down: answer anyway, say so in the log ----------------------------------------------
    def _redis_failed(self, error: Exception) -> None:
        now = time.monotonic()
        if self._down_since is None:
            self._down_since = now
        if now - self._last_outage_log >= OUTAGE_LOG_INTERVAL or self._last_outage_log == 0.0:
            self._last_outage_log = now
            logger.error(
                "Redis lock store unreachable at %s (%s). Messages are still answered, each "
                "Rasa server locking only its own conversations until Redis is back.",
                self.url, type(error).__name__)

    def _redis_ok(self) -> None:
        if self._down_since is not None:
            logger.warning("Redis lock store at %s is back after %.0f s.", self.url,
                           time.monotonic() - self._down_since)
            self._down_since = None
            self._last_outage_log = 0.0

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 0.05) -> AsyncGenerator[TicketLock, None]:
        import redis

        try:
            ticket = self.issue_ticket(conversation_id, lock_lifetime)
            acquired = await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        except redis.RedisError as error:
            self._redis_failed(error)
            async with self.local.lock(conversation_id, lock_lifetime,
                                       wait_time_in_seconds) as local_lock:
                yield local_lock
            return
        self._redis_ok()
        try:
            yield acquired
        finally:
            try:
                self.cleanup(conversation_id, ticket)
            except redis.RedisError as error:  # the ticket expires by itself
                self._redis_failed(error)
