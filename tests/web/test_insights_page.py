"""The needs picture in the web app: who may see it, that what it shows is suppressed, the CSV,
and the gap list's way back to the maintainers' search."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from directory.insights import Filters, NeedCounts, Turn
from directory.insights_report import as_csv, build
from directory.search import search
from tests.servers import seeded_directory
from tests.web.test_web_app import PASSWORD, token
from web.app import create_app
from web.users import UserStore

pytestmark = pytest.mark.asyncio
TODAY = date.today()


def add(counts: NeedCounts, times: int, need: str, area: str, borough: str, outcome: str,
        days_ago: int = 1) -> None:
    for _ in range(times):
        counts.add(Turn(TODAY - timedelta(days=days_ago), "community", need, area, borough,
                        "sms", outcome, 3 if outcome == "offered" else 0))


@pytest.fixture
def directory(tmp_path):
    directory = seeded_directory(f"sqlite:///{tmp_path / 'web.db'}")
    users = UserStore(directory.engine)
    for name, role in (("ada", "admin"), ("mo", "maintainer"), ("cat", "champion"),
                       ("cora", "commissioner")):
        users.add(name, PASSWORD, role)
    counts = NeedCounts(directory.engine)
    add(counts, 40, "food", "Batley", "Kirklees", "offered")
    add(counts, 12, "warmth", "Halifax", "Calderdale", "offered", days_ago=9)
    add(counts, 3, "food", "Todmorden", "Calderdale", "nothing_found")
    add(counts, 6, "money", "HD1", "Kirklees", "nothing_found", days_ago=8)
    add(counts, 2, "crisis", "", "", "crisis")
    return directory


@pytest.fixture
async def client(directory):
    async with TestClient(TestServer(create_app(directory, secure_cookies=False))) as client:
        yield client


async def sign_in(client: TestClient, username: str) -> None:
    response = await client.post("/login", data={
        "username": username, "password": PASSWORD, "csrf_token": await token(client)},
        allow_redirects=False)
    assert response.status == 303


async def test_a_commissioner_lands_on_insights_and_can_read_nothing_else(client, directory):
    await sign_in(client, "cora")
    home = await client.get("/", allow_redirects=False)
    assert home.headers["Location"] == "/insights"
    page = await client.get("/insights")
    assert page.status == 200 and "What residents need" in await page.text()
    assert (await client.get("/insights.csv")).status == 200
    service_id = search(directory, topic="food", limit=1)[0].id
    for path in ("/services", f"/services/{service_id}", "/services/new", "/coverage",
                 "/console", "/import", "/export", "/users", f"/services/{service_id}/edit"):
        assert (await client.get(path)).status == 403, path
    csrf = await token(client, "/insights")
    for path in ("/services/new", f"/services/{service_id}/retire", "/users", "/console"):
        response = await client.post(path, data={"csrf_token": csrf, "name": "x"})
        assert response.status == 403, path


@pytest.mark.parametrize("username, status", [("cat", 403), ("mo", 200), ("ada", 200)])
async def test_maintainers_and_admins_see_insights_champions_do_not(client, username, status):
    await sign_in(client, username)
    assert (await client.get("/insights")).status == status
    assert (await client.get("/insights.csv")).status == status


async def test_the_page_and_the_csv_show_no_count_under_five(client, directory):
    await sign_in(client, "cora")
    html = await (await client.get("/insights")).text()
    shown = [int(n) for n in re.findall(r'<td class="count">(\d+)</td>', html)]
    assert shown and all(n == 0 or n >= 5 for n in shown)
    assert "&lt;5" in html and html.count("<svg") == 4
    assert not re.search(r"<script|(src|href)=\"https?:|url\(https?:", html)  # nothing outside
    # the food gap of 3 in Todmorden: hidden, and money's lone 6 cannot give it away
    assert re.search(r"<td>food</td><td>Todmorden \(Calderdale\)</td><td class=\"count\">&lt;5",
                     html)
    download = await client.get("/insights.csv")
    assert download.headers["Content-Type"].startswith("text/csv")
    body = await download.text()
    report = build(NeedCounts(directory.engine), Filters(TODAY - timedelta(weeks=12), TODAY))
    assert body == as_csv(report)
    counts = [r["count"] for r in csv.DictReader(io.StringIO(body)) if r["table"] != "range"]
    assert all(c in ("<5", "*") or int(c) == 0 or int(c) >= 5 for c in counts)


async def test_the_gap_list_links_to_the_maintainers_search_for_that_need_and_place(client):
    await sign_in(client, "mo")
    html = await (await client.get("/insights")).text()
    link = re.search(r'<a href="(/services\?topic=food&amp;place=Todmorden[^"]*)"', html)
    assert link, "no search link for the food gap in Todmorden"
    search = await client.get(link.group(1).replace("&amp;", "&"))
    page = await search.text()
    assert search.status == 200 and 'value="Todmorden"' in page and "Find services" in page


async def test_filters_narrow_the_picture_and_bad_ones_are_refused_plainly(client):
    await sign_in(client, "mo")
    html = await (await client.get("/insights?borough=Calderdale&need=warmth")).text()
    assert "Halifax (Calderdale)" in html and "Batley (Kirklees)" not in html
    bad = await client.get("/insights?since=last+week")
    assert bad.status == 400 and "2026-11-30" in await bad.text()
    backwards = await client.get(f"/insights?since={TODAY}&until={TODAY - timedelta(days=9)}")
    assert backwards.status == 400 and "before" in await backwards.text()
