"""The right service for the need, end to end: the trained model, a real action server and the
seed directory. Each test is one rule of a good signposter."""

import re

import pytest

from tests.bot.test_conversations import ASK_PLACE, CRISIS, joined

pytestmark = [pytest.mark.model, pytest.mark.asyncio]


async def test_loneliness_with_a_weak_crisis_signal_gets_crisis_then_help(conversation):
    replies = await conversation.say("old man living on his own in todmorden, nobody to talk to")
    text = joined(replies)
    assert "Sorry, I cannot help" not in text
    if CRISIS in replies[0]:  # crisis first, never crisis only
        assert len(replies) >= 2 and re.search(r"\n1 ", replies[-1])
    else:
        assert "lonely" in text.lower() or "older people" in text.lower()


async def test_crisis_text_that_names_a_need_gets_the_need_too(conversation):
    replies = await conversation.say("i want to end it all, im so lonely in batley")
    assert CRISIS in replies[0]
    assert len(replies) >= 2 and "lonely" in replies[-1].lower() and "\n1 " in replies[-1]


async def test_crisis_and_a_need_without_a_town_asks_for_it_then_helps(conversation):
    replies = await conversation.say("i want to end it all, im so lonely")
    assert CRISIS in replies[0] and "Send your town" in replies[-1]
    replies = await conversation.say("batley")
    assert "lonely" in joined(replies).lower() and "Sorry" not in joined(replies)


async def test_crisis_cafe_tonight_lists_safe_spaces_with_when_they_open(conversation):
    replies = await conversation.say("is there a crisis cafe open tonight in huddersfield")
    assert CRISIS in replies[0]
    assert "Safe places" in joined(replies) and "Well Bean" in joined(replies)


async def test_crisis_reply_is_never_followed_by_sorry(conversation):
    replies = await conversation.say("i want to die")
    assert CRISIS in replies[0]
    assert not any("Sorry, I cannot help" in r for r in replies)


async def test_toothache_gets_111_before_the_place_question(conversation):
    replies = await conversation.say("toothache all night cant sleep")
    text = joined(replies)
    assert "111" in text and ASK_PLACE in text
    assert text.index("111") < text.index(ASK_PLACE)


async def test_chest_pain_gets_999_first(conversation):
    replies = await conversation.say("my dad has chest pains need a doctor")
    text = joined(replies)
    assert "999" in text
    assert ASK_PLACE not in text or text.index("999") < text.index(ASK_PLACE)


@pytest.mark.parametrize("text, intro", [
    ("cant afford to heat my house in batley", "Help to keep warm:"),
    ("im lonely in brighouse", "If you feel lonely:"),
    ("need a bed tonight in halifax", "Help with housing:"),
    ("i sleep in my car in dewsbury", "Help with housing:"),
])
async def test_need_words_match_as_words(conversation, text, intro):
    replies = await conversation.say(text)
    assert intro in joined(replies), replies


async def test_two_needs_answer_the_first_and_offer_the_second(conversation):
    replies = await conversation.say("need food and help with debt in huddersfield")
    text = joined(replies)
    assert "Help with food:" in text and "money or debt too" in text


async def test_lists_never_say_zero_miles_or_cut_a_phrase(conversation):
    replies = await conversation.say("food bank halifax")
    text = joined(replies)
    assert "0.0 miles" not in text and not re.search(r"\d\.\d miles", text)
    for line in text.split("\n"):
        assert not re.search(r"\b(for|and|the|of|to|a|with) ?\.$", line), line


async def test_a_number_outside_a_one_item_list_is_explained(conversation):
    await conversation.say("food bank halifax")
    replies = await conversation.say("9")
    assert "1 to 1" not in joined(replies)
    assert "There is no 9" in joined(replies)


async def test_follow_up_questions_are_about_the_list(conversation):
    await conversation.say("food bank halifax")
    replies = await conversation.say("is it open now")
    assert replies and replies[0].startswith("1 ")
    replies = await conversation.say("whats the number")
    assert replies and replies[0].startswith("1 ")


@pytest.mark.parametrize("text", ["how are you doing", "it was great talking to you",
                                  "are you a robot"])
async def test_small_talk_gets_a_kind_word_not_a_topic(conversation, text):
    replies = await conversation.say(text)
    assert CRISIS not in joined(replies) and ASK_PLACE not in joined(replies)
    assert "1 Crisis help now" in joined(replies) or "welcome" in joined(replies).lower()


async def test_a_bare_place_answers_which_town_even_when_read_as_chat(conversation):
    await conversation.say("i need to talk to someone about my anxiety")
    replies = await conversation.say("golcar")  # the classifier alone reads this as goodbye
    assert "Take care" not in joined(replies)
    assert await conversation.slot("location") == "Golcar"
