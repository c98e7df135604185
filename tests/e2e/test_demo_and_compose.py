"""The README's main job, and the container run mode as far as it can be checked without Docker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def test_demo_lands_every_generated_play_and_says_so(lake):
    env = {**os.environ, "LAKE_ROOT": str(lake.root), "LAKE_DATABASE_URL": lake.database_url}

    def demo() -> str:
        command = [sys.executable, "-m", "wrapped_lake.cli", "demo"]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=True).stdout

    first = demo()
    assert "(match)" in first
    assert "quarantined truncated.json: truncated JSON" in first
    assert "(match)" in demo()  # a second run adds nothing


def test_compose_file_has_every_airflow3_service_wired_alike():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {
        "postgres",
        "airflow-init",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
        "redis",
        "airflow-worker",
    } <= set(services)
    airflow = [s for name, s in services.items() if name.startswith("airflow-")]
    for service in airflow:
        env = service["environment"]
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/"
        assert "AIRFLOW__API_AUTH__JWT_SECRET" in env
        assert env["LAKE_DATABASE_URL"].startswith("postgresql://")
        assert "./lake:/opt/airflow/lake" in service["volumes"]
    assert services["airflow-init"]["environment"]["_AIRFLOW_DB_MIGRATE"] == "true"
    assert set(services["redis"]["profiles"]) == set(services["airflow-worker"]["profiles"]) == {"celery"}
    assert (REPO / "Dockerfile").read_text().count("requirements.lock") >= 2
