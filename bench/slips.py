"""Crisis recall when each crisis text has one scripted keyboard slip (a neighbouring key, a letter
dropped or doubled, in any word of three letters or more), five slips a text, and false alarms
over the look-alikes slipped the same way (two a text). The held-out sets' own slips were made by
their writers, one a text; these are many more, in every word, so they find where a slip in an
ordinary word ("thhe", "somone") breaks a cue's phrase. Figures only.

    .venv/bin/python bench/slips.py [--model models/signpost.tar.gz] [--sets A B C D F G]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))



_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEIGHBOURS: dict[str, str] = {}
for r, row in enumerate(_ROWS):
    for c, key in enumerate(row):
        near = [row[i] for i in (c - 1, c + 1) if 0 <= i < len(row)]
        for other in (r - 1, r + 1):
            if 0 <= other < len(_ROWS):
                near += [_ROWS[other][i] for i in (c - 1, c, c + 1) if 0 <= i < len(_ROWS[other])]
        NEIGHBOURS[key] = "".join(near)

_WORD = re.compile(r"[a-z]{3,}")


def slip_word(word: str, rng: random.Random) -> str:
    """`word` with one slip, never the word itself."""
    at = rng.randrange(len(word))
    kind = rng.choice(("near", "drop", "double"))
    if kind == "near" and word[at] in NEIGHBOURS:
        return word[:at] + rng.choice(NEIGHBOURS[word[at]]) + word[at + 1:]
    if kind == "drop":
        return word[:at] + word[at + 1:]
    return word[:at] + word[at] + word[at:]


def slipped(text: str, rng: random.Random) -> str:
    """`text` with one slip in one of its words of three letters or more (as it is if none)."""
    words = list(_WORD.finditer(text.lower()))
    if not words:
        return text
    found = rng.choice(words)
    return text[:found.start()] + slip_word(found.group(0), rng) + text[found.end():]


async def measure(model: Path, labels: list[str], copies: int = 5) -> list[str]:
    from rasa.core.agent import Agent

    from bench.heldout_texts import SETS, entries, fired, load

    agent = Agent.load(str(model))
    rng = random.Random(7)
    lines = ["| set | slipped crisis texts | caught | slipped look-alikes | false alarms |",
             "|---|---:|---:|---:|---:|"]
    for label in labels:
        crisis = caught = others = alarms = 0
        for item in entries(load(SETS[label][1]), "texts"):
            for _ in range(copies if item.get("crisis") else 2):
                hit = fired(await agent.parse_message(slipped(item["text"], rng)))
                if item.get("crisis"):
                    crisis, caught = crisis + 1, caught + hit
                else:
                    others, alarms = others + 1, alarms + hit
        lines.append(f"| {label} | {crisis} | {caught / max(crisis, 1):.3f} | {others} | "
                     f"{alarms / max(others, 1):.3f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "signpost.tar.gz")
    parser.add_argument("--sets", nargs="+", default=["A", "B", "C", "D", "F", "G"])
    args = parser.parse_args()
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    print("\n".join(asyncio.run(measure(args.model, args.sets))))


if __name__ == "__main__":
    main()
