"""The Wrapped app's views over the simulated feed (charts, artists, anomalies), as plain functions
and through a test client: the figures of the views they read, and an error page for a bad address.
One small feed with stream farms for the module (a few seconds)."""

from __future__ import annotations

import re
import uuid
from datetime import date

import psycopg
import pytest
from markupsafe import escape
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from wrapped_lake.ui.app import create_app, render_anomalies, render_artists, render_charts

VIEWS = ("charts", "artists", "anomalies")


@pytest.fixture(scope="module")
def feed(server_url, migrated_template, tmp_path_factory):
    """A connection to a lake holding 30 simulated users over 3 days with 10% stream farms, its
    settings in the environment for the module."""
    from wrapped_lake.ingest import ingest
    from wrapped_lake.marts.build import build
    from wrapped_lake.platform import db
    from wrapped_lake.platform.config import load_settings
    from wrapped_lake.simulate import simulate

    name = f"lake_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"')
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LAKE_ROOT", str(tmp_path_factory.mktemp("feed") / "lake"))
        env.setenv("LAKE_DATABASE_URL", make_conninfo(**{**conninfo_to_dict(server_url), "dbname": name}))
        env.setenv("LAKE_TIMEZONE", "UTC")
        settings = load_settings()
        simulate(30, 3, date(2025, 3, 30), 4, settings.inbox, bots=0.1)
        ingest(settings)
        with db.connect(settings) as conn:
            build(conn, settings)
            yield conn
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def client(feed):
    from airflow.api_fastapi.core_api.security import get_user
    from fastapi.testclient import TestClient

    app = create_app()
    app.dependency_overrides[get_user] = lambda: None  # logged in
    return TestClient(app)


def _names(page: str, section: str) -> list[str]:
    body = re.search(rf'<section[^>]*id="{section}".*?</section>', page, re.S).group(0)
    return re.findall(r"<li><b>(?:<a [^>]*>)?<bdi>(.*?)</bdi>", body)


def test_every_view_links_to_every_other(client):
    for view in ("", "compare", *VIEWS, "population"):
        page = client.get(f"/{view}").text
        links = re.findall(r'<nav class="wl-views".*?</nav>', page, re.S)[0]
        assert re.findall(r'href="([^"]+)"', links) == ["./", "compare", *VIEWS, "population"], view


def test_the_charts_view_shows_the_last_weeks_global_top_50_and_a_countrys(feed):
    week = feed.execute("SELECT max(week_start) FROM marts.weekly_charts").fetchone()[0]
    country = feed.execute(
        "SELECT min(scope) FROM marts.weekly_charts WHERE week_start = %s AND scope <> 'GLOBAL'", (week,)
    ).fetchone()[0]
    for scope in ("GLOBAL", country):
        expected = feed.execute(
            "SELECT track_name, streams FROM marts.weekly_charts WHERE scope = %s AND week_start = %s ORDER BY rank",
            (scope, week),
        ).fetchall()
        page = render_charts(None if scope == "GLOBAL" else scope)
        assert 0 < len(expected) <= 50
        assert _names(page, "chart") == [str(escape(track)) for track, _ in expected], scope
        assert f'datetime="{week.isoformat()}"' in page and f'<option value="{scope}" selected>' in page
    months = feed.execute("SELECT DISTINCT month FROM marts.country_audio_by_month ORDER BY 1").fetchall()
    assert len(months) == 2 and all(month.strftime("%b %Y") in page for (month,) in months)


def test_the_artists_view_shows_streams_by_continent_top_songs_and_the_suspicious_share(feed):
    top, streams = feed.execute(
        "SELECT artist_name, sum(streams) FROM marts.artist_weekly_continents GROUP BY 1"
        ' ORDER BY 2 DESC, artist_name COLLATE "C" LIMIT 1'
    ).fetchone()
    by_continent = dict(feed.execute(
        "SELECT continent, sum(streams) FROM marts.artist_weekly_continents WHERE artist_name = %s GROUP BY 1", (top,)
    ).fetchall())  # fmt: skip
    songs = [song for (song,) in feed.execute(
        "SELECT track_name FROM marts.artist_top_songs WHERE artist_name = %s ORDER BY rank", (top,))]  # fmt: skip

    page = render_artists(None)  # the most streamed by default

    assert f"<h1><bdi>{escape(top)}</bdi></h1>" in page and f"{streams:,} streams by listeners" in page
    chart = re.search(r'id="continent-chart".*?</figure>', page, re.S).group(0)
    values = re.findall(r'<span class="value">([\d,]+)</span>', chart)
    continents = ("NA", "SA", "EU", "AF", "AS", "OC")  # the view's order
    assert [int(v.replace(",", "")) for v in values] == [by_continent.get(c, 0) for c in continents]
    assert _names(page, "top-songs") == [str(escape(song)) for song in songs]


def test_an_artist_streamed_only_by_farms_still_shows_its_suspicious_share(feed):
    artist, share = feed.execute(
        "SELECT artist_name, suspicious_share FROM marts.artist_suspicious_share"
        " ORDER BY suspicious_streams DESC LIMIT 1"
    ).fetchone()
    page = render_artists(artist)
    assert share > 0.5 and f'<div class="big">{round(share * 100)}%</div>' in page


def test_the_anomalies_view_lists_every_flagged_account_with_score_and_reasons(feed):
    flagged = feed.execute("SELECT listener, score, reasons FROM marts.anomaly_scores WHERE flagged").fetchall()
    free = [name for (name,) in feed.execute("SELECT listener FROM marts.free_tier_heavy_users")]

    page = render_anomalies()

    assert flagged and sorted(_names(page, "flagged-accounts")) == sorted(name for name, _, _ in flagged)
    for _, score, reasons in flagged:
        assert f"score {score:.2f}" in page and all(f"<li>{escape(reason)}</li>" in page for reason in reasons)
    assert sorted(_names(page, "free-tier")) == sorted(free)
    assert f'<div class="big">{len(flagged)}</div>' in page


@pytest.mark.parametrize(
    ("path", "status"),
    [("/charts?scope=XX", 400), ("/charts?scope=%3Cb%3E", 400), ("/artists?artist=Nobody%20at%20all", 404),
     ("/compare?a=nobody", 400), ("/compare?year=abc", 400)],
)  # fmt: skip
def test_a_bad_address_answers_the_html_error_page(client, path, status):
    response = client.get(path)
    assert response.status_code == status and response.headers["content-type"].startswith("text/html")
    assert '<nav class="wl-views"' in response.text and "<b>" not in response.text


def test_a_lake_without_a_feed_says_to_simulate_one(lake, conn):
    for render in (lambda: render_charts(None), lambda: render_artists(None), render_anomalies):
        assert "No simulated feed yet" in render()
