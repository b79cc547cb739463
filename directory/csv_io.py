"""CSV import and export for spreadsheet users: one row per service.

Lists go in one cell, separated by ";". Each phone is `number|kind|note`; each location is
`name|address|place|postcode`; hours are `24/7` or `MO,TU,WE 09:00-17:00 note`.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable, TextIO

from directory.records import NATIONAL

COLUMNS = ["id", "organization", "name", "description", "status", "topics", "area", "phones",
           "hours", "closed_bank_holidays", "locations", "url", "email", "fees", "minimum_age",
           "maximum_age", "eligibility", "source", "source_note", "verified", "verified_by",
           "review"]


def _join(parts: Iterable[str]) -> str:
    return "; ".join(p for p in parts if p)


def _split(cell: str) -> list[str]:
    return [p.strip() for p in (cell or "").split(";") if p.strip()]


def _hours_cell(hours: Any) -> str:
    if hours in (None, []):
        return ""
    if isinstance(hours, str):
        return hours
    return _join(f"{','.join(b['days'])} {b['opens']}-{b['closes']}"
                 + (f" {b['note']}" if b.get("note") else "") for b in hours)


def row_from_plain(plain: dict) -> dict:
    area = plain["area"]
    return {
        **{k: plain.get(k) for k in COLUMNS if k in plain},
        "topics": _join(plain["topics"]),
        "area": area if isinstance(area, str) else _join(area),
        # ";" separates phones in the cell, so a note keeps its sense with "," instead.
        "phones": _join("|".join([p["number"], p["kind"], (p.get("note") or "").replace(";", ",")])
                        .rstrip("|") for p in plain["phones"]),
        "hours": _hours_cell(plain["hours"]),
        "closed_bank_holidays": "yes" if plain.get("closed_bank_holidays") else "no",
        "locations": _join("|".join([l.get("name") or "", l.get("address") or "",
                                     l.get("place") or "", l.get("postcode") or ""]).rstrip("|")
                           for l in plain["locations"]),
        "review": "yes" if plain.get("review") else "no",
    }


def write(plains: Iterable[dict], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for plain in plains:
        writer.writerow({k: ("" if v is None else v) for k, v in row_from_plain(plain).items()})
        count += 1
    return count


def _yes(cell: str) -> bool:
    return (cell or "").strip().lower() in ("yes", "y", "true", "1")


def phone_from_cell(part: str) -> dict:
    """One phone written `number|kind|note` (kind defaults to call)."""
    number, kind, note = (part.split("|") + ["", ""])[:3]
    return {"number": number.strip(), "kind": kind.strip() or "call", "note": note.strip() or None}


def hours_from_cell(cell: str) -> Any:
    cell = (cell or "").strip()
    if not cell:
        return None
    if cell.lower() in ("24/7", "24x7"):
        return "24/7"
    blocks = []
    for part in _split(cell):
        days, _, rest = part.partition(" ")
        times, _, note = rest.strip().partition(" ")
        opens, _, closes = times.partition("-")
        block = {"days": [d.strip() for d in days.split(",") if d.strip()],
                 "opens": opens, "closes": closes}
        if note.strip():
            block["note"] = note.strip()
        blocks.append(block)
    return blocks


def plain_from_row(row: dict) -> dict:
    """Our plain service dict from one CSV row (blank cells mean "none")."""
    get = lambda key: (row.get(key) or "").strip()  # noqa: E731
    area = get("area")
    phones = [phone_from_cell(part) for part in _split(get("phones"))]
    locations = []
    for part in _split(get("locations")):
        name, address, place, postcode = (part.split("|") + ["", "", ""])[:4]
        locations.append({"name": name.strip() or None, "address": address.strip() or None,
                          "place": place.strip() or None, "postcode": postcode.strip() or None})
    plain = {
        "id": get("id") or None,
        "organization": get("organization"),
        "name": get("name"),
        "description": get("description"),
        "status": get("status") or "active",
        "topics": _split(get("topics")),
        "area": NATIONAL if area.lower() == NATIONAL else _split(area),
        "phones": phones,
        "hours": hours_from_cell(get("hours")),
        "closed_bank_holidays": _yes(get("closed_bank_holidays")),
        "locations": locations,
        "source": get("source") or None,
        "verified": get("verified") or None,
        "verified_by": get("verified_by") or None,
        "review": _yes(get("review")),
    }
    for key in ("url", "email", "fees", "minimum_age", "maximum_age", "eligibility", "source_note"):
        plain[key] = get(key) or None
    return plain


def read(source: TextIO) -> list[dict]:
    reader = csv.DictReader(source)
    missing = {"name", "organization", "source"} - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"CSV is missing column(s): {', '.join(sorted(missing))}")
    return [plain_from_row(row) for row in reader]


def to_string(plains: Iterable[dict]) -> str:
    out = io.StringIO()
    write(plains, out)
    return out.getvalue()
