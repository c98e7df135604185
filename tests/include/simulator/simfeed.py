"""Helpers for the simulator tests: the shared feed's parameters, schema loading, reading files back."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import fastavro
import pandas as pd

from wrapped_lake.simulate import realism

START = dt.date(2024, 3, 4)  # a Monday
DAYS = 14
USERS = 240
SEED = 7
# The realism and personality tests share one longer simulation: realism measures its last 60 days
# after 60 of history, personality recovery reads its first 60.
LONG_USERS = 200
LONG_DAYS = 2 * realism.WINDOW_DAYS


def schema(version: int) -> dict:
    text = resources.files("wrapped_lake").joinpath("schemas", f"user_activity_v{version}.avsc").read_text()
    return json.loads(text)


TIMESTAMPS = ("eventTime", "startTime", "endTime")


def read_feed(paths: list[Path]) -> pd.DataFrame:
    """All records of the given files, with a `file` column and timestamps as int ms since epoch."""
    frames = []
    for path in paths:
        with path.open("rb") as f:
            frame = pd.DataFrame.from_records(list(fastavro.reader(f)))
        frame["file"] = str(path)
        frames.append(frame)
    feed = pd.concat(frames, ignore_index=True)
    epoch = pd.Timestamp(0, tz="UTC")
    for column in TIMESTAMPS:
        feed[column] = (pd.to_datetime(feed[column], utc=True) - epoch) // pd.Timedelta(milliseconds=1)
    return feed
