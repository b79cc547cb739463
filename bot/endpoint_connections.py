"""Keep the connections to the action server open between calls.

Rasa's `EndpointConfig.request` makes a new aiohttp `ClientSession` for every call, and with it
a new connection pool, so each action call (one or two a turn) opens and closes a TCP
connection. Here every session of an event loop shares one pool that the session does not
own (`connector_owner=False`): closing the session leaves the pool, and the next call reuses a
kept-alive connection. Idle connections are dropped after KEEPALIVE seconds, well before the
action server's own keep-alive timeout (Sanic's default is 5 s), so a connection the server is
about to close is never reused. Installed by bot/action_calls.py.
"""

from __future__ import annotations

import asyncio
import weakref

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

KEEPALIVE = 2.0
RASA_SESSION = EndpointConfig.session  # Rasa's own: a new pool per call
_pools: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.TCPConnector]" = \
    weakref.WeakKeyDictionary()


def _pool() -> aiohttp.TCPConnector:
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    if pool is None or pool.closed:
        pool = aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE)
        _pools[loop] = pool
    return pool


def session(self: EndpointConfig) -> aiohttp.ClientSession:
    auth = (aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            if self.basic_auth else None)
    return aiohttp.ClientSession(headers=self.headers, auth=auth, connector=_pool(),
                                 connector_owner=False,
                                 timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT))


def install() -> None:
    EndpointConfig.session = session
