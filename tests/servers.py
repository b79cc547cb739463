"""Throwaway database servers for tests: a temporary data directory, a free port, stopped after.

PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
`postgres` user. `Unavailable` says why a server could not be started (the test then skips).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
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
