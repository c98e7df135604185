"""The simulated feed: determinism, time correctness, rhythms, stable users and sane interactions."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import fastavro
import numpy as np
import pandas as pd
import pytest
from simfeed import DAYS, SEED, START, USERS, read_feed, schema

from wrapped_lake.simulate import run, simulate, sync_marker
from wrapped_lake.simulate.markets import COUNTRIES

WINDOW_START = int(dt.datetime.combine(START, dt.time(), dt.UTC).timestamp() * 1000)
WINDOW_END = WINDOW_START + DAYS * 86_400_000
OFFSET_MINUTES = {c.code: c.utc_offset_minutes for c in COUNTRIES}


def _local_hours(frame: pd.DataFrame, column: str) -> pd.Series:
    local = frame[column] + frame["country"].map(OFFSET_MINUTES) * 60_000
    return (local // 3_600_000) % 24


def _records(feed: pd.DataFrame) -> list[list[object]]:
    """Rows in a canonical order with missing values as None, for exact comparison."""
    ordered = feed.sort_values(["userId", "eventTime"]).astype(object)
    return ordered.where(ordered.notna(), None).to_numpy().tolist()


def _session_starts(feed: pd.DataFrame) -> pd.DataFrame:
    return feed.groupby("sessionId").agg(start=("startTime", "min"), country=("country", "first")).reset_index()


def test_same_arguments_give_byte_identical_files(tmp_path: Path) -> None:
    first = simulate(30, 2, START, 11, tmp_path / "a")
    second = simulate(30, 2, START, 11, tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))


def test_a_different_seed_gives_different_data(tmp_path: Path) -> None:
    first = read_feed(simulate(10, 1, START, 1, tmp_path / "a"))
    second = read_feed(simulate(10, 1, START, 2, tmp_path / "b"))
    assert set(first["userId"]).isdisjoint(second["userId"])


def test_files_use_the_sync_marker_derived_from_the_seed(feed_paths: list[Path]) -> None:
    assert feed_paths[0].read_bytes()[-16:] == sync_marker(SEED)


def test_a_users_events_do_not_depend_on_the_shard_count(tmp_path: Path) -> None:
    whole = read_feed(simulate(24, 2, START, 5, tmp_path / "one")).drop(columns="file")
    sharded = pd.concat(
        [read_feed(simulate(24, 2, START, 5, tmp_path / "three", shard_index=i, shard_count=3)) for i in range(3)]
    ).drop(columns="file")
    assert _records(whole) == _records(sharded)


def test_shards_hold_disjoint_users(tmp_path: Path) -> None:
    users = [
        set(read_feed(simulate(24, 2, START, 5, tmp_path / str(i), shard_index=i, shard_count=3))["userId"])
        for i in range(3)
    ]
    assert not (users[0] & users[1]) and not (users[1] & users[2]) and not (users[0] & users[2])


def test_timestamps_are_utc_milliseconds_inside_the_window(feed_paths: list[Path], feed: pd.DataFrame) -> None:
    with feed_paths[0].open("rb") as f:
        first = next(iter(fastavro.reader(f)))
    assert first["eventTime"].tzinfo is not None and first["eventTime"].year == START.year
    for column in ("eventTime", "startTime", "endTime"):
        assert feed[column].between(WINDOW_START, WINDOW_END - 1).all()
    assert (feed["eventTime"] % 1000 != 0).mean() > 0.9  # real milliseconds, not whole seconds


def test_each_file_is_ordered_by_event_time(feed: pd.DataFrame) -> None:
    assert feed.groupby("file")["eventTime"].apply(lambda t: t.is_monotonic_increasing).all()


def test_each_users_events_strictly_increase_in_time(feed: pd.DataFrame) -> None:
    ordered = feed.sort_values(["userId", "eventTime"])
    same_user = ordered["userId"].eq(ordered["userId"].shift())
    assert (ordered["eventTime"].diff()[same_user] > 0).all()


def test_plays_never_overlap_and_follow_each_other_closely(plays: pd.DataFrame) -> None:
    ordered = plays.sort_values(["userId", "startTime"])
    same_user = ordered["userId"].eq(ordered["userId"].shift())
    same_session = ordered["sessionId"].eq(ordered["sessionId"].shift())
    gap = ordered["startTime"] - ordered["endTime"].shift()
    assert (gap[same_user] >= 0).all()
    # Within a session the next play starts when the previous ends, plus loading or an ad break.
    assert gap[same_session].median() < 2_000
    assert gap[same_session].max() < 60_000


def test_files_are_partitioned_by_date_and_continent(feed: pd.DataFrame) -> None:
    dates = pd.to_datetime(feed["eventTime"], unit="ms").dt.strftime("%Y-%m-%d")
    expected = "simulated/date=" + dates + "/continent=" + feed["continent"] + "/part-00000-of-00001.avro"
    assert all(path.endswith(tail) for path, tail in zip(feed["file"], expected, strict=True))


def test_plays_follow_the_documented_rule(feed: pd.DataFrame) -> None:
    played = feed[feed["activityType"] == "PLAY"]
    skipped = feed[feed["activityType"] == "SKIP"]
    others = feed[~feed["activityType"].isin(["PLAY", "SKIP"])]
    assert (played["playedMs"] == played["duration"]).all()
    assert (skipped["playedMs"] < skipped["duration"]).all()
    both = pd.concat([played, skipped])
    assert (both["eventTime"] == both["endTime"]).all()
    assert (both["endTime"] - both["startTime"] >= both["playedMs"]).all()
    assert others["playedMs"].isna().all()


def test_pauses_resume_inside_a_play_of_the_same_track(feed: pd.DataFrame, plays: pd.DataFrame) -> None:
    pauses = feed[feed["activityType"] == "PAUSE"]
    assert len(pauses) > 0 and (pauses["endTime"] > pauses["startTime"]).all()
    joined = pauses.merge(plays, on=["userId", "songId"], suffixes=("", "_play"))
    inside = joined[(joined["startTime_play"] < joined["startTime"]) & (joined["endTime"] < joined["endTime_play"])]
    assert inside["eventId"].nunique() == len(pauses)


def test_sessions_are_rare_at_4am_and_common_at_8pm(feed: pd.DataFrame) -> None:
    hours = _local_hours(_session_starts(feed), "start").value_counts()
    assert hours.get(4, 0) * 10 < hours[20]


def test_weekday_mornings_are_busier_than_weekend_mornings(feed: pd.DataFrame) -> None:
    sessions = _session_starts(feed)
    local = pd.to_datetime(sessions["start"] + sessions["country"].map(OFFSET_MINUTES) * 60_000, unit="ms")
    morning = local.dt.hour.between(7, 8)
    weekend = local.dt.day_of_week >= 5
    assert morning[~weekend].mean() > 1.5 * morning[weekend].mean()


def test_session_and_play_lengths_are_plausible(feed: pd.DataFrame, plays: pd.DataFrame) -> None:
    spans = feed.groupby("sessionId").agg(start=("startTime", "min"), end=("endTime", "max"))
    minutes = (spans["end"] - spans["start"]) / 60_000
    assert 10 < minutes.median() < 60
    full = plays[plays["activityType"] == "PLAY"]["playedMs"] / 60_000
    assert 2.5 < full.median() < 5


def test_skips_come_early_in_the_track(plays: pd.DataFrame) -> None:
    skipped = plays[plays["activityType"] == "SKIP"]
    assert skipped["playedMs"].median() < 20_000
    assert (skipped["playedMs"] < 0.5 * skipped["duration"]).mean() > 0.9


def test_users_keep_their_country_plan_and_personality(feed: pd.DataFrame) -> None:
    stable = ["country", "continent", "userLocation", "subscriptionType", "personality"]
    assert (feed.groupby("userId")[stable].nunique() == 1).all().all()
    assert (feed.groupby("sessionId")["deviceType"].nunique() == 1).all()


def test_users_mostly_keep_to_a_main_device(feed: pd.DataFrame) -> None:
    sessions = feed.drop_duplicates("sessionId")
    main_share = sessions.groupby("userId")["deviceType"].agg(lambda d: d.value_counts(normalize=True).iloc[0])
    assert main_share.median() > 0.6


def test_countries_follow_market_shares(feed: pd.DataFrame) -> None:
    users = feed.drop_duplicates("userId")
    continents = users["continent"].value_counts(normalize=True)
    assert users["country"].value_counts().index[0] == "US"
    assert continents.get("AF", 0) < 0.06
    assert continents[["EU", "NA", "SA"]].sum() > 0.5


def test_plans_follow_market_shares(feed: pd.DataFrame) -> None:
    tiers = feed.drop_duplicates("userId")["subscriptionType"].value_counts(normalize=True)
    assert tiers.index[0] == "FREE" and 0.45 < tiers["FREE"] < 0.7
    assert tiers.get("STUDENT", 0) < tiers["PREMIUM"]


def test_interactions_come_in_sane_proportions(feed: pd.DataFrame) -> None:
    share = feed["activityType"].value_counts(normalize=True)
    assert share["PLAY"] > 0.55
    assert share["SKIP"] > max(share["LIKE"], share["ADD_TO_PLAYLIST"], share["FOLLOW"], share["PAUSE"])
    assert share["LIKE"] < 0.05 and share["ADD_TO_PLAYLIST"] < share["LIKE"] and share["FOLLOW"] < 0.01


def test_sessions_end_with_leave_app(feed: pd.DataFrame) -> None:
    last = feed.sort_values("eventTime").groupby("sessionId")["activityType"].last()
    assert (last == "LEAVE_APP").mean() > 0.95
    assert (feed[feed["activityType"] == "LEAVE_APP"].groupby("sessionId").size() == 1).all()


def test_ids_are_unique_and_follow_their_documented_form(feed: pd.DataFrame) -> None:
    assert feed["eventId"].is_unique
    assert (feed["eventId"].str[:-6] == feed["sessionId"]).all()
    assert (feed["sessionId"].str[:16] == feed["userId"]).all()
    assert feed["userId"].str.fullmatch("[0-9a-f]{16}").all()


def test_every_user_with_sessions_appears(feed: pd.DataFrame) -> None:
    assert 0.9 * USERS <= feed["userId"].nunique() <= USERS


def test_single_user_mode_writes_one_users_feed(tmp_path: Path) -> None:
    feed = read_feed(simulate(1, 3, START, 3, tmp_path))
    assert feed["userId"].nunique() == 1 and len(feed) > 10


def test_forced_personality_applies_to_every_user(tmp_path: Path) -> None:
    feed = read_feed(simulate(20, 1, START, 3, tmp_path, personality="ENVU"))
    assert set(feed["personality"]) == {"ENVU"}


def test_personality_mix_weights_the_codes(tmp_path: Path) -> None:
    feed = read_feed(simulate(200, 1, START, 3, tmp_path, personality_mix={"FTLC": 1.0, "ENVU": 3.0}))
    codes = feed.drop_duplicates("userId")["personality"].value_counts(normalize=True)
    assert set(codes.index) == {"FTLC", "ENVU"} and 0.6 < codes["ENVU"] < 0.9


def test_default_personalities_cover_all_sixteen_codes(feed: pd.DataFrame) -> None:
    assert feed.drop_duplicates("userId")["personality"].nunique() == 16


def test_unknown_personality_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="XXXX"):
        simulate(2, 1, START, 3, tmp_path, personality="XXXX")


def test_bad_shard_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="shard_index"):
        simulate(2, 1, START, 3, tmp_path, shard_index=2, shard_count=2)


def test_files_carry_the_project_schema(feed_paths: list[Path]) -> None:
    with feed_paths[0].open("rb") as f:
        reader = fastavro.reader(f)
        assert reader.codec == run.CODEC
        assert json.loads(reader.metadata["avro.schema"]) == schema(2)


def test_audio_features_and_catalog_fields_are_filled(plays: pd.DataFrame) -> None:
    columns = ["song", "songId", "artist", "artistId", "album", "releaseYear", "popularity", "valence", "tempo"]
    assert plays[columns].notna().all().all()
    assert plays["releaseYear"].le(START.year).all()
    assert np.isfinite(plays["tempo"]).all()


def test_no_users_write_no_files(tmp_path: Path) -> None:
    assert simulate(0, 1, START, 3, tmp_path) == []


def test_the_deflate_codec_also_reads_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "CODEC", "deflate")
    paths = simulate(5, 1, START, 3, tmp_path / "deflate")
    with paths[0].open("rb") as f:
        assert fastavro.reader(f).codec == "deflate"
    monkeypatch.setattr(run, "CODEC", "null")
    plain = read_feed(simulate(5, 1, START, 3, tmp_path / "null")).drop(columns="file")
    assert _records(read_feed(paths).drop(columns="file")) == _records(plain)


def test_consecutive_windows_share_users_but_never_event_ids(tmp_path: Path) -> None:
    first = read_feed(simulate(8, 1, START, 3, tmp_path / "a"))
    second = read_feed(simulate(8, 1, START + dt.timedelta(days=1), 3, tmp_path / "b"))
    assert set(first["userId"]) & set(second["userId"])
    assert set(first["eventId"]).isdisjoint(second["eventId"])
