"""`make run`'s start (scripts/run.sh) on an empty database seeds it before anything serves."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import free_port, seeded_directory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.model


def test_the_start_seeds_an_empty_directory_before_serving(tmp_path, model_path):
    url = f"sqlite:///{tmp_path / 'directory.db'}"
    seeded_directory(url, seed=False).engine.dispose()  # migrated, no services: the silent case
    web = free_port()
    env = {**os.environ, "DATABASE_URL": url, "WEB_PORT": str(web), "RASA_PORT": str(free_port()),
           "ACTIONS_PORT": str(free_port()), "RASA_AUTH_TOKEN": "a-test-token-of-enough-length",
           "SIGNPOST_SECURE_COOKIES": "0"}
    started = subprocess.Popen(["scripts/run.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline, state = time.time() + 120, None
        while time.time() < deadline and state is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{web}/health", timeout=2) as r:
                    state = json.load(r)["directory"]
            except OSError:
                assert started.poll() is None, started.stdout.read()
                time.sleep(0.5)
        assert state is not None, "the web app did not start"
        assert state["level"] == "ok" and state["active_services"] >= 250
    finally:
        os.killpg(started.pid, signal.SIGTERM)
        started.wait(timeout=60)
