"""LanguageGuard: notices a text that is not in English and says so in the parse.

The assistant works in English. A text in another language gets intent `non_english` (the
dialogue then replies kindly that NHS 111 can arrange an interpreter), and every parse carries
`language` {code, name, confidence, non_english}. It runs before CrisisGuard, so a crisis cue
still wins and the crisis reply comes first.

Detection is lingua-language-detector over the languages most spoken in Kirklees and Calderdale
besides English. Short English texting ("hiya", "docs appt") confuses any detector, so a text
only counts as not English when it is written mostly in another script, or when it has at least
three words and lingua is confident (0.8) that it is another language.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, List, Optional, Text

from lingua import Language, LanguageDetectorBuilder
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

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


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageGuard(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_confidence": 0.8, "min_words": 3}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = {**self.get_default_config(), **config}
        self._detector = (LanguageDetectorBuilder.from_languages(*dict.fromkeys(LANGUAGES))
                          .with_preloaded_language_models().build())

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LanguageGuard":
        return cls(config)

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
        values = self._detector.compute_language_confidence_values(text)
        top = values[0] if values else None
        if top is None or top.language == Language.ENGLISH or top.value < self._config["min_confidence"]:
            return None
        return self._result(top.language, top.value)

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
                continue
            message.set("language", found, add_to_output=True)
            intent = {"name": NON_ENGLISH, "confidence": 1.0}
            ranking = [intent] + [r for r in message.get(INTENT_RANKING_KEY) or []
                                  if r.get("name") != NON_ENGLISH]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data):
        return training_data
