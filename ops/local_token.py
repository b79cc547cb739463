"""The Rasa API token for local use (`make run`, `make chat`): made once, kept in
var/rasa-auth-token (readable by this user only). The production profile never uses it: there
RASA_AUTH_TOKEN must come from the environment."""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path

TOKEN_FILE = Path(__file__).resolve().parents[1] / "var" / "rasa-auth-token"


def local_token(path: Path = TOKEN_FILE) -> str:
    if path.exists() and path.read_text().strip():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(token + "\n")
    return token


def add_parser(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "local-token", help="print the local Rasa API token (made in var/ on first use)")
    command.set_defaults(func=lambda _args: print(local_token()) or 0)
