"""The web app through aiohttp's test client: sign-in, roles, CSRF, edits, conflicts, ORUK API."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from aiohttp.test_utils import TestClient, TestServer

from directory.db import make_engine
from directory.repository import Directory
from tests.servers import RasaServer, Unavailable, seeded_directory
from web.app import create_app
from web.users import UserStore

pytestmark = pytest.mark.asyncio
SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "oruk-3.0" / "schema" / "compiled"
PASSWORD = "correct horse battery"


@pytest.fixture
def directory(tmp_path) -> Directory:
    directory = seeded_directory(f"sqlite:///{tmp_path / 'web.db'}")
    users = UserStore(directory.engine)
    for name, role in (("ada", "admin"), ("mo", "maintainer"), ("cat", "champion"),
                       ("max", "maintainer")):
        users.add(name, PASSWORD, role)
    return directory


@pytest.fixture
async def client(directory):
    async with TestClient(TestServer(create_app(directory, secure_cookies=False))) as client:
        yield client


async def token(client: TestClient, path: str = "/login") -> str:
    page = await (await client.get(path)).text()
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


async def sign_in(client: TestClient, username: str, password: str = PASSWORD):
    return await client.post("/login", data={"username": username, "password": password,
                                             "csrf_token": await token(client), "next": "/services"},
                             allow_redirects=False)


async def test_pages_need_a_signed_in_user(client):
    response = await client.get("/services", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"].startswith("/login")


async def test_sign_in_sets_a_safe_session_cookie_and_sign_out_ends_it(client):
    response = await sign_in(client, "mo")
    assert response.status == 303
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    # Encrypted, not readable: a plain session would show the user's name and role as JSON
    # (a bare "mo" can turn up by chance in the ciphertext's base64, so look for the JSON).
    assert '"mo"' not in value and "maintainer" not in value and value.startswith('"gAAAAA')
    assert (await client.get("/services")).status == 200
    await client.post("/logout", data={"csrf_token": await token(client, "/services")})
    assert (await client.get("/services", allow_redirects=False)).status == 303


async def test_wrong_password_then_lockout(client):
    for _ in range(4):
        assert (await sign_in(client, "mo", "wrong password!")).status == 401
    locked = await sign_in(client, "mo", "wrong password!")
    assert "locked" in await locked.text()
    still_locked = await sign_in(client, "mo")
    assert still_locked.status == 401 and "locked" in await still_locked.text()


async def test_a_form_without_the_csrf_token_changes_nothing(client, directory):
    await sign_in(client, "mo")
    service = directory.get("samaritans")
    response = await client.post(f"/services/{service['id']}/edit",
                                 data={"version": service["version"], "description": "Hacked"})
    assert response.status == 403
    assert directory.get("samaritans")["description"] == service["description"]


async def test_a_champion_can_look_but_not_edit(client, directory):
    await sign_in(client, "cat")
    service = directory.get("samaritans")
    assert (await client.get(f"/services/{service['id']}")).status == 200
    csrf = await token(client, "/services")
    assert (await client.get(f"/services/{service['id']}/edit")).status == 403
    response = await client.post(f"/services/{service['id']}/retire",
                                 data={"csrf_token": csrf, "version": service["version"]})
    assert response.status == 403 and directory.get("samaritans")["status"] == "active"


async def test_a_maintainer_cannot_manage_users(client):
    await sign_in(client, "mo")
    assert (await client.get("/users")).status == 403
    csrf = await token(client, "/services")
    response = await client.post("/users", data={"csrf_token": csrf, "username": "evil",
                                                 "password": "x" * 20, "role": "admin"})
    assert response.status == 403


async def test_an_admin_adds_a_user(client, directory):
    await sign_in(client, "ada")
    csrf = await token(client, "/users")
    response = await client.post("/users", data={"csrf_token": csrf, "username": "newbie",
                                                 "password": "long enough password",
                                                 "role": "champion"}, allow_redirects=False)
    assert response.status == 303
    assert "newbie" in [u.username for u in UserStore(directory.engine).all()]


async def test_edit_is_saved_audited_and_validated(client, directory):
    await sign_in(client, "mo")
    service = directory.get("calderdale-staying-well")
    page = f"/services/{service['id']}/edit"
    csrf = await token(client, page)
    bad = await client.post(page, data={"csrf_token": csrf, "version": service["version"],
                                        "phones": "0800 12 | call"})
    assert bad.status == 422 and "not a valid UK number" in await bad.text()
    good = await client.post(page, data={"csrf_token": csrf, "version": service["version"],
                                         "description": "Phone befriending if you feel alone."},
                             allow_redirects=False)
    assert good.status == 303
    assert directory.get(service["id"])["description"] == "Phone befriending if you feel alone."
    history = directory.history(service["id"])
    assert history[-1].actor == "mo" and history[-1].action == "update"
    view = await (await client.get(f"/services/{service['id']}")).text()
    assert "update" in view and "mo" in view


async def test_a_stale_edit_shows_both_versions_and_loses_nothing(client, directory):
    service = directory.get("carers-count")
    directory.update(service["id"], {"description": "Saved first by max."}, service["version"],
                     actor="max")
    await sign_in(client, "mo")
    csrf = await token(client, "/services")
    response = await client.post(f"/services/{service['id']}/edit", data={
        "csrf_token": csrf, "version": service["version"], "description": "Mo's words."})
    page = await response.text()
    assert response.status == 409
    assert "Saved first by max." in page and "Mo&#39;s words." in page
    assert directory.get(service["id"])["description"] == "Saved first by max."


async def test_retire_and_verify(client, directory):
    await sign_in(client, "mo")
    service = directory.get("todmorden-foodbank")
    csrf = await token(client, f"/services/{service['id']}")
    await client.post(f"/services/{service['id']}/verify",
                      data={"csrf_token": csrf, "version": service["version"]})
    verified = directory.get(service["id"])
    assert verified["verified_by"] == "mo" and verified["review"] is False
    await client.post(f"/services/{service['id']}/retire",
                      data={"csrf_token": csrf, "version": verified["version"],
                            "status": "defunct", "reason": "closed"})
    assert directory.get(service["id"])["status"] == "defunct"


async def test_find_services_and_review_due(client):
    await sign_in(client, "cat")
    page = await (await client.get("/services?text=samaritans")).text()
    assert "Samaritans" in page
    due = await (await client.get("/services?due=1&borough=Calderdale")).text()
    assert "Well Bean" not in due and "Calderdale Safespace" in due


def validator(name: str):
    path = SCHEMAS / name
    if not path.exists():
        pytest.skip(f"{path} is not beside the project")
    return jsonschema.Draft202012Validator(json.loads(path.read_text()),
                                           format_checker=jsonschema.FormatChecker())


async def test_oruk_api_is_open_read_only_and_valid(client):
    response = await client.get("/api/oruk/services?per_page=5&page=2")
    assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    page = await response.json()
    assert page["page_number"] == 2 and page["size"] == 5
    check_list = validator("service_list.json")
    for item in page["contents"]:
        assert list(check_list.iter_errors(item)) == []
    full = await (await client.get(f"/api/oruk/services/{page['contents'][0]['id']}")).json()
    assert list(validator("service.json").iter_errors(full)) == []
    assert (await client.get("/api/oruk/services/nope")).status == 404
    terms = await (await client.get("/api/oruk/taxonomy_terms")).json()
    food = next(t for t in terms["contents"] if t["term"] == "food")
    foods = await (await client.get(f"/api/oruk/services?taxonomy_term_id={food['id']}")).json()
    assert any("Foodbank" in s["name"] for s in foods["contents"])
    near = await (await client.get("/api/oruk/service_at_locations?postcode=HX7 8AB"
                                   "&proximity=3000")).json()
    assert near["contents"] and all(s["location"]["latitude"] for s in near["contents"])
    assert (await client.post("/api/oruk/services")).status == 405


def test_users_add_command(tmp_path):
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    run = lambda *args, stdin: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "cli", "users", "--database-url", url, "add", *args,
         "--password-stdin"], input=stdin, cwd=root, capture_output=True, text=True,
        env={**os.environ})
    assert run("boss", "--role", "admin", stdin="a long enough password\n").returncode == 0
    short = run("other", "--role", "admin", stdin="short\n")
    assert short.returncode == 2 and "12 characters" in short.stderr
    assert UserStore(make_engine(url)).authenticate("boss", "a long enough password")[0].role == "admin"


# -- champions: console and texting details ----------------------------------------------------------
@pytest.fixture(scope="module")
def rasa(tmp_path_factory, model_path, action_server, conversation_directory_url):
    """The real assistant: `rasa run` with the trained model and the action server."""
    try:
        server = RasaServer(tmp_path_factory.mktemp("console"), model_path, action_server,
                            conversation_directory_url)
    except Unavailable as why:
        pytest.fail(str(why))
    yield server
    server.stop()


@pytest.fixture
async def champion_app(directory, rasa):
    from sms.outbound import SenderConfig, TwilioSender
    from tests.sms.twilio_standin import StandIn, start

    twilio = StandIn()
    twilio_runner, api = await start(twilio)
    sender = TwilioSender(SenderConfig("AC" + "2" * 32, "token", sms_from="+447700900001",
                                       api_base=api), base_delay=0.01)
    app = create_app(directory, secure_cookies=False, sender=sender, rasa_url=rasa.url,
                     rasa_token=rasa.token)
    async with TestClient(TestServer(app)) as client:
        yield client, twilio
    await sender.close()
    await twilio_runner.cleanup()


@pytest.mark.model
async def test_champion_console_shows_what_the_resident_would_get(champion_app):
    client, _ = champion_app
    await sign_in(client, "cat")
    csrf = await token(client, "/console")
    page = await (await client.post("/console", data={"csrf_token": csrf,
                                                      "message": "need a food bank in batley"})).text()
    assert "need a food bank in batley</span>" in page
    assert "Help with food:" in page


@pytest.mark.model
async def test_champion_texts_details_only_with_consent_and_a_mobile(champion_app, directory, caplog):
    client, twilio = champion_app
    await sign_in(client, "cat")
    service = directory.get("carers-count")
    csrf = await token(client, f"/services/{service['id']}")
    url = f"/services/{service['id']}/send"
    no_consent = await client.post(url, data={"csrf_token": csrf, "phone": "07700 900123"})
    assert no_consent.status == 422 and twilio.received == []
    landline = await client.post(url, data={"csrf_token": csrf, "phone": "01422 392767",
                                            "consent": "yes"})
    assert landline.status == 422 and twilio.received == []
    sent = await client.post(url, data={"csrf_token": csrf, "phone": "07911 123456",
                                        "consent": "yes"})
    assert sent.status == 200 and "not saved" in await sent.text()
    assert twilio.received[0]["To"] == "+447911123456"
    assert twilio.received[0]["Body"].startswith("Carers Count")
    assert "7911123456" not in caplog.text and "123456" not in json.dumps(
        [h.after for h in directory.history(service["id"])], default=str)


async def test_import_and_export(client, directory):
    await sign_in(client, "mo")
    csv_text = (await (await client.get("/export?format=csv")).text())
    assert csv_text.startswith("id,organization,name")
    oruk_page = await (await client.get("/export?format=oruk")).json()
    assert oruk_page["total_items"] >= 70
    import aiohttp

    csrf = await token(client, "/import")
    data = aiohttp.FormData()
    data.add_field("csrf_token", csrf)
    data.add_field("file", csv_text.encode(), filename="directory.csv", content_type="text/csv")
    page = await (await client.post("/import", data=data)).text()
    assert "0 created, 0 updated" in page and "Progress:" in page
    bad = aiohttp.FormData()
    bad.add_field("csrf_token", csrf)
    bad.add_field("file", b"{not json", filename="feed.json", content_type="application/json")
    response = await client.post("/import", data=bad)
    assert response.status == 422 and "Nothing was imported" in await response.text()


async def test_a_maintainer_adds_a_service_with_checks(client, directory):
    await sign_in(client, "mo")
    csrf = await token(client, "/services/new")
    org = directory.get("hebden-bridge-community-association")["organization"]
    base = {"csrf_token": csrf, "organization": org, "name": "Hebden Warm Room",
            "description": "A warm room with tea.", "topics": "warmth", "area": "HX7",
            "hours": "TU,TH 10:00-15:00", "source": "https://example.org/warm"}
    bad = await client.post("/services/new", data={**base, "area": "Leeds"})
    assert bad.status == 422 and "is not Kirklees, Calderdale" in await bad.text()
    good = await client.post("/services/new", data=base, allow_redirects=False)
    assert good.status == 303
    new_id = good.headers["Location"].split("/")[2].split("?")[0]
    created = directory.get(new_id)
    assert created["name"] == "Hebden Warm Room" and created["verified_by"] == "mo"
    assert directory.history(new_id)[0].action == "create"
    champion = await sign_in(client, "cat")
    assert (await client.get("/services/new")).status == 403


# -- directory health ---------------------------------------------------------------------------
async def test_an_empty_directory_shows_a_banner_and_health_says_so(tmp_path):
    directory = seeded_directory(f"sqlite:///{tmp_path / 'empty.db'}", seed=False)
    UserStore(directory.engine).add("mo", PASSWORD, "maintainer")
    async with TestClient(TestServer(create_app(directory, secure_cookies=False))) as client:
        report = await (await client.get("/health")).json()
        assert report["directory"]["level"] == "error"
        assert report["directory"]["active_services"] == 0
        await sign_in(client, "mo")
        page = await (await client.get("/services")).text()
        assert "Directory problem" in page and "no active services" in page


async def test_a_seeded_directory_shows_no_banner(client):
    assert (await (await client.get("/health")).json())["directory"]["level"] == "ok"
    await sign_in(client, "mo")
    assert "Directory problem" not in await (await client.get("/services")).text()
