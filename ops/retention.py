"""Retention: delete conversation data older than the retention period.

Conversations are special-category data, kept only as long as needed (RETENTION_DAYS, default
30). `signpost purge` deletes, from the database the assistant uses (TRACKER_DATABASE_URL or
DATABASE_URL):
- Rasa tracker store events (table `events`) older than the cut-off;
- SMS delivery statuses (table `sms_message_status`) older than the cut-off.
Opt-outs are kept: they are the resident's instruction not to be texted, not a conversation.
The production profile runs it at start and once a day.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import inspect, text

DEFAULT_RETENTION_DAYS = 30


def retention_days() -> float:
    return float(os.environ.get("RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)


@dataclass
class PurgeReport:
    cutoff: datetime
    events: Optional[int]  # None: no tracker table in this database
    statuses: Optional[int]

    def summary(self) -> str:
        parts = [f"Deleted conversation data from before {self.cutoff:%Y-%m-%d %H:%M} UTC:"]
        parts.append(f"{self.events} tracker events" if self.events is not None
                     else "no tracker store table here (conversations kept in memory)")
        if self.statuses is not None:
            parts.append(f"{self.statuses} delivery statuses")
        return " ".join([parts[0], ", ".join(parts[1:]) + "."])


def purge(url: Optional[str] = None, older_than_days: Optional[float] = None,
          now: Optional[float] = None) -> PurgeReport:
    from ops.urls import tracker_database_url
    from directory.db import make_engine

    days = retention_days() if older_than_days is None else older_than_days
    if days < 0:
        raise ValueError("The retention period cannot be negative.")
    now = time.time() if now is None else now
    cutoff = now - days * 86400
    engine = make_engine(url or tracker_database_url())
    try:
        tables = set(inspect(engine).get_table_names())
        events = statuses = None
        with engine.begin() as connection:
            if "events" in tables:
                events = connection.execute(
                    text("DELETE FROM events WHERE timestamp < :cutoff"), {"cutoff": cutoff}
                ).rowcount
            if "sms_message_status" in tables:
                statuses = connection.execute(
                    text("DELETE FROM sms_message_status WHERE updated_at < :cutoff"),
                    {"cutoff": datetime.fromtimestamp(cutoff, timezone.utc)}).rowcount
    finally:
        engine.dispose()
    return PurgeReport(datetime.fromtimestamp(cutoff, timezone.utc), events, statuses)


def _purge_command(args: argparse.Namespace) -> int:
    try:
        report = purge(args.database_url, args.older_than)
    except ValueError as problem:
        print(problem, file=sys.stderr)
        return 2
    except Exception as problem:  # database down: say so, exit non-zero
        print(f"Could not purge: the database could not be reached ({type(problem).__name__}).",
              file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "purge", help="delete conversation data older than the retention period")
    command.add_argument("--older-than", type=float, metavar="DAYS", default=None,
                         help=f"retention period in days (default RETENTION_DAYS or "
                              f"{DEFAULT_RETENTION_DAYS})")
    command.add_argument("--database-url", default=None,
                         help="database to purge (default TRACKER_DATABASE_URL or DATABASE_URL)")
    command.set_defaults(func=_purge_command)

