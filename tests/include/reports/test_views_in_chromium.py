"""The UI's views as people see them: compare, charts, artists, anomalies and population, and the
compare report, in headless Chromium at a phone's width and a laptop's (test_page_in_chromium's
measures), over one small lake: two exports and a simulated feed with stream farms (a few seconds)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from test_page_in_chromium import MEASURE, WIDTHS

from wrapped_lake import fixtures
from wrapped_lake.simulate.markets import COUNTRIES

FEED_START = date(2025, 3, 29)  # 4 days over a month's end: the sound over the months has two
FEED_DAYS = 4


@pytest.fixture(scope="module")
def lake_pages(server_url, tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """View name -> (HTML file, what it was made from): each view from the app's render functions,
    and the compare report, in a database of the module's own."""
    from wrapped_lake.ingest import ingest
    from wrapped_lake.marts.anomalies import anomalies
    from wrapped_lake.marts.build import build
    from wrapped_lake.platform import db
    from wrapped_lake.platform.config import load_settings
    from wrapped_lake.reports.compare import compare, to_html
    from wrapped_lake.simulate import simulate
    from wrapped_lake.ui import app

    folder = tmp_path_factory.mktemp("views")
    name = f"lake_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LAKE_ROOT", str(folder / "lake"))
        env.setenv("LAKE_DATABASE_URL", make_conninfo(**{**conninfo_to_dict(server_url), "dbname": name}))
        env.setenv("LAKE_TIMEZONE", "UTC")
        settings = load_settings()
        fixtures.write_files(settings.inbox / "alice", fixtures.full_history("alice", plays=600, per_file=300).files)
        fixtures.write_files(settings.inbox / "bob", fixtures.full_history("bob", seed=8, plays=600).files)
        simulate(40, FEED_DAYS, FEED_START, 4, settings.inbox, bots=0.1)
        ingest(settings)
        with db.connect(settings) as conn:
            build(conn, settings)
            made = {
                "compare": compare(conn, "alice", "bob", None),
                "compare-2024": compare(conn, "alice", "bob", 2024),
                "anomalies": anomalies(conn),
            }
            country = conn.execute(
                "SELECT country FROM marts.feed_plays GROUP BY 1 ORDER BY sum(streams) DESC LIMIT 1"
            ).fetchone()[0]
            pushed = max(made["anomalies"]["artists"], key=lambda artist: artist["suspicious_streams"])["artist"]
        found = {
            "compare-report": (to_html(made["compare"]).decode(), made["compare"]),
            "compare": (app.render_compare("alice", "bob", None), made["compare"]),
            "compare-2024": (app.render_compare("alice", "bob", "2024"), made["compare-2024"]),
            "anomalies": (app.render_anomalies(), made["anomalies"]),
            "population": (app.render_population(), None),
            "charts": (app.render_charts(None), None),
            "charts-country": (app.render_charts(country), country),
            "artists": (app.render_artists(None), None),
            "artists-suspicious": (app.render_artists(pushed), pushed),
        }
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pages = {}
    for page, (html, source) in found.items():
        path = folder / f"{page}.html"
        path.write_text(html, encoding="utf-8")
        pages[page] = path, source
    return pages


@pytest.fixture(scope="module")
def seen(chromium, lake_pages) -> dict[tuple[str, int], dict]:
    """(view, width) -> what the browser measured, with the console errors; a screenshot of each
    beside its page (<view>-<width>.png)."""
    from wrapped_lake.reports.png import Chromium

    measured = {}
    with Chromium() as browser:
        for page, (path, _) in lake_pages.items():
            for width in WIDTHS:
                browser.errors.clear()
                browser.open(path, width, 900)
                height = browser.evaluate("document.documentElement.scrollHeight")
                path.with_name(f"{page}-{width}.png").write_bytes(browser.screenshot(0, 0, width, height))
                overflow = browser.evaluate("document.documentElement.scrollWidth > window.innerWidth")
                measured[page, width] = {**browser.evaluate(MEASURE), "errors": list(browser.errors),
                                         "overflow": overflow}  # fmt: skip
    return measured


def test_no_console_errors(seen):
    assert {key: m["errors"] for key, m in seen.items() if m["errors"]} == {}


def test_nothing_is_clipped_or_wider_than_the_window(seen):
    assert {key: m["clipped"] for key, m in seen.items() if m["clipped"]} == {}
    assert [key for key, m in seen.items() if m["overflow"]] == []


def test_no_empty_numbered_items(seen):
    assert {key: m["empty_items"] for key, m in seen.items() if m["empty_items"]} == {}


def test_no_card_sits_alone_in_part_of_its_row(seen):
    for key, m in seen.items():
        rows = {}
        for card in m["cards"]:
            rows.setdefault(round(card["y"]), []).append(card)
        alone = [row[0]["id"] for row in rows.values() if len(row) == 1 and row[0]["width"] < m["main"] * 0.9]
        assert alone == [], key


def test_the_comparison_shows_its_score_and_every_name_it_holds(seen, lake_pages):
    for page in ("compare-report", "compare", "compare-2024"):
        comparison = lake_pages[page][1]
        for width in WIDTHS:
            text = seen[page, width]["text"]
            score = "Not enough streams" if comparison.score is None else f"{comparison.score}/100"
            assert score in text["score"].replace("\n", ""), (page, width)
            assert all(" ".join(artist.split()) in text["shared-artists"] for artist in comparison.shared_artists)
            for section, missed in (("missed-by-a", comparison.missed_by_a), ("missed-by-b", comparison.missed_by_b)):
                shown = [" ".join(t.name.split()) for t in missed]  # as the browser lays a name out
                assert missed and all(name in text[section] for name in shown), (page, section)


def test_the_views_show_what_they_read(seen, lake_pages):
    found = lake_pages["anomalies"][1]
    for width in WIDTHS:
        anomalies = seen["anomalies", width]["text"]
        assert found["accounts"] and all(a["listener"] in anomalies["flagged-accounts"] for a in found["accounts"])
        assert all(a["listener"] in anomalies["free-tier"] for a in found["free_tier_heavy"])
        chart = seen["charts", width]["text"]["chart"].splitlines()
        assert sum(line.endswith((" stream", " streams")) for line in chart) == 50  # the feed's top 50
        country = {c.code: c.name for c in COUNTRIES}[lake_pages["charts-country"][1]]
        assert country in seen["charts-country", width]["text"]["chart-head"]
        for page in ("artists", "artists-suspicious"):
            charts = {chart["id"]: chart for chart in seen[page, width]["charts"]}
            assert len(charts["continent-chart"]["values"]) == 6 and charts["continent-chart"]["font"] <= 14
        assert "came from accounts flagged" in seen["artists-suspicious", width]["text"]["suspicious"]
