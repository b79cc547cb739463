"""Load benchmark: K simulated residents texting the assistant through the Twilio webhook.

Each resident holds one conversation after another (realistic, misspelt texts), each text signed
as Twilio signs it and POSTed to /webhooks/twilio/webhook over loopback, waiting for the TwiML
answer before the next text (as a phone does). The run stops at --duration seconds or
--messages texts, whichever comes first. Two profiles, each started here on free ports:
- embedded: SQLite directory, one Rasa server, conversations and locks in memory (`make run`);
- production: PostgreSQL (directory + tracker store) and Redis (lock store), two Rasa servers
  behind HAProxy (`make run-production`): every text goes through the load balancer.
Beside each, the same texts at the same concurrency through Rasa's /model/parse alone: the NLU
cost, so the overhead of everything else (dialogue, actions, directory, stores, channel) shows
as a ratio. SMS cost: segments per conversation (GSM-7 counting, sms/gsm7.py).

Prints the figures and writes bench/results/load.md. Not a test.

    .venv/bin/python bench/load.py [--residents 10] [--duration 45] [--messages 600]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from directory.migrate import migrated_directory  # noqa: E402
from ops.load_balancer import LoadBalancer  # noqa: E402
from ops.servers import (  # noqa: E402
    ActionServer, PostgresServer, RasaServer, RedisServer, Unavailable,
)
from ops.twilio_sim import send  # noqa: E402
from sms.gsm7 import segments  # noqa: E402

MODEL = ROOT / "models" / "signpost.tar.gz"
TOKEN, SECRET = "bench-token", "bench-secret"
CONVERSATIONS = [
    ["hi", "need food bank", "batley", "1"],
    ["need a dentist", "huddersfield", "more"],
    ["how do i get a gp", "halifax"],
    ["bowel screening kit", "todmorden"],
    ["im so lonley", "dewsbury", "2"],
    ["i want to end my life"],
    ["help", "4", "brighouse"],
    ["cant afford the heating", "elland", "more"],
    ["my mum needs a carers break", "holmfirth", "1"],
    ["feeling realy low and anxious", "mirfield"],
    ["smear test", "sowerby bridge"],
    ["tooth ache no dentist", "heckmondwike", "2"],
]


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    conversation_segments: list[int] = field(default_factory=list)
    failures: int = 0
    seconds: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


async def load(webhooks: list[str], residents: int, duration: float, limit: int) -> Run:
    run = Run()
    numbers = itertools.count(1)
    turns = itertools.count()
    sent = itertools.count()
    deadline = time.perf_counter() + duration

    async def resident(index: int, session: aiohttp.ClientSession) -> None:
        for script in itertools.cycle(CONVERSATIONS[index % len(CONVERSATIONS):]
                                      + CONVERSATIONS[:index % len(CONVERSATIONS)]):
            number = f"+447700{next(numbers):06d}"
            cost = 0
            for body in script:
                if time.perf_counter() > deadline or next(sent) >= limit:
                    return
                url = webhooks[next(turns) % len(webhooks)]
                try:
                    reply = await send(session, url, TOKEN, body, number)
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    run.failures += 1
                    continue
                if reply.status != 200 or not reply.messages:
                    run.failures += 1
                run.latencies.append(reply.seconds)
                cost += sum(segments(m) for m in reply.messages)
            run.conversation_segments.append(cost)

    started = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=residents * 2)
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=60)) as session:
        await asyncio.gather(*(resident(i, session) for i in range(residents)))
    run.seconds = time.perf_counter() - started
    return run


async def parse_only(servers: list[str], residents: int, count: int) -> Run:
    """`servers`: each server's /model/parse URL, with its token."""
    run = Run()
    texts = itertools.cycle([body for script in CONVERSATIONS for body in script])
    turns = itertools.count()

    async def worker(session: aiohttp.ClientSession) -> None:
        while (turn := next(turns)) < count:
            url = servers[turn % len(servers)]
            started = time.perf_counter()
            async with session.post(url, json={"text": next(texts)}) as response:
                await response.read()
                if response.status != 200:
                    run.failures += 1
            run.latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(worker(session) for _ in range(residents)))
    run.seconds = time.perf_counter() - started
    return run


def seeded(url: str) -> None:
    directory = migrated_directory(url)
    directory.seed()
    directory.engine.dispose()


def measure(profile: str, tmp: Path, args: argparse.Namespace) -> dict:
    started: list = []
    env = {"TWILIO_AUTH_TOKEN": TOKEN, "SENDER_ID_SECRET": SECRET, "TWILIO_RATE_LIMIT": "100000",
           "RASA_AUTH_TOKEN": secrets.token_urlsafe(32)}  # one token for every Rasa server
    try:
        if profile == "embedded":
            database_url = f"sqlite:///{tmp / 'directory.db'}"
            seeded(database_url)
            servers_wanted, stores = 1, False
        else:
            postgres = PostgresServer().start()
            started.append(postgres)
            redis = RedisServer(install=True).start()
            started.append(redis)
            database_url = postgres.create_database("signpost")
            seeded(database_url)
            env["REDIS_URL"] = redis.url
            servers_wanted, stores = 2, True
        actions = ActionServer(tmp, database_url)
        started.append(actions)
        servers = [RasaServer(tmp, MODEL, actions.webhook, database_url, env,
                              project_stores=stores, wait=False) for _ in range(servers_wanted)]
        started.extend(servers)
        for server in servers:
            server.wait_ready()
        webhooks, parse_urls = [s.webhook for s in servers], [s.api("/model/parse") for s in servers]
        if profile == "production":
            balancer = LoadBalancer([s.port for s in servers], tmp / "haproxy", install=True)
            started.append(balancer.start())
            webhooks = [balancer.webhook]
            parse_urls = [f"{balancer.internal_url}/model/parse?token={servers[0].token}"]
        print(f"[{profile}] {len(servers)} Rasa server(s) up; {args.residents} residents, "
              f"up to {args.duration:.0f} s or {args.messages} texts", flush=True)
        asyncio.run(load(webhooks, 2, 5, 20))  # warm up
        whole = asyncio.run(load(webhooks, args.residents, args.duration, args.messages))
        nlu = asyncio.run(parse_only(parse_urls, args.residents, whole.count))
        return {"profile": profile, "servers": len(servers), "whole": whole, "nlu": nlu}
    finally:
        for server in reversed(started):
            server.stop()


def row(result: dict) -> str:
    whole, nlu = result["whole"], result["nlu"]
    ms = lambda v: f"{v * 1000:.0f}"  # noqa: E731
    rate = whole.count / whole.seconds
    nlu_rate = nlu.count / nlu.seconds
    return (f"| {result['profile']} ({result['servers']} Rasa) | {whole.count} | "
            f"{ms(percentile(whole.latencies, 50))} | {ms(percentile(whole.latencies, 95))} | "
            f"{ms(percentile(whole.latencies, 99))} | {rate:.1f} | {whole.failures} | "
            f"{ms(percentile(nlu.latencies, 50))} | {ms(percentile(nlu.latencies, 95))} | "
            f"{nlu_rate:.1f} | "
            f"{percentile(whole.latencies, 50) / percentile(nlu.latencies, 50):.1f}x |")


def cost_row(result: dict) -> str:
    costs = result["whole"].conversation_segments
    return (f"| {result['profile']} | {len(costs)} | {statistics.mean(costs):.1f} | "
            f"{max(costs)} |" if costs else f"| {result['profile']} | 0 | - | - |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=10)
    parser.add_argument("--duration", type=float, default=45.0)
    parser.add_argument("--messages", type=int, default=600)
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

    lines = [
        "# Load benchmark",
        "",
        f"{args.residents} simulated residents, each waiting for the answer before its next text, "
        f"for up to {args.duration:.0f} s or {args.messages} texts per profile, over loopback on "
        f"this machine ({os.cpu_count()} cores). Latency is one signed Twilio webhook request, "
        "answered inline as TwiML. NLU alone: the same texts, same concurrency, through "
        "`/model/parse`. Ratio: median webhook time / median NLU time. "
        "Reproduce: `.venv/bin/python bench/load.py` (part of `make bench`).",
        "",
        "| profile | texts | p50 ms | p95 ms | p99 ms | texts/s | failed | NLU p50 ms | "
        "NLU p95 ms | NLU texts/s | webhook / NLU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *[row(r) for r in results],
        "",
        "## SMS cost",
        "",
        "Segments the assistant's replies cost per finished conversation (160 GSM-7 characters a "
        "segment, 153 when a reply runs over several).",
        "",
        "| profile | conversations | mean segments | max segments |",
        "|---|---:|---:|---:|",
        *[cost_row(r) for r in results],
        *([""] + skipped if skipped else []),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "bench" / "results" / "load.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)


if __name__ == "__main__":
    main()
