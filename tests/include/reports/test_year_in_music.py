"""The year in music's extras (issue 21): release years and genres by hour from a catalog, the top
artists' months and the calendar, in the Wrapped's JSON and as sections of the page, which headless
Chromium shows at a phone's width and a laptop's without a console error or a clipped box."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson

from wrapped_lake.marts.build import build
from wrapped_lake.marts.catalog import load_catalog
from wrapped_lake.reports.html import render_html
from wrapped_lake.reports.wrapped import to_json, wrapped

GENRES = ("pop", "rock", "jazz", "folk", "ambient", "k-pop")
# Every day of 2024, 6 songs at 08:00 and at 21:00 UTC; song n by artist n % 7, released 2000 + n.
SONGS = 12


def song(ended_at: datetime, n: int) -> dict:
    return {"ended_at": ended_at, "ms": 120_000, "artist_name": f"Artist {n % 7}", "track_name": f"Song {n}",
            "track_uri": f"spotify:track:song{n:02d}"}  # fmt: skip


def year_of_plays() -> list[dict]:
    plays = []
    for offset in range(0, 366, 3):  # every third day: days without music in between
        day = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=offset)
        plays += [song(day + timedelta(hours=8 + i // 3, minutes=i), i) for i in range(6)]
        plays += [song(day + timedelta(hours=21, minutes=5 * i), 6 + i) for i in range(6)]
    return plays


def catalog(path) -> None:
    header = "track_id,artists,track_name,popularity,track_genre,valence,energy,danceability,acousticness,tempo,year"
    rows = [
        f"song{n:02d},Artist {n % 7},Song {n},50,{GENRES[n // 2]},0.5,0.5,0.5,0.5,120,{2000 + n}" for n in range(SONGS)
    ]
    path.write_text("\n".join([header, *rows]) + "\n")


def test_the_year_in_music_in_the_json_and_on_the_page(lake, conn, plays_file, tmp_path, valid_wrapped_json, chromium):
    plays_file("yim", year_of_plays())
    plays_file(
        "yim_bare", [song(datetime(2024, 5, 1, 12, tzinfo=UTC), 98), song(datetime(2024, 5, 2, 12, tzinfo=UTC), 99)]
    )
    catalog(tmp_path / "catalog.csv")
    load_catalog(conn, tmp_path / "catalog.csv")
    build(conn, lake)
    report = wrapped(conn, "yim", 2024)
    insights = valid_wrapped_json(to_json(report))["insights"]
    days = 122  # Jan 1, then every third day of the 366
    assert insights["release_years"] == [{"year": 2000 + n, "streams": days} for n in range(SONGS)]
    # Every genre has two songs (the same streams): the top 5 by name; rock's songs end at 08:00 and 09:00.
    assert [g["genre"] for g in insights["genre_hours"]] == ["ambient", "folk", "jazz", "k-pop", "pop"]
    assert insights["genre_hours"][0]["streams"] == [0] * 21 + [2 * days] + [0] * 2
    assert insights["genre_hours"][4]["streams"] == [0] * 8 + [2 * days] + [0] * 15
    assert [a["artist"] for a in insights["top_artist_months"]] == [a.name for a in report.top_artists]
    assert sum(insights["top_artist_months"][0]["streams"]) == report.top_artists[0].streams
    calendar = insights["daily_minutes"]
    assert len(calendar) == 366 and calendar[:4] == [24.0, 0.0, 0.0, 24.0] and sum(calendar) == days * 24
    bare = wrapped(conn, "yim_bare", 2024).insights
    assert bare.release_years is None and bare.genre_hours is None  # under half the streams known
    assert wrapped(conn, "yim", None).insights.daily_minutes is None  # all time: yearly extras are null

    from wrapped_lake.reports.png import Chromium

    page = tmp_path / "yim.html"
    page.write_text(render_html(report), encoding="utf-8")
    with Chromium() as browser:
        for width in (430, 1280):
            browser.errors.clear()
            browser.open(page, width, 900)
            seen = browser.evaluate("""(() => ({
              sections: [...document.querySelectorAll('main > section')].map(s => s.id),
              days: document.querySelectorAll('#calendar .heat i').length,
              hours: document.querySelectorAll('#genre-hours .heat i').length,
              months: [...document.querySelectorAll('#top-artist-months .spark-bars')].map(b => b.children.length),
              years: document.querySelectorAll('#release-years .columns-plot i').length,
              cell: document.querySelector('#calendar .heat i').getBoundingClientRect().width,
              clipped: [...document.querySelectorAll('main > section *')]
                .filter(e => getComputedStyle(e).display !== 'inline' && e.scrollWidth > e.clientWidth + 1)
                .map(e => e.outerHTML.slice(0, 120)),
              wider: [...document.querySelectorAll('main > section')].filter(s => s.scrollWidth > s.clientWidth)
                .map(s => s.id),
            }))()""")
            assert browser.errors == [], width
            extras = ["release-years", "top-artist-months", "genre-hours", "calendar"]
            assert [s for s in seen["sections"] if s in extras] == extras
            assert seen["sections"].index("calendar") < seen["sections"].index("trend")  # before how taste moved
            assert seen["sections"].index("release-years") > seen["sections"].index("months")  # after the Wrapped's
            assert (seen["days"], seen["hours"], seen["months"], seen["years"]) == (366, 5 * 24, [12] * 5, SONGS)
            assert seen["cell"] >= 7, width  # a day is a visible cell at a phone's width
            assert seen["clipped"] == [] and seen["wider"] == [], width
    assert orjson.loads(to_json(report))["insights"]["daily_minutes"] == calendar
