"""Alembic environment: the same migrations build SQLite and PostgreSQL."""

from alembic import context
from sqlalchemy import pool

from directory.db import database_url, make_engine
from directory.models import Base
import directory.insights  # noqa: F401,E402  (its table is in Base.metadata)
from sms.models import Base as SmsBase
from web.models import Base as WebBase

config = context.config
target_metadata = [Base.metadata, SmsBase.metadata, WebBase.metadata]


def run_migrations_offline() -> None:
    context.configure(url=database_url(config.get_main_option("sqlalchemy.url") or None),
                      target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        context.configure(connection=connectable, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or None)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
