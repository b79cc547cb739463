"""Load benchmark: simulated residents texting the assistant through the Twilio webhook.

Each resident holds one conversation after another (realistic, misspelt texts), each text signed
as Twilio signs it and POSTed to /webhooks/twilio/webhook over loopback, waiting for the TwiML
answer before the next text (as a phone does). Two profiles, each started here on free ports:
- embedded: SQLite directory, one Rasa server, conversations and locks in memory (`make run`);
- production: PostgreSQL (directory + tracker store) and Redis (lock store), two Rasa servers
  behind HAProxy (`make run-production`): every text goes through the load balancer.
For each profile, in one run: NLU alone (`/model/parse`) and whole turns for one resident at a
time (p50/p95), then 10 and 50 residents at once (texts a second and p95), the Rasa servers'
resident memory after it all, and where a one-resident turn goes (parse, policy prediction,
action server, tracker store) from the server's own clock (ops/turn_timings.py). SMS cost:
segments per conversation (GSM-7 counting, sms/gsm7.py).

Prints the figures and writes bench/results/load.md. Not a test.

    .venv/bin/python bench/load.py [--single 200] [--duration 40] [--messages 800]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load_drive import SECRET, TOKEN, load, parse_only, percentile  # noqa: E402
from directory.migrate import migrated_directory  # noqa: E402
from ops import turn_timings  # noqa: E402
from ops.load_balancer import LoadBalancer  # noqa: E402
from ops.servers import (  # noqa: E402
    ActionServer, PostgresServer, RasaServer, RedisServer, Unavailable, free_port,
)

MODEL = ROOT / "models" / "signpost.tar.gz"


def seeded(url: str) -> None:
    directory = migrated_directory(url)
    directory.seed()
    directory.engine.dispose()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timings(paths: list[Path]) -> dict[str, list[float]]:
    """Calls and seconds per bucket, summed over the servers."""
    time.sleep(1.5)  # each server writes its totals once a second
    summed: dict[str, list[float]] = {}
    for path in paths:
        for bucket, value in turn_timings.read(path).items():
            entry = summed.setdefault(bucket, [0, 0.0])
            entry[0] += value["calls"]
            entry[1] += value["seconds"]
    return summed


def breakdown(before: dict, after: dict) -> dict[str, float]:
    """Mean milliseconds per turn in each bucket between two readings."""
    turns = after["turn"][0] - before.get("turn", [0, 0.0])[0]
    return {bucket: (value[1] - before.get(bucket, [0, 0.0])[1]) * 1000 / max(turns, 1)
            for bucket, value in after.items()}


def start_profile(profile: str, tmp: Path, env: dict) -> tuple[list, list, list[Path]]:
    started: list = []
    if profile == "embedded":
        database_url = f"sqlite:///{tmp / 'directory.db'}"
        seeded(database_url)
        wanted, stores = 1, False
    else:
        postgres = PostgresServer().start()
        started.append(postgres)
        redis = RedisServer(install=True).start()
        started.append(redis)
        database_url = postgres.create_database("signpost")
        seeded(database_url)
        env = {**env, "REDIS_URL": redis.url}
        wanted, stores = 2, True
    actions = ActionServer(tmp, database_url)
    started.append(actions)
    servers, clocks = [], []
    for _ in range(wanted):
        port = free_port()
        clocks.append(tmp / f"timings-{port}.json")
        servers.append(RasaServer(tmp, MODEL, actions.webhook, database_url,
                                  {**env, "SIGNPOST_TIMINGS": str(clocks[-1])},
                                  project_stores=stores, port=port, wait=False))
        started.append(servers[-1])
    for server in servers:
        server.wait_ready()
    return started, servers, clocks


def measure(profile: str, tmp: Path, args: argparse.Namespace) -> dict:
    env = {"TWILIO_AUTH_TOKEN": TOKEN, "SENDER_ID_SECRET": SECRET, "TWILIO_RATE_LIMIT": "100000",
           "RASA_AUTH_TOKEN": secrets.token_urlsafe(32)}  # one token for every Rasa server
    started: list = []
    try:
        started, servers, clocks = start_profile(profile, tmp, env)
        webhooks = [server.webhook for server in servers]
        parse_urls = [server.api("/model/parse") for server in servers]
        if profile == "production":
            balancer = LoadBalancer([s.port for s in servers], tmp / "haproxy", install=True)
            started.append(balancer.start())
            webhooks = [balancer.webhook]
            parse_urls = [f"{balancer.internal_url}/model/parse?token={servers[0].token}"]
        print(f"[{profile}] {len(servers)} Rasa server(s) up", flush=True)
        asyncio.run(load(webhooks, 2, 10, 40))  # warm up
        parse = asyncio.run(parse_only(parse_urls, 1, args.single))
        before = timings(clocks)
        single = asyncio.run(load(webhooks, 1, args.duration, args.single))
        split = breakdown(before, timings(clocks))
        crowds = {k: asyncio.run(load(webhooks, k, args.duration, args.messages))
                  for k in (10, 50)}
        print(f"[{profile}] done", flush=True)
        return {"profile": profile, "servers": len(servers), "parse": parse, "single": single,
                "crowds": crowds, "split": split,
                "rss": [rss_mib(server.process.pid) for server in servers]}
    finally:
        for server in reversed(started):
            server.stop()


def ms(value: float) -> str:
    return f"{value * 1000:.0f}"


def row(r: dict) -> str:
    parse, single, crowds = r["parse"], r["single"], r["crowds"]
    cells = [f"{r['profile']} ({r['servers']} Rasa)", ms(percentile(parse.latencies, 50)),
             ms(percentile(parse.latencies, 95)), ms(percentile(single.latencies, 50)),
             ms(percentile(single.latencies, 95)),
             f"{percentile(single.latencies, 50) / percentile(parse.latencies, 50):.1f}x"]
    for k in (10, 50):
        run = crowds[k]
        cells += [f"{run.count / run.seconds:.1f}", ms(percentile(run.latencies, 95))]
    failed = single.failures + sum(run.failures for run in crowds.values())
    cells += [str(failed), " + ".join(f"{v:.0f}" for v in r["rss"])]
    return "| " + " | ".join(cells) + " |"


BUCKETS = ["parse", "policy prediction", "action server", "tracker store"]


def split_row(r: dict) -> str:
    split = r["split"]
    turn = split.get("turn", 0.0)
    other = turn - sum(split.get(b, 0.0) for b in BUCKETS)
    return ("| " + " | ".join([r["profile"], f"{turn:.1f}",
                               *[f"{split.get(b, 0.0):.1f}" for b in BUCKETS], f"{other:.1f}"])
            + " |")


def cost_row(r: dict) -> str:
    costs = r["crowds"][10].conversation_segments
    return (f"| {r['profile']} | {len(costs)} | {statistics.mean(costs):.1f} | "
            f"{max(costs)} |" if costs else f"| {r['profile']} | 0 | - | - |")


def report(results: list[dict], skipped: list[str], args: argparse.Namespace) -> str:
    lines = [
        "# Load benchmark",
        "",
        f"Over loopback on this machine ({os.cpu_count()} cores), each resident waiting for the "
        "answer before its next text. Parse: `/model/parse` alone, one text at a time "
        f"({args.single} texts). Turn: one signed Twilio webhook request answered inline as TwiML, "
        f"one resident at a time ({args.single} texts). 10 and 50: that many residents at once "
        f"for up to {args.duration:.0f} s or {args.messages} texts. RSS: each Rasa server's "
        "resident memory after the run. Reproduce: `.venv/bin/python bench/load.py` "
        "(part of `make bench`).",
        "",
        "| profile | parse p50 ms | parse p95 ms | turn p50 ms | turn p95 ms | turn / parse | "
        "10: texts/s | 10: p95 ms | 50: texts/s | 50: p95 ms | failed | Rasa RSS MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *[row(r) for r in results],
        "",
        "## Where a turn goes",
        "",
        "Mean milliseconds per turn, one resident at a time, from the Rasa server's own clock "
        "(ops/turn_timings.py). Action server includes Rasa's check of its response; other is "
        "the rest of the turn (locks, rules, events, the channel).",
        "",
        "| profile | turn | parse | policy prediction | action server | tracker store | other |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *[split_row(r) for r in results],
        "",
        "## SMS cost",
        "",
        "Segments the assistant's replies cost per finished conversation, 10 residents at once "
        "(160 GSM-7 characters a segment, 153 when a reply runs over several).",
        "",
        "| profile | conversations | mean segments | max segments |",
        "|---|---:|---:|---:|",
        *[cost_row(r) for r in results],
        *([""] + skipped if skipped else []),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=200, help="texts for one resident")
    parser.add_argument("--duration", type=float, default=40.0)
    parser.add_argument("--messages", type=int, default=800)
    parser.add_argument("--profiles", default="embedded,production")
    args = parser.parse_args()
    if not MODEL.exists():
        sys.exit("No trained model: run `make train` first.")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

    results, skipped = [], []
    for profile in args.profiles.split(","):
        with tempfile.TemporaryDirectory(prefix=f"signpost-load-{profile}-") as tmp:
            try:
                results.append(measure(profile, Path(tmp), args))
            except Unavailable as why:
                skipped.append(f"- {profile}: skipped, {why}")
                print(skipped[-1], flush=True)
    text = report(results, skipped, args)
    print(text)
    out = ROOT / "bench" / "results" / "load.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)


if __name__ == "__main__":
    main()
