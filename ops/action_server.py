"""The action server, as `rasa run actions` starts it, with two things that command lacks:

- it listens on loopback only, unless ACTIONS_INTERFACE names another interface (the Rasa
  servers that call it run on the same machine; nothing else should reach it);
- it checks the directory at start (an ERROR in the log when residents would get nothing) and
  reports it at GET /health/directory (503 when the directory has no active services).

    python -m ops.action_server --actions actions --port 5055
"""

from __future__ import annotations

import logging
import os

import pluggy
from sanic import response
from sanic.request import Request

from directory import health

logger = logging.getLogger("actions.server")
hookimpl = pluggy.HookimplMarker("rasa_sdk")


class DirectoryHealth:
    """A rasa_sdk plugin (its own extension hook) adding the directory check."""

    @hookimpl
    def attach_sanic_app_extensions(self, app) -> None:
        health.log_health(logger, "Action server")

        async def directory_health(_: Request):
            state = health.cached_check()
            return response.json(state.as_dict(), status=503 if state.level == "error" else 200)

        app.add_route(directory_health, "/health/directory", methods=["GET"])


def main() -> None:
    from rasa_sdk.__main__ import main as rasa_sdk_main
    from rasa_sdk.plugin import plugin_manager

    os.environ["SANIC_HOST"] = os.environ.get("ACTIONS_INTERFACE") or "127.0.0.1"
    plugin_manager().register(DirectoryHealth())
    rasa_sdk_main()


if __name__ == "__main__":
    main()
