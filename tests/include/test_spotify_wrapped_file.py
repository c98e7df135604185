"""Spotify's own WrappedYYYY.json at ingest: a schema for the fields the lake reads, a year it can
trust, a size cap, and a view that one listener's bad file can never break for the others."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wrapped_lake import fixtures
from wrapped_lake.ingest import ingest
from wrapped_lake.marts.build import build
from wrapped_lake.platform.errors import InputError
from wrapped_lake.readers import spotify_wrapped
from wrapped_lake.readers.exports import read_export
from wrapped_lake.reports.publish import render

ACCOUNT = "Spotify Account Data"
# Spotify's figures, with sections and fields the lake does not read (Spotify adds some every year).
VALID = {
    "year": 2024,
    "yearlyMetrics": {
        "mostListenedDay": "2024-03-10",
        "mostListenedDayMinutes": 45.0,
        "totalMsListened": 7_920_000,
        "percentGreaterThanWorldwideUsers": 83.5,
    },
    "topTracks": {
        "topTrackPlayCount": 15,
        "topTrackFirstPlayedDate": "2024-03-10",
        "topTracks": ["spotify:track:0000000000000000000001"],
        "distinctTracksPlayed": 3,
    },
    "topPodcasts": {"topPodcastMilliseconds": 270_000, "topPodcastsUri": ["spotify:show:00000000000000000000aa"]},
    "topArtists": {"topArtists": [{"artistUri": "spotify:artist:0000000000000000000001"}], "numUniqueArtists": 1},
    "musicEvolution": {"eras": [{"peakMonth": 2, "genre": "pop", "tracks": [{"trackName": "A"}]}]},
}
FIELDS = (
    ("year",),
    ("yearlyMetrics",),
    ("yearlyMetrics", "mostListenedDay"),
    ("yearlyMetrics", "mostListenedDayMinutes"),
    ("topTracks",),
    ("topTracks", "topTrackPlayCount"),
    ("topTracks", "topTrackFirstPlayedDate"),
    ("topPodcasts",),
    ("topPodcasts", "topPodcastMilliseconds"),
    ("topArtists",),
    ("musicEvolution", "eras"),
)
SPOTIFY_FIGURES = {
    "biggest_day": {"date": "2024-03-10", "minutes": 45.0},
    "top_track_streams": 15,
    "top_track_first_played": "2024-03-10",
    "top_podcast_minutes": 4.5,
}


def with_value(path: tuple[str, ...], value) -> dict:
    """VALID with one field replaced (a section replaced whole when the path names one)."""
    doc = json.loads(json.dumps(VALID))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return doc


def history(listener: str) -> dict[str, bytes]:
    """A few 2024 plays, so that the listener has a Wrapped to render."""
    plays = [
        fixtures.Play(datetime(2024, 3, 10, 12, m, tzinfo=UTC), 180_000, "music", "Ana", "C", "Alb", "spotify:track:C")
        for m in range(0, 60, 4)
    ]
    return {
        f"{listener}/Spotify Extended Streaming History/Streaming_History_Audio_2024.json": fixtures._json(
            [fixtures.extended_record(p) for p in plays]
        )
    }


def ingest_files(lake, files: dict[str, bytes]) -> dict:
    """Drop files (keys start with the listener's folder) and ingest them; reports by listener/file."""
    fixtures.write_files(lake.inbox, files)
    return {f"{r.listener}/{r.file}": r for r in ingest(lake)}


def stored(conn, listener: str) -> tuple:
    return conn.execute(
        "SELECT year, document, rejected_fields FROM curated.spotify_wrapped WHERE listener = %s", (listener,)
    ).fetchone()


def sidecar(lake, name: str) -> dict:
    """The quarantine's report on the file."""
    sidecars = [orjson.loads(p.read_bytes()) for p in lake.quarantine.rglob("*.error.json")]
    (found,) = [s for s in sidecars if s["file"] == name]
    return found


def spotify_view(conn) -> dict:
    """Every row of marts.spotify_wrapped (SELECT *), by listener."""
    rows = conn.execute("SELECT * FROM marts.spotify_wrapped").fetchall()
    return {row[0]: row for row in rows}


@pytest.mark.parametrize("year", [True, 2**40, "2024", 1999, 2999])
def test_an_unusable_year_in_the_document_gives_way_to_the_file_names(lake, conn, year):
    reports = ingest_files(lake, {f"ann/{ACCOUNT}/Wrapped2024.json": orjson.dumps(with_value(("year",), year))})
    assert reports[f"ann/{ACCOUNT}/Wrapped2024.json"].status == "loaded"
    stored_year, document, rejected = stored(conn, "ann")
    assert stored_year == 2024 and document["year"] is None
    assert [r["field"] for r in rejected] == ["year"] and rejected[0]["reason"]


def test_an_unusable_year_without_one_in_the_file_name_is_quarantined_with_the_reason(lake, conn):
    reports = ingest_files(lake, {f"ann/{ACCOUNT}/Wrapped.json": orjson.dumps(with_value(("year",), True))})
    report = reports[f"ann/{ACCOUNT}/Wrapped.json"]
    assert report.status == "quarantined" and "year" in report.reason
    assert "year" in sidecar(lake, f"{ACCOUNT}/Wrapped.json")["reason"]
    assert stored(conn, "ann") is None


def test_a_wrapped_file_over_the_size_cap_is_quarantined_before_it_is_parsed(lake, conn):
    # Not even JSON past the first byte: the reason is its size, so the bytes were never parsed.
    oversized = b"{" + b" " * spotify_wrapped.MAX_BYTES
    files = {f"ann/{ACCOUNT}/Wrapped2024.json": oversized, f"bob/{ACCOUNT}/Wrapped2024.json": orjson.dumps(VALID)}
    reports = ingest_files(lake, files)
    report = reports[f"ann/{ACCOUNT}/Wrapped2024.json"]
    assert report.status == "quarantined" and "cap" in report.reason
    assert "cap" in sidecar(lake, f"{ACCOUNT}/Wrapped2024.json")["reason"]
    assert reports[f"bob/{ACCOUNT}/Wrapped2024.json"].status == "loaded"
    assert stored(conn, "ann") is None and stored(conn, "bob")[0] == 2024


def test_a_wrapped_document_over_the_size_cap_found_by_its_content_is_quarantined(lake, conn):
    padded = orjson.dumps({**VALID, "padding": "x" * spotify_wrapped.MAX_BYTES})
    reports = ingest_files(lake, {f"ann/{ACCOUNT}/Summary.json": padded})
    report = reports[f"ann/{ACCOUNT}/Summary.json"]
    assert report.status == "quarantined" and "cap" in report.reason
    assert stored(conn, "ann") is None


def test_a_valid_wrapped_file_with_fields_spotify_added_is_stored_whole(lake, conn):
    ingest_files(lake, {f"ann/{ACCOUNT}/Wrapped2024.json": orjson.dumps(VALID)})
    assert stored(conn, "ann") == (2024, VALID, [])


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("yearlyMetrics", "mostListenedDay"), "2024-13-45"),
        (("yearlyMetrics", "mostListenedDay"), "2024-02-30"),
        (("yearlyMetrics", "mostListenedDay"), 20240310),
        (("yearlyMetrics", "mostListenedDayMinutes"), "45"),
        (("yearlyMetrics", "mostListenedDayMinutes"), -1),
        (("topTracks", "topTrackPlayCount"), "many"),
        (("topTracks", "topTrackPlayCount"), {}),
        (("topTracks", "topTrackPlayCount"), 2**40),
        (("topTracks", "topTrackPlayCount"), 15.5),
        (("topTracks", "topTrackFirstPlayedDate"), True),
        (("topPodcasts", "topPodcastMilliseconds"), [270_000]),
        (("yearlyMetrics",), "oops"),
        (("topTracks",), [15]),
    ],
)
def test_a_field_of_the_wrong_type_or_range_is_stored_as_null_with_its_reason(lake, conn, path, value):
    ingest_files(lake, {f"ann/{ACCOUNT}/Wrapped2024.json": orjson.dumps(with_value(path, value))})
    year, document, rejected = stored(conn, "ann")
    assert year == 2024 and document == with_value(path, None)
    assert [r["field"] for r in rejected] == [".".join(path)]
    assert json.dumps(value)[:20] in rejected[0]["reason"]


def test_nul_characters_are_removed_so_that_postgres_can_store_the_document(lake, conn):
    doc = with_value(("musicEvolution", "eras"), [{"genre": "p\x00op", "tra\x00cks": []}])
    reports = ingest_files(lake, {f"ann/{ACCOUNT}/Wrapped2024.json": orjson.dumps(doc)})
    assert reports[f"ann/{ACCOUNT}/Wrapped2024.json"].status == "loaded"
    assert stored(conn, "ann")[1]["musicEvolution"]["eras"] == [{"genre": "pop", "tracks": []}]


def test_a_document_nested_too_deeply_to_store_is_quarantined(lake, conn):
    deep = b'{"year": 2024, "yearlyMetrics": {}, "deep": ' + b"[" * 600 + b"]" * 600 + b"}"
    reports = ingest_files(lake, {f"ann/{ACCOUNT}/Wrapped2024.json": deep})
    report = reports[f"ann/{ACCOUNT}/Wrapped2024.json"]
    assert report.status == "quarantined" and "nested" in report.reason


def test_a_rejected_field_leaves_the_listeners_wrapped_rendering_in_every_format(lake, conn):
    doc = with_value(("yearlyMetrics", "mostListenedDay"), "2024-13-45")
    ingest_files(lake, {**history("ann"), f"ann/{ACCOUNT}/Wrapped2024.json": orjson.dumps(doc)})
    build(conn, lake)
    spotify = orjson.loads(render(conn, "ann", 2024, "calendar", "json"))["spotify"]
    assert spotify == {**SPOTIFY_FIGURES, "biggest_day": {"date": None, "minutes": 45.0}}
    assert b"Beside Spotify" in render(conn, "ann", 2024, "calendar", "text")
    assert b'id="spotify"' in render(conn, "ann", 2024, "calendar", "html")


BAD_STORED = [
    {"yearlyMetrics": {"mostListenedDay": "2024-13-45"}},
    {"yearlyMetrics": {"mostListenedDay": "yesterday", "mostListenedDayMinutes": "many"}},
    {"topTracks": {"topTrackPlayCount": "many", "topTrackFirstPlayedDate": "0000-01-01"}},
    {"topTracks": {"topTrackPlayCount": {}}},
    {"topTracks": {"topTrackPlayCount": 2**40}},
    {"topTracks": {"topTrackPlayCount": 15.5}},
    {"topPodcasts": {"topPodcastMilliseconds": "270000ms"}},
    {"yearlyMetrics": ["2024-03-10"], "topTracks": "15", "topPodcasts": None},
]


@pytest.mark.parametrize("bad", BAD_STORED)
def test_a_bad_document_stored_before_the_check_breaks_no_one_elses_row(lake, conn, bad):
    # Rows loaded before migration 021 were never checked: one is written here as it could be.
    ingest_files(lake, {**history("ann"), f"ann/{ACCOUNT}/Wrapped2024.json": orjson.dumps(VALID)})
    ingest_files(lake, {**history("old"), f"old/{ACCOUNT}/Wrapped2024.json": orjson.dumps(VALID)})
    conn.execute(
        "UPDATE curated.spotify_wrapped SET document = %s, rejected_fields = NULL WHERE listener = 'old'",
        (orjson.dumps(bad).decode(),),
    )
    build(conn, lake)
    rows = spotify_view(conn)
    assert rows["ann"][2:7] == (datetime(2024, 3, 10).date(), 45, 15, datetime(2024, 3, 10).date(), 4.5)
    assert all(value is None for value in rows["old"][2:7])
    assert orjson.loads(render(conn, "old", 2024, "calendar", "json"))["spotify"]["top_track_streams"] is None
    assert orjson.loads(render(conn, "ann", 2024, "calendar", "json"))["spotify"] == SPOTIFY_FIGURES


def strings(value):
    """Every string and key in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(path=st.sampled_from(FIELDS), value=JSON_VALUES, name=st.sampled_from(["Wrapped2024", "Wrapped", "Summary"]))
def test_any_value_in_any_field_parses_to_a_document_the_schema_accepts_or_to_a_quarantine(path, value, name):
    data = json.dumps(with_value(path, value)).encode()  # the standard library spells NaN and big integers too
    try:
        parsed = read_export(f"{ACCOUNT}/{name}.json", data)
    except InputError as exc:
        assert exc.reason
        return
    if parsed.dataset is None:
        return
    (row,) = parsed.table.to_pylist()
    document = orjson.loads(row["document"])
    assert list(spotify_wrapped.validator().iter_errors(document)) == []
    assert spotify_wrapped.FIRST_YEAR <= row["year"] <= datetime.now(UTC).year + 1
    assert not any("\x00" in text for text in strings(document))
    rejected = orjson.loads(row["rejected_fields"])
    assert all(r["field"] and r["reason"] for r in rejected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(FIELDS), value=JSON_VALUES)
def test_the_view_reads_any_document_postgres_can_hold(conn, path, value):
    document = json.dumps(with_value(path, value))
    try:
        document = orjson.dumps(orjson.loads(document)).decode()  # what a loader before the check stored
    except (orjson.JSONDecodeError, TypeError):
        return
    if "\\u0000" in document:
        return  # jsonb cannot hold it: the loader never could store it either
    with conn.transaction(force_rollback=True):
        conn.execute(
            "INSERT INTO curated.spotify_wrapped (listener, year, document, file_id) VALUES ('x', 2024, %s, 0)",
            (document,),
        )
        assert len(conn.execute("SELECT * FROM marts.spotify_wrapped").fetchall()) == 1
