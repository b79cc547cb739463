"""Where the Rasa server's time goes under load: py-spy records it while residents text.

Starts the embedded profile (`make run`'s servers, on free ports), warms up, then records the
Rasa server with py-spy (sampling, from outside: the server is not changed) while --residents
residents text through the signed Twilio webhook for --seconds, and sorts the samples into the
buckets issue 16 names. A sample counts for the first bucket whose frame it holds.

    .venv/bin/python bench/profile_server.py [--residents 10] [--seconds 25]

Prints the shares and writes bench/results/profile.md (the raw stacks go to bench/results/raw/).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import MODEL, SECRET, TOKEN, load, seeded  # noqa: E402
from ops.servers import ActionServer, RasaServer  # noqa: E402

BUCKETS = [  # (label, a piece of a frame that marks it), first match wins
    ("jsonschema validation of action responses", "_validate_action_result"),
    ("TEDPolicy prediction", "ted_policy.py"),
    ("NLU parse", "parse_message"),
    ("form activation and slot validation", "forms.py"),
    ("tracker store", "tracker_store.py"),
    ("running actions (building the call, waiting on the action server)",
     "rasa/core/actions/action.py"),
]


def buckets(stacks: Path) -> tuple[collections.Counter, int]:
    counts: collections.Counter = collections.Counter()
    total = 0
    for line in stacks.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        total += int(number)
        label = next((name for name, mark in BUCKETS if mark in stack), "everything else")
        counts[label] += int(number)
    return counts, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=25)
    parser.add_argument("--nonblocking", action="store_true",
                        help="sample without pausing the server (faster, but some stacks "
                             "come out garbled: a third of them in one run)")
    args = parser.parse_args()
    spy = shutil.which("py-spy", path=str(ROOT / ".venv" / "bin")) or shutil.which("py-spy")
    if not spy or not MODEL.exists():
        sys.exit("Needs py-spy (make install) and a trained model (make train).")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    raw = ROOT / "bench" / "results" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    stacks = raw / "rasa-server.stacks"
    with tempfile.TemporaryDirectory(prefix="signpost-profile-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'directory.db'}"
        seeded(url)
        actions = ActionServer(Path(tmp), url)
        env = {"TWILIO_AUTH_TOKEN": TOKEN, "SENDER_ID_SECRET": SECRET,
               "TWILIO_RATE_LIMIT": "100000"}
        rasa = RasaServer(Path(tmp), MODEL, actions.webhook, url, env)
        try:
            asyncio.run(load([rasa.webhook], 2, 5, 20))  # warm up
            recorder = subprocess.Popen(
                [spy, "record", "--pid", str(rasa.process.pid), "--duration", str(args.seconds),
                 "--format", "raw", "--output", str(stacks),
                 *(["--nonblocking"] if args.nonblocking else [])],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            run = asyncio.run(load([rasa.webhook], args.residents, args.seconds + 2, 10**6))
            if recorder.wait(timeout=120) != 0:
                sys.exit(f"py-spy failed: {recorder.stderr.read()[-500:]}")
        finally:
            rasa.stop()
            actions.stop()
    counts, total = buckets(stacks)
    lines = ["# Where the Rasa server's time goes",
             "",
             f"py-spy samples of the Rasa server (embedded profile) while {args.residents} "
             f"residents texted through the Twilio webhook for {args.seconds} s "
             f"({run.count} texts, {run.count / run.seconds:.1f} texts/s; {total} samples). "
             "Reproduce: `.venv/bin/python bench/profile_server.py`.",
             "",
             "| share of samples | where |", "|---:|---|",
             *[f"| {100 * n / total:.0f}% | {label} |" for label, n in counts.most_common()]]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "results" / "profile.md").write_text(text)


if __name__ == "__main__":
    main()
