"""Where a turn's time goes, measured inside the Rasa server: set SIGNPOST_TIMINGS to a file path.

ops/rasa_run.py then wraps five of Rasa's own methods with a clock: the whole turn
(`MessageProcessor.handle_message`), NLU (`parse_message`), policy prediction
(`_predict_next_with_tracker`, every policy of the ensemble), the action server round trip
(`RemoteAction.run`, including Rasa's check of the response) and the tracker store (the
processor's `get_tracker` and `save_tracker`, whichever store is behind them). Calls and seconds per bucket are
written to the file as JSON once a second; bench/load.py reads it before and after each phase.
Off by default: nothing is wrapped without the variable.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import threading
import time
from pathlib import Path
from typing import Any, Callable

TOTALS: dict[str, list[float]] = {}
_lock = threading.Lock()


def _add(bucket: str, seconds: float) -> None:
    with _lock:
        entry = TOTALS.setdefault(bucket, [0, 0.0])
        entry[0] += 1
        entry[1] += seconds


def _timed(bucket: str, function: Callable) -> Callable:
    if inspect.iscoroutinefunction(function):
        @functools.wraps(function)
        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                _add(bucket, time.perf_counter() - started)
        return timed_async

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _add(bucket, time.perf_counter() - started)
    return timed


def _writer(path: Path) -> None:
    while True:
        time.sleep(1)
        with _lock:
            text = json.dumps({k: {"calls": v[0], "seconds": v[1]} for k, v in TOTALS.items()})
        path.with_suffix(".tmp").write_text(text)
        path.with_suffix(".tmp").replace(path)


def install() -> bool:
    """Wrap Rasa's methods when SIGNPOST_TIMINGS is set; True when it did."""
    target = os.environ.get("SIGNPOST_TIMINGS")
    if not target:
        return False
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor

    for owner, name, bucket in (
            (MessageProcessor, "handle_message", "turn"),
            (MessageProcessor, "parse_message", "parse"),
            (MessageProcessor, "_predict_next_with_tracker", "policy prediction"),
            (RemoteAction, "run", "action server"),
            (MessageProcessor, "get_tracker", "tracker store"),
            (MessageProcessor, "save_tracker", "tracker store")):
        setattr(owner, name, _timed(bucket, getattr(owner, name)))
    threading.Thread(target=_writer, args=(Path(target),), daemon=True).start()
    return True


def read(path: Path) -> dict[str, dict[str, float]]:
    """The totals a server last wrote ({} before its first write)."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
