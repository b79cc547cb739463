"""Is a token an English word? A real word is never "corrected" into a need or crisis word
("lovely" is not "lonely", "filling" is not "killing"). Word frequencies from pyspellchecker."""

from __future__ import annotations

from functools import lru_cache

RARE_WORD = 50  # pyspellchecker frequency below which a token may be a typo


@lru_cache(maxsize=1)
def _frequencies():
    from spellchecker import SpellChecker

    return SpellChecker(distance=1).word_frequency


def is_english_word(token: str, rare: int = RARE_WORD) -> bool:
    """Used at least `rare` times in the frequency list. The crisis net asks for a higher bar,
    so a rare word one slip from a crisis word ("dir") is read as that word."""
    return _frequencies()[token] >= rare
