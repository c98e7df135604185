"""Shared simulated feeds: simulated once per test session, read back as DataFrames."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pandas as pd
import pytest
from simfeed import DAYS, LONG_DAYS, LONG_USERS, SEED, START, USERS, read_feed

from wrapped_lake.simulate import realism, simulate
from wrapped_lake.simulate.run import generate


@pytest.fixture(scope="session")
def feed_paths(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return simulate(USERS, DAYS, START, SEED, tmp_path_factory.mktemp("feed"))


@pytest.fixture(scope="session")
def feed(feed_paths: list[Path]) -> pd.DataFrame:
    return read_feed(feed_paths)


@pytest.fixture(scope="session")
def plays(feed: pd.DataFrame) -> pd.DataFrame:
    return feed[feed["activityType"].isin(["PLAY", "SKIP"])]


@pytest.fixture(scope="session")
def long_plays(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> pd.DataFrame:
    """Plays (realism.plays_frame) of LONG_USERS users over LONG_DAYS days, for the realism and
    personality tests: ~40 s of CPU to simulate, so simulated once per run, not once per worker."""
    if worker_id == "master":  # no xdist: nothing to share
        return realism.plays_frame(generate(LONG_USERS, LONG_DAYS, START, SEED))
    # pytest-xdist's pattern: the workers' temporary folders share a parent that is this run's own.
    shared = tmp_path_factory.getbasetemp().parent
    frame = shared / "long_plays.pickle"
    with (shared / "long_plays.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits for the first one's frame
        if not frame.exists():
            realism.plays_frame(generate(LONG_USERS, LONG_DAYS, START, SEED)).to_pickle(frame)
    return pd.read_pickle(frame)
