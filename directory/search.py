"""Find services for a need near a place.

Only active services whose area covers the place; local services nearest first (miles), then
national ones; open-now in UK time; fuzzy text match; age limits. A topic matches its own
services and its needs' ("community" finds food banks; "food" finds only food).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from rapidfuzz import fuzz
from sqlalchemy import select

from directory import hours
from directory.gazetteer import Resolution
from directory.models import Attribute, Service, TaxonomyTerm
from directory.repository import Directory, service_query

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
    national = any(a.kind == "national" for a in service.areas)
    if national:
        return True, False
    if place is None:
        return True, True
    for area in service.areas:
        if area.kind == "borough" and area.value == place.borough:
            return True, True
        if area.kind == "district" and place.district and area.value == place.district:
            return True, True
    return False, True


def _topic_codes(directory: Directory, topic: str) -> list[str]:
    with directory.sessions() as session:
        terms = list(session.execute(select(TaxonomyTerm)).scalars())
    codes = {t.code for t in terms}
    if topic not in codes:
        raise UnknownTopic(f"unknown topic {topic!r}; known: {', '.join(sorted(codes))}")
    wanted = {t.id for t in terms if t.code == topic}
    changed = True
    while changed:
        before = len(wanted)
        wanted |= {t.id for t in terms if t.parent_id in wanted}
        changed = len(wanted) != before
    return sorted(t.code for t in terms if t.id in wanted)


def search(directory: Directory, topic: Optional[str] = None, place: Optional[str] = None,
           open_now: bool = False, text: Optional[str] = None, age: Optional[int] = None,
           limit: int = 3, offset: int = 0, now: Optional[datetime] = None) -> list[Result]:
    now = now or datetime.now(timezone.utc)
    where: Optional[Resolution] = None
    if place and place.strip().lower() not in ("anywhere", ""):
        where = directory.gazetteer.resolve(place)
        if where is None or not where.in_area:
            raise PlaceNotFound(f"{place!r} is not a place in Kirklees or Calderdale")
    query = service_query().where(Service.status == "active")
    if topic:
        codes = _topic_codes(directory, topic)
        query = query.where(Service.id.in_(
            select(Attribute.service_id).join(TaxonomyTerm)
            .where(TaxonomyTerm.code.in_(codes))))
    if age is not None:
        query = query.where((Service.minimum_age.is_(None)) | (Service.minimum_age <= age))
        query = query.where((Service.maximum_age.is_(None)) | (Service.maximum_age >= age))

    results: list[Result] = []
    with directory.sessions() as session:
        for service in session.execute(query).scalars().unique():
            covered, local = covers(service, where)
            if not covered:
                continue
            score = None
            if text:
                haystack = f"{service.name} {service.description} {service.organization.name}"
                score = fuzz.partial_token_set_ratio(text.lower(), haystack.lower())
                if score < TEXT_CUTOFF:
                    continue
            is_open = hours.is_open(service.schedules, now)
            if open_now and not is_open:
                continue
            distance = None
            if where is not None and where.point is not None:
                points = [(loc.latitude, loc.longitude) for loc in service.locations
                          if loc.latitude is not None]
                if points:
                    distance = min(miles(where.point, p) for p in points)
            results.append(Result(service, local, distance, is_open,
                                  hours.status_line(service.schedules, now), score))
            session.expunge(service)
    results.sort(key=lambda r: (
        not r.local,
        r.distance_miles if r.distance_miles is not None else math.inf,
        -(r.text_score or 0),
        r.service.name.lower(),
    ))
    return results[offset: offset + limit]
