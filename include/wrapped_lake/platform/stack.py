"""Run mode 2: Airflow 3 as local background processes on this repo's dags/ and the lake.

`wrapped-lake stack up|down|status` (and `make up|down|status`). Every component is its own
process group, recorded in LAKE_ROOT/airflow/stack.json, so `down` stops each of them and
everything they started (task processes, uvicorn workers). Airflow's metadata lives in a database
`airflow` on the lake's Postgres server (the embedded one by default), never in the lake's own.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict

from wrapped_lake.platform import db
from wrapped_lake.platform.config import Settings

REPO = Path(__file__).resolve().parents[3]
METADATA_DB = "airflow"
ADMIN_USER = "admin"
# The scheduler, dag-processor and triggerer report healthy within ~25 s of start here (2 cores).
START_TIMEOUT = 240
STOP_TIMEOUT = 30
STOPPED = {"running": False}  # status() when `up` has not started the stack (or `down` stopped it)


@dataclass
class Stack:
    """What `up` started: enough for `down` and `status` in another process."""

    executor: str
    url: str
    login: bool
    components: dict[str, int] = field(default_factory=dict)  # name -> pid (= its process group)
    started_postgres: bool = False


def home(settings: Settings) -> Path:
    """Airflow's home: state, secrets and logs live with the lake they run."""
    return settings.root / "airflow"


def components(executor: str, port: int, host: str, workers: int, redis_port: int) -> dict[str, list[str]]:
    """The command of each process, in start order. docker-compose.yml runs the same commands."""
    airflow = str(Path(sys.executable).with_name("airflow"))
    commands = {}
    if executor == "celery":
        commands["redis"] = [
            _redis_server(),
            *("--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
        ]
    commands |= {
        "api-server": [airflow, "api-server", "--host", host, "--port", str(port)],
        "scheduler": [airflow, "scheduler"],
        "dag-processor": [airflow, "dag-processor"],
        "triggerer": [airflow, "triggerer"],
    }
    if executor == "celery":
        for n in range(1, workers + 1):
            commands[f"worker-{n}"] = [airflow, "celery", "worker", "--celery-hostname", f"worker-{n}@%h"]
    return commands


def airflow_env(
    settings: Settings, *, executor: str, port: int, login: bool, redis_port: int, metadata: str
) -> dict[str, str]:
    """The environment every component shares (docker-compose.yml sets the same keys)."""
    keys = _secrets(settings)
    env = {
        "AIRFLOW_HOME": str(home(settings)),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": {"local": "LocalExecutor", "celery": "CeleryExecutor"}[executor],
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata,
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        # Generated once (64 bytes: Airflow's own default is 16, which PyJWT reports as too short).
        "AIRFLOW__API_AUTH__JWT_SECRET": keys["jwt_secret"],
        "AIRFLOW__API__SECRET_KEY": keys["api_secret_key"],
        "AIRFLOW__CORE__FERNET_KEY": keys["fernet_key"],
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home(settings) / "logs"),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": str(not login),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN_USER}:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home(settings) / "passwords.json"),
        "LAKE_ROOT": str(settings.root),
        "LAKE_TIMEZONE": settings.timezone,
    }
    if settings.database_url:
        env["LAKE_DATABASE_URL"] = settings.database_url
    if executor == "celery":
        env["AIRFLOW__CELERY__BROKER_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        # Two workers of 16 task processes each (the default) would overcommit a laptop many times.
        env["AIRFLOW__CELERY__WORKER_CONCURRENCY"] = "4"
    return env


def metadata_url(settings: Settings) -> str:
    """SQLAlchemy URL of the `airflow` database on the lake's server, created if missing."""
    from sqlalchemy.engine import URL

    lake_url = db.database_url(settings)
    with psycopg.connect(lake_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (METADATA_DB,)).fetchone():
            conn.execute(f'CREATE DATABASE "{METADATA_DB}"')
    params = conninfo_to_dict(lake_url)
    host = params.get("host") or None
    socket_dir = host if host and host.startswith("/") else None
    return URL.create(
        "postgresql+psycopg2",
        username=params.get("user"),
        password=params.get("password") or None,
        host=None if socket_dir else host,
        port=int(params["port"]) if params.get("port") and not socket_dir else None,
        database=METADATA_DB,
        query={"host": socket_dir} if socket_dir else {},
    ).render_as_string(hide_password=False)


def up(
    settings: Settings,
    *,
    executor: str = "local",
    port: int = 8080,
    host: str = "127.0.0.1",
    workers: int = 2,
    redis_port: int = 6379,
    login: bool | None = None,
    progress=print,
) -> Stack:
    """Start the stack in the background and wait until every component reports healthy."""
    current = _load(settings)
    if current and _alive(current):
        progress(f"already running: {current.url}")
        return current
    login = executor == "celery" if login is None else login
    airflow_home = home(settings)
    (airflow_home / "logs" / "stack").mkdir(parents=True, exist_ok=True)
    if login:
        _write_passwords(airflow_home / "passwords.json", _admin_password())
    started_postgres = not settings.database_url and not (settings.pgdata / "postmaster.pid").exists()
    options = {"executor": executor, "port": port, "login": login, "redis_port": redis_port}
    env = _child_env(airflow_env(settings, **options, metadata=metadata_url(settings)))
    env["AIRFLOW_CONN_LAKE_PG"] = db.airflow_connection(db.database_url(settings))  # build_wrapped's SQL checks
    env |= _log_server_ports()
    _rebuild_lost_marts(env, progress)
    progress("migrating the Airflow metadata database ...")
    _run_logged([str(Path(sys.executable).with_name("airflow")), "db", "migrate"], env, settings)
    stack = Stack(executor=executor, url=f"http://{host}:{port}", login=login, started_postgres=started_postgres)
    try:
        for name, argv in components(executor, port, host, workers, redis_port).items():
            stack.components[name] = _start(name, argv, env | _component_env(name), settings)
            _save(settings, stack)
            if name == "api-server":
                _wait_healthy(settings, stack, ())  # the others call it at once, and log retries if it is not up
        _wait_healthy(settings, stack, ("scheduler", "triggerer", "dag_processor"))
    except BaseException:
        down(settings, progress=lambda _: None)
        raise
    return stack


def down(settings: Settings, *, progress=print) -> list[str]:
    """Stop every process the stack started (and the embedded Postgres if `up` started it)."""
    stack = _load(settings)
    if not stack:
        progress("not running")
        return []
    for pid in reversed(stack.components.values()):
        _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and any(_group_alive(pid) for pid in stack.components.values()):
        time.sleep(0.5)
    for pid in stack.components.values():
        _signal_group(pid, signal.SIGKILL)  # whatever ignored SIGTERM for 30 s
    stopped = list(stack.components)
    if stack.started_postgres and db.stop_embedded(settings):
        stopped.append("postgres")
    _state_file(settings).unlink()
    progress("stopped: " + ", ".join(stopped))
    return stopped


def status(settings: Settings) -> dict:
    """Each component's pid and whether it runs, with the API's own health report."""
    stack = _load(settings)
    if not stack:
        return dict(STOPPED)
    report = {
        "running": _alive(stack),
        "url": stack.url,
        "executor": stack.executor,
        "login": stack.login,
        "components": {name: {"pid": pid, "alive": _group_alive(pid)} for name, pid in stack.components.items()},
    }
    try:
        import httpx

        report["health"] = httpx.get(f"{stack.url}/api/v2/monitor/health", timeout=5).json()
    except Exception as exc:  # the API server may be starting or gone; status says so, not fails
        report["health"] = f"unreachable: {exc}"
    return report


def how_to_log_in(stack: Stack) -> str:
    """The lines `up` prints for people."""
    if stack.login:
        who = f"log in as {ADMIN_USER} with AIRFLOW_ADMIN_PASSWORD from .env"
    else:
        who = "no login (personal stack on 127.0.0.1: every visitor is admin)"
    return (
        f"Airflow UI: {stack.url}  ({who})\n"
        f"REST API:   {stack.url}/api/v2  (token: POST {stack.url}/auth/token with a JSON body "
        '{"username": ..., "password": ...}' + ("" if stack.login else f", or GET {stack.url}/auth/token") + ")"
    )


def _admin_password() -> str:
    """AIRFLOW_ADMIN_PASSWORD from the environment or the repo's .env (the compose file reads the same)."""
    password = os.environ.get("AIRFLOW_ADMIN_PASSWORD")
    env_file = REPO / ".env"
    if not password and env_file.exists():
        for line in env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "AIRFLOW_ADMIN_PASSWORD":
                password = value.strip().strip("'\"")
    if not password:
        raise ValueError("a stack with login needs AIRFLOW_ADMIN_PASSWORD (cp .env.example .env and set it)")
    return password


def _write_passwords(path: Path, password: str) -> None:
    """The simple auth manager's password file, readable by this user only."""
    path.write_text(json.dumps({ADMIN_USER: password}))
    path.chmod(0o600)


def _secrets(settings: Settings) -> dict[str, str]:
    """Keys generated on first start and kept under the lake root (never in git)."""
    path = home(settings) / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    from cryptography.fernet import Fernet

    keys = {
        "jwt_secret": secrets.token_urlsafe(64),
        "api_secret_key": secrets.token_urlsafe(32),
        "fernet_key": Fernet.generate_key().decode(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps(keys))
    return keys


def _child_env(airflow: dict[str, str]) -> dict[str, str]:
    """This shell's environment without its Airflow settings (a test's throwaway home, say), plus ours."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW") and not k.startswith("LAKE_")}
    inherited["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{inherited.get('PATH', '')}"
    # Airflow imports FastAPI's test client at start-up; the deprecation is theirs, not ours to act on.
    inherited["PYTHONWARNINGS"] = "ignore:Using `httpx` with `starlette.testclient` is deprecated"
    return inherited | airflow


def _component_env(name: str) -> dict[str, str]:
    """Per component: workers on one machine report their own name as the task instances' hostname;
    the log servers' uvicorn keeps to errors (at INFO it warns about its own app factory on start)."""
    env = {} if name == "api-server" else {"AIRFLOW__LOGGING__UVICORN_LOGGING_LEVEL": "ERROR"}
    if name.startswith("worker-"):
        env |= {"WRAPPED_LAKE_WORKER": name, "AIRFLOW__CORE__HOSTNAME_CALLABLE": f"{__name__}.worker_hostname"}
    return env


def worker_hostname() -> str:
    """Hostname of a local Celery worker as Airflow records it, e.g. `myhost/worker-2`."""
    return f"{socket.getfqdn()}/{os.environ['WRAPPED_LAKE_WORKER']}"


def _log_server_ports() -> dict[str, str]:
    """Free ports for the log servers, so two stacks (or a stack and a test) never collide on 8793."""
    return {
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_server() -> str:
    found = shutil.which("redis-server")
    if not found:
        raise FileNotFoundError("redis-server not found: `make redis` installs Debian's redis-server")
    return found


def _rebuild_lost_marts(env: dict[str, str], progress) -> None:
    """Rebuild the marts if a crash of the lake's Postgres emptied them, before the UI reads them. In
    a process of its own: the marts are a layer below this one. A failure is told, not fatal: the
    next build_wrapped run, or the first read, tries again."""
    argv = [sys.executable, "-m", "wrapped_lake.marts.recovery"]
    result = subprocess.run(argv, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    for line in result.stdout.splitlines():
        progress(line)
    if result.returncode:
        reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
        progress(f"could not check the marts for a crash ({reason}); the next build rebuilds them if they were lost")


def _run_logged(argv: list[str], env: dict[str, str], settings: Settings) -> None:
    log = home(settings) / "logs" / "stack" / "db-migrate.log"
    with log.open("ab") as out:
        result = subprocess.run(argv, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if result.returncode:
        raise RuntimeError(f"`airflow db migrate` failed; see {log}")


def _start(name: str, argv: list[str], env: dict[str, str], settings: Settings) -> int:
    log = (home(settings) / "logs" / "stack" / f"{name}.log").open("ab")
    process = subprocess.Popen(
        argv, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
    )
    log.close()
    return process.pid


def _wait_healthy(settings: Settings, stack: Stack, parts: tuple[str, ...]) -> None:
    import httpx

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        for name, pid in stack.components.items():
            if not _process_alive(pid):
                log = home(settings) / "logs" / "stack" / f"{name}.log"
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
                raise RuntimeError(f"{name} exited during start-up; the end of {log}:\n{tail}")
        try:
            health = httpx.get(f"{stack.url}/api/v2/monitor/health", timeout=3).json()
            if all(health.get(c, {}).get("status") == "healthy" for c in parts):
                return
        except (httpx.TransportError, ValueError):
            pass
        time.sleep(1)
    raise TimeoutError(f"the stack did not report healthy within {START_TIMEOUT} s; logs in {home(settings)}/logs")


def _state_file(settings: Settings) -> Path:
    return home(settings) / "stack.json"


def _save(settings: Settings, stack: Stack) -> None:
    _state_file(settings).write_text(json.dumps(asdict(stack), indent=2))


def _load(settings: Settings) -> Stack | None:
    path = _state_file(settings)
    return Stack(**json.loads(path.read_text())) if path.exists() else None


def _alive(stack: Stack) -> bool:
    return all(_group_alive(pid) for pid in stack.components.values())


def _process_alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reap it if it is our exited child
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not _is_zombie(pid)


def _group_alive(pgid: int) -> bool:
    """True while any process of the component's group runs (task processes included)."""
    _process_alive(pgid)
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return any(not _is_zombie(p) for p in _group_members(pgid))


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    members.append(int(entry.name))
            except ProcessLookupError:
                continue
    return members


def _is_zombie(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, IndexError):
        return False


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)
