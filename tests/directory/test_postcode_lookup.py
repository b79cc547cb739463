"""The optional online postcode lookup, against a local stand-in speaking postcodes.io's JSON."""

import asyncio

import pytest
from aiohttp import web

from directory.postcode_lookup import PostcodeLookup
from tests.servers import serve

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def postcode_api():
    calls = []

    async def postcode(request: web.Request) -> web.Response:
        code = request.match_info["code"]
        calls.append(code)
        if code == "HX12QA":
            return web.json_response({"status": 200, "result": {
                "postcode": "HX1 2QA", "latitude": 53.7196, "longitude": -1.8687}})
        if code == "HX13ZZ":
            await asyncio.sleep(1)
            return web.json_response({})
        if code == "HX14ZZ":
            return web.Response(status=500, text="oops")
        return web.json_response({"status": 404, "error": "Postcode not found"}, status=404)

    app = web.Application()
    app.router.add_get("/postcodes/{code}", postcode)
    runner, url = await serve(app)
    yield url, calls
    await runner.cleanup()


async def test_full_postcode_gets_its_own_point(postcode_api):
    url, calls = postcode_api
    found = await PostcodeLookup(url).resolve("hx1 2qa")
    assert (found.lat, found.lon) == (53.7196, -1.8687) and not found.approximate
    assert found.borough == "Calderdale" and calls == ["HX12QA"]


@pytest.mark.parametrize("postcode", ["HX1 3ZZ", "HX1 4ZZ", "HX1 5ZZ"])
async def test_slow_failing_or_unknown_falls_back_to_the_district(postcode_api, postcode):
    url, _ = postcode_api
    found = await PostcodeLookup(url, timeout=0.5).resolve(postcode)
    assert found.district == "HX1" and found.approximate
    await asyncio.sleep(0.6)  # let the stand-in finish its slow answer before it is stopped
    assert (round(found.lat, 3), round(found.lon, 3)) == (53.721, -1.874)


async def test_not_configured_means_offline_and_no_call(postcode_api, monkeypatch):
    _, calls = postcode_api
    monkeypatch.delenv("POSTCODE_API_URL", raising=False)
    found = await PostcodeLookup().resolve("HX1 2QA")
    assert found.district == "HX1" and calls == []


async def test_places_and_out_of_area_postcodes_never_call_out(postcode_api):
    url, calls = postcode_api
    lookup = PostcodeLookup(url)
    assert (await lookup.resolve("Dewsbury")).name == "Dewsbury"
    assert not (await lookup.resolve("LS1 4AP")).in_area
    assert calls == []
