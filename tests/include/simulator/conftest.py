"""Shared simulated feeds: simulated once per test session, read back as DataFrames."""

from __future__ import annotations

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
def long_plays() -> pd.DataFrame:
    """Plays (realism.plays_frame) of LONG_USERS users over LONG_DAYS days, for the realism and
    personality tests: ~35 s of CPU to simulate, so simulated once."""
    return realism.plays_frame(generate(LONG_USERS, LONG_DAYS, START, SEED))
