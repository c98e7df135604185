"""Personality axes: the formulas, null safety, and recovery of the simulator's personalities."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from simfeed import START

from wrapped_lake.analytics import codes
from wrapped_lake.analytics import personality as p
from wrapped_lake.simulate import realism

RECOVERY_DAYS = 60
AXES = (("exploration", "FE"), ("newness", "TN"), ("variety", "LV"), ("uniqueness", "CU"))


def test_one_artist_on_repeat_scores_near_zero_exploration() -> None:
    assert p.exploration(["a"] * 100) == pytest.approx(1 / 100**2)


def test_never_repeating_an_artist_scores_full_exploration() -> None:
    assert p.exploration(["a", "b", "c", "d"]) == 1.0


def test_newness_is_the_share_of_this_and_last_years_releases() -> None:
    assert p.newness([2024, 2023, 2010, 1999], 2024) == 0.5


def test_variety_is_distinct_tracks_over_streams() -> None:
    assert p.variety(["t1", "t1", "t2", "t3"]) == 0.75


def test_uniqueness_is_one_minus_mean_popularity() -> None:
    assert p.uniqueness([20, 40]) == pytest.approx(0.7)


def test_missing_release_years_leave_newness_and_code_null() -> None:
    streams = pd.DataFrame(
        {"artist": ["a", "b"], "track_id": ["t1", "t2"], "release_year": [None, None], "popularity": [10, 20]}
    )
    scores = p.scores_for(streams, 2024)
    assert scores.newness is None and scores.exploration == 1.0
    assert p.code_for(scores) is None


def test_a_missing_column_leaves_its_axis_null() -> None:
    scores = p.scores_for(pd.DataFrame({"artist": ["a"], "track_id": ["t"], "release_year": [2024]}), 2024)
    assert scores.uniqueness is None and scores.variety == 1.0


def test_no_streams_give_no_scores() -> None:
    scores = p.scores_for(pd.DataFrame(columns=["artist", "track_id", "release_year", "popularity"]), 2024)
    assert scores == p.AxisScores(None, None, None, None)


def test_code_letters_follow_the_thresholds() -> None:
    low = p.AxisScores(0.0, 0.0, 0.0, 0.0)
    high = p.AxisScores(p.EXPLORATION_THRESHOLD, p.NEWNESS_THRESHOLD, p.VARIETY_THRESHOLD, p.UNIQUENESS_THRESHOLD)
    assert p.code_for(low) == "FTLC" and p.code_for(high) == "ENVU"


def test_all_sixteen_codes_have_their_published_names() -> None:
    assert len(codes.NAMES) == 16 and codes.name_for("ENVU") == "Adventurer" and codes.name_for("FTLC") == "Connoisseur"
    assert {c[0] for c in codes.CODES} == set("FE") and {c[3] for c in codes.CODES} == set("CU")


def test_unknown_code_has_no_name() -> None:
    with pytest.raises(ValueError, match="XYZW"):
        codes.name_for("XYZW")


@pytest.fixture(scope="module")
def recovered(long_plays: pd.DataFrame) -> pd.DataFrame:
    """Scores and true code per simulated user with enough streams over 60 days (the Wrapped issue's test)."""
    # A user's first 60 days are the plays a 60-day simulation makes: the same 199 users and scores.
    end = int(dt.datetime.combine(START, dt.time(), dt.UTC).timestamp() * 1000) + RECOVERY_DAYS * 86_400_000
    result = realism.recovery(long_plays[long_plays["end"] < end], START.year)
    misses = result[result["code"] != result["true"]]
    print(
        f"recovered {1 - len(misses) / len(result):.1%} of {len(result)}; wrong axis: {realism.misses_by_axis(result)}"
    )
    print(misses[["true", "code", "exploration", "newness", "variety", "uniqueness"]].to_string())
    return result


def test_enough_simulated_users_have_enough_streams(recovered: pd.DataFrame) -> None:
    assert len(recovered) >= 150 and recovered["true"].nunique() >= 12


@pytest.mark.parametrize(("position", "axis"), list(enumerate(AXES)))
def test_each_axis_gives_its_letter_back(recovered: pd.DataFrame, position: int, axis: tuple[str, str]) -> None:
    name, letters = axis
    side = recovered["true"].str[position]
    assert ((recovered[name] >= getattr(p, f"{name.upper()}_THRESHOLD")) == (side == letters[1])).mean() >= 0.95


def test_most_simulated_users_get_their_personality_back(recovered: pd.DataFrame) -> None:
    assert (recovered["code"] == recovered["true"]).mean() >= 0.9


def test_scores_stay_in_human_range(recovered: pd.DataFrame) -> None:
    # Real maxima over 60 days: exploration 0.32, variety 0.84; no simulated listener goes beyond.
    assert recovered["exploration"].max() < 0.32 and recovered["variety"].max() < 0.84
