"""The HTML report in a real headless browser (Debian's chromium, installed if missing)."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from pathlib import Path

import pytest

from wrapped_lake.ingest import ingest
from wrapped_lake.marts.build import build
from wrapped_lake.reports.publish import write_html
from wrapped_lake.simulate import simulate

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--enable-logging=stderr", "--v=0",
)  # fmt: skip


def _browse(chromium: str, page: Path, *args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
        )


@pytest.fixture
def report_page(lake, conn) -> tuple[Path, str]:
    simulate(3, 20, dt.date(2025, 3, 1), 4, lake.inbox)
    ingest(lake)
    build(conn, lake)
    listener = conn.execute("SELECT listener FROM marts.listeners ORDER BY listener LIMIT 1").fetchone()[0]
    top = conn.execute(
        "SELECT artist_name FROM marts.top_artists WHERE listener = %s AND year = 2025 AND rank = 1", (listener,)
    ).fetchone()[0]
    return write_html(conn, lake, listener, 2025), top


def test_report_renders_with_the_top_artist_and_charts_and_no_console_errors(chromium, report_page):
    page, top_artist = report_page
    done = _browse(chromium, page, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert 'id="top-artists"' in dom and top_artist.replace("&", "&amp;") in dom
    assert 'id="months-chart"' in dom and 'id="clock-chart"' in dom and dom.count("<rect") == 36
    assert "CONSOLE" not in done.stderr and "Uncaught" not in done.stderr
    assert "http://" not in page.read_text() and "https://" not in page.read_text()  # nothing fetched


def test_report_screenshot_on_a_phone(chromium, report_page, tmp_path):
    page, _ = report_page
    shot = tmp_path / "phone.png"
    done = _browse(chromium, page, f"--screenshot={shot}", "--window-size=390,1800", "--hide-scrollbars")
    assert done.returncode == 0 and shot.stat().st_size > 10_000
