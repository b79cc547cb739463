"""Test helpers: the project's server launchers (ops/servers.py), stand-ins of outside APIs on
a free port, and seeded directories. `Unavailable` says why a server could not be started."""

from __future__ import annotations

from ops.servers import (  # noqa: F401
    ACTIONS_TOKEN, ROOT, ActionServer, PostgresServer, RasaServer, RedisServer, Unavailable,
    free_port,
)


async def serve(app) -> tuple:
    """Run an aiohttp app (a stand-in of some outside API) on a free port: (runner, base URL)."""
    from aiohttp import web

    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"


def seeded_directory(url: str, seed: bool = True):
    """A migrated directory at `url`, with the seed data unless `seed` is False."""
    from directory.migrate import migrated_directory

    directory = migrated_directory(url)
    if seed:
        report = directory.seed()
        assert not report.skipped, report.skipped
    else:
        directory.ensure_taxonomy()
    return directory
