"""docs/hazard-log.md names, for each hazard, the tests that verify its controls: each of them
must exist, so the log cannot drift from the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "docs" / "hazard-log.md"
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")
HAZARDS = ["Missed crisis", "False crisis", "Wrong, closed or out-of-area service",
           "cannot reach", "Out-of-date contact", "phone number leaked", "Message lost",
           "Impersonation", "Exposure of conversations"]


def functions_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def named_tests(text: str) -> list[tuple[str, str]]:
    return NAMED.findall(text)


def missing(text: str) -> list[str]:
    gone = []
    for file, name in named_tests(text):
        path = ROOT / file
        if not path.exists() or name not in functions_in(path):
            gone.append(f"{file}::{name}")
    return gone


def test_every_test_the_hazard_log_names_exists():
    text = LOG.read_text(encoding="utf-8")
    assert len(named_tests(text)) >= 40
    assert missing(text) == []


def test_every_hazard_the_issue_lists_is_in_the_log_with_tests():
    sections = re.split(r"\n## ", LOG.read_text(encoding="utf-8"))[1:]
    for hazard in HAZARDS:
        section = next((s for s in sections if hazard.lower() in s.splitlines()[0].lower()), None)
        assert section is not None, hazard
        assert "**Controls**" in section and named_tests(section), hazard


def test_the_check_can_fail():
    assert missing("`tests/test_hazard_log.py::test_that_was_renamed`") == \
        ["tests/test_hazard_log.py::test_that_was_renamed"]
    assert missing("`tests/no_such_file.py::test_x`") == ["tests/no_such_file.py::test_x"]
