"""What residents needed and whether they were helped: anonymous counts, never people.

One row is one cell of a count: a day, a topic and need, an area (a postcode district such as
HD1, or a town; never a full postcode), its borough, the channel, the outcome and how many
services were offered, with how many turns had exactly these. Nothing in a row says who asked,
what they wrote or when in the day: no sender id, no pseudonym, no text, no time. So the table
holds no personal data and is kept after conversations are purged. Small numbers are hidden
only when a count is shown or exported (`directory.suppression`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from sqlalchemy import Column, Date, Integer, String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from directory.models import Base

OUTCOMES = ("offered", "nothing_found", "crisis", "not_understood", "out_of_area")
CHANNELS = ("sms", "whatsapp", "web_console", "other")
FULL_POSTCODE_RE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE)


class NeedCount(Base):
    __tablename__ = "need_count"

    day = Column(Date, primary_key=True)
    topic = Column(String(32), primary_key=True, default="")
    need = Column(String(64), primary_key=True, default="")
    area = Column(String(64), primary_key=True, default="")
    borough = Column(String(32), primary_key=True, default="")
    channel = Column(String(16), primary_key=True)
    outcome = Column(String(16), primary_key=True)
    offered = Column(Integer, primary_key=True, default=0)
    count = Column(Integer, nullable=False, default=0)


@dataclass(frozen=True)
class Turn:
    """One answered turn, as it is counted."""

    day: date
    topic: str
    need: str
    area: str
    borough: str
    channel: str
    outcome: str
    offered: int = 0

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
        if self.channel not in CHANNELS:
            raise ValueError(f"channel must be one of {', '.join(CHANNELS)}")
        if FULL_POSTCODE_RE.search(self.area):
            raise ValueError("a full postcode is never counted: give its district (HD1)")
        if self.offered < 0:
            raise ValueError("offered cannot be negative")


@dataclass(frozen=True)
class Filters:
    since: Optional[date] = None
    until: Optional[date] = None  # inclusive
    borough: Optional[str] = None
    need: Optional[str] = None


class NeedCounts:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, turn: Turn) -> None:
        """Count one turn: one statement that adds 1 to its cell, also under concurrent turns."""
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        values = {**turn.__dict__, "count": 1}
        keys = [c.name for c in NeedCount.__table__.primary_key.columns]
        statement = dialect.insert(NeedCount).values(**values).on_conflict_do_update(
            index_elements=keys, set_={"count": NeedCount.count + 1})
        with self.engine.begin() as connection:
            connection.execute(statement)

    def rows(self, filters: Filters = Filters()) -> list[dict]:
        """Every stored cell matching the filters (raw counts: suppress before showing)."""
        query = select(NeedCount.__table__)
        if filters.since:
            query = query.where(NeedCount.day >= filters.since)
        if filters.until:
            query = query.where(NeedCount.day <= filters.until)
        if filters.borough:
            query = query.where(NeedCount.borough == filters.borough)
        if filters.need:
            query = query.where(NeedCount.need == filters.need)
        query = query.order_by(*NeedCount.__table__.primary_key.columns)
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    def needs(self) -> list[str]:
        with self.engine.connect() as connection:
            return [n for (n,) in connection.execute(
                select(NeedCount.need).where(NeedCount.need != "").distinct()
                .order_by(NeedCount.need))]
