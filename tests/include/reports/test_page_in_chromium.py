"""The report and the UI page as people see them: headless Chromium at a phone's width (430 px) and a
laptop's (1280 px), one browser for the module, pages of listeners with every kind of figure, one of
them with planted insights (three phases, an obsession, an unusual day, more discoveries and forgotten
favourites than a list shows)."""

from __future__ import annotations

import csv
import re
import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import orjson
import psycopg
import pytest
from planted import planted_year
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from wrapped_lake import fixtures

WIDTHS = (430, 1280)
GENRES = ("pop", "rock", "jazz", "k-pop", "ambient", "folk")
SPOTIFY = {"yearlyMetrics": {"mostListenedDay": "2024-03-10", "mostListenedDayMinutes": 45.0},
           "topTracks": {"topTrackPlayCount": 15, "topTrackFirstPlayedDate": "2024-03-10"},
           "topPodcasts": {"topPodcastMilliseconds": 270_000}}  # fmt: skip
MEASURE = """(() => {
  document.querySelectorAll('details').forEach(d => d.open = true);  // what is folded away is on the page too
  const all = selector => [...document.querySelectorAll(selector)];
  const texts = (element, selector) => [...element.querySelectorAll(selector)].map(e => e.textContent);
  const rect = e => {
    const r = e.getBoundingClientRect();
    return {id: e.id, x: r.x, y: r.y, width: r.width, height: r.height};
  };
  return {
    clipped: all('body *').filter(e => getComputedStyle(e).display !== 'inline')
      .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.outerHTML.slice(0, 160)),
    empty_items: all('li').filter(li => !li.textContent.trim()).map(li => li.outerHTML),
    broken_dates: all('time').filter(t => t.getClientRects().length > 1).map(t => t.textContent),
    dates: all('time').map(t => t.dateTime),
    cards: all('main > section').map(rect),
    charts: all('.chart').map(c => ({...rect(c), font: parseFloat(getComputedStyle(c).fontSize),
                                     values: texts(c, '.value'), ticks: texts(c, '.ticks span')})),
    band: (b => b && {stretches: texts(b, '.band-phases span'), ticks: texts(b, '.band-scale span'),
                      weeks: b.querySelectorAll('.band-plot i').length})(document.querySelector('.band')),
    main: document.querySelector('main').clientWidth,
    text: Object.fromEntries(all('main > section').map(c => [c.id, c.innerText])),
    page: document.body.innerText,
  };
})()"""
# Where each top-level figure of the JSON is shown (the card's id).
CARD_OF = {
    "minutes_music": "minutes", "minutes_podcast": "minutes", "streams": "minutes", "distinct_tracks": "minutes",
    "distinct_artists": "minutes", "percentile": "minutes", "top_artists": "top-artists", "top_tracks": "top-tracks",
    "top_albums": "top-albums", "top_podcasts": "top-podcasts", "top_genres": "genres", "biggest_day": "moments",
    "longest_streak_days": "moments", "skip_rate": "moments", "new_artists": "moments", "top_new_artist": "moments",
    "monthly_minutes": "months", "listening_clock": "clock", "personality": "personality", "audio_profile": "audio",
    "spotify": "spotify",
}  # fmt: skip
INSIGHT_CARD_OF = {
    "phases": "phases", "obsessions": "obsessions", "unusual_days": "unusual-days", "trend": "trend",
    "top_discoveries": "top-discoveries", "forgotten_favourites": "forgotten-favourites",
    "release_years": "release-years", "genre_hours": "genre-hours", "top_artist_months": "top-artist-months",
    "daily_minutes": "calendar",
}  # fmt: skip
# Cards that draw their figures (a heatmap's cells, a grid of hours) and give each in its cell's title.
DRAWN = {"daily_minutes", "genre_hours"}
SHOWN = 10  # rows of an insight list; the rest counted
SHARES = {"skip_rate", "catalog_coverage", "exploration", "newness", "variety", "uniqueness", "score", "valence",
          "energy", "danceability", "acousticness"}  # fmt: skip


def _whole(value: float) -> str:
    return f"{Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP):,}"


def _shown(key: str, value) -> str:
    """A JSON figure as the page's one rounding rule writes it."""
    if key in SHARES:
        return _whole(value * 100) + "%"
    if key in ("percentile", "change_pct"):
        return _whole(value) + "%"
    if key == "year":
        return str(value)
    if isinstance(value, float):
        return _whole(value)
    return f"{value:,}" if isinstance(value, int) else " ".join(str(value).split())


def _figures(key: str, value):
    """(key, value) of every figure under a JSON value; an axis' label ("F/E") is not a figure."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _figures(k, v)
    elif isinstance(value, list):
        for v in value:
            yield from _figures(key, v)
    elif value is not None and key != "axis":
        yield key, value


def _insight_figures(insights: dict):
    """(key, value) of every insight figure the page shows: a list's first SHOWN rows, an obsession's
    first and last week, no URIs (the page names a song, its artist and its streams)."""
    for key, value in insights.items():
        if key in DRAWN:
            continue
        if isinstance(value, list):
            value = value[:SHOWN]
        if key == "obsessions":
            value = [o | {"weeks": [o["weeks"][0], o["weeks"][-1]]} for o in value]
        for figure, shown in _figures(key, value):
            if figure != "uri":
                yield key, figure, shown


def _catalog(path: Path, plays) -> Path:
    """A catalog of these plays' tracks: release years, popularity, genres and audio features."""
    tracks = sorted({(p.uri.rsplit(":", 1)[-1], p.artist, p.track) for p in plays if p.media == "music" and p.uri})
    with path.open("w", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(("track_id", "artists", "track_name", "popularity", "track_genre", "valence", "energy",
                       "danceability", "acousticness", "tempo", "year"))  # fmt: skip
        for i, (track_id, artist, name) in enumerate(tracks):
            rows.writerow((track_id, artist, name, i % 60, GENRES[i % 6], 0.5, 0.6, 0.7, 0.1, 120, 2015 + i % 10))
    return path


@pytest.fixture(scope="module")
def pages(server_url, tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """Page name -> (HTML file, its JSON): alice (Spotify's file, a catalog: genres, audio, a whole
    personality), bob (no catalog: half a personality), a simulated user, alice's all time, the planted
    insights (and their share images' stories: planted-stories.html), and alice on the UI page. In its
    own database: one lake for the module."""
    from wrapped_lake.ingest import ingest
    from wrapped_lake.marts.build import build
    from wrapped_lake.marts.catalog import load_catalog
    from wrapped_lake.platform import db
    from wrapped_lake.platform.config import load_settings
    from wrapped_lake.reports.png import story_page
    from wrapped_lake.reports.publish import render
    from wrapped_lake.reports.wrapped import wrapped
    from wrapped_lake.simulate import simulate
    from wrapped_lake.ui.app import render_page

    folder = tmp_path_factory.mktemp("pages")
    name = f"lake_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LAKE_ROOT", str(folder / "lake"))
        env.setenv("LAKE_DATABASE_URL", make_conninfo(**{**conninfo_to_dict(server_url), "dbname": name}))
        env.setenv("LAKE_TIMEZONE", "UTC")
        settings = load_settings()
        alice = fixtures.full_history("alice", plays=600, per_file=300)
        fixtures.write_files(settings.inbox / "alice", {**alice.files, "Wrapped2024.json": orjson.dumps(SPOTIFY)})
        fixtures.write_files(settings.inbox / "bob", fixtures.full_history("bob", seed=8, plays=300).files)
        fixtures.write_files(settings.inbox / "planted", fixtures.extended_files(planted_year(), 1000))
        simulate(6, 3, date(2024, 5, 1), 4, settings.inbox)
        ingest(settings)
        with db.connect(settings) as conn:
            load_catalog(conn, _catalog(folder / "catalog.csv", alice.truth.plays))
            build(conn, settings)
            simulated = conn.execute("SELECT listener FROM marts.listeners WHERE source = 'feed' LIMIT 1").fetchone()[0]
            found = {}
            for page, listener, year in [("alice", "alice", 2024), ("bob", "bob", 2024), ("simulated", simulated, 2024),
                                         ("alice-all-time", "alice", None), ("planted", "planted", 2024)]:  # fmt: skip
                path = folder / f"{page}.html"
                path.write_bytes(render(conn, listener, year, "calendar", "html"))
                found[page] = path, orjson.loads(render(conn, listener, year, "calendar", "json"))
            stories = story_page(wrapped(conn, "planted", 2024), "calendar", None)
            (folder / "planted-stories.html").write_text(stories, encoding="utf-8")
        found["ui"] = folder / "ui.html", found["alice"][1]
        found["ui"][0].write_text(render_page("alice", "2024", "calendar"), encoding="utf-8")
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return found


@pytest.fixture(scope="module")
def seen(chromium, pages) -> dict[tuple[str, int], dict]:
    """(page, width) -> what the browser measured, with the console errors; a screenshot of each
    beside its page (<page>-<width>.png)."""
    from wrapped_lake.reports.png import Chromium

    measured = {}
    with Chromium() as browser:
        for page, (path, _) in pages.items():
            for width in WIDTHS:
                browser.errors.clear()
                browser.open(path, width, 900)
                height = browser.evaluate("document.documentElement.scrollHeight")
                shot = browser.screenshot(0, 0, width, height)  # the whole page, not opened twice
                path.with_name(f"{page}-{width}.png").write_bytes(shot)
                measured[page, width] = {**browser.evaluate(MEASURE), "errors": list(browser.errors)}
    return measured


def test_no_console_errors(seen):
    assert {key: m["errors"] for key, m in seen.items() if m["errors"]} == {}


def test_no_text_is_clipped_at_its_box(seen):
    """Every element's scroll width within its box: the personality heading of a laptop included."""
    assert {key: m["clipped"] for key, m in seen.items() if m["clipped"]} == {}


def test_no_empty_numbered_items(seen):
    assert {key: m["empty_items"] for key, m in seen.items() if m["empty_items"]} == {}


def test_dates_never_break_across_lines(seen):
    assert all(m["dates"] for m in seen.values())
    assert {key: m["broken_dates"] for key, m in seen.items() if m["broken_dates"]} == {}


def test_no_card_sits_alone_in_part_of_its_row(seen):
    for key, m in seen.items():
        rows = {}
        for card in m["cards"]:
            rows.setdefault(round(card["y"]), []).append(card)
        alone = [row[0]["id"] for row in rows.values() if len(row) == 1 and row[0]["width"] < m["main"] * 0.9]
        assert alone == [], key


def test_charts_show_values_and_a_scale_sized_for_their_card(seen, pages):
    for (page, width), m in seen.items():
        report = pages[page][1]
        trend = report["insights"]["trend"]
        weekly = [week["minutes"] for week in trend["weekly_minutes"][-24:]] if trend else []
        expected = {"months-chart": report["monthly_minutes"], "clock-chart": report["listening_clock"]}
        expected |= {"trend-chart": weekly} if trend else {}
        assert [chart["id"] for chart in m["charts"]] == list(expected), (page, width)
        assert all(chart["font"] <= 14 and chart["height"] < 600 for chart in m["charts"]), (page, width)
        for chart, values in zip(m["charts"], expected.values(), strict=True):
            assert chart["values"] == [_whole(v) for v in values]
            assert chart["ticks"][0] == "0" and 3 <= len(chart["ticks"]) <= 6
            assert float(chart["ticks"][-1].replace(",", "")) >= max(values), (page, width)


def test_every_json_figure_is_on_the_page_in_its_card(seen, pages):
    for (page, width), m in seen.items():
        report, text = pages[page][1], {card: shown.casefold() for card, shown in m["text"].items()}  # h2 upper-cases
        assert report["listener"] in m["page"].casefold() and report["timezone"] in m["page"]
        assert ("of all time" if report["year"] == "all" else str(report["year"])) in m["page"].casefold()
        if report["catalog_coverage"] is not None:
            assert f"catalog covers {_shown('catalog_coverage', report['catalog_coverage'])}" in m["page"]
        for key, card in CARD_OF.items():
            for figure, value in _figures(key, report[key]):
                if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
                    assert value in m["dates"], (page, width, key, value)
                else:
                    assert _shown(figure, value).casefold() in text[card], (page, width, key, figure, value)
        insights = report["insights"]
        assert {card for card in text if card in INSIGHT_CARD_OF.values()} == {
            INSIGHT_CARD_OF[key] for key, value in insights.items() if value is not None
        }, (page, width)  # an insight the data cannot tell has no card
        for key, figure, value in _insight_figures(insights):
            if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
                assert value in m["dates"], (page, width, key, value)
            else:
                assert _shown(figure, value).casefold() in text[INSIGHT_CARD_OF[key]], (page, width, key, figure, value)


def test_the_personality_card_names_the_personality_or_what_is_missing_and_the_command(seen, pages):
    whole, code = seen["alice", 1280]["text"]["personality"], pages["alice"][1]["personality"]["code"]
    assert pages["alice"][1]["personality"]["name"] in whole and code in whole
    partial = seen["bob", 430]["text"]["personality"]
    assert pages["bob"][1]["personality"]["code"] is None
    assert "You are one of" in partial and "needs each song's release year" in partial
    assert "wrapped-lake catalog load FILE.csv" in partial and "?" not in partial.split("\n")[1]


def test_spotify_figures_sit_beside_the_lakes(seen):
    spotify = seen["alice", 430]["text"]["spotify"]
    assert "10 Mar 2024" in spotify and "45" in spotify and "None" not in spotify


def test_planted_phases_show_as_three_coloured_stretches_named_by_their_artists(seen, pages):
    insights = pages["planted"][1]["insights"]
    highest = max(week["minutes"] for week in insights["trend"]["weekly_minutes"] if week["week"] >= "2024")
    assert len(insights["phases"]) == 3
    for width in WIDTHS:
        m = seen["planted", width]
        assert m["band"]["stretches"] == ["1", "2", "3"] and m["band"]["weeks"] >= 50, width
        assert m["band"]["ticks"][0] == "0" and float(m["band"]["ticks"][-1].replace(",", "")) >= highest, width
        for phase in insights["phases"]:
            assert ", ".join(phase["top_artists"]) in m["text"]["phases"], (width, phase)


def test_long_insight_lists_show_ten_and_count_the_rest(seen, pages):
    insights, text = pages["planted"][1]["insights"], seen["planted", 430]["text"]
    for key, card in (("top_discoveries", "top-discoveries"), ("forgotten_favourites", "forgotten-favourites")):
        rest = len(insights[key]) - SHOWN
        assert rest > 0 and f"and {rest} more song" in text[card], key
    assert "Z" in text["obsessions"] and "15 Aug 2024" in text["unusual-days"]


def test_each_planted_insight_is_a_share_image_story_that_fits(chromium, pages):
    """The share images (reports/png.py) capture these stories: the insight sections are among them."""
    from wrapped_lake.reports.png import STORY_CSS, Chromium

    stories = pages["planted"][0].with_name("planted-stories.html")
    with Chromium() as browser:
        browser.open(stories, *STORY_CSS)
        fits = browser.evaluate(
            "[...document.querySelectorAll('.story')].map(s => [s.querySelector('section').id,"
            " s.scrollHeight <= s.clientHeight])"
        )
        clipped = browser.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => getComputedStyle(e).display !== 'inline'"
            " && e.scrollWidth > e.clientWidth + 1).map(e => e.outerHTML.slice(0, 120))"
        )
        assert browser.errors == [] and clipped == []
    insights = ["phases", "trend", "obsessions", "unusual-days", "top-discoveries", "forgotten-favourites"]
    assert [card for card, _ in fits][-6:] == insights
    assert [card for card, fit in fits if not fit] == []
