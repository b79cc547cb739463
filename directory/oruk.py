"""Open Referral UK 3.0 JSON: export the directory, and import real feeds tolerantly.

Export: full `/services/{id}` documents and paginated `/services` pages, valid against
../shared/oruk-3.0/schema/compiled. Phones go in `contacts[].phones` (as real feeds carry them);
where facts came from, and who verified them, travel as `signpost_*` extra properties, which the
schemas allow, so our own export imports back unchanged.

Import takes what real feeds contain: minimum_age -1, date-times without a timezone, phone
numbers with words around them, HTML, v1-style feeds (`pc_*` extras, empty strings, no areas).
What cannot be used is reported, not lost silently; a service with no area or place in either
borough is skipped, never stored even inactive. Importing the same file twice changes nothing.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timezone
from html import unescape
from html.parser import HTMLParser
from typing import Any, Callable, Iterable, Optional

from sqlalchemy import func, select

from directory import phones, sources
from directory.gazetteer import parse_postcode
from directory.hours import DAY_CODES
from directory.ids import to_uuid
from directory.models import Organization, Service, TaxonomyTerm
from directory.records import to_plain
from directory.reading import service_query
from directory.repository import Directory, LoadReport
from directory.search_index import services_containing

TAXONOMY_ID = "signpost-topics"
OUT_OF_AREA = "outside Kirklees and Calderdale: no service area or place in either borough"
UNREACHABLE = "no way to reach it: no phone, web address, email, or street address with hours"
UK_TIME_NOTE = "Times are UK local time (Europe/London)."


def _iso(dt: Optional[datetime]) -> str:
    dt = dt or datetime.now(timezone.utc)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _compact(data: dict) -> dict:
    """ORUK omits optional fields without a value rather than sending null."""
    return {k: v for k, v in data.items() if v is not None}


# -- export -----------------------------------------------------------------------------------
def organization_document(org: Organization) -> dict:
    return _compact({"id": org.id, "name": org.name, "description": org.description or org.name,
                     "website": org.website, "email": org.email,
                     "signpost_community_anchor": org.is_community_anchor or None,
                     "signpost_anchor_area": org.anchor_area})


def term_document(term: TaxonomyTerm) -> dict:
    return _compact({"id": term.id, "name": term.name, "description": term.description or term.name,
                     "parent_id": term.parent_id, "taxonomy": TAXONOMY_ID,
                     "taxonomy_id": term.taxonomy_id, "term": term.code})


def service_list_item(service: Service) -> dict:
    return _compact({
        "id": service.id,
        "organization_id": service.organization_id,
        "name": service.name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "fees": service.fees,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "assured_date": service.last_verified.isoformat() if service.last_verified else None,
        "last_modified": _iso(service.last_modified),
        "organization": organization_document(service.organization),
    })


def service_document(service: Service) -> dict:
    sid = service.id
    schedules = []
    for row in service.schedules:
        if row.open_24_7:
            schedules.append(_compact({
                "id": row.id, "service_id": sid, "freq": "WEEKLY", "interval": 1,
                "byday": ",".join(DAY_CODES), "opens_at": "00:00", "closes_at": "23:59",
                "description": "Open 24 hours a day, 7 days a week",
                "notes": "Closed on bank holidays" if row.closed_bank_holidays else None,
                "signpost_open_24_7": True}))
            continue
        schedules.append(_compact({
            "id": row.id, "service_id": sid, "freq": "WEEKLY", "interval": 1, "byday": row.byday,
            "opens_at": row.opens_at.strftime("%H:%M"), "closes_at": row.closes_at.strftime("%H:%M"),
            "valid_from": row.valid_from.isoformat() if row.valid_from else None,
            "valid_to": row.valid_to.isoformat() if row.valid_to else None,
            "description": row.description,
            "notes": UK_TIME_NOTE + (" Closed on bank holidays." if row.closed_bank_holidays else ""),
            "signpost_closed_bank_holidays": row.closed_bank_holidays or None}))
    areas = [_compact({"id": a.id, "service_id": sid,
                       "name": "national" if a.kind == "national" else a.value,
                       "service_area": {"national": "England (national service)",
                                        "borough": f"{a.value} borough",
                                        "district": f"{a.value} postcode district"}[a.kind],
                       "extent_type": "postcode" if a.kind == "district" else None,
                       "extent": a.value if a.kind == "district" else None})
             for a in service.areas]
    locations = []
    for sal in service.at_locations:
        loc = sal.location
        addresses = []
        if loc.address_1 or loc.city or loc.postcode:
            addresses.append({"id": to_uuid("address", loc.id), "location_id": loc.id,
                              "address_1": loc.address_1 or loc.name, "city": loc.city or "",
                              "state_province": "West Yorkshire",
                              "postal_code": loc.postcode or "", "country": "GB",
                              "address_type": "physical",
                              **({"signpost_no_street": True} if not loc.address_1 else {})})
        locations.append({"id": sal.id, "service_id": sid, "location_id": loc.id,
                          "location": _compact({
                              "id": loc.id, "location_type": "physical", "name": loc.name,
                              "description": loc.description, "latitude": loc.latitude,
                              "longitude": loc.longitude, "addresses": addresses or None,
                              "signpost_geocoded_from": loc.geocoded_from})})
    contact_id = to_uuid("contact", sid)
    contact_phones = [_compact({"id": p.id, "contact_id": contact_id,
                                "number": phones.display(p.number),
                                "description": " ".join(x for x in (p.kind, p.note) if x),
                                "signpost_kind": p.kind, "signpost_note": p.note})
                      for p in service.phones]
    document = service_list_item(service)
    document.update(_compact({
        "schedules": schedules,
        "service_areas": areas,
        "service_at_locations": locations,
        "contacts": [{"id": contact_id, "service_id": sid, "name": service.name,
                      "phones": contact_phones}] if contact_phones else [],
        "attributes": [{"id": a.id, "link_id": sid, "link_type": "service",
                        "taxonomy_term_id": a.term.id, "taxonomy_term": term_document(a.term)}
                       for a in service.attributes],
        "languages": [],
        "funding": [],
        "cost_options": [],
        "signpost_source_url": service.source_url,
        "signpost_source_note": service.source_note,
        "signpost_verified_by": service.verified_by,
        "signpost_review": service.review_flag,
        "signpost_eligibility": service.eligibility,
    }))
    return document


def services_page(directory: Directory, page: int = 1, per_page: int = 50,
                  full: bool = False, search_text: Optional[str] = None,
                  taxonomy_term_id: Optional[str] = None) -> dict:
    """One page of `/services`, newest-modified last; list items, or full documents."""
    page, per_page = max(page, 1), max(min(per_page, 1000), 1)
    query = service_query().order_by(Service.name, Service.id)
    count = select(func.count(Service.id))
    if search_text:
        condition = services_containing(directory.engine.dialect.name, search_text)
        query, count = query.where(condition), count.where(condition)
    if taxonomy_term_id:
        from directory.models import Attribute

        ids = select(Attribute.service_id).where(Attribute.taxonomy_term_id == taxonomy_term_id)
        query, count = query.where(Service.id.in_(ids)), count.where(Service.id.in_(ids))
    with directory.sessions() as session:
        total = session.execute(count).scalar_one()
        services = session.execute(
            query.offset((page - 1) * per_page).limit(per_page)).scalars().all()
        contents = [service_document(s) if full else service_list_item(s) for s in services]
    return paged(total, page, per_page, contents)


def paged(total: int, page: int, per_page: int, contents: list) -> dict:
    """ORUK's page envelope around one page of `contents`."""
    pages = max(math.ceil(total / per_page), 1)
    return {"total_items": total, "total_pages": pages, "page_number": page, "size": len(contents),
            "first_page": page == 1, "last_page": page >= pages, "empty": not contents,
            "contents": contents}


def export(directory: Directory) -> dict:
    """The whole directory as one `/services` page of full documents."""
    return services_page(directory, page=1, per_page=1000, full=True)


# -- import -----------------------------------------------------------------------------------
class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("br", "p", "li", "div"):
            self.parts.append(" ")


def plain_text(value: Any) -> Optional[str]:
    """HTML to plain text: tags dropped, entities decoded, spaces tidied."""
    if value is None:
        return None
    parser = _TextOnly()
    parser.feed(str(value))
    parser.close()
    text = unescape("".join(parser.parts))
    return re.sub(r"\s+", " ", text).strip()


def _date_of(value: Any) -> Optional[str]:
    try:  # "2024-05-01T10:00:00" has no zone: fine
        return date.fromisoformat(str(value).strip()[:10]).isoformat() if value else None
    except ValueError:
        return None


def _area_from(doc: dict, directory: Directory, locations: list[dict]) -> Any:
    values = []
    boroughs = {"kirklees": "Kirklees", "calderdale": "Calderdale"}
    for area in doc.get("service_areas") or []:
        for text in (area.get("name"), area.get("extent"), area.get("service_area")):
            text = (text or "").strip()
            if not text:
                continue
            low = text.lower()
            if low.startswith("national") or low.startswith("england") or low in ("uk", "united kingdom"):
                return "national"
            if low.split()[0] in boroughs:
                values.append(boroughs[low.split()[0]])
                break
            if text.upper() in directory.gazetteer.districts:
                values.append(text.upper())
                break
    for loc in [] if values else locations:  # no area given: a venue in either borough will do
        code = parse_postcode(str(loc["postcode"] or "").strip())  # exact only: no fuzzy match
        found = (directory.gazetteer.districts.get(code[0]) if code
                 else directory.gazetteer.place_named(str(loc["place"] or "")))
        if found is not None and getattr(found, "in_area", True):
            return [found.borough]
    return list(dict.fromkeys(values))


def _locations_from(doc: dict) -> list[dict]:
    found = []
    for sal in doc.get("service_at_locations") or []:
        loc = sal.get("location") or {}
        address = (loc.get("addresses") or loc.get("physical_addresses") or [{}])[0]
        name = plain_text(loc.get("name")) or None
        street = None if address.get("signpost_no_street") else plain_text(address.get("address_1"))
        entry = {"id": loc.get("id"), "name": name,
                 "address": street or None,
                 "place": address.get("city") or None,
                 "postcode": address.get("postal_code") or None}
        if isinstance(loc.get("latitude"), (int, float)) and isinstance(loc.get("longitude"), (int, float)):
            entry["latitude"], entry["longitude"] = loc["latitude"], loc["longitude"]
        found.append(entry)
    return found


def _phones_from(doc: dict, warnings: list[str]) -> list[dict]:
    raw = []
    for contact in doc.get("contacts") or []:
        raw += contact.get("phones") or []
    raw += doc.get("phones") or []  # HSDS 3.0 puts phones on the service too
    result = []
    for phone in raw:
        text = str(phone.get("number") or "")
        try:
            number = phones.normalise(text)
        except phones.InvalidPhone as error:
            warnings.append(f"phone {text!r} dropped: {error}")
            continue
        kind = phone.get("signpost_kind") or ("text" if "text" in (phone.get("description") or "").lower()
                                               and "call" not in (phone.get("description") or "").lower()
                                               else "call")
        if "signpost_kind" in phone:  # our own export: the note is exactly what we stored
            note = phone.get("signpost_note")
        else:
            note = plain_text(phone.get("description")) or None
        result.append({"number": number, "kind": kind, "note": note})
    return result


def _hours_from(doc: dict, warnings: list[str]) -> tuple[Any, bool]:
    blocks, closed_bh = [], False
    for row in doc.get("schedules") or doc.get("regular_schedules") or []:  # v1: weekday names
        if row.get("signpost_open_24_7"):
            return "24/7", "bank holiday" in (row.get("notes") or "").lower()
        closed_bh = closed_bh or bool(row.get("signpost_closed_bank_holidays"))
        days = [d.strip().upper()[:2] for d in str(row.get("byday") or row.get("weekday") or "")
                .split(",") if d.strip()]
        opens, closes = row.get("opens_at"), row.get("closes_at")
        if (row.get("freq") or "WEEKLY").upper() != "WEEKLY" or not days or not opens or not closes:
            warnings.append(f"schedule {row.get('id')!r} not understood; hours left out")
            continue
        if any(d not in DAY_CODES for d in days):
            warnings.append(f"schedule {row.get('id')!r} has days {days}; hours left out")
            continue
        clean = lambda t: re.sub(r"(Z|[+-]\d{2}:?\d{2})$", "", str(t))[:5]  # noqa: E731
        if days == list(DAY_CODES) and clean(opens) == "00:00" and clean(closes) in ("23:59", "00:00"):
            return "24/7", closed_bh
        blocks.append(_compact({"days": days, "opens": clean(opens), "closes": clean(closes),
                                "note": plain_text(row.get("description")) or None,
                                "valid_from": _date_of(row.get("valid_from")),
                                "valid_to": _date_of(row.get("valid_to"))}))
    return (blocks or None), closed_bh


def _web_address(value: Any, warnings: list[str]) -> Optional[str]:
    """A website as given, or `https://` and a bare domain (`example.org`); else left out."""
    text = str(value or "").strip()
    if not text or text.lower().startswith(("http://", "https://")):
        return text or None
    if re.fullmatch(r"(www\.)?[\w-]+(\.[\w-]+)+(/\S*)?", text):
        return "https://" + text
    warnings.append(f"website {text!r} is not a web address; left out")
    return None


def row_from_document(doc: dict, directory: Directory, source: Optional[str],
                      actor: str, term_codes: dict[str, str]) -> tuple[dict, list[str]]:
    """Our plain service dict from one ORUK service document, and warnings about what was left out."""
    warnings: list[str] = []
    if not doc.get("id") or not doc.get("name"):
        raise ValueError("a service needs an id and a name")
    org, meta = doc.get("organization") or {}, doc.get("pc_metadata") or {}
    topics = []
    for attribute in doc.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        code = (term_codes.get(str(attribute.get("taxonomy_term_id") or term.get("id")))
                or term_codes.get(str(term.get("term") or "").lower())
                or term_codes.get(str(term.get("name") or "").lower()))
        if code:
            topics.append(code)
        else:
            warnings.append(f"taxonomy term {term.get('name') or attribute.get('taxonomy_term_id')!r} "
                            f"is not one of our topics; left out")
    hours, closed_bh, locations = *_hours_from(doc, warnings), _locations_from(doc)
    status = str(doc.get("status") or "active").strip().lower()
    row = {
        "id": str(doc["id"]),
        "organization": str(doc.get("organization_id") or org.get("id") or ""),
        "name": plain_text(doc["name"]),
        "description": plain_text(doc.get("description")) or "",
        "url": _web_address(doc.get("url"), warnings),
        "email": str(doc.get("email") or "").strip() or None,
        "status": status,
        "fees": plain_text(doc.get("fees")) or None,
        "minimum_age": doc.get("minimum_age"),
        "maximum_age": doc.get("maximum_age"),
        "eligibility": plain_text(doc.get("signpost_eligibility")) or None,
        "topics": list(dict.fromkeys(topics)),
        "area": _area_from(doc, directory, locations),
        "phones": _phones_from(doc, warnings),
        "hours": hours,
        "closed_bank_holidays": closed_bh,
        "locations": locations,
        "source": doc.get("signpost_source_url") or source,
        "source_note": doc.get("signpost_source_note"),
        "verified": (_date_of(doc.get("assured_date") or meta.get("date_assured"))
                     or date.today().isoformat()),
        "verified_by": doc.get("signpost_verified_by") or f"import by {actor}",
        # Imported facts nobody here has checked start due for review.
        "review": bool(doc.get("signpost_review", True)),
    }
    reach = sources.reachable(row) or status != "active"  # only an active one must be reachable
    why = ([] if row["area"] else [OUT_OF_AREA]) + ([] if reach else [UNREACHABLE])
    if not row["source"]:
        why.append("no source for its facts: give the feed's web address with --source")
    if why:
        raise ValueError("; ".join(why))
    return row, warnings


def documents_in(data: Any) -> list[dict]:
    if isinstance(data, list):
        return data
    for key in ("contents", "content", "services"):  # ORUK 3.0, v1 (Spring-style) pages, lists
        if isinstance(data, dict) and key in data:
            return list(data[key])
    if isinstance(data, dict) and "id" in data:
        return [data]
    raise ValueError("not an ORUK services page, list or service document")


def import_documents(directory: Directory, data: Any, actor: str, source: Optional[str] = None,
                     progress: Optional[Callable[[int, int], None]] = None) -> tuple[LoadReport, list[str]]:
    """Load ORUK service documents; returns the load report and warnings about parts left out."""
    docs = documents_in(data)
    with directory.sessions() as session:
        terms = list(session.execute(select(TaxonomyTerm)).scalars())
    term_codes = {key: t.code for t in terms for key in (t.id, t.code.lower(), t.name.lower())}
    report = LoadReport()
    warnings: list[str] = []
    rows = []
    organizations: dict[str, dict] = {}
    for doc in docs:
        try:
            row, notes = row_from_document(doc, directory, source, actor, term_codes)
        except (ValueError, TypeError, AttributeError) as error:
            report.skipped.append((str(doc.get("id") or doc.get("name") or "?")
                                   if isinstance(doc, dict) else "?", str(error)))
            continue
        warnings += [f"{row['id']}: {n}" for n in notes]
        org = doc.get("organization") or {}
        if org.get("id") and org.get("name"):
            organizations.setdefault(str(org["id"]), {
                "id": str(org["id"]), "name": plain_text(org["name"]),
                "description": plain_text(org.get("description")) or "",
                "website": _web_address(org.get("website") or org.get("url"), []),  # v1: url
                "email": org.get("email"),
                "anchor": bool(org.get("signpost_community_anchor")),
                "anchor_area": org.get("signpost_anchor_area")})
        rows.append(row)
    directory.upsert_organizations(list(organizations.values()), actor)
    loaded = directory.load_services(rows, actor, "import", progress=progress)
    loaded.skipped = report.skipped + loaded.skipped
    return loaded, warnings


def export_plain(directory: Directory) -> Iterable[dict]:
    with directory.sessions() as session:
        for service in session.execute(service_query().order_by(Service.name)).scalars():
            yield to_plain(service)
