"""The Wrapped page: a FastAPI app that the Airflow plugin mounts under /wrapped.

The same report as `wrapped-lake wrapped --format html`, read from the marts, with a listener,
year and window picker, and a page of population figures over the simulated feed. Everything
here is personal data, and Airflow does not authenticate plugin apps (a Starlette mount inherits
none of the core API's dependencies): every route requires the Airflow UI's login, the `_token`
cookie or a Bearer token, through Airflow's own `get_user`.
"""

from __future__ import annotations

from html import escape

from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.responses import HTMLResponse

from wrapped_lake.platform import db
from wrapped_lake.platform.config import load_settings
from wrapped_lake.platform.db import query
from wrapped_lake.reports.html import name_html, name_plain

WINDOWS = {"calendar": "Calendar year", "spotify": "Spotify's rules"}

PICKER_CSS = """
nav.wl-picker{position:sticky;top:0;z-index:5;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;
  padding:.6rem 1rem;background:#121212;color:#fff;font:14px system-ui,sans-serif;border-bottom:1px solid #333}
nav.wl-picker label{display:flex;gap:.3rem;align-items:center}
nav.wl-picker select,nav.wl-picker button{font:inherit;padding:.25rem .5rem;border-radius:6px;border:1px solid #555;
  background:#222;color:#fff}
nav.wl-picker button{background:#1db954;color:#000;border:0;font-weight:600;cursor:pointer}
nav.wl-picker a{color:#1db954;margin-left:auto}
.wl-empty{font:16px system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
table.wl{border-collapse:collapse;margin:.5rem 0 1.5rem;font:14px system-ui,sans-serif}
table.wl td,table.wl th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}
"""


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
    from wrapped_lake.marts.recovery import rebuild_if_lost

    settings = load_settings()
    with db.connect(settings) as conn:
        rebuild_if_lost(conn, settings)
        return listeners(conn)


def render_page(listener: str | None, year: int | None, window: str) -> str:
    """The picker above the report; a friendly page when nothing is loaded yet."""
    from wrapped_lake.reports.publish import render
    from wrapped_lake.reports.wrapped import ReportError

    known = _listeners()
    if not known:
        return _shell(
            "Wrapped",
            '<div class="wl-empty"><h1>No listeners yet</h1><p>Drop a Spotify export (the ZIP or its JSON '
            "files) into <code>lake/inbox/&lt;your name&gt;/</code>, or trigger <b>simulate_feed</b>. "
            "Your Wrapped appears here once <b>ingest_inbox</b> and <b>build_wrapped</b> have run.</p></div>",
        )
    by_name = {entry["listener"]: entry for entry in known}
    listener = listener if listener in by_name else known[0]["listener"]
    years = sorted((y["year"] for y in by_name[listener]["years"]), reverse=True)
    if year not in years:
        year = years[0]
    picker = _picker(known, listener, years, year, window)
    with db.connect(load_settings()) as conn:
        try:
            report = render(conn, listener, year, window, "html").decode()
        except ReportError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None
    # The report is a whole page: the picker goes first in its body, its style into its head.
    return report.replace("</head>", f"<style>{PICKER_CSS}</style></head>", 1).replace("<body>", f"<body>{picker}", 1)


def _picker(known: list[dict], listener: str, years: list[int], year: int, window: str) -> str:
    def options(pairs, chosen) -> str:
        chosen_mark = {True: " selected", False: ""}
        return "".join(
            f'<option value="{escape(str(v))}"{chosen_mark[v == chosen]}>{name_plain(label)}</option>'
            for v, label in pairs
        )

    listeners = options(((e["listener"], e["listener"]) for e in known), listener)
    # Years of another listener differ: changing the listener resubmits without a year.
    return (
        '<nav class="wl-picker"><form method="get" action="./" id="wl-form" style="display:contents">'
        f'<label>Listener <select name="listener" onchange="this.form.year.value=\'\';this.form.submit()">'
        f"{listeners}</select></label>"
        f'<label>Year <select name="year">{options(((y, y) for y in years), year)}</select></label>'
        f'<label>Window <select name="window">{options(WINDOWS.items(), window)}</select></label>'
        '<button type="submit">Show</button></form>'
        f'<a href="population">Population figures</a></nav>'
    )


def render_population() -> str:
    """Tables over the population views (marts.population_top_charts, listeners_by_tier, active_users)."""
    with db.connect(load_settings()) as conn:
        charts = conn.execute(query("ui/population_charts")).fetchall()
        summary = conn.execute(query("ui/population_summary")).fetchall()
    back = '<nav class="wl-picker"><a href="./" style="margin:0">← Wrapped</a></nav>'
    if not charts and not summary:
        body = '<div class="wl-empty"><h1>No simulated feed yet</h1><p>Trigger <b>simulate_feed</b> first.</p></div>'
        return _shell("Population", back + body)
    parts = ['<main style="padding:1rem"><h1 style="font:700 24px system-ui">The simulated population</h1>']
    tiers = [(label, value) for kind, label, value in summary if kind == "tier"]
    days = [(label, value) for kind, label, value in summary if kind == "dau"]
    parts.append(_table("Users per subscription tier", ("tier", "users"), tiers))
    parts.append(_table("Daily active users (last 14 days)", ("day", "active users"), days))
    for continent in sorted({row[0] for row in charts}):
        rows = [(chart, rank, name, streams) for c, chart, rank, name, streams, _ in charts if c == continent]
        parts.append(
            _table(f"{continent}: top songs, artists and genres this month", ("chart", "#", "name", "streams"), rows)
        )
    parts.append("</main>")
    return _shell("Population", back + "".join(parts))


def _table(title: str, header: tuple[str, ...], rows: list[tuple]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{name_html(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f'<h2 style="font:600 17px system-ui">{escape(title)}</h2><table class="wl"><tr>{head}</tr>{body}</table>'


def _shell(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{PICKER_CSS}</style></head><body>{body}</body></html>\n"
    )
