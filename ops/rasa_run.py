"""`rasa run` closed by default: `python -m ops.rasa_run run --model ... --enable-api ...`.

Takes the HTTP API token from RASA_AUTH_TOKEN and hands it to Rasa as `--auth-token`, so it is
never on a command line where `ps` would show it, and refuses to start without one: every
endpoint of Rasa's API (trackers, events, /model) then wants `?token=`, and the REST channel
(bot/rest_channel.py) wants the same token. With SIGNPOST_TIMINGS set, it also times where
each turn goes (ops/turn_timings.py) for bench/load.py.

It also keeps two unused imports out of the server (issue 16, memory). TensorFlow 2.12 requires
jax, and its TFLite converter imports jax whenever it is installed, only to convert jax models,
which this server never does: about 94 MiB resident. scikit-learn's test helpers (imported by
skops, which loads the crisis classifier) import pytest if they can, for test markers: about
6 MiB. Both importers already work without them (`except ImportError`), so the server starts
with these marked as not importable.
"""

from __future__ import annotations

import os
import sys

MIN_LENGTH = 16
NOT_NEEDED = ("jax", "jaxlib", "pytest")  # imported only if they can be; never used here


def leave_out_unneeded_imports() -> None:
    for name in NOT_NEEDED:
        sys.modules.setdefault(name, None)  # `import jax` now raises ImportError


def token_from_env() -> str:
    token = os.environ.get("RASA_AUTH_TOKEN", "")
    if len(token) < MIN_LENGTH:
        sys.exit("RASA_AUTH_TOKEN is not set (or shorter than 16 characters): the Rasa server "
                 "will not start with its API open. `make run` makes one in var/; elsewhere set "
                 "it to a long random secret, e.g. `openssl rand -hex 32`.")
    return token


def rasa_argv(args: list[str], token: str) -> list[str]:
    # One word, "--auth-token=...": a random token may begin with "-", and given as a word of
    # its own argparse would take it for an option and refuse to start.
    return ["rasa", *args, f"--auth-token={token}"]


def main() -> None:
    token = token_from_env()
    if "--auth-token" in sys.argv:
        sys.exit("Pass the token in RASA_AUTH_TOKEN, not on the command line.")
    sys.argv = rasa_argv(sys.argv[1:], token)
    leave_out_unneeded_imports()
    from rasa.__main__ import main as rasa_main

    from ops import turn_timings

    turn_timings.install()

    rasa_main()


if __name__ == "__main__":
    main()
