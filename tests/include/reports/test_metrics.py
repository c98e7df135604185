"""Each Wrapped figure on hand-made plays, with the brief's definitions spelled out in the asserts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wrapped_lake.marts.build import build
from wrapped_lake.reports.record import (
    AudioProfile,
    Axis,
    BiggestDay,
    NewArtist,
    TopAlbum,
    TopArtist,
    TopGenre,
    TopPodcast,
)
from wrapped_lake.reports.wrapped import ReportError, to_json, wrapped


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def song(ended_at, ms, artist="Ana", track="One", uri=None, **extra) -> dict:
    uri = uri if uri is not None else f"spotify:track:{artist}-{track}".replace(" ", "")
    return {
        "ended_at": ended_at,
        "ms": ms,
        "artist_name": artist,
        "track_name": track,
        "track_uri": uri or None,
        **extra,
    }


def test_minutes_streams_and_private_sessions(lake, conn, plays_file):
    plays_file("l", [
        song(at(2024, 3, 1, 10), 200_000),
        song(at(2024, 3, 1, 11), 20_000),  # a play, not a stream
        song(at(2024, 3, 1, 12), 300_000, incognito_mode=True),  # private: left out
        song(at(2024, 3, 2, 12), 100_000, track="Two", incognito_mode=False),
        {"ended_at": at(2024, 3, 3, 8), "ms": 600_000, "show_name": "Pod", "episode_name": "E1"},
    ])  # fmt: skip
    build(conn, lake)
    r = wrapped(conn, "l", 2024)
    assert r.minutes_music == round(320_000 / 60000, 2) == 5.33
    assert r.minutes_podcast == 10.0
    assert r.streams == 2
    assert (r.distinct_tracks, r.distinct_artists) == (2, 1)
    assert r.top_artists == (TopArtist("Ana", minutes=5.33, streams=2),)
    assert r.top_podcasts == (TopPodcast("Pod", minutes=10.0),)
    assert r.biggest_day == BiggestDay(date(2024, 3, 3), minutes=10.0)
    assert r.monthly_minutes[2] == 5.33 and sum(r.monthly_minutes) == 5.33
    assert r.listening_clock[10] == 3.33 and r.listening_clock[11] == 0.33


def test_ties_break_by_name_and_top_lists_hold_five(lake, conn, plays_file):
    plays = [song(at(2024, 5, 1, 10, i), 60_000, artist=f"A{i % 7}", track=f"T{i % 7}") for i in range(14)]
    plays_file("l", plays)
    build(conn, lake)
    r = wrapped(conn, "l", 2024)
    assert [a.name for a in r.top_artists] == ["A0", "A1", "A2", "A3", "A4"]
    assert [t.name for t in r.top_tracks] == ["T0", "T1", "T2", "T3", "T4"]
    assert all(t.streams == 2 and t.first_played == date(2024, 5, 1) for t in r.top_tracks)


def test_top_tracks_by_streams_then_minutes(lake, conn, plays_file):
    plays_file("l", [
        song(at(2024, 1, 5, 9), 40_000, track="Short"),
        song(at(2024, 1, 6, 9), 40_000, track="Short"),
        song(at(2024, 1, 7, 9), 400_000, track="Long"),
        song(at(2024, 2, 7, 9), 35_000, track="Long"),
        song(at(2024, 1, 1, 9), 10_000, track="Once"),  # no stream: not a top track
    ])  # fmt: skip
    build(conn, lake)
    tracks = wrapped(conn, "l", 2024).top_tracks
    assert [(t.name, t.streams, t.first_played) for t in tracks] == [
        ("Long", 2, date(2024, 1, 7)),
        ("Short", 2, date(2024, 1, 5)),
    ]


def test_duplicated_file_counts_once(lake, conn):
    from wrapped_lake import fixtures
    from wrapped_lake.ingest import ingest

    plays = [
        fixtures.Play(at(2024, 4, 1, 12, i), 120_000, "music", "Ana", f"T{i}", "Alb", f"spotify:track:t{i}")
        for i in range(5)
    ]
    data = fixtures._json([fixtures.extended_record(p) for p in plays + plays[:2]])
    fixtures.write_files(
        lake.inbox / "l", {"Streaming_History_Audio_2024.json": data, "copy/Streaming_History_Audio_2024.json": data}
    )
    ingest(lake)
    build(conn, lake)
    r = wrapped(conn, "l", 2024)
    assert r.streams == 5 and r.minutes_music == 10.0
    assert r.top_albums == (TopAlbum("Alb", artist="Ana", minutes=10.0),)


def test_only_podcasts(lake, conn, plays_file):
    plays_file("l", [{"ended_at": at(2024, 6, 1, 8), "ms": 90_000, "show_name": "Pod"}])
    build(conn, lake)
    r = wrapped(conn, "l", 2024)
    assert (r.minutes_music, r.streams, r.top_artists, r.top_tracks) == (0.0, 0, (), ())
    assert r.personality is None and r.skip_rate is None and r.longest_streak_days == 0
    assert r.biggest_day == BiggestDay(date(2024, 6, 1), minutes=1.5)


def test_unknown_listener_and_empty_year_are_report_errors(lake, conn, plays_file):
    plays_file("l", [song(at(2023, 6, 1, 8), 90_000), song(at(2025, 6, 1, 8), 90_000)])
    build(conn, lake)
    with pytest.raises(ReportError, match="unknown listener 'nobody'"):
        wrapped(conn, "nobody", 2024)
    with pytest.raises(ReportError, match=r"no plays in 2024 .*2023-2025"):
        wrapped(conn, "l", 2024)


def test_account_plays_take_the_uri_of_the_same_names(lake, conn, plays_file):
    plays_file("l", [song(at(2023, 1, 1, 8), 90_000, track="Known", uri="spotify:track:known")])
    plays_file(
        "l",
        [
            song(at(2024, 2, 1, 8), 90_000, track="Known", uri=""),  # matched by names
            song(at(2024, 2, 1, 9), 90_000, track="Unknown", uri=""),  # nothing gives a URI
            song(at(2024, 2, 2, 9), 90_000, track="Known", uri="spotify:track:known"),
        ],
        source="account",
        kind="account_music",
    )
    build(conn, lake)
    r = wrapped(conn, "l", 2024)
    assert r.distinct_tracks == 2
    assert r.top_tracks[0].name == "Known" and r.top_tracks[0].streams == 2
    keys = {row[0] for row in conn.execute("SELECT item_key FROM marts.hourly_plays WHERE listener = 'l'")}
    assert keys == {"spotify:track:known", "names:Ana\tUnknown"}


def test_skip_rate_streak_and_new_artists(lake, conn, plays_file):
    plays_file("l", [
        song(at(2023, 12, 30, 8), 90_000, artist="Old"),
        song(at(2024, 1, 1, 8), 90_000, artist="Old", skipped=False, reason_end="trackdone"),
        song(at(2024, 1, 2, 8), 90_000, artist="New", skipped=True),
        song(at(2024, 1, 3, 8), 95_000, artist="New", skipped=False, reason_end="fwdbtn"),
        song(at(2024, 1, 5, 8), 60_000, artist="Newer", skipped=False, reason_end="trackdone"),
        song(at(2024, 1, 6, 8), 10_000, artist="Newest"),  # no stream: not a new artist, breaks no streak
    ])  # fmt: skip
    build(conn, lake)
    r = wrapped(conn, "l", 2024)
    assert r.skip_rate == 0.5  # 2 of the 4 plays that carry skip data
    assert r.longest_streak_days == 3
    assert r.new_artists == 2
    assert r.top_new_artist == NewArtist("New", minutes=3.08)


def test_personality_letters_without_catalog_and_full_with_one(lake, conn, plays_file, tmp_path):
    from wrapped_lake.marts.catalog import load_catalog

    plays_file("l", [song(at(2024, 3, 1, 8, i), 90_000, artist=f"A{i % 3}", track=f"T{i}") for i in range(30)])
    build(conn, lake)
    p = wrapped(conn, "l", 2024).personality
    assert p.code is None and p.scores.newness is None
    assert p.axes[0].letter == "F" and p.axes[2] == Axis("L/V", score=1.0, letter="V")
    csv = tmp_path / "catalog.csv"
    header = (
        "track_id,artists,album_name,track_name,popularity,track_genre,"
        "valence,energy,danceability,acousticness,tempo,year"
    )
    rows = [
        f"A{i % 3}-T{i},A{i % 3},Alb,T{i},{90 if i < 20 else 10},pop,0.5,0.6,0.7,0.1,120,{2024 if i < 3 else 1999}"
        for i in range(30)
    ]
    csv.write_text("\n".join([header, *rows]) + "\n")
    assert load_catalog(conn, csv) == {"tracks": 30, "with_release_year": 30}
    r = wrapped(conn, "l", 2024)
    assert r.catalog_coverage == 1.0
    assert r.personality.code == "FTVC" and r.personality.name == "Jukeboxer"
    assert r.top_genres == (TopGenre("pop", minutes=45.0),)
    assert r.audio_profile == AudioProfile(valence=0.5, energy=0.6, danceability=0.7, acousticness=0.1, tempo=120.0)


def test_low_catalog_coverage_gives_nulls_not_guesses(lake, conn, plays_file, tmp_path):
    from wrapped_lake.marts.catalog import load_catalog

    plays_file("l", [song(at(2024, 3, 1, 8, i), 90_000, track=f"T{i}") for i in range(10)])
    csv = tmp_path / "catalog.csv"
    csv.write_text("track_id,artists,track_name,popularity,track_genre,valence,energy,danceability,acousticness,tempo\n"
                   "Ana-T0,Ana,T0,50,pop,0.5,0.5,0.5,0.5,100\n")  # fmt: skip
    load_catalog(conn, csv)
    build(conn, lake)
    r = wrapped(conn, "l", 2024)
    assert r.catalog_coverage == 0.1
    assert r.top_genres is None and r.audio_profile is None and r.personality.code is None


def test_json_is_byte_stable_and_valid(lake, conn, plays_file, valid_wrapped_json):
    plays_file("l", [song(at(2024, 3, 1, 8, i), 61_234 + i, track=f"T{i % 4}") for i in range(20)])
    build(conn, lake)
    first = to_json(wrapped(conn, "l", 2024))
    valid_wrapped_json(first)
    build(conn, lake, full=True)
    assert to_json(wrapped(conn, "l", 2024)) == first


# Time zones: the listener's days, hours, months and years.
def _zone_plays(plays_file, conn, lake, zone, plays):
    plays_file("z", plays)
    build(conn, lake)
    from wrapped_lake.marts.listeners import set_timezone

    set_timezone(conn, "z", zone)
    build(conn, lake)


def test_midnight_and_new_year_are_local(lake, conn, plays_file):
    # 2023-12-31 23:30 UTC is 00:30 on New Year's Day in Stockholm (UTC+1).
    _zone_plays(plays_file, conn, lake, "Europe/Stockholm", [song(at(2023, 12, 31, 23, 30), 120_000)])
    r = wrapped(conn, "z", 2024)
    assert r.timezone == "Europe/Stockholm"
    assert r.biggest_day.date == date(2024, 1, 1)
    assert r.monthly_minutes[0] == 2.0 and r.listening_clock[0] == 2.0
    with pytest.raises(ReportError):
        wrapped(conn, "z", 2023)


def test_dst_spring_forward_day(lake, conn, plays_file):
    # 2024-03-31 in Stockholm: 02:00 becomes 03:00, the day has 23 hours; 00:30 and 01:30 UTC are 01:30 and 03:30.
    _zone_plays(plays_file, conn, lake, "Europe/Stockholm",
                [song(at(2024, 3, 31, 0, 30), 60_000), song(at(2024, 3, 31, 1, 30), 60_000)])  # fmt: skip
    r = wrapped(conn, "z", 2024)
    assert r.listening_clock[1] == 1.0 and r.listening_clock[2] == 0.0 and r.listening_clock[3] == 1.0
    assert r.biggest_day == BiggestDay(date(2024, 3, 31), minutes=2.0)


def test_dst_fall_back_day(lake, conn, plays_file):
    # 2024-10-27 in Stockholm: 03:00 becomes 02:00 again; 00:30 and 01:30 UTC are both 02:30 local.
    _zone_plays(plays_file, conn, lake, "Europe/Stockholm",
                [song(at(2024, 10, 27, 0, 30), 60_000), song(at(2024, 10, 27, 1, 30), 60_000),
                 song(at(2024, 10, 27, 22, 30), 60_000)])  # fmt: skip
    r = wrapped(conn, "z", 2024)
    assert r.listening_clock[2] == 2.0 and r.listening_clock[23] == 1.0
    assert r.biggest_day == BiggestDay(date(2024, 10, 27), minutes=3.0)


def test_no_day_shows_more_than_a_day_while_totals_keep_every_play(lake, conn, plays_file):
    # 30 hour-long plays stamped with one time (an offline device's sync), and 2 hours the day after:
    # the totals count every play as Spotify does, the biggest day holds 24 hours at most.
    synced = datetime(2024, 5, 1, 12, tzinfo=UTC)
    plays_file("sync", [
        *({"ended_at": synced, "ms": 3_600_000, "track_name": f"t{i}", "artist_name": "A"} for i in range(30)),
        {"ended_at": datetime(2024, 5, 2, 12, tzinfo=UTC), "ms": 7_200_000, "track_name": "u", "artist_name": "B"},
    ])  # fmt: skip
    build(conn, lake)
    for window in ("calendar", "spotify"):
        report = wrapped(conn, "sync", 2024, window)
        assert report.minutes_music == 32 * 60
        assert report.biggest_day.date == date(2024, 5, 1)
        assert report.biggest_day.minutes == 1440
