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
