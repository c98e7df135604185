"""Stream-farm detection against the simulator's truth: 1% fraudulent accounts among 600 listeners."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from wrapped_lake.cli import main
from wrapped_lake.ingest import ingest
from wrapped_lake.marts.build import build
from wrapped_lake.simulate import simulate
from wrapped_lake.simulate.bots import FRAUD, truth

USERS, DAYS, BOTS, SEED = 600, 3, 0.01, 5
START = dt.date(2026, 3, 2)


@pytest.fixture
def scored(lake, conn):
    simulate(USERS, DAYS, START, SEED, lake.inbox, bots=BOTS)
    ingest(lake)
    build(conn, lake)  # the scores read the per-account tables the build keeps
    kinds = dict(truth(USERS, BOTS, SEED))
    return kinds, conn.execute("SELECT listener, flagged FROM marts.anomaly_scores").fetchall()


@pytest.mark.slow
def test_detection_finds_the_farms_and_spares_the_heavy_listeners(scored):
    kinds, rows = scored
    flagged = {listener for listener, is_flagged in rows if is_flagged}
    fraud = {u for u, k in kinds.items() if k in FRAUD}
    negatives = {u for u, k in kinds.items() if k not in FRAUD}
    assert len(flagged & fraud) / len(flagged) >= 0.95
    assert len(flagged & fraud) / len(fraud) >= 0.9
    assert len(flagged & negatives) / len(negatives) < 0.01


def test_the_anomalies_command_lists_flagged_accounts_with_score_and_reasons(lake, conn, plays_file, capsys):
    start = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    plays_file("two_phones", [{"ended_at": start + dt.timedelta(minutes=2 * i + 3), "ms": 180_000,
                               "artist_name": "Pushed", "track_name": f"t{i}",
                               "track_uri": f"spotify:track:t{i}"} for i in range(30)],
               source="feed", kind="avro")  # fmt: skip
    conn.execute("INSERT INTO curated.feed_users (listener, file_id) VALUES ('two_phones', 0)")
    build(conn, lake)
    assert main(["anomalies", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["accounts"] == [
        {"listener": "two_phones", "score": 0.6, "reasons": ["100% of plays start before the previous one ended"]}
    ]
    assert found["artists"] == [{"artist": "Pushed", "streams": 30, "suspicious_streams": 30, "suspicious_share": 1.0}]
    assert main(["anomalies"]) == 0
    assert "two_phones  score 0.60: 100% of plays start before" in capsys.readouterr().out
