"""The action server's way into the directory: one Directory, and failures turned into one error.

If the database is down or broken, actions catch `DirectoryUnavailable` and still give a safe
answer. The log says what failed, never who asked or what they wrote.
"""

from __future__ import annotations

import logging
from typing import Optional

from sqlalchemy.exc import SQLAlchemyError

from directory.repository import Directory
from directory.search import PlaceNotFound, Result, UnknownTopic, search

logger = logging.getLogger(__name__)
_directory: Optional[Directory] = None


class DirectoryUnavailable(RuntimeError):
    pass


def get_directory() -> Directory:
    global _directory
    if _directory is None:
        _directory = Directory()
    return _directory


def set_directory(directory: Optional[Directory]) -> None:
    """Use this directory (tests), or None to go back to DATABASE_URL / the default file."""
    global _directory
    _directory = directory


def place_for_search(place: Optional[str]) -> Optional[str]:
    if not place or place == "anywhere":
        return None
    return place


def find(topic: Optional[str], place: Optional[str], limit: int = 3, offset: int = 0,
         open_now: bool = False, age: Optional[int] = None) -> list[Result]:
    try:
        return search(get_directory(), topic=topic, place=place_for_search(place), limit=limit,
                      offset=offset, open_now=open_now, age=age)
    except PlaceNotFound:
        # A place the form accepted but search cannot use: answer for both boroughs instead.
        return find(topic, None, limit, offset, open_now, age)
    except UnknownTopic:
        logger.error("Search asked for an unknown topic %r", topic)
        return []
    except (SQLAlchemyError, OSError) as error:
        logger.error("Directory unavailable: %s", type(error).__name__)
        raise DirectoryUnavailable(type(error).__name__) from error


def details(service_id: str) -> dict:
    from directory.repository import NotFound

    try:
        return get_directory().get(service_id)
    except NotFound:
        raise
    except (SQLAlchemyError, OSError) as error:
        logger.error("Directory unavailable: %s", type(error).__name__)
        raise DirectoryUnavailable(type(error).__name__) from error
