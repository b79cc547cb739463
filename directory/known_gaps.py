"""Known gaps in the coverage matrix and why no real service could be entered yet
(directory/data/gaps.yml), so maintainers see where to look and what was already tried."""

from __future__ import annotations

from pathlib import Path

import yaml

from directory.sources import DATA

GAPS_FILE = DATA / "gaps.yml"


def load(path: Path = GAPS_FILE) -> dict[tuple[str, str], str]:
    """(need, borough) -> the reason recorded for that gap."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    searched = data.get("searched")
    reasons = {}
    for gap in data.get("gaps") or []:
        reason = " ".join(str(gap["reason"]).split())
        if searched:
            reason += f" (searched {searched})"
        for borough in gap["boroughs"]:
            reasons[(gap["need"], borough)] = reason
    return reasons
