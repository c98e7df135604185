"""The Wrapped page inside the Airflow UI, on the running stack: behind the UI's login, and
rendered in headless Chromium through the UI's own route (/plugin/wrapped)."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest
from markupsafe import escape  # as the pages' templates escape
from stack_client import Api, lake_url, processes_under, stack_cli

from wrapped_lake import fixtures
from wrapped_lake.platform.stack import free_port
from wrapped_lake.reports.wrapped import wrapped

pytestmark = pytest.mark.stack

BROWSER_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
PASSWORD = "page-test-password"
SCREENSHOT = Path(tempfile.gettempdir()) / "wrapped-lake-ui-page.png"


@pytest.fixture(scope="module")
def stack():
    """A running stack with a login (as compose and Celery run it) whose listener 'erin' has a built
    Wrapped; yields (base URL, top artist, year)."""
    root = Path(tempfile.mkdtemp(prefix="wl-page-"))
    root.chmod(0o755)  # the embedded server runs as user "pgserver" and keeps its socket here
    port = free_port()
    try:
        started = stack_cli(root, "up", "--port", str(port), "--login", AIRFLOW_ADMIN_PASSWORD=PASSWORD)
        assert started.returncode == 0, started.stderr
        base = f"http://127.0.0.1:{port}"
        api = Api(base, password=PASSWORD)
        api.wait_for_dags({"ingest_inbox", "build_wrapped"})
        history = fixtures.full_history("erin", plays=600, per_file=250)
        fixtures.write_files(root / "inbox" / "erin", history.files)
        api.wait_for_run("ingest_inbox", after=set(), timeout=120, run_type="asset_triggered")
        _wait_for_wrapped(root, api)
        with psycopg.connect(lake_url(root)) as conn:
            year = conn.execute(
                "SELECT max(year) FROM marts.listener_years WHERE listener = 'erin' AND music_plays > 0"
            ).fetchone()[0]
            top_artist = wrapped(conn, "erin", year).top_artists[0].name
        yield base, top_artist, year
    finally:
        if processes_under(root):
            stack_cli(root, "down")
        shutil.rmtree(root, ignore_errors=True)


def _wait_for_wrapped(root: Path, api: Api, timeout: float = 120) -> None:
    """build_wrapped runs on the curated_plays asset; wait until a run of it has succeeded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(run["state"] == "success" for run in api.runs("build_wrapped")):
            return
        time.sleep(2)
    raise AssertionError(f"build_wrapped did not succeed in {timeout} s: {api.runs('build_wrapped')}")


def test_the_page_refuses_a_request_without_the_ui_login(stack):
    base, _, _ = stack
    for path in ("/wrapped/", "/wrapped/listeners", "/wrapped/population"):
        assert httpx.get(base + path, timeout=30).status_code == 401, path
    forged = httpx.get(base + "/wrapped/", cookies={"_token": "not-a-token"}, timeout=30)
    assert forged.status_code in (401, 403)


def _token(base: str) -> str:
    response = httpx.post(f"{base}/auth/token", json={"username": "admin", "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    return response.json()["access_token"]


def test_the_page_answers_a_logged_in_client_with_the_listeners_wrapped(stack):
    base, top_artist, year = stack
    headers = {"Authorization": f"Bearer {_token(base)}"}
    page = httpx.get(f"{base}/wrapped/", params={"listener": "erin", "year": year}, headers=headers, timeout=60)
    assert page.status_code == 200
    assert 'id="top-artists"' in page.text and "wl-picker" in page.text
    assert escape(top_artist) in page.text
    listeners = httpx.get(f"{base}/wrapped/listeners", headers=headers, timeout=30).json()
    assert "erin" in {entry["listener"] for entry in listeners}


def test_the_airflow_ui_shows_the_top_artist_with_no_console_errors(stack, chromium):
    from playwright.sync_api import sync_playwright

    base, top_artist, _ = stack
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        # Logged in as the UI leaves a browser after its login form: the token in the _token cookie.
        context.add_cookies([{"name": "_token", "value": _token(base), "url": base}])
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base}/plugin/wrapped", wait_until="networkidle", timeout=120_000)
        frame = _frame(page, "/wrapped/")
        frame.wait_for_selector("#top-artists", timeout=120_000)  # a loaded machine is slow
        assert top_artist in frame.inner_text("#top-artists")
        assert frame.locator("figure#months-chart .track").count() == 12  # a bar per month
        assert frame.locator("nav.wl-picker select[name=listener]").count() == 1
        page.screenshot(path=str(SCREENSHOT), full_page=False)
        browser.close()
    assert errors == []


def _frame(page, path: str, timeout: float = 120):
    """The page's iframe showing `path` (the UI's own URL, /plugin/wrapped..., may contain it too)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            if frame != page.main_frame and urlsplit(frame.url).path.startswith(path):
                return frame
        page.wait_for_timeout(500)
    raise AssertionError(f"no frame for {path}: {[f.url for f in page.frames]}")
