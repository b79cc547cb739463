"""UK phone numbers: checked and stored in E.164, shown the way people in the UK write them.

Short codes (999, 111, 116 123, the text number 85258) are not E.164 numbers; they are checked
as UK short numbers and stored as dialled.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneNumberFormat, shortnumberinfo

REGION = "GB"
# Real feeds wrap numbers in words: "Call 0800 123 4567 (free)", "Tel: 01422 392767 option 2".
NUMBER_RUN = re.compile(r"\+?\(?\d[\d\s().-]{1,20}\d")


class InvalidPhone(ValueError):
    pass


def normalise(text: str) -> str:
    """The stored form of a UK number written any usual way; raises InvalidPhone otherwise."""
    candidates = NUMBER_RUN.findall(text or "")
    if not candidates:
        raise InvalidPhone(f"no phone number in {text!r}")
    raw = max(candidates, key=len)
    digits = re.sub(r"[^\d+]", "", raw)
    if len(digits) <= 6 and not digits.startswith("+"):
        parsed = phonenumbers.parse(digits, REGION)
        if shortnumberinfo.is_valid_short_number_for_region(parsed, REGION):
            return digits
        raise InvalidPhone(f"{raw.strip()!r} is not a UK short number")
    try:
        parsed = phonenumbers.parse(digits, REGION)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone(f"{raw.strip()!r}: {error}") from error
    if not phonenumbers.is_valid_number(parsed) or parsed.country_code != 44:
        raise InvalidPhone(f"{raw.strip()!r} is not a valid UK number")
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


def is_short(stored: str) -> bool:
    return not stored.startswith("+")


def is_valid(stored: str) -> bool:
    """True if a stored number is a valid UK number or UK short number."""
    try:
        parsed = phonenumbers.parse(stored, REGION)
    except phonenumbers.NumberParseException:
        return False
    if is_short(stored):
        return shortnumberinfo.is_valid_short_number_for_region(parsed, REGION)
    return phonenumbers.is_valid_number(parsed) and parsed.country_code == 44


def display(stored: str) -> str:
    """UK format: "0800 068 4141", "01422 392767", "116 123", "999"."""
    if is_short(stored):
        return f"{stored[:3]} {stored[3:]}" if len(stored) == 6 else stored
    parsed = phonenumbers.parse(stored, REGION)
    return phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)
