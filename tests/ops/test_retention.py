"""`signpost purge`: conversation events older than the retention period leave the tracker store
(Rasa's own SQL tracker store, on SQLite and on a real PostgreSQL server); newer ones stay."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import text

from bot.stores import ReconnectingSQLTrackerStore
from directory.db import make_engine
from directory.migrate import upgrade
from ops.servers import ROOT
from sms.models import MessageStatus

pytestmark = pytest.mark.asyncio
DAY = 86400


async def remember(store, sender: str, at: float, words: str) -> None:
    tracker = await store.retrieve(sender) or DialogueStateTracker(sender, [])
    for event in (UserUttered(words, timestamp=at), ActionExecuted("action_listen", timestamp=at),
                  BotUttered("a reply", timestamp=at)):
        tracker.update(event)
    await store.save(tracker)


def purge(url: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli", "purge", "--database-url", url, *args],
                          cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def stored(url: str) -> list[tuple[str, float]]:
    with make_engine(url).connect() as connection:
        return [tuple(row) for row in connection.execute(
            text("SELECT sender_id, timestamp FROM events ORDER BY id"))]


async def test_purge_deletes_events_older_than_the_retention_period(database_url):
    upgrade(database_url)  # the SMS tables live in the same database
    store = ReconnectingSQLTrackerStore(database_url, domain=Domain.empty())
    now = time.time()
    await remember(store, "old-conversation", now - 45 * DAY, "need a food bank")
    await remember(store, "recent-conversation", now - 2 * DAY, "need a dentist")
    await remember(store, "mixed", now - 31 * DAY, "first visit")
    await remember(store, "mixed", now - 10, "back again")
    with make_engine(database_url).begin() as connection:
        connection.execute(MessageStatus.__table__.insert(), [
            {"message_sid": "SMold", "status": "delivered",
             "updated_at": datetime.now(timezone.utc) - timedelta(days=40)},
            {"message_sid": "SMnew", "status": "delivered",
             "updated_at": datetime.now(timezone.utc)}])
    before = stored(database_url)

    result = purge(database_url, "--older-than", "30")

    assert result.returncode == 0, result.stderr
    after = stored(database_url)
    assert after and all(at >= now - 30 * DAY for _, at in after)
    assert {sender for sender, _ in after} == {"recent-conversation", "mixed"}
    deleted = len(before) - len(after)
    assert deleted > 0 and f"{deleted} tracker events" in result.stdout
    assert "1 delivery statuses" in result.stdout
    tracker: DialogueStateTracker = await store.retrieve("mixed")
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["back again"]
    store.engine.dispose()

    # RETENTION_DAYS sets the default; a second purge with the same period deletes nothing more.
    again = purge(database_url, env={"RETENTION_DAYS": "30"})
    assert again.returncode == 0 and "0 tracker events" in again.stdout
    shorter = purge(database_url, env={"RETENTION_DAYS": "1"})
    assert shorter.returncode == 0
    assert {sender for sender, _ in stored(database_url)} == {"mixed"}


def test_purge_refuses_a_negative_period_and_says_when_the_database_is_down(tmp_path):
    from tests.servers import free_port

    negative = purge(f"sqlite:///{tmp_path / 'x.db'}", "--older-than", "-1")
    assert negative.returncode == 2 and "negative" in negative.stderr
    down = purge(f"postgresql://postgres@127.0.0.1:{free_port()}/nothing")
    assert down.returncode == 1 and "could not be reached" in down.stderr
