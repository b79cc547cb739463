"""End to end in a real browser: Playwright driving the machine's Chromium (Debian package,
installed by `make test` where missing; no browser download). Skips, saying why, only where
Chromium is not installed."""

from __future__ import annotations

import asyncio
import shutil

import pytest
from aiohttp.test_utils import TestServer

from actions import services as action_services
from actions.community import ActionCommunity
from actions.crisis import ActionCrisis
from actions.fallback import ActionClarify
from actions.more import ActionMore
from directory.insights import NeedCounts
from sms.outbound import SenderConfig, TwilioSender
from tests.actions.test_topic_answers import run, tracker, user
from tests.servers import seeded_directory
from tests.sms.twilio_standin import StandIn, start
from web.app import create_app
from web.users import UserStore

pytestmark = pytest.mark.asyncio
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "correct horse battery"

if CHROMIUM is None:
    pytest.skip("Chromium is not installed (make test installs Debian's chromium package)",
                allow_module_level=True)


@pytest.fixture
def event_loop():
    """Playwright starts Chromium as a child process, which uvloop's policy (Sanic installs it
    when an earlier test starts a server) cannot watch: these tests run on asyncio's own loop."""
    before = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
    asyncio.set_event_loop_policy(before)


@pytest.fixture
async def site(tmp_path):
    directory = seeded_directory(f"sqlite:///{tmp_path / 'browser.db'}")
    users = UserStore(directory.engine)
    users.add("mo", PASSWORD, "maintainer")
    users.add("cat", PASSWORD, "champion")
    users.add("cora", PASSWORD, "commissioner")
    twilio = StandIn()
    twilio_runner, api = await start(twilio)
    sender = TwilioSender(SenderConfig("AC" + "3" * 32, "token", sms_from="+447700900001",
                                       api_base=api), base_delay=0.01)
    server = TestServer(create_app(directory, secure_cookies=False, sender=sender))
    await server.start_server()
    yield f"http://127.0.0.1:{server.port}", directory, twilio
    await server.close()
    await sender.close()
    await twilio_runner.cleanup()


@pytest.fixture
async def page(tmp_path):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = await browser.new_context()
        yield await context.new_page()
        await browser.close()


async def sign_in(page, base: str, username: str, lands_on: str = "/services") -> None:
    await page.goto(f"{base}/login")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"{base}{lands_on}")


async def test_maintainer_edits_and_sees_it_in_history_and_in_the_answer(site, page):
    base, directory, _ = site
    await sign_in(page, base, "mo")
    await page.get_by_label("Name or words").fill("carers count")
    await page.get_by_role("button", name="Search").click()
    await page.get_by_role("link", name="Carers Count").click()
    await page.get_by_role("link", name="Edit this service").click()
    await page.get_by_label("What it offers").fill("Free help for unpaid carers in Kirklees.")
    await page.get_by_role("button", name="Save").click()
    await page.wait_for_url("**/services/*?saved=1")
    history = await page.get_by_role("table").last.inner_text()
    assert "update" in history and "mo" in history

    action_services.set_directory(directory)
    try:  # the carers answer for Batley, and its next pages (MORE), as a resident reads them
        texts, slots = await run(ActionCommunity(), tracker(user("help for carers", "community"),
                                                            location="Batley"))
        for _ in range(5):
            if not slots.get("last_search"):
                break
            more, slots = await run(ActionMore(), tracker(user("more", "more"), location="Batley",
                                                          last_search=slots["last_search"]))
            texts += more
    finally:
        action_services.set_directory(None)
    assert any("Free help for unpaid carers in Kirklees" in t for t in texts)


async def test_a_stale_edit_is_resolved_in_the_browser(site, page):
    base, directory, _ = site
    await sign_in(page, base, "mo")
    service = directory.get("calderdale-staying-well")
    await page.goto(f"{base}/services/{service['id']}/edit")
    directory.update(service["id"], {"description": "Someone else saved this first."},
                     service["version"], actor="max")
    await page.get_by_label("What it offers").fill("My better words.")
    await page.get_by_role("button", name="Save").click()
    body = await page.content()
    assert "Someone else saved this service first" in body
    assert "Someone else saved this first." in body and "My better words." in body
    await page.get_by_role("button", name="Save my version").click()
    await page.wait_for_url("**/services/*?saved=1")
    assert directory.get(service["id"])["description"] == "My better words."


async def test_champion_sends_details_to_the_residents_phone(site, page):
    base, directory, twilio = site
    await sign_in(page, base, "cat")
    service = directory.get("help-through-hardship")
    await page.goto(f"{base}/services/{service['id']}")
    assert await page.get_by_role("link", name="Edit this service").count() == 0
    await page.get_by_label("Resident's mobile number").fill("07911 123456")
    await page.get_by_label("The resident agreed to get this text").check()
    await page.get_by_role("button", name="Send by text").click()
    await page.get_by_text("The details were sent").wait_for()
    assert twilio.received[0]["To"] == "+447911123456"
    assert "0808 208 2138" in twilio.received[0]["Body"]


async def test_a_commissioner_sees_the_needs_picture_after_a_run_of_conversations(site, page):
    base, directory, _ = site
    action_services.set_directory(directory)
    try:  # residents' turns, answered by the actions as the action server answers them
        for place in ["Batley"] * 6 + ["Halifax"] * 5 + ["Todmorden"] * 2:
            await run(ActionCommunity(), tracker(user("need a food bank", "community"),
                                                 location=place))
        for _ in range(5):
            await run(ActionCrisis(), tracker(user("i want to end it all", "crisis")))
        for _ in range(3):
            await run(ActionClarify(), tracker(user("wibble wobble", "nlu_fallback")))
        for _ in range(100):
            if sum(r["count"] for r in NeedCounts(directory.engine).rows()) >= 21:
                break
            await asyncio.sleep(0.05)
    finally:
        action_services.set_directory(None)
    await sign_in(page, base, "cora", lands_on="/insights")
    await page.get_by_role("heading", name="What residents need").wait_for()
    for name in ("Needs each week", "Turns by place", "Nothing found, by need",
                 "Crisis contacts given each week"):
        chart = page.get_by_role("img", name=name)
        assert await chart.is_visible(), name
        assert (await chart.bounding_box())["height"] > 100, name
    places = await page.get_by_role("img", name="Turns by place").inner_html()
    assert "Batley (Kirklees)" in places and "Halifax (Calderdale)" in places
    table = await page.locator("#table + div table").inner_text()
    assert "food" in table and "crisis" in table and "<5" in table
    assert await page.get_by_role("link", name="Services").count() == 0  # nothing else to read
    async with page.expect_download() as download:
        await page.get_by_role("link", name="Download these tables (CSV)").click()
    saved = await (await download.value).path()
    assert open(saved, encoding="utf-8").readline().startswith("table,row,column,count")
