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
from directory.gazetteer import place_words

DEFAULT_WORDS = Path(__file__).with_name("need_words.yml")
FUZZY_MIN_LENGTH = 5


@dataclass(frozen=True)
class Need:
    code: str
    topic: str
    matched: str
    start: int
    weak: bool = False


# Placeholders a phrase may hold: any one word ("since my \\w+ died"), an age from 70 to 109
# (never 111, the NHS number).
PLACEHOLDERS = {"\\w+": r"[\w']+", "<age>": r"(?:[7-9]\d|10\d)(?!\d)"}


def _part(word: str) -> str:
    if word in PLACEHOLDERS:
        return PLACEHOLDERS[word]
    return re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word)


def _pattern(phrase: str) -> str:
    parts = [_part(w) for w in phrase.lower().split()]
    return r"(?<![\w'])" + r"\s+".join(parts) + r"(?![\w'])"


class NeedFinder:
    def __init__(self, needs: dict[str, dict], asks: dict[str, list[str]],
                 not_needs: Iterable[str]) -> None:
        self._topics = {code: spec["topic"] for code, spec in needs.items()}
        self.comes_before = {code: tuple(spec.get("comes_before", ()))
                             for code, spec in needs.items()}
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
        # Typos are read in the text as written too: normalising may have "corrected" one
        # towards another everyday word ("carrers" to "careers").
        raw = (text or "").lower()
        tokens = [(m.group(0), m.start()) for m in re.finditer(r"[a-z]+", normalised)]
        tokens += [(m.group(0), m.start()) for m in re.finditer(r"[a-z]+", raw)
                   if f" {m.group(0)} " not in f" {normalised} "]
        for token, start in tokens:
            if len(token) < FUZZY_MIN_LENGTH or self._is_word(token) or token in place_words():
                continue  # "honley" is a village, not a typo of "lonely"
            code = self._typo_of(token)
            if code:
                keep(Need(code, self._topics[code], token, start))
        # A word inside another need's longer phrase is that phrase's ("eating" in "eating
        # disorder" is not food). Then earliest first; of two at one word, the longer phrase.
        found = [n for n in best.values() if not any(
            o is not n and o.start <= n.start and n.start + len(n.matched) <= o.start
            + len(o.matched) and len(o.matched) > len(n.matched) for o in best.values())]
        return sorted(found, key=lambda n: (n.weak, n.code in self._generic, n.start,
                                            -len(n.matched)))

    def ordered(self, needs: list[Need], intent: Optional[str]) -> list[Need]:
        """Strong needs before weak, the classifier's topic first, then as `find` gave them; a
        strong need that `comes_before` another (a complaint about a GP) goes in front of it."""
        result = sorted(needs, key=lambda n: (n.weak, n.topic != intent))
        for need in [n for n in result if not n.weak]:
            others = [i for i, other in enumerate(result)
                      if other.code in self.comes_before.get(need.code, ())]
            if others and min(others) < result.index(need):
                result.remove(need)
                result.insert(min(others), need)
        return result

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


@lru_cache(maxsize=2)
def load_default(path: str = str(DEFAULT_WORDS)) -> NeedFinder:
    return NeedFinder.load(path)
