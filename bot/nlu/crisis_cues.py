"""A deterministic check for crisis cues in a message: the safety net beside the classifier.

Pure Python (no Rasa), so the channel, the actions and the tests can all use the same check.
The cues are data (`crisis_cues.yml`); this module only normalises text and matches them.

Crisis cues in the other languages most spoken locally are data too
(`crisis_cues_languages.yml`). They are matched after the English cues, over their own
normalisation (`normalise_languages`): Unicode NFKC, lower case, spellings that differ only by
keyboard folded together (Arabic/Persian/Urdu yeh, kaf and heh, hamza seats, harakat, zero-width
joiners, Indic nuktas), everything that is not a letter, mark or digit made a space. Each pattern
is tried on that text and on a copy with Latin diacritics stripped ("chcę się zabić" and
"chce sie zabic" alike). The English cues and their normalisation are unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.nlu.english_words import everyday_correction, is_english_word
from directory.gazetteer import place_words

# A short token used fewer times than this may be a slip ("dir" for "die"): safety first.
SHORT_WORD_RARE = 1000

DEFAULT_CUES = Path(__file__).with_name("crisis_cues.yml")
DEFAULT_LANGUAGE_CUES = Path(__file__).with_name("crisis_cues_languages.yml")
NEED_WORDS = Path(__file__).with_name("need_words.yml")

# Letters that the same word is typed with on different keyboards (Arabic, Persian, Urdu,
# Kurdish), folded to one; marks that are optional in writing, dropped.
_FOLD = str.maketrans({
    "\u064a": "\u06cc", "\u0649": "\u06cc", "\u06d2": "\u06cc", "\u06d3": "\u06cc",
    "\u0626": "\u06cc", "\u06ce": "\u06cc",                      # yeh, alef maksura, yeh barree
    "\u0643": "\u06a9",                                                # kaf
    "\u06c1": "\u0647", "\u06c2": "\u0647", "\u06c0": "\u0647", "\u06d5": "\u0647",
    "\u0629": "\u0647", "\u06be": "\u0647",                      # heh, teh marbuta, ae
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
    "\u0624": "\u0648", "\u06c6": "\u0648",                      # alef and waw seats, o
    "\u0695": "\u0631", "\u06b5": "\u0644",                      # Kurdish rr, ll
    "\u0640": None, "\u200c": None, "\u200d": None, "\u200b": None, "\u00ad": None,
    "\u0670": None,                                                    # tatweel, ZWNJ/ZWJ
    "\u0a3c": None, "\u09bc": None, "\u0abc": None, "\u093c": None,  # nuktas
    "\u0a70": "\u0a02",                                                # Gurmukhi tippi: bindi
    **{chr(c): None for c in range(0x064B, 0x0660)},                    # harakat
    **{chr(c): None for c in range(0x06D6, 0x06EE)},                    # Quranic marks
})
# Latin letters NFD does not take apart.
_LATIN_PLAIN = str.maketrans({"\u0142": "l", "\u0111": "d", "\u00f8": "o", "\u0131": "i",
                              "\u00df": "ss", "\u0127": "h"})
# In the language patterns `\b`, `\w` and `\W` are about the normalised text, where words are
# runs of letters, marks and digits between single spaces (Python's own `\w` leaves out the
# vowel signs of Indic scripts, so `\b` would cut their words in two).
_PATTERN_TERMS = {r"\b": r"(?:(?<!\S)|(?!\S))", r"\w": r"\S", r"\W": r"\s"}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


def strip_diacritics(text: str) -> str:
    """Latin letters without their accents ("zabić" -> "zabic", "ł" -> "l"); other scripts as
    they are (their vowel signs are letters, not accents)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LATIN_PLAIN))
    kept = "".join(c for c in decomposed if not 0x0300 <= ord(c) <= 0x036F)
    return unicodedata.normalize("NFC", kept)


def _language_pattern(pattern: str) -> str:
    return re.sub(r"\\[bwW]", lambda m: _PATTERN_TERMS[m.group(0)], _fold(pattern))


@dataclass(frozen=True)
class CrisisCue:
    """Which cue fired and the words that fired it."""

    cue: str
    matched: str
    language: str | None = None  # the language code of a cue from crisis_cues_languages.yml


class CrisisCues:
    def __init__(
        self,
        cues: list[tuple[str, re.Pattern[str]]],
        expansions: dict[str, str],
        keywords: list[str],
        keyword_min_length: int,
        keyword_cutoff: float,
        language_cues: list[tuple[str, str, re.Pattern[str], re.Pattern[str]]] | None = None,
        short_keywords: list[str] | None = None,
        not_crisis: list[str] | None = None,
        keep_as_written: list[str] | None = None,
    ) -> None:
        self._cues = cues
        # (cue id, language code, pattern, the pattern without Latin diacritics)
        self._language_cues = language_cues or []
        self._expansions = expansions
        # Longest phrases first so "my self" wins over "my".
        phrases = sorted(expansions, key=len, reverse=True)
        self._expansion_re = re.compile(
            r"(?<![\w'])(" + "|".join(re.escape(p) for p in phrases) + r")(?![\w'])"
        )
        self._keywords = keywords
        self._keyword_min_length = keyword_min_length
        self._keyword_cutoff = keyword_cutoff
        # Text-speak long enough to correct towards ("unalivinh" is "unaliving"); never "kms"
        # or "od", which ordinary short words are one slip from ("sms", "ocd").
        self._long_slang = [w for w in expansions if " " not in w and len(w) >= 5 and w.isalpha()]
        # Short key words ("die", "hurt") corrected from one slip ("dir", "hirt").
        self._short_keywords = short_keywords or []
        # Dialect and slang that a spelling checker would "put right" ("owt" is not "out").
        self._keep = set(keep_as_written or [])
        # Figures of speech removed before matching ("killing myself laughing").
        self._not_crisis = [re.compile(p) for p in (not_crisis or [])]

    @classmethod
    def load(cls, path: Path | str = DEFAULT_CUES,
             languages_path: Path | str | None = DEFAULT_LANGUAGE_CUES) -> "CrisisCues":
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        cues = [(c["id"], re.compile(c["pattern"])) for c in data["cues"]]
        fuzzy = data.get("fuzzy_keywords", {})
        return cls(
            cues=cues,
            expansions={str(k).lower(): str(v) for k, v in data.get("expansions", {}).items()},
            keywords=list(fuzzy.get("words", [])),
            keyword_min_length=int(fuzzy.get("min_length", 6)),
            keyword_cutoff=float(fuzzy.get("cutoff", 85)),
            language_cues=load_language_cues(languages_path) if languages_path else [],
            short_keywords=list(fuzzy.get("short_words", [])),
            not_crisis=list(data.get("not_crisis", [])),
            keep_as_written=[*fuzzy.get("keep_as_written", []), *_words_of(data), *place_words(),
                             *_need_words()],
        )

    def normalise(self, text: str, figure: str | None = " ") -> str:
        """The text the cues read; each figure of speech becomes `figure` (a space: gone;
        None: figures kept as they are)."""
        text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
        # Keep letters, digits, apostrophes and slashes (o/d); everything else is a space.
        text = re.sub(r"[^\w'/]+", " ", text)
        text = re.sub(r"\s+", " ", text).strip()
        text = self._expansion_re.sub(lambda m: self._expansions[m.group(1)], text)
        text = " ".join(self._correct(token) for token in text.split(" "))
        if figure is None:
            return text
        for pattern in self._not_crisis:
            text = pattern.sub(figure, text)
        return text

    def only_in_figure(self, text: str, phrase: str) -> bool:
        """True when `phrase` is in `text` only inside a figure of speech ("the crisis cafe's
        times, for our newsletter"), so it asks for nothing now."""
        if not phrase.strip():
            return False
        words = f" {self.normalise(phrase, None)} "
        return (words in f" {self.normalise(text, None)} "
                and words not in f" {self.normalise(text)} ")

    @staticmethod
    def normalise_languages(text: str) -> str:
        """The text the language cues are matched over (see the module docstring)."""
        text = _fold(text).lower()
        text = "".join(c if unicodedata.category(c)[0] in "LMN" else " " for c in text)
        return " ".join(text.split())

    def _correct(self, token: str) -> str:
        """A misspelt key word made right ("sucidal", "hurtng", "dir"), else a slipped everyday
        word ("thhe", "somone"), so a cue's phrase still reads; never a real word."""
        if token in self._keywords or token in self._short_keywords or not token.isalpha() \
                or token in self._keep:
            return token
        if len(token) < self._keyword_min_length:
            if len(token) < 3 or is_english_word(token, SHORT_WORD_RARE):
                return token
            near = [w for w in self._short_keywords + self._keywords + self._long_slang
                    if abs(len(w) - len(token)) <= 1 and OSA.distance(w, token) <= 1]
            # The first listed wins ("lige" is "life" before "live"): either reads as risk.
            return self._expansions.get(near[0], near[0]) if near else self._everyday(token)
        if is_english_word(token):
            return token
        match = process.extractOne(
            token, self._keywords + self._long_slang, scorer=fuzz.ratio,
            score_cutoff=self._keyword_cutoff
        )
        return self._expansions.get(match[0], match[0]) if match else self._everyday(token)

    def _everyday(self, token: str) -> str:
        if token in self._expansions or is_english_word(token):  # kept words never get here
            return token
        return everyday_correction(token) or token

    def check(self, text: str) -> CrisisCue | None:
        """The first cue found in `text`, or None."""
        if not text:
            return None
        normalised = self.normalise(text)
        for cue_id, pattern in self._cues:
            found = pattern.search(normalised)
            if found:
                return CrisisCue(cue=cue_id, matched=found.group(0))
        if not self._language_cues:
            return None
        native = self.normalise_languages(text)
        plain = strip_diacritics(native)
        for cue_id, code, pattern, plain_pattern in self._language_cues:
            found = pattern.search(native) or plain_pattern.search(plain)
            if found:
                return CrisisCue(cue=cue_id, matched=found.group(0), language=code)
        return None


def _words_of(data: dict) -> set[str]:
    """Every word the cues and figures are written with: never "put right" into another."""
    patterns = [c["pattern"] for c in data["cues"]] + list(data.get("not_crisis", []))
    return {w for p in patterns for w in re.findall(r"[a-z]{3,}", p)}


def _need_words(path: Path = NEED_WORDS) -> set[str]:
    """Every word a need is named with ("vaping", "aaa", "noone"): never "put right" into a
    crisis word ("raping", "noose") or another word, so the need finder reads it too."""
    needs = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("needs", {})
    return {w for need in needs.values() for phrase in need.get("words", [])
            for w in re.findall(r"[a-z]{3,}", str(phrase).lower())}


def load_language_cues(path: Path | str = DEFAULT_LANGUAGE_CUES
                       ) -> list[tuple[str, str, re.Pattern[str], re.Pattern[str]]]:
    """Every pattern of `crisis_cues_languages.yml` as (`<language id>.<cue id>`, code,
    pattern, pattern without Latin diacritics)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    cues = []
    for language in data.get("languages", []):
        for cue in language.get("patterns", []):
            pattern = _language_pattern(cue["pattern"])
            cues.append((f"{language['id']}.{cue['id']}", language["code"],
                         re.compile(pattern), re.compile(strip_diacritics(pattern))))
    return cues


@lru_cache(maxsize=4)
def load_default(path: str = str(DEFAULT_CUES)) -> CrisisCues:
    return CrisisCues.load(path)
