"""Write a Wrapped in the asked format: the one entry point of the CLI and the DAG."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

from wrapped_lake.platform import db
from wrapped_lake.platform.config import Settings, load_settings
from wrapped_lake.platform.files import write_atomic
from wrapped_lake.reports.html import render_html
from wrapped_lake.reports.record import BesideSpotify, Wrapped
from wrapped_lake.reports.text import render_text
from wrapped_lake.reports.windows import period
from wrapped_lake.reports.wrapped import ReportError, beside_spotify, to_json, wrapped
from wrapped_lake.zones.names import zone_path

FORMATS = ("json", "text", "html")
PAGE_NAME = re.compile(r"wrapped_(?P<year>\d{4}|all)(?:_(?P<window>spotify))?\.html")  # as report_path names it
log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from wrapped_lake.marts.build import BuildResult


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
    """After a build, the pages of the listeners it changed, whatever changed them (new plays, a time
    zone, a full rebuild): every year of an export listener (calendar window), and every page already
    published for any of them (all time, Spotify's window, a simulated user's page asked for once).
    A page that cannot be made is logged and skipped: the other listeners still get theirs."""
    pages = {(listener, year, "calendar") for listener, year in conn.execute(
        db.query("reports/wrapped/changed_years"), {"listeners": listeners})}  # fmt: skip
    pages.update(page for listener in listeners for page in _published(settings, listener))
    written = []
    for listener, year, window in sorted(pages, key=lambda p: (p[0], p[1] is None, p[1] or 0, p[2])):
        try:
            with conn.transaction():  # a savepoint: a failed page's queries do not poison the next
                written.append(write_html(conn, settings, listener, year, window))
        except (ReportError, psycopg.DataError, OSError) as exc:
            log.warning("no page for %r %s (%s window): %s", listener, period(year), window, exc)
    return written


def _published(settings: Settings, listener: str) -> list[tuple[str, int | None, str]]:
    """The (listener, year, window) of each page in the listener's reports folder."""
    folder = zone_path(settings.reports, listener)
    names = (PAGE_NAME.fullmatch(path.name) for path in folder.glob("wrapped_*.html")) if folder.is_dir() else ()
    return [
        (listener, None if name["year"] == "all" else int(name["year"]), name["window"] or "calendar")
        for name in names
        if name
    ]


def write_published_reports(conn: psycopg.Connection, settings: Settings) -> list[Path]:
    """Every listener's pages written again, for a change the build does not see: a catalog load
    changes genres, sound and personality, which are read from the catalog when a page is made."""
    from wrapped_lake.marts.listeners import listeners

    return write_changed_reports(conn, settings, [entry["listener"] for entry in listeners(conn)])


def build_and_publish(
    conn: psycopg.Connection, settings: Settings, *, full: bool = False
) -> tuple[BuildResult, list[Path]]:
    """Build the marts, then write the pages of the listeners the build changed: what the
    build_wrapped DAG does in its tasks, for the CLI (so a build there leaves no page stale)."""
    from wrapped_lake.marts.build import build

    result = build(conn, settings, full=full)
    return result, write_changed_reports(conn, settings, result.listeners)


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
