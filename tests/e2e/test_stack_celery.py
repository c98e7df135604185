"""Scale-out on Celery without Docker: Redis, the Airflow components and two Celery workers as
local processes, against one Postgres. `make scale-test` (not part of `make test`: ~4 minutes here).

The same 200-user form then runs on a LocalExecutor stack, and the two lakes must hold the same plays.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import httpx
import psycopg
import pytest
from stack_client import Api, lake_url, processes_under, stack_cli

from wrapped_lake.platform.stack import free_port

pytestmark = pytest.mark.scale

FORM = {"users": 200, "days": 1, "seed": 11, "shards": 4}
PASSWORD = "scale-test-password"
PLAYS_CHECKSUM = """
SELECT count(*), md5(string_agg(concat_ws('|', play_key, listener, ended_at, ms_played, track_uri, source_file),
                                 ',' ORDER BY play_key))
FROM curated.plays WHERE source = 'feed'
"""


@pytest.fixture
def roots():
    made = []

    def make() -> Path:
        path = Path(tempfile.mkdtemp(prefix="wl-scale-"))
        path.chmod(0o755)  # the embedded server runs as user "pgserver" and keeps its socket here
        made.append(path)
        return path

    yield make
    for path in made:
        if processes_under(path):
            stack_cli(path, "down")
        shutil.rmtree(path, ignore_errors=True)


def _simulate_then_ingest(api: Api) -> list[dict]:
    """Simulate the form with ingest paused, then one ingest run over every file; their task instances."""
    api.client.patch("/dags/ingest_inbox", json={"is_paused": True}).raise_for_status()
    simulated = api.trigger("simulate_feed", FORM)
    api.wait_for("simulate_feed", simulated["dag_run_id"], timeout=300)
    api.client.patch("/dags/ingest_inbox", json={"is_paused": False}).raise_for_status()
    ingested = api.trigger("ingest_inbox", {})
    api.wait_for("ingest_inbox", ingested["dag_run_id"], timeout=300)
    return api.task_instances("simulate_feed", simulated["dag_run_id"]) + api.task_instances(
        "ingest_inbox", ingested["dag_run_id"]
    )


def _lake_figures(root: Path) -> tuple:
    with psycopg.connect(lake_url(root)) as conn:
        plays = conn.execute(PLAYS_CHECKSUM).fetchone()
        twice = conn.execute(
            "SELECT count(*) FROM (SELECT sha256 FROM ingest.files WHERE status = 'loaded'"
            " GROUP BY sha256 HAVING count(*) > 1) AS t"
        ).fetchone()[0]
        files = conn.execute("SELECT count(*) FROM ingest.files WHERE kind = 'feed'").fetchone()[0]
    return plays, twice, files


def test_celery_workers_share_the_mapped_tasks_and_build_the_same_lake(roots):
    celery_root, port = roots(), free_port()
    redis_port = str(free_port())
    started = stack_cli(
        celery_root, "up", "--executor", "celery", "--workers", "2", "--port", str(port), "--redis-port", redis_port,
        AIRFLOW_ADMIN_PASSWORD=PASSWORD,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    base = f"http://127.0.0.1:{port}"

    # A real login: no token, a wrong password and an empty body are refused.
    assert httpx.get(f"{base}/api/v2/dags").status_code == 401
    assert httpx.post(f"{base}/auth/token", json={"username": "admin", "password": "nope"}).status_code == 401
    assert httpx.post(f"{base}/auth/token", json={}).status_code == 422
    api = Api(base, "admin", PASSWORD)
    api.wait_for_dags()

    task_instances = _simulate_then_ingest(api)
    mapped = [ti for ti in task_instances if ti["task_id"] in ("simulate_shard", "ingest_file")]
    assert all(ti["state"] == "success" for ti in mapped)
    workers = {ti["hostname"].rsplit("/", 1)[-1] for ti in mapped}
    assert workers == {"worker-1", "worker-2"}, workers
    ingest_files = sum(ti["task_id"] == "ingest_file" for ti in mapped)
    celery_plays, loaded_twice, feed_files = _lake_figures(celery_root)
    assert loaded_twice == 0 and feed_files == ingest_files
    assert stack_cli(celery_root, "down").returncode == 0
    assert processes_under(celery_root) == []

    local_root = roots()
    started = stack_cli(local_root, "up", "--port", str(port))
    assert started.returncode == 0, started.stderr
    local_api = Api(base)
    local_api.wait_for_dags()
    _simulate_then_ingest(local_api)
    local_plays, _, _ = _lake_figures(local_root)
    assert stack_cli(local_root, "down").returncode == 0
    assert celery_plays == local_plays and celery_plays[0] > 0
