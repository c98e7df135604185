"""The trigger form through the real Airflow API server: what the UI sends is validated there."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

AIRFLOW = str(Path(sys.executable).with_name("airflow"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def api(airflow_db):
    """An API server on the test Airflow home, with the repo's DAGs serialized into it."""
    env = {**os.environ, "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True"}
    subprocess.run([AIRFLOW, "dags", "reserialize"], env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [AIRFLOW, "api-server", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/api/v2"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/monitor/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None:
                pytest.fail("the API server exited during start-up")
            time.sleep(1)
        else:
            pytest.fail("the API server did not answer within 120 s")
        yield base
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def test_both_dags_are_listed_without_import_errors(api):
    dags = {d["dag_id"] for d in httpx.get(f"{api}/dags").json()["dags"]}
    assert {"ingest_inbox", "simulate_feed"} <= dags
    assert httpx.get(f"{api}/importErrors").json()["total_entries"] == 0


def test_the_simulate_form_rejects_an_invalid_request_with_the_reason(api):
    response = httpx.post(f"{api}/dags/simulate_feed/dagRuns", json={"logical_date": None, "conf": {"users": 0}})
    assert response.status_code == 400
    assert "users" in response.json()["detail"] and "minimum" in response.json()["detail"]


def test_the_simulate_form_accepts_a_valid_request(api):
    conf = {"users": 5, "days": 1, "seed": 1, "shards": 1, "personality": "ENVU"}
    response = httpx.post(f"{api}/dags/simulate_feed/dagRuns", json={"logical_date": None, "conf": conf})
    assert response.status_code == 200, response.text
    assert response.json()["conf"]["personality"] == "ENVU"


def test_the_form_describes_every_field(api):
    params = httpx.get(f"{api}/dags/simulate_feed/details").json()["params"]
    assert {"users", "days", "start_date", "seed", "personality", "personality_mix", "catalog_csv", "shards"} <= set(
        params
    )
    assert all(p["schema"].get("title") and p.get("description") for p in params.values())
