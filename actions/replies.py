"""Turn directory results into short, plain SMS text (GSM-7, at most 3 segments)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Optional

from directory import phones
from directory.search import Result
from sms.text import MAX_CHARS, first_sentence, shorten, to_gsm7

LIST_FOOTER = "Reply 1 to {n} for details, or MORE for others."
LIST_FOOTER_ONE = "Reply 1 for details."
CONTACT_WARNING = "This number may be out of date"
ACCESS_WORDS = {"drop_in": "You can just turn up.", "self_refer": "You can refer yourself.",
                "referral": "You need someone to refer you.",
                "appointment": "You need an appointment."}
DATED_NOTE = "Details may have changed, check before you go."


def web_address(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def how_to_contact(plain: dict) -> str:
    for phone in plain["phones"]:
        number = phones.display(phone["number"])
        note = (phone.get("note") or "").strip()
        if phone["kind"] == "text":
            word = re.search(r"text\s+(\w+)", note, re.IGNORECASE)
            return f"Text {word.group(1).upper()} to {number}" if word else f"Text {number}"
        if phone["kind"] == "whatsapp":
            return f"WhatsApp {number}"
        return f"Call {number}"
    if plain.get("url"):
        return f"See {web_address(plain['url'])}"
    if plain.get("email"):
        return f"Email {plain['email']}"
    for loc in plain["locations"]:
        where = ", ".join(x for x in (loc.get("address"), loc.get("place")) if x)
        if where:
            return f"Go to {where}"
    return ""


def opening(result: Result) -> str:
    line = result.status_line
    if line == "Hours not known":
        return ""
    return line.replace("Closed now. ", "")


def sentences(parts: Iterable[str]) -> str:
    """Join short parts as sentences: "A. B? C." (no doubled stops)."""
    out = []
    for part in parts:
        part = part.strip()
        if part:
            out.append(part if part[-1] in ".?!" else part + ".")
    return " ".join(out)


def short_description(text: str, limit: int = 60) -> str:
    """The description's first sentence, or its first clause, if it fits; else nothing.
    Never a phrase cut in the middle ("support for unpaid")."""
    sentence = first_sentence(text or "").strip()
    if len(sentence) <= limit:
        return sentence
    for mark in ("; ", ", ", " - ", ": "):
        cut = sentence[:limit + 1].rfind(mark)
        if cut >= 15:
            return sentence[:cut]
    return ""


def distance_words(result: Result, plain: dict) -> str:
    """"In Halifax" when it is close, else "About 3 miles away"; never "0.0 miles"."""
    if result.distance_miles is None:
        return ""
    if result.distance_miles < 1:
        towns = [loc.get("place") for loc in plain.get("locations") or [] if loc.get("place")]
        return f"In {towns[0]}" if towns else "Under a mile away"
    rounded = round(result.distance_miles)
    return f"About {rounded} mile{'s' if rounded != 1 else ''} away"


def summary_line(number: int, result: Result, plain: dict, with_description: bool = True,
                 label: str = "") -> str:
    head = f"{number} {label}{plain['name']}"
    short = short_description(plain.get("description") or "") if with_description else ""
    if short:
        head += ": " + short
    warning = CONTACT_WARNING if plain.get("contact_may_be_out_of_date") else ""
    return sentences([head, how_to_contact(plain), warning, opening(result),
                      distance_words(result, plain)])


@dataclass
class Listing:
    text: str
    shown: list[str]  # ids of the services in the text, in their numbers


def service_list(intro: str, results: list[Result], outro: str = "",
                 footer: bool = True, labels: Optional[dict[str, str]] = None) -> Listing:
    """Intro, numbered services, outro and a footer, cut down until it fits 3 SMS segments
    (descriptions go first, then services from the end). `labels` prefix a service's name
    ("Your Community Anchor: ")."""
    labels = labels or {}
    plains = [r.as_dict() for r in results]
    for with_description in (True, False):
        for count in range(len(results), -1, -1):
            foot = ""
            if footer and count:
                foot = LIST_FOOTER_ONE if count == 1 else LIST_FOOTER.format(n=count)
            lines = [intro] + [summary_line(i + 1, results[i], plains[i], with_description,
                                            labels.get(results[i].id, ""))
                               for i in range(count)] + [outro, foot]
            text = to_gsm7("\n".join(line for line in lines if line))
            if len(text) <= MAX_CHARS:
                return Listing(text, [r.id for r in results[:count]])
    return Listing(to_gsm7(shorten(intro, MAX_CHARS)), [])


DAY_NAMES = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat",
             "SU": "Sun"}
ORDER = list(DAY_NAMES)


def _days(codes: list[str]) -> str:
    codes = sorted(codes, key=ORDER.index)
    indexes = [ORDER.index(c) for c in codes]
    if len(codes) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{DAY_NAMES[codes[0]]} to {DAY_NAMES[codes[-1]]}"
    return ", ".join(DAY_NAMES[c] for c in codes)


def hours_text(hours: Any) -> str:
    """"Open 24/7" or "Mon to Fri 9am to 5pm; Sat 9am to 2pm"."""
    from datetime import time as dtime

    from directory.hours import format_time

    if not hours:
        return ""
    if isinstance(hours, str):
        return "Open 24/7" if hours == "24/7" else hours
    parts = []
    for block in hours:
        opens = format_time(dtime.fromisoformat(block["opens"]))
        closes = format_time(dtime.fromisoformat(block["closes"]))
        where = f" ({block['note']})" if block.get("note") else ""
        parts.append(f"{_days(block['days'])} {opens} to {closes}{where}")
    return "; ".join(parts)


def service_details(plain: dict, status: Optional[str] = None) -> str:
    """Everything a resident needs about one service (may run past 3 segments: they asked)."""
    lines = [plain["name"]]
    if plain.get("description"):
        lines.append(plain["description"])
    for phone in plain["phones"]:
        number = phones.display(phone["number"])
        verb = {"text": "Text", "whatsapp": "WhatsApp"}.get(phone["kind"], "Call")
        note = phone.get("note")
        if phone["kind"] == "text" and note and note.lower().startswith("text "):
            lines.append(f"Text {note[5:].upper()} to {number}.")
        else:
            lines.append(f"{verb} {number}" + (f" ({note})." if note else "."))
    if plain["phones"] and plain.get("contact_may_be_out_of_date"):
        lines.append(CONTACT_WARNING + ".")
    if plain.get("url"):
        lines.append(f"Web: {web_address(plain['url'])}")
    if plain.get("email"):
        lines.append(f"Email: {plain['email']}")
    for loc in plain["locations"]:
        where = ", ".join(x for x in (loc.get("name"), loc.get("address"), loc.get("place"),
                                      loc.get("postcode")) if x)
        if where:
            lines.append(f"At: {where}")
    opening_hours = hours_text(plain.get("hours"))
    if opening_hours:
        lines.append(f"Hours: {opening_hours}.")
    if status and status != "Hours not known":
        lines.append(status + ".")
    if plain.get("access") in ACCESS_WORDS:
        lines.append(ACCESS_WORDS[plain["access"]])
    if plain.get("eligibility"):
        lines.append(f"Who: {plain['eligibility']}")
    if plain.get("fees"):
        lines.append(f"Cost: {plain['fees']}")
    lines.append(freshness(plain))
    return to_gsm7("\n".join(lines))


def freshness(plain: dict) -> str:
    """When the facts were last confirmed at their source; a dated or second-hand entry says
    to check before going."""
    confirmed = datetime.fromisoformat(plain["verified"])
    if plain.get("review"):
        return f"Source dated {confirmed:%b %Y}. {DATED_NOTE}"
    return f"Source checked {confirmed:%d %b %Y}."


def joined(parts: Iterable[str]) -> str:
    return to_gsm7(" ".join(p for p in parts if p))
