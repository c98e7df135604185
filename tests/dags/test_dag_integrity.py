"""Rules every DAG in the bag follows, whoever adds it: parses fast and cleanly, house defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from wrapped_lake.assets import Tag

REPO = Path(__file__).resolve().parents[2]
DAG_FILES = sorted(path.name for path in (REPO / "dags").glob("*.py"))
# Each costs a parse of every DAG file if imported at module level: import them inside tasks.
HEAVY_MODULES = ("pandas", "pyarrow", "numpy", "psycopg", "fastavro")


def test_dags_import_without_errors_or_warnings(dagbag):
    assert dagbag.import_errors == {}
    assert dagbag.captured_warnings == {}


def test_every_dag_file_defines_a_dag(dagbag):
    files = {stat.file.lstrip("/") for stat in dagbag.dagbag_stats if stat.dag_num}
    assert files == set(DAG_FILES)


def test_each_file_parses_in_under_a_second(dagbag):
    seconds = {stat.file: stat.duration.total_seconds() for stat in dagbag.dagbag_stats}
    assert seconds and all(value < 1 for value in seconds.values()), seconds


def pytest_generate_tests(metafunc):
    if "dag_id" in metafunc.fixturenames:
        from airflow.dag_processing.dagbag import DagBag

        metafunc.parametrize("dag_id", sorted(DagBag(dag_folder=str(REPO / "dags")).dag_ids))


def test_dag_has_owner_retries_tags_and_docs(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert dag.doc_md and dag.doc_md.strip(), "doc_md: open the DAG file with a Markdown docstring"
    assert dag.tags and set(dag.tags) <= set(Tag), f"tags must come from wrapped_lake.assets.Tag: {dag.tags}"
    assert dag.catchup is False
    for task in dag.tasks:
        assert task.owner == "wrapped-lake", task.task_id
        assert (task.retries or 0) >= 1, task.task_id


@pytest.mark.parametrize("name", DAG_FILES)
def test_dag_files_import_nothing_heavy_at_module_level(name):
    source = (REPO / "dags" / name).read_text()
    top_level = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    heavy = [line for line in top_level if any(module in line for module in HEAVY_MODULES)]
    assert heavy == []
