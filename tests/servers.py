"""Throwaway database servers for tests: a temporary data directory, a free port, stopped after.

PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
`postgres` user. `Unavailable` says why a server could not be started (the test then skips).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Optional


class Unavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_binary(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                                                   reverse=True)), None)
    if not found:
        raise Unavailable(f"PostgreSQL's {name} is not installed")
    return found


class PostgresServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="signpost-pg-"))
        self.data = self.root / "data"
        self.user: Optional[str] = "postgres" if os.geteuid() == 0 else None

    def _run(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        if self.user:
            args = ["runuser", "-u", self.user, "--", *args]
        return subprocess.run(args, capture_output=True, text=True, **kwargs)

    def start(self) -> "PostgresServer":
        initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
        if self.user:
            shutil.chown(self.root, self.user)
            os.chmod(self.root, 0o700)
        result = self._run([initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust",
                            "--no-sync", "-E", "UTF8"], timeout=120)
        if result.returncode != 0:
            raise Unavailable(f"initdb failed: {result.stderr.strip()[-500:]}")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        result = self._run([pg_ctl, "-D", str(self.data), "-o", options, "-l",
                            str(self.root / "server.log"), "-w", "-t", "60", "start"], timeout=90)
        if result.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")[-800:] \
                if (self.root / "server.log").exists() else ""
            raise Unavailable(f"PostgreSQL did not start: {result.stderr.strip()} {log}")
        return self

    def create_database(self, name: str) -> str:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres",
                                      dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()
        return self.url(name)

    def url(self, name: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run([_pg_binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                       "stop"], timeout=60)
        except (Unavailable, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise Unavailable("PostgreSQL did not accept connections")


async def serve(app) -> tuple:
    """Run an aiohttp app (a stand-in of some outside API) on a free port: (runner, base URL)."""
    from aiohttp import web

    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"


def seeded_directory(url: str, seed: bool = True):
    """A migrated directory at `url`, with the seed data unless `seed` is False."""
    from directory.db import make_engine
    from directory.migrate import upgrade
    from directory.repository import Directory

    upgrade(url)
    directory = Directory(make_engine(url))
    if seed:
        report = directory.seed()
        assert not report.skipped, report.skipped
    else:
        directory.ensure_taxonomy()
    return directory


ROOT = Path(__file__).resolve().parents[1]


class RasaServer:
    """`rasa run` with the project's credentials and this action server, as `make run` starts it,
    on a free port. `extra_env` adds settings (Twilio token and pseudonym secret, ...)."""

    def __init__(self, tmp: Path, model: Path, action_url: str, database_url: str,
                 extra_env: Optional[dict] = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / f"rasa-{self.port}.log"
        endpoints = tmp / "endpoints.yml"
        endpoints.write_text(f"action_endpoint:\n  url: {action_url}\n")
        env = {**os.environ, "DATABASE_URL": database_url, "RASA_TELEMETRY_ENABLED": "false",
               **(extra_env or {})}
        env.pop("TWILIO_WEBHOOK_URL", None)
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rasa", "run", "--model", str(model), "--endpoints",
             str(endpoints), "--credentials", str(ROOT / "credentials.yml"), "--enable-api",
             "--interface", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/status", timeout=2) as r:
                    if json.loads(r.read()).get("model_file"):
                        break
            except OSError:
                pass
            if self.process.poll() is not None or time.time() > deadline:
                self.stop()
                raise Unavailable(f"Rasa server did not start: {self.log_path.read_text()[-2000:]}")
            time.sleep(1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    @property
    def webhook(self) -> str:
        return f"{self.url}/webhooks/twilio/webhook"
