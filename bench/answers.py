"""Answer quality, end to end: held-out residents' conversations against the real stack.

Starts the servers `make run` starts (action server, Rasa server with the trained model, a freshly
seeded SQLite directory) on free ports and, over the REST channel, holds each conversation of
tests/data/answers_heldout.yml. After the last turn it reads the services the assistant listed
(the tracker's `shown_services`) and scores the reply:
- relevant: one of the first three listed services is of the right kind (its topics include the
  need, or a narrower term of it);
- reachable: every listed service has a phone, web address, email or an address with hours;
- right borough: every listed local service covers the resident's borough (national ones do);
- SMS segments of every reply (GSM-7), mean and max.
Then, through /model/parse on the same server, the held-out single texts: topic accuracy, need
accuracy (tests/data/needs_heldout.yml), crisis recall with and without one keyboard slip and the
false-crisis rate (tests/data/crisis_heldout_typos.yml), and small talk / off-topic handled right
(tests/data/smalltalk_heldout.yml).

Prints the figures and writes bench/results/answers.md. Not a test.

    .venv/bin/python bench/answers.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import yaml  # noqa: E402

from directory import sources  # noqa: E402
from directory.migrate import migrated_directory  # noqa: E402
from ops.servers import ActionServer, RasaServer, Unavailable  # noqa: E402
from sms.gsm7 import segments  # noqa: E402

MODEL = ROOT / "models" / "signpost.tar.gz"
DATA = ROOT / "tests" / "data"
SMALL_TALK_OK = {"greet": {"greet", "small_talk", "help"}, "thanks": {"thanks", "small_talk"},
                 "goodbye": {"goodbye", "small_talk"}, "small_talk": {"small_talk", "greet"},
                 "out_of_scope": {"out_of_scope", "small_talk", "nlu_fallback"}}
HEALTH_TOPICS = {"gp", "dentist", "mental_health", "crisis"}


def load(name: str):
    path = DATA / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def entries(data, key: str) -> list:
    if data is None:
        return []
    return data.get(key, []) if isinstance(data, dict) else data


def kinds(directory, code: str) -> set[str]:
    """The need and its narrower terms ("screening" covers "screening_bowel")."""
    from directory.search import _topic_codes

    return set(_topic_codes(directory, code))


def covers_borough(plain: dict, borough: str, gazetteer) -> bool:
    area = plain["area"]
    if area == "national":
        return True
    for value in area:
        if value == borough or gazetteer.districts.get(value, None) is not None and \
                gazetteer.districts[value].borough == borough:
            return True
    return False


async def converse(session, rest: str, sender: str, turns: list[str]) -> list[list[str]]:
    replies = []
    for text in turns:
        async with session.post(rest, json={"sender": sender, "message": text}) as response:
            body = await response.json()
        replies.append([m.get("text", "") for m in body or []])
    return replies


async def parse(session, url: str, text: str) -> dict:
    async with session.post(f"{url}/model/parse", json={"text": text}) as response:
        return await response.json()


def fired(result: dict) -> bool:
    return bool((result.get("crisis_guard") or {}).get("fired"))


async def single_texts(session, url: str, needs_file: str, crisis_file: str) -> dict:
    """Topic and need accuracy, crisis recall (and with one slip), false-crisis rate."""
    scores: dict = {}
    texts = entries(load(needs_file), "texts")
    topic_hits, need_hits, need_total = 0, 0, 0
    for item in texts:
        result = await parse(session, url, item["text"])
        intent = (result.get("intent") or {}).get("name")
        topic_hits += intent == item["topic"] or (
            item["topic"] in SMALL_TALK_OK and intent in SMALL_TALK_OK[item["topic"]])
        if item.get("needs"):
            need_total += 1
            found = [n["code"] for n in result.get("needs") or []]
            if not found and fired(result):
                found = ["crisis"]  # a crisis text's need is the crisis itself
            need_hits += bool(found) and found[0] == item["needs"][0]
    scores["topic_accuracy"] = topic_hits / len(texts) if texts else None
    scores["need_accuracy"] = need_hits / need_total if need_total else None
    scores["texts"] = len(texts)
    crisis = entries(load(crisis_file), "texts")
    positives = [c for c in crisis if c.get("crisis")]
    negatives = [c for c in crisis if not c.get("crisis")]
    slips = [c for c in positives if c.get("typo")]
    scores["crisis_recall"] = (sum([fired(await parse(session, url, c["text"]))
                                    for c in positives]) / len(positives)) if positives else None
    scores["crisis_recall_typo"] = (sum([fired(await parse(session, url, c["typo"]))
                                         for c in slips]) / len(slips)) if slips else None
    scores["false_crisis"] = (sum([fired(await parse(session, url, c["text"]))
                                   for c in negatives]) / len(negatives)) if negatives else None
    scores["crisis_texts"] = (len(positives), len(negatives))
    return scores


# A and B: held-out sets that were also read while the need words and crisis cues were
# improved (B after it had been scored once), so their figures are optimistic. C: written last by
# a writer who saw no word list, cue or other set, and never looked at: the fair measure.
SETS = [("A", "needs_heldout.yml", "crisis_heldout_typos.yml"),
        ("B", "needs_heldout_b.yml", "crisis_heldout_b.yml"),
        ("C", "needs_heldout_c.yml", "crisis_heldout_c.yml")]


async def run_all(url: str, directory) -> dict:
    gazetteer = directory.gazetteer
    conversations = entries(load("answers_heldout.yml"), "conversations")
    scores = {"relevant": [], "reachable": [], "borough": [], "segments": [], "misses": [],
              "wrong_borough": []}
    async with aiohttp.ClientSession() as session:
        for number, case in enumerate(conversations):
            sender = f"bench-{number}"
            replies = await converse(session, f"{url}/webhooks/rest/webhook", sender, case["turns"])
            scores["segments"] += [segments(t) for turn in replies for t in turn if t]
            async with session.get(f"{url}/conversations/{sender}/tracker") as response:
                tracker = await response.json()
            shown = (tracker.get("slots") or {}).get("shown_services") or []
            plains = [directory.get(sid) for sid in shown]
            wanted = kinds(directory, case["need"])
            relevant = any(wanted & set(p["topics"]) for p in plains[:3])
            scores["relevant"].append(relevant)
            if plains:  # a reply with no list offers nothing unreachable or out of area
                scores["reachable"].append(all(sources.reachable(p) for p in plains))
                in_borough = all(covers_borough(p, case["borough"], gazetteer) for p in plains)
                scores["borough"].append(in_borough)
                if not in_borough:
                    scores["wrong_borough"].append((case.get("id", number), [
                        p["name"] for p in plains if not covers_borough(p, case["borough"],
                                                                        gazetteer)]))
            if not relevant:
                scores["misses"].append((case.get("id", number), case["turns"],
                                         [p["name"] for p in plains[:3]],
                                         " | ".join(replies[-1])[:160] if replies else ""))

        for label, needs_file, crisis_file in SETS:
            scores[label] = await single_texts(session, url, needs_file, crisis_file)
        talk = entries(load("smalltalk_heldout.yml"), "texts")
        right = 0
        for item in talk:
            result = await parse(session, url, item["text"])
            right += (result.get("intent") or {}).get("name") in SMALL_TALK_OK[item["expect"]] \
                and not fired(result)
        scores["small_talk"] = right / len(talk) if talk else None
    return scores


def share(values: list[bool]) -> str:
    return f"{sum(values) / len(values):.3f} ({sum(values)}/{len(values)})" if values else "-"


def figure(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def main() -> None:
    if not MODEL.exists():
        sys.exit("No trained model: run `make train` first.")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    with tempfile.TemporaryDirectory(prefix="signpost-answers-") as tmp:
        tmp_path = Path(tmp)
        url = f"sqlite:///{tmp_path / 'directory.db'}"
        directory = migrated_directory(url)
        report = directory.seed()
        started = []
        try:
            actions = ActionServer(tmp_path, url)
            started.append(actions)
            rasa = RasaServer(tmp_path, MODEL, actions.webhook, url)
            started.append(rasa)
            scores = asyncio.run(run_all(rasa.url, directory))
        except Unavailable as why:
            sys.exit(f"Could not start the servers: {why}")
        finally:
            for server in reversed(started):
                server.stop()
    segs = scores["segments"]
    lines = [
        "# Answer quality",
        "",
        f"Held-out conversations (tests/data/answers_heldout.yml), written fresh and never trained "
        f"on, held with the real servers over the REST channel; a freshly seeded directory "
        f"({len(report.created)} services loaded). Reproduce: `.venv/bin/python bench/answers.py`.",
        "",
        "Sets A and B of single texts were also read while the need words and crisis cues were "
        "improved (B after its first scoring), so their figures are optimistic; set C was written "
        "last by a writer who saw no word list, cue or other set, and was never looked at: it is "
        "the fair measure.",
        "",
        "| figure | value | target |",
        "|---|---:|---:|",
        f"| relevant: a right-kind service in the first three | {share(scores['relevant'])} | 0.90 |",
        f"| reachable: every listed service (replies with a list) | {share(scores['reachable'])} "
        "| 0.95 |",
        f"| right borough: every listed service (replies with a list) | "
        f"{share(scores['borough'])} | 1.00 |",
        f"| SMS segments per reply, mean | {statistics.mean(segs):.2f} | <= 2 |" if segs else "",
        f"| SMS segments per reply, max | {max(segs)} | <= 3 |" if segs else "",
        *[row for label, _, _ in SETS for row in (
            f"| set {label}: topic accuracy ({scores[label]['texts']} texts) | "
            f"{figure(scores[label]['topic_accuracy'])} | 0.95 |",
            f"| set {label}: need accuracy (first need) | {figure(scores[label]['need_accuracy'])} "
            "| 0.90 |",
            f"| set {label}: crisis recall ({scores[label]['crisis_texts'][0]} texts) | "
            f"{figure(scores[label]['crisis_recall'])} | 1.00 |",
            f"| set {label}: crisis recall, one keyboard slip | "
            f"{figure(scores[label]['crisis_recall_typo'])} | 1.00 |",
            f"| set {label}: false-crisis rate ({scores[label]['crisis_texts'][1]} look-alikes) | "
            f"{figure(scores[label]['false_crisis'])} | <= 0.02 |")],
        f"| small talk and off-topic handled right | {figure(scores['small_talk'])} | 0.85 |",
        "",
        "## Conversations without a right-kind service in the first three",
        "",
        *[f"- {cid}: {' / '.join(turns)} -> {', '.join(names) or 'no list'} ({reply})"
          for cid, turns, names, reply in scores["misses"]],
        "",
        "## Listed outside the resident's borough",
        "",
        *[f"- {cid}: {', '.join(names)}" for cid, names in scores["wrong_borough"]],
    ]
    text = "\n".join(line for line in lines if line is not None) + "\n"
    print(text)
    out = ROOT / "bench" / "results" / "answers.md"
    out.write_text(text)


if __name__ == "__main__":
    main()
