"""The directory's reads on PostgreSQL go through server-side prepared statements
(directory/pg_prepared.py), with the same answers as plain text."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from directory.db import make_engine
from directory.models import Service
from directory.repository import Directory
from directory.search import search
from tests.servers import seeded_directory


@pytest.fixture
def pg_url(postgres_server):
    url = postgres_server.create_database("prepared")
    seeded_directory(url).engine.dispose()
    return url


def test_searches_are_prepared_once_and_answer_as_plain_text(pg_url):
    prepared = Directory(make_engine(pg_url))
    plain = Directory(make_engine(pg_url))
    plain.engine.dispatch.before_cursor_execute.clear()  # this one sends text, as psycopg2 does
    queries = [dict(topic="food", place="Halifax", limit=5), dict(topic="crisis", limit=10),
               dict(text="samaritns", place="HX7", limit=3), dict(topic="gp", place="HD1",
                                                                   open_now=True, limit=10)]
    for _ in range(3):
        for query in queries:
            assert [r.id for r in search(prepared, **query)] == \
                [r.id for r in search(plain, **query)]
    with prepared.engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM pg_prepared_statements")).scalars().all()
        assert any(n.startswith("signpost_") for n in names)
        assert connection.execute(text("SHOW plan_cache_mode")).scalar_one() == \
            "force_generic_plan"
    prepared.engine.dispose()
    plain.engine.dispose()


def test_a_statement_postgresql_will_not_prepare_is_sent_as_text(pg_url):
    engine = make_engine(pg_url)
    with engine.begin() as connection:
        # "SELECT %(x)s": PostgreSQL cannot tell the parameter's type, so PREPARE fails
        assert connection.execute(text("SELECT :x"), {"x": "kept"}).scalar_one() == "kept"
        assert connection.execute(text("SELECT :x"), {"x": "again"}).scalar_one() == "again"
        assert connection.execute(select(Service.id).limit(1)).scalar_one()  # still usable
    engine.dispose()
