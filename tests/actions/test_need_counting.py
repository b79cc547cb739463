"""Each answered turn adds one anonymous count: what was needed, where (district or town), how
it ended; never who or what they wrote. Counting never holds back or changes a reply."""

from __future__ import annotations

import time

import pytest
from rasa_sdk import Tracker
from sqlalchemy import delete

from actions.community import ActionCommunity
from actions.crisis import ActionCrisis
from actions.fallback import ActionClarify
from actions.insights import area_of, channel_of
from actions.place_form import ValidatePlaceForm
from directory.insights import NeedCount, NeedCounts
from tests.actions.test_topic_answers import run, tracker, user

@pytest.fixture
def counts(seeded_directory):
    with seeded_directory.engine.begin() as connection:
        connection.execute(delete(NeedCount))
    return NeedCounts(seeded_directory.engine)


def counted(counts: NeedCounts, expected: int) -> list[dict]:
    for _ in range(100):  # counting runs beside the reply, in the directory's threads
        rows = counts.rows()
        if sum(r["count"] for r in rows) >= expected:
            return rows
        time.sleep(0.02)
    return counts.rows()


def cell(row: dict) -> tuple:
    return (row["topic"], row["need"], row["area"], row["borough"], row["channel"],
            row["outcome"], row["count"])


def test_a_postcode_is_counted_by_its_district_and_a_town_by_its_name():
    assert area_of("HD1 2AB") == ("HD1", "Kirklees")
    assert area_of("hx12qa") == ("HX1", "Calderdale")
    assert area_of("Hebden Bridge") == ("Hebden Bridge", "Calderdale")
    assert area_of("Leeds") == ("Leeds", "")  # out of the area: no borough
    assert area_of("anywhere") == ("", "") and area_of(None) == ("", "")


def test_the_channel_comes_from_the_twilio_metadata_or_the_console():
    sms = Tracker("k1", {}, {"metadata": {"channel": "sms"}}, [], False, None, {}, None)
    whatsapp = Tracker("k2", {}, {"metadata": {"channel": "whatsapp"}}, [], False, None, {}, None)
    console = Tracker("console-ab12", {}, {}, [], False, None, {}, None)
    assert [channel_of(t) for t in (sms, whatsapp, console)] == ["sms", "whatsapp", "web_console"]
    assert channel_of(Tracker("rest", {}, {}, [], False, None, {}, None)) == "other"


@pytest.mark.asyncio
async def test_answers_crisis_and_not_understood_are_each_counted_once(counts):
    await run(ActionCommunity(), tracker(user("need a food bank", "community"),
                                         user("HD1 2AB", "inform"), location="HD1 2AB"))
    await run(ActionCommunity(), tracker(user("cash for gas meter", "community"),
                                         location="anywhere"))
    await run(ActionCrisis(), tracker(user("i want to end it all", "crisis")))
    await run(ActionClarify(), tracker(user("wibble", "nlu_fallback")))
    rows = counted(counts, 4)
    cells = sorted(cell(r) for r in rows)
    assert ("community", "food", "HD1", "Kirklees", "other", "offered", 1) in cells
    assert ("crisis", "crisis", "", "", "other", "crisis", 1) in cells
    assert ("", "", "", "", "other", "not_understood", 1) in cells
    assert sum(r["count"] for r in rows) == 4
    offered = [r for r in rows if r["outcome"] == "offered" and r["need"] == "food"]
    assert offered and offered[0]["offered"] >= 1
    dumped = repr(rows)
    assert "HD1 2AB" not in dumped and "food bank" not in dumped and "test" not in dumped


@pytest.mark.asyncio
async def test_a_place_outside_both_boroughs_is_counted_as_out_of_area(counts, caplog):
    form = ValidatePlaceForm()
    result = await form.validate_location("Leeds", None, tracker(
        user("need a dentist", "dentist"), user("leeds", "inform"), topic="dentist"), {})
    assert result["place_problem"] == "out_of_area"
    [row] = counted(counts, 1)
    assert cell(row) == ("dentist", "dentist", "Leeds", "", "other", "out_of_area", 1)


@pytest.mark.asyncio
async def test_a_broken_directory_costs_the_count_not_the_reply(directory_down, caplog):
    texts, _ = await run(ActionCrisis(), tracker(user("i want to end it all", "crisis")))
    assert texts[0] == "utter_crisis"
    for _ in range(200):
        if "Need count not recorded" in caplog.text:
            break
        time.sleep(0.05)
    assert "Need count not recorded" in caplog.text


def test_while_the_database_is_away_waiting_counts_are_capped(monkeypatch, caplog):
    from actions import insights

    monkeypatch.setattr(insights, "MAX_WAITING", 0)
    assert insights.count_turn(tracker(user("food bank", "community")), "offered",
                               "community", "food") is None
    assert "counts already waiting" in caplog.text
