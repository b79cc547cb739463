"""Start-up checks: a read-only command never creates a database, and an empty or stale
directory is never served silently (the servers' logs, health endpoints and the web app say so)."""

from __future__ import annotations

import pytest

from directory import health
from directory.migrate import migrated_directory
from tests.directory.test_csv_and_cli import signpost

READ_ONLY = [("search", "--topic", "food", "--place", "batley"), ("show", "samaritans"),
             ("coverage",), ("review-due",), ("export", "--format", "csv")]


@pytest.mark.parametrize("command", READ_ONLY, ids=[c[0] for c in READ_ONLY])
def test_read_only_commands_never_create_a_database(tmp_path, command):
    path = tmp_path / "var" / "directory.db"
    result = signpost(*command, env_url=f"sqlite:///{path}")
    assert result.returncode == 5
    assert "There is no directory database" in result.stderr and "make directory" in result.stderr
    assert not path.exists() and not path.parent.exists()


def test_a_file_that_is_not_a_migrated_directory_is_refused_not_served(tmp_path):
    path = tmp_path / "directory.db"
    path.touch()
    result = signpost("search", "--topic", "food", env_url=f"sqlite:///{path}")
    assert result.returncode == 5 and "is not set up" in result.stderr
    assert path.stat().st_size == 0


def test_health_of_a_missing_empty_seeded_and_stale_directory(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'directory.db'}"
    missing = health.check(url)
    assert missing.level == "error" and "no directory database" in missing.problem
    assert not (tmp_path / "directory.db").exists()

    directory = migrated_directory(url)
    empty = health.check(url)
    assert empty.level == "error" and empty.active_services == 0
    assert "no active services" in empty.problem

    directory.seed()
    seeded = health.check(url)
    assert seeded.level == "ok" and seeded.active_services >= 250 and seeded.seed_current

    monkeypatch.setattr(health, "data_fingerprint", lambda: "data changed since")
    stale = health.check(url)
    assert stale.level == "warning" and stale.seed_current is False
    assert "changed after the directory was last seeded" in stale.problem
    directory.engine.dispose()


def test_the_servers_log_an_empty_directory_at_error(tmp_path, caplog):
    import logging

    url = f"sqlite:///{tmp_path / 'directory.db'}"
    migrated_directory(url).engine.dispose()
    with caplog.at_level(logging.INFO):
        health.log_health(logging.getLogger("test.server"), "Rasa server", url)
    [record] = [r for r in caplog.records if r.name == "test.server"]
    assert record.levelno == logging.ERROR and "Rasa server" in record.getMessage()
    assert "no active services" in record.getMessage()


async def test_a_slow_check_never_holds_up_the_server_that_asks(tmp_path, monkeypatch):
    """Health endpoints ask often (a load balancer every second); a locked or slow database
    must not stall the event loop that also answers residents, so the last result is given
    while one new check runs in a thread."""
    import asyncio
    import threading
    import time

    url = f"sqlite:///{tmp_path / 'directory.db'}"
    migrated_directory(url).engine.dispose()
    real_check, slow, calls = health.check, threading.Event(), []

    def check(key, directory=None):
        calls.append(key)
        if slow.is_set():
            time.sleep(1.0)
        return real_check(key, directory)

    monkeypatch.setattr(health, "check", check)
    monkeypatch.setattr(health, "_cache", {})
    first = await health.cached_check(url, seconds=30)
    assert first.level == "error" and len(calls) == 1
    assert await health.cached_check(url, seconds=30) is first and len(calls) == 1

    migrated_directory(url).seed()
    slow.set()
    started = time.monotonic()
    answers = await asyncio.gather(*(health.cached_check(url, seconds=0) for _ in range(5)))
    assert time.monotonic() - started < 0.3, "the asking server waited for the database"
    assert all(answer is first for answer in answers)
    await asyncio.sleep(1.3)
    fresh = await health.cached_check(url, seconds=30)
    assert fresh.level == "ok" and len(calls) == 2
