"""Connection URLs from the environment, and their log-safe form."""

from __future__ import annotations

import os
from typing import Optional
from urllib.parse import urlsplit


def tracker_database_url() -> Optional[str]:
    url = os.environ.get("TRACKER_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url and url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    return url or None


def redacted(url: str) -> str:
    """A URL fit for the log: no password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"
