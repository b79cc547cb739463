"""The custom NLU components, each run through Rasa's model storage as Rasa runs them."""

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.needs import needs_of
from bot.nlu.crisis_classifier import PROBABILITY_KEY, CrisisClassifier
from bot.nlu.crisis_guard import CrisisGuard
from bot.nlu.menu_choice import MenuChoice, parse_choice
from bot.nlu.need_extractor import NeedExtractor
from bot.nlu.place_extractor import PlaceExtractor
from bot.spacy_pipeline import build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def nlp():
    return build()


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


@pytest.fixture
def context():
    return ExecutionContext(GraphSchema({}), "test")


def _message(text, intent="greet", confidence=0.9, ranking=None):
    message = Message({TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, ranking or [{"name": intent, "confidence": confidence}])
    return message


def _guard(storage, context, **config):
    return CrisisGuard.create({**CrisisGuard.get_default_config(), **config}, storage,
                              Resource("guard"), context)


# -- CrisisGuard ---------------------------------------------------------------------------------
def test_guard_overrides_classifier_on_a_cue(storage, context):
    message = _message("my tooth hurts and i want to kill myself", "dentist", 0.98)
    _guard(storage, context).process([message])
    assert message.get(INTENT) == {"name": "crisis", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "crisis"
    verdict = message.get("crisis_guard")
    assert verdict["fired"] and verdict["source"] == "cue" and verdict["cue"] == "kill_self"
    assert "crisis_guard" in message.as_dict(only_output_properties=True)


def test_guard_overrides_nlu_fallback(storage, context):
    message = _message("took all my tablets", "nlu_fallback", 0.4)
    _guard(storage, context).process([message])
    assert message.get(INTENT)["name"] == "crisis"


def test_guard_trusts_the_crisis_classifier(storage, context):
    message = _message("everything feels pointless", "mental_health", 0.9)
    message.set(PROBABILITY_KEY, 0.8)
    _guard(storage, context).process([message])
    assert message.get(INTENT)["name"] == "crisis"
    assert message.get("crisis_guard") == {"fired": True, "source": "classifier", "cue": None,
                                           "confidence": 0.8}


def test_guard_falls_back_on_the_intent_classifier_without_the_crisis_classifier(storage,
                                                                                 context):
    ranking = [{"name": "crisis", "confidence": 0.6}, {"name": "mental_health", "confidence": 0.3}]
    message = _message("everything feels pointless", "crisis", 0.6, ranking)
    _guard(storage, context).process([message])
    assert message.get("crisis_guard")["source"] == "intent_classifier"


def test_either_judge_is_enough_when_no_other_need_is_named(storage, context):
    ranking = [{"name": "mental_health", "confidence": 0.6}, {"name": "crisis", "confidence": 0.4}]
    message = _message("cant see the point of anything", "mental_health", 0.6, ranking)
    message.set(PROBABILITY_KEY, 0.2)
    _guard(storage, context).process([message])
    assert message.get(INTENT)["name"] == "crisis"
    assert message.get("crisis_guard")["source"] == "intent_classifier"


def test_a_crisis_intent_the_guard_does_not_confirm_gives_way_to_the_named_need(storage, context):
    # The intent classifier leans to crisis, the crisis classifier does not, and the text names
    # another need: that need is answered, with no crisis reply.
    ranking = [{"name": "crisis", "confidence": 0.6}, {"name": "community", "confidence": 0.4}]
    message = _message("which bus do i get on to the food bank", "crisis", 0.6, ranking)
    message.set(PROBABILITY_KEY, 0.1)
    message.set("needs", [{"code": "food", "topic": "community", "weak": False}])
    _guard(storage, context).process([message])
    assert message.get("crisis_guard") == {"fired": False}
    assert message.get(INTENT) == {"name": "community", "confidence": 1.0}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["community"]


def test_crisis_classifier_trains_persists_and_loads(storage, context):
    texts = {"crisis": ["i want to kill myself", "going to end my life tonight", "took an overdose",
                        "i want to die", "cutting myself again", "no reason to live anymore"],
             "community": ["food bank in batley", "help with my gas bill", "carers group halifax",
                           "need a foodbank", "debt advice please", "warm space near me"]}
    data = TrainingData([Message({TEXT: t, INTENT: i}) for i, ts in texts.items() for t in ts])
    resource = Resource("crisis_classifier")
    config = CrisisClassifier.get_default_config()
    CrisisClassifier.create(config, storage, resource, context).train(data)
    loaded = CrisisClassifier.load(config, storage, resource, context)
    messages = [Message({TEXT: "i want to end my life"}), Message({TEXT: "food bank dewsbury"}),
                Message({TEXT: "2"})]
    loaded.process(messages)
    crisis, food, number = (m.get(PROBABILITY_KEY) for m in messages)
    assert crisis > 0.5 > food
    assert number == 0.0  # a menu choice is never judged ("2" reads as "to")


def test_guard_leaves_hard_negatives_alone(storage, context):
    message = _message("toothache is killing me", "dentist", 0.97,
                       [{"name": "dentist", "confidence": 0.97}, {"name": "crisis", "confidence": 0.02}])
    _guard(storage, context).process([message])
    assert message.get(INTENT)["name"] == "dentist"
    assert message.get("crisis_guard") == {"fired": False}


# -- MenuChoice ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, number", [("3", 3), (" 6 ", 6), ("option 2", 2), ("no. 4", 4),
                                          ("#5", 5), ("two", 2), ("1.", 1)])
def test_menu_choice_reads_numbers(text, number):
    assert parse_choice(text) == number


@pytest.mark.parametrize("text", ["", "10", "3 dentists", "i am 65", "hd1", "12"])
def test_menu_choice_ignores_other_text(text):
    assert parse_choice(text) is None


def test_menu_choice_sets_intent_and_entity(storage, context):
    message = _message("4", "nlu_fallback", 0.3)
    MenuChoice.create(MenuChoice.get_default_config(), storage, Resource("menu"), context).process([message])
    assert message.get(INTENT)["name"] == "choose_number"
    assert [(e["entity"], e["value"]) for e in message.get(ENTITIES)] == [("number", "4")]


# -- PlaceExtractor ------------------------------------------------------------------------------
@pytest.fixture
def extractor(storage, context, nlp):
    component = PlaceExtractor.create(PlaceExtractor.get_default_config(), storage,
                                      Resource("places"), context)
    examples = [
        Message({TEXT: "i want to go home", INTENT: "out_of_scope"}),
        Message({TEXT: "food bank in batley", INTENT: "community",
                 ENTITIES: [{"entity": "location", "start": 13, "end": 19, "value": "batley"}]}),
        Message({TEXT: "my garden is a mess", INTENT: "out_of_scope"}),
    ]
    resource = component.train(TrainingData(examples))
    return PlaceExtractor.load(PlaceExtractor.get_default_config(), storage, resource, context)


def _places(extractor, nlp, text):
    message = Message({TEXT: text})
    message.set(SPACY_DOCS[TEXT], nlp(text))
    extractor.process([message])
    return [(e["value"], text[e["start"]:e["end"]]) for e in message.get(ENTITIES, [])]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("food bank in BATLEY", [("Batley", "BATLEY")]),
        ("im in hebden brige", [("Hebden Bridge", "hebden brige")]),
        ("gp near huddersfeild please", [("Huddersfield", "huddersfeild")]),
        ("my postcode is hx1 2qa", [("HX1 2QA", "hx1 2qa")]),
        ("HD1", [("HD1", "HD1")]),
        ("dentist in the holme valley", [("Holme Valley", "holme valley")]),
        ("food near shelf", [("Shelf", "shelf")]),
        ("shelf", [("Shelf", "shelf")]),
        ("LS1 4AP", [("LS1 4AP", "LS1 4AP")]),
    ],
)
def test_place_extractor_finds_places(extractor, nlp, text, expected):
    assert _places(extractor, nlp, text) == expected


@pytest.mark.parametrize("text", ["put it on the shelf", "i want to go home", "my garden is a mess",
                                  "need a dentist", "ls1", ""])
def test_place_extractor_leaves_ordinary_words(extractor, nlp, text):
    assert _places(extractor, nlp, text) == []


def test_language_guard_decides_alone_about_non_english():
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.language_guard import LanguageGuard

    guard = LanguageGuard({})
    english = Message(data={"text": "food bank in halifax " * 20,
                            "intent": {"name": "non_english", "confidence": 0.9},
                            "intent_ranking": [{"name": "non_english", "confidence": 0.9},
                                               {"name": "community", "confidence": 0.1}]})
    polish = Message(data={"text": "potrzebuję pilnie lekarza w Halifax",
                           "intent": {"name": "gp", "confidence": 0.8},
                           "intent_ranking": [{"name": "gp", "confidence": 0.8}]})
    guard.process([english, polish])
    assert english.get("intent")["name"] == "community"
    assert english.get("language")["non_english"] is False
    assert polish.get("intent")["name"] == "non_english"
    assert polish.get("language")["code"] == "pl"


def test_language_guard_never_calls_unseen_english_texts_foreign():
    from rasa.shared.nlu.training_data.loading import load_data

    from bot.nlu.language_guard import WORD, LanguageGuard

    vocabulary = set()
    for message in load_data(str(ROOT / "nlu_data")).intent_examples:
        if message.get("intent") != "non_english":
            vocabulary.update(WORD.findall(message.get("text").lower()))
    guard = LanguageGuard({}, vocabulary=vocabulary)
    heldout = load_data(str(ROOT / "tests" / "data" / "nlu_heldout.yml")).intent_examples
    assert [m.get("text") for m in heldout if guard.detect(m.get("text"))] == []
    for text in ("potrzebuję pilnie lekarza", "necesito un médico urgente ahora",
                 "مجھے ڈاکٹر کی ضرورت ہے", "ਮੈਨੂੰ ਡਾਕਟਰ ਚਾਹੀਦਾ ਹੈ", "am nevoie de un doctor acum"):
        assert guard.detect(text), text


def _english_texts_for_language_checks() -> list[str]:
    import re

    import yaml

    texts = []
    for path in sorted((ROOT / "nlu_data").glob("*.yml")) + [ROOT / "tests" / "data" / "nlu_heldout.yml"]:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in block or block["intent"] == "non_english":
                continue
            texts += [re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line.strip()[2:])
                      for line in block.get("examples", "").splitlines()
                      if line.strip().startswith("- ")]
    return texts


@pytest.mark.parametrize("text, code", [
    ("mujhe doctor chahiye", "ur"), ("main marna chahta hoon", "ur"),
    ("mujhe dentist ki zaroorat hai", "ur"), ("kya aap meri madad kar sakte hain", "ur"),
    ("mainu doctor chahida", "pa"), ("tusi kithe ho", "pa"),
])
def test_language_guard_reads_roman_urdu_and_punjabi(text, code):
    from bot.nlu.language_guard import LanguageGuard

    found = LanguageGuard({}).detect(text)
    assert found and found["code"] == code and found["name"].startswith("Roman"), found


def test_roman_urdu_check_never_reads_english_as_another_language():
    from bot.nlu.language_guard import WORD, LanguageGuard, detect_roman

    texts = _english_texts_for_language_checks()
    assert len(texts) > 1000
    # The word lists alone: no English text of the training or held-out data.
    assert [t for t in texts if detect_roman(WORD.findall(t.lower()))] == []
    bare = LanguageGuard({})
    assert [t for t in texts if (bare.detect(t) or {}).get("code") in ("ur", "pa")] == []
    # The whole guard, with the vocabulary a trained model has (training texts only): no
    # English text at all, training or held-out.
    from rasa.shared.nlu.training_data.loading import load_data

    vocabulary = {w for m in load_data(str(ROOT / "nlu_data")).intent_examples
                  if m.get("intent") != "non_english" for w in WORD.findall(m.get("text").lower())}
    guard = LanguageGuard({}, vocabulary=vocabulary)
    assert [t for t in texts if guard.detect(t)] == []


# -- NeedExtractor: a place and only the words round it ----------------------------------------
@pytest.mark.parametrize("text, place, around", [
    ("im in huddersfeild", "huddersfeild", True), ("i live near batley", "batley", True),
    ("just outside holmfirth", "holmfirth", True),
    ("im in halifax and feel awful", "halifax", False), ("dentist in dewsbury", "dewsbury", False)])
def test_only_words_around_a_place(text, place, around):
    from bot.nlu.need_extractor import only_words_around_a_place

    start = text.index(place)
    message = Message({TEXT: text})
    message.set(ENTITIES, [{"entity": "location", "start": start, "end": start + len(place),
                            "value": place}])
    assert only_words_around_a_place(message) is around


@pytest.mark.parametrize("text, place, intent", [
    ("golcar", "golcar", "inform"), ("golcar please", "golcar", "inform"),
    ("im in huddersfeild", "huddersfeild", "inform"),
    ("best chippy in brighouse", "brighouse", "out_of_scope"),
    ("bus times 503 todmorden", "todmorden", "out_of_scope")])
def test_an_off_topic_text_is_a_place_answer_only_with_little_else(storage, context, text,
                                                                    place, intent):
    message = _message(text, "out_of_scope", 0.9)
    start = text.index(place)
    message.set(ENTITIES, [{"entity": "location", "start": start, "end": start + len(place),
                            "value": place}])
    _extractor(storage, context).process([message])
    assert message.get(INTENT)["name"] == intent


@pytest.mark.parametrize("text, intent", [("skip", "inform"), ("dunno", "inform"),
                                          ("homeless", "community")])
def test_skipping_the_place_is_an_answer_whatever_the_classifier_guessed(storage, context,
                                                                         text, intent):
    message = _message(text, "gp" if text != "homeless" else "community", 0.99)
    _extractor(storage, context).process([message])
    assert message.get(INTENT)["name"] == intent


def test_an_unconfirmed_crisis_intent_gives_way_to_the_need_the_text_names(storage, context):
    ranking = [{"name": "crisis", "confidence": 1.0}, {"name": "inform", "confidence": 0.0}]
    message = _message("old man on his own in tod, nobody to talk to", "crisis", 1.0, ranking)
    message.set(PROBABILITY_KEY, 0.39)
    message.set("needs", [{"code": "loneliness", "topic": "community", "weak": False}])
    _guard(storage, context).process([message])
    assert message.get(INTENT) == {"name": "community", "confidence": 1.0}


def test_an_unconfirmed_crisis_intent_with_no_other_guess_is_not_understood(storage, context):
    ranking = [{"name": "crisis", "confidence": 0.3}, {"name": "gp", "confidence": 0.0}]
    message = _message("which bus do i jump on", "crisis", 0.3, ranking)
    message.set(PROBABILITY_KEY, 0.35)
    _guard(storage, context).process([message])
    assert message.get(INTENT)["name"] == "nlu_fallback"
    assert message.get("crisis_guard") == {"fired": False}


# -- Needs the topic gives, and the crisis need first ------------------------------------------
def _extractor(storage, context):
    return NeedExtractor.create(NeedExtractor.get_default_config(), storage, Resource("needs"),
                                context)


def test_a_health_topic_with_no_need_word_carries_its_own_need(storage, context):
    message = _message("why do i feel this way every morning", "mental_health", 0.95)
    _extractor(storage, context).process([message])
    needs = message.get("needs")
    assert [n["code"] for n in needs] == ["mental_health"] and needs[0]["from_topic"]
    # The actions answer the topic as before: a need no word named is not searched for.
    assert needs_of(message.as_dict(only_output_properties=True)) == []


def test_a_need_word_is_not_doubled_by_the_topic(storage, context):
    message = _message("feeling anxious all the time", "mental_health", 0.95)
    _extractor(storage, context).process([message])
    assert [(n["code"], n.get("from_topic", False)) for n in message.get("needs")] == \
        [("mental_health", False)]


def test_a_need_that_comes_before_the_topics_own_need_answers_the_text(storage, context):
    """ "complain about my gp": the GP is named, but a complaint comes before it, so the
    complaint's topic answers; a GP text with no such need keeps its topic."""
    message = _message("how do i complain about my gp surgery", "gp", 0.99)
    _extractor(storage, context).process([message])
    assert message.get("intent")["name"] == "community"
    assert [n["code"] for n in message.get("needs")][:2] == ["complaints", "gp"]
    message = _message("need a gp appointment today", "gp", 0.99)
    _extractor(storage, context).process([message])
    assert message.get("intent")["name"] == "gp"


def test_when_the_guard_fires_crisis_is_the_first_need_and_the_named_need_follows(storage,
                                                                                 context):
    message = _message("not safe on my own tonight, nobody to talk to", "community", 0.6)
    message.set(PROBABILITY_KEY, 0.9)
    message.set("needs", [{"code": "loneliness", "topic": "community", "weak": False}])
    _guard(storage, context).process([message])
    assert [n["code"] for n in message.get("needs")] == ["crisis", "loneliness"]
    assert needs_of(message.as_dict(only_output_properties=True)) == ["loneliness"]


def test_the_crisis_classifier_reads_the_text_as_the_cues_do(storage, context):
    config = CrisisClassifier.get_default_config()
    judge = CrisisClassifier.create(config, storage, Resource("crisis_classifier"), context)
    read = judge._normalise("cant do this, want to cut down on sugar")
    assert read.startswith("cannot do this want to") and "cut down" not in read
    assert read.split()[-3:] == ["figureofspeech", "on", "sugar"]
    raw = CrisisClassifier.create({**config, "normalise": False}, storage,
                                  Resource("raw"), context)
    assert raw._normalise("cant") == "cant"


def test_the_intent_classifier_alone_does_not_fire_when_the_crisis_classifier_sees_nothing(
        storage, context):
    ranking = [{"name": "crisis", "confidence": 1.0}, {"name": "small_talk", "confidence": 0.0}]
    message = _message("my husband is driving me up the wall", "crisis", 1.0, ranking)
    message.set(PROBABILITY_KEY, 0.02)
    _guard(storage, context).process([message])
    assert message.get("crisis_guard") == {"fired": False}
    message = _message("cant see a way forward", "crisis", 0.5, ranking)
    message.set(PROBABILITY_KEY, 0.2)
    _guard(storage, context).process([message])
    assert message.get("crisis_guard")["source"] == "intent_classifier"


def test_asking_for_crisis_help_by_name_fires_the_net(storage, context):
    message = _message("somewhere to go at night when my head is bad", "nlu_fallback", 0.5)
    message.set(PROBABILITY_KEY, 0.03)
    message.set("needs", [{"code": "crisis", "topic": "crisis", "weak": False,
                           "matched": "somewhere to go at night"}])
    _guard(storage, context).process([message])
    assert message.get(INTENT)["name"] == "crisis"
    assert message.get("crisis_guard") == {"fired": True, "source": "need", "cue": None,
                                           "matched": "somewhere to go at night"}


def test_crisis_help_named_only_for_a_leaflet_is_left_to_the_judges(storage, context):
    message = _message("the safe space opening times, for our church newsletter", "mental_health",
                       0.9)
    message.set(PROBABILITY_KEY, 0.03)
    message.set("needs", [{"code": "crisis", "topic": "crisis", "weak": False,
                           "matched": "safe space"}])
    _guard(storage, context).process([message])
    assert message.get("crisis_guard") == {"fired": False}
    assert message.get(INTENT)["name"] == "mental_health"
