"""The seed data files and the source excerpts behind every fact in them.

`directory/data/seed.yml` and `directory/data/services/*.yml` hold services; each names the
sources (`directory/data/sources/*.yml`) whose stored excerpts hold its contact details. The seed
load and `tests/directory/test_sources.py` both use `problems()` so a fact that is not in its
source is refused the same way everywhere. See `directory/data/SOURCES.md`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Optional

import yaml

DATA = Path(__file__).resolve().parent / "data"
SEED_FILE = DATA / "seed.yml"
SERVICES_DIR = DATA / "services"
SOURCES_DIR = DATA / "sources"
SOURCE_KINDS = ("own_site", "second_hand", "dated")
ACCESS_KINDS = ("drop_in", "self_refer", "referral", "appointment")
FRESH_FROM = date(2025, 1, 1)  # an own-site page dated before this counts as dated


@dataclass(frozen=True)
class Source:
    id: str
    url: str
    read: date
    kind: str
    excerpt: str
    published: Optional[date] = None

    @property
    def trusted(self) -> bool:
        """An organisation's own, current page: its facts need no review to start with."""
        return self.kind == "own_site" and (self.published is None or self.published >= FRESH_FROM)


@dataclass
class SeedData:
    organizations: list[dict]
    services: list[dict]
    sources: dict[str, Source]
    defaults: dict


def _as_date(value: Any) -> Optional[date]:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value)
    if re.fullmatch(r"\d{4}", text):
        text += "-01-01"
    elif re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    return date.fromisoformat(text[:10])


def load_sources(folder: Path = SOURCES_DIR) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for source_id, entry in (data.get("sources") or {}).items():
            if source_id in sources:
                raise ValueError(f"source id {source_id!r} is in two files ({path.name})")
            sources[source_id] = Source(
                id=source_id, url=str(entry["url"]), read=_as_date(entry["read"]),
                kind=str(entry["kind"]), excerpt=str(entry["excerpt"]),
                published=_as_date(entry.get("published")))
    return sources


def load_seed(seed_file: Path = SEED_FILE, services_dir: Path = SERVICES_DIR,
              sources_dir: Path = SOURCES_DIR) -> SeedData:
    """Every data file merged: organisations and services in file order, ids unique."""
    first = yaml.safe_load(seed_file.read_text(encoding="utf-8"))
    defaults = {"verified": first.get("verified"), "verified_by": first.get("verified_by")}
    organizations: dict[str, dict] = {}
    services: dict[str, dict] = {}
    files = [seed_file, *sorted(services_dir.glob("*.yml"))]
    for path in files:
        data = first if path == seed_file else yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for org in data.get("organizations") or []:
            if org["id"] in organizations and organizations[org["id"]] != org:
                raise ValueError(f"organisation {org['id']!r} is defined twice, differently "
                                 f"({path.name})")
            organizations[org["id"]] = org
        for service in data.get("services") or []:
            if service["id"] in services:
                raise ValueError(f"service id {service['id']!r} is used twice ({path.name})")
            services[service["id"]] = {**service, "_file": path.name}
    return SeedData(list(organizations.values()), list(services.values()),
                    load_sources(sources_dir), defaults)


# -- checking a service against its excerpts --------------------------------------------------
def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _bare_url(url: str) -> str:
    return re.sub(r"^(https?://)?(www\.)?", "", url.strip().lower()).rstrip("/")


def time_spellings(value: str) -> set[str]:
    """Ways a page may print an opening time such as 13:30 ("1.30pm", "13:30", ...)."""
    hours, minutes = (int(part) for part in str(value).split(":"))
    twelve = hours % 12 or 12
    half = "am" if hours < 12 else "pm"
    out = {f"{hours:02d}:{minutes:02d}", f"{hours}:{minutes:02d}", f"{hours:02d}.{minutes:02d}",
           f"{hours}.{minutes:02d}", f"{hours:02d}{minutes:02d}"}
    for sep in (".", ":"):
        for space in ("", " "):
            out.add(f"{twelve}{sep}{minutes:02d}{space}{half}")
    if minutes == 0:
        out |= {f"{twelve}{half}", f"{twelve} {half}"}
    if (hours, minutes) == (12, 0):
        out |= {"noon", "midday", "12 noon"}
    if (hours, minutes) == (0, 0):
        out |= {"midnight", "12am", "12 am", "24:00"}
    return out


def _contains_time(text: str, value: str) -> bool:
    low = text.lower()
    for spelling in time_spellings(value):
        if re.search(rf"(?<![\d.:]){re.escape(spelling)}(?![\d])", low):
            return True
    return False


def reachable(service: dict) -> bool:
    """A resident can act on it: a phone, web address or email, or an address with hours."""
    if service.get("phones") or service.get("url") or service.get("email"):
        return True
    has_address = any(loc.get("address") or loc.get("postcode")
                      for loc in service.get("locations") or [])
    return has_address and bool(service.get("hours"))


def problems(service: dict, sources: dict[str, Source]) -> list[str]:
    """What in this service is not backed by its sources (empty when all is well)."""
    found: list[str] = []
    ids = service.get("sources") or []
    missing = [s for s in ids if s not in sources]
    if not ids:
        return ["names no sources"]
    if missing:
        return [f"names unknown source(s) {', '.join(missing)}"]
    used = [sources[s] for s in ids]
    text = "\n".join(s.excerpt for s in used)
    squashed = _squash(text)

    def need(value: Any, what: str) -> None:
        if value in (None, ""):
            return
        if _squash(str(value)) not in squashed:
            found.append(f"{what} {value!r} is not in its source excerpt")

    for phone in service.get("phones") or []:
        need(phone["number"] if isinstance(phone, dict) else phone, "phone")
        if isinstance(phone, dict) and ";" in (phone.get("note") or ""):
            found.append(f"phone note {phone['note']!r}: use ',' (';' separates phones in CSV)")
    need(service.get("email"), "email")
    for loc in service.get("locations") or []:
        need(loc.get("address"), "address")
        need(loc.get("postcode"), "postcode")
    need(service.get("access_text"), "access note")
    if service.get("access") and service["access"] not in ACCESS_KINDS:
        found.append(f"access {service['access']!r}: use one of {', '.join(ACCESS_KINDS)}")
    if service.get("access") and not service.get("access_text"):
        found.append("an access note needs the source's words (access_text)")
    url = service.get("url")
    if url and _bare_url(url) not in _bare_url_text(text):
        found.append(f"web address {url!r} is not in its source excerpt")
    hours = service.get("hours")
    if isinstance(hours, list) and hours:
        hours_text = service.get("hours_text")
        if not hours_text:
            found.append("opening hours need the source's words (hours_text)")
        else:
            need(hours_text, "hours_text")
            for block in hours:
                for key in ("opens", "closes"):
                    if not _contains_time(hours_text, str(block[key])):
                        found.append(f"{key} {block[key]} is not in hours_text {hours_text!r}")
    elif hours == "24/7":
        if not re.search(r"24/7|24 hours|24-hour|round the clock|24/7|24 hours a day",
                         text, re.IGNORECASE):
            found.append("24/7 is not in its source excerpt")
    for key in ("minimum_age", "maximum_age"):
        value = service.get(key)
        if value is not None and not re.search(rf"(?<!\d){int(value)}(?!\d)", text):
            found.append(f"{key} {value} is not in its source excerpt")
    if any(not s.trusted for s in used) and not service.get("review"):
        found.append("a dated or second-hand source: the service must start review: true")
    return found


def _bare_url_text(text: str) -> str:
    return re.sub(r"(https?://)?(www\.)?", "", text.lower())


def confirmed_on(service: dict, sources: dict[str, Source]) -> Optional[date]:
    """When the facts were last confirmed at the source: the oldest date among its sources.

    A dated page counts from when it was written; an own-site page from when it was read.
    """
    dates = []
    for source_id in service.get("sources") or []:
        source = sources.get(source_id)
        if source is None:
            continue
        dates.append(source.published if source.published and not source.trusted
                     else source.read)
    return min(dates) if dates else None


def unsourced(services: Iterable[dict], sources: dict[str, Source]) -> dict[str, list[str]]:
    return {s["id"]: found for s in services if (found := problems(s, sources))}
