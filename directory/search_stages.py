"""The services a search returns, in its order, read through the database's indexes.

The order is: local services nearest first, then local services with no known place, then
national ones (nearest first, then placeless); among equals the better text match, then one a
resident can call or look up, then the name. Each of these four stages is a query the
database filters (active, need, area, age, reachable, words); a stage is read only while the
page is not yet full.

Near a place, a stage is read ring by ring: services with a location inside a box around the
place (`search_index.in_box`, an R*Tree or GiST lookup that leads the query), the box growing
until it holds enough services no farther than its radius. Those are exactly the nearest
(anything outside is farther), so the order is the one ranking every candidate would give.
Words are checked on a ring's rows here (the same rule as the word index: a word inside the
name, description or organisation); a stage read whole asks the word index. A directory of
at most SMALL services is ranked whole in one query.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Optional
from weakref import WeakKeyDictionary

from rapidfuzz import fuzz
from sqlalchemy import and_, bindparam, false, func, literal, not_, or_, select, true
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from directory.coverage import reachable_clause
from directory.gazetteer import Resolution
from directory.models import (
    Attribute, Location, Organization, Phone, Service, ServiceArea, ServiceAtLocation,
)
from directory.search_index import (
    holds_a_word, in_box, index_count, miles, needs_in_box, services_with_words, within_params,
    words_params,
)

TEXT_CUTOFF = 70
SMALL = 1000  # services: a directory no bigger is ranked whole, in one query
SIZE_EVERY = 60.0
START_MILES = 0.25  # the box that measures how dense the places around are
RING_LOCATIONS = 150  # the first ring holds about this many locations
RING_NEEDS = 12  # or, led by the need + place index, about this many of the need's places
LEAST_GROWTH, MOST_GROWTH = 1.3, 2.0
WHOLE_STAGE_MILES = 60  # fewer than wanted this near (a rare need): read the stage whole


@dataclass
class Ranked:
    id: str
    local: bool
    distance: Optional[float]
    score: Optional[float]
    key: tuple


@dataclass
class Filters:
    term_ids: Optional[list[str]]
    where: Optional[Resolution]
    age: Optional[int]
    text: Optional[str]
    reachable_only: bool
    open_at: Optional[Callable[[list[str]], set[str]]]  # open-now searches: which ids are open


def _national() -> ColumnElement:
    return select(ServiceArea.id).where(ServiceArea.service_id == Service.id,
                                        ServiceArea.kind == "national").exists()


def _covering(driving: bool) -> ColumnElement:
    """The service's area is the place's borough or postcode district."""
    here = or_(and_(ServiceArea.kind == "borough", ServiceArea.value == bindparam("borough")),
               and_(ServiceArea.kind == "district", ServiceArea.value == bindparam("district"),
                    ServiceArea.value != ""))
    if driving:
        return Service.id.in_(select(ServiceArea.service_id).where(here))
    return select(ServiceArea.id).where(ServiceArea.service_id == Service.id, here).exists()


def _has_point() -> ColumnElement:
    return (select(ServiceAtLocation.id)
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .where(ServiceAtLocation.service_id == Service.id,
                   Location.latitude.isnot(None), Location.longitude.isnot(None)).exists())


@dataclass(frozen=True)
class Shape:
    """What a light-row query filters on; each shape's statement is built once."""

    stage: str  # "all": every candidate; "near", "placeless": local; "far", "far placeless": national
    by_place: bool
    by_point: bool
    by_topic: bool
    by_age: bool
    reachable: bool
    words: int  # how many words the word index is asked for (0: no word filter)
    text: bool
    box: str = ""  # the box condition's shape, while reading ring by ring
    dialect: str = "sqlite"


def _of_need() -> ColumnElement:
    """IN: the database may start from the need's services."""
    return Service.id.in_(select(Attribute.service_id).where(
        Attribute.taxonomy_term_id.in_(bindparam("terms", expanding=True))))


@lru_cache(maxsize=1024)
def light_rows(shape: Shape, limit: Optional[int] = None) -> Select:
    """(id, name, description, organisation, web address, has a phone, is national, latitude,
    longitude) of active services: one row per location (or one with no location). Read ring
    by ring (`shape.box`), the place index leads and the rest is checked row by row; otherwise
    the database may start from the need's or the area's services."""
    has_phone = select(Phone.id).where(Phone.service_id == Service.id).exists()
    national = _national()
    is_national = {"all": national, "near": false(), "placeless": false()}.get(shape.stage, true())
    # The organisation's name only matters to a text search: a subquery then, not a join.
    organization = (select(Organization.name).where(Organization.id == Service.organization_id)
                    .scalar_subquery() if shape.text else literal(""))
    columns = (Service.id, Service.name, Service.description, organization, Service.url,
               has_phone, is_national, Location.latitude, Location.longitude)
    ring = bool(shape.box)
    if ring and shape.by_topic:  # the need + place index leads: only the need's places
        located, inside, service_id = needs_in_box(shape.dialect, shape.box)
        query = (select(*columns).select_from(located)
                 .join(Service, Service.id == service_id).where(*inside))
    elif ring:
        located, inside = in_box(shape.dialect, shape.box)
        query = (select(*columns).select_from(located)
                 .join(ServiceAtLocation, ServiceAtLocation.location_id == Location.id)
                 .join(Service, Service.id == ServiceAtLocation.service_id).where(*inside))
    else:
        query = (select(*columns)
                 .outerjoin(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
                 .outerjoin(Location, Location.id == ServiceAtLocation.location_id))
    query = query.where(Service.status == "active")
    if shape.by_topic and not ring:
        query = query.where(_of_need())
    local = and_(_covering(driving=not ring), not_(national)) if shape.by_place \
        else not_(national)
    # "near" and "far" keep only rows with a point (below): no check that the service has one
    query = query.where({"all": or_(national, local) if shape.by_place else true(),
                         "near": local,
                         "placeless": and_(local, not_(_has_point())) if shape.by_point else local,
                         "far": national,
                         "far placeless": and_(national, not_(_has_point())) if shape.by_point
                         else national}[shape.stage])
    if shape.stage in ("near", "far"):
        query = query.where(Location.latitude.isnot(None), Location.longitude.isnot(None))
    if shape.by_age:
        age = bindparam("age")
        query = query.where(or_(Service.minimum_age.is_(None), Service.minimum_age <= age),
                            or_(Service.maximum_age.is_(None), Service.maximum_age >= age))
    if shape.reachable:
        query = query.where(reachable_clause())
    # SQLite: a ring's rows are few, Search.ranked checks their words. PostgreSQL checks them
    # in the ring too, before the area checks: a words ring at 100,000 services read in 4.2
    # ms, about 3.5 ms checked this way.
    if shape.words and (not ring or shape.dialect == "postgresql"):
        query = query.where(services_with_words(shape.dialect, shape.words))
    return query if limit is None else query.limit(limit)


class Search:
    """One search's candidates, read stage by stage."""

    def __init__(self, connection: Connection, filters: Filters):
        self.connection, self.filters = connection, filters
        self.dialect = connection.dialect.name
        where = filters.where
        self.point = where.point if where is not None else None
        self.params: dict[str, Any] = {}
        if where is not None:
            self.params.update(borough=where.borough, district=where.district or "")
        if filters.term_ids is not None:
            self.params["terms"] = filters.term_ids
        if filters.age is not None:
            self.params["age"] = filters.age
        self.words: list[str] = []
        self._radius: Optional[float] = None

    def shape(self, stage: str, box: str = "") -> Shape:
        f = self.filters
        return Shape(stage, f.where is not None, self.point is not None, f.term_ids is not None,
                     f.age is not None, f.reachable_only, len(self.words), bool(f.text), box,
                     self.dialect)

    def use_words(self, words: list[str]) -> None:
        """Only services holding one of these words (the word index); [] for every one."""
        self.words = words
        for name in [n for n in self.params if n == "words" or n.startswith("word_")]:
            del self.params[name]
        if words:
            self.params.update(words_params(self.dialect, words))

    def rows(self, shape: Shape, params: Optional[dict] = None, limit: Optional[int] = None):
        return self.connection.execute(light_rows(shape, limit),
                                       {**self.params, **(params or {})}).all()

    def ranked(self, rows: list[Any], within: float = math.inf) -> list[Ranked]:
        """These rows' services in search order, those farther than `within` left out."""
        text = self.filters.text.lower() if self.filters.text else None
        found: dict[str, Ranked] = {}
        unmatched: set[str] = set()
        for sid, name, description, org_name, url, phone, national, lat, lon in rows:
            if sid in unmatched:
                continue
            words = f"{name} {description} {org_name}" if sid not in found else ""
            if self.words and words and not holds_a_word(words, self.words):
                unmatched.add(sid)
                continue
            distance = (miles(self.point, (lat, lon))
                        if self.point is not None and lat is not None and lon is not None else None)
            entry = found.get(sid)
            if entry is not None:
                if distance is not None and (entry.distance is None or distance < entry.distance):
                    entry.distance = distance
                    entry.key = (entry.key[0], distance, *entry.key[2:])
                continue
            score = None
            if text:
                score = fuzz.partial_token_set_ratio(text, words.lower())
                if score < TEXT_CUTOFF:
                    unmatched.add(sid)
                    continue
            key = (bool(national), distance if distance is not None else math.inf,
                   -(score or 0), not bool(phone or url), name.lower(), sid)
            found[sid] = Ranked(sid, not national, distance, score, key)
        ranked = [r for r in found.values() if r.distance is None or r.distance <= within]
        ranked.sort(key=lambda r: r.key)
        if ranked and self.filters.open_at is not None:
            open_ids = self.filters.open_at([r.id for r in ranked])
            ranked = [r for r in ranked if r.id in open_ids]
        return ranked

    def stage(self, stage: str, wanted: int) -> list[Ranked]:
        """This stage's services in order: all of them, or at least `wanted`."""
        if stage not in ("near", "far"):
            return self.ranked(self.rows(self.shape(stage)))
        radius = self.first_radius()
        while radius <= WHOLE_STAGE_MILES:
            box, params = within_params(self.dialect, self.point, radius)
            found = self.ranked(self.rows(self.shape(stage, box), params), within=radius)
            if len(found) >= wanted:
                return found
            # The next ring where `wanted` may be, had services the density of this one.
            radius *= min(MOST_GROWTH, max(LEAST_GROWTH,
                                           1.2 * math.sqrt(wanted / max(len(found), 0.5))))
        return self.ranked(self.rows(self.shape(stage)))  # too few near: every candidate

    def first_radius(self) -> float:
        """A first ring holding about RING_LOCATIONS locations (RING_NEEDS of the need's
        places), from the index that leads the ring alone."""
        if self._radius is None:
            by_need = self.filters.term_ids is not None
            box, params = within_params(self.dialect, self.point, START_MILES)
            count = self.connection.execute(index_count(self.dialect, box, by_need),
                                            {**self.params, **params}).scalar_one()
            most = RING_NEEDS if by_need else RING_LOCATIONS
            self._radius = min(max(START_MILES * math.sqrt(most / max(count, 1)),
                                   START_MILES / 10), WHOLE_STAGE_MILES)
        return self._radius

    def first(self, wanted: int) -> list[Ranked]:
        """At least `wanted` services in search order (fewer only when there are no more)."""
        if self.small():  # rank every candidate: one query
            return self.ranked(self.rows(self.shape("all")))
        stages = ["near", "placeless", "far", "far placeless"] if self.point is not None \
            else ["placeless", "far placeless"]
        found: list[Ranked] = []
        for stage in stages:
            if len(found) >= wanted:
                break
            found += self.stage(stage, wanted - len(found))
        return found

    def small(self) -> bool:
        """No more than SMALL services in the whole directory (a bounded count, made at most
        every SIZE_EVERY seconds: both ways rank alike, only their cost differs)."""
        engine, now = self.connection.engine, time.monotonic()
        made, limit, small = _sizes.get(engine, (-math.inf, None, False))
        if limit != SMALL or now - made > SIZE_EVERY:
            small = self.connection.execute(_SIZE, {"most": SMALL + 1}).scalar_one() <= SMALL
            _sizes[engine] = (now, SMALL, small)
        return small


_sizes: "WeakKeyDictionary[Engine, tuple[float, Optional[int], bool]]" = WeakKeyDictionary()
_SIZE = select(func.count()).select_from(
    select(Service.id).limit(bindparam("most")).subquery())
