"""Start and stop the servers the assistant runs on: PostgreSQL, Redis, the action server and
Rasa. Used by the production profile (`make run-production`), the fault tests and bench/load.py.

PostgreSQL refuses to run as root, so when we are root it runs as the `postgres` user. A server
given no data directory gets a temporary one that `stop()` deletes; `halt()` stops the process
and keeps the data, so `start()` brings the same server back on the same port.
"""

from __future__ import annotations

import glob
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]
# The action server's token for every action server and Rasa server this process starts.
ACTIONS_TOKEN = os.environ.get("ACTIONS_TOKEN") or secrets.token_urlsafe(32)


class Unavailable(RuntimeError):
    """A server could not be started here; the message says why."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float, process: Optional[subprocess.Popen] = None) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _pg_binary(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                                                   reverse=True)), None)
    if not found:
        raise Unavailable(f"PostgreSQL's {name} is not installed")
    return found


class PostgresServer:
    def __init__(self, data_dir: Optional[Path] = None, port: Optional[int] = None) -> None:
        self.port = port or free_port()
        self.temporary = data_dir is None
        self.root = Path(tempfile.mkdtemp(prefix="signpost-pg-")) if data_dir is None \
            else Path(data_dir)
        self.data = self.root / "data"
        self.user: Optional[str] = "postgres" if os.geteuid() == 0 else None

    def _run(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        if self.user:
            args = ["runuser", "-u", self.user, "--", *args]
        return subprocess.run(args, capture_output=True, text=True, **kwargs)

    def start(self) -> "PostgresServer":
        initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
        self.root.mkdir(parents=True, exist_ok=True)
        if self.user:
            shutil.chown(self.root, self.user)
            os.chmod(self.root, 0o700)
        if not (self.data / "PG_VERSION").exists():
            result = self._run([initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust",
                                "--no-sync", "-E", "UTF8"], timeout=120)
            if result.returncode != 0:
                raise Unavailable(f"initdb failed: {result.stderr.strip()[-500:]}")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        if self.temporary:
            options += " -c fsync=off"
        result = self._run([pg_ctl, "-D", str(self.data), "-o", options, "-l",
                            str(self.root / "server.log"), "-w", "-t", "60", "start"], timeout=90)
        if result.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")[-800:] \
                if (self.root / "server.log").exists() else ""
            raise Unavailable(f"PostgreSQL did not start: {result.stderr.strip()} {log}")
        return self

    def create_database(self, name: str, replace: bool = True) -> str:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres",
                                      dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            if replace:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()
        return self.url(name)

    def url(self, name: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def halt(self, mode: str = "fast") -> None:
        try:
            self._run([_pg_binary("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"],
                      timeout=60)
        except (Unavailable, subprocess.TimeoutExpired):
            pass

    def stop(self) -> None:
        self.halt("immediate" if self.temporary else "fast")
        if self.temporary:
            shutil.rmtree(self.root, ignore_errors=True)

    def wait_ready(self, timeout: float = 30) -> None:
        if not wait_for_port(self.port, timeout):
            raise Unavailable("PostgreSQL did not accept connections")


def end_process(process: Optional[subprocess.Popen], timeout: float = 20) -> None:
    """Ask a child process to stop, and kill it if it has not within `timeout` seconds."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def debian_binary(name: str, package: str, install: bool = False) -> str:
    """A Debian program's path; with `install`, apt-get installs it where missing (as root)."""
    found = shutil.which(name) or shutil.which(f"/usr/sbin/{name}")
    if not found and install and os.geteuid() == 0:
        for command in (["apt-get", "install", "-y", package], ["apt-get", "update"],
                        ["apt-get", "install", "-y", package]):
            subprocess.run(command, capture_output=True, timeout=600)
            found = shutil.which(name) or shutil.which(f"/usr/sbin/{name}")
            if found:
                break
    if not found:
        raise Unavailable(f"{name} is not installed (apt-get install {package})")
    return found


class RedisServer:
    def __init__(self, data_dir: Optional[Path] = None, port: Optional[int] = None,
                 install: bool = False) -> None:
        self.binary = debian_binary("redis-server", "redis-server", install)
        self.port = port or free_port()
        self.temporary = data_dir is None
        self.root = Path(tempfile.mkdtemp(prefix="signpost-redis-")) if data_dir is None \
            else Path(data_dir)
        self.process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.root.mkdir(parents=True, exist_ok=True)
        log = open(self.root / "redis.log", "a")
        # Locks live for seconds: nothing is worth saving to disk.
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.root), "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        if not wait_for_port(self.port, 20, self.process):
            self.halt()
            raise Unavailable("Redis did not start: "
                              + (self.root / "redis.log").read_text(errors="replace")[-500:])
        return self

    def halt(self) -> None:
        end_process(self.process)

    def stop(self) -> None:
        self.halt()
        if self.temporary:
            shutil.rmtree(self.root, ignore_errors=True)


class _Process:
    """A child process with a log file, waited for on a URL."""

    process: subprocess.Popen
    log_path: Path

    def _spawn(self, args: list[str], env: dict, log_path: Path) -> None:
        self.log_path = log_path
        self._log = open(log_path, "a")
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT)

    def _wait_until(self, url: str, ready, timeout: float, what: str) -> None:
        deadline = time.time() + timeout
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as reply:
                    if ready(reply.read()):
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.time() > deadline:
                self.stop()
                raise Unavailable(f"{what} did not start: "
                                  f"{self.log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)

    def stop(self) -> None:
        end_process(self.process, timeout=30)
        self._log.close()


def _env(database_url: Optional[str], extra_env: Optional[dict]) -> dict:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", **(extra_env or {})}
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


class ActionServer(_Process):
    def __init__(self, log_dir: Path, database_url: Optional[str] = None,
                 port: Optional[int] = None, extra_env: Optional[dict] = None) -> None:
        self.port = port or free_port()
        self.database_url, self.extra_env, self.log_dir = database_url, extra_env, log_dir
        self.start()

    def start(self) -> None:
        self._spawn([sys.executable, "-m", "ops.action_server", "--actions", "actions", "--port",
                     str(self.port)],
                    {**_env(self.database_url, self.extra_env), "ACTIONS_TOKEN": ACTIONS_TOKEN},
                    self.log_dir / f"actions-{self.port}.log")
        self._wait_until(f"http://127.0.0.1:{self.port}/health", lambda _: True, 90,
                         "The action server")

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook"


class RasaServer(_Process):
    """`rasa run` with the project's credentials, as `make run` starts it, on a free port.

    `project_stores` uses endpoints.yml's tracker and lock stores (chosen by DATABASE_URL and
    REDIS_URL); otherwise conversations stay in this process's memory. `extra_env` adds
    settings (Twilio token, pseudonym secret, REDIS_URL, ...). The HTTP API and the REST
    channel want `token` (RASA_AUTH_TOKEN; a fresh random one unless given): `api(path)` adds
    it to a URL, `auth` is the header the REST channel takes."""

    def __init__(self, tmp: Path, model: Path, action_url: str, database_url: Optional[str],
                 extra_env: Optional[dict] = None, project_stores: bool = False,
                 port: Optional[int] = None, wait: bool = True,
                 token: Optional[str] = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = token or (extra_env or {}).get("RASA_AUTH_TOKEN") or secrets.token_urlsafe(32)
        endpoints = {"action_endpoint": {"url": action_url, "token": ACTIONS_TOKEN}}
        if project_stores:
            project = yaml.safe_load((ROOT / "endpoints.yml").read_text())
            endpoints.update({k: v for k, v in project.items() if k != "action_endpoint"})
        self.endpoints = tmp / f"endpoints-{self.port}.yml"
        self.endpoints.write_text(yaml.safe_dump(endpoints))
        self.env = {**_env(database_url, extra_env), "RASA_AUTH_TOKEN": self.token}
        self.env.pop("TWILIO_WEBHOOK_URL", None)
        if not project_stores:
            self.env.pop("REDIS_URL", None)
        self.model, self.tmp = model, tmp
        self.start(wait)

    def start(self, wait: bool = True) -> None:
        """Start `rasa run`; with `wait`, return once it has loaded the model (else call
        `wait_ready`, so several servers can load at the same time)."""
        self._spawn(
            [sys.executable, "-m", "ops.rasa_run", "run", "--model", str(self.model), "--endpoints",
             str(self.endpoints), "--credentials", str(ROOT / "credentials.yml"),
             "--enable-api", "--interface", "127.0.0.1", "--port", str(self.port)],
            self.env, self.tmp / f"rasa-{self.port}.log")
        if wait:
            self.wait_ready()

    def api(self, path: str) -> str:
        """The URL of one of Rasa's HTTP API endpoints, with the token."""
        return f"{self.url}{path}{'&' if '?' in path else '?'}token={self.token}"

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def wait_ready(self) -> None:
        self._wait_until(self.api("/status"),
                         lambda body: bool(json.loads(body).get("model_file")), 180,
                         "The Rasa server")

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def webhook(self) -> str:
        return f"{self.url}/webhooks/twilio/webhook"
