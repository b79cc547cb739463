"""The clock bench/load.py reads from inside the Rasa server (ops/turn_timings.py)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

from ops import turn_timings
from ops.servers import ROOT


def test_timed_functions_add_their_calls_and_seconds_to_their_bucket():
    turn_timings.TOTALS.clear()

    async def slow_async() -> str:
        await asyncio.sleep(0.05)
        return "done"

    timed_sync = turn_timings._timed("sync", lambda: time.sleep(0.02) or 7)
    timed_async = turn_timings._timed("async", slow_async)
    assert timed_sync() == 7 and timed_sync() == 7
    assert asyncio.run(timed_async()) == "done"
    assert turn_timings.TOTALS["sync"][0] == 2 and turn_timings.TOTALS["sync"][1] >= 0.04
    assert turn_timings.TOTALS["async"][0] == 1 and turn_timings.TOTALS["async"][1] >= 0.05
    turn_timings.TOTALS.clear()


def test_nothing_is_wrapped_without_the_variable_and_rasa_is_wrapped_with_it(tmp_path):
    script = ("import os, sys, time; from ops import turn_timings; "
              "from rasa.core.processor import MessageProcessor as M; "
              "before = M.parse_message; on = turn_timings.install(); "
              "print(on, M.parse_message is not before); time.sleep(1.6)")
    off = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, env={"PATH": "/usr/bin:/bin"}, timeout=120)
    assert off.stdout.split() == ["False", "False"], off.stderr[-2000:]
    path = tmp_path / "timings.json"
    on = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                        env={"PATH": "/usr/bin:/bin", "SIGNPOST_TIMINGS": str(path)}, timeout=120)
    assert on.stdout.split() == ["True", "True"], on.stderr[-2000:]
    assert turn_timings.read(path) == {}  # written, nothing timed yet
    assert path.exists() and turn_timings.read(tmp_path / "missing.json") == {}
