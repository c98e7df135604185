"""Reading export files: kinds detected from content, every era's shape, row-level problems counted."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pyarrow as pa
import pytest

from wrapped_lake import fixtures
from wrapped_lake.platform.errors import InputError
from wrapped_lake.readers.exports import read_export
from wrapped_lake.readers.plays import without_nul


def _extended(when: datetime, **overrides) -> dict:
    play = fixtures.Play(when, 200_000, "music", "Artist", "Track", "Album", "spotify:track:" + "a" * 22)
    return {**fixtures.extended_record(play), **overrides}


@pytest.mark.parametrize(
    ("ts", "keys"),
    [
        (datetime(2016, 1, 1, tzinfo=UTC), 21),  # endsong era: username, ip_addr_decrypted, user agent
        (datetime(2024, 12, 1, tzinfo=UTC), 19),  # late 2024: ip_addr, no username or user agent
        (datetime(2025, 3, 1, tzinfo=UTC), 23),  # 2025: audiobook fields
    ],
)
def test_every_extended_shape_is_read_without_personal_fields(ts, keys):
    record = _extended(ts)
    assert len(record) == keys
    parsed = read_export("Streaming_History_Audio_2016.json", orjson.dumps([record]))
    assert parsed.kind == "extended_audio"
    row = parsed.table.to_pylist()[0]
    assert row["ended_at"] == ts and row["ms_played"] == 200_000 and row["media"] == "music"
    for personal in ("username", "ip_addr", "ip_addr_decrypted", "user_agent_decrypted"):
        assert personal not in parsed.table.column_names


def test_kind_comes_from_content_not_name():
    data = orjson.dumps([_extended(datetime(2020, 1, 1, tzinfo=UTC))])
    assert read_export("whatever.json", data).kind == "extended_audio"
    assert read_export("MyData/endsong_3.json", data).kind == "extended_audio"
    assert read_export("MyData/endvideo.json", data).kind == "extended_video"


def test_media_is_classified_and_unattributed_rows_are_kept():
    ts = datetime(2021, 5, 5, tzinfo=UTC)
    podcast = _extended(
        ts,
        master_metadata_track_name=None,
        master_metadata_album_artist_name=None,
        master_metadata_album_album_name=None,
        spotify_track_uri=None,
        episode_name="Ep",
        episode_show_name="Show",
        spotify_episode_uri="spotify:episode:x",
    )
    nothing = {k: (v if k in ("ts", "ms_played") else None) for k, v in _extended(ts).items()}
    parsed = read_export("x.json", orjson.dumps([_extended(ts), podcast, nothing]))
    assert parsed.table["media"].to_pylist() == ["music", "podcast", "unattributed"]


def test_rows_with_bad_timestamps_are_counted_by_reason():
    ts = datetime(2022, 2, 2, tzinfo=UTC)
    rows = [_extended(ts), _extended(ts, ts="yesterday"), _extended(ts, ts=None), _extended(ts, ms_played=None)]
    parsed = read_export("x.json", orjson.dumps(rows))
    assert parsed.rows_read == 4
    assert parsed.table.num_rows == 1
    assert dict(parsed.rejected) == {
        "unparseable timestamp": 1,
        "missing timestamp": 1,
        "missing or non-numeric ms_played": 1,
    }


def test_wrong_json_types_become_null_instead_of_failing_the_file():
    ts = datetime(2022, 2, 2, tzinfo=UTC)
    parsed = read_export("x.json", orjson.dumps([_extended(ts, shuffle="yes", conn_country=7)]))
    row = parsed.table.to_pylist()[0]
    assert row["shuffle"] is None and row["conn_country"] is None


def test_empty_reasons_become_null():
    parsed = read_export("x.json", orjson.dumps([_extended(datetime(2022, 2, 2, tzinfo=UTC), reason_end="")]))
    assert parsed.table["reason_end"].to_pylist() == [None]


@pytest.mark.parametrize(
    ("name", "rows", "kind", "media", "name_column"),
    [
        (
            "StreamingHistory_music_0.json",
            [{"endTime": "2023-01-31 18:04", "artistName": "A", "trackName": "T", "msPlayed": 203518}],
            "account_music",
            "music",
            "artist_name",
        ),
        (
            "StreamingHistory_podcast_0.json",
            [{"endTime": "2023-01-31 18:04", "podcastName": "P", "episodeName": "E", "msPlayed": 5}],
            "account_podcast",
            "podcast",
            "show_name",
        ),
        (
            "StreamingHistory_audiobook_0.json",
            [
                {
                    "endTime": "2023-01-31 18:04",
                    "audiobookName": "B",
                    "chapterName": "C",
                    "msPlayed": 5,
                    "authorName": "W",
                }
            ],
            "account_audiobook",
            "audiobook",
            "audiobook_title",
        ),
        (
            "StreamingHistory0.json",
            [{"endTime": "2019-01-31 18:04", "artistName": "A", "trackName": "T", "msPlayed": 0}],
            "account_mixed",
            "music",
            "artist_name",
        ),
    ],
)
def test_account_history_files(name, rows, kind, media, name_column):
    parsed = read_export(name, orjson.dumps(rows))
    row = parsed.table.to_pylist()[0]
    assert parsed.kind == kind
    assert row["media"] == media and row["minute_precision"] is True
    assert row[name_column] is not None
    assert row["ended_at"] == datetime(int(rows[0]["endTime"][:4]), 1, 31, 18, 4, tzinfo=UTC)


def test_library_playlists_and_searches_become_tables():
    files = fixtures.account_files(
        [fixtures.Play(datetime(2025, 1, 1, tzinfo=UTC), 40_000, "music", "A", "T", "Al", "spotify:track:x")],
        [fixtures.Play(datetime(2025, 1, 1, tzinfo=UTC), 40_000, "podcast", show="S", episode="E")],
    )
    library = read_export("YourLibrary.json", files["Spotify Account Data/YourLibrary.json"])
    assert library.kind == "library" and library.table.to_pylist()[0]["item_type"] == "show"
    playlists = read_export("Playlist1.json", files["Spotify Account Data/Playlist1.json"])
    assert playlists.kind == "playlists"
    assert playlists.table["description"].to_pylist()[0] == "Songs & snacks"  # HTML entity decoded
    assert playlists.table["item_type"].to_pylist()[-1] == "empty"
    searches = read_export("SearchQueries.json", files["Spotify Account Data/SearchQueries.json"])
    assert searches.table["searched_at"].to_pylist()[0] == datetime(2025, 9, 15, 19, 56, 58, tzinfo=UTC)


def test_2020_playlists_without_uri_or_added_date():
    doc = {
        "playlists": [
            {
                "name": "Old",
                "lastModifiedDate": "2020-03-01",
                "items": [
                    {
                        "track": {"trackName": "T", "artistName": "A", "albumName": "Al"},
                        "episode": None,
                        "localTrack": None,
                    }
                ],
            }
        ]
    }
    row = read_export("Playlist1.json", orjson.dumps(doc)).table.to_pylist()[0]
    assert row["uri"] is None and row["added_date"] is None and row["track_name"] == "T"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Payments.json", "personal"),
        ("UserAddress.json", "personal"),
        ("Userdata.json", "account_other"),
        ("Wrapped2024.json", "account_other"),
        ("ReadMeFirst_ExtendedStreamingHistory.pdf", "other"),
        ("Spotify Technical Log Information/Downloaded.json", "technical_log"),
    ],
)
def test_raw_only_files_are_not_parsed_into_tables(name, kind):
    parsed = read_export(name, b'{"email": "x@example.invalid"}')
    assert parsed.kind == kind and parsed.dataset is None


@pytest.mark.parametrize(
    "name",
    sorted(set(fixtures.bad_inputs()) - {"bad_rows.json"} - {n for n in fixtures.bad_inputs() if n.endswith(".zip")}),
)
def test_bad_json_files_raise_a_plain_reason(name):
    with pytest.raises(InputError) as caught:
        read_export(name, fixtures.bad_inputs()[name])
    assert caught.value.reason


def test_truncated_json_says_where_it_ends():
    with pytest.raises(InputError, match=r"truncated JSON.*line \d+, column \d+"):
        read_export("x.json", fixtures.bad_inputs()["truncated.json"])


def test_non_utf8_says_which_byte():
    with pytest.raises(InputError, match=r"not UTF-8 text: invalid byte 0xe9 at byte \d+"):
        read_export("x.json", fixtures.bad_inputs()["latin1.json"])


def test_extended_audiobook_rows_are_audiobooks():
    ts = datetime(2025, 4, 1, tzinfo=UTC)
    row = _extended(
        ts,
        master_metadata_track_name=None,
        master_metadata_album_artist_name=None,
        master_metadata_album_album_name=None,
        spotify_track_uri=None,
        audiobook_title="A Book",
        audiobook_uri="spotify:audiobook:x",
        audiobook_chapter_title="Chapter 1",
        audiobook_chapter_uri="spotify:chapter:y",
    )
    parsed = read_export("Streaming_History_Audio_2025.json", orjson.dumps([row]))
    played = parsed.table.to_pylist()[0]
    assert (played["media"], played["audiobook_title"], played["chapter_title"]) == ("audiobook", "A Book", "Chapter 1")


@pytest.mark.parametrize(
    "name, rows, column",
    [
        (
            "Streaming_History_Audio_2024.json",
            [{"ts": "2024-01-01T10:00:00Z", "ms_played": 5, "master_metadata_track_name": "a\u0000b"}],
            "track_name",
        ),
        (
            "StreamingHistory_music_0.json",
            [{"endTime": "2024-01-01 10:00", "artistName": "\u0000A", "trackName": "T", "msPlayed": 5}],
            "artist_name",
        ),
    ],
)
def test_nul_characters_are_removed_from_text(name, rows, column):
    table = read_export(name, orjson.dumps(rows)).table
    assert table[column].to_pylist() == [rows[0].get("master_metadata_track_name", "\u0000A").replace("\u0000", "")]


def test_without_nul_leaves_clean_tables_alone_and_cleans_every_chunk():
    clean = pa.table({"name": pa.chunked_array([["a", None], ["b"]]), "n": [1, 2, 3]})
    assert without_nul(clean) is clean
    dirty = pa.table({"name": pa.chunked_array([["a\u0000", None], ["\u0000b\u0000"]])})
    assert without_nul(dirty)["name"].to_pylist() == ["a", None, "b"]
