"""Helpers for the tests that start the real stack: the CLI in a child process, and the REST API."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

WRAPPED_LAKE = str(Path(sys.executable).with_name("wrapped-lake"))


def stack_cli(root: Path, *args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    """`wrapped-lake stack ...` as a user runs it: the embedded Postgres under `root`, no test settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "LAKE_"))}
    command = [WRAPPED_LAKE, "stack", *args]
    return subprocess.run(
        command, env=clean | {"LAKE_ROOT": str(root), **env}, capture_output=True, text=True, timeout=timeout
    )


def lake_url(root: Path) -> str:
    return f"postgresql://postgres:@/postgres?host={root / 'pgdata'}"


class Api:
    """The REST API with a bearer token from POST /auth/token, as any client would use it."""

    def __init__(self, base: str, username: str = "admin", password: str = "admin") -> None:
        self.base = base
        response = httpx.post(f"{base}/auth/token", json={"username": username, "password": password}, timeout=30)
        response.raise_for_status()
        self.client = httpx.Client(
            base_url=f"{base}/api/v2",
            headers={"Authorization": f"Bearer {response.json()['access_token']}"},
            timeout=30,
        )

    def get(self, path: str, **params) -> dict:
        response = self.client.get(path, params=params)
        response.raise_for_status()
        return response.json()

    def wait_for_dags(self, timeout: float = 60) -> set[str]:
        """DAG ids once the dag-processor has stored its first parse (a few seconds after `up`)."""
        deadline = time.monotonic() + timeout
        while not (dags := {d["dag_id"] for d in self.get("/dags")["dags"]}) and time.monotonic() < deadline:
            time.sleep(1)
        return dags

    def runs(self, dag_id: str) -> list[dict]:
        return self.get(f"/dags/{dag_id}/dagRuns", order_by="run_after", limit=100)["dag_runs"]

    def trigger(self, dag_id: str, conf: dict) -> dict:
        response = self.client.post(f"/dags/{dag_id}/dagRuns", json={"logical_date": None, "conf": conf})
        assert response.status_code == 200, response.text
        return response.json()

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        return self.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", limit=1000)["task_instances"]

    def wait_for_run(self, dag_id: str, *, after: set[str], timeout: float, run_type: str | None = None) -> dict:
        """The first run of `dag_id` (of `run_type`) not in `after` that finishes; fails on a failed
        run or a timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for run in self.runs(dag_id):
                if run["dag_run_id"] in after or run_type not in (None, run["run_type"]):
                    continue
                if run["state"] in ("success", "failed"):
                    assert run["state"] == "success", f"{dag_id} {run['dag_run_id']} failed"
                    return run
            time.sleep(1)
        raise AssertionError(f"no {dag_id} run finished within {timeout} s")

    def wait_for(self, dag_id: str, run_id: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self.get(f"/dags/{dag_id}/dagRuns/{run_id}")
            if run["state"] in ("success", "failed"):
                assert run["state"] == "success", f"{dag_id} {run_id} failed"
                return run
            time.sleep(1)
        raise AssertionError(f"{dag_id} {run_id} did not finish within {timeout} s")


def processes_under(root: Path) -> list[str]:
    """Command lines of live processes that mention the lake root (Airflow components, Postgres, Redis)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if state != "Z" and (str(root) in cmdline or f"LAKE_ROOT={root}".encode() in environ):
            found.append(f"{entry.name}: {cmdline}")
    return found
