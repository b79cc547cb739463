"""Server-side prepared statements for the directory's reads on PostgreSQL.

psycopg2 sends every query as text, so PostgreSQL plans each one afresh; a search's queries
(many joined EXISTS checks) spent 1 to 3 ms each being planned, more than running. Each
connection here PREPAREs a SELECT the first time it sees its text and EXECUTEs it after,
which lets PostgreSQL keep one generic plan per statement (plan_cache_mode). A statement
PostgreSQL will not prepare (a parameter whose type it cannot tell) is tried inside a
savepoint, remembered, and always sent as text.
At most MOST statements are kept per connection; the oldest is DEALLOCATEd.
"""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

MOST = 200
_PARAMETER = re.compile(r"%\((\w+)\)s")
_names = itertools.count(1)


def _prepare(cursor: Any, statement: str) -> tuple[str, list[str]] | None:
    order: list[str] = []

    def positional(match: re.Match) -> str:
        if match.group(1) not in order:
            order.append(match.group(1))
        return f"${order.index(match.group(1)) + 1}"

    body = _PARAMETER.sub(positional, statement).replace("%%", "%")
    name = f"signpost_{next(_names)}"
    cursor.execute("SAVEPOINT signpost_prepare")
    try:
        cursor.execute(f"PREPARE {name} AS {body}")
    except Exception:  # noqa: BLE001 - any refusal: send this one as text from now on
        cursor.execute("ROLLBACK TO SAVEPOINT signpost_prepare")
        return None
    cursor.execute("RELEASE SAVEPOINT signpost_prepare")
    return name, order


def install(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _generic_plans(dbapi_connection, _record) -> None:
        # Measured on bench/search.py at 100,000 services: a generic plan, made once, runs
        # these searches as fast as a plan made for each search's values, without the planning.
        cursor = dbapi_connection.cursor()
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        cursor.close()
        dbapi_connection.commit()

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _execute_prepared(connection, cursor, statement, parameters, context, executemany):
        if executemany or not isinstance(parameters, dict) or \
                statement.lstrip()[:4].upper() not in ("SELE", "WITH"):
            return statement, parameters
        kept: OrderedDict = connection.connection.info.setdefault("signpost_prepared",
                                                                  OrderedDict())
        if statement not in kept:
            kept[statement] = _prepare(cursor, statement)
            if len(kept) > MOST:
                _, oldest = kept.popitem(last=False)
                if oldest is not None:
                    cursor.execute(f"DEALLOCATE {oldest[0]}")
        else:
            kept.move_to_end(statement)
        prepared = kept[statement]
        if prepared is None:
            return statement, parameters
        name, order = prepared
        if not order:
            return f"EXECUTE {name}", parameters
        return f"EXECUTE {name} ({', '.join(f'%({n})s' for n in order)})", parameters
