"""The resident's need(s) in a text, from the word list in `need_words.yml`.

Pure Python (no Rasa), so the NLU component, the actions, the benchmark and the tests share it.
Words match as whole words, never inside other words ("heat" is not in "wheat", "house" is not
in "Brighouse"); a word that is not an English word may be one typo away from a need word
("lonley", "homeles"). Needs come in the order the text names them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import yaml
from rapidfuzz.distance import OSA

from bot.nlu.crisis_cues import load_default as load_crisis_cues
from bot.nlu.english_words import is_english_word

DEFAULT_WORDS = Path(__file__).with_name("need_words.yml")
FUZZY_MIN_LENGTH = 5


@dataclass(frozen=True)
class Need:
    code: str
    topic: str
    matched: str
    start: int
    weak: bool = False


def _pattern(phrase: str) -> str:
    words = phrase.lower().split()
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    return r"(?<![\w'])" + r"\s+".join(parts) + r"(?![\w'])"


class NeedFinder:
    def __init__(self, needs: dict[str, dict], asks: dict[str, list[str]],
                 not_needs: Iterable[str]) -> None:
        self._topics = {code: spec["topic"] for code, spec in needs.items()}
        self._generic = {code for code, spec in needs.items() if spec.get("generic")}
        self._patterns = [(code, re.compile(_pattern(w.lstrip("~"))), w.startswith("~"))
                          for code, spec in needs.items() for w in spec["words"]]
        self._asks = [(code, re.compile(_pattern(w))) for code, words in asks.items() for w in words]
        self._not_needs = [re.compile(_pattern(p)) for p in not_needs]
        # Single words (or a stem before *) long enough to correct a typo towards.
        self._fuzzy = {w.lower(): code for code, spec in needs.items() for w in spec["words"]
                       if " " not in w and not w.startswith("~")
                       and len(w.rstrip("*")) >= FUZZY_MIN_LENGTH}

    @classmethod
    def load(cls, path: Path | str = DEFAULT_WORDS) -> "NeedFinder":
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return cls(data["needs"], data.get("asks", {}), data.get("not_needs", []))

    @property
    def codes(self) -> list[str]:
        return list(self._topics)

    def topic_of(self, code: str) -> Optional[str]:
        return self._topics.get(code)

    def normalise(self, text: str) -> str:
        text = load_crisis_cues().normalise(text)  # lower case, text-speak expanded
        for pattern in self._not_needs:
            text = pattern.sub(" ", text)
        return text

    def find(self, text: str) -> list[Need]:
        """Each need named in the text, once, in the order the text names them."""
        normalised = self.normalise(text or "")
        best: dict[str, Need] = {}

        def keep(need: Need) -> None:
            old = best.get(need.code)
            if old is None or (old.weak, old.start, -len(old.matched)) > \
                    (need.weak, need.start, -len(need.matched)):
                best[need.code] = need

        for code, pattern, weak in self._patterns:
            found = pattern.search(normalised)
            if found:
                keep(Need(code, self._topics[code], found.group(0), found.start(), weak))
        for match in re.finditer(r"[a-z]+", normalised):
            token = match.group(0)
            if len(token) < FUZZY_MIN_LENGTH or self._is_word(token) or token in place_words():
                continue  # "honley" is a village, not a typo of "lonely"
            code = self._typo_of(token)
            if code:
                keep(Need(code, self._topics[code], token, match.start()))
        # Earliest first; of two at the same word, the longer phrase ("smoking weed").
        return sorted(best.values(), key=lambda n: (n.weak, n.code in self._generic, n.start,
                                                    -len(n.matched)))

    def _typo_of(self, token: str) -> Optional[str]:
        for word, code in self._fuzzy.items():
            if word.endswith("*"):
                stem = word[:-1]
                heads = {token[:n] for n in (len(stem) - 1, len(stem), len(stem) + 1)}
                if any(len(h) >= FUZZY_MIN_LENGTH and OSA.distance(h, stem) <= 1
                       for h in heads):
                    return code
            elif abs(len(word) - len(token)) <= 1 and OSA.distance(token, word) <= 1:
                return code
        return None

    def asks(self, text: str) -> list[str]:
        """Questions about services already listed: open_now, cost, directions, phone, nearer."""
        normalised = self.normalise(text or "")
        return list(dict.fromkeys(code for code, pattern in self._asks if pattern.search(normalised)))

    @staticmethod
    def _is_word(token: str) -> bool:
        return is_english_word(token)


def ordered(needs: list[Need], intent: Optional[str]) -> list[Need]:
    """The needs the classifier's topic answers first, then the rest as `find` gave them."""
    return sorted(needs, key=lambda n: n.topic != intent)


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Every word of every place name, alias and misspelling in the gazetteer."""
    from directory.gazetteer import load_default as load_gazetteer

    gazetteer = load_gazetteer()
    names: set[str] = set()
    for place in gazetteer.places:
        for name in (place.name, *place.aliases, *place.misspellings):
            names.update(re.findall(r"[a-z]+", str(name).lower()))
    return frozenset(names)


@lru_cache(maxsize=2)
def load_default(path: str = str(DEFAULT_WORDS)) -> NeedFinder:
    return NeedFinder.load(path)
