"""Playlists out: a listener's top discoveries, forgotten favourites or playlist pruning suggestions
as CSV, or as spotify:track URIs one a line (the form Spotify's clients paste as tracks)."""

from __future__ import annotations

import csv
import io

import psycopg

from wrapped_lake.platform.db import query
from wrapped_lake.reports.windows import window
from wrapped_lake.reports.wrapped import ReportError

LISTS = ("discoveries", "forgotten", "prune")
FORMATS = ("csv", "uris")
HEADERS = {
    "discoveries": ("name", "artist", "uri", "streams"),
    "forgotten": ("name", "artist", "uri", "streams"),
    "prune": ("playlist", "name", "artist", "uri", "reasons"),
}


def rows(conn: psycopg.Connection, listener: str, kind: str, year: int | None) -> list[tuple]:
    """The list's rows in HEADERS[kind] order. year None: discoveries of the listener's last year
    with plays; forgotten favourites and pruning counted back from their last play."""
    found = conn.execute(query("reports/wrapped/listener"), {"listener": listener}).fetchone()
    if found is None:
        raise ReportError(f"unknown listener {listener!r} (wrapped-lake listeners lists them; run wrapped-lake build?)")
    if kind == "discoveries" and year is None:
        year = found[1][-1]  # discoveries are yearly: "first streamed in the year"
    params = window("calendar", year).params(listener)
    return conn.execute(query(f"reports/playlists/{kind}"), params).fetchall()


def render(conn: psycopg.Connection, listener: str, kind: str, year: int | None, fmt: str) -> bytes:
    """The list as CSV (a header row, then one row a track; reasons joined by "; ") or as URIs."""
    found = rows(conn, listener, kind, year)
    uri_column = HEADERS[kind].index("uri")
    if fmt == "uris":  # a track known by names only has no URI to give: it is in the CSV only
        return "".join(f"{row[uri_column]}\n" for row in found if row[uri_column]).encode()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS[kind])
    for row in found:
        writer.writerow(["; ".join(value) if isinstance(value, list) else value for value in row])
    return out.getvalue().encode()
