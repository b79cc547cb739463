"""Shared fixtures: the trained model (built once by `make train`) and a real action server."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from pathlib import Path

import pytest

from tests.servers import ACTIONS_TOKEN, ActionServer, PostgresServer, Unavailable, seeded_directory

ROOT = Path(__file__).resolve().parents[1]
# SIGNPOST_TEST_MODEL runs the model tests against another model (a configuration being compared).
MODEL = Path(os.environ.get("SIGNPOST_TEST_MODEL") or ROOT / "models" / "signpost.tar.gz")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture(scope="session")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
def model_path() -> Path:
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make train` (make test does it for you).")
    return MODEL


@pytest.fixture(scope="session")
def conversation_directory_url(tmp_path_factory) -> str:
    """A seeded directory for the action server, so tests never touch var/directory.db."""
    url = f"sqlite:///{tmp_path_factory.mktemp('conversations') / 'directory.db'}"
    seeded_directory(url).engine.dispose()
    return url


@pytest.fixture(scope="session")
def action_server(conversation_directory_url):
    """The project's action server, started as `make run` starts it, on a free port."""
    (ROOT / "build").mkdir(exist_ok=True)
    try:
        server = ActionServer(ROOT / "build", conversation_directory_url)
    except Unavailable as why:
        pytest.fail(str(why))
    yield server.webhook
    server.stop()


@pytest.fixture(scope="session")
def agent(model_path, action_server):
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    return Agent.load(str(model_path), action_endpoint=EndpointConfig(url=action_server,
                                                                    token=ACTIONS_TOKEN))


class Conversation:
    """One resident texting the assistant; `say` returns the texts sent back."""

    def __init__(self, agent, sender: str) -> None:
        self.agent = agent
        self.sender = sender

    async def say(self, text: str) -> list[str]:
        replies = await self.agent.handle_text(text, sender_id=self.sender)
        return [r.get("text", "") for r in replies or []]

    async def tracker(self):
        return await self.agent.tracker_store.get_or_create_tracker(self.sender)

    async def slot(self, name: str):
        return (await self.tracker()).get_slot(name)


@pytest.fixture
def conversation(agent, request):
    return Conversation(agent, f"test-{request.node.name}-{time.time_ns()}")


# -- PostgreSQL: one throwaway server for the whole run, a fresh database per test -----------------
_names = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer()
    try:
        server.start()
    except Unavailable as why:
        server.stop()
        pytest.skip(f"PostgreSQL could not be started here: {why}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'directory.db'}"
    server = request.getfixturevalue("postgres_server")
    return server.create_database(f"directory_{next(_names)}")


@pytest.fixture(scope="session")
def redis_server():
    """A throwaway Redis server on a free port (make test installs redis-server)."""
    from tests.servers import RedisServer

    try:
        server = RedisServer().start()
    except Unavailable as why:
        pytest.skip(f"Redis could not be started here: {why}")
    yield server
    server.stop()
