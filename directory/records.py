"""A service as a plain dict (the seed file's shape) and back.

The same shape is used by the seed file, `signpost directory add/update/show --json`, CSV rows
(flattened), and the audit trail's before/after snapshots, so each is easy to read and compare.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Optional

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from directory import phones
from directory.ids import to_uuid
from directory.gazetteer import Gazetteer, load_default
from directory.hours import DAY_CODES
from directory.models import (
    AREA_KINDS, PHONE_KINDS, SERVICE_STATUSES, Attribute, Location, Organization, Phone,
    Schedule, Service, ServiceArea, ServiceAtLocation, TaxonomyTerm,
)

NATIONAL = "national"
SCALAR_FIELDS = ("name", "description", "url", "email", "status", "fees", "minimum_age",
                 "maximum_age", "eligibility", "source_url", "source_note", "verified_by",
                 "review_flag")


class InvalidRecord(ValueError):
    """A record a maintainer must fix; the message says what and how."""


def _time(value: Any) -> Optional[time]:
    if value is None or value == "":
        return None
    if isinstance(value, time):
        return value
    text = str(value).strip()
    if text in ("24:00", "midnight"):
        return time(0, 0)
    try:
        return time.fromisoformat(text if len(text) > 2 else f"{int(text):02d}:00")
    except ValueError as error:
        raise InvalidRecord(f"opening time {value!r} is not a time like 09:00") from error


def _date(value: Any) -> Optional[date]:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as error:
        raise InvalidRecord(f"date {value!r} is not a date like 2026-11-23") from error


def _age(value: Any) -> Optional[int]:
    if value in (None, ""):
        return None
    try:
        age = int(float(value))
    except (TypeError, ValueError) as error:
        raise InvalidRecord(f"age {value!r} is not a number") from error
    return age if age >= 0 else None  # feeds write -1 for "no limit"


# -- plain dict -> database -------------------------------------------------------------------
def area_rows(area: Any, gazetteer: Gazetteer) -> list[tuple[str, str]]:
    if area in (None, "", NATIONAL, [NATIONAL]):
        return [("national", "England")]
    values = [area] if isinstance(area, str) else list(area)
    rows = []
    boroughs = {p.name.lower(): p.name for p in gazetteer.places if p.kind == "borough"}
    for value in values:
        text = str(value).strip()
        if text.lower() in boroughs:
            rows.append(("borough", boroughs[text.lower()]))
        elif text.upper() in gazetteer.districts:
            rows.append(("district", text.upper()))
        elif text.lower() in (NATIONAL, "england", "uk"):
            rows.append(("national", "England"))
        else:
            raise InvalidRecord(
                f"area {text!r} is not Kirklees, Calderdale, a postcode district of theirs "
                f"(like HX7) or 'national'")
    return rows


def schedule_rows(hours: Any, closed_bank_holidays: bool) -> list[dict]:
    if hours in (None, "", []):
        return []
    if isinstance(hours, str):
        if hours.strip().lower() in ("24/7", "24x7", "always"):
            return [{"open_24_7": True, "closed_bank_holidays": closed_bank_holidays}]
        raise InvalidRecord(f"hours {hours!r}: use 24/7 or a list of days and times")
    rows = []
    for block in hours:
        days = block.get("days") or []
        days = [days] if isinstance(days, str) else days
        opens, closes = _time(block.get("opens")), _time(block.get("closes"))
        if opens is None or closes is None:
            raise InvalidRecord("each opening needs an opening and a closing time")
        if opens == closes:
            raise InvalidRecord(f"opens and closes at the same time ({opens:%H:%M})")
        for day in days:
            code = str(day).strip().upper()[:2]
            if code not in DAY_CODES:
                raise InvalidRecord(f"{day!r} is not a day (MO, TU, WE, TH, FR, SA, SU)")
            rows.append({"byday": code, "opens_at": opens, "closes_at": closes,
                         "description": block.get("note"),
                         "valid_from": _date(block.get("valid_from")),
                         "valid_to": _date(block.get("valid_to")),
                         "closed_bank_holidays": closed_bank_holidays})
    return rows


def locate(entry: dict, gazetteer: Gazetteer) -> tuple[Optional[float], Optional[float], Optional[str]]:
    if entry.get("latitude") is not None and entry.get("longitude") is not None:
        return float(entry["latitude"]), float(entry["longitude"]), "given"
    for key, how in (("postcode", "postcode"), ("place", "place")):
        if entry.get(key):
            found = gazetteer.resolve(str(entry[key]))
            if found is None or not found.in_area or found.point is None:
                raise InvalidRecord(f"{key} {entry[key]!r} is not in Kirklees or Calderdale")
            kind = "district" if found.kind in ("postcode", "district") else how
            return found.lat, found.lon, kind
    return None, None, None


def apply(session: Session, service: Service, data: dict, gazetteer: Optional[Gazetteer] = None,
          defaults: Optional[dict] = None) -> Service:
    """Set a service from a plain dict, replacing its phones, hours, areas, places and topics."""
    with session.no_autoflush:  # one INSERT or UPDATE per save, so one version step
        return _apply(session, service, data, gazetteer or load_default(), defaults)


def _apply(session: Session, service: Service, data: dict, gazetteer: Gazetteer,
           defaults: Optional[dict]) -> Service:
    defaults = defaults or {}
    for field in SCALAR_FIELDS:
        if field in data:
            value = data[field]
            if field in ("minimum_age", "maximum_age"):
                value = _age(value)
            setattr(service, field, value)
    if "source" in data:
        service.source_url = data["source"]
    if "review" in data:
        service.review_flag = bool(data["review"])
    if "contact_may_be_out_of_date" in data:
        service.contact_flagged = bool(data["contact_may_be_out_of_date"])
    if "access" in data:
        service.access = data["access"] or None
    if "access_text" in data:
        service.access_note = data["access_text"] or None
    if "verified" in data or "last_verified" in data:
        service.last_verified = _date(data.get("last_verified", data.get("verified")))
    if service.status is None:
        service.status = "active"
    if service.review_flag is None:
        service.review_flag = False
    if service.contact_flagged is None:
        service.contact_flagged = False
    if service.description is None:
        service.description = ""
    service.last_verified = service.last_verified or _date(defaults.get("verified"))
    service.verified_by = service.verified_by or defaults.get("verified_by")
    if "organization" in data or "organization_id" in data:
        service.organization_id = to_uuid(
            "organization", data.get("organization_id", data.get("organization")))
    _check(service)

    if "phones" in data:
        service.phones = []
        for position, entry in enumerate(data["phones"] or []):
            entry = {"number": entry} if isinstance(entry, str) else entry
            kind = (entry.get("kind") or "call").lower()
            if kind not in PHONE_KINDS:
                raise InvalidRecord(f"phone kind {kind!r}: use call, text or whatsapp")
            try:
                number = phones.normalise(str(entry["number"]))
            except phones.InvalidPhone as error:
                raise InvalidRecord(f"phone {entry['number']!r} is not a valid UK number") from error
            service.phones.append(Phone(number=number, kind=kind, note=entry.get("note"),
                                        position=position))
    if "hours" in data or "closed_bank_holidays" in data:
        rows = schedule_rows(data.get("hours"), bool(data.get("closed_bank_holidays", False)))
        service.schedules = [Schedule(position=i, **row) for i, row in enumerate(rows)]
    if "area" in data:
        service.areas = [ServiceArea(kind=k, value=v) for k, v in area_rows(data["area"], gazetteer)]
    if "locations" in data:
        if not inspect(service).pending:
            service.at_locations = []
            session.flush()  # the unique service+location link must go before it is re-added
        for i, entry in enumerate(data["locations"] or []):
            lat, lon, how = locate(entry, gazetteer)
            location_id = to_uuid("location", entry.get("id") or f"{service.id}/loc{i + 1}")
            location = session.get(Location, location_id) or Location(id=location_id)
            location.name = entry.get("name") or service.name
            location.address_1 = entry.get("address")
            location.city = entry.get("place") or entry.get("city")
            location.postcode = entry.get("postcode")
            location.latitude, location.longitude, location.geocoded_from = lat, lon, how
            session.add(location)
            service.at_locations.append(ServiceAtLocation(location=location))
    if "topics" in data:
        codes = list(dict.fromkeys(data["topics"] or []))
        terms = {t.code: t for t in session.execute(
            select(TaxonomyTerm).where(TaxonomyTerm.code.in_(codes))).scalars()}
        unknown = [c for c in codes if c not in terms]
        if unknown:
            raise InvalidRecord(f"unknown topic(s): {', '.join(unknown)}")
        kept = {a.term.code: a for a in service.attributes if a.term.code in terms}
        if not inspect(service).pending:
            service.attributes = [a for a in service.attributes if a.term.code in kept]
            session.flush()  # drop removed links before adding new ones (unique service+term)
        service.attributes = [kept.get(c) or Attribute(term=terms[c]) for c in codes]
    service.last_modified = datetime.now().astimezone()
    return service


def _check(service: Service) -> None:
    if not (service.name or "").strip():
        raise InvalidRecord("a service needs a name")
    if service.status not in SERVICE_STATUSES:
        raise InvalidRecord(f"status {service.status!r}: use one of {', '.join(SERVICE_STATUSES)}")
    if not service.source_url:
        raise InvalidRecord("every service needs the source (web address) its facts came from")
    if not str(service.source_url).startswith(("http://", "https://")):
        raise InvalidRecord(f"source {service.source_url!r} is not a web address")
    if service.url and not str(service.url).startswith(("http://", "https://")):
        raise InvalidRecord(f"website {service.url!r} is not a web address")
    if service.last_verified is None or not service.verified_by:
        raise InvalidRecord("every service needs the date it was verified and by whom")
    if (service.minimum_age is not None and service.maximum_age is not None
            and service.minimum_age > service.maximum_age):
        raise InvalidRecord("minimum age is above maximum age")


# -- database -> plain dict -------------------------------------------------------------------
def hours_plain(service: Service) -> Any:
    rows = service.schedules
    if any(r.open_24_7 for r in rows):
        return "24/7"
    blocks: list[dict] = []
    for row in rows:
        key = (row.opens_at, row.closes_at, row.description, row.valid_from, row.valid_to)
        for block in blocks:
            if block["_key"] == key:
                block["days"].append(row.byday)
                break
        else:
            block = {"_key": key, "days": [row.byday], "opens": row.opens_at.strftime("%H:%M"),
                     "closes": row.closes_at.strftime("%H:%M")}
            if row.description:
                block["note"] = row.description
            if row.valid_from:
                block["valid_from"] = row.valid_from.isoformat()
            if row.valid_to:
                block["valid_to"] = row.valid_to.isoformat()
            blocks.append(block)
    for block in blocks:
        del block["_key"]
    return blocks


def area_plain(service: Service) -> Any:
    if any(a.kind == "national" for a in service.areas):
        return NATIONAL
    return sorted(a.value for a in service.areas)  # a set: the database's row order means nothing


def to_plain(service: Service) -> dict:
    data = {
        "id": service.id,
        "organization": service.organization_id,
        "name": service.name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "fees": service.fees,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "eligibility": service.eligibility,
        "topics": sorted(a.term.code for a in service.attributes),  # a set, as areas
        "area": area_plain(service),
        "phones": [{"number": p.number, "kind": p.kind, "note": p.note} for p in service.phones],
        "hours": hours_plain(service),
        "closed_bank_holidays": any(r.closed_bank_holidays for r in service.schedules),
        "locations": [
            {"id": loc.id, "name": loc.name, "address": loc.address_1, "place": loc.city,
             "postcode": loc.postcode, "latitude": loc.latitude, "longitude": loc.longitude}
            for loc in service.locations
        ],
        "source": service.source_url,
        "source_note": service.source_note,
        "verified": service.last_verified.isoformat() if service.last_verified else None,
        "verified_by": service.verified_by,
        "review": service.review_flag,
        "contact_may_be_out_of_date": bool(service.contact_flagged),
        "access": service.access,
        "access_text": service.access_note,
        "version": service.version,
    }
    return data


def organization_from(data: dict, organization: Optional[Organization] = None) -> Organization:
    organization = organization or Organization(id=to_uuid("organization", data["id"]))
    organization.name = data["name"]
    organization.description = data.get("description") or ""
    organization.website = data.get("website")
    organization.email = data.get("email")
    organization.is_community_anchor = bool(data.get("anchor", False))
    organization.anchor_area = data.get("anchor_area")
    return organization
