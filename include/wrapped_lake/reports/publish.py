"""Write a Wrapped in the asked format: the one entry point of the CLI and the DAG."""

from __future__ import annotations

from pathlib import Path

import psycopg

from wrapped_lake.platform.config import Settings
from wrapped_lake.reports.html import render_html
from wrapped_lake.reports.text import render_text
from wrapped_lake.reports.wrapped import ReportError, beside_spotify, to_json, wrapped

FORMATS = ("json", "text", "html")


def report_path(settings: Settings, listener: str, year: int | None, window: str = "calendar") -> Path:
    """LAKE_ROOT/reports/<listener>/wrapped_<year>.html (wrapped_all.html for all time, …_spotify.html
    for Spotify's window)."""
    suffix = "" if window == "calendar" else f"_{window}"
    return settings.reports / listener / f"wrapped_{'all' if year is None else year}{suffix}.html"


def render(conn: psycopg.Connection, listener: str, year: int | None, window: str, fmt: str) -> bytes:
    report = wrapped(conn, listener, year, window)
    if fmt == "json":
        return to_json(report)
    beside = None
    if report["spotify"] and fmt in ("text", "html"):
        try:
            spotify_rules = report if window == "spotify" else wrapped(conn, listener, year, "spotify")
            beside = beside_spotify(spotify_rules)
        except ReportError:  # no plays before Spotify's cut-off: nothing to set beside
            beside = None
    if fmt == "text":
        return render_text(report, window, beside).encode()
    if fmt == "html":
        return render_html(report, window, beside).encode()
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def write_html(
    conn: psycopg.Connection, settings: Settings, listener: str, year: int | None, window: str = "calendar"
) -> Path:
    """Render the page into the reports zone (atomically: a reader never sees half a page)."""
    path = report_path(settings, listener, year, window)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".html.partial")
    partial.write_bytes(render(conn, listener, year, window, "html"))
    partial.replace(path)
    return path


def write_changed_reports(conn: psycopg.Connection, settings: Settings, listeners: list[str]) -> list[Path]:
    """The HTML page of every year of every export listener a build changed (calendar window)."""
    from wrapped_lake.platform.db import query

    written = []
    for listener, year in conn.execute(query("marts/report/changed_years"), {"listeners": listeners}).fetchall():
        written.append(write_html(conn, settings, listener, year))
    return written
