"""Run mode 2 as a user meets it, on one running stack (started once for the module: each start
and first build costs about a minute): `wrapped-lake stack up --login`, drop a file, watch it over
REST, trigger a feed; the Wrapped page inside the Airflow UI behind the UI's login, in headless
Chromium through the UI's own route (/plugin/wrapped); last, a crash of the lake's Postgres
(kill -9) and a second start that rebuilds the emptied marts. The tests run in file order.

Measured here (2 shared cores): up ~20 s, drop-to-loaded ~15 s.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
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
PASSWORD = "stack-test-password"
SCREENSHOT = Path(tempfile.gettempdir()) / "wrapped-lake-ui-page.png"
# The app's views over both listeners and the feed, and a section each shows.
VIEWS = {"compare": "score", "charts": "chart", "artists": "continents", "anomalies": "flagged-accounts"}


@pytest.fixture(scope="module")
def stack():
    """A stack with a login (as compose and Celery run it); yields its root, port and REST client."""
    # Short and world-readable: the embedded server's socket lives here and runs as user "pgserver".
    root = Path(tempfile.mkdtemp(prefix="wl-stack-"))
    root.chmod(0o755)
    port = free_port()
    try:
        started = stack_cli(root, "up", "--port", str(port), "--login", AIRFLOW_ADMIN_PASSWORD=PASSWORD)
        assert started.returncode == 0, started.stderr
        assert f"http://127.0.0.1:{port}" in started.stderr and "no login" not in started.stderr
        yield root, port, Api(f"http://127.0.0.1:{port}", password=PASSWORD)
    finally:
        if processes_under(root):
            stack_cli(root, "down")
        shutil.rmtree(root, ignore_errors=True)


def test_drop_a_file_and_trigger_a_feed_on_the_running_stack(stack):
    root, _, api = stack
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


@pytest.fixture(scope="module")
def erin(stack):
    """erin's last year with music and its top artist, once her Wrapped is built."""
    root, _, api = stack
    deadline = time.monotonic() + 120
    while not any(run["state"] == "success" for run in api.runs("build_wrapped")):
        assert time.monotonic() < deadline, f"build_wrapped did not succeed: {api.runs('build_wrapped')}"
        time.sleep(2)
    with psycopg.connect(lake_url(root)) as conn:
        year = conn.execute(
            "SELECT max(year) FROM marts.listener_years WHERE listener = 'erin' AND music_plays > 0"
        ).fetchone()[0]
        return year, wrapped(conn, "erin", year).top_artists[0].name


def _token(base: str) -> str:
    response = httpx.post(f"{base}/auth/token", json={"username": "admin", "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    return response.json()["access_token"]


def test_the_page_refuses_a_request_without_the_ui_login(stack):
    _, port, _ = stack
    base = f"http://127.0.0.1:{port}"
    for path in ("/wrapped/", "/wrapped/listeners", "/wrapped/population", *(f"/wrapped/{view}" for view in VIEWS)):
        assert httpx.get(base + path, timeout=30).status_code == 401, path
    forged = httpx.get(base + "/wrapped/", cookies={"_token": "not-a-token"}, timeout=30)
    assert forged.status_code in (401, 403)


def test_the_page_answers_a_logged_in_client_with_the_listeners_wrapped(stack, erin):
    _, port, _ = stack
    base = f"http://127.0.0.1:{port}"
    year, top_artist = erin
    headers = {"Authorization": f"Bearer {_token(base)}"}
    page = httpx.get(f"{base}/wrapped/", params={"listener": "erin", "year": year}, headers=headers, timeout=60)
    assert page.status_code == 200
    assert 'id="top-artists"' in page.text and "wl-picker" in page.text
    assert escape(top_artist) in page.text
    listeners = httpx.get(f"{base}/wrapped/listeners", headers=headers, timeout=30).json()
    assert "erin" in {entry["listener"] for entry in listeners}


def test_the_views_answer_a_logged_in_client_and_a_bad_address_with_the_error_page(stack, erin):
    root, port, _ = stack
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {_token(base)}"}
    deadline = time.monotonic() + 120  # the feed's build_wrapped run may still be going
    with psycopg.connect(lake_url(root), autocommit=True) as conn:
        while not conn.execute("SELECT EXISTS (SELECT FROM marts.feed_plays)").fetchone()[0]:
            assert time.monotonic() < deadline, "the feed's plays never reached the marts"
            time.sleep(2)
    for view, section in VIEWS.items():
        page = httpx.get(f"{base}/wrapped/{view}", headers=headers, timeout=60)
        assert page.status_code == 200 and f'id="{section}"' in page.text, view
        assert f'aria-current="page">{view.title()}</a>' in page.text, view
    bad = httpx.get(f"{base}/wrapped/charts", params={"scope": "XX"}, headers=headers, timeout=60)
    assert bad.status_code == 400 and "<h1>That page does not exist</h1>" in bad.text


def test_the_airflow_ui_shows_the_top_artist_with_no_console_errors(stack, erin, chromium):
    from playwright.sync_api import sync_playwright

    root, port, _ = stack
    base = f"http://127.0.0.1:{port}"
    # The page opens on a listener's last complete year: the top artist of what it says it shows.
    opened = httpx.get(f"{base}/wrapped/", headers={"Authorization": f"Bearer {_token(base)}"}, timeout=60).text
    listener = re.search(r'<select name="listener"[^>]*>.*?<option value="([^"]+)" selected>', opened, re.S).group(1)
    year = int(re.search(r'<select name="year">.*?<option value="(\d+)" selected>', opened, re.S).group(1))
    with psycopg.connect(lake_url(root)) as conn:
        top_artist = wrapped(conn, html.unescape(listener), year).top_artists[0].name
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


def test_after_a_database_crash_a_restart_rebuilds_the_marts_before_the_page_reads_them(stack):
    # Last in the module: it stops the stack. The lake's Postgres crashes (kill -9 of its
    # postmaster, as the OOM killer does): crash recovery empties the unlogged marts, and the next
    # start rebuilds them before the page is read.
    root, port, api = stack
    with psycopg.connect(lake_url(root)) as conn:
        plays = conn.execute("SELECT count(*) FROM curated.plays WHERE listener = 'erin'").fetchone()[0]
    os.kill(int((root / "pgdata" / "postmaster.pid").read_text().split()[0]), signal.SIGKILL)
    stopped = stack_cli(root, "down")
    assert stopped.returncode == 0, stopped.stderr
    assert processes_under(root) == []

    restarted = time.monotonic()
    again = stack_cli(root, "up", "--port", str(port), "--login", AIRFLOW_ADMIN_PASSWORD=PASSWORD)
    assert again.returncode == 0, again.stderr  # the data and the run history survive a restart
    assert "rebuilding the marts after a database crash" in again.stderr
    api = Api(f"http://127.0.0.1:{port}", password=PASSWORD)
    assert len(api.runs("ingest_inbox")) >= 2
    page = httpx.get(f"http://127.0.0.1:{port}/wrapped/listeners", headers=api.client.headers, timeout=60)
    assert "erin" in [entry["listener"] for entry in page.json()]
    print(f"restart-to-page after a crash: {time.monotonic() - restarted:.1f} s")
    with psycopg.connect(lake_url(root)) as conn:
        assert conn.execute("SELECT count(*) FROM curated.plays WHERE listener = 'erin'").fetchone()[0] == plays > 0
    assert stack_cli(root, "down").returncode == 0
    assert processes_under(root) == []
