"""CrisisClassifier: a second, separate judge of "is this text a crisis?" for the CrisisGuard.

The intent classifier (DIET) sees crisis as one of twenty intents and is often sure of the wrong
answer ("which bus do i jump on to get to halifax": crisis at 1.0). This is a plain logistic
regression over word and character n-grams, trained on the same texts as crisis against
everything else. Measured on the fair held-out sets C and D (with the crisis cues, README
"Crisis net"), it caught as many or more crisis texts, more of them with a keyboard slip, and
raised fewer false alarms than DIET's crisis confidence. Sets `crisis_probability` on every parse.

It reads each text as the crisis cues do (bot/nlu/crisis_cues.py `normalise`): text-speak
expanded, misspelt key words corrected, each figure of speech ("cut down on", "kill some time")
one placeholder word. On the training texts (5-fold) that did as well as the raw text, and on
development sets C and D it caught more keyboard slips and raised fewer false alarms
(README "The crisis safety net").
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)
PROBABILITY_KEY = "crisis_probability"
MODEL_FILE = "crisis_classifier.skops"
# The one type skops does not trust by itself: TfidfVectorizer's idf matrix.
TRUSTED = ["scipy.sparse._csr.csr_matrix"]


def build_model(regularisation: float):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    return make_pipeline(
        make_union(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                   lowercase=True),
                   TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True)),
        LogisticRegression(C=regularisation, class_weight="balanced", max_iter=2000))


def _cue_normaliser(figure_word: str):
    from bot.nlu.crisis_cues import load_default

    cues = load_default()
    return lambda text: cues.normalise(text, f" {figure_word} ")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CrisisClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # C=16 was chosen by 5-fold cross-validation on the training texts alone.
        # Each figure of speech the cues take out is one word here, so the classifier learns
        # that "cut down on" or "kill some time" is not a crisis.
        # A text with no letter ("2", a menu choice) is never judged: read as the cues read
        # text-speak, "2" is "to", which the classifier once put at 0.44.
        return {"intent": "crisis", "regularisation": 16.0, "normalise": True,
                "figure_word": "figureofspeech", "min_letters": 1}

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """Retrain when the cues' reading of a text changes (the figures of speech)."""
        from bot.nlu.crisis_cues import DEFAULT_CUES

        return hashlib.sha256(Path(DEFAULT_CUES).read_bytes()).hexdigest()

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage,
                 resource: Resource, model: Any = None) -> None:
        self._config = config
        self._storage, self._resource = model_storage, resource
        self._model = model
        self._normalise = _cue_normaliser(config.get("figure_word", "figureofspeech")) \
            if config.get("normalise", True) else (lambda text: text)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CrisisClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT)]
        labels = [e.get(INTENT) == self._config["intent"] for e in examples]
        if len(set(labels)) < 2:
            logger.warning("CrisisClassifier: the training data needs crisis and other texts; "
                           "it will not judge.")
            return self._resource
        self._model = build_model(float(self._config["regularisation"]))
        self._model.fit([self._normalise(e.get(TEXT)) for e in examples], labels)
        self.persist()
        return self._resource

    def persist(self) -> None:
        import skops.io as sio

        with self._storage.write_to(self._resource) as directory:
            sio.dump(self._model, directory / MODEL_FILE)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "CrisisClassifier":
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as directory:
                path = directory / MODEL_FILE
                untrusted = [t for t in sio.get_untrusted_types(file=path) if t not in TRUSTED]
                if untrusted:
                    raise ValueError(f"untrusted types in the crisis classifier: {untrusted}")
                model = sio.load(path, trusted=TRUSTED)
        except (ValueError, FileNotFoundError) as why:
            # The CrisisGuard falls back to the intent classifier's confidence, and says so.
            logger.error("CrisisClassifier could not be loaded (%s).", why)
            model = None
        return cls(config, model_storage, resource, model)

    def probability(self, text: Text) -> Optional[float]:
        if self._model is None or not text:
            return None
        if sum(c.isalpha() for c in text) < int(self._config.get("min_letters", 1)):
            return 0.0
        return float(self._model.predict_proba([self._normalise(text)])[0][1])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = self.probability(message.get(TEXT) or "")
            if found is not None:
                message.set(PROBABILITY_KEY, round(found, 4), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
