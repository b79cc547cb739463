"""directory.search as it was before the search indexes (commit dafe199): every candidate ranked in
Python. Kept as the reference the indexed search must agree with (tests/directory/test_search_index.py)."""


from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Optional

from rapidfuzz import fuzz
from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Select
from sqlalchemy.sql.selectable import CTE

from directory import hours
from directory.gazetteer import Resolution
from directory.models import (
    Attribute, Location, Organization, Phone, Schedule, Service, ServiceArea, ServiceAtLocation,
    TaxonomyTerm,
)
from directory.reading import WHOLE, read_whole
from directory.repository import Directory

EARTH_RADIUS_MILES = 3958.8
TEXT_CUTOFF = 70


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


def miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))


def covers(service: Service, place: Optional[Resolution]) -> tuple[bool, bool]:
    """(covers the place, is local). With no place, every local service in our area counts."""
    return _covers({(a.kind, a.value) for a in service.areas}, place)


def _covers(areas: set[tuple[str, str]], place: Optional[Resolution]) -> tuple[bool, bool]:
    if any(kind == "national" for kind, _ in areas):
        return True, False
    if place is None:
        return True, True
    for kind, value in areas:
        if kind == "borough" and value == place.borough:
            return True, True
        if kind == "district" and place.district and value == place.district:
            return True, True
    return False, True


def _term_tree() -> CTE:
    """The ids of the term coded :topic and of every term below it, however deep."""
    tree = (select(TaxonomyTerm.id).where(TaxonomyTerm.code == bindparam("topic"))
            .cte("term_tree", recursive=True))
    child = aliased(TaxonomyTerm)
    return tree.union(select(child.id).join(tree, child.parent_id == tree.c.id))


_TOPIC_CODES = select(TaxonomyTerm.code).where(TaxonomyTerm.id.in_(select(_term_tree().c.id)))


def _codes_of(connection: Connection, topic: str) -> list[str]:
    codes = sorted(connection.execute(_TOPIC_CODES, {"topic": topic}).scalars())
    if not codes:
        known = sorted(connection.execute(select(TaxonomyTerm.code)).scalars())
        raise UnknownTopic(f"unknown topic {topic!r}; known: {', '.join(known)}")
    return codes


def _topic_codes(directory: Directory, topic: str) -> list[str]:
    """The topic's code and its needs' codes, sorted."""
    with directory.engine.connect() as connection:
        return _codes_of(connection, topic)


@lru_cache(maxsize=None)
def _candidates_query(by_topic: bool, by_place: bool, by_age: bool) -> Select:
    """Light rows (ids, names, areas, places, ways in) of active services. Values are bound per
    call, so each shape is built once and SQLAlchemy reuses its cache key."""
    has_phone = select(Phone.id).where(Phone.service_id == Service.id).exists()
    has_hours = select(Schedule.id).where(Schedule.service_id == Service.id).exists()
    query = (select(Service.id, Service.name, Service.description, Organization.name,
                    ServiceArea.kind, ServiceArea.value, Location.latitude, Location.longitude,
                    Location.address_1, Location.postcode, Service.url, Service.email,
                    has_phone, has_hours)
             .join(Organization, Service.organization_id == Organization.id)
             .join(ServiceArea, ServiceArea.service_id == Service.id)
             .outerjoin(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
             .outerjoin(Location, Location.id == ServiceAtLocation.location_id)
             .where(Service.status == "active"))
    if by_topic:
        query = query.where(Service.id.in_(
            select(Attribute.service_id)
            .where(Attribute.taxonomy_term_id.in_(select(_term_tree().c.id)))))
    if by_place:  # let the database drop services whose area cannot cover the place
        query = query.where(Service.id.in_(select(ServiceArea.service_id).where(or_(
            ServiceArea.kind == "national",
            and_(ServiceArea.kind == "borough", ServiceArea.value == bindparam("borough")),
            and_(ServiceArea.kind == "district", ServiceArea.value == bindparam("district"))))))
    if by_age:
        age = bindparam("age")
        query = query.where((Service.minimum_age.is_(None)) | (Service.minimum_age <= age))
        query = query.where((Service.maximum_age.is_(None)) | (Service.maximum_age >= age))
    return query


_HOURS = (select(Schedule.service_id, Schedule.byday, Schedule.opens_at, Schedule.closes_at,
                 Schedule.open_24_7, Schedule.valid_from, Schedule.valid_to,
                 Schedule.closed_bank_holidays)
          .where(Schedule.service_id.in_(bindparam("ids", expanding=True))))
_PAGE = (select(Service).options(*WHOLE)
         .where(Service.id.in_(bindparam("ids", expanding=True)), Service.status == "active"))


@dataclass
class _Candidate:
    name: str
    text: str
    phone_or_web: bool
    email: bool
    has_hours: bool
    areas: set[tuple[str, str]] = field(default_factory=set)
    points: set[tuple[float, float]] = field(default_factory=set)
    has_address: bool = False

    def can_be_reached(self) -> bool:
        """directory.sources.reachable's rule, from the light rows: a phone, web address or
        email, or a street address with opening hours."""
        return self.phone_or_web or self.email or (self.has_hours and self.has_address)


@dataclass
class _Ranked:
    id: str
    local: bool
    distance: Optional[float]
    score: Optional[float]


def _candidates(connection: Connection, topic: Optional[str], where: Optional[Resolution],
                age: Optional[int]) -> dict[str, _Candidate]:
    params: dict[str, Any] = {}
    if topic:
        params["topic"] = topic
    if where is not None:
        params.update(borough=where.borough, district=where.district or "")
    if age is not None:
        params["age"] = age
    found: dict[str, _Candidate] = {}
    for (sid, name, description, org_name, kind, value, lat, lon, address, postcode, url,
         email, phone, has_hours) in connection.execute(
            _candidates_query(bool(topic), where is not None, age is not None), params):
        entry = found.get(sid)
        if entry is None:
            entry = found[sid] = _Candidate(name, f"{name} {description} {org_name}",
                                            bool(phone or url), bool(email), bool(has_hours))
        entry.areas.add((kind, value))
        if lat is not None and lon is not None:
            entry.points.add((lat, lon))
        entry.has_address = entry.has_address or bool(address or postcode)
    return found


def _rank(candidates: dict[str, _Candidate], where: Optional[Resolution],
          text: Optional[str]) -> list[_Ranked]:
    ranked = []
    for sid, entry in candidates.items():
        covered, local = _covers(entry.areas, where)
        if not covered:
            continue
        score = None
        if text:
            score = fuzz.partial_token_set_ratio(text.lower(), entry.text.lower())
            if score < TEXT_CUTOFF:
                continue
        distance = None
        if where is not None and where.point is not None and entry.points:
            distance = min(miles(where.point, p) for p in entry.points)
        # Among equals, a service residents can call or look up comes before one they cannot.
        key = (not local, distance if distance is not None else math.inf, -(score or 0),
               not entry.phone_or_web, entry.name.lower(), sid)
        ranked.append((key, _Ranked(sid, local, distance, score)))
    ranked.sort(key=lambda pair: pair[0])
    return [r for _, r in ranked]


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
        # Phase 1: light rows for every candidate, ranked and filtered in Python.
        connection = session.connection()
        candidates = _candidates(connection, topic, where, age)
        if topic and not candidates:
            _codes_of(connection, topic)  # raises if there is no such topic
        ranked = _rank(candidates, where, text)
        if reachable_only:
            ranked = [r for r in ranked if candidates[r.id].can_be_reached()]
        if open_now:
            open_ids = _open_at(connection, [r.id for r in ranked], now)
            ranked = [r for r in ranked if r.id in open_ids]
        # Phase 2: whole services for this page only.
        page = ranked[offset:offset + limit]
        loaded = _load_page(session, [r.id for r in page])
    results: list[Result] = []
    for r in page:
        service = loaded.get(r.id)
        if service is None:  # closed or removed since phase 1
            continue
        results.append(Result(service, r.local, r.distance, hours.is_open(service.schedules, now),
                              hours.status_line(service.schedules, now), r.score))
    return results
