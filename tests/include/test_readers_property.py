"""Property tests of the readers: whatever a file holds, a reader returns rows or an InputError,
every row it drops has a reason, and every row it keeps can be true."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from v1_feed import v1_event, v1_file

from wrapped_lake.platform.errors import InputError
from wrapped_lake.readers.exports import read_export
from wrapped_lake.readers.feed import read_feed
from wrapped_lake.readers.plays import EARLIEST_PLAY, MAX_PLAY_MS, latest_plausible_end

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3), max_leaves=5)
TIMESTAMPS = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)).map(
    lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
)
EXTENDED_ROW = st.fixed_dictionaries(
    {
        "ts": TIMESTAMPS | JSON_VALUES,
        "ms_played": st.integers(min_value=-(2**66), max_value=2**66) | JSON_VALUES,
        "master_metadata_track_name": JSON_VALUES,
        "master_metadata_album_artist_name": JSON_VALUES,
        "spotify_track_uri": JSON_VALUES,
        "reason_end": JSON_VALUES,
        "skipped": JSON_VALUES,
    }
)
ACCOUNT_ROW = st.fixed_dictionaries(
    {
        "endTime": TIMESTAMPS.map(lambda t: t[:16].replace("T", " ")) | JSON_VALUES,
        "artistName": JSON_VALUES,
        "trackName": JSON_VALUES,
        "msPlayed": st.integers(min_value=-(2**66), max_value=2**66) | JSON_VALUES,
    }
)


def _holds_only_plausible_plays(parsed) -> None:
    table = parsed.table
    loaded = 0 if table is None else table.num_rows
    assert parsed.rows_read == loaded + sum(parsed.rejected.values())
    assert all(reason and count > 0 for reason, count in parsed.rejected.items())
    if loaded:
        ended = list(table["ended_at"].to_pylist())
        assert all(EARLIEST_PLAY <= t <= latest_plausible_end() for t in ended)
        assert all(0 <= ms <= MAX_PLAY_MS for ms in table["ms_played"].to_pylist())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.tuples(
            st.just("Streaming_History_Audio_2024.json"), st.lists(EXTENDED_ROW | JSON_VALUES, min_size=1, max_size=8)
        ),
        st.tuples(st.just("StreamingHistory_music_0.json"), st.lists(ACCOUNT_ROW, min_size=1, max_size=8)),
    )
)
def test_a_history_of_any_values_gives_plausible_rows_or_an_input_error(file):
    name, rows = file
    try:
        parsed = read_export(name, json.dumps(rows).encode())
    except InputError as exc:
        assert exc.reason
        return
    if parsed.dataset == "plays":
        _holds_only_plausible_plays(parsed)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=-(2**62), max_value=2**62 // 1000),
            st.integers(min_value=-(2**40), max_value=2**40),
            st.text(max_size=20),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_a_feed_of_any_times_and_users_gives_plays_or_an_input_error(events):
    records = []
    try:
        for end_ms, length_ms, user in events:
            end = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(milliseconds=end_ms)
            start = end - dt.timedelta(milliseconds=length_ms)
            records.append(v1_event(userId=user, endTime=end, eventTime=end, startTime=start))
        data = v1_file(records)
    except (OverflowError, ValueError):  # Python or the writer cannot hold such a time: nothing to read
        return
    try:
        tables = read_feed(data, "feed.avro")
    except InputError as exc:
        assert exc.reason
        return
    plays = tables.plays
    assert all(t >= EARLIEST_PLAY for t in plays["ended_at"].to_pylist())
    assert all(0 <= ms <= MAX_PLAY_MS for ms in plays["ms_played"].to_pylist())
