"""LanguageGuard: notices a text that is not in English and says so in the parse.

The assistant works in English. A text in another language gets intent `non_english` (the
dialogue then replies kindly that NHS 111 can arrange an interpreter), and every parse carries
`language` {code, name, confidence, non_english}. It runs before CrisisGuard, so a crisis cue
still wins and the crisis reply comes first.

Detection is lingua-language-detector over the languages most spoken in Kirklees and Calderdale
besides English. Short English texting ("hiya", "docs appt") confuses any detector, so a text
only counts as not English when it is written mostly in another script, or when it has at least
three words, few of them common English words ("i", "need", "the"), and lingua is confident
(0.8) that it is not English. Urdu and Punjabi are often texted in Roman letters, which lingua
does not know in that form: a text of three words or more made largely of their very common words
(`roman_languages.yml`: "mujhe", "chahiye", "hai", "karna"...) counts as Urdu ("Roman Urdu") or
Punjabi ("Roman Punjabi"). The classifier's own
`non_english` guesses are overruled: only this component decides.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml

from lingua import Language, LanguageDetectorBuilder
from spacy.lang.en.stop_words import STOP_WORDS
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

NON_ENGLISH = "non_english"
LANGUAGES = [
    Language.ENGLISH, Language.URDU, Language.PUNJABI, Language.POLISH, Language.ARABIC,
    Language.BENGALI, Language.GUJARATI, Language.HINDI, Language.PERSIAN, Language.ROMANIAN,
    Language.SLOVAK, Language.CZECH, Language.HUNGARIAN, Language.LITHUANIAN, Language.LATVIAN,
    Language.BULGARIAN, Language.UKRAINIAN, Language.RUSSIAN, Language.TURKISH,
    Language.SOMALI, Language.FRENCH, Language.SPANISH, Language.PORTUGUESE, Language.ITALIAN,
    Language.GERMAN, Language.CHINESE,
]
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters)


VOCABULARY_FILE = "english_vocabulary.json"
ROMAN_LANGUAGES_FILE = Path(__file__).with_name("roman_languages.yml")


@lru_cache(maxsize=4)
def load_roman_languages(path: str = str(ROMAN_LANGUAGES_FILE)) -> dict:
    """The word lists of `roman_languages.yml`: {min_words, min_hits, min_share, languages:
    [(code, name, frozenset of words)]}."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {
        "min_words": int(data.get("min_words", 3)), "min_hits": int(data.get("min_hits", 2)),
        "min_share": float(data.get("min_share", 0.4)),
        "languages": [(entry["code"], entry["name"],
                       frozenset(str(w).lower() for w in entry.get("words", [])))
                      for entry in data.get("languages", [])],
    }


def detect_roman(words: list[str], roman: Optional[dict] = None) -> Optional[dict]:
    """Urdu or Punjabi in Roman letters, from their very common words, or None."""
    roman = roman or load_roman_languages()
    if len(words) < roman["min_words"] or not roman["languages"]:
        return None
    known = frozenset().union(*(w for _, _, w in roman["languages"]))
    hits = sum(w in known for w in words)
    share = hits / len(words)
    if hits < roman["min_hits"] or share < roman["min_share"]:
        return None
    best = max(roman["languages"], key=lambda entry: sum(w in entry[2] for w in words))
    return {"code": best[0], "name": best[1], "confidence": round(share, 3), "non_english": True}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LanguageGuard(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_confidence": 0.8, "min_words": 3, "english_share": 0.2,
                "known_share": 0.5, "roman_languages_file": None}

    def __init__(self, config: Dict[Text, Any], model_storage: Optional[ModelStorage] = None,
                 resource: Optional[Resource] = None, vocabulary: Optional[set] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage, self._resource = model_storage, resource
        # Words of the English training texts: a text mostly made of them is English.
        self._vocabulary: set[str] = set(vocabulary or ())
        self._roman = load_roman_languages(
            str(self._config.get("roman_languages_file") or ROMAN_LANGUAGES_FILE))
        # Low-accuracy mode (trigrams only) holds about 500 MiB less in the Rasa server (1845 ->
        # 1334 MiB after 300 texts) and every language test still passes (issue 16).
        self._detector = (LanguageDetectorBuilder.from_languages(*dict.fromkeys(LANGUAGES))
                          .with_preloaded_language_models().with_low_accuracy_mode().build())

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LanguageGuard":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "LanguageGuard":
        vocabulary: set = set()
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = set(json.loads((directory / VOCABULARY_FILE).read_text()))
        except (ValueError, FileNotFoundError):
            pass
        return cls(config, model_storage, resource, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        for example in training_data.intent_examples:
            if example.get(INTENT) != NON_ENGLISH:
                self._vocabulary.update(WORD.findall((example.get(TEXT) or "").lower()))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(sorted(self._vocabulary)))
        return self._resource

    def detect(self, text: str) -> Optional[dict]:
        words = WORD.findall(text.lower())
        if not words:
            return None  # numbers, emoji, punctuation: nothing to say about language
        if _latin_share(text) < 0.5:
            language = self._detector.detect_language_of(text)
            if language is None or language == Language.ENGLISH:
                return None
            return self._result(language, 1.0)
        if len(words) < self._config["min_words"]:
            return None
        roman = detect_roman(words, self._roman)
        if roman is not None:
            return roman  # Roman Urdu or Punjabi: lingua only knows them in their own scripts
        if sum(w in STOP_WORDS for w in words) / len(words) >= self._config["english_share"]:
            return None  # full of "i", "need", "a", "in": English, whatever the n-grams say
        if self._vocabulary and (sum(w in self._vocabulary for w in words) / len(words)
                                 >= self._config["known_share"]):
            return None  # mostly words residents use with us in English
        values = self._detector.compute_language_confidence_values(text)
        english = next((v.value for v in values if v.language == Language.ENGLISH), 0.0)
        top = values[0] if values else None
        # Confident it is not English, even if unsure which language it is (Spanish or Portuguese).
        if top is None or top.language == Language.ENGLISH or 1 - english < self._config["min_confidence"]:
            return None
        return self._result(top.language, 1 - english)

    @staticmethod
    def _result(language: Language, confidence: float) -> dict:
        return {"code": language.iso_code_639_1.name.lower(), "name": language.name.title(),
                "confidence": round(float(confidence), 3), "non_english": True}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = self.detect(text)
            if found is None:
                message.set("language", {"code": "en", "non_english": False}, add_to_output=True)
                self._overrule_classifier(message)
                continue
            message.set("language", found, add_to_output=True)
            intent = {"name": NON_ENGLISH, "confidence": 1.0}
            ranking = [intent] + [r for r in message.get(INTENT_RANKING_KEY) or []
                                  if r.get("name") != NON_ENGLISH]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    @staticmethod
    def _overrule_classifier(message: Message) -> None:
        """Only this component decides a text is not English: if the classifier said so on its
        own, take its next guess instead."""
        if (message.get(INTENT) or {}).get("name") != NON_ENGLISH:
            return
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != NON_ENGLISH]
        intent = ranking[0] if ranking else {"name": "nlu_fallback", "confidence": 0.0}
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    def process_training_data(self, training_data):
        return training_data
