"""Closed by default: Rasa's HTTP API and REST channel want the token, the Rasa server will not
start without one, the action server listens on loopback only, and the SMS path can be tried
locally with a signed request (`signpost twilio-sim`)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import aiohttp
import pytest

from tests.servers import RasaServer, Unavailable

ROOT = Path(__file__).resolve().parents[2]
TWILIO_TOKEN = "test-auth-token"


@pytest.fixture(scope="module")
def rasa(tmp_path_factory, model_path, action_server, conversation_directory_url):
    env = {"TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "SENDER_ID_SECRET": "test-pseudonym-secret"}
    try:
        server = RasaServer(tmp_path_factory.mktemp("closed"), model_path, action_server,
                            conversation_directory_url, env)
    except Unavailable as why:
        pytest.fail(str(why))
    yield server
    server.stop()


def status_of(url: str, method: str = "GET", body: bytes | None = None) -> int:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.mark.model
@pytest.mark.parametrize("method, path", [
    ("GET", "/status"), ("GET", "/conversations/someone/tracker"),
    ("POST", "/conversations/someone/tracker/events"), ("POST", "/model/parse"),
    ("PUT", "/model"), ("GET", "/domain")])
def test_every_api_endpoint_wants_the_token(rasa, method, path):
    body = b"{}" if method != "GET" else None
    assert status_of(rasa.url + path, method, body) == 401
    assert status_of(f"{rasa.url}{path}?token=not-the-token", method, body) == 401


@pytest.mark.model
def test_the_api_answers_with_the_token(rasa):
    assert status_of(rasa.api("/status")) == 200


@pytest.mark.model
def test_the_rasa_server_leaves_jax_out(rasa):
    """TensorFlow imports jax if it can (94 MiB); the server never needs it (ops/rasa_run.py)."""
    assert status_of(rasa.api("/status")) == 200  # the model is loaded, TensorFlow with it
    maps = Path(f"/proc/{rasa.process.pid}/maps").read_text()
    assert "tensorflow" in maps
    assert "jaxlib" not in maps


@pytest.mark.model
@pytest.mark.asyncio
async def test_the_rest_channel_wants_the_token_and_refuses_before_reading(rasa):
    url = f"{rasa.url}/webhooks/rest/webhook"
    message = {"sender": "rest-refused", "message": "food bank in batley"}
    async with aiohttp.ClientSession() as session:
        for headers in ({}, {"Authorization": "Bearer not-the-token"}):
            async with session.post(url, json=message, headers=headers) as response:
                assert response.status == 401
        with urllib.request.urlopen(rasa.api("/conversations/rest-refused/tracker")) as reply:
            events = json.load(reply)["events"]
        assert not [e for e in events if e["event"] == "user"]
        async with session.post(url, json=message, headers=rasa.auth) as response:
            assert response.status == 200 and await response.json()
        async with session.post(f"{url}?token={rasa.token}",
                                json={**message, "sender": "rest-query"}) as response:
            assert response.status == 200


def test_the_rasa_server_will_not_start_without_a_token():
    env = {k: v for k, v in os.environ.items() if k != "RASA_AUTH_TOKEN"}
    started = subprocess.run([sys.executable, "-m", "ops.rasa_run", "run", "--enable-api"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert started.returncode != 0 and "RASA_AUTH_TOKEN is not set" in started.stderr
    short = subprocess.run([sys.executable, "-m", "ops.rasa_run", "run"], cwd=ROOT,
                           env={**env, "RASA_AUTH_TOKEN": "short"}, capture_output=True,
                           text=True, timeout=60)
    assert short.returncode != 0 and "shorter than 16" in short.stderr


def _other_addresses() -> list[str]:
    """This machine's own non-loopback addresses: the host name's, and the one a route out
    would use (a UDP socket's connect sends nothing)."""
    found = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None,
                                                        socket.AF_INET)}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.123", 9))
            found.add(probe.getsockname()[0])
        except OSError:
            pass
    return sorted(a for a in found if not a.startswith("127.") and a != "0.0.0.0")


def test_the_action_server_listens_on_loopback_only(action_server):
    port = urlparse(action_server).port
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    addresses = _other_addresses()
    if not addresses:
        pytest.skip("this machine has no network address other than loopback to try")
    for address in addresses:
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=2).close()


def test_the_action_server_reports_the_directory(action_server):
    base = action_server.rsplit("/", 1)[0]
    with urllib.request.urlopen(f"{base}/health/directory", timeout=10) as reply:
        state = json.load(reply)
    assert state["level"] == "ok" and state["active_services"] >= 250


@pytest.mark.model
def test_the_twilio_health_check_reports_the_directory(rasa):
    with urllib.request.urlopen(f"{rasa.url}/webhooks/twilio/", timeout=10) as reply:
        state = json.load(reply)
    assert state["status"] == "ok" and state["directory"]["level"] == "ok"


@pytest.mark.model
def test_twilio_sim_sends_a_signed_text_and_prints_the_reply(rasa):
    def sim(env_token):
        env = {**os.environ, "TWILIO_AUTH_TOKEN": env_token} if env_token else \
            {k: v for k, v in os.environ.items() if k != "TWILIO_AUTH_TOKEN"}
        env.pop("TWILIO_WEBHOOK_URL", None)
        return subprocess.run([sys.executable, "-m", "cli", "twilio-sim", "food", "bank", "in",
                               "batley", "--url", rasa.webhook], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    sent = sim(TWILIO_TOKEN)
    assert sent.returncode == 0, sent.stderr
    assert "Batley" in sent.stdout or "food" in sent.stdout.lower()
    forged = sim("not-the-servers-token")
    assert forged.returncode == 1 and "HTTP 403" in forged.stderr
    unset = sim(None)
    assert unset.returncode == 2 and "Set TWILIO_AUTH_TOKEN" in unset.stderr


def test_an_action_server_on_an_empty_directory_logs_an_error_and_says_so(tmp_path):
    from tests.servers import ActionServer, seeded_directory

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    seeded_directory(url, seed=False).engine.dispose()
    server = ActionServer(tmp_path, url)
    try:
        base = server.webhook.rsplit("/", 1)[0]
        assert status_of(f"{base}/health/directory") == 503
        log = server.log_path.read_text()
        assert "ERROR" in log and "no active services" in log
    finally:
        server.stop()


def test_the_action_server_answers_only_calls_with_its_token(action_server):
    from tests.servers import ACTIONS_TOKEN

    call = json.dumps({"next_action": "action_no_such_action", "sender_id": "x",
                       "tracker": {"sender_id": "x", "slots": {}, "events": [],
                                   "latest_message": {}}, "domain": {}}).encode()
    base = action_server.rsplit("/", 1)[0]
    assert status_of(f"{base}/webhook", "POST", call) == 401
    assert status_of(f"{base}/webhook?token=not-the-token", "POST", call) == 401
    assert status_of(f"{base}/actions") == 401
    # With the token the call is read: an unknown action is 404, not a refusal.
    assert status_of(f"{base}/webhook?token={ACTIONS_TOKEN}", "POST", call) == 404
    assert status_of(f"{base}/actions?token={ACTIONS_TOKEN}") == 200


def test_the_action_server_will_not_start_without_a_token():
    env = {k: v for k, v in os.environ.items() if k != "ACTIONS_TOKEN"}
    started = subprocess.run([sys.executable, "-m", "ops.action_server", "--actions", "actions"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert started.returncode != 0 and "ACTIONS_TOKEN is not set" in started.stderr
