"""The Wrapped page app as plain functions and a test client (no Airflow server)."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape  # as the pages' templates escape

from wrapped_lake import fixtures
from wrapped_lake.ingest import ingest
from wrapped_lake.marts.build import build
from wrapped_lake.reports.publish import render
from wrapped_lake.reports.wrapped import wrapped
from wrapped_lake.ui.app import create_app, render_page, render_population


def test_airflow_loads_the_plugin_with_the_app_and_a_nav_entry():
    from airflow import plugins_manager

    apps, _ = plugins_manager.get_fastapi_plugins()
    views, _ = plugins_manager._get_ui_plugins()
    assert [app["url_prefix"] for app in apps if app["name"] == "Wrapped"] == ["/wrapped"]
    assert any(view["url_route"] == "wrapped" and view["destination"] == "nav" for view in views)


@pytest.mark.parametrize(
    "path", ["/", "/listeners", "/population", "/?listener=alice&year=2024", "/openapi.json", "/docs", "/redoc"]
)
def test_every_route_refuses_a_request_without_the_airflow_login(lake, path):
    from fastapi.testclient import TestClient

    response = TestClient(create_app()).get(path)
    assert response.status_code in (401, 404)  # 404: a route that does not exist for anyone
    assert response.status_code == 401 or path in ("/openapi.json", "/docs", "/redoc")
    assert "alice" not in response.text and "/listeners" not in response.text


def test_an_empty_lake_gets_a_page_that_says_what_to_do(lake, conn):
    assert "No listeners yet" in render_page(None, None, "calendar")
    assert "No simulated feed yet" in render_population()


def test_the_page_shows_the_picker_above_the_listeners_wrapped(lake, conn):
    export = fixtures.full_history("alice", plays=400, per_file=200)
    fixtures.write_files(lake.inbox / "alice", export.files)
    ingest(lake)
    build(conn, lake)
    year = max(p.ts.year for p in export.truth.plays) - 1  # the export stops in its last year: the one before
    top_artist = wrapped(conn, "alice", year).top_artists[0].name

    html = render_page("alice", None, "calendar")  # no year asked: the last complete one

    assert html.index('class="wl-picker"') < html.index('id="top-artists"')
    assert f'<option value="{year}" selected>' in html
    assert escape(top_artist) in html
    assert render_page("nobody", None, "calendar") == html  # an unknown listener falls back to the first
    # The report's own template inside: the same cards as the published page, the picker above them.
    published = render(conn, "alice", year, "calendar", "html").decode()
    assert _main(html) == _main(published) and 'class="wl-picker"' not in published


def _main(page: str) -> str:
    return page[page.index("<main>") : page.index("</main>")]


def test_the_population_page_shows_tiers_and_charts_per_continent(lake, conn):
    import datetime as dt

    from wrapped_lake.simulate import simulate

    simulate(20, 3, dt.date(2025, 3, 1), 4, lake.inbox)
    ingest(lake)
    build(conn, lake)
    continents = [c for (c,) in conn.execute("SELECT DISTINCT continent FROM marts.population_top_charts")]

    html = render_population()

    assert "Users per subscription tier" in html and "Daily active users" in html
    assert continents and all(f"{continent}: top songs" in html for continent in continents)


def test_the_pages_rebuild_marts_a_crash_emptied_or_answer_503_with_the_command(lake, conn, monkeypatch):
    import datetime as dt

    from fastapi import HTTPException

    from wrapped_lake.marts import recovery
    from wrapped_lake.simulate import simulate

    simulate(8, 2, dt.date(2025, 3, 1), 4, lake.inbox)
    ingest(lake)
    build(conn, lake)
    before = render_population()
    unlogged = conn.execute(
        "SELECT string_agg(oid::regclass::text, ', ') FROM pg_class"
        " WHERE relnamespace = 'marts'::regnamespace AND relkind = 'r' AND relpersistence = 'u'"
    ).fetchone()[0]
    conn.execute(f"TRUNCATE {unlogged}")  # what crash recovery does to UNLOGGED tables
    assert render_population() == before

    def cannot(conn, settings):
        raise recovery.MartsLost("a database crash emptied the Wrapped marts ...: run `wrapped-lake build`")

    monkeypatch.setattr(recovery, "rebuild_if_lost", cannot)
    with pytest.raises(HTTPException) as answered:
        render_page(None, None, "calendar")
    assert answered.value.status_code == 503 and "wrapped-lake build" in answered.value.detail


def test_the_picker_offers_every_year_with_plays_then_all_time(lake, conn):
    export = fixtures.full_history("alice", plays=400, per_file=200)
    fixtures.write_files(lake.inbox / "alice", export.files)
    ingest(lake)
    build(conn, lake)
    years = sorted({p.ts.year for p in export.truth.plays if p.media == "music"}, reverse=True)

    html = render_page("alice", "all", "calendar")

    offered = re.findall(r'<select name="year">(.*?)</select>', html, re.S)[0]
    assert re.findall(r'<option value="(\w+)"', offered) == [*map(str, years), "all"]
    assert '<option value="all" selected>' in html and "Wrapped of all time" in html


def test_listeners_with_more_refused_inputs_than_plays_are_not_offered(lake, conn):
    fixtures.write_files(lake.inbox / "alice", fixtures.full_history("alice", plays=200, per_file=200).files)
    fixtures.write_files(lake.inbox / "samples", fixtures.bad_inputs())  # two good rows among broken files
    ingest(lake)
    build(conn, lake)
    assert {name for (name,) in conn.execute("SELECT listener FROM marts.listeners")} == {"alice", "samples"}

    html = render_page("samples", None, "calendar")

    assert '<option value="samples"' not in html and '<option value="alice" selected>' in html


@pytest.mark.parametrize("query", ["year=abc", "year=1999", "window=weekly", "year=2024&year=x"])
def test_a_bad_address_answers_an_html_page_not_json(lake, conn, query):
    from airflow.api_fastapi.core_api.security import get_user
    from fastapi.testclient import TestClient

    fixtures.write_files(lake.inbox / "alice", fixtures.full_history("alice", plays=200, per_file=200).files)
    ingest(lake)
    build(conn, lake)
    app = create_app()
    app.dependency_overrides[get_user] = lambda: None  # logged in

    response = TestClient(app).get(f"/?listener=alice&{query}")

    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    assert "<h1>" in response.text and '"detail"' not in response.text
