"""The Wrapped page: a FastAPI app that the Airflow plugin mounts under /wrapped.

The same report as `wrapped-lake wrapped --format html` (its template, extended with a listener,
year and window picker), read from the marts, and a page of population figures over the simulated
feed. Everything here is personal data, and Airflow does not authenticate plugin apps (a Starlette
mount inherits none of the core API's dependencies): every route requires the Airflow UI's login,
the `_token` cookie or a Bearer token, through Airflow's own `get_user`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import jinja2
from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.responses import HTMLResponse

from wrapped_lake.platform import db
from wrapped_lake.platform.config import load_settings
from wrapped_lake.platform.db import query
from wrapped_lake.reports.html import templates

WINDOWS = {"calendar": "Calendar year", "spotify": "Spotify's rules"}


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

    @app.get("/", response_class=HTMLResponse)
    def wrapped_page(
        listener: str | None = None,
        year: int | None = None,
        window: str = Query("calendar", pattern="^(calendar|spotify)$"),
    ) -> str:
        """A listener's Wrapped for a year and window; the newest year of the first listener by default."""
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
    """The listeners; marts that a database crash emptied are rebuilt first (logged)."""
    from wrapped_lake.marts.listeners import listeners

    with db.connect(load_settings()) as conn:
        _rebuild_if_lost(conn)
        return listeners(conn)


def _rebuild_if_lost(conn) -> None:
    """Rebuild marts a database crash emptied before reading them; 503 with the command to run when
    this connection may not."""
    from wrapped_lake.marts.recovery import MartsLost, rebuild_if_lost

    try:
        rebuild_if_lost(conn, load_settings())
    except MartsLost as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from None


def render_page(listener: str | None, year: int | None, window: str) -> str:
    """The picker above the report; a friendly page when nothing is loaded yet."""
    from wrapped_lake.reports.publish import compared_with_spotify
    from wrapped_lake.reports.wrapped import ReportError, wrapped

    known = _listeners()
    if not known:
        return _pages().get_template("no_listeners.html.j2").render()
    by_name = {entry["listener"]: entry for entry in known}
    listener = listener if listener in by_name else known[0]["listener"]
    years = sorted((y["year"] for y in by_name[listener]["years"]), reverse=True)
    if year not in years:
        year = years[0]
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
