"""PlaceExtractor: finds `location` entities (towns, villages, neighbourhoods, postcodes).

Two sources, both from the gazetteer data file:
- exact matches in any casing, found by the EntityRuler in the project's spaCy pipeline
  (`bot/spacy_pipeline.py`), including postcodes ("HX1 2QA", "hd1");
- misspellings ("hebden brige"), by fuzzy matching words the ruler did not claim against every
  spelling in the gazetteer (rapidfuzz).

Fuzzy matching must not turn ordinary words into places, so training teaches the component the
vocabulary of the training texts outside place annotations; a word in it (or an English stop
word) is never fuzzily read as a place.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Dict, Iterable, List, Optional, Set, Text, Tuple, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from bot.spacy_pipeline import LOCATION, LOCATION_NEEDS_CONTEXT
from directory.gazetteer import Gazetteer, load_default, parse_postcode

logger = logging.getLogger(__name__)

VOCABULARY_FILE = "vocabulary.json"
CONTEXT_WORDS = {"in", "at", "near", "nr", "from", "around", "round", "to", "live", "living", "of"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class PlaceExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "entity": LOCATION,
            "gazetteer": None,  # path to a places file; None means the directory's own
            "fuzzy_cutoff": 85,
            "max_ngram": 3,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Optional[Set[str]] = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._entity = config["entity"]
        self._cutoff = float(config["fuzzy_cutoff"])
        self._max_ngram = int(config["max_ngram"])
        self._gazetteer: Gazetteer = (
            Gazetteer.load(config["gazetteer"]) if config.get("gazetteer") else load_default()
        )
        self._vocabulary: Set[str] = set(vocabulary or ())

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "PlaceExtractor":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "PlaceExtractor":
        vocabulary: Set[str] = set()
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = set(json.loads((directory / VOCABULARY_FILE).read_text()))
        except (ValueError, FileNotFoundError):
            logger.warning("PlaceExtractor has no vocabulary; fuzzy matching trusts every word.")
        return cls(config, model_storage, resource, vocabulary)

    # -- training ---------------------------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        spellings = self._gazetteer.spellings()
        vocabulary: Set[str] = set()
        for example in training_data.training_examples:
            text = example.get(TEXT) or ""
            spans = [
                (e["start"], e["end"]) for e in example.get(ENTITIES) or []
                if e.get("entity") == self._entity and "start" in e
            ]
            for start, end, word in _words(text):
                if any(s <= start < e for s, e in spans):
                    continue
                if word not in spellings and not parse_postcode(word):
                    vocabulary.add(word)
        self._vocabulary = vocabulary
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(sorted(vocabulary)))
        return self._resource

    # -- inference --------------------------------------------------------------------------
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None:
                continue
            found = self.extract(doc)
            if not found:
                continue
            entities = [
                e for e in message.get(ENTITIES, [])
                if not (e.get("entity") == self._entity and _overlaps(e, found))
            ]
            message.set(ENTITIES, entities + self.add_extractor_name(found), add_to_output=True)
        return messages

    def extract(self, doc: Doc) -> List[Dict[Text, Any]]:
        found: List[Dict[Text, Any]] = []
        claimed: Set[int] = set()
        for ent in doc.ents:
            if ent.label_ == LOCATION_NEEDS_CONTEXT and not _has_context(ent):
                continue
            if ent.label_ not in (LOCATION, LOCATION_NEEDS_CONTEXT):
                continue
            found.append(self._entity_for(ent, self._value_for(ent), 1.0))
            claimed.update(range(ent.start, ent.end))
        for span, value, score in self._fuzzy_matches(doc, claimed):
            found.append(self._entity_for(span, value, score / 100.0))
        return sorted(found, key=lambda e: e["start"])

    def _value_for(self, ent: Span) -> str:
        if ent.ent_id_ in ("postcode", "district"):
            parsed = parse_postcode(ent.text)
            return parsed[1] if parsed else ent.text.upper()
        return ent.ent_id_ or ent.text

    def _entity_for(self, span: Span, value: str, confidence: float) -> Dict[Text, Any]:
        return {
            "entity": self._entity,
            "start": span.start_char,
            "end": span.end_char,
            "value": value,
            "confidence_entity": round(confidence, 4),
        }

    def _fuzzy_matches(self, doc: Doc, claimed: Set[int]) -> Iterable[Tuple[Span, str, float]]:
        """Longest n-grams first; each token belongs to at most one match."""
        used = set(claimed)
        candidates = []
        for n in range(self._max_ngram, 0, -1):
            for start in range(0, len(doc) - n + 1):
                span = doc[start:start + n]
                if any(i in used for i in range(span.start, span.end)):
                    continue
                if not all(t.is_alpha for t in span):
                    continue
                words = [t.lower_ for t in span]
                if all(w in self._vocabulary or w in STOP_WORDS for w in words):
                    continue
                if words[0] in STOP_WORDS or words[-1] in STOP_WORDS:
                    continue
                match = self._gazetteer.fuzzy_place(span.text, cutoff=self._cutoff)
                if match is None:
                    continue
                place, score = match
                if place.needs_context and not _has_context(span):
                    continue
                candidates.append((span, place.name, score))
                used.update(range(span.start, span.end))
        return candidates


def _words(text: str) -> Iterable[Tuple[int, int, str]]:
    for m in re.finditer(r"[A-Za-z]+", text):
        yield m.start(), m.end(), m.group(0).lower()


def _has_context(span: Span) -> bool:
    """True when the place stands alone (an answer) or follows a word like "in" or "near"."""
    doc = span.doc
    others = [t for t in doc if not (span.start <= t.i < span.end) and not t.is_punct]
    if not others:
        return True
    return span.start > 0 and doc[span.start - 1].lower_ in CONTEXT_WORDS


def _overlaps(entity: Dict[Text, Any], found: List[Dict[Text, Any]]) -> bool:
    return any(entity["start"] < f["end"] and f["start"] < entity["end"] for f in found)
