"""Run mode 2 as a user meets it: `wrapped-lake stack up`, drop a file, watch it over REST, stop.

Measured here (2 shared cores): up ~20 s, drop-to-loaded ~15 s, the whole test ~2 minutes. The
second start follows a crash of the lake's Postgres (kill -9), and rebuilds the emptied marts.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

import httpx
import psycopg
import pytest
from stack_client import Api, lake_url, processes_under, stack_cli

from wrapped_lake import fixtures
from wrapped_lake.platform.stack import free_port

pytestmark = pytest.mark.stack


@pytest.fixture
def root():
    # Short and world-readable: the embedded server's socket lives here and runs as user "pgserver".
    path = Path(tempfile.mkdtemp(prefix="wl-stack-"))
    path.chmod(0o755)
    yield path
    if processes_under(path):
        stack_cli(path, "down")
    shutil.rmtree(path, ignore_errors=True)


def test_drop_a_file_and_trigger_a_feed_on_the_running_stack(root):
    port = free_port()
    started = stack_cli(root, "up", "--port", str(port))
    assert started.returncode == 0, started.stderr
    assert f"http://127.0.0.1:{port}" in started.stderr and "no login" in started.stderr
    api = Api(f"http://127.0.0.1:{port}")
    dags = api.wait_for_dags({"ingest_inbox", "simulate_feed", "build_wrapped"})
    assert {"ingest_inbox", "simulate_feed", "build_wrapped"} <= dags
    assert api.get("/importErrors")["total_entries"] == 0

    before = {r["dag_run_id"] for r in api.runs("ingest_inbox")}
    wrapped_before = {r["dag_run_id"] for r in api.runs("build_wrapped")}
    history = fixtures.full_history("erin", plays=600, per_file=250)
    dropped, dropped_at = time.monotonic(), time.time()
    fixtures.write_files(root / "inbox" / "erin", history.files)
    api.wait_for_run("ingest_inbox", after=before, timeout=90, run_type="asset_triggered")
    print(f"drop-to-loaded: {time.monotonic() - dropped:.1f} s")
    # The new plays start build_wrapped (curated_plays asset), which writes erin's reports.
    api.wait_for_run("build_wrapped", after=wrapped_before, timeout=120, run_type="asset_triggered")
    reports = list((root / "reports" / "erin").glob("wrapped_*.html"))
    assert reports and all(path.stat().st_mtime >= dropped_at for path in reports)
    print(f"drop-to-Wrapped report: {time.monotonic() - dropped:.1f} s ({len(reports)} reports)")
    with psycopg.connect(lake_url(root)) as conn:
        plays = conn.execute("SELECT count(*) FROM curated.plays WHERE listener = 'erin'").fetchone()[0]
    assert plays == len(history.truth.plays)

    before = {r["dag_run_id"] for r in api.runs("ingest_inbox")}
    run = api.trigger("simulate_feed", {"users": 6, "days": 1, "seed": 5, "shards": 2})
    api.wait_for("simulate_feed", run["dag_run_id"], timeout=90)
    api.wait_for_run("ingest_inbox", after=before, timeout=90, run_type="asset_triggered")  # the files appeared
    with psycopg.connect(lake_url(root)) as conn:
        users = conn.execute("SELECT count(*) FROM curated.feed_users").fetchone()[0]
        listeners = conn.execute("SELECT count(DISTINCT listener) FROM curated.plays WHERE source = 'feed'").fetchone()
    assert users == 6 and 0 < listeners[0] <= 6

    # The lake's Postgres crashes (kill -9 of its postmaster, as the OOM killer does): crash recovery
    # empties the unlogged marts, and the next start rebuilds them before the page is read.
    os.kill(int((root / "pgdata" / "postmaster.pid").read_text().split()[0]), signal.SIGKILL)
    stopped = stack_cli(root, "down")
    assert stopped.returncode == 0, stopped.stderr
    assert processes_under(root) == []

    restarted = time.monotonic()
    again = stack_cli(root, "up", "--port", str(port))  # the data and the run history survive a restart
    assert again.returncode == 0, again.stderr
    assert "rebuilding the marts after a database crash" in again.stderr
    api = Api(f"http://127.0.0.1:{port}")
    assert len(api.runs("ingest_inbox")) >= 2
    page = httpx.get(f"http://127.0.0.1:{port}/wrapped/listeners", headers=api.client.headers, timeout=60)
    assert "erin" in [entry["listener"] for entry in page.json()]
    print(f"restart-to-page after a crash: {time.monotonic() - restarted:.1f} s")
    with psycopg.connect(lake_url(root)) as conn:
        assert conn.execute("SELECT count(*) FROM curated.plays WHERE listener = 'erin'").fetchone()[0] == plays
    assert stack_cli(root, "down").returncode == 0
    assert processes_under(root) == []
