"""One listener-year's Wrapped (reports/record.py) read from the marts, and its JSON.

All time (year None) sums every year: new artists, the personality, the percentile and Spotify's own
figures are yearly and null there; monthly minutes and the clock add up the same month and hour of
every year. The insights (reports/insights.py) come last."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import orjson
import pandas as pd
import psycopg

from wrapped_lake.analytics import codes, personality
from wrapped_lake.platform.db import query
from wrapped_lake.reports.insights import insights_of
from wrapped_lake.reports.record import (
    AudioProfile,
    Axis,
    BesideSpotify,
    BiggestDay,
    NewArtist,
    Personality,
    SpotifyBiggestDay,
    SpotifyFigures,
    TopAlbum,
    TopArtist,
    TopGenre,
    TopPodcast,
    TopTrack,
    Wrapped,
)
from wrapped_lake.reports.windows import window

# Below this share of streams found in a catalog, genres, audio profile, newness and uniqueness are
# null: a figure from a third of the listening would be a guess.
MIN_CATALOG_COVERAGE = 0.5
AUDIO_FEATURES = ("valence", "energy", "danceability", "acousticness", "tempo")
# Letter order of the code and each axis' score, threshold and letters (below, at or above).
AXES = (
    ("F/E", "exploration", personality.EXPLORATION_THRESHOLD, "FE"),
    ("T/N", "newness", personality.NEWNESS_THRESHOLD, "TN"),
    ("L/V", "variety", personality.VARIETY_THRESHOLD, "LV"),
    ("C/U", "uniqueness", personality.UNIQUENESS_THRESHOLD, "CU"),
)
TOP = 5
# "More than 83% of listeners" means little among a handful: below this many listeners in the
# year, the percentile is null.
MIN_PERCENTILE_LISTENERS = 10


class ReportError(ValueError):
    """A Wrapped that cannot be made (unknown listener, a year without plays); the message says why."""


def minutes(ms) -> float:
    """Milliseconds as minutes, 2 decimals, rounded half up (the same bytes on every machine)."""
    return float((Decimal(int(ms or 0)) / 60000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _ratio(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(float(value), places)


def _listener(conn: psycopg.Connection, listener: str) -> tuple[str, list[int]]:
    """The listener's zone and years with plays; ReportError for a listener the marts do not hold."""
    found = conn.execute(query("reports/wrapped/listener"), {"listener": listener}).fetchone()
    if found is None:
        raise ReportError(f"unknown listener {listener!r} (wrapped-lake listeners lists them; run wrapped-lake build?)")
    return found


def this_year(conn: psycopg.Connection, listener: str) -> int:
    """The current year in the listener's zone (their Wrapped so far)."""
    return datetime.now(ZoneInfo(_listener(conn, listener)[0])).year


def wrapped(conn: psycopg.Connection, listener: str, year: int | None, window_name: str = "calendar") -> Wrapped:
    """The Wrapped of `listener` for `year` (None: all time) in the given window; ReportError when
    there is none."""
    timezone, years = _listener(conn, listener)
    try:
        win = window(window_name, year)
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    params = win.params(listener)
    totals = conn.execute(query("reports/wrapped/totals"), params).fetchone()
    if not totals[0]:
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
        period = year if year is not None else "any year"
        raise ReportError(f"{listener} has no plays in {period} ({window_name} window); years with plays: {span}")
    _, music_ms, podcast_ms, streams, distinct_tracks, distinct_artists, skips, skip_known = totals

    def rows(name: str) -> list[tuple]:
        return conn.execute(query(f"reports/wrapped/{name}"), params).fetchall()

    days = rows("days")
    new_artists = rows("new_artists") if year is not None else None
    columns = ["item_key", "artist", "streams", "ms", "genre", "release_year", "popularity", *AUDIO_FEATURES, "known"]
    tracks = pd.DataFrame(rows("streamed_tracks"), columns=columns)
    catalog = _catalog_figures(tracks, year)
    percentile = conn.execute(query("reports/wrapped/percentile"), params).fetchone()
    monthly_minutes, listening_clock = _months_and_hours(rows("months_and_hours"))
    return Wrapped(
        listener=listener,
        year=year,
        timezone=timezone,
        minutes_music=minutes(music_ms),
        minutes_podcast=minutes(podcast_ms),
        streams=int(streams),
        distinct_tracks=int(distinct_tracks),
        distinct_artists=int(distinct_artists),
        top_artists=tuple(TopArtist(name, minutes(ms), int(n)) for name, ms, n in rows("top_artists")),
        top_tracks=tuple(
            TopTrack(name, artist, int(n), minutes(ms), first) for name, artist, n, ms, first in rows("top_tracks")
        ),
        top_albums=tuple(TopAlbum(name, artist, minutes(ms)) for name, artist, ms in rows("top_albums")),
        top_podcasts=tuple(TopPodcast(name, minutes(ms)) for name, ms in rows("top_podcasts")),
        top_genres=catalog["top_genres"],
        biggest_day=_biggest_day(days),
        monthly_minutes=monthly_minutes,
        listening_clock=listening_clock,
        longest_streak_days=_longest_streak([day for day, _, n in days if n > 0]),
        skip_rate=_ratio(skips / skip_known) if skip_known else None,
        new_artists=len(new_artists) if new_artists is not None else None,
        top_new_artist=NewArtist(new_artists[0][0], minutes(new_artists[0][1])) if new_artists else None,
        personality=catalog["personality"],
        audio_profile=catalog["audio_profile"],
        catalog_coverage=catalog["coverage"],
        percentile=_percentile(percentile),
        spotify=_spotify(conn, params),
        insights=insights_of(conn, listener, year, MIN_CATALOG_COVERAGE),
    )


def _spotify(conn: psycopg.Connection, params: dict) -> SpotifyFigures | None:
    """Spotify's own figures for the year, when the export carried its WrappedYYYY.json."""
    row = conn.execute(query("reports/wrapped/spotify_wrapped"), params).fetchone()
    if row is None:
        return None
    day, day_minutes, top_count, first_played, podcast_minutes = row
    return SpotifyFigures(
        biggest_day=SpotifyBiggestDay(day, _number(day_minutes)),
        top_track_streams=top_count,
        top_track_first_played=first_played,
        top_podcast_minutes=_number(podcast_minutes),
    )


def beside_spotify(lake: Wrapped) -> list[BesideSpotify]:
    """Spotify's own figures next to the lake's under Spotify's rules (a report of the spotify window)."""
    theirs = lake.spotify
    top_track = lake.top_tracks[0] if lake.top_tracks else None
    top_podcast = lake.top_podcasts[0] if lake.top_podcasts else None
    day = lake.biggest_day
    return [
        BesideSpotify("Biggest day", day and day.date, theirs.biggest_day.date),
        BesideSpotify("Minutes that day", day and day.minutes, theirs.biggest_day.minutes),
        BesideSpotify("Top song's streams", top_track and top_track.streams, theirs.top_track_streams),
        BesideSpotify("Top song first played", top_track and top_track.first_played, theirs.top_track_first_played),
        BesideSpotify("Top podcast minutes", top_podcast and top_podcast.minutes, theirs.top_podcast_minutes),
    ]


def _percentile(row: tuple | None) -> float | None:
    if row is None or row[0] is None or row[1] < MIN_PERCENTILE_LISTENERS:
        return None
    return float(row[0])


def _number(value) -> float | None:
    return None if value is None else float(value)


def to_json(report: Wrapped) -> bytes:
    """Stable bytes: the same data gives the same file."""
    return orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2) + b"\n"


def _biggest_day(days: list[tuple]) -> BiggestDay | None:
    """The day with most minutes (music and podcasts); the earliest of equal days."""
    best = max(days, key=lambda row: (row[1], -row[0].toordinal()), default=None)
    if best is None or not best[1]:
        return None
    return BiggestDay(best[0], minutes(best[1]))


def _months_and_hours(rows: list[tuple]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Music minutes per local month and per local hour."""
    months, hours = [0] * 12, [0] * 24
    for month, hour, ms in rows:
        months[month - 1] += ms
        hours[hour] += ms
    return tuple(minutes(ms) for ms in months), tuple(minutes(ms) for ms in hours)


def _longest_streak(days: list[date]) -> int:
    """Longest run of consecutive dates (sorted input)."""
    best = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


def _catalog_figures(tracks: pd.DataFrame, year: int | None) -> dict:
    """Personality, genres, audio profile and catalog coverage from the streamed tracks."""
    total = int(tracks["streams"].sum()) if not tracks.empty else 0
    if not total:
        return {"top_genres": None, "personality": None, "audio_profile": None, "coverage": None}
    coverage = float(tracks.loc[tracks["known"], "streams"].sum()) / total
    usable = coverage >= MIN_CATALOG_COVERAGE
    streams = tracks.loc[tracks.index.repeat(tracks["streams"].astype(int))]
    frame = pd.DataFrame(
        {
            "artist": streams["artist"],
            "track_id": streams["item_key"],
            "release_year": streams["release_year"] if usable else None,
            "popularity": streams["popularity"] if usable else None,
        }
    )
    return {
        "top_genres": _top_genres(tracks) if usable else None,
        "personality": _personality(personality.scores_for(frame, year)) if year is not None else None,
        "audio_profile": _audio_profile(streams) if usable else None,
        "coverage": _ratio(coverage),
    }


def _top_genres(tracks: pd.DataFrame) -> tuple[TopGenre, ...] | None:
    known = tracks.dropna(subset=["genre"])
    if known.empty:
        return None
    by_genre = known.groupby("genre")["ms"].sum().reset_index()
    by_genre = by_genre.sort_values(["ms", "genre"], ascending=[False, True], kind="stable").head(TOP)
    return tuple(TopGenre(name, minutes(ms)) for name, ms in by_genre.itertuples(index=False))


def _audio_profile(streams: pd.DataFrame) -> AudioProfile | None:
    means = {f: streams[f].astype(float).mean() for f in AUDIO_FEATURES}
    if any(pd.isna(value) for value in means.values()):
        return None
    return AudioProfile(**{f: round(float(value), 1 if f == "tempo" else 3) for f, value in means.items()})


def _personality(scores: personality.AxisScores) -> Personality | None:
    values = scores.as_dict()
    if all(value is None for value in values.values()):
        return None
    code = personality.code_for(scores)
    axes = []
    for axis, score_name, threshold, letters in AXES:
        score = values[score_name]
        letter = None if score is None else letters[score >= threshold]
        axes.append(Axis(axis, _ratio(score), letter))
    return Personality(
        code=code,
        name=codes.name_for(code) if code else None,
        scores=personality.AxisScores(**{name: _ratio(value) for name, value in values.items()}),
        axes=tuple(axes),
    )
