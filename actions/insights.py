"""Count each answered turn in the anonymous need counts (directory.insights).

Only what the count holds leaves the tracker: the day (UK time), topic, need, the postcode
district or town (never a full postcode), borough, channel, outcome and how many services were
offered. Counting never changes or delays the reply, and a failure is logged by its kind
alone.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Optional
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker

from directory.gazetteer import load_default
from directory.insights import NeedCounts, Turn

logger = logging.getLogger(__name__)
UK = ZoneInfo("Europe/London")
MAX_WAITING = 1000
_counting = ThreadPoolExecutor(max_workers=2, thread_name_prefix="need-count")
_lock = threading.Lock()
_waiting = 0
CONSOLE_PREFIX = "console-"  # the champions' console names its conversations so (web/console.py)


def channel_of(tracker: Tracker) -> str:
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    if metadata.get("channel") in ("sms", "whatsapp"):
        return metadata["channel"]
    if metadata.get("channel") == "web_console" or tracker.sender_id.startswith(CONSOLE_PREFIX):
        return "web_console"
    return "other"


def area_of(place: Optional[str]) -> tuple[str, str]:
    """(postcode district or town, borough) for the place slot; ("", "") for none."""
    if not place or place == "anywhere":
        return "", ""
    resolution = load_default().resolve(place)
    if resolution is None:
        return "", ""
    if resolution.kind in ("postcode", "district"):
        area = resolution.district or ""
    else:
        area = resolution.name
    return area, (resolution.borough or "") if resolution.in_area else ""


def turn_of(tracker: Tracker, outcome: str, topic: str, need: str, offered: int = 0,
            place: Optional[str] = None) -> Turn:
    area, borough = area_of(place if place is not None else tracker.get_slot("location"))
    return Turn(day=datetime.now(UK).date(), topic=topic, need=need, area=area, borough=borough,
                channel=channel_of(tracker), outcome=outcome, offered=offered)


def count_turn(tracker: Tracker, outcome: str, topic: str = "", need: str = "",
               offered: int = 0, place: Optional[str] = None) -> Optional[Future]:
    """Count the turn in a thread of its own, without waiting: a slow database must never
    hold back a reply (a crisis reply least of all), nor take the threads that look services
    up. While the database is away, at most MAX_WAITING counts wait; later ones are dropped."""
    from actions.services import get_directory

    global _waiting
    try:
        turn = turn_of(tracker, outcome, topic, need or topic, offered, place)
    except ValueError as error:
        logger.error("Need count not recorded: %s", error)
        return None
    with _lock:
        if _waiting >= MAX_WAITING:
            logger.error("Need count not recorded: %d counts already waiting", _waiting)
            return None
        _waiting += 1
    counted = _counting.submit(lambda: NeedCounts(get_directory().engine).add(turn))
    counted.add_done_callback(_done)
    return counted


def _done(counted: Future) -> None:
    global _waiting
    with _lock:
        _waiting -= 1
    error = counted.exception()
    if error is not None:
        logger.error("Need count not recorded: %s", type(error).__name__)
