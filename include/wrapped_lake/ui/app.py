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
    """The year asked for (None: all time); 400 for one that is neither a year with plays nor all."""
    asked = default if year in (None, "") else str(year).strip().lower()  # "": the listener changed
    if asked not in dict(offered):
        raise HTTPException(status_code=400, detail=f"no Wrapped for year {year!r}: choose one with plays, or all")
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
        rows = [(chart, rank, name, streams) for c, chart, rank, name, streams, _ in charts if c == continent]
        title = f"{continent}: top songs, artists and genres this month"
        tables.append(PopulationTable(title, ("chart", "#", "name", "streams"), rows))
    return _pages().get_template("population.html.j2").render(tables=tables)
