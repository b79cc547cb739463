"""Simulated residents for bench/load.py: conversations signed as Twilio signs them, and the
same texts through /model/parse alone."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field

import aiohttp

from ops.twilio_sim import send
from sms.gsm7 import segments

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


