"""Added accounts (--bots): ordinary users of the feed, deterministic, with the truth only in a side file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from simfeed import START, read_feed

from wrapped_lake.simulate import simulate
from wrapped_lake.simulate.bots import FRAUD, KINDS, plan_bots, truth, write_truth

USERS, DAYS, BOTS, SEED = 60, 2, 0.1, 3


def _bytes(paths: list[Path], root: Path) -> list[tuple[Path, bytes]]:
    return [(p.relative_to(root), p.read_bytes()) for p in paths]


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> pd.DataFrame:
    return read_feed(simulate(USERS, DAYS, START, SEED, tmp_path_factory.mktemp("bots"), bots=BOTS))


def test_same_arguments_with_bots_give_byte_identical_files(tmp_path: Path) -> None:
    first = simulate(USERS, DAYS, START, SEED, tmp_path / "a", bots=BOTS)
    second = simulate(USERS, DAYS, START, SEED, tmp_path / "b", bots=BOTS)
    assert _bytes(first, tmp_path / "a") == _bytes(second, tmp_path / "b")


def test_no_bots_gives_the_same_bytes_as_before(tmp_path: Path) -> None:
    plain = simulate(20, 1, START, SEED, tmp_path / "a")
    zero = simulate(20, 1, START, SEED, tmp_path / "b", bots=0)
    assert _bytes(plain, tmp_path / "a") == _bytes(zero, tmp_path / "b")


def test_added_accounts_do_not_depend_on_the_shard_count(tmp_path: Path, feed: pd.DataFrame) -> None:
    sharded = pd.concat(
        [read_feed(simulate(USERS, DAYS, START, SEED, tmp_path, bots=BOTS, shard_index=i, shard_count=2))
         for i in range(2)]
    )  # fmt: skip
    columns = ["userId", "eventTime", "startTime", "endTime", "songId", "playedMs", "country", "eventId"]
    ordered = [f.sort_values(columns)[columns].fillna(-1).to_numpy().tolist() for f in (feed, sharded)]
    assert ordered[0] == ordered[1]


def test_every_kind_is_added_as_an_ordinary_user_of_the_feed(feed: pd.DataFrame) -> None:
    kinds = dict(truth(USERS, BOTS, SEED))
    assert set(kinds.values()) == set(KINDS)
    assert set(kinds) <= set(feed["userId"])
    assert feed["userId"].nunique() == USERS + len(kinds)
    assert not feed.isin(KINDS).any().any()  # no field of the feed says who is what


def test_fraud_is_the_fraction_of_users_with_as_many_super_fans_and_sleepers() -> None:
    kinds = [bot.kind for bot in plan_bots(1000, 0.01)]
    assert sum(k in FRAUD for k in kinds) == 10 and kinds.count("superfan") == kinds.count("sleeper") == 10
    assert plan_bots(1000, 0) == [] and len([b for b in plan_bots(10, 0.001) if b.kind in FRAUD]) == 1
    with pytest.raises(ValueError, match="between 0 and 1"):
        plan_bots(10, 1.5)


def test_only_rotators_overlap_plays_and_change_country(feed: pd.DataFrame) -> None:
    kinds = dict(truth(USERS, BOTS, SEED))
    plays = feed[feed["activityType"].isin(["PLAY", "SKIP"])].sort_values(["userId", "startTime", "endTime"])
    previous_end = plays.groupby("userId")["endTime"].shift()
    overlapping = set(plays.loc[plays["startTime"] < previous_end, "userId"])
    several_countries = set(plays.groupby("userId")["country"].nunique().loc[lambda n: n > 1].index)
    rotators = {u for u, k in kinds.items() if k == "rotator"}
    assert overlapping == several_countries == rotators


def test_farms_play_just_past_thirty_seconds(feed: pd.DataFrame) -> None:
    farms = [u for u, k in truth(USERS, BOTS, SEED) if k == "farm"]
    played = feed.loc[feed["userId"].isin(farms) & feed["activityType"].isin(["PLAY", "SKIP"]), "playedMs"]
    assert played.between(30_000, 36_000).all()


def test_the_truth_is_written_as_csv_or_json(tmp_path: Path) -> None:
    rows = truth(USERS, BOTS, SEED)
    write_truth(tmp_path / "truth.csv", rows)
    write_truth(tmp_path / "truth.json", rows)
    with (tmp_path / "truth.csv").open() as f:
        assert [(r["user_id"], r["kind"]) for r in csv.DictReader(f)] == rows
    assert [(r["user_id"], r["kind"]) for r in json.loads((tmp_path / "truth.json").read_text())] == rows


def test_simulate_writes_the_truth_beside_the_feed_never_into_it(tmp_path: Path) -> None:
    from wrapped_lake.cli import main

    args = ["simulate", "--users", "20", "--days", "1", "--seed", "4", "--shards", "1", "--bots", "0.1"]
    assert main([*args, "--out", str(tmp_path / "inbox"), "--truth", str(tmp_path / "truth.json")]) == 0
    written = json.loads((tmp_path / "truth.json").read_text())
    assert [row["kind"] for row in written] == ["looper", "ring", "superfan", "superfan", "sleeper", "sleeper"]
    assert {p.suffix for p in (tmp_path / "inbox").rglob("*") if p.is_file()} == {".avro"}
