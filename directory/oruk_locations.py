"""ORUK `/service_at_locations`: active services at their locations, a page at a time.

Near a postcode, the locations come from the place index (an R*Tree on SQLite, GiST on
PostgreSQL; directory/search_index.py), nearest first; the exact distance then leaves out those
beyond the proximity. Without one, every location in name order, paged by the database.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import func, select

from directory import oruk
from directory.models import Location, Service, ServiceAtLocation
from directory.reading import service_query
from directory.repository import Directory
from directory.search_index import METRES_PER_MILE, in_box, miles, within_params


def _pairs(locations=Location.__table__):
    """(link id, service id, latitude, longitude) of active services at these locations."""
    return (select(ServiceAtLocation.id, Service.id, Location.latitude, Location.longitude)
            .select_from(locations)
            .join(ServiceAtLocation, ServiceAtLocation.location_id == Location.id)
            .join(Service, Service.id == ServiceAtLocation.service_id)
            .where(Service.status == "active"))


_PAIRS = _pairs()


def _near(directory: Directory, point: tuple[float, float], proximity_m: float) -> list[tuple]:
    """(distance, link id, service id) of every active service's location within reach."""
    radius = proximity_m / METRES_PER_MILE
    with directory.engine.connect() as connection:
        dialect = connection.dialect.name
        shape, params = within_params(dialect, point, radius)
        located, inside = in_box(dialect, shape)
        pairs = _pairs(located).where(Location.latitude.isnot(None),
                                      Location.longitude.isnot(None), *inside)
        rows = connection.execute(pairs, params).all()
    found = [(miles(point, (lat, lon)), link, sid) for link, sid, lat, lon in rows]
    return sorted(f for f in found if f[0] <= radius)


def _in_name_order(directory: Directory, page: int, per_page: int) -> tuple[int, list[tuple]]:
    ordered = _PAIRS.order_by(Service.name, Service.id, ServiceAtLocation.id)
    with directory.engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(_PAIRS.subquery())).scalar_one()
        rows = connection.execute(ordered.offset((page - 1) * per_page).limit(per_page)).all()
    return total, [(None, link, sid) for link, sid, _, _ in rows]


def service_at_locations_page(directory: Directory, page: int = 1, per_page: int = 50,
                              point: Optional[tuple[float, float]] = None,
                              proximity_m: float = 5000) -> dict:
    page, per_page = max(page, 1), max(min(per_page, 1000), 1)
    if point is not None:
        near = _near(directory, point, proximity_m)
        total, chosen = len(near), near[(page - 1) * per_page:page * per_page]
    else:
        total, chosen = _in_name_order(directory, page, per_page)
    contents = []
    with directory.sessions() as session:
        services = {s.id: s for s in session.execute(service_query().where(
            Service.id.in_({sid for _, _, sid in chosen}))).unique().scalars()}
        documents = {sid: oruk.service_document(s) for sid, s in services.items()}
        for _, link, sid in chosen:
            if sid not in documents:
                continue  # closed since the first read
            at = next((sal for sal in documents[sid].get("service_at_locations", [])
                       if sal["id"] == link), None)
            if at is not None:
                contents.append({**at, "service": oruk.service_list_item(services[sid])})
    return oruk.paged(total, page, per_page, contents)
