"""MenuChoice: a message that is only a small number ("3", "option 3", "no 3") is a choice.

Residents answer the numbered menu (and, later, numbered lists of services) with a digit. A
classifier guesses at such short texts; this rule does not. It sets intent `choose_number` and
entity `number`. The dialogue decides what the number picks.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9}
CHOICE_RE = re.compile(
    r"^\W*(?:(?:option|opt|number|num|no\.?|choice|#)\s*)?(?P<n>[1-9]|"
    + "|".join(WORDS)
    + r")\W*$",
    re.IGNORECASE,
)


def parse_choice(text: str) -> int | None:
    match = CHOICE_RE.match(text or "")
    if not match:
        return None
    n = match.group("n").lower()
    return WORDS.get(n) or int(n)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=False,
)
class MenuChoice(GraphComponent, IntentClassifier, EntityExtractorMixin):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent": "choose_number", "entity": "number"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._intent = config["intent"]
        self._entity = config["entity"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MenuChoice":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            number = parse_choice(text)
            if number is None:
                continue
            message.set(INTENT, {"name": self._intent, "confidence": 1.0}, add_to_output=True)
            ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != self._intent]
            message.set(
                INTENT_RANKING_KEY, [{"name": self._intent, "confidence": 1.0}] + ranking,
                add_to_output=True,
            )
            stripped = text.strip()
            start = text.index(stripped) if stripped else 0
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != self._entity]
            entities += self.add_extractor_name([{
                "entity": self._entity, "start": start, "end": start + len(stripped),
                "value": str(number), "confidence_entity": 1.0,
            }])
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
