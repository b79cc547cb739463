"""Rasa's own conversation tests (tests/stories/test_*.yml), run as `rasa test core --e2e`.

Every text is parsed by the trained NLU and every next action predicted by the dialogue policies;
one wrong intent, entity or action fails the run.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.model


def test_every_test_story_passes(model_path, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core",
         "--stories", str(ROOT / "tests" / "stories"),
         "--model", str(model_path), "--out", str(tmp_path),
         "--e2e", "--fail-on-prediction-errors"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    # Guard against a run that silently found no stories (files must be named test_*.yml).
    assert "Correct:          0 / 0" not in output
    assert "None of the test stories failed" in (tmp_path / "failed_test_stories.yml").read_text()
