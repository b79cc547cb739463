"""A local stand-in of Twilio's Messages API: same paths, same JSON, scripted failures."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class StandIn:
    failures: list[int] = field(default_factory=list)  # statuses to answer first, in order
    received: list[dict] = field(default_factory=list)
    _ids = itertools.count(1)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{account}/Messages.json", self.create)
        return app

    async def create(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        if not request.headers.get("Authorization", "").startswith("Basic "):
            return web.json_response({"code": 20003, "message": "Authenticate", "status": 401},
                                     status=401)
        if self.failures:
            status = self.failures.pop(0)
            return web.json_response({"code": 20429 if status == 429 else 20500,
                                      "message": "Too Many Requests" if status == 429 else "Error",
                                      "more_info": "https://www.twilio.com/docs/errors",
                                      "status": status}, status=status)
        self.received.append(form)
        sid = f"SM{next(self._ids):032d}"
        account = request.match_info["account"]
        return web.json_response({
            "sid": sid, "account_sid": account, "to": form.get("To"), "from": form.get("From"),
            "body": form.get("Body"), "status": "queued", "num_segments": "1",
            "direction": "outbound-api", "api_version": "2010-04-01",
            "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
            "date_created": "Mon, 23 Nov 2026 08:00:00 +0000",
        }, status=201)


async def start(standin: StandIn) -> tuple[web.AppRunner, str]:
    from tests.servers import serve

    return await serve(standin.app())
