"""Keyed pseudonyms for phone numbers: the only form of a resident's number the assistant keeps."""

from __future__ import annotations

import hashlib
import hmac
import re


def channel_of(address: str) -> str:
    """"whatsapp" for "whatsapp:+447..." addresses, else "sms"."""
    return "whatsapp" if address.strip().lower().startswith("whatsapp:") else "sms"


def bare_number(address: str) -> str:
    """"+447700900123" from "whatsapp:+44 7700 900123" and the like."""
    return re.sub(r"[^\d+]", "", address.split(":", 1)[-1])


def pseudonym(address: str, secret: str) -> str:
    """HMAC-SHA256 of the bare number: the same person on SMS and WhatsApp is one conversation,
    and without the secret the pseudonym cannot be turned back into a number."""
    if not secret:
        raise ValueError("a pseudonym needs a secret key")
    digest = hmac.new(secret.encode(), bare_number(address).encode(), hashlib.sha256).hexdigest()
    return f"p-{digest[:40]}"
