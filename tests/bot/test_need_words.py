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


def test_who_the_help_is_for_comes_after_what_they_need():
    """Pregnancy, a child or a pensioner says who the help is for; the need beside it is the
    ask. Named alone, the group is the need."""
    finder = load_default()
    first = lambda text: [n.code for n in finder.find(text)][0]  # noqa: E731
    assert first("expecting my first and still on the fags") == "stop_smoking"
    assert first("pregnant and my landlord is evicting me") == "housing"
    assert first("my grandma is 91 and her flat is freezing") == "warmth"
    assert first("our teenager keeps hitting me") == "domestic_abuse"
    assert first("luncheon club for pensioners") == "older_people"
    assert first("my 13 year old daughter vapes every day") == "stop_smoking"


def test_an_older_person_on_their_own_is_older_peoples_help_unless_they_say_lonely():
    finder = load_default()
    assert [n.code for n in finder.find("my grandad is 87 and on his own all week")][0] \
        == "older_people"
    assert [n.code for n in finder.find("my grandad is 87 and so lonely")][0] == "loneliness"


def test_carers_allowance_is_a_carers_need():
    assert [n.code for n in load_default().find("can i get carers allowance")][0] == "carers"


def test_a_typo_is_read_in_the_text_as_written_too():
    """The crisis normaliser turns "carrers" into "careers"; the typo is still a carer's."""
    assert [n.code for n in load_default().find("carrers group near me")] == ["carers"]


def test_a_screening_programme_comes_before_the_gp_that_offers_it():
    finder = load_default()
    assert [n.code for n in finder.ordered(finder.find("can the gp do my smear test"), "gp")][0] \
        == "screening_cervical"
    # "blood pressure" alone is weak: a GP question about tablets stays a GP question.
    assert [n.code for n in finder.ordered(
        finder.find("gp wont renew my blood pressure pills"), "gp")][0] == "gp"


def test_filling_in_a_form_is_not_dental():
    finder = load_default()
    assert "dentist" not in [n.code for n in finder.find("help filling in a benefits form")]
    assert [n.code for n in finder.find("my filling fell out")] == ["dentist"]


def test_nearly_died_is_a_figure_not_a_death():
    assert "bereavement" not in [n.code for n in load_default().find(
        "nearly died when the electric bill came")]


def test_control_of_money_is_abuse_and_gambling_debt_is_gambling_first():
    finder = load_default()
    assert [n.code for n in finder.find("my husband controls all the money")][0] \
        == "domestic_abuse"
    assert [n.code for n in finder.ordered(finder.find("loans to cover my betting"),
                                           "community")][0] == "gambling"
