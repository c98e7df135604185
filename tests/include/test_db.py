"""The migration runner, the documented, read-only-queryable schema and the embedded server's memory."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

import psycopg
import pyarrow as pa
import pytest

from wrapped_lake.platform import db, models
from wrapped_lake.platform.config import Settings


def test_migrations_are_recorded_and_rerunning_them_is_a_no_op(conn):
    versions = [v for (v,) in conn.execute("SELECT version FROM public.schema_migrations ORDER BY 1")]
    assert versions == [v for v, _ in db.migration_files()]
    assert db.apply_migrations(conn) == []


def test_a_badly_named_migration_is_an_error(tmp_path):
    (tmp_path / "001_ok.sql").write_text("SELECT 1")
    (tmp_path / "2-typo.sql").write_text("SELECT 1")
    with pytest.raises(ValueError, match=r"2-typo\.sql"):
        db.migration_files(tmp_path)


def test_a_new_migration_is_applied_once(conn, tmp_path):
    for _version, path in db.migration_files():
        (tmp_path / path.name).write_text(path.read_text())
    shutil.copytree(Path(str(db.SQL_DIR / "models")), tmp_path / "models")
    (tmp_path / "999_extra.sql").write_text("CREATE TABLE public.extra_table (id int)")
    assert db.apply_migrations(conn, tmp_path) == ["999_extra.sql"]
    assert db.apply_migrations(conn, tmp_path) == []


def test_a_migration_changes_a_table_that_views_read_without_touching_them(conn, tmp_path):
    # Migrations run with the view models dropped and re-created after: a column type change of
    # the fact, which every Wrapped view reads, needs no view handling in the migration.
    for _version, path in db.migration_files():
        (tmp_path / path.name).write_text(path.read_text())
    shutil.copytree(Path(str(db.SQL_DIR / "models")), tmp_path / "models")
    (tmp_path / "998_wider.sql").write_text("ALTER TABLE marts.hourly_plays ALTER COLUMN skips TYPE bigint")
    try:
        assert db.apply_migrations(conn, tmp_path) == ["998_wider.sql"]
        assert conn.execute("SELECT count(*) FROM marts.top_artists").fetchone()[0] >= 0
    finally:
        with conn.transaction():
            conn.execute("DELETE FROM public.schema_migrations WHERE version = 998")
            models.drop_definitions(conn)
            conn.execute("ALTER TABLE marts.hourly_plays ALTER COLUMN skips TYPE integer")
            models.create_definitions(conn)


def test_views_whose_reads_changed_are_dropped_in_the_order_the_database_records(conn, tmp_path):
    """A view that no longer reads another, which now reads it instead, is replaced: the old views
    are dropped readers first as they were created, not in the new files' order."""
    for _version, path in db.migration_files():
        (tmp_path / path.name).write_text(path.read_text())
    shutil.copytree(Path(str(db.SQL_DIR / "models")), tmp_path / "models")
    folder = tmp_path / "models/marts/charts"

    def views(first: str, second: str) -> None:
        for name, body in (("t_first", first), ("t_second", second)):
            reads = "marts.t_second" if "t_second" in body else "marts.t_first" if "t_first" in body else "nothing"
            header = f"-- A test view.\n-- inputs: {reads}\n"
            (folder / f"{name}.sql").write_text(f"{header}CREATE VIEW marts.{name} AS {body};\n")
        models.models.cache_clear()

    try:
        views("SELECT n FROM marts.t_second", "SELECT 1 AS n")
        assert db.apply_migrations(conn, tmp_path) == []
        views("SELECT 2 AS n", "SELECT n + 1 AS n FROM marts.t_first")
        assert db.apply_migrations(conn, tmp_path) == []
        assert conn.execute("SELECT n FROM marts.t_second").fetchone()[0] == 3
    finally:
        models.models.cache_clear()
        conn.execute("DROP VIEW IF EXISTS marts.t_second, marts.t_first")
        db.apply_migrations(conn)


def test_a_changed_model_is_created_again(conn, tmp_path):
    for _version, path in db.migration_files():
        (tmp_path / path.name).write_text(path.read_text())
    shutil.copytree(Path(str(db.SQL_DIR / "models")), tmp_path / "models")
    view = tmp_path / "models/marts/wrapped/listener_years.sql"
    view.write_text(view.read_text().replace("GROUP BY 1, 2;", "GROUP BY 1, 2 HAVING false;"))
    try:
        assert db.apply_migrations(conn, tmp_path) == []
        assert conn.execute("SELECT count(*) FROM marts.listener_years").fetchone()[0] == 0
        assert "HAVING false" in conn.execute("SELECT pg_get_viewdef('marts.listener_years')").fetchone()[0]
    finally:
        db.apply_migrations(conn)
    assert "HAVING false" not in conn.execute("SELECT pg_get_viewdef('marts.listener_years')").fetchone()[0]


def test_every_table_view_and_column_is_documented(conn):
    # A partition is documented by its table: readers query the table, and a full build replaces partitions.
    missing = conn.execute(
        """
        SELECT n.nspname || '.' || t.relname || '.' || a.attname
        FROM pg_class t
        JOIN pg_namespace n ON n.oid = t.relnamespace
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname IN ('ingest', 'curated', 'marts') AND t.relkind IN ('r', 'p', 'v', 'm')
          AND NOT t.relispartition AND col_description(t.oid, a.attnum) IS NULL
        UNION ALL
        SELECT n.nspname || '.' || t.relname
        FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname IN ('ingest', 'curated', 'marts') AND t.relkind IN ('r', 'p', 'v', 'm')
          AND NOT t.relispartition AND obj_description(t.oid, 'pg_class') IS NULL
        """
    ).fetchall()
    assert missing == []


def test_the_reader_role_can_select_but_not_write(conn):
    conn.execute("SET ROLE lake_reader")
    try:
        assert conn.execute("SELECT count(*) FROM curated.plays").fetchone() == (0,)
        with pytest.raises(Exception, match="permission denied"):
            conn.execute("DELETE FROM curated.play_rows")
    finally:
        conn.execute("RESET ROLE")


def test_plays_made_before_006_upgrade_with_their_times_file_and_package(database_url, tmp_path):
    """A lake made before 006 (times generated from epoch ms, source file stored per row) upgrades
    with every value a user reads intact."""
    for version, path in db.migration_files():
        if version < 6:
            (tmp_path / path.name).write_text(path.read_text())
    with psycopg.connect(database_url, autocommit=True) as conn:
        db.apply_migrations(conn, tmp_path)
        conn.execute(
            "INSERT INTO ingest.files (file_id, listener, sha256, name, size_bytes, kind, status, raw_path,"
            " started_at) VALUES (1, 'ann', 'ab', 'x.zip!/a.json', 10, 'extended_audio', 'loaded', 'raw', now())"
        )
        conn.execute(
            "INSERT INTO curated.plays (play_key, listener, source, media, ended_at_ms, ms_played, source_file,"
            " file_id) VALUES (md5('x')::uuid, 'ann', 'extended', 'music', 1700000000123, 61000, 'x.zip!/a.json', 1)"
        )
        # Later migrations follow; these two are the upgrade under test.
        assert db.apply_migrations(conn)[:2] == ["006_plays_plain_times.sql", "007_plays_view.sql"]
        row = conn.execute("SELECT ended_at, started_at, source_file, package FROM curated.plays").fetchone()
        assert row == (
            datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC),
            datetime(2023, 11, 14, 22, 12, 19, 123000, tzinfo=UTC),
            "x.zip!/a.json",
            "Extended Streaming History",
        )
        stored = {
            c
            for (c,) in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'play_rows'"
            )
        }
        assert not stored & {"ended_at_ms", "source_file", "package"}


def test_arrow_rows_copy_in_binary_with_exact_values(conn):
    conn.execute(
        "CREATE TEMP TABLE every_type (b boolean, s smallint, i integer, n bigint, r real, d double precision,"
        " t text, u uuid, day date, at timestamptz, tags text[])"
    )
    key = bytes(range(16))
    rows = pa.table(
        {
            "b": [True, None],
            "s": pa.array([7, None], pa.int64()),  # narrowed to smallint on the way
            "i": pa.array([2_000_000_000, None], pa.int64()),
            "n": pa.array([2**40, None], pa.int64()),
            "r": pa.array([0.1, None], pa.float32()),
            "d": pa.array([0.1, None], pa.float32()),  # float32 0.1 lands as 0.1, not 0.100000001
            "t": ['Beyoncé, "live"\n', None],
            "u": pa.array([key, None], pa.binary(16)),
            "day": pa.array([date(2024, 2, 29), None], pa.date32()),
            "at": pa.array([1_700_000_000_123, None], pa.timestamp("ms", tz="UTC")),
            "tags": pa.array([["a", "b,c"], None], pa.list_(pa.string())),
        }
    )
    db.copy_arrow(conn, "every_type", rows)
    assert conn.execute("SELECT * FROM every_type WHERE b").fetchone() == (
        True,
        7,
        2_000_000_000,
        2**40,
        pytest.approx(0.1),
        0.1,
        'Beyoncé, "live"\n',
        UUID(bytes=key),
        date(2024, 2, 29),
        datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC),
        ["a", "b,c"],
    )
    assert conn.execute(
        "SELECT count(*) FROM every_type WHERE b IS NULL AND u IS NULL AND tags IS NULL"
    ).fetchone() == (1,)


def test_a_new_embedded_server_starts_with_its_shared_buffers_and_keeps_them():
    # Not under tmp_path: pytest keeps it 0700, and the server runs as "pgserver" when tests run as root.
    root = Path(tempfile.mkdtemp(prefix="wrapped-lake-buffers-"))
    root.chmod(0o755)
    # Each start in its own process, as the CLI's and the tasks' are: the server library keeps one
    # handle per data folder for the life of a process.
    started = (
        "import sys; from pathlib import Path; import psycopg; from wrapped_lake.platform import db;"
        "from wrapped_lake.platform.config import Settings;"
        "s = Settings(root=Path(sys.argv[1]), database_url=None, timezone='UTC');"
        "print(psycopg.connect(db.database_url(s)).execute("
        "\"SELECT pg_size_bytes(current_setting('shared_buffers'))\").fetchone()[0]); db.stop_embedded(s)"
    )
    try:
        sizes = [int(subprocess.check_output([sys.executable, "-c", started, str(root)], text=True)) for _ in range(2)]
    finally:
        db.stop_embedded(Settings(root=root, database_url=None, timezone="UTC"))
        shutil.rmtree(root, ignore_errors=True)
    expected = int(db.embedded_shared_buffers().removesuffix("MB")) * 2**20
    assert sizes == [expected, expected]  # created, then started again from its data folder
    assert 128 * 2**20 <= expected <= 2 * 2**30
