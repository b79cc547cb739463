"""Coverage you can see: how many services a resident can actually reach, need by place.

Two matrices, both of ACTIVE services a resident can act on (`reachable`: a phone, web address or
email, or a location with a street address or postcode plus opening hours; the same rule as
`directory.sources.reachable`, here as SQL):

- need x borough: a service counts for Kirklees or Calderdale if it is local to it (its area is
  the borough or one of the borough's postcode districts). National services are counted in their
  own "national" column and never as local, as search ranks them. A gap is a borough cell with
  fewer than 2 services.
- need x main town: a service counts for a town if one of its locations is in one of the town's
  postcode districts, or its location's place is the town or a village or neighbourhood in those
  districts (the gazetteer says which district a place is in), or its area names one of those
  districts. A gap is a town cell with no service.

A need's row counts the services tagged with it or with any of its narrower terms, as a search
for that topic would find them. Also: active services no one can reach, for the review list.

The database does the filtering (status, reachability, tags, areas, locations: all through the
indexed service_id columns); only the narrow rows that survive are tallied here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Optional

from sqlalchemy import and_, not_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from directory import known_gaps
from directory.gazetteer import BOROUGHS, Gazetteer, parse_postcode
from directory.models import (
    Attribute, Location, Organization, Phone, Schedule, Service, ServiceArea, ServiceAtLocation,
    TaxonomyTerm,
)
from directory.repository import Directory

NATIONAL = "national"
# The community needs, in the order maintainers think of them; every other term follows.
NEEDS = ("food", "warmth", "money", "housing", "carers", "loneliness", "domestic_abuse",
         "digital", "youth", "older_people", "mental_health", "community_anchor")
# The main towns and the postcode districts that make each one up (districts from places.yml;
# a valley takes its villages' districts). HD8 (Kirkburton, Denby Dale), BD11 and BD12 belong
# to no main town: their services still count for Kirklees.
TOWN_DISTRICTS: dict[str, tuple[str, ...]] = {
    "Huddersfield": ("HD1", "HD2", "HD3", "HD4", "HD5"),
    "Dewsbury": ("WF12", "WF13"),
    "Batley": ("WF17",),
    "Spen Valley": ("WF15", "WF16", "BD19"),  # Liversedge, Heckmondwike, Cleckheaton
    "Holme Valley": ("HD9",),  # Holmfirth, Honley, Meltham
    "Colne Valley": ("HD7",),  # Slaithwaite, Marsden
    "Mirfield": ("WF14",),
    "Halifax": ("HX1", "HX2", "HX3", "HX4"),
    "Brighouse": ("HD6",),
    "Elland": ("HX5",),
    "Sowerby Bridge": ("HX6",),  # with Ripponden and the Ryburn valley
    "Hebden Bridge": ("HX7",),  # with Mytholmroyd and Heptonstall
    "Todmorden": ("OL14",),
}
TOWNS = tuple(TOWN_DISTRICTS)
BOROUGH_GAP_BELOW = 2  # a borough cell with fewer services than this is a gap
TOWN_GAP_BELOW = 1  # a town cell with no service is a gap


# -- reachability as SQL ----------------------------------------------------------------------
def _filled(column) -> ColumnElement:
    return and_(column.isnot(None), column != "")


def reachable_clause() -> ColumnElement:
    """True for a service a resident can act on: `sources.reachable`, evaluated by the database."""
    has_phone = select(Phone.id).where(Phone.service_id == Service.id).exists()
    has_address = (select(ServiceAtLocation.id)
                   .join(Location, Location.id == ServiceAtLocation.location_id)
                   .where(ServiceAtLocation.service_id == Service.id)
                   .where(or_(_filled(Location.address_1), _filled(Location.postcode)))
                   .exists())
    has_hours = select(Schedule.id).where(Schedule.service_id == Service.id).exists()
    return or_(has_phone, _filled(Service.url), _filled(Service.email),
               and_(has_address, has_hours))


# -- results ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Need:
    code: str
    name: str


@dataclass
class Matrix:
    """Counts of services by need (rows) and place (columns); gaps judged in `gap_columns`."""

    title: str
    needs: list[Need]
    columns: list[str]
    gap_columns: tuple[str, ...]
    gap_below: int
    members: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    reasons: dict[tuple[str, str], str] = field(default_factory=dict)  # known gaps, and why

    def count(self, need: str, column: str) -> int:
        return len(self.members.get((need, column), ()))

    def is_gap(self, need: str, column: str) -> bool:
        return column in self.gap_columns and self.count(need, column) < self.gap_below

    def gaps(self) -> list[tuple[str, str]]:
        return [(n.code, c) for n in self.needs for c in self.columns if self.is_gap(n.code, c)]

    def unexplained_gaps(self) -> list[tuple[str, str]]:
        return [gap for gap in self.gaps() if gap not in self.reasons]

    def explained_gaps(self) -> list[tuple[str, str, str]]:
        return [(*gap, self.reasons[gap]) for gap in self.gaps() if gap in self.reasons]

    def rows(self) -> list[tuple[Need, list[tuple[int, bool]]]]:
        """Each need with (count, is a gap) for every column, in column order."""
        return [(n, [(self.count(n.code, c), self.is_gap(n.code, c)) for c in self.columns])
                for n in self.needs]


@dataclass(frozen=True)
class Unreachable:
    id: str
    name: str
    organization: str
    topics: tuple[str, ...]
    verified: Optional[date]


@dataclass
class Coverage:
    boroughs: Matrix
    towns: Matrix
    unreachable: list[Unreachable]
    counted: int  # active, reachable services with at least one topic


# -- computing --------------------------------------------------------------------------------
def _ordered_needs(terms: list[tuple[str, str, str, Optional[str]]]) -> tuple[list[Need],
                                                                           dict[str, set[str]]]:
    """Needs in display order, and for each term code the codes of it and its ancestors."""
    by_id = {tid: (code, name, parent) for tid, code, name, parent in terms}
    community = next((tid for tid, code, _, _ in terms if code == "community"), None)
    listed = {code: i for i, code in enumerate(NEEDS)}
    order = sorted(by_id.values(), key=lambda t: (
        0 if t[0] in listed else 1 if t[2] == community else 2, listed.get(t[0], 0), t[0]))
    ancestors: dict[str, set[str]] = {}
    for tid, (code, _, parent) in by_id.items():
        seen, chain = {code}, parent
        while chain in by_id and by_id[chain][0] not in seen:
            seen.add(by_id[chain][0])
            chain = by_id[chain][2]
        ancestors[code] = seen
    return [Need(code, name) for code, name, _ in order], ancestors


def district_towns(gazetteer: Gazetteer) -> dict[str, str]:
    """Postcode district -> main town, for the districts the gazetteer knows."""
    return {d: town for town, districts in TOWN_DISTRICTS.items() for d in districts
            if d in gazetteer.districts}


def _place_town(text: str, gazetteer: Gazetteer, towns_of: dict[str, str]) -> Optional[str]:
    found = gazetteer.resolve(text)
    if found is None or not found.in_area:
        return None
    if found.name in TOWN_DISTRICTS:
        return found.name
    return towns_of.get(found.district or "")


def coverage(directory: Directory) -> Coverage:
    gazetteer = directory.gazetteer
    towns_of = district_towns(gazetteer)
    live = select(Service.id).where(Service.status == "active").where(reachable_clause())
    with directory.sessions() as session:
        terms = session.execute(select(TaxonomyTerm.id, TaxonomyTerm.code, TaxonomyTerm.name,
                                       TaxonomyTerm.parent_id)).all()
        tags = session.execute(
            select(Attribute.service_id, TaxonomyTerm.code)
            .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
            .where(Attribute.service_id.in_(live))).all()
        areas = session.execute(
            select(ServiceArea.service_id, ServiceArea.kind, ServiceArea.value)
            .where(ServiceArea.service_id.in_(live))).all()
        places = session.execute(
            select(ServiceAtLocation.service_id, Location.postcode, Location.city)
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .where(ServiceAtLocation.service_id.in_(live))).all()
        unreachable = _unreachable(session)

    needs, ancestors = _ordered_needs([tuple(t) for t in terms])
    national: set[str] = set()
    local: dict[str, set[str]] = {}
    in_town: dict[str, set[str]] = {}
    for sid, kind, value in areas:
        if kind == "national":
            national.add(sid)
        elif kind == "borough":
            local.setdefault(sid, set()).add(value)
        elif kind == "district":
            district = gazetteer.districts.get(value.upper())
            if district is not None:
                local.setdefault(sid, set()).add(district.borough)
            if value.upper() in towns_of:
                in_town.setdefault(sid, set()).add(towns_of[value.upper()])
    place_towns: dict[str, Optional[str]] = {}
    for sid, postcode, city in places:
        parsed = parse_postcode(postcode) if postcode else None
        if parsed and parsed[0] in towns_of:
            in_town.setdefault(sid, set()).add(towns_of[parsed[0]])
        if city:
            if city not in place_towns:
                place_towns[city] = _place_town(city, gazetteer, towns_of)
            if place_towns[city]:
                in_town.setdefault(sid, set()).add(place_towns[city])

    boroughs = Matrix("Services by need and borough", needs, [*BOROUGHS, NATIONAL], BOROUGHS,
                      BOROUGH_GAP_BELOW, reasons=known_gaps.load())
    towns = Matrix("Services by need and town", needs, list(TOWNS), TOWNS, TOWN_GAP_BELOW)
    counted = set()
    for sid, code in tags:
        counted.add(sid)
        columns = [NATIONAL] if sid in national else sorted(local.get(sid, ()))
        for need in ancestors.get(code, {code}):
            for column in columns:
                boroughs.members.setdefault((need, column), set()).add(sid)
            for town in in_town.get(sid, ()):
                towns.members.setdefault((need, town), set()).add(sid)
    return Coverage(boroughs, towns, unreachable, len(counted))


def _unreachable(session) -> list[Unreachable]:
    rows = session.execute(
        select(Service.id, Service.name, Organization.name, Service.last_verified)
        .join(Organization, Organization.id == Service.organization_id)
        .where(Service.status == "active").where(not_(reachable_clause()))
        .order_by(Service.name, Service.id)).all()
    topics: dict[str, list[str]] = {}
    if rows:
        for sid, code in session.execute(
                select(Attribute.service_id, TaxonomyTerm.code)
                .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
                .where(Attribute.service_id.in_([r[0] for r in rows]))
                .order_by(TaxonomyTerm.code)):
            topics.setdefault(sid, []).append(code)
    return [Unreachable(sid, name, org, tuple(topics.get(sid, ())), verified)
            for sid, name, org, verified in rows]


# -- printing ---------------------------------------------------------------------------------
def gap_rule(matrix: Matrix) -> str:
    if matrix.gap_below <= 1:
        return "no service"
    return f"fewer than {matrix.gap_below} local services"


def text_table(matrix: Matrix) -> str:
    """An aligned table; a gap reads like "1 !"."""
    body = [[need.code, *(f"{n} !" if gap else f"{n}  " for n, gap in cells)]
            for need, cells in matrix.rows()]
    # Counts line up on their last digit, headers over them; the "!" sits to the right.
    header = ["need", *(f"{c}  " for c in matrix.columns)]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [f"{matrix.title} (! = gap: {gap_rule(matrix)})"]
    for row in [header, *body]:
        cells = [row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:], widths[1:]))]
        lines.append("  ".join(cells).rstrip())
    gaps = matrix.gaps()
    lines.append(f"{len(gaps)} gap(s) in {len(matrix.gap_columns)} place(s) x "
                 f"{len(matrix.needs)} need(s); {len(matrix.unexplained_gaps())} without a "
                 "recorded reason.")
    by_reason: dict[str, list[str]] = {}
    for need, column, reason in matrix.explained_gaps():
        by_reason.setdefault(reason, []).append(f"{need} in {column}")
    if by_reason:
        lines.append("Why (directory/data/gaps.yml):")
        lines += [f"- {', '.join(cells)}: {reason}" for reason, cells in by_reason.items()]
    return "\n".join(lines)


def csv_text(matrix: Matrix) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["need", "name", *matrix.columns, "gaps"])
    for need, cells in matrix.rows():
        gaps = [c for c, (_, gap) in zip(matrix.columns, cells) if gap]
        writer.writerow([need.code, need.name, *(n for n, _ in cells), "; ".join(gaps)])
    return out.getvalue()


def unreachable_text(services: Iterable[Unreachable]) -> str:
    services = list(services)
    lines = [f"{len(services)} active service(s) no one can reach (no phone, web address, email, "
             "or street address with opening hours); not counted above:"]
    for s in services:
        topics = f"; {', '.join(s.topics)}" if s.topics else ""
        lines.append(f"  {s.name} ({s.organization}{topics}; id {s.id})")
    return "\n".join(lines)
