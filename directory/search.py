"""Find services for a need near a place.

Only active services whose area covers the place; local services nearest first (miles), then
national ones; open-now in UK time; fuzzy text match; age limits. A topic matches its own
services and its needs' ("community" finds food banks; "food" finds only food).

The database filters and finds the nearest through its own indexes (directory/search_stages.py,
directory/search_index.py); only the page's services are then read whole. Words are looked up
in the word index first; when that finds too few, every candidate is fuzzy-matched, so a
misspelt word ("samaritns") still finds its service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.selectable import CTE

from directory import hours
from directory.gazetteer import Resolution
from directory.models import Schedule, Service, TaxonomyTerm
from directory.reading import WHOLE, read_whole
from directory.repository import Directory
from directory.search_index import miles, query_words
from directory.search_stages import Filters, Search

__all__ = ["PlaceNotFound", "Result", "UnknownTopic", "miles", "search"]


class UnknownTopic(ValueError):
    pass


class PlaceNotFound(ValueError):
    pass


@dataclass
class Result:
    service: Service
    local: bool
    distance_miles: Optional[float]
    open_now: Optional[bool]
    status_line: str
    text_score: Optional[float] = None

    @property
    def id(self) -> str:
        return self.service.id

    def as_dict(self) -> dict:
        from directory.records import to_plain

        return {**to_plain(self.service), "local": self.local,
                "distance_miles": None if self.distance_miles is None
                else round(self.distance_miles, 1),
                "open_now": self.open_now, "opening": self.status_line}


def _term_tree() -> CTE:
    """The ids of the term coded :topic and of every term below it, however deep."""
    tree = (select(TaxonomyTerm.id).where(TaxonomyTerm.code == bindparam("topic"))
            .cte("term_tree", recursive=True))
    child = aliased(TaxonomyTerm)
    return tree.union(select(child.id).join(tree, child.parent_id == tree.c.id))


_TOPIC = select(TaxonomyTerm.id, TaxonomyTerm.code).where(
    TaxonomyTerm.id.in_(select(_term_tree().c.id)))


def _terms_of(connection: Connection, topic: str) -> dict[str, str]:
    """The ids and codes of the topic's term and of every term below it."""
    terms = dict(connection.execute(_TOPIC, {"topic": topic}).all())
    if not terms:
        known = sorted(connection.execute(select(TaxonomyTerm.code)).scalars())
        raise UnknownTopic(f"unknown topic {topic!r}; known: {', '.join(known)}")
    return terms


def _topic_codes(directory: Directory, topic: str) -> list[str]:
    """The topic's code and its needs' codes, sorted."""
    with directory.engine.connect() as connection:
        return sorted(_terms_of(connection, topic).values())


_HOURS = (select(Schedule.service_id, Schedule.byday, Schedule.opens_at, Schedule.closes_at,
                 Schedule.open_24_7, Schedule.valid_from, Schedule.valid_to,
                 Schedule.closed_bank_holidays)
          .where(Schedule.service_id.in_(bindparam("ids", expanding=True))))
_PAGE = (select(Service).options(*WHOLE)
         .where(Service.id.in_(bindparam("ids", expanding=True)), Service.status == "active"))


def _open_at(connection: Connection, ids: list[str], now: datetime) -> set[str]:
    """Which of these services are open at `now`, from their opening hours alone."""
    rows: dict[str, list[Row]] = {}
    if ids:
        for row in connection.execute(_HOURS, {"ids": ids}):
            rows.setdefault(row.service_id, []).append(row)
    return {sid for sid, schedules in rows.items() if hours.is_open(schedules, now)}


def _load_page(session: Session, ids: list[str]) -> dict[str, Service]:
    """These services whole, by id; one closed since phase 1 is left out."""
    if not ids:
        return {}
    return {s.id: s for s in read_whole(session, _PAGE, {"ids": ids})}


def search(directory: Directory, topic: Optional[str] = None, place: Optional[str] = None,
           open_now: bool = False, text: Optional[str] = None, age: Optional[int] = None,
           limit: int = 3, offset: int = 0, now: Optional[datetime] = None,
           reachable_only: bool = False) -> list[Result]:
    now = now or datetime.now(timezone.utc)
    where: Optional[Resolution] = None
    if place and place.strip().lower() not in ("anywhere", ""):
        where = directory.gazetteer.resolve(place)
        if where is None or not where.in_area:
            raise PlaceNotFound(f"{place!r} is not a place in Kirklees or Calderdale")
    with directory.sessions() as session:
        connection = session.connection()
        filters = Filters(
            term_ids=list(_terms_of(connection, topic)) if topic else None, where=where, age=age,
            text=text, reachable_only=reachable_only,
            open_at=(lambda ids: _open_at(connection, ids, now)) if open_now else None)
        wanted = offset + limit
        candidates = Search(connection, filters)
        ranked = []
        words = query_words(text) if text else []
        if words:  # the word index first; every candidate only when it finds too few
            candidates.use_words(words)
            ranked = candidates.first(wanted)
            candidates.use_words([])
        if len(ranked) < wanted:
            ranked = candidates.first(wanted)
        page = ranked[offset:wanted]
        loaded = _load_page(session, [r.id for r in page])
    results: list[Result] = []
    for r in page:
        service = loaded.get(r.id)
        if service is None:  # closed or removed since phase 1
            continue
        results.append(Result(service, r.local, r.distance, hours.is_open(service.schedules, now),
                              hours.status_line(service.schedules, now), r.score))
    return results
