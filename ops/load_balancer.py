"""HAProxy (Debian's package) in front of the Rasa servers, started and stopped like PostgreSQL
and Redis by the production profile, bench/load.py and the fault tests.

Two front doors:
- `public` (the one to expose): only Twilio's webhook and status callback, plus `/health`
  (200 while at least one Rasa server passes its check, 503 when none does). Anything else is
  404, so the Rasa HTTP API, the REST channel and the model are never reachable from outside.
- `internal` (loopback only): every path, for the web app's console and the benchmarks; the
  Rasa API still wants its token there.
Each Rasa server is checked every second on `GET /webhooks/twilio/` (the channel's health, 200
while it can answer, even with the directory down, so crisis replies keep flowing). A text whose
server refuses the connection is sent to the other (`retry-on conn-failure`, `redispatch`);
a text already delivered is never sent twice. Only abnormal requests are logged (no bodies, so
no phone numbers: Twilio sends them in the form, never in the URL).
"""

from __future__ import annotations

import csv
import io
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Optional

from ops.servers import Unavailable, debian_binary, end_process, free_port, wait_for_port

PUBLIC_PATHS = ("/webhooks/twilio/webhook", "/webhooks/twilio/status")
CHECK_PATH = "/webhooks/twilio/"


def haproxy_config(backends: list[int], public_port: int, internal_port: int,
                   stats_port: int, public_interface: str = "127.0.0.1") -> str:
    servers = "\n".join(f"    server rasa{i + 1} 127.0.0.1:{port} check"
                        for i, port in enumerate(backends))
    return f"""global
    log stderr format raw local0 notice
    maxconn 4096

defaults
    mode http
    log global
    option httplog
    option dontlog-normal
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    retries 2
    retry-on conn-failure
    option redispatch

frontend public
    bind {public_interface}:{public_port}
    monitor-uri /health
    monitor fail if {{ nbsrv(rasa) lt 1 }}
    http-request deny deny_status 404 unless {{ path {' '.join(PUBLIC_PATHS)} }}
    default_backend rasa

frontend internal
    bind 127.0.0.1:{internal_port}
    default_backend rasa

frontend stats
    bind 127.0.0.1:{stats_port}
    stats enable
    stats uri /stats
    stats refresh 5s

backend rasa
    balance leastconn
    option httpchk GET {CHECK_PATH}
    http-check expect status 200
    default-server inter 1s fall 2 rise 1
{servers}
"""


class LoadBalancer:
    """`haproxy -W -db` (master-worker, in the foreground) as a child process."""

    def __init__(self, backends: list[int], data_dir: Optional[Path] = None,
                 port: Optional[int] = None, internal_port: Optional[int] = None,
                 public_interface: str = "127.0.0.1", install: bool = False) -> None:
        self.binary = debian_binary("haproxy", "haproxy", install)
        self.backends = backends
        self.port = port or free_port()
        self.internal_port = internal_port or free_port()
        self.stats_port = free_port()
        self.root = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="signpost-lb-"))
        self.config = self.root / "haproxy.cfg"
        self.config.parent.mkdir(parents=True, exist_ok=True)
        self.config.write_text(haproxy_config(backends, self.port, self.internal_port,
                                              self.stats_port, public_interface))
        self.log_path = self.root / "haproxy.log"
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> "LoadBalancer":
        checked = subprocess.run([self.binary, "-c", "-q", "-f", str(self.config)],
                                 capture_output=True, text=True)
        if checked.returncode != 0:
            raise Unavailable(f"HAProxy refused its configuration: {checked.stderr[-1000:]}")
        log = open(self.log_path, "a")
        self.process = subprocess.Popen([self.binary, "-W", "-db", "-f", str(self.config)],
                                        stdout=log, stderr=subprocess.STDOUT)
        log.close()
        for port in (self.port, self.internal_port, self.stats_port):
            if not wait_for_port(port, 20, self.process):
                self.stop()
                raise Unavailable("HAProxy did not start: "
                                  + self.log_path.read_text(errors="replace")[-1000:])
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def internal_url(self) -> str:
        return f"http://127.0.0.1:{self.internal_port}"

    @property
    def webhook(self) -> str:
        return f"{self.url}{PUBLIC_PATHS[0]}"

    def _servers(self) -> list[dict]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.stats_port}/stats;csv",
                                    timeout=5) as reply:
            rows = csv.DictReader(io.StringIO(reply.read().decode().lstrip("# ")))
            return [row for row in rows
                    if row["pxname"] == "rasa" and row["svname"] not in ("BACKEND", "FRONTEND")]

    def server_states(self) -> dict[str, str]:
        """Each Rasa server's state as HAProxy sees it ("UP", "DOWN", ...)."""
        return {row["svname"]: row["status"].split()[0] for row in self._servers()}

    def sessions(self) -> dict[str, int]:
        """How many requests HAProxy has sent each Rasa server so far."""
        return {row["svname"]: int(row["stot"] or 0) for row in self._servers()}

    def wait_for(self, states: dict[str, str], timeout: float = 15) -> None:
        """Wait until HAProxy's health checks see each named server in the wanted state."""
        deadline = time.time() + timeout
        while (seen := self.server_states()) and any(seen.get(k) != v for k, v in states.items()):
            if time.time() > deadline:
                raise AssertionError(f"HAProxy sees {seen}, not {states}")
            time.sleep(0.2)

    def stop(self) -> None:
        end_process(self.process)
