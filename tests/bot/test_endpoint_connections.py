"""Calls to the action server reuse a kept-alive connection (bot/endpoint_connections.py)."""

import asyncio
import weakref

import pytest
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from bot import endpoint_connections


@pytest.fixture
async def server(unused_tcp_port):
    seen = []

    async def answer(request: web.Request) -> web.Response:
        seen.append(request.transport.get_extra_info("peername")[1])  # the caller's port
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port).start()
    yield f"http://127.0.0.1:{unused_tcp_port}/webhook", seen
    await runner.cleanup()


@pytest.mark.asyncio
async def test_rasa_alone_opens_a_connection_per_call(server, monkeypatch):
    url, seen = server
    monkeypatch.setattr(EndpointConfig, "session", endpoint_connections.RASA_SESSION)
    endpoint = EndpointConfig(url, token="secret")
    for _ in range(3):
        assert await endpoint.request(json={"next_action": "x"}) == {"events": [],
                                                                        "responses": []}
    assert len(set(seen)) == 3


@pytest.mark.asyncio
async def test_calls_share_one_kept_alive_connection_and_drop_it_when_idle(server, monkeypatch):
    url, seen = server
    monkeypatch.setattr(EndpointConfig, "session", endpoint_connections.session)
    monkeypatch.setattr(endpoint_connections, "KEEPALIVE", 0.2)
    # A pool of its own: another test on the same event loop may have made one already.
    monkeypatch.setattr(endpoint_connections, "_pools", weakref.WeakKeyDictionary())
    endpoint = EndpointConfig(url, token="secret")
    for _ in range(3):
        assert await endpoint.request(json={"next_action": "x"}) == {"events": [],
                                                                        "responses": []}
    assert len(set(seen)) == 1
    await asyncio.sleep(0.6)  # idle longer than KEEPALIVE: the pool lets the connection go
    assert await endpoint.request(json={"next_action": "x"}) is not None
    assert len(set(seen)) == 2
