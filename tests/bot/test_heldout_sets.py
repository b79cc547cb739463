"""The held-out sets that bench/answers.py and bench/heldout_texts.py score stay unseen, and the
development sets (read while tuning, never trained on) stay out of training: no text of theirs
is word for word in the training data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SETS = sorted([*(ROOT / "tests" / "data").glob("*_heldout*.yml"),
               *(ROOT / "tests" / "data").glob("*_dev_*.yml")])
MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


def plain(text: str) -> str:
    return " ".join(MARKUP.sub(lambda m: m.group(1) or m.group(2), text).lower().split())


def trained() -> set[str]:
    texts = set()
    for path in (ROOT / "nlu_data").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in (block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    texts.add(plain(line.strip()[2:]))
    return texts


def heldout_texts(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        return []
    return [t["text"] for t in data.get("texts") or []] + \
        [turn for c in data.get("conversations") or [] for turn in c.get("turns") or []]


@pytest.mark.parametrize("path", [p for p in SETS if p.name != "nlu_heldout.yml"],
                         ids=lambda p: p.name)
def test_no_heldout_text_is_in_the_training_data(path):
    seen = trained()
    texts = heldout_texts(path)
    assert [t for t in texts if plain(t) in seen] == []


def test_the_check_can_fail():
    assert plain("im in [batley](location)") in trained()
