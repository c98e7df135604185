"""The Wrapped page: a FastAPI app that the Airflow plugin mounts under /wrapped.

The same report as `wrapped-lake wrapped --format html` (its template, extended with a listener,
year and window picker), read from the marts, and a page of population figures over the simulated
feed. Everything here is personal data, and Airflow does not authenticate plugin apps (a Starlette
mount inherits none of the core API's dependencies): every route requires the Airflow UI's login,
the `_token` cookie or a Bearer token, through Airflow's own `get_user`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

import jinja2
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from wrapped_lake.platform import db
from wrapped_lake.platform.config import load_settings
from wrapped_lake.platform.db import query
from wrapped_lake.reports.html import templates

WINDOWS = {"calendar": "Calendar year", "spotify": "Spotify's rules"}
ALL_TIME = "all"
GLOBAL = "GLOBAL"  # the charts' scope of the whole feed (marts.weekly_charts)
# The feed's continents (simulate/markets.py codes): name, and where the artists view's map draws
# them (x, y in a 360 x 170 box, longitude and latitude roughly).
CONTINENTS = {
    "NA": ("North America", 85, 48),
    "SA": ("South America", 118, 118),
    "EU": ("Europe", 190, 40),
    "AF": ("Africa", 198, 100),
    "AS": ("Asia", 268, 55),
    "OC": ("Oceania", 310, 125),
}
ARTISTS_SHOWN = 20  # artists on the anomalies view, the largest suspicious share first; the rest counted


@dataclass(frozen=True)
class PopulationTable:
    title: str
    header: tuple[str, ...]
    rows: list[tuple]


@cache
def _pages() -> jinja2.Environment:
    """The UI's templates (ui/templates), which extend the report's."""
    return templates("ui/templates")


def create_app() -> FastAPI:
    """The app, with Airflow's login required on every route."""
    from airflow.api_fastapi.core_api.security import get_user

    # No OpenAPI document or docs: FastAPI serves those outside the app's dependencies, so without login.
    app = FastAPI(title="Wrapped", dependencies=[Depends(get_user)], docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(StarletteHTTPException)
    @app.exception_handler(RequestValidationError)
    def error_page(request: Request, exc: Exception) -> HTMLResponse:
        """A page, not JSON: a person follows a link or edits the address."""
        status = getattr(exc, "status_code", 400)
        detail = exc.detail if isinstance(exc, StarletteHTTPException) else "this address asks for something unknown"
        return HTMLResponse(_pages().get_template("error.html.j2").render(status=status, detail=detail), status)

    @app.get("/", response_class=HTMLResponse)
    def wrapped_page(listener: str | None = None, year: str | None = None, window: str = "calendar") -> str:
        """A listener's Wrapped for a year (or all) and window; the first listener's last complete year by default."""
        return render_page(listener, year, window)

    @app.get("/population", response_class=HTMLResponse)
    def population_page() -> str:
        """What the simulated population listens to: charts per continent, tiers, daily active users."""
        return render_population()

    @app.get("/compare", response_class=HTMLResponse)
    def compare_page(a: str | None = None, b: str | None = None, year: str | None = None) -> str:
        """Two listeners compared over a year both have plays in, or all time (the default)."""
        return render_compare(a, b, year)

    @app.get("/charts", response_class=HTMLResponse)
    def charts_page(scope: str | None = None) -> str:
        """A country's (or the world's) weekly top 50 of the feed's last week, and its sound over the months."""
        return render_charts(scope)

    @app.get("/artists", response_class=HTMLResponse)
    def artists_page(artist: str | None = None) -> str:
        """An artist of the feed: streams by continent, top songs, the share streamed by flagged accounts."""
        return render_artists(artist)

    @app.get("/anomalies", response_class=HTMLResponse)
    def anomalies_page() -> str:
        """Flagged accounts with score and reasons, artists' suspicious shares, the free-tier flag."""
        return render_anomalies()

    @app.get("/listeners")
    def listeners_json() -> list[dict]:
        """Listeners with their years, as the picker offers them."""
        return _listeners()

    return app


def _listeners() -> list[dict]:
    """The listeners the picker offers; marts that a database crash emptied are rebuilt first (logged)."""
    from wrapped_lake.marts.listeners import listeners

    settings = load_settings()
    with db.connect(settings) as conn:
        _rebuild_if_lost(conn)
        refused = {name for (name,) in conn.execute(db.query("ui/mostly_refused_listeners"))}
        return [entry for entry in listeners(conn) if entry["listener"] not in refused]


def _years(entry: dict) -> tuple[list[tuple[str, str]], str]:
    """The picker's years, newest first, then all time; and the one it opens on: the newest year
    after which the listener still played (an export stops mid-year), or the only one."""
    years = sorted((year["year"] for year in entry["years"]), reverse=True)
    now = datetime.now(ZoneInfo(entry["timezone"])).year
    choices = [(str(year), f"{year} so far" if year == now else str(year)) for year in years]
    return [*choices, (ALL_TIME, "All time")], str(years[min(1, len(years) - 1)])


def _asked_year(year: int | str | None, offered: list[tuple[str, str]], default: str) -> int | None:
    """The year asked for (None: all time); 400 for one that is neither a year offered nor all."""
    asked = default if year in (None, "") else str(year).strip().lower()  # "": the listener changed
    if asked not in dict(offered):
        raise HTTPException(status_code=400, detail=f"nothing for year {year!r}: choose one with plays, or all")
    return None if asked == ALL_TIME else int(asked)


def _rebuild_if_lost(conn) -> None:
    """Rebuild marts a database crash emptied before reading them; 503 with the command to run when
    this connection may not."""
    from wrapped_lake.marts.recovery import MartsLost, rebuild_if_lost

    try:
        rebuild_if_lost(conn, load_settings())
    except MartsLost as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from None


def render_page(listener: str | None, year: int | str | None, window: str) -> str:
    """The picker above the report; a friendly page when nothing is loaded yet. Year: a year with
    plays, "all", or None for the default; a listener the picker does not offer falls back to the first."""
    from wrapped_lake.reports.publish import compared_with_spotify
    from wrapped_lake.reports.wrapped import ReportError, wrapped

    if window not in WINDOWS:
        raise HTTPException(status_code=400, detail=f"no window {window!r}: choose {' or '.join(WINDOWS)}")
    known = _listeners()
    if not known:
        return _pages().get_template("no_listeners.html.j2").render()
    by_name = {entry["listener"]: entry for entry in known}
    listener = listener if listener in by_name else known[0]["listener"]
    years, default = _years(by_name[listener])
    year = _asked_year(year, years, default)
    with db.connect(load_settings()) as conn:
        try:
            report = wrapped(conn, listener, year, window)
        except ReportError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None
        beside = compared_with_spotify(conn, report, window)
    page = _pages().get_template("wrapped.html.j2")
    return page.render(
        report=report,
        window=window,
        beside=beside,
        listeners=[entry["listener"] for entry in known],
        years=years,
        chosen_year=ALL_TIME if year is None else str(year),
        windows=WINDOWS,
        view="listener",
    )


def render_population() -> str:
    """Tables over the population views (marts.population_top_charts, listeners_by_tier, active_users)."""
    with db.connect(load_settings()) as conn:
        _rebuild_if_lost(conn)
        charts = conn.execute(query("ui/population_charts")).fetchall()
        summary = conn.execute(query("ui/population_summary")).fetchall()
    tables = []
    if charts or summary:
        tiers = [(label, value) for kind, label, value in summary if kind == "tier"]
        days = [(label, value) for kind, label, value in summary if kind == "dau"]
        tables.append(PopulationTable("Users per subscription tier", ("tier", "users"), tiers))
        tables.append(PopulationTable("Daily active users (last 14 days)", ("day", "active users"), days))
    for continent in sorted({row[0] for row in charts}):
        rows = [(chart, rank, name, streams) for c, chart, rank, name, streams in charts if c == continent]
        title = f"{continent}: top songs, artists and genres this month"
        tables.append(PopulationTable(title, ("chart", "#", "name", "streams"), rows))
    if not tables:
        return _no_feed("population", "Population figures")
    return _pages().get_template("population.html.j2").render(tables=tables, view="population")


def _render(template: str, **context) -> str:
    return _pages().get_template(template).render(**context)


def _no_feed(view: str, title: str) -> str:
    return _render("no_feed.html.j2", view=view, title=title)


def render_compare(a: str | None, b: str | None, year: str | None) -> str:
    """Two listeners the picker offers (default: the first two) over a year both have plays in, or
    all time (default); 400 for a listener or year the picker does not offer."""
    from wrapped_lake.reports.compare import compare

    known = _listeners()
    if not known:
        return _pages().get_template("no_listeners.html.j2").render(view="compare")
    by_name = {entry["listener"]: entry for entry in known}
    a = a or known[0]["listener"]
    b = b or known[min(1, len(known) - 1)]["listener"]
    for name in (a, b):
        if name not in by_name:
            detail = f"no listener {name!r} to compare: choose one the picker offers"
            raise HTTPException(status_code=400, detail=detail)
    both = {y["year"] for y in by_name[a]["years"]} & {y["year"] for y in by_name[b]["years"]}
    years = [*((str(y), str(y)) for y in sorted(both, reverse=True)), (ALL_TIME, "All time")]
    asked = _asked_year(year, years, ALL_TIME)
    with db.connect(load_settings()) as conn:
        comparison = compare(conn, a, b, asked)
    return _render(
        "compare_view.html.j2",
        comparison=comparison,
        listeners=list(by_name),
        years=years,
        chosen_year=ALL_TIME if asked is None else str(asked),
        view="compare",
    )


def render_anomalies() -> str:
    """The detection views' findings (marts/anomalies.py), the artists' shares as bars."""
    from wrapped_lake.marts.anomalies import anomalies

    with db.connect(load_settings()) as conn:
        _rebuild_if_lost(conn)
        if not _has_feed(conn):
            return _no_feed("anomalies", "Anomalies")
        found = anomalies(conn)
    # The artists the farms streamed most: by share alone, artists with one stream (by a farm) lead.
    by_streams = sorted(found["artists"], key=lambda artist: (-artist["suspicious_streams"], artist["artist"]))
    shown = by_streams[:ARTISTS_SHOWN]
    return _render(
        "anomalies.html.j2",
        found=found,
        top_artists=shown,
        share_bars=[(artist["artist"], artist["suspicious_share"] * 100) for artist in shown],
        view="anomalies",
    )


def render_charts(scope: str | None) -> str:
    """The feed's last week: a scope's top 50 (GLOBAL, the default, or a country the week has a chart
    for; 400 for another) with the chart's mean sound, and the scope's sound over the months."""
    from wrapped_lake.simulate.markets import COUNTRIES

    with db.connect(load_settings()) as conn:
        _rebuild_if_lost(conn)
        week = conn.execute(query("ui/feed_last_week")).fetchone()[0]
        if week is None:
            return _no_feed("charts", "Charts")
        scopes = [found for found, _ in conn.execute(query("ui/chart_scopes"), {"week": week})]
        scope = scope or GLOBAL
        if scope not in scopes:
            detail = f"no chart for {scope!r} that week: choose one the picker offers"
            raise HTTPException(status_code=400, detail=detail)
        asked = {"scope": scope, "week": week}
        chart = conn.execute(query("ui/weekly_chart"), asked).fetchall()
        sound = conn.execute(query("ui/chart_audio"), asked).fetchone()
        months = conn.execute(query("ui/audio_by_month"), asked).fetchall()
    names = {country.code: country.name for country in COUNTRIES} | {GLOBAL: "The whole feed"}
    return _render(
        "charts.html.j2",
        scope=scope,
        scopes=[
            (found, names[found] if found == GLOBAL else f"{found} · {names.get(found, found)}") for found in scopes
        ],
        place=names.get(scope, scope),
        week=week,
        chart=chart,
        sound=sound,
        months=months,
        view="charts",
    )


def render_artists(artist: str | None) -> str:
    """An artist of the feed (default: the most streamed): streams by continent as a map and bars, week
    by week below, its top songs and the share of its streams by flagged accounts; 404 for a name the
    feed does not hold."""
    with db.connect(load_settings()) as conn:
        _rebuild_if_lost(conn)
        choices = [name for (name,) in conn.execute(query("ui/artist_choices"))]
        if not choices:
            return _no_feed("artists", "Artists")
        artist = artist or choices[0]
        asked = {"artist": artist}
        weeks = conn.execute(query("ui/artist_continents"), asked).fetchall()
        songs = conn.execute(query("ui/artist_top_songs"), asked).fetchall()
        suspicious = conn.execute(query("ui/artist_suspicious_share"), asked).fetchone()
    if not weeks and suspicious is None:
        raise HTTPException(status_code=404, detail=f"no artist {artist!r} in the simulated feed")
    streams = dict.fromkeys(CONTINENTS, 0)
    for _, continent, count, _ in weeks:
        streams[continent] = streams.get(continent, 0) + count
    return _render(
        "artists.html.j2",
        artist=artist,
        choices=choices,
        continents=CONTINENTS,
        streams=streams,
        most=max(streams.values()),
        continent_rows=[(name, streams[code]) for code, (name, _, _) in CONTINENTS.items()],
        weeks=weeks,
        songs=songs,
        suspicious=suspicious,
        view="artists",
    )


def _has_feed(conn) -> bool:
    return conn.execute(query("ui/has_feed")).fetchone()[0]
