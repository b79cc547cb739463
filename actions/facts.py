"""Facts the assistant states in its own words, each with its sources (see facts.yml)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

FACTS_FILE = Path(__file__).with_name("facts.yml")


@lru_cache(maxsize=1)
def claims() -> dict[str, dict]:
    return yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))["claims"]


def say(*ids: str) -> str:
    """The claims' sentences, joined: `say("gp_contact_practice", "gp_closed_111")`."""
    return " ".join(claims()[claim_id]["text"] for claim_id in ids)
