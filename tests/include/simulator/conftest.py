"""Shared simulated feed: simulated once per test session, read back as DataFrames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from simfeed import DAYS, SEED, START, USERS, read_feed

from wrapped_lake.simulate import simulate


@pytest.fixture(scope="session")
def feed_paths(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return simulate(USERS, DAYS, START, SEED, tmp_path_factory.mktemp("feed"))


@pytest.fixture(scope="session")
def feed(feed_paths: list[Path]) -> pd.DataFrame:
    return read_feed(feed_paths)


@pytest.fixture(scope="session")
def plays(feed: pd.DataFrame) -> pd.DataFrame:
    return feed[feed["activityType"].isin(["PLAY", "SKIP"])]
