"""One migrated database for every model test; each test's rows are rolled back at its end, so a
test sees only the rows it wrote (and what test_facts.py's build committed, under its own names)."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from wrapped_lake.platform import db
from wrapped_lake.platform.config import Settings


@pytest.fixture(scope="session")
def models_lake(server_url, tmp_path_factory) -> Settings:
    """Settings of one lake shared by the model tests: migrating a database costs more than a test."""
    name = f"lake_models_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_conninfo(**(conninfo_to_dict(server_url) | {"dbname": name}))
    yield Settings(root=tmp_path_factory.mktemp("lake"), database_url=url, timezone="UTC")
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def shared_conn(models_lake):
    with db.connect(models_lake) as connection:
        yield connection


@pytest.fixture
def conn(shared_conn):
    """The shared database inside a transaction that the end of the test rolls back."""
    with shared_conn.transaction(force_rollback=True):
        yield shared_conn
