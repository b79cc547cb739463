"""GSM-7: the plain SMS alphabet. Text outside it is sent as UCS-2, which cuts a segment to 70 characters."""

from __future__ import annotations

# GSM 03.38 basic character set and its extension table (each extension character costs two).
BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = "^{}\\[~]|€\f"
BASIC_SET = frozenset(BASIC)
EXTENSION_SET = frozenset(EXTENSION)
SINGLE_SEGMENT = 160
MULTI_SEGMENT = 153  # each part of a long message loses 7 characters to the join header


def non_gsm_characters(text: str) -> list[str]:
    """The characters in `text` that GSM-7 cannot carry, in order, without repeats."""
    return list(dict.fromkeys(c for c in text if c not in BASIC_SET and c not in EXTENSION_SET))


def is_gsm7(text: str) -> bool:
    return not non_gsm_characters(text)


def septets(text: str) -> int:
    """Length in GSM-7 units: extension characters count twice."""
    return sum(2 if c in EXTENSION_SET else 1 for c in text)


def segments(text: str) -> int:
    """How many SMS segments `text` costs (GSM-7 if it fits, else UCS-2)."""
    if not text:
        return 1
    if is_gsm7(text):
        length, single, multi = septets(text), SINGLE_SEGMENT, MULTI_SEGMENT
    else:
        length, single, multi = len(text.encode("utf-16-le")) // 2, 70, 67
    return 1 if length <= single else -(-length // multi)
