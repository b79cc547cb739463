"""The need vocabulary is the directory's: every need code is a taxonomy term, and each topic
is one the assistant answers."""

from pathlib import Path

import yaml

from bot.nlu.needs import load_default
from directory.gazetteer import place_words

ROOT = Path(__file__).resolve().parents[2]
TOPICS = {"crisis", "mental_health", "gp", "dentist", "screening", "community"}


def test_every_need_code_is_a_taxonomy_term_with_a_topic():
    terms = {t["code"] for t in yaml.safe_load(
        (ROOT / "directory" / "data" / "taxonomy.yml").read_text())["terms"]}
    finder = load_default()
    assert set(finder.codes) <= terms, set(finder.codes) - terms
    assert {finder.topic_of(code) for code in finder.codes} <= TOPICS


def test_place_names_are_never_read_as_needs():
    finder = load_default()
    assert "honley" in place_words()
    assert finder.find("honley village") == []
    assert [n.code for n in finder.find("im so lonley in honley")] == ["loneliness"]


def test_a_programme_comes_before_screening_in_general():
    finder = load_default()
    assert [n.code for n in finder.find("screening for bowel cancer")][0] == "screening_bowel"


def test_need_words_are_read_as_written_not_put_right():
    """A need word the spelling checker does not know is never "corrected" into another word:
    "vaping" had become "raping" and "noone" "noose"."""
    finder = load_default()
    assert [n.code for n in finder.find("trying to quit vaping is there support")] == ["stop_smoking"]
    assert [n.code for n in finder.find("got a letter for aaa screening")] == ["screening_aaa"]
    assert [n.code for n in finder.find("noone to talk to")] == ["loneliness"]
    assert "noose" not in finder.normalise("noone to talk to")


def test_bereavement_names_a_person_not_anything_lost():
    finder = load_default()
    assert [n.code for n in finder.find("want to talk about losing my mum")] == ["bereavement"]
    assert finder.find("worried about losing my job") == []


def test_asking_whether_the_assistant_is_a_computer_is_no_need():
    assert load_default().find("are you a computer or a human") == []
    assert [n.code for n in load_default().find("help with my computer")] == ["digital"]


def test_111_is_the_nhs_number_not_an_age():
    finder = load_default()
    assert "older_people" not in [n.code for n in finder.find("what is 111 for")]
    assert [n.code for n in finder.find("my nan is 84 and lives alone")][:1] == ["older_people"]


def test_a_and_e_written_with_an_ampersand_is_an_emergency():
    assert [n.code for n in load_default().find("is a&e open in huddersfield")] == ["emergency"]


def test_grief_comes_before_the_counselling_it_asks_for():
    finder = load_default()
    needs = finder.ordered(finder.find("grief counselling halifax"), "mental_health")
    assert [n.code for n in needs][0] == "bereavement"
