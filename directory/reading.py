"""Reading services whole: the queries that load a service with every part of it."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import Select

from directory.models import Service, ServiceAtLocation


def service_query():
    return select(Service).options(
        selectinload(Service.phones), selectinload(Service.schedules),
        selectinload(Service.areas), selectinload(Service.attributes),
        selectinload(Service.at_locations).selectinload(ServiceAtLocation.location),
        selectinload(Service.organization),
    )


# A service whole, for reading: every part joined into one SELECT. A service has a few rows of
# each part, so the joined rows stay few, and this costs well under half of a SELECT per part
# (service_query). Statements are built once, values bound per call, so SQLAlchemy reuses their
# cache keys instead of rebuilding them.
WHOLE = (joinedload(Service.organization), joinedload(Service.phones),
         joinedload(Service.schedules), joinedload(Service.areas), joinedload(Service.attributes),
         joinedload(Service.at_locations).joinedload(ServiceAtLocation.location))
READ_ONE = select(Service).options(*WHOLE).where(Service.id == bindparam("id"))
# PostgreSQL plans these eight joins once per connection (directory/pg_prepared.py): a
# `SET LOCAL join_collapse_limit = 1` before each read, which once saved planning them each
# time, now only cost a round trip (0.2 ms of a search at 100,000 services).
# Joined rows give a service's places in no set order; this plain read (service_query's) gives
# them as stored, in practice the order they were saved in.
_PLACES = (select(ServiceAtLocation.service_id, ServiceAtLocation.id, ServiceAtLocation.location_id)
           .where(ServiceAtLocation.service_id.in_(bindparam("ids", expanding=True))))


def read_whole(session: Session, statement: Select, params: dict) -> list[Service]:
    """Services read with WHOLE's options, their places in stored order."""
    connection = session.connection()
    services = list(session.execute(statement, params).unique().scalars())
    several = [s for s in services if len(s.at_locations) > 1]
    if several:
        stored = connection.execute(_PLACES, {"ids": [s.id for s in several]})
        rank = {link_id: i for i, (_, link_id, _) in enumerate(stored)}
        for service in several:
            set_committed_value(service, "at_locations", sorted(
                service.at_locations, key=lambda link: rank.get(link.id, len(rank))))
    return services
