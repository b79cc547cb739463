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
from sqlalchemy import and_, or_, select

from directory import hours
from directory.gazetteer import Resolution
from directory.models import (
    Attribute, Location, Organization, Phone, Service, ServiceArea, ServiceAtLocation,
    TaxonomyTerm,
)
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


def can_be_reached(service: Service) -> bool:
    """A phone, web address or email, or a street address with opening hours."""
    if service.phones or service.url or service.email:
        return True
    return bool(service.schedules) and any(loc.address_1 or loc.postcode
                                           for loc in service.locations)


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
           limit: int = 3, offset: int = 0, now: Optional[datetime] = None,
           reachable_only: bool = False) -> list[Result]:
    now = now or datetime.now(timezone.utc)
    where: Optional[Resolution] = None
    if place and place.strip().lower() not in ("anywhere", ""):
        where = directory.gazetteer.resolve(place)
        if where is None or not where.in_area:
            raise PlaceNotFound(f"{place!r} is not a place in Kirklees or Calderdale")
    # Phase 1: light rows (ids, names, areas, points) for every candidate, ranked in Python.
    has_phone = select(Phone.id).where(Phone.service_id == Service.id).exists()
    light = (select(Service.id, Service.name, Service.description, Organization.name,
                    ServiceArea.kind, ServiceArea.value, Location.latitude, Location.longitude,
                    Service.url, has_phone)
             .join(Organization, Service.organization_id == Organization.id)
             .join(ServiceArea, ServiceArea.service_id == Service.id)
             .outerjoin(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
             .outerjoin(Location, Location.id == ServiceAtLocation.location_id)
             .where(Service.status == "active"))
    if topic:
        codes = _topic_codes(directory, topic)
        light = light.where(Service.id.in_(
            select(Attribute.service_id).join(TaxonomyTerm)
            .where(TaxonomyTerm.code.in_(codes))))
    if where is not None:  # let the database drop services whose area cannot cover the place
        light = light.where(Service.id.in_(select(ServiceArea.service_id).where(or_(
            ServiceArea.kind == "national",
            and_(ServiceArea.kind == "borough", ServiceArea.value == where.borough),
            and_(ServiceArea.kind == "district", ServiceArea.value == (where.district or ""))))))
    if age is not None:
        light = light.where((Service.minimum_age.is_(None)) | (Service.minimum_age <= age))
        light = light.where((Service.maximum_age.is_(None)) | (Service.maximum_age >= age))

    candidates: dict[str, dict] = {}
    with directory.sessions() as session:
        for (sid, name, description, org_name, kind, value, lat, lon, url,
             phone) in session.execute(light):
            entry = candidates.setdefault(sid, {"name": name, "text": f"{name} {description} "
                                                f"{org_name}", "areas": set(), "points": set(),
                                                "reachable": bool(phone or url)})
            entry["areas"].add((kind, value))
            if lat is not None and lon is not None:
                entry["points"].add((lat, lon))
    ranked = []
    for sid, entry in candidates.items():
        covered, local = _covers(entry["areas"], where)
        if not covered:
            continue
        score = None
        if text:
            score = fuzz.partial_token_set_ratio(text.lower(), entry["text"].lower())
            if score < TEXT_CUTOFF:
                continue
        distance = None
        if where is not None and where.point is not None and entry["points"]:
            distance = min(miles(where.point, p) for p in entry["points"])
        # Among equals, a service residents can call or look up comes before one they cannot.
        ranked.append((not local, distance if distance is not None else math.inf, -(score or 0),
                       not entry["reachable"], entry["name"].lower(), sid, local, distance, score))
    ranked.sort()

    # Phase 2: full services, in rank order, only as many as the page needs.
    results: list[Result] = []
    wanted = offset + limit
    with directory.sessions() as session:
        for start in range(0, len(ranked), max(wanted, 10)):
            batch = ranked[start:start + max(wanted, 10)]
            loaded = {s.id: s for s in session.execute(
                service_query().where(Service.id.in_([r[5] for r in batch]))).scalars().unique()}
            for *_, sid, local, distance, score in batch:
                service = loaded[sid]
                is_open = hours.is_open(service.schedules, now)
                if open_now and not is_open:
                    continue
                if reachable_only and not can_be_reached(service):
                    continue
                results.append(Result(service, local, distance, is_open,
                                      hours.status_line(service.schedules, now), score))
                session.expunge(service)
            if len(results) >= wanted:
                break
    return results[offset: offset + limit]
