"""The deterministic safety net: it fires on risk, in residents' own words, and not on figures of speech."""

import pytest

from bot.nlu.crisis_cues import load_default

POSITIVES = [
    "i want to kill myself", "Im going to kill my self", "gonna kms", "i feel sucidal",
    "suicidle thoughts", "thinking about suicide", "want 2 die", "i wanna die", "i dont want to live anymore",
    "i dont want to be alive", "theres no reason to live", "better off dead", "i wish i was dead",
    "going to end my life", "im going to take my own life", "end it all tonight", "i have taken an overdose",
    "i od'd on my meds", "took all my tablets", "swallowed a whole packet of paracetamol",
    "i took 20 pills", "ive been self harming", "selfharm", "cut my wrists", "i keep cutting my arms again",
    "i want to hurt myself", "cant go on anymore", "I CANT COPE ANYMORE", "im at breaking point",
    "i am not safe", "i cant keep myself safe", "voices telling me to jump",
    "i want to jump off a bridge", "i might hurt my baby", "i want to hurt someone",
    "need urgent mental health help", "mental health crisis", "i am in crisis",
    "my son is suicidal", "my partner took an overdose", "he wants to kill himself",
    "Toothache is killing me and i want to die",  # crisis wins even beside another topic
    "food bank in batley, also i want to end my life",
    # Families added after development sets C and D (own wording here, not theirs).
    "a lad is battering his girlfriend outside the chippy now", "the baby next door is being beaten",
    "i can hear her screaming through the wall", "wont survive the weekend at this rate",
    "i have a plan to end it", "thinking of ending both our lives", "cant live with myself",
    "been googling ways to die", "sui thoughts again", "no reason to cary on",
    "hes trying to boot the door down", "a man with a knife is following me", "sorry for evrything, bye",
    "if i dont wake up tmrw so be it", "i could hut someone", "whats the most paracetamol before your heart stops",
    # Beside the figures added after development set G: the same words when the danger is now.
    "i used to self harm and ive started again", "i self harmed years ago and the urges are back",
    "my brother killed himself and i want to do the same", "im going to kill him, hes asleep upstairs",
    "i burnt myself with a lighter again", "this is my last message, goodbye everyone",
    "i dont want to be here any more", "i cant go on like this", "at breaking point, cant cope",
    "ending it tonight", "i want to die at home alone", "i took an overdose for the first time",
    "he says hes going to kill me because i told the police", "my friend says shes going to kill herself",
    "i waded into the river last night and im going back", "goodbye everybody, sorry",
    "my sister took her own life two years ago and i want to do the same",
    "my husband passed last spring and i want to be with him",
    # A slip in an ordinary word of the phrase ("thhe", "tje", "evryone") is put right too.
    "sat on thhe railway line", "i dont think i will survive tje night", "bye evryone, sorry",
    # Keeping medication back to take at once (a slip in "once" must not matter).
    "ive been saving up my pills so i can take the lot", "been hoarding tablets for when im ready",
    "keeping all my meds in a box to take in one go", "stockpiled paracetamol so i can take them at onse",
    # A figure of speech with a real threat beside it is no figure.
    "saying my goodbyes tonight, nobody will miss me", "im going to strangle my husband",
    # Added after development set I (own wording here, not the set's).
    "had too many of the sleeping tablets an hour ago and feel dizzy",
    "cant stop imagining my own funeral, i hope it comes soon",
    "suicidal thoughts last year and they have started again",
    "my stepdad is trying to strangle me", "hes trying to kill me please help",
    "i keep staring at the pills in the drawer and want to do it",
    "stood looking at the bridge wondering how easy it would be",
    "keep staring at the knves thinking about doing it",
    "burnt my arm on purpose again",
    "need a suicide helpline now",
    "my daughter mentions self harm all the time",
    "i want to die at home on my own tonight",
]

HARD_NEGATIVES = [
    "toothache is killing me", "my tooth is killing me", "dying for a brew", "im dying for a coffee",
    "my back is killing me", "this heat is killing me", "bored to death", "i nearly died laughing",
    "killing time in town", "i could kill for a pizza", "the bills are killing us", "my phone is dying",
    "my mum died last year", "grieving my dad who died", "end of life care for my nan",
    "i need my blood pressure tablets", "repeat prescription for my pills", "cutting down on drinking",
    "cut my hair", "odd question about the dentist", "overdue smear test", "dead tired",
    "deadline is killing me", "do i need id to register", "i feel ill", "that cake was to die for",
    "im going home", "end my contract with the gym", "who do i call about domestic abuse",
    "cut myself chopping onions", "gonna kill some time at the library", "my dad will kill me if i crash the car",
    "can i cut the pills in half", "trying to cut down on chocolate", "the kids are driving me round the bend",
    "overdose awareness training for volunteers", "is there a crisis line for debt",
    "suicide awareness course for our staff", "how do we support pupils in crisis at school",
    "what number goes on a poster, crisis line numbers for our office", "what does a crisis team do",
    "ill kill my sister if she nicks my charger again", "i build a hut in the woods",
    # Added after development set G (own wording here, not the set's).
    "my uncle died by suicide when i was ten, is there a support group",
    "my cousin took his own life five years ago and it still hurts",
    "used to self harm at uni, doing well now", "my son self harmed as a teenager, hes 25 now",
    "where is the crisis cafe, for our parish magazine", "crisis team number to give to our volunteers",
    "a podcast about suicide made me think", "ending it with my girlfriend tomorrow",
    "how do i end my tenancy", "cant go on like this with the damp in my bedroom",
    "dont want to live here any more in this estate", "at breaking point with my toddlers tantrums",
    "gonna strangle him lol he ate my chips", "my mum is going to kill me cos i lost my key",
    "hes going to get killed by his dad when he sees the car", "the cat keeps killing birds",
    "scalded myself with the kettle", "this is my last text till my credit is topped up",
    "grandma wants to die in her own bed", "the overdose figures in the news are shocking",
    "my nan died and i want to be with her at the funeral home",
    # Added after development set H (own wording here, not the set's).
    "had an overdose of mince pies yesterday haha", "od'd on quality street again",
    "gonna kill this laptop, it is so slow", "i will smash my phone in a minute it keeps crashing",
    "i could throttle my sister she does my head in", "could kill my son sometimes, drives me mad",
    "its my retirement do on friday, saying goodbyes to the team",
    "saying my goodbyes to everyone at the office tomorrow",
    "trying to quit vaping", "noone to talk to in the evenings",
    "my feet are dead after that shift", "phone battery is dead",
    "attempted suicide years ago, doing well now and want to give something back",
    "had suicidal thoughts last year but im ok now", "shaving rash on my chin",
    "how do i refer a pupil who is self harming, im a teaching assistant",
    "does the crisis team cover huddersfield, asking for work", "the dog tried to trip me up",
    "planning my own funeral with the co op",
    "my mum is trying to kill me with her cooking", "my ex is trying to kill me off with stress lol",
    "hospice at home for my husband, he wants to die in his own bed",
    "burnt my hand on the kettle what do i put on it",
    "scalded my arm with hot tea, need a minor injuries unit",
    "the car is on its last legs, any cheap garages",
    "we want suicide helpline posters for the surgery",
    "what should staff do if a student discloses self harm",
    "crisis line number please so i can give it to patients at the surgery",
    "looking at the knives wanting to cook a stew",
    "grandad has months left and wishes to die at home, who helps with that",
]


@pytest.fixture(scope="module")
def cues():
    return load_default()


@pytest.mark.parametrize("text", POSITIVES)
def test_cue_fires_on_risk(cues, text):
    assert cues.check(text) is not None, text


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_cue_stays_quiet_on_figures_of_speech(cues, text):
    assert cues.check(text) is None, (text, cues.check(text))


def test_dialect_and_place_names_are_never_put_right(cues):
    read = cues.normalise("wont be needing owt, off to mirfield and hudds, ta")
    assert {"owt", "mirfield", "hudds"} <= set(read.split())
    assert cues.normalise("thhe somone nght") == "the someone night"


def test_cue_reports_why(cues):
    cue = cues.check("i took all my tablets")
    assert cue.cue == "overdose" and "tablets" in cue.matched


def test_empty_and_odd_text(cues):
    assert cues.check("") is None
    assert cues.check("\U0001F622\U0001F622") is None
    assert cues.check("x" * 5000) is None


def test_every_training_crisis_example_is_caught_by_cue_or_is_left_to_the_classifier(cues):
    """Most crisis training texts should already fire a cue: the two guards overlap."""
    import re
    import yaml

    data = yaml.safe_load(open("nlu_data/crisis.yml"))
    examples = [re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line[2:])
                for line in data["nlu"][0]["examples"].splitlines() if line.strip()]
    caught = sum(1 for e in examples if cues.check(e))
    assert caught / len(examples) >= 0.7
