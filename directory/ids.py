"""ORUK ids are UUIDs. Our data files name things with readable slugs ("samaritans"); each slug
maps to the same UUID everywhere (uuid5), so seeding and re-importing stay idempotent."""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("6f1c1f0e-4c7e-5b6e-9a57-7369676e706f")  # fixed for this project


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def to_uuid(kind: str, value: str) -> str:
    """`value` if it is a UUID already, else the stable UUID for this kind of thing and slug."""
    value = str(value).strip()
    return value.lower() if is_uuid(value) else str(uuid.uuid5(NAMESPACE, f"{kind}/{value}"))
