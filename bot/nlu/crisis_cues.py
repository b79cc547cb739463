"""A deterministic check for crisis cues in a message: the safety net beside the classifier.

Pure Python (no Rasa), so the channel, the actions and the tests can all use the same check.
The cues are data (`crisis_cues.yml`); this module only normalises text and matches them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

DEFAULT_CUES = Path(__file__).with_name("crisis_cues.yml")


@dataclass(frozen=True)
class CrisisCue:
    """Which cue fired and the words that fired it."""

    cue: str
    matched: str


class CrisisCues:
    def __init__(
        self,
        cues: list[tuple[str, re.Pattern[str]]],
        expansions: dict[str, str],
        keywords: list[str],
        keyword_min_length: int,
        keyword_cutoff: float,
    ) -> None:
        self._cues = cues
        self._expansions = expansions
        # Longest phrases first so "my self" wins over "my".
        phrases = sorted(expansions, key=len, reverse=True)
        self._expansion_re = re.compile(
            r"(?<![\w'])(" + "|".join(re.escape(p) for p in phrases) + r")(?![\w'])"
        )
        self._keywords = keywords
        self._keyword_min_length = keyword_min_length
        self._keyword_cutoff = keyword_cutoff

    @classmethod
    def load(cls, path: Path | str = DEFAULT_CUES) -> "CrisisCues":
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        cues = [(c["id"], re.compile(c["pattern"])) for c in data["cues"]]
        fuzzy = data.get("fuzzy_keywords", {})
        return cls(
            cues=cues,
            expansions={str(k).lower(): str(v) for k, v in data.get("expansions", {}).items()},
            keywords=list(fuzzy.get("words", [])),
            keyword_min_length=int(fuzzy.get("min_length", 6)),
            keyword_cutoff=float(fuzzy.get("cutoff", 85)),
        )

    def normalise(self, text: str) -> str:
        text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
        # Keep letters, digits, apostrophes and slashes (o/d); everything else is a space.
        text = re.sub(r"[^\w'/]+", " ", text)
        text = re.sub(r"\s+", " ", text).strip()
        text = self._expansion_re.sub(lambda m: self._expansions[m.group(1)], text)
        return " ".join(self._correct(token) for token in text.split(" "))

    def _correct(self, token: str) -> str:
        if len(token) < self._keyword_min_length or token in self._keywords:
            return token
        match = process.extractOne(
            token, self._keywords, scorer=fuzz.ratio, score_cutoff=self._keyword_cutoff
        )
        return match[0] if match else token

    def check(self, text: str) -> CrisisCue | None:
        """The first cue found in `text`, or None."""
        if not text:
            return None
        normalised = self.normalise(text)
        for cue_id, pattern in self._cues:
            found = pattern.search(normalised)
            if found:
                return CrisisCue(cue=cue_id, matched=found.group(0))
        return None


@lru_cache(maxsize=4)
def load_default(path: str = str(DEFAULT_CUES)) -> CrisisCues:
    return CrisisCues.load(path)
