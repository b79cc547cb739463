"""The maintainers' coverage page: both matrices as accessible tables and the unreachable list."""

from __future__ import annotations

import re

import pytest

from directory.migrate import migrated_directory
from tests.web.test_web_app import PASSWORD, client, sign_in  # noqa: F401 (client is a fixture)
from web.users import UserStore

pytestmark = pytest.mark.asyncio


@pytest.fixture
def directory(tmp_path):
    """The seed (whatever of it loads today: it is being extended) plus one service no one can
    reach, and the same accounts as test_web_app."""
    directory = migrated_directory(f"sqlite:///{tmp_path / 'web.db'}")
    directory.seed()
    directory.upsert_organizations([{"id": "cov-org", "name": "Coverage Test Org"}], "test")
    report = directory.load_services([{
        "id": "no-way-in", "organization": "cov-org", "name": "Hut With No Way In",
        "source": "https://example.org/hut", "area": ["Calderdale"], "topics": ["food"],
        "locations": [{"name": "Hut", "address": "2 Crown Street", "postcode": "HX1 1AA"}]}],
        actor="test", action="import")
    assert not report.skipped, report.skipped
    users = UserStore(directory.engine)
    for name, role in (("mo", "maintainer"), ("cat", "champion")):
        users.add(name, PASSWORD, role)
    return directory


async def test_a_signed_out_user_is_sent_to_sign_in(client):
    response = await client.get("/coverage", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"].startswith("/login?next=/coverage")


async def test_a_maintainer_sees_both_tables_and_the_unreachable_list(client, directory):
    await sign_in(client, "mo")
    response = await client.get("/coverage")
    assert response.status == 200
    page = await response.text()
    assert '<a href="/coverage">Coverage</a>' in page  # in the navigation
    assert page.count("<caption") == 3
    assert '<th scope="col">Kirklees</th>' in page and '<th scope="col">Todmorden</th>' in page
    assert re.search(r'<th scope="row">Food banks and food support <code>food</code></th>', page)
    # Gaps are said in words, not only shown in colour.
    assert re.search(r'<td class="count gap">\d+ <span class="gap-word">gap</span></td>', page)
    hut = directory.get("no-way-in")["id"]
    assert f'href="/services/{hut}/edit">Edit Hut With No Way In</a>' in page


async def test_a_champion_may_look_but_gets_no_edit_links(client, directory):
    await sign_in(client, "cat")
    page = await (await client.get("/coverage")).text()
    hut = directory.get("no-way-in")["id"]
    assert f'href="/services/{hut}">Hut With No Way In</a>' in page
    assert "/edit" not in page
