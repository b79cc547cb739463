"""The maintainers' coverage page: which needs have services a resident can reach, and where.

Both matrices from `directory.coverage` as accessible tables (headers scoped, a caption, gaps said
in words as well as shown in colour), and the active services no one can reach, each linked to
its edit page so a maintainer can add a way in or retire it.
"""

from __future__ import annotations

from aiohttp import web

from web.app_keys import DIRECTORY


def add_coverage_routes(app: web.Application, render, require) -> None:
    # A read page, like /services: champions may look; only maintainers get the edit links.
    @require("champion")
    async def coverage_page(request: web.Request):
        from directory import coverage

        found = coverage.coverage(request.app[DIRECTORY])
        can_edit = request["user"]["role"] in ("maintainer", "admin")
        return await render(request, "coverage.html", {
            "coverage": found, "can_edit": can_edit,
            "matrices": [("boroughs", found.boroughs, coverage.gap_rule(found.boroughs)),
                         ("towns", found.towns, coverage.gap_rule(found.towns))]})

    app.router.add_get("/coverage", coverage_page)
