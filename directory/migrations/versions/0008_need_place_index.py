"""need + place index: each need of a service at each of its located places (issue 17)

A search for a need near a place reads only the entries of that need inside a box around the
place, instead of every location in the box checked one by one (in a dense town, 1,600
locations to find 40 of the need).
One entry per (attribute, service_at_location) pair whose location has a point, kept right by
triggers on attribute, service_at_location and location.
SQLite: an R*Tree with the need as a third dimension (`need_rtree`: min_term = max_term = the
need's number in `term_key`), keyed through `need_key` (INTEGER PRIMARY KEY, as 0006's keys).
PostgreSQL: a table `need_place` with a GiST index on (need, ll_to_earth(latitude,
longitude)) through btree_gist (trusted since PostgreSQL 13).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 04:00:00
"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_PAIRS = ("FROM attribute a JOIN service_at_location sal ON sal.service_id = a.service_id "
          "JOIN location l ON l.id = sal.location_id "
          "WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL")


def _sqlite_drop(column: str, value: str) -> str:
    """Statements dropping the entries whose `column` (of need_key) is `value`."""
    return f"""
      DELETE FROM need_rtree WHERE key IN (SELECT key FROM need_key WHERE {column} = {value});
      DELETE FROM need_key WHERE {column} = {value};"""


def _sqlite_renew(column: str, pair: str, updated: bool) -> str:
    """Statements making the entries whose `column` is new.id those of the pairs where `pair`
    (a, sal or l's id) is new.id; an updated row's old entries go first."""
    old = _sqlite_drop(column, "old.id") if updated else ""
    return f"""{old}{_sqlite_drop(column, "new.id")}
      INSERT INTO need_key (attribute_id, link_id, service_id, location_id)
      SELECT a.id, sal.id, a.service_id, l.id {_PAIRS} AND {pair}.id = new.id;
      INSERT INTO need_rtree SELECT k.key, tk.key, tk.key, l.latitude, l.latitude,
                                    l.longitude, l.longitude
      FROM need_key k JOIN attribute a ON a.id = k.attribute_id
      JOIN term_key tk ON tk.term_id = a.taxonomy_term_id JOIN location l ON l.id = k.location_id
      WHERE k.{column} = new.id;"""


_SQLITE_WATCHED = {  # trigger name: table, need_key's column, the pair's alias, watched columns
    "attribute": ("attribute", "attribute_id", "a", " OF id, service_id, taxonomy_term_id"),
    "link": ("service_at_location", "link_id", "sal", " OF id, service_id, location_id"),
    "location": ("location", "location_id", "l", " OF id, latitude, longitude"),
}
_TERM = "INSERT OR IGNORE INTO term_key (term_id) VALUES (new.taxonomy_term_id);"


def _sqlite_trigger(name: str, event: str) -> str:
    table, column, pair, columns = _SQLITE_WATCHED[name]
    when = f"{event.upper()}{columns if event == 'update' else ''}"
    term = _TERM if table == "attribute" and event != "delete" else ""
    body = (_sqlite_drop(column, "old.id") if event == "delete"
            else _sqlite_renew(column, pair, updated=event == "update"))
    return f"""CREATE TRIGGER need_{name}_{event} AFTER {when} ON {table} BEGIN {term}
      {body}
    END"""


SQLITE_UP = [
    "CREATE TABLE term_key (key INTEGER PRIMARY KEY, term_id VARCHAR(64) NOT NULL UNIQUE)",
    "CREATE TABLE need_key (key INTEGER PRIMARY KEY, attribute_id VARCHAR(64) NOT NULL, "
    "link_id VARCHAR(64) NOT NULL, service_id VARCHAR(64) NOT NULL, "
    "location_id VARCHAR(64) NOT NULL)",
    "CREATE INDEX need_key_attribute ON need_key (attribute_id)",
    "CREATE INDEX need_key_link ON need_key (link_id)",
    "CREATE INDEX need_key_location ON need_key (location_id)",
    "CREATE VIRTUAL TABLE need_rtree USING rtree(key, min_term, max_term, min_lat, max_lat, "
    "min_lon, max_lon)",
    "INSERT INTO term_key (term_id) SELECT id FROM taxonomy_term ORDER BY id",
    "INSERT OR IGNORE INTO term_key (term_id) SELECT DISTINCT taxonomy_term_id FROM attribute",
    f"INSERT INTO need_key (attribute_id, link_id, service_id, location_id) "
    f"SELECT a.id, sal.id, a.service_id, l.id {_PAIRS}",
    "INSERT INTO need_rtree SELECT k.key, tk.key, tk.key, l.latitude, l.latitude, l.longitude, "
    "l.longitude FROM need_key k JOIN attribute a ON a.id = k.attribute_id "
    "JOIN term_key tk ON tk.term_id = a.taxonomy_term_id JOIN location l ON l.id = k.location_id",
    *(_sqlite_trigger(name, event) for name in _SQLITE_WATCHED
      for event in ("insert", "delete", "update")),
]
SQLITE_DOWN = [
    *(f"DROP TRIGGER need_{name}_{event}" for name in _SQLITE_WATCHED
      for event in ("insert", "delete", "update")),
    "DROP TABLE need_rtree", "DROP TABLE need_key", "DROP TABLE term_key",
]


def _postgres_function(table: str, key: str, condition: str) -> str:
    """A row trigger's function: drop the entries of OLD's row, add those of NEW's."""
    return f"""CREATE FUNCTION need_place_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM need_place WHERE {key} = OLD.id;
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO need_place
        SELECT a.id, sal.id, a.service_id, l.id, a.taxonomy_term_id, l.latitude, l.longitude
        {_PAIRS} AND {condition} ON CONFLICT DO NOTHING;
      END IF;
      RETURN NULL;
    END $$"""


_WATCHED = {"attribute": ("attribute_id", "a.id = NEW.id", "id, service_id, taxonomy_term_id"),
            "service_at_location": ("link_id", "sal.id = NEW.id", "id, service_id, location_id"),
            "location": ("location_id", "l.id = NEW.id", "id, latitude, longitude")}

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "CREATE TABLE need_place (attribute_id VARCHAR(64) NOT NULL, link_id VARCHAR(64) NOT NULL, "
    "service_id VARCHAR(64) NOT NULL, location_id VARCHAR(64) NOT NULL, "
    "term_id VARCHAR(64) NOT NULL, latitude DOUBLE PRECISION NOT NULL, "
    "longitude DOUBLE PRECISION NOT NULL, PRIMARY KEY (attribute_id, link_id))",
    f"INSERT INTO need_place SELECT a.id, sal.id, a.service_id, l.id, a.taxonomy_term_id, "
    f"l.latitude, l.longitude {_PAIRS}",
    "CREATE INDEX need_place_link ON need_place (link_id)",
    "CREATE INDEX need_place_location ON need_place (location_id)",
    "CREATE INDEX need_place_earth ON need_place "
    "USING gist (term_id, ll_to_earth(latitude, longitude))",
    *(_postgres_function(table, key, condition)
      for table, (key, condition, _) in _WATCHED.items()),
    *(f"CREATE TRIGGER need_place_{table} AFTER INSERT OR DELETE OR UPDATE OF {columns} "
      f"ON {table} FOR EACH ROW EXECUTE FUNCTION need_place_{table}()"
      for table, (_, _, columns) in _WATCHED.items()),
]
POSTGRES_DOWN = [
    *(f"DROP TRIGGER need_place_{table} ON {table}" for table in _WATCHED),
    *(f"DROP FUNCTION need_place_{table}()" for table in _WATCHED),
    "DROP TABLE need_place",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN:
        op.execute(statement)
