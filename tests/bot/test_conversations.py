"""Whole conversations against the trained model and a real action server, in residents' words."""

import pytest

pytestmark = [pytest.mark.model, pytest.mark.asyncio]

MENU_LINE = "1 Crisis help now"
ASK_PLACE = "Which town or postcode"
CRISIS = "116 123"


def joined(replies):
    return "\n".join(replies)


async def test_greeting_shows_the_numbered_menu(conversation):
    replies = await conversation.say("hiya")
    assert MENU_LINE in joined(replies) and "6 Food" in joined(replies)


async def test_menu_number_asks_for_place_then_answers(conversation):
    await conversation.say("hello")
    replies = await conversation.say("3")
    assert ASK_PLACE in joined(replies)
    replies = await conversation.say("batley")
    assert "proof of address" in joined(replies)
    assert await conversation.slot("location") == "Batley"
    assert await conversation.slot("topic") == "gp"


async def test_place_in_the_same_text_skips_the_question(conversation):
    replies = await conversation.say("need a food bank in dewsbury")
    assert ASK_PLACE not in joined(replies)
    assert "Help with food:" in joined(replies) and "In Dewsbury" in joined(replies)
    assert await conversation.slot("location") == "Dewsbury"


async def test_place_is_remembered_and_can_change(conversation):
    await conversation.say("cant find an nhs dentist")
    replies = await conversation.say("im in hebden brige")
    assert "NHS dentist" in joined(replies)
    assert await conversation.slot("location") == "Hebden Bridge"
    replies = await conversation.say("docs wont give me an appt")
    assert ASK_PLACE not in joined(replies), "the place is asked only once"
    assert "proof of address" in joined(replies)
    replies = await conversation.say("actually im in batley")
    assert "proof of address" in joined(replies)
    assert await conversation.slot("location") == "Batley"


async def test_postcode_answers_the_place_question(conversation):
    await conversation.say("where is the nearest food bank")
    await conversation.say("HX1 2QA")
    assert await conversation.slot("location") == "HX1 2QA"


async def test_crisis_comes_first_from_the_first_text(conversation):
    replies = await conversation.say("toothache is bad and i want to die")
    assert CRISIS in replies[0]


async def test_crisis_interrupts_the_place_form(conversation):
    await conversation.say("need a gp")
    replies = await conversation.say("i want to kill myself")
    assert CRISIS in replies[0]
    tracker = await conversation.tracker()
    assert tracker.active_loop_name is None


async def test_crisis_with_a_place_in_the_form_is_still_crisis(conversation):
    await conversation.say("need a dentist")
    replies = await conversation.say("im in batley and i took all my tablets")
    assert CRISIS in replies[0]


async def test_menu_number_one_is_crisis_help(conversation):
    await conversation.say("hi")
    replies = await conversation.say("1")
    assert CRISIS in joined(replies)


async def test_unknown_place_is_asked_again_kindly_then_dropped(conversation):
    await conversation.say("need a gp")
    replies = await conversation.say("gotham")
    assert "could not find that place" in joined(replies)
    replies = await conversation.say("narnia")
    assert "anywhere in Kirklees and Calderdale" in joined(replies)
    assert "proof of address" in joined(replies)


async def test_postcode_outside_both_boroughs_is_explained(conversation):
    await conversation.say("need a dentist")
    replies = await conversation.say("LS1 4AP")
    assert "only know services in Kirklees and Calderdale" in joined(replies)


async def test_town_outside_both_boroughs_is_explained(conversation):
    await conversation.say("where can i get a food parcel")
    replies = await conversation.say("im in leeds")
    assert "only know services in Kirklees and Calderdale" in joined(replies)


async def test_skip_carries_on_without_a_place(conversation):
    await conversation.say("i need debt advice")
    replies = await conversation.say("skip")
    assert "Help with money and debt:" in joined(replies)
    assert await conversation.slot("location") == "anywhere"


async def test_help_in_the_form_shows_the_menu_and_leaves_the_form(conversation):
    await conversation.say("need a gp")
    replies = await conversation.say("help")
    assert MENU_LINE in joined(replies)
    assert (await conversation.tracker()).active_loop_name is None


async def test_screening_needs_no_place(conversation):
    replies = await conversation.say("i lost my bowel screening kit")
    assert "0800 707 6060" in joined(replies)


async def test_out_of_scope_is_kind_and_shows_the_menu(conversation):
    replies = await conversation.say("whats the weather like")
    assert "Sorry" in replies[0] and MENU_LINE in joined(replies)


async def test_hard_negative_is_not_crisis(conversation):
    replies = await conversation.say("dying for a brew")
    assert CRISIS not in joined(replies)


async def test_number_outside_the_menu(conversation):
    replies = await conversation.say("9")
    assert "number from 1 to 6" in joined(replies)


async def test_stop_confirms_and_ends_the_conversation(conversation):
    await conversation.say("need a gp")
    replies = await conversation.say("stop")
    assert "START" in joined(replies)
    tracker = await conversation.tracker()
    assert tracker.active_loop_name is None and tracker.get_slot("topic") is None


async def test_persistent_failure_offers_a_person_not_a_loop(conversation):
    first = await conversation.say("whats the weather like")
    assert any("Sorry" in r or "Did you mean" in r for r in first)
    second = await conversation.say("can you tell me a joke then")
    assert "NHS 111" in joined(second)


async def test_a_list_then_a_number_gives_details_and_more_gives_others(conversation):
    replies = await conversation.say("need a food bank in halifax")
    listed = joined(replies)
    assert "1 " in listed and "Reply 1 to" in listed
    first_name = listed.split("\n")[1][2:].split(":")[0]
    details = joined(await conversation.say("1"))
    assert details.startswith(first_name) and "Source " in details
    more = joined(await conversation.say("more"))
    assert more.startswith("More:") and first_name not in more


async def test_a_text_in_another_language_gets_a_kind_reply(conversation):
    replies = await conversation.say("potrzebuję pilnie lekarza w Halifax")
    assert "English only" in joined(replies) and "interpreter" in joined(replies)


async def test_crisis_in_another_script_still_gets_crisis_contacts(conversation):
    replies = await conversation.say("i want to kill myself مجھے مدد چاہیے")
    assert CRISIS in replies[0]


async def test_every_answer_is_plain_short_sms(conversation):
    from sms.gsm7 import is_gsm7, segments

    for text in ("hi", "need a gp in batley", "im in hebden bridge and lonely",
                 "cant find an nhs dentist dewsbury", "smear test", "i want to die"):
        for reply in await conversation.say(text):
            assert is_gsm7(reply) and segments(reply) <= 3, reply


async def test_mental_health_conversation(conversation):
    await conversation.say("been feeling really down and anxious lately")
    replies = await conversation.say("huddersfield")
    text = joined(replies)
    assert "Talking Therapies" in text and "choose the mental health option" in text
    assert "Calderdale" not in text


@pytest.mark.parametrize("number", ["2", "3"])
async def test_every_number_on_a_list_picks_that_service_never_the_crisis_reply(conversation,
                                                                                 number):
    listed = joined(await conversation.say("need a food bank in huddersfield"))
    wanted = next(line for line in listed.split("\n") if line.startswith(f"{number} "))
    details = joined(await conversation.say(number))
    assert details.split("\n")[0] in wanted and CRISIS not in details, (wanted, details)
