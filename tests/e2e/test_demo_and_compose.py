"""The README's main job, and the container run mode as far as it can be checked without Docker."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def _demo(lake) -> str:
    env = {**os.environ, "LAKE_ROOT": str(lake.root), "LAKE_DATABASE_URL": lake.database_url}
    command = [sys.executable, "-m", "wrapped_lake.cli", "demo"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=True).stdout


def test_demo_lands_every_generated_play_and_says_so(lake):
    first = _demo(lake)
    assert "all there, none twice" in first
    assert "2 file(s) seen before (the same ZIP downloaded twice)" in first
    assert "quarantined truncated.json: truncated JSON" in first
    assert "demo's Wrapped 2024" in first and "Top artists" in first
    page = re.search(r"The report to open in a browser: (\S+)", first).group(1)
    assert Path(page) == lake.reports / "demo" / "wrapped_2024.html" and Path(page).exists()
    second = _demo(lake)
    assert "Every file was loaded by an earlier run" in second and "nothing to do" in second
    assert "downloaded twice" not in second and "all there, none twice" in second


def test_demos_spotify_wrapped_has_figures_that_agree_with_its_plays_by_spotifys_rules(lake, conn):
    out = _demo(lake)
    year, document, rejected = conn.execute(
        "SELECT year, document, rejected_fields FROM curated.spotify_wrapped WHERE listener = 'demo'"
    ).fetchone()
    assert year == 2024 and rejected == [] and document["topTracks"]["topTrackPlayCount"] > 1
    beside = out.split("Beside Spotify's own Wrapped (the lake by Spotify's rules / Spotify):\n")[1]
    rows = re.findall(r"^  ([^:]+): (.+) / (.+)$", beside, re.M)
    assert [label for label, *_ in rows] == [
        "Biggest day", "Minutes that day", "Top song's streams", "Top song first played", "Top podcast minutes"
    ]  # fmt: skip
    assert all(lake_figure == spotify for _, lake_figure, spotify in rows), rows
    assert 'id="spotify"' in (lake.reports / "demo" / "wrapped_2024.html").read_text()


COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
AIRFLOW_SERVICES = {name: s for name, s in SERVICES.items() if name.startswith("airflow-")}
# Paths that differ by design: the image's defaults (/opt/airflow/...) against the repo's folders.
PATH_SETTINGS = {
    "AIRFLOW_HOME",
    "AIRFLOW__CORE__DAGS_FOLDER",
    "AIRFLOW__CORE__PLUGINS_FOLDER",
    "AIRFLOW__LOGGING__BASE_LOG_FOLDER",
}


def test_compose_has_every_airflow3_service_and_the_celery_profile():
    assert {"postgres", "airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
            "airflow-triggerer", "redis", "airflow-worker"} <= set(SERVICES)  # fmt: skip
    assert AIRFLOW_SERVICES["airflow-init"]["environment"]["_AIRFLOW_DB_MIGRATE"] == "true"
    assert set(SERVICES["redis"]["profiles"]) == set(SERVICES["airflow-worker"]["profiles"]) == {"celery"}
    assert "redis" in SERVICES["airflow-worker"]["depends_on"]


def test_every_image_is_pinned_to_a_version():
    images = [s["image"] for s in SERVICES.values()]
    assert all(re.search(r":\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?$", image) for image in images), images
    base = re.search(r"^FROM (\S+)$", (REPO / "Dockerfile").read_text(), re.M).group(1)
    airflow = re.search(r"^apache-airflow==(\S+)$", (REPO / "requirements.lock").read_text(), re.M).group(1)
    assert base == f"apache/airflow:{airflow}-python3.11"


def test_every_mounted_path_exists():
    for service in SERVICES.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source == "./lake":  # the lake itself: made on first start, never in git
                assert "/lake/" in (REPO / ".gitignore").read_text().split()
            elif source.startswith("./"):
                assert (REPO / source).exists(), volume


def test_the_image_installs_the_lock_file_and_the_package_without_resolving():
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r /opt/wrapped-lake/requirements.lock" in dockerfile
    assert "pip install --no-cache-dir --no-deps -e /opt/wrapped-lake" in dockerfile
    lock = (REPO / "requirements.lock").read_text().splitlines()
    pinned = {line.split("==")[0].lower() for line in lock if "==" in line}
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    for requirement in project:
        assert re.split(r"[<>=\[ ]", requirement)[0].lower() in pinned, requirement


def test_compose_runs_the_commands_and_settings_of_the_local_stack(tmp_path, monkeypatch):
    from wrapped_lake.platform import stack
    from wrapped_lake.platform.config import Settings

    # Only Airflow's commands are compared: Redis need not be installed to check them.
    monkeypatch.setattr(stack, "_redis_server", lambda: "redis-server")
    local = stack.components("celery", 8080, "0.0.0.0", 1, 6379)
    assert "exec airflow api-server" in (REPO / "docker" / "api-server.sh").read_text()
    for name in ("scheduler", "dag-processor", "triggerer"):
        assert AIRFLOW_SERVICES[f"airflow-{name}"]["command"] == " ".join(local[name][1:])
    assert local["worker-1"][1:3] == AIRFLOW_SERVICES["airflow-worker"]["command"].split()

    settings = Settings(root=tmp_path, database_url=None, timezone="UTC")
    env = stack.airflow_env(settings, executor="celery", port=8080, login=True, redis_port=6379, metadata="-")
    env.pop("AIRFLOW__CELERY__WORKER_CONCURRENCY")  # sized for one laptop; containers keep Celery's default
    for service in AIRFLOW_SERVICES.values():
        compose_env = service["environment"]
        assert set(env) - PATH_SETTINGS <= set(compose_env) | {"LAKE_DATABASE_URL"}
        assert compose_env["LAKE_DATABASE_URL"].startswith("postgresql://")
        for key in ("AIRFLOW__CORE__LOAD_EXAMPLES", "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS",
                    "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", "LAKE_TIMEZONE"):  # fmt: skip
            assert compose_env[key] in (env[key], "${LAKE_TIMEZONE:-UTC}"), key
        assert compose_env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/"
        assert "./lake:/opt/airflow/lake" in service["volumes"]


def test_secrets_come_from_dot_env_and_the_example_names_them_all():
    example = {
        line.split("=")[0].lstrip("# ")
        for line in (REPO / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#   ")
    }
    text = (REPO / "docker-compose.yml").read_text()
    required = set(re.findall(r"\$\{([A-Z_]+):\?", text))
    assert {"AIRFLOW_ADMIN_PASSWORD", "AIRFLOW_JWT_SECRET", "AIRFLOW_API_SECRET_KEY", "AIRFLOW_FERNET_KEY",
            "POSTGRES_PASSWORD", "LAKE_DB_PASSWORD"} <= required <= example  # fmt: skip
    for service in SERVICES.values():
        for key, value in service.get("environment", {}).items():
            if re.search(r"SECRET|PASSWORD$|FERNET|SQL_ALCHEMY_CONN|DATABASE_URL", key):
                assert "${" in str(value), f"{key} is written into the compose file"
    assert ".env" in (REPO / ".gitignore").read_text().split()
