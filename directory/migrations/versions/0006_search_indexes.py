"""search indexes: places and words (issue 17)

SQLite: an R*Tree over every location's point and an FTS5 trigram index over each service's
name, description and organisation, kept right by triggers on every write. Both are keyed by
small integer tables of their own (`location_key`, `service_key`, INTEGER PRIMARY KEY),
because VACUUM may renumber the rowids of tables without one.
PostgreSQL: cube + earthdistance with a GiST index on each location's point, and pg_trgm GIN
indexes on the lower-cased names and descriptions (LIKE '%word%' through the index). All three
extensions are trusted since PostgreSQL 13: a database owner may create them.

A later migration that rebuilds `service`, `location` or `organization` on SQLite
(batch_alter_table) drops their triggers: it must create them again (see upgrade() here).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:00:00
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_POINT = "new.latitude IS NOT NULL AND new.longitude IS NOT NULL"
_ORG_NAME = "coalesce((SELECT name FROM organization WHERE id = new.organization_id), '')"

SQLITE_UP = [
    "CREATE TABLE location_key (key INTEGER PRIMARY KEY, location_id VARCHAR(64) NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE location_rtree USING rtree(key, min_lat, max_lat, min_lon, max_lon)",
    "INSERT INTO location_key (location_id) SELECT id FROM location "
    "WHERE latitude IS NOT NULL AND longitude IS NOT NULL",
    "INSERT INTO location_rtree SELECT k.key, l.latitude, l.latitude, l.longitude, l.longitude "
    "FROM location_key k JOIN location l ON l.id = k.location_id",
    f"""CREATE TRIGGER location_point_insert AFTER INSERT ON location WHEN {_POINT} BEGIN
      INSERT INTO location_key (location_id) VALUES (new.id);
      INSERT INTO location_rtree VALUES (last_insert_rowid(), new.latitude, new.latitude,
                                         new.longitude, new.longitude);
    END""",
    """CREATE TRIGGER location_point_delete AFTER DELETE ON location BEGIN
      DELETE FROM location_rtree WHERE key = (SELECT key FROM location_key
                                              WHERE location_id = old.id);
      DELETE FROM location_key WHERE location_id = old.id;
    END""",
    f"""CREATE TRIGGER location_point_update AFTER UPDATE OF id, latitude, longitude ON location
    BEGIN
      DELETE FROM location_rtree WHERE key = (SELECT key FROM location_key
                                              WHERE location_id = old.id);
      DELETE FROM location_key WHERE location_id = old.id;
      INSERT INTO location_key (location_id) SELECT new.id WHERE {_POINT};
      INSERT INTO location_rtree SELECT last_insert_rowid(), new.latitude, new.latitude,
                                        new.longitude, new.longitude WHERE {_POINT};
    END""",
    "CREATE TABLE service_key (key INTEGER PRIMARY KEY, service_id VARCHAR(64) NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE service_words USING fts5(name, description, organization, "
    "tokenize = 'trigram')",
    "INSERT INTO service_key (service_id) SELECT id FROM service",
    "INSERT INTO service_words (rowid, name, description, organization) "
    "SELECT k.key, s.name, s.description, coalesce(o.name, '') FROM service_key k "
    "JOIN service s ON s.id = k.service_id LEFT JOIN organization o ON o.id = s.organization_id",
    f"""CREATE TRIGGER service_words_insert AFTER INSERT ON service BEGIN
      INSERT INTO service_key (service_id) VALUES (new.id);
      INSERT INTO service_words (rowid, name, description, organization)
      VALUES (last_insert_rowid(), new.name, new.description, {_ORG_NAME});
    END""",
    """CREATE TRIGGER service_words_delete AFTER DELETE ON service BEGIN
      DELETE FROM service_words WHERE rowid = (SELECT key FROM service_key
                                               WHERE service_id = old.id);
      DELETE FROM service_key WHERE service_id = old.id;
    END""",
    f"""CREATE TRIGGER service_words_update
    AFTER UPDATE OF id, name, description, organization_id ON service BEGIN
      DELETE FROM service_words WHERE rowid = (SELECT key FROM service_key
                                               WHERE service_id = old.id);
      UPDATE service_key SET service_id = new.id WHERE service_id = old.id;
      INSERT INTO service_words (rowid, name, description, organization)
      SELECT key, new.name, new.description, {_ORG_NAME} FROM service_key
      WHERE service_id = new.id;
    END""",
    """CREATE TRIGGER service_words_organization AFTER UPDATE OF name ON organization BEGIN
      DELETE FROM service_words WHERE rowid IN (
        SELECT k.key FROM service_key k JOIN service s ON s.id = k.service_id
        WHERE s.organization_id = new.id);
      INSERT INTO service_words (rowid, name, description, organization)
      SELECT k.key, s.name, s.description, new.name FROM service_key k
      JOIN service s ON s.id = k.service_id WHERE s.organization_id = new.id;
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER service_words_organization", "DROP TRIGGER service_words_update",
    "DROP TRIGGER service_words_delete", "DROP TRIGGER service_words_insert",
    "DROP TABLE service_words", "DROP TABLE service_key",
    "DROP TRIGGER location_point_update", "DROP TRIGGER location_point_delete",
    "DROP TRIGGER location_point_insert", "DROP TABLE location_rtree", "DROP TABLE location_key",
]

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS cube",
    "CREATE EXTENSION IF NOT EXISTS earthdistance",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX location_earth ON location USING gist (ll_to_earth(latitude, longitude))",
    "CREATE INDEX service_name_trgm ON service USING gin (lower(name) gin_trgm_ops)",
    "CREATE INDEX service_description_trgm ON service USING gin (lower(description) gin_trgm_ops)",
    "CREATE INDEX organization_name_trgm ON organization USING gin (lower(name) gin_trgm_ops)",
]
POSTGRES_DOWN = ["DROP INDEX organization_name_trgm", "DROP INDEX service_description_trgm",
                 "DROP INDEX service_name_trgm", "DROP INDEX location_earth"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_UP if dialect == "sqlite" else POSTGRES_UP)
    # Both: the services of a need, read from the need's side.
    op.create_index("attribute_term_service", "attribute", ["taxonomy_term_id", "service_id"])
    op.create_index("service_area_kind_value", "service_area", ["kind", "value", "service_id"])


def downgrade() -> None:
    op.drop_index("service_area_kind_value", "service_area")
    op.drop_index("attribute_term_service", "attribute")
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN)
