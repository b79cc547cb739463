"""Is the directory fit to serve residents?

These checks only read: they never create or migrate a database, so a read-only command run
before `make directory` cannot leave an empty database behind that is later served as if it
were real. The servers log the result at start and report it on their health endpoints.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from directory.db import database_url, make_engine, make_session_factory
from directory.models import DirectoryState, Service
from directory.sources import DATA

if TYPE_CHECKING:
    from directory.repository import Directory

SEED_FINGERPRINT = "seed_fingerprint"
HOW_TO_SEED = "Run `make directory` (or `.venv/bin/signpost directory seed`)."


class NoDirectory(RuntimeError):
    """There is no usable directory database; the message says what to run."""


def data_fingerprint(data: Path = DATA) -> str:
    """One hash of every data file the seed reads (services, sources, taxonomy, places)."""
    digest = hashlib.sha256()
    for path in sorted(data.rglob("*.yml")):
        digest.update(str(path.relative_to(data)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _sqlite_file(url: str) -> Optional[Path]:
    if url.startswith("sqlite:///") and ":memory:" not in url:
        return Path(url[len("sqlite:///"):].split("?", 1)[0])
    return None


def open_existing(url: Optional[str] = None,
                  statement_timeout: Optional[float] = None) -> "Directory":
    """The directory at `url` if it exists at the newest schema, else NoDirectory."""
    from directory.migrate import alembic_config
    from directory.repository import Directory

    url = database_url(url)
    path = _sqlite_file(url)
    if path is not None and not path.exists():
        raise NoDirectory(f"There is no directory database at {path}. {HOW_TO_SEED}")
    engine = make_engine(url, statement_timeout=statement_timeout)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as error:
        engine.dispose()
        raise NoDirectory(f"The directory database cannot be read ({type(error).__name__}). "
                          f"{HOW_TO_SEED}") from error
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    if current != head:
        engine.dispose()
        where = path or engine.url.render_as_string(hide_password=True)
        raise NoDirectory(f"The directory database at {where} is not set up (schema "
                          f"{current or 'none'}, the code needs {head}). {HOW_TO_SEED}")
    return Directory(engine)


def record_seed(directory: "Directory", fingerprint: Optional[str] = None) -> None:
    """Remember which seed data the directory was loaded from."""
    with make_session_factory(directory.engine)() as session, session.begin():
        state = session.get(DirectoryState, SEED_FINGERPRINT) or \
            DirectoryState(name=SEED_FINGERPRINT, value="")
        state.value = fingerprint or data_fingerprint()
        state.updated_at = datetime.now(timezone.utc)
        session.add(state)


@dataclass(frozen=True)
class Health:
    level: str  # ok | warning | error
    active_services: int
    seed_current: Optional[bool]  # None: never loaded from the project's seed data
    problem: Optional[str]

    def as_dict(self) -> dict:
        return asdict(self)


def _state_of(directory: "Directory") -> Health:
    with make_session_factory(directory.engine)() as session:
        active = session.scalar(select(func.count()).select_from(Service)
                                .where(Service.status == "active")) or 0
        seeded = session.get(DirectoryState, SEED_FINGERPRINT)
    seed_current = None if seeded is None else seeded.value == data_fingerprint()
    if active == 0:
        return Health("error", 0, seed_current,
                      "The directory has no active services, so every resident would be told "
                      f"nothing was found. {HOW_TO_SEED}")
    if seed_current is False:
        return Health("warning", active, False,
                      "The data in directory/data/ changed after the directory was last seeded. "
                      f"{HOW_TO_SEED}")
    return Health("ok", active, seed_current, None)


def check(url: Optional[str] = None, directory: Optional["Directory"] = None) -> Health:
    """The directory's health; never raises for a missing or broken database."""
    opened = None
    try:
        if directory is None:
            directory = opened = open_existing(url, statement_timeout=5)
        return _state_of(directory)
    except NoDirectory as why:
        return Health("error", 0, None, str(why))
    except SQLAlchemyError as error:
        return Health("error", 0, None, f"The directory database cannot be read "
                                        f"({type(error).__name__}).")
    finally:
        if opened is not None:
            opened.engine.dispose()


def log_health(logger, server: str, url: Optional[str] = None) -> Health:
    """Log the directory's health at start: ERROR when residents would get nothing."""
    health = check(url)
    if health.level == "error":
        logger.error("%s: %s", server, health.problem)
    elif health.level == "warning":
        logger.warning("%s: %s", server, health.problem)
    else:
        logger.info("%s: directory has %d active services", server, health.active_services)
    return health


_cache: dict[str, tuple[float, Health]] = {}
_refreshing: dict[tuple[int, str], "asyncio.Future[Health]"] = {}


async def cached_check(url: Optional[str] = None, directory: Optional["Directory"] = None,
                       seconds: Optional[float] = None) -> Health:
    """`check` for health endpoints and pages, at most once every `seconds` per database
    (DIRECTORY_HEALTH_EVERY, default 30).

    The check runs in a thread and, once there is a result, nobody waits for a new one: a slow
    or locked database must never stall a server's event loop (every resident's reply, crisis
    replies too) nor make a load balancer's health check time out and take every server out.
    """
    if seconds is None:
        seconds = float(os.environ.get("DIRECTORY_HEALTH_EVERY", "30"))
    key = directory.engine.url.render_as_string() if directory is not None else database_url(url)
    found = _cache.get(key)
    if found is not None and time.monotonic() - found[0] <= seconds:
        return found[1]
    loop = asyncio.get_running_loop()
    flight = (id(loop), key)
    refresh = _refreshing.get(flight)
    if refresh is None or refresh.done():
        refresh = _refreshing[flight] = loop.run_in_executor(None, _refresh, key, directory)
    if found is not None:
        return found[1]
    return await asyncio.shield(refresh)


def _refresh(key: str, directory: Optional["Directory"]) -> Health:
    state = check(key, directory)
    _cache[key] = (time.monotonic(), state)
    return state
