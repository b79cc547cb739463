"""DIET loaded for prediction only (bot/nlu/inference_diet.py) predicts exactly as Rasa's own
load does, without building an optimizer or a training graph."""

from __future__ import annotations

import pytest
from rasa.nlu.classifiers.diet_classifier import DIET

from bot.nlu.inference_diet import InferenceDIET

TEXTS = ["hi", "i need food in halifax", "i want to end it all", "toothache all night cant sleep",
         "no money for the gas", "old man on his own in todmorden", "is it open now", "zzqx vbbn",
         "why do i cry all the time", "need a bed tonight", "cervical smear when", "thanks bye"]


def _diet(agent):
    nodes = agent.processor.graph_runner._instantiated_nodes
    [node] = [n for name, n in nodes.items() if "DIETClassifier" in name]
    return node._component.model


def _parses(agent, event_loop) -> list[tuple]:
    return [(r["intent"], r["intent_ranking"])
            for r in (event_loop.run_until_complete(agent.parse_message(t)) for t in TEXTS)]


@pytest.fixture(scope="module")
def rasa_loaded_agent(model_path, event_loop):
    from rasa.core.agent import Agent

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(InferenceDIET, "load", classmethod(DIET.load.__func__))
        return Agent.load(str(model_path))


def test_the_served_model_is_loaded_for_prediction_only(agent):
    model = _diet(agent)
    assert isinstance(model, InferenceDIET)
    assert model.optimizer is None
    assert model.train_function is None


def test_predictions_equal_rasa_own_load(agent, rasa_loaded_agent, event_loop):
    assert _diet(rasa_loaded_agent).optimizer is not None  # Rasa's load, as a check on the check
    assert _parses(agent, event_loop) == _parses(rasa_loaded_agent, event_loop)
