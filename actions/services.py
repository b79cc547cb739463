"""The action server's way into the directory: one Directory, and failures turned into one error.

If the database is down, broken or slow, actions catch `DirectoryUnavailable` and still give a
safe answer. Lookups run in a small pool of threads, so a slow database never stalls the action
server's event loop (other residents, crisis replies), and each lookup gives up after
DIRECTORY_TIMEOUT seconds (default 3). The log says what failed, never who asked or what they wrote.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Optional, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from directory.repository import Directory
from directory.search import PlaceNotFound, Result, UnknownTopic, search

logger = logging.getLogger(__name__)
_directory: Optional[Directory] = None
TIMEOUT = float(os.environ.get("DIRECTORY_TIMEOUT", "3"))
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="directory")
T = TypeVar("T")


class DirectoryUnavailable(RuntimeError):
    pass


def get_directory() -> Directory:
    """The directory at DATABASE_URL (or the default file), never creating an empty one."""
    global _directory
    if _directory is None:
        from directory.health import NoDirectory, open_existing

        try:
            _directory = open_existing(statement_timeout=TIMEOUT)
        except NoDirectory as why:
            logger.error("Directory unavailable: %s", why)
            raise DirectoryUnavailable("no directory") from why
    return _directory


def set_directory(directory: Optional[Directory]) -> None:
    """Use this directory (tests), or None to go back to DATABASE_URL / the default file."""
    global _directory
    _directory = directory


def place_for_search(place: Optional[str]) -> Optional[str]:
    if not place or place == "anywhere":
        return None
    return place


async def _in_pool(work: Callable[[], T]) -> T:
    try:
        return await asyncio.wait_for(
            asyncio.get_running_loop().run_in_executor(_pool, work), timeout=TIMEOUT)
    except asyncio.TimeoutError as error:
        logger.error("Directory unavailable: no answer within %.1f s", TIMEOUT)
        raise DirectoryUnavailable("timeout") from error


async def find(topic: Optional[str], place: Optional[str], limit: int = 3, offset: int = 0,
               open_now: bool = False, age: Optional[int] = None) -> list[Result]:
    return await _in_pool(lambda: _find(topic, place, limit, offset, open_now, age))


# Needs where a line open day and night comes before any local entry.
ROUND_THE_CLOCK_FIRST = {"domestic_abuse", "crisis"}


def safe_order(results: list[Result], need: Optional[str]) -> list[Result]:
    """For abuse and crisis, 24/7 lines first; never a possibly out-of-date contact first."""
    if need in ROUND_THE_CLOCK_FIRST:
        results = sorted(results, key=lambda r: not any(
            s.open_24_7 for s in r.service.schedules) or bool(r.service.contact_flagged))
    if results and results[0].service.contact_flagged:
        usable = next((i for i, r in enumerate(results) if not r.service.contact_flagged), None)
        if usable is not None:
            results = [results[usable]] + results[:usable] + results[usable + 1:]
    return results


async def details(service_id: str) -> dict:
    return await _in_pool(lambda: _details(service_id))


def _find(topic: Optional[str], place: Optional[str], limit: int = 3, offset: int = 0,
          open_now: bool = False, age: Optional[int] = None) -> list[Result]:
    try:
        # Residents are only ever offered a service they can reach.
        return search(get_directory(), topic=topic, place=place_for_search(place), limit=limit,
                      offset=offset, open_now=open_now, age=age, reachable_only=True)
    except PlaceNotFound:
        # A place the form accepted but search cannot use: answer for both boroughs instead.
        return _find(topic, None, limit, offset, open_now, age)
    except UnknownTopic:
        logger.error("Search asked for an unknown topic %r", topic)
        return []
    except (SQLAlchemyError, OSError) as error:
        logger.error("Directory unavailable: %s", type(error).__name__)
        raise DirectoryUnavailable(type(error).__name__) from error


async def status_of(service_id: str) -> str:
    """"Open now until 5pm", "Opens Mon 9am", ... for one service, in UK time."""
    return await _in_pool(lambda: _status(service_id))


def _status(service_id: str) -> str:
    from datetime import datetime, timezone

    from directory import hours
    from directory.models import Service

    try:
        with get_directory().sessions() as session:
            service = session.get(Service, service_id)
            if service is None:
                return "Hours not known"
            return hours.status_line(service.schedules, datetime.now(timezone.utc))
    except (SQLAlchemyError, OSError) as error:
        logger.error("Directory unavailable: %s", type(error).__name__)
        raise DirectoryUnavailable(type(error).__name__) from error


def _details(service_id: str) -> dict:
    from directory.repository import NotFound

    try:
        return get_directory().get(service_id)
    except NotFound:
        raise
    except (SQLAlchemyError, OSError) as error:
        logger.error("Directory unavailable: %s", type(error).__name__)
        raise DirectoryUnavailable(type(error).__name__) from error
