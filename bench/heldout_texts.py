"""Single held-out texts, scored through any parser: topic and need accuracy, crisis recall
(and with one keyboard slip), false-crisis rate, small talk handled right.

bench/answers.py scores them through the running Rasa server's /model/parse. Run on its own,
this loads a model in this process (no servers), which is quick enough to compare two models:

    .venv/bin/python bench/heldout_texts.py [--model models/signpost.tar.gz] [--sets C D]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Awaitable, Callable

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
Parse = Callable[[str], Awaitable[dict]]

SMALL_TALK_OK = {"greet": {"greet", "small_talk", "help"}, "thanks": {"thanks", "small_talk"},
                 "goodbye": {"goodbye", "small_talk"}, "small_talk": {"small_talk", "greet"},
                 "out_of_scope": {"out_of_scope", "small_talk", "nlu_fallback"}}

# A and B: held-out sets that were also read while the need words and crisis cues were
# improved (B after it had been scored once), so their figures are optimistic. C and D: written
# by writers who saw no word list, cue, training text or other set, and never looked at while
# tuning: the fair measures (D was written after C's figures were known, as a second check).
# C and D were later seen in a debug log while tuning, so E (written 2026-12-01 after that, by a
# writer who read no training text, cue or other set, and never looked at) is the fair one now.
# F is a development set (written fresh like E, then read while tuning word lists and cues):
# its figures flatter, as A's to D's do. G: a second development set written the same way
# (2026-12-01, later session), heavy on crisis look-alikes, read while tuning like F. E was
# scored once after that round's tuning, then some of its crisis texts were seen in a debug
# log, so H (written fresh after that, by a writer who read no training text, cue or other
# set, its texts never read) is the fair measure now. Then some of H's slipped crisis texts were
# printed to the screen (a label count that showed its lines), so H became a development set and
# I (written fresh 2026-12-01, later session, by a writer who read only the taxonomy's codes) was
# the fair measure. I was scored twice (before and after a round tuned on H), then read to find
# what it missed (a crisis text among them), so J, written fresh the same way after that and
# never read, was the fair measure. J was scored with two models, then (2026-12-02) its crisis
# misses and false alarms were read to improve the cues: it is a development set now. K
# (written fresh 2026-12-02 after that, by a writer who read only the taxonomy's codes, its texts
# never read) is the fair measure now.
SETS = {"A": ("needs_heldout.yml", "crisis_heldout_typos.yml", "smalltalk_heldout.yml"),
        "B": ("needs_heldout_b.yml", "crisis_heldout_b.yml", None),
        "C": ("needs_heldout_c.yml", "crisis_heldout_c.yml", None),
        "D": ("needs_heldout_d.yml", "crisis_heldout_d.yml", "smalltalk_heldout_d.yml"),
        "E": ("needs_heldout_e.yml", "crisis_heldout_e.yml", "smalltalk_heldout_e.yml"),
        "F": ("needs_dev_f.yml", "crisis_dev_f.yml", "smalltalk_dev_f.yml"),
        "G": ("needs_dev_g.yml", "crisis_dev_g.yml", None),
        "H": ("needs_heldout_h.yml", "crisis_heldout_h.yml", "smalltalk_heldout_h.yml"),
        "I": ("needs_heldout_i.yml", "crisis_heldout_i.yml", "smalltalk_heldout_i.yml"),
        "J": ("needs_heldout_j.yml", "crisis_heldout_j.yml", "smalltalk_heldout_j.yml"),
        "K": ("needs_heldout_k.yml", "crisis_heldout_k.yml", "smalltalk_heldout_k.yml")}


def load(name: str):
    path = DATA / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def entries(data, key: str) -> list:
    if data is None:
        return []
    return data.get(key, []) if isinstance(data, dict) else data


def fired(result: dict) -> bool:
    return bool((result.get("crisis_guard") or {}).get("fired"))


def _share(hits: list) -> float | None:
    return sum(hits) / len(hits) if hits else None


async def score_set(parse: Parse, label: str) -> dict:
    """Topic and need accuracy, crisis recall (and with one slip), false-crisis rate, and
    small talk handled right, for one set."""
    needs_file, crisis_file, talk_file = SETS[label]
    scores: dict = {}
    texts = entries(load(needs_file), "texts")
    topics, needs = [], []
    for item in texts:
        result = await parse(item["text"])
        intent = (result.get("intent") or {}).get("name")
        topics.append(intent == item["topic"] or (
            item["topic"] in SMALL_TALK_OK and intent in SMALL_TALK_OK[item["topic"]]))
        if item.get("needs"):
            found = [n["code"] for n in result.get("needs") or []]
            if not found and fired(result):
                found = ["crisis"]  # a crisis text's need is the crisis itself
            needs.append(bool(found) and found[0] == item["needs"][0])
    scores.update(topic_accuracy=_share(topics), need_accuracy=_share(needs), texts=len(texts))
    crisis = entries(load(crisis_file), "texts")
    positives = [c for c in crisis if c.get("crisis")]
    negatives = [c for c in crisis if not c.get("crisis")]
    scores["crisis_recall"] = _share([fired(await parse(c["text"])) for c in positives])
    scores["crisis_recall_typo"] = _share([fired(await parse(c["typo"]))
                                           for c in positives if c.get("typo")])
    scores["false_crisis"] = _share([fired(await parse(c["text"])) for c in negatives])
    scores["crisis_texts"] = (len(positives), len(negatives))
    talk = entries(load(talk_file), "texts") if talk_file else []
    handled = []
    for item in talk:
        result = await parse(item["text"])
        handled.append((result.get("intent") or {}).get("name") in SMALL_TALK_OK[item["expect"]]
                       and not fired(result))
    scores["small_talk"] = _share(handled)
    scores["small_talk_texts"] = len(talk)
    return scores


def figure(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def table_rows(scores: dict, labels) -> list[str]:
    rows = []
    for label in labels:
        s = scores[label]
        rows += [f"| set {label}: topic accuracy ({s['texts']} texts) | "
                 f"{figure(s['topic_accuracy'])} | 0.95 |",
                 f"| set {label}: need accuracy (first need) | {figure(s['need_accuracy'])} "
                 "| 0.90 |",
                 f"| set {label}: crisis recall ({s['crisis_texts'][0]} texts) | "
                 f"{figure(s['crisis_recall'])} | 1.00 |",
                 f"| set {label}: crisis recall, one keyboard slip | "
                 f"{figure(s['crisis_recall_typo'])} | 1.00 |",
                 f"| set {label}: false-crisis rate ({s['crisis_texts'][1]} look-alikes) | "
                 f"{figure(s['false_crisis'])} | <= 0.02 |"]
        if s["small_talk_texts"]:
            rows.append(f"| set {label}: small talk and off-topic handled right "
                        f"({s['small_talk_texts']} texts) | {figure(s['small_talk'])} | 0.85 |")
    return rows


async def _in_process(model: Path, labels: list[str]) -> dict:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return {label: await score_set(agent.parse_message, label) for label in labels}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "signpost.tar.gz")
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    args = parser.parse_args()
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    sys.path.insert(0, str(ROOT))
    scores = asyncio.run(_in_process(args.model, args.sets))
    print("| figure | value | target |\n|---|---:|---:|")
    print("\n".join(table_rows(scores, args.sets)))


if __name__ == "__main__":
    main()
