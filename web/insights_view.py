"""The needs picture for maintainers and commissioners: charts, the gap list and a CSV.

Everything shown comes from `directory.insights_report`, already suppressed. Filters: a date
range (widened to whole weeks), a borough and a need. The gap list links each need and place
where nothing was found to the maintainers' search for it, to add the missing service.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Optional
from urllib.parse import urlencode

from aiohttp import web

from directory.gazetteer import BOROUGHS
from directory.insights import Filters, NeedCounts
from directory.insights_report import NO_PLACE, as_csv, build, gap_list, label, read_day
from web import insight_charts
from web.app_keys import DIRECTORY

DEFAULT_WEEKS = 12
READERS = ("maintainer", "commissioner")  # admins rank above maintainers


def _day(text: str) -> Optional[date]:
    try:
        return read_day(text) if text else None
    except ValueError as why:
        raise web.HTTPBadRequest(text=str(why))


def filters_from(query, today: Optional[date] = None) -> Filters:
    today = today or date.today()
    since = _day(query.get("since", "")) or today - timedelta(weeks=DEFAULT_WEEKS)
    until = _day(query.get("until", "")) or today
    if until < since:
        raise web.HTTPBadRequest(text="The end date is before the start date.")
    borough = query.get("borough", "")
    if borough and borough not in BOROUGHS:
        raise web.HTTPBadRequest(text=f"Borough must be one of {', '.join(BOROUGHS)}.")
    return Filters(since, until, borough or None, query.get("need", "")[:64] or None)


def search_link(need: str, area: tuple[str, str]) -> str:
    """The maintainers' search for this need and place."""
    query = {"topic": need}
    if area[0] != NO_PLACE:
        query["place"] = area[0]
    if area[1]:
        query["borough"] = area[1]
    return "/services?" + urlencode(query)


def page_context(counts: NeedCounts, filters: Filters) -> dict:
    """The report, its charts and gap list: about a second for a season of counts, so the
    routes run this in a worker thread, never on the web app's loop."""
    report = build(counts, filters)
    charts = {
        "needs": insight_charts.weekly_lines(report.by_week, "Needs each week"),
        "areas": insight_charts.ranked_bars(
            [(area, report.by_area.cells[(area, "turns")]) for area in report.by_area.rows],
            "Turns by place"),
        "gaps": insight_charts.ranked_bars(
            [(need, report.gaps.row_totals[need]) for need in report.gaps.rows],
            "Nothing found, by need", insight_charts.RED),
        "crisis": insight_charts.weekly_bars(report.crisis, "crisis contacts given",
                                             "Crisis contacts given each week"),
    }
    gaps = [(label(need), label(area), shown, search_link(need, area),
             f"Search {label(need)}" + ("" if area[0] == NO_PLACE else f" near {area[0]}"))
            for need, area, shown in gap_list(report)]
    return {"report": report, "charts": charts, "gaps": gaps, "needs": counts.needs()}


def add_insights_routes(app: web.Application, render, require) -> None:
    @require(*READERS)
    async def insights_page(request: web.Request):
        filters = filters_from(request.query)
        counts = NeedCounts(request.app[DIRECTORY].engine)
        context = await asyncio.get_running_loop().run_in_executor(
            None, page_context, counts, filters)
        return await render(request, "insights.html", {
            **context, "boroughs": BOROUGHS, "chosen": filters, "label": label,
            "csv_link": "/insights.csv?" + urlencode({k: v for k, v in request.query.items()})})

    @require(*READERS)
    async def insights_csv(request: web.Request):
        counts = NeedCounts(request.app[DIRECTORY].engine)
        report = await asyncio.get_running_loop().run_in_executor(
            None, build, counts, filters_from(request.query))
        return web.Response(text=as_csv(report), content_type="text/csv", headers={
            "Content-Disposition": 'attachment; filename="signpost-needs.csv"'})

    app.router.add_get("/insights", insights_page)
    app.router.add_get("/insights.csv", insights_csv)
