"""Write a Wrapped in the asked format: the one entry point of the CLI and the DAG."""

from __future__ import annotations

import logging
from pathlib import Path

import psycopg

from wrapped_lake.platform import db
from wrapped_lake.platform.config import Settings, load_settings
from wrapped_lake.platform.files import write_atomic
from wrapped_lake.reports.html import render_html
from wrapped_lake.reports.record import BesideSpotify, Wrapped
from wrapped_lake.reports.text import render_text
from wrapped_lake.reports.wrapped import ReportError, beside_spotify, to_json, wrapped
from wrapped_lake.zones.names import zone_path

FORMATS = ("json", "text", "html")
log = logging.getLogger(__name__)


def report_path(settings: Settings, listener: str, year: int | None, window: str = "calendar") -> Path:
    """LAKE_ROOT/reports/<listener>/wrapped_<year>.html (wrapped_all.html for all time, …_spotify.html
    for Spotify's window); the listener's folder by the lake's one name-to-path rule."""
    suffix = "" if window == "calendar" else f"_{window}"
    return zone_path(settings.reports, listener) / f"wrapped_{'all' if year is None else year}{suffix}.html"


def render(conn: psycopg.Connection, listener: str, year: int | None, window: str, fmt: str) -> bytes:
    report = wrapped(conn, listener, year, window)
    if fmt == "json":
        return to_json(report)
    if fmt == "text":
        return render_text(report, window, compared_with_spotify(conn, report, window)).encode()
    if fmt == "html":
        return render_html(report, window, compared_with_spotify(conn, report, window)).encode()
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def compared_with_spotify(conn: psycopg.Connection, report: Wrapped, window: str) -> list[BesideSpotify] | None:
    """Spotify's own figures beside the lake's counted by Spotify's rules; None without Spotify's file."""
    if not report.spotify:
        return None
    try:
        spotify_rules = report if window == "spotify" else wrapped(conn, report.listener, report.year, "spotify")
    except ReportError:  # no plays before Spotify's cut-off: nothing to set beside
        return None
    return beside_spotify(spotify_rules)


def write_html(
    conn: psycopg.Connection, settings: Settings, listener: str, year: int | None, window: str = "calendar"
) -> Path:
    """Render the page into the reports zone (atomically: a reader never sees half a page)."""
    path = report_path(settings, listener, year, window)
    write_atomic(path, render(conn, listener, year, window, "html"))
    return path


def write_changed_reports(conn: psycopg.Connection, settings: Settings, listeners: list[str]) -> list[Path]:
    """The HTML page of every year of every export listener a build changed (calendar window).
    A page that cannot be made is logged and skipped: the other listeners still get theirs."""
    written = []
    for listener, year in conn.execute(db.query("marts/report/changed_years"), {"listeners": listeners}).fetchall():
        try:
            with conn.transaction():  # a savepoint: a failed page's queries do not poison the next
                written.append(write_html(conn, settings, listener, year))
        except (ReportError, psycopg.DataError, OSError) as exc:
            log.warning("no page for %r %s: %s", listener, year, exc)
    return written


def write_reports(changed: list[str], listener: str | None = None, year: int | None = None) -> list[str]:
    """The build_wrapped DAG's report task: the changed export listeners' pages, plus `listener`'s
    `year` when asked; returns the paths."""
    if (listener is None) != (year is None):
        raise ValueError("give both listener and year to write one report, or neither")
    settings = load_settings()
    with db.connect(settings) as conn:
        paths = write_changed_reports(conn, settings, changed)
        if listener is not None:
            paths.append(write_html(conn, settings, listener, int(year)))
    for path in paths:
        print(path)
    return [str(p) for p in paths]
