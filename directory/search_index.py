"""The database's own search indexes, one interface for SQLite and PostgreSQL (issue 17).

- Near a point: on SQLite an R*Tree over location points (`location_rtree`, keyed through
  `location_key`); on PostgreSQL a GiST index on `ll_to_earth(latitude, longitude)`
  (cube + earthdistance). Both answer "locations inside a box that holds every point within r
  miles"; the exact distance is then worked out for the few rows that come back.
- Words: on SQLite an FTS5 trigram index over each service's name, description and
  organisation (`service_words`, keyed through `service_key`); on PostgreSQL pg_trgm GIN
  indexes on the lower-cased columns. Both find services holding any word of the query (three
  letters or more) inside their words, as LIKE '%word%' would.

Created and kept up to date by migration 0006 (triggers on SQLite).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from sqlalchemy import (
    Column, Float, Integer, MetaData, String, Table, bindparam, func, or_, select, text,
)
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause

from directory.models import Location, Organization, Service

EARTH_RADIUS_MILES = 3958.8
METRES_PER_MILE = 1609.344
MARGIN = 1.01  # boxes a little larger than the circle: rounding never loses a point
MIN_WORD = 3  # trigram indexes find words of three letters or more

_index_tables = MetaData()  # not the models' metadata: Alembic's autogenerate leaves these alone
location_key = Table("location_key", _index_tables, Column("key", Integer, primary_key=True),
                     Column("location_id", String(64)))
location_rtree = Table("location_rtree", _index_tables, Column("key", Integer, primary_key=True),
                       Column("min_lat", Float), Column("max_lat", Float),
                       Column("min_lon", Float), Column("max_lon", Float))
service_key = Table("service_key", _index_tables, Column("key", Integer, primary_key=True),
                    Column("service_id", String(64)))
service_words = Table("service_words", _index_tables, Column("rowid", Integer, primary_key=True))
# Each need of a service at each of its located places (migration 0008).
term_key = Table("term_key", _index_tables, Column("key", Integer, primary_key=True),
                 Column("term_id", String(64)))
need_key = Table("need_key", _index_tables, Column("key", Integer, primary_key=True),
                 Column("service_id", String(64)), Column("location_id", String(64)))
need_rtree = Table("need_rtree", _index_tables, Column("key", Integer, primary_key=True),
                   Column("min_term", Float), Column("max_term", Float),
                   Column("min_lat", Float), Column("max_lat", Float),
                   Column("min_lon", Float), Column("max_lon", Float))
need_place = Table("need_place", _index_tables, Column("attribute_id", String(64)),
                   Column("link_id", String(64)), Column("service_id", String(64)),
                   Column("location_id", String(64)), Column("term_id", String(64)),
                   Column("latitude", Float), Column("longitude", Float))


def miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))


def box(point: tuple[float, float], radius_miles: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) in degrees, holding every point within `radius_miles`."""
    lat, lon = point
    dlat = math.degrees(radius_miles * MARGIN / EARTH_RADIUS_MILES)
    south, north = max(lat - dlat, -90.0), min(lat + dlat, 90.0)
    widest = max(abs(south), abs(north))
    if widest >= 89.9 or dlat >= 90:
        return south, north, -180.0, 180.0
    dlon = min(dlat / math.cos(math.radians(widest)), 180.0)
    return south, north, lon - dlon, lon + dlon


def within_params(dialect: str, point: tuple[float, float],
                  radius_miles: float) -> tuple[str, dict]:
    """The shape of the box condition ("box", "east", "west" where it crosses the antimeridian,
    "world") and its values, for `locations_within`."""
    if dialect == "postgresql":
        return "earth", {"at_lat": point[0], "at_lon": point[1],
                         "reach_m": radius_miles * METRES_PER_MILE * MARGIN}
    south, north, west, east = box(point, radius_miles)
    shape = ("world" if west <= -180.0 and east >= 180.0 else
             "west" if west < -180.0 else "east" if east > 180.0 else "box")
    if shape == "west":
        west += 360.0
    elif shape == "east":
        east -= 360.0
    return shape, {"box_south": south, "box_north": north, "box_west": west, "box_east": east}


def _reach(latitude: ColumnElement, longitude: ColumnElement) -> ColumnElement:
    """PostgreSQL: the point is inside the earth box `within_params` binds (GiST)."""
    centre = func.ll_to_earth(bindparam("at_lat"), bindparam("at_lon"))
    return func.earth_box(centre, bindparam("reach_m")).op("@>")(
        func.ll_to_earth(latitude, longitude))


def _in_rtree_box(r, shape: str) -> list[ColumnElement]:
    """SQLite: the R*Tree entry may be inside the box `within_params` binds."""
    conditions = [r.max_lat >= bindparam("box_south"), r.min_lat <= bindparam("box_north")]
    west, east = r.max_lon >= bindparam("box_west"), r.min_lon <= bindparam("box_east")
    if shape == "box":
        conditions += [west, east]
    elif shape in ("west", "east"):  # across the antimeridian: two pieces
        conditions.append(or_(west, east))
    return conditions


def _index(dialect: str, shape: str, by_need: bool) -> tuple[Table, list[ColumnElement]]:
    """The index that leads a ring: the place index, or for the needs bound as `terms` the
    need + place index; and its conditions, that the entry may be inside the box
    `within_params` describes (a superset: never misses a point that is inside)."""
    terms = bindparam("terms", expanding=True)
    if dialect == "postgresql":
        if by_need:
            n = need_place.c
            return need_place, [n.term_id.in_(terms), _reach(n.latitude, n.longitude)]
        return Location.__table__, [_reach(Location.latitude, Location.longitude)]
    if by_need:
        r = need_rtree.c
        numbers = select(term_key.c.key).where(term_key.c.term_id.in_(terms))
        return need_rtree, [r.min_term.in_(numbers), *_in_rtree_box(r, shape)]
    return location_rtree, _in_rtree_box(location_rtree.c, shape)


def in_box(dialect: str, shape: str) -> tuple[FromClause, list[ColumnElement]]:
    """Locations whose point may be inside the box, found through the place index: a FROM
    clause to lead the query, so the database starts from the index, and its conditions."""
    index, inside = _index(dialect, shape, by_need=False)
    if dialect == "postgresql":
        return index, inside
    return (index.join(location_key, location_key.c.key == index.c.key)
            .join(Location, Location.id == location_key.c.location_id)), inside


def needs_in_box(dialect: str, shape: str) -> tuple[FromClause, list[ColumnElement], ColumnElement]:
    """The located places of services with one of the needs bound as `terms`, whose point may
    be inside the box (the need + place index): a FROM clause holding Location, its
    conditions, and the service id column. A service meets it once per need and place."""
    index, inside = _index(dialect, shape, by_need=True)
    if dialect == "postgresql":
        return (index.join(Location, Location.id == index.c.location_id), inside,
                index.c.service_id)
    return (index.join(need_key, need_key.c.key == index.c.key)
            .join(Location, Location.id == need_key.c.location_id), inside, need_key.c.service_id)


@lru_cache(maxsize=16)
def index_count(dialect: str, shape: str, by_need: bool) -> Select:
    """How many entries of the index that leads a ring may be inside the box: the index alone,
    no table read."""
    index, inside = _index(dialect, shape, by_need)
    return select(func.count()).select_from(index).where(*inside)


def query_words(text: str) -> list[str]:
    """The query's words the trigram indexes can look up, lower-cased, each once."""
    return list(dict.fromkeys(w for w in re.findall(r"\w+", text.lower()) if len(w) >= MIN_WORD))


def holds_a_word(text_: str, words: list[str]) -> bool:
    """The word index's rule, in Python, for rows already read."""
    folded = text_.lower()
    return any(word in folded for word in words)


def words_params(dialect: str, words: list[str]) -> dict:
    if dialect == "postgresql":
        return {f"word_{i}": f"%{_like_escaped(w)}%" for i, w in enumerate(words)}
    return {"words": " OR ".join('"' + w.replace('"', '""') + '"' for w in words)}


def services_with_words(dialect: str, count: int) -> ColumnElement:
    """A condition on Service: one of the `count` words `words_params` binds is inside its
    name, description or organisation's name."""
    if dialect == "postgresql":
        patterns = [bindparam(f"word_{i}") for i in range(count)]
        in_org = select(Organization.id).where(or_(
            *(func.lower(Organization.name).like(p, escape="\\") for p in patterns)))
        return or_(*(func.lower(Service.name).like(p, escape="\\") for p in patterns),
                   *(func.lower(Service.description).like(p, escape="\\") for p in patterns),
                   Service.organization_id.in_(in_org))
    matching = (select(service_key.c.service_id)
                .select_from(service_words.join(service_key,
                                                service_key.c.key == service_words.c.rowid))
                .where(text("service_words MATCH :words")))
    return Service.id.in_(matching)


def services_containing(dialect: str, text_: str) -> ColumnElement:
    """A condition on Service: `text_` is inside its name or description (ignoring case), as
    ORUK's `/services?search=` asks. Through the trigram index when it is three letters or more."""
    like = f"%{text_.lower()}%"
    scan = func.lower(Service.name).like(like) | func.lower(Service.description).like(like)
    if dialect == "postgresql" or len(text_) < MIN_WORD:
        return scan  # PostgreSQL: pg_trgm's GIN indexes are on these very expressions
    phrase = "{name description} : " + '"' + text_.replace('"', '""') + '"'
    matching = (select(service_key.c.service_id)
                .select_from(service_words.join(service_key,
                                                service_key.c.key == service_words.c.rowid))
                .where(text("service_words MATCH :contains").bindparams(contains=phrase)))
    return Service.id.in_(matching)


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
