"""The action server, as `rasa run actions` starts it, with two things that command lacks:

- it listens on loopback only, unless ACTIONS_INTERFACE names another interface (the Rasa
  servers that call it run on the same machine; nothing else should reach it);
- it answers action calls only with the token in ACTIONS_TOKEN (Rasa sends it as `?token=`,
  endpoints.yml `token: ${ACTIONS_TOKEN}`), else 401; it will not start without one. The
  starters (`make run`, the production profile, tests) make a fresh one each start;
- it checks the directory at start (an ERROR in the log when residents would get nothing) and
  reports it at GET /health/directory (503 when the directory has no active services).

    python -m ops.action_server --actions actions --port 5055
"""

from __future__ import annotations

import hmac
import logging
import os
import sys

import pluggy
from sanic import response
from sanic.request import Request

from directory import health
from ops.rasa_run import MIN_LENGTH as MIN_TOKEN

logger = logging.getLogger("actions.server")
hookimpl = pluggy.HookimplMarker("rasa_sdk")
OPEN_PATHS = {"/health", "/health/directory"}  # for monitoring: they tell nothing about anyone


class DirectoryHealth:
    """A rasa_sdk plugin (its own extension hook) adding the directory check."""

    @hookimpl
    def attach_sanic_app_extensions(self, app) -> None:
        health.log_health(logger, "Action server")

        async def directory_health(_: Request):
            state = await health.cached_check()
            return response.json(state.as_dict(), status=503 if state.level == "error" else 200)

        app.add_route(directory_health, "/health/directory", methods=["GET"])

        token = os.environ["ACTIONS_TOKEN"]

        async def wants_the_token(request: Request):
            if request.path in OPEN_PATHS:
                return None
            given = request.args.get("token", "")
            if not hmac.compare_digest(given.encode(), token.encode()):
                return response.json({"error": "This action server needs its token."},
                                     status=401)
            return None

        app.register_middleware(wants_the_token, "request")


def main() -> None:
    from rasa_sdk.__main__ import main as rasa_sdk_main
    from rasa_sdk.plugin import plugin_manager

    if len(os.environ.get("ACTIONS_TOKEN", "")) < MIN_TOKEN:
        sys.exit("ACTIONS_TOKEN is not set (or shorter than 16 characters): the action server "
                 "will not start open. `make run` and the production profile make one.")
    os.environ["SANIC_HOST"] = os.environ.get("ACTIONS_INTERFACE") or "127.0.0.1"
    plugin_manager().register(DirectoryHealth())
    rasa_sdk_main()


if __name__ == "__main__":
    main()
