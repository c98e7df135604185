"""Stream-farm detection against the simulator's truth: 1% fraudulent accounts among 600 listeners."""

from __future__ import annotations

import datetime as dt

import pytest

from wrapped_lake.ingest import ingest
from wrapped_lake.simulate import simulate
from wrapped_lake.simulate.bots import FRAUD, truth

USERS, DAYS, BOTS, SEED = 600, 3, 0.01, 5
START = dt.date(2026, 3, 2)

pytestmark = pytest.mark.slow


@pytest.fixture
def scored(lake, conn):
    simulate(USERS, DAYS, START, SEED, lake.inbox, bots=BOTS)
    ingest(lake)
    kinds = dict(truth(USERS, BOTS, SEED))
    return kinds, conn.execute("SELECT listener, flagged FROM marts.anomaly_scores").fetchall()


def test_detection_finds_the_farms_and_spares_the_heavy_listeners(scored):
    kinds, rows = scored
    flagged = {listener for listener, is_flagged in rows if is_flagged}
    fraud = {u for u, k in kinds.items() if k in FRAUD}
    negatives = {u for u, k in kinds.items() if k not in FRAUD}
    assert len(flagged & fraud) / len(flagged) >= 0.95
    assert len(flagged & fraud) / len(fraud) >= 0.9
    assert len(flagged & negatives) / len(negatives) < 0.01
