"""CrisisGuard: a Rasa NLU component that runs after the classifier and errs on the side of safety.

If a crisis cue is in the text, or the crisis classifier (bot/nlu/crisis_classifier.py) or the
intent classifier gives `crisis` enough weight, the parse's intent becomes `crisis` with
confidence 1.0 and the parse carries `crisis_guard` saying why. Otherwise an intent of `crisis`
gives way (to the need the text names, or the next guess), so the verdict and the reply agree.
Every reader of a parse (the dialogue policies, `/model/parse`, the channel) sees the same verdict.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.crisis_classifier import PROBABILITY_KEY
from bot.nlu.crisis_cues import CrisisCues, load_default
from bot.nlu.need_extractor import topic_need

CRISIS_GUARD_KEY = "crisis_guard"
NEXT_GUESS_WEIGHT = 0.3  # below this the intent classifier's next guess is no guess at all


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisGuard(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent": "crisis",
            # The crisis probability at or above which the guard also fires, even when another
            # intent ranks first. Lower is safer. 0.4 chosen on development sets C and D
            # (README "The crisis safety net"); set E measures it.
            "classifier_threshold": 0.4,
            # ... and when the text plainly names another need ("want to give up the ciggies"),
            # the classifier alone must be surer: the cues still fire at once whatever it says.
            "classifier_threshold_with_need": 0.6,
            # The intent classifier's own crisis confidence at or above which it fires the
            # guard, when the text names no other need and the crisis classifier gives the text
            # at least `intent_needs_probability` (DIET alone was sure of "gonna jump on the
            # bus" and "driving me up the wall"; the crisis classifier gave them 0.01).
            "intent_threshold": 0.35,
            "intent_needs_probability": 0.2,
            "cues_file": None,
        }

    def __init__(self, config: Dict[Text, Any], cues: Optional[CrisisCues] = None) -> None:
        self._config = config
        self._intent = config["intent"]
        self._threshold = float(config["classifier_threshold"])
        self._threshold_with_need = float(config.get("classifier_threshold_with_need",
                                                     self._threshold))
        self._intent_threshold = float(config.get("intent_threshold", self._threshold))
        self._intent_needs = float(config.get("intent_needs_probability", 0.0))
        self._cues = cues or (
            CrisisCues.load(config["cues_file"]) if config.get("cues_file") else load_default()
        )

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisGuard":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._guard(message)
        return messages

    def _guard(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        cue = self._cues.check(text)
        asked = [] if cue is not None else [
            n for n in message.get("needs") or []
            if n.get("code") == self._intent and not n.get("weak")
            and not self._cues.only_in_figure(text, n.get("matched") or "")]
        if cue is not None:
            verdict = {"fired": True, "source": "cue", "cue": cue.cue, "matched": cue.matched}
        elif asked:
            # "somewhere to go at night when my head is bad", "crisis cafe tonight": asking for
            # crisis help is answered as a crisis (the contacts first, then the places).
            verdict = {"fired": True, "source": "need", "cue": None,
                       "matched": asked[0].get("matched")}
        else:
            named = [n for n in message.get("needs") or []
                     if not n.get("weak") and n.get("code") != self._intent]
            verdict = self._judged(message, bool(named))
        if verdict["fired"]:
            self._set_crisis(message)
            needs = message.get("needs") or []
            if not any(n.get("code") == self._intent for n in needs):
                message.set("needs", [topic_need(self._intent)] + needs, add_to_output=True)
        elif (message.get(INTENT) or {}).get("name") == self._intent:
            self._unset_crisis(message)
        message.set(CRISIS_GUARD_KEY, verdict, add_to_output=True)

    def _judged(self, message: Message, names_a_need: bool) -> Dict[Text, Any]:
        """Either judge is enough: the crisis classifier at its threshold, or the intent
        classifier's crisis confidence at its own (lower) one when no other need is named. A
        missed crisis costs more than a false alarm, which still gets the help it asked for."""
        threshold = self._threshold_with_need if names_a_need else self._threshold
        probability = message.get(PROBABILITY_KEY)
        if probability is not None and probability >= threshold:
            return {"fired": True, "source": "classifier", "cue": None,
                    "confidence": round(float(probability), 4)}
        # With no crisis classifier in the pipeline the intent classifier judges alone, at the
        # same thresholds; beside it, at its own lower one, only when no other need is named and
        # the crisis classifier gives the text some weight.
        intent_threshold = threshold if probability is None else \
            None if names_a_need or probability < self._intent_needs else self._intent_threshold
        intent_confidence = self._intent_confidence(message)
        if intent_threshold is not None and intent_confidence >= intent_threshold:
            return {"fired": True, "source": "intent_classifier", "cue": None,
                    "confidence": round(intent_confidence, 4)}
        return {"fired": False}

    def _intent_confidence(self, message: Message) -> float:
        ranking = message.get(INTENT_RANKING_KEY) or []
        scores = [r.get("confidence", 0.0) for r in ranking if r.get("name") == self._intent]
        intent = message.get(INTENT) or {}
        if intent.get("name") == self._intent:
            scores.append(intent.get("confidence", 0.0))
        return max(scores) if scores else 0.0

    def _set_crisis(self, message: Message) -> None:
        ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != self._intent]
        message.set(INTENT, {"name": self._intent, "confidence": 1.0}, add_to_output=True)
        message.set(
            INTENT_RANKING_KEY, [{"name": self._intent, "confidence": 1.0}] + ranking,
            add_to_output=True,
        )

    def _unset_crisis(self, message: Message) -> None:
        """The intent classifier's `crisis` gives way: to the need the text names, else to its
        next guess if it has any weight, else to "not understood" (which asks again)."""
        ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != self._intent]
        named = [n for n in message.get("needs") or [] if n.get("code") != self._intent]
        strong = [n for n in named if not n.get("weak")]
        if strong or named:
            following = {"name": (strong or named)[0]["topic"], "confidence": 1.0}
        elif ranking and ranking[0].get("confidence", 0.0) >= NEXT_GUESS_WEIGHT:
            following = ranking[0]
        else:
            following = {"name": "nlu_fallback", "confidence": 0.0}
        message.set(INTENT, dict(following), add_to_output=True)
        message.set(INTENT_RANKING_KEY, [dict(following)] + [
            r for r in ranking if r.get("name") != following["name"]], add_to_output=True)
