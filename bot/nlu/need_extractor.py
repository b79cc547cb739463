"""NeedExtractor: every parse carries the resident's needs, and questions about a list.

`needs` is a list of {code, topic, matched} from `need_words.yml` (codes are the directory's
taxonomy terms), the classifier's topic first. `asks` lists questions about services already
shown (open_now, cost, directions, phone, nearer). Where the classifier could not place a text
(out_of_scope, nlu_fallback) but a need word is plain in it ("need a bed tonight"), the need's
topic becomes the intent; a bare question about a list ("is it free") becomes `ask_followup`.
It runs before CrisisGuard, so the crisis verdict still has the last word.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.needs import NeedFinder, load_default
from directory.gazetteer import PLACE_SKIP_RE

NEEDS_KEY = "needs"
# Topics that are needs of the same name in the taxonomy: a text classified as one names it.
HEALTH_TOPICS = {"mental_health", "gp", "dentist", "screening"}
ASKS_KEY = "asks"
FOLLOWUP_INTENT = "ask_followup"
# Intents a plain need word may overrule: the classifier found no topic in the text.
OVERRULABLE = {"out_of_scope", "nlu_fallback", "inform", "affirm", "deny", "help"}
FOLLOWUP_OVERRULABLE = OVERRULABLE | {"community", "gp", "dentist", "mental_health", "screening",
                                      "greet", "thanks", "goodbye"}
MAX_FOLLOWUP_WORDS = 8
# A question about a list points back at it ("is IT open", "how do i get THERE"); a question
# with no such word is about something else ("what time does the co op shut"), unless short.
REFERS_BACK = re.compile(r"\b(it|its|they|them|their|that|this|these|those|get there|go there)\b")
SHORT_QUESTION_WORDS = 4
# A text the classifier calls off-topic that still names a need, if only weakly ("my bills are
# killing me"), is about that need.
WEAKLY_OVERRULABLE = {"out_of_scope", "nlu_fallback"}
# A short text that names a place and at most one other word is an answer to "which town?"
# ("golcar please"); "best chippy in brighouse" is a question of its own.
PLACE_ONLY_OVERRULABLE = {"out_of_scope", "nlu_fallback"}
# One word read as a greeting, thanks or goodbye must be read surely, else it is not understood.
SURE_CHAT_INTENTS = {"greet", "goodbye", "thanks"}
SURE_CHAT = 0.9
# A bare place name is never chat ("golcar" read as goodbye): it answers "which town?".
CHAT_INTENTS = {"greet", "goodbye", "thanks", "small_talk", "affirm", "deny", "help"}
SHORT_PLACE_WORDS = 5
# "dewsbury centre" is a town, not a health centre: a topic guess with no need word in it.
TOPIC_INTENTS = {"gp", "dentist", "community", "mental_health", "screening"}
PLACE_AND_ONE_WORD = 2
# "im in huddersfeild": a place and only the words people put round one is an answer too.
PLACE_WORDS_AROUND = {"im", "i'm", "i", "am", "in", "live", "living", "near", "at", "from",
                      "its", "it's", "the", "round", "around", "just", "outside", "by", "me",
                      "ive", "moved", "to", "we", "are", "were", "we're", "based", "lives"}
# Topic intents whose guess a plain need of another topic corrects ("meter ran out and its
# freezing" is community, not gp). Never crisis (CrisisGuard reads the classifier's own crisis
# score whatever the intent) and never stop (an opt-out is the resident's to make).
CORRECTABLE = {"community", "gp", "dentist", "mental_health", "screening", "small_talk",
               "greet", "goodbye", "thanks"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class NeedExtractor(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"words_file": None}

    def __init__(self, config: Dict[Text, Any], finder: NeedFinder | None = None) -> None:
        self._finder = finder or (NeedFinder.load(config["words_file"]) if config.get("words_file")
                                  else load_default())

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "NeedExtractor":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._read(message)
        return messages

    def _read(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        intent = (message.get(INTENT) or {}).get("name")
        needs = self._finder.ordered(self._finder.find(text), intent)
        asks = self._finder.asks(text)
        message.set(NEEDS_KEY, [{"code": n.code, "topic": n.topic, "matched": n.matched,
                                 "weak": n.weak} for n in needs], add_to_output=True)
        message.set(ASKS_KEY, asks, add_to_output=True)
        strong = [n for n in needs if not n.weak]
        words = len(text.split())
        refers_back = words <= SHORT_QUESTION_WORDS or REFERS_BACK.search(text.lower())
        names_a_place = any(e.get("entity") == "location" for e in message.get(ENTITIES) or [])
        if asks and not strong and intent in FOLLOWUP_OVERRULABLE and refers_back \
                and words <= MAX_FOLLOWUP_WORDS and not names_a_place:
            self._set_intent(message, FOLLOWUP_INTENT)
        elif PLACE_SKIP_RE.match(text) and not strong and intent not in ("crisis", "stop"):
            self._set_intent(message, "inform")  # "skip", "dunno": an answer to "which town?"
        elif names_a_place and not strong and (
                (intent in PLACE_ONLY_OVERRULABLE and words <= SHORT_PLACE_WORDS
                 and len(words_besides_a_place(message) or []) <= 1)
                or (intent in TOPIC_INTENTS and (words <= PLACE_AND_ONE_WORD
                                                 or only_words_around_a_place(message)))
                or (intent in CHAT_INTENTS and only_words_around_a_place(message))):
            self._set_intent(message, "inform")  # "just outside holmfirth": the town asked for
        elif strong and intent in OVERRULABLE:
            self._set_intent(message, strong[0].topic)
        elif needs and intent in WEAKLY_OVERRULABLE and words > 1:
            self._set_intent(message, needs[0].topic)  # "my bills are killing me": money
        elif strong and intent in CORRECTABLE and not any(n.topic == intent for n in strong):
            self._set_intent(message, strong[0].topic)
        elif strong and intent in CORRECTABLE and self._put_first(strong, intent):
            self._set_intent(message, strong[0].topic)  # "complain about my gp": a complaint
        elif words == 1 and not needs and intent in SURE_CHAT_INTENTS and \
                (message.get(INTENT) or {}).get("confidence", 0.0) < SURE_CHAT:
            # "gotham" read as goodbye at 0.82 (a real "bye" is 0.99): not understood instead,
            # so a question that is waiting (which town?) takes it as its answer.
            message.set(INTENT, {"name": "nlu_fallback", "confidence": 0.0}, add_to_output=True)

        topic = (message.get(INTENT) or {}).get("name")
        if topic in HEALTH_TOPICS and not any(n.topic == topic for n in needs):
            # "why do i feel like this every day": no need word, but the topic is the need.
            message.set(NEEDS_KEY, [topic_need(topic)] + message.get(NEEDS_KEY),
                        add_to_output=True)

    def _put_first(self, strong: list, intent: Optional[str]) -> bool:
        """The first need is of another topic and goes before a need of the intent's own topic
        (`comes_before`): the text is about the first."""
        first = strong[0]
        return first.topic != intent and any(
            n.topic == intent and n.code in self._finder.comes_before.get(first.code, ())
            for n in strong[1:])

    @staticmethod
    def _set_intent(message: Message, name: str) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
        intent = {"name": name, "confidence": 0.9}
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent] + ranking, add_to_output=True)


def topic_need(code: str) -> Dict[Text, Any]:
    """A need the topic gives rather than a word in the text (`from_topic`): it is reported,
    but the actions answer the topic as before (actions/needs.py `needs_of` leaves it out)."""
    return {"code": code, "topic": code, "matched": None, "weak": True, "from_topic": True}


def only_words_around_a_place(message: Message) -> bool:
    """The text is a place and only words such as "im in" or "i live near" round it."""
    other = words_besides_a_place(message)
    return other is not None and not other


def words_besides_a_place(message: Message) -> Optional[list[str]]:
    """The words of the text outside its places, but for those people put round a place
    ("im in", "near"); None when the text names no place."""
    text = message.get(TEXT) or ""
    spans = sorted((e["start"], e["end"]) for e in message.get(ENTITIES) or []
                   if e.get("entity") == "location" and "start" in e)
    if not spans:
        return None
    rest, last = [], 0
    for start, end in spans:
        rest.append(text[last:start])
        last = end
    rest.append(text[last:])
    words = re.findall(r"[a-z']+", " ".join(rest).lower())
    return [word for word in words if word not in PLACE_WORDS_AROUND]
