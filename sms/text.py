"""Make any text safe and cheap for SMS: plain GSM-7, no curly quotes, dashes or emoji."""

from __future__ import annotations

import re
import unicodedata

from sms.gsm7 import BASIC_SET, EXTENSION_SET

MAX_SEGMENTS = 3
MAX_CHARS = 459  # 3 segments of 153

_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
    "\u2022": "-", "\u00b7": "-", "\t": " ",
}


def to_gsm7(text: str) -> str:
    """The nearest GSM-7 text: smart punctuation made plain, accents dropped where GSM-7 lacks
    them, anything else (emoji, other scripts) removed; spaces tidied."""
    out = []
    for char in text:
        char = _REPLACEMENTS.get(char, char)
        if all(c in BASIC_SET or c in EXTENSION_SET for c in char):
            out.append(char)
            continue
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append("".join(c for c in plain if c in BASIC_SET))
    cleaned = "".join(out)
    cleaned = re.sub(r"[ ]{2,}", " ", cleaned)
    cleaned = re.sub(r" +([.,;:!?])", r"\1", cleaned)
    return "\n".join(line.strip() for line in cleaned.split("\n")).strip()


DANGLING = {"and", "or", "the", "a", "an", "at", "in", "on", "of", "for", "with", "to", "by",
            "from", "your", "their", "our", "if", "who", "that", "is", "are"}


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary to at most `limit` characters, never ending on "and", "the"...
    (no ellipsis character: it is not GSM-7)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    words = text[: limit + 1].split(" ")[:-1] or [text[:limit]]
    while len(words) > 1 and words[-1].lower().strip(",;:-") in DANGLING:
        words.pop()
    cut = " ".join(words).rstrip(",;:-")
    clause = cut.rfind(", ")
    if clause >= 20:  # end at a clause rather than mid-phrase
        cut = cut[:clause]
    return cut


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip())
    return (match.group(1) if match else text.strip()).rstrip(".")
