"""Is a token an English word? A real word is never "corrected" into a need or crisis word
("lovely" is not "lonely", "filling" is not "killing"). Word frequencies from pyspellchecker."""

from __future__ import annotations

from functools import lru_cache

RARE_WORD = 50  # pyspellchecker frequency below which a token may be a typo
COMMON_WORD = 1000  # a slipped word is put right only into a word at least this common


def _frequencies():
    return _checker().word_frequency


def is_english_word(token: str, rare: int = RARE_WORD) -> bool:
    """Used at least `rare` times in the frequency list. The crisis net asks for a higher bar,
    so a rare word one slip from a crisis word ("dir") is read as that word."""
    return _frequencies()[token] >= rare


@lru_cache(maxsize=50_000)
def everyday_correction(token: str) -> str | None:
    """The common English word one slip from `token` ("thhe" -> "the", "somone" -> "someone",
    "nght" -> "night"), by pyspellchecker's frequencies; None if there is none."""
    found = _checker().correction(token)
    return found if found and found != token and _frequencies()[found] >= COMMON_WORD else None


@lru_cache(maxsize=1)
def _checker():
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)
