"""The trained model against the issue's targets, on held-out texts it was never trained on."""

from pathlib import Path

import pytest

from bot.nlu.evaluation import TOPICS, Report, evaluate, format_report, load_examples

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "nlu_heldout.yml"

pytestmark = [pytest.mark.model, pytest.mark.asyncio]


@pytest.fixture(scope="module")
async def report(agent) -> Report:
    result = await evaluate(agent.parse_message, load_examples(HELDOUT))
    print(format_report(result, "held-out"))
    return result


async def test_heldout_is_not_in_the_training_data():
    from rasa.shared.nlu.training_data.loading import load_data

    root = HELDOUT.parents[2]
    trained = {m.get("text").lower() for m in load_data(str(root / "nlu_data")).intent_examples}
    overlap = [e.text for e in load_examples(HELDOUT) if e.text.lower() in trained]
    assert overlap == []


async def test_every_crisis_text_is_caught(report):
    assert report.crisis_recall == 1.0, [e for e in report.errors if e[1] == "crisis"]


async def test_few_false_crisis_replies(report):
    assert report.false_crisis_rate <= 0.02, [e for e in report.errors if e[2] == "crisis"]


@pytest.mark.parametrize("topic", TOPICS)
async def test_topic_accuracy(report, topic):
    assert report.accuracy(topic) >= 0.95, [e for e in report.errors if e[1] == topic]


async def test_locations_are_found(report):
    assert report.location_recall >= 0.95
    assert report.location_precision >= 0.9
