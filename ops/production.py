"""The production profile on one machine: `signpost production` (`make run-production`).

Starts PostgreSQL (data in var/production/postgres, run as the `postgres` user when we are root)
and Redis (installed with apt-get where missing), migrates and seeds the directory there, then
the action server, two Rasa servers sharing conversations through the SQL tracker store and the
Redis lock store, HAProxy in front of them (ops/load_balancer.py: its public port takes only
Twilio's webhook, status callback and /health), and the web app. Conversation data older than
RETENTION_DAYS is purged at start and once a day. Ctrl-C stops everything, databases last; the
data stays for the next start.

Twilio settings (TWILIO_AUTH_TOKEN, SENDER_ID_SECRET, ...) come from the environment as for
`make run`; point Twilio (through your TLS proxy) at the load balancer's public port.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading

from ops.load_balancer import LoadBalancer
from ops.rasa_run import MIN_LENGTH as MIN_TOKEN_LENGTH
from ops.servers import ROOT, ActionServer, PostgresServer, RasaServer, RedisServer, Unavailable

DATA = ROOT / "var" / "production"
MODEL = ROOT / "models" / "signpost.tar.gz"


def _say(text: str) -> None:
    print(f"[production] {text}", flush=True)


def run(args: argparse.Namespace) -> int:
    from directory.migrate import migrated_directory
    from ops.retention import purge, retention_days

    if not MODEL.exists():
        print("No trained model: run `make train` first (make run-production does it).",
              file=sys.stderr)
        return 2
    token = os.environ.get("RASA_AUTH_TOKEN", "")
    if len(token) < MIN_TOKEN_LENGTH:
        print("RASA_AUTH_TOKEN must be set (at least 16 characters) for the production profile: "
              "the Rasa API and REST channel are closed without it. Make one with "
              "`openssl rand -hex 32` and keep it with your other secrets.", file=sys.stderr)
        return 2
    logs = DATA / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    started: list = []
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        postgres = PostgresServer(DATA / "postgres", port=args.postgres_port).start()
        started.append(postgres)
        database_url = postgres.create_database("signpost", replace=False)
        _say(f"PostgreSQL on 127.0.0.1:{postgres.port} ({DATA / 'postgres'})")
        directory = migrated_directory(database_url)
        report = directory.seed()
        directory.engine.dispose()
        _say(f"Directory migrated and seeded: {report.summary()}")

        redis = RedisServer(DATA / "redis", port=args.redis_port, install=True).start()
        started.append(redis)
        _say(f"Redis on 127.0.0.1:{redis.port}")

        os.environ["DATABASE_URL"] = database_url
        os.environ["REDIS_URL"] = redis.url
        _say(purge(database_url).summary())

        actions = ActionServer(logs, database_url, port=args.actions_port)
        started.append(actions)
        _say(f"Action server on :{actions.port}")
        servers = []
        for port in args.rasa_ports:  # they load the model side by side
            servers.append(RasaServer(logs, MODEL, actions.webhook, database_url,
                                      extra_env={"REDIS_URL": redis.url}, project_stores=True,
                                      port=port, wait=False, token=token))
            started.append(servers[-1])
        for server in servers:
            server.wait_ready()
            _say(f"Rasa server on 127.0.0.1:{server.port}")
        balancer = LoadBalancer([server.port for server in servers], DATA / "haproxy",
                                port=args.public_port, public_interface=args.public_interface,
                                install=True).start()
        started.append(balancer)
        _say(f"HAProxy: Twilio's webhook at {args.public_interface}:{balancer.port}"
             "/webhooks/twilio/webhook (status callback and /health beside it, nothing else); "
             f"the web app reaches Rasa through 127.0.0.1:{balancer.internal_port}")
        web_log = open(logs / "web.log", "a")
        web = subprocess.Popen(
            [sys.executable, "-m", "cli", "web", "--port", str(args.web_port)], cwd=ROOT,
            env={**os.environ, "RASA_URL": balancer.internal_url}, stdout=web_log,
            stderr=subprocess.STDOUT)
        _say(f"Web app on http://127.0.0.1:{args.web_port}")
        if not os.environ.get("TWILIO_AUTH_TOKEN") or not os.environ.get("SENDER_ID_SECRET"):
            _say("TWILIO_AUTH_TOKEN or SENDER_ID_SECRET is not set: the SMS webhook refuses "
                 "every request until they are.")
        _say(f"Logs in {logs}. Ctrl-C stops everything.")
        while not stopping.wait(timeout=86400):
            _say(purge(database_url, retention_days()).summary())
    except KeyboardInterrupt:
        pass
    except Unavailable as why:
        print(f"Could not start the production profile: {why}", file=sys.stderr)
        return 1
    finally:
        _say("Stopping...")
        if "web" in locals():
            web.terminate()
            web.wait(timeout=30)
        for server in reversed(started):
            server.stop()  # PostgreSQL and Redis keep their data directories
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "production", help="run the production profile: PostgreSQL, Redis, two Rasa servers")
    command.add_argument("--postgres-port", type=int, default=5433)
    command.add_argument("--redis-port", type=int, default=6380)
    command.add_argument("--actions-port", type=int, default=5055)
    command.add_argument("--rasa-ports", type=int, nargs="+", default=[5005, 5006])
    command.add_argument("--web-port", type=int, default=8080)
    command.add_argument("--public-port", type=int, default=5000,
                         help="the load balancer's public port (Twilio's webhook)")
    command.add_argument("--public-interface", default="127.0.0.1",
                         help="where the public port listens (0.0.0.0 behind your TLS proxy)")
    command.set_defaults(func=run)

