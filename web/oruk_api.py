"""Read-only Open Referral UK 3.0 API at /api/oruk/ (CORS open)."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import select

from directory import oruk
from directory.ids import to_uuid
from directory.models import Service, TaxonomyTerm
from directory.oruk_locations import service_at_locations_page
from directory.reading import service_query
from directory.repository import Directory

CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, OPTIONS"}


def _json(data, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, headers=CORS)


def _int(value, default: int, low: int = 1, high: int = 1000) -> int:
    try:
        return max(low, min(high, int(value)))
    except (TypeError, ValueError):
        return default


def add_oruk_routes(app: web.Application, directory: Directory) -> None:
    async def index(_: web.Request) -> web.Response:
        return _json({"version": "3.0", "profile": "https://openreferraluk.org",
                      "openapi_url": "/api/oruk/openapi.json"})

    async def services(request: web.Request) -> web.Response:
        q = request.query
        page = oruk.services_page(directory, page=_int(q.get("page"), 1),
                                  per_page=_int(q.get("per_page"), 50),
                                  search_text=q.get("search") or None,
                                  taxonomy_term_id=q.get("taxonomy_term_id") or None)
        return _json(page)

    async def service(request: web.Request) -> web.Response:
        with directory.sessions() as session:
            found = session.execute(service_query().where(
                Service.id == to_uuid("service", request.match_info["id"]))).scalar_one_or_none()
            if found is None:
                return _json({"message": "Service not found"}, status=404)
            return _json(oruk.service_document(found))

    async def taxonomies(_: web.Request) -> web.Response:
        from directory.models import Taxonomy

        with directory.sessions() as session:
            items = [{"id": t.id, "name": t.name, "description": t.description or t.name,
                      "version": t.version} for t in session.execute(select(Taxonomy)).scalars()]
        return _json({"total_items": len(items), "total_pages": 1, "page_number": 1,
                      "size": len(items), "first_page": True, "last_page": True,
                      "empty": not items, "contents": items})

    async def taxonomy_terms(_: web.Request) -> web.Response:
        with directory.sessions() as session:
            items = [oruk.term_document(t) for t in session.execute(
                select(TaxonomyTerm).order_by(TaxonomyTerm.code)).scalars()]
        return _json({"total_items": len(items), "total_pages": 1, "page_number": 1,
                      "size": len(items), "first_page": True, "last_page": True,
                      "empty": not items, "contents": items})

    async def service_at_locations(request: web.Request) -> web.Response:
        postcode = request.query.get("postcode")
        point = None
        if postcode:
            found = directory.gazetteer.resolve(postcode)
            if found is None or found.point is None:
                return _json({"message": "Unknown postcode in Kirklees or Calderdale"}, status=400)
            point = found.point
        q = request.query
        return _json(service_at_locations_page(
            directory, page=_int(q.get("page"), 1), per_page=_int(q.get("per_page"), 50),
            point=point, proximity_m=_int(q.get("proximity"), 5000, 1, 200_000)))  # metres

    async def options(_: web.Request) -> web.Response:
        return web.Response(status=204, headers=CORS)

    app.router.add_get("/api/oruk/", index)
    app.router.add_get("/api/oruk/services", services)
    app.router.add_get("/api/oruk/services/{id}", service)
    app.router.add_get("/api/oruk/taxonomies", taxonomies)
    app.router.add_get("/api/oruk/taxonomy_terms", taxonomy_terms)
    app.router.add_get("/api/oruk/service_at_locations", service_at_locations)
    app.router.add_route("OPTIONS", "/api/oruk/{tail:.*}", options)
