"""The migration runner and the documented, read-only-queryable schema."""

from __future__ import annotations

import pytest

from wrapped_lake import db


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
    (tmp_path / "999_extra.sql").write_text("CREATE TABLE public.extra_table (id int)")
    assert db.apply_migrations(conn, tmp_path) == ["999_extra.sql"]
    assert db.apply_migrations(conn, tmp_path) == []


def test_every_table_and_column_is_documented(conn):
    missing = conn.execute(
        """
        SELECT c.table_schema || '.' || c.table_name || '.' || c.column_name
        FROM information_schema.columns c
        JOIN pg_class t ON t.relname = c.table_name
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = c.table_schema
        WHERE c.table_schema IN ('ingest', 'curated', 'marts')
          AND col_description(t.oid, c.ordinal_position) IS NULL
        UNION ALL
        SELECT n.nspname || '.' || t.relname
        FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname IN ('ingest', 'curated', 'marts') AND t.relkind = 'r'
          AND obj_description(t.oid, 'pg_class') IS NULL
        """
    ).fetchall()
    assert missing == []


def test_the_reader_role_can_select_but_not_write(conn):
    conn.execute("SET ROLE lake_reader")
    try:
        assert conn.execute("SELECT count(*) FROM curated.plays").fetchone() == (0,)
        with pytest.raises(Exception, match="permission denied"):
            conn.execute("DELETE FROM curated.plays")
    finally:
        conn.execute("RESET ROLE")
