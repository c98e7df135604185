"""The page's one rounding rule, its chart scales and its cards (the browser checks are in
test_page_in_chromium.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wrapped_lake.marts.build import build
from wrapped_lake.reports.html import counted, day, percent, scale, whole
from wrapped_lake.reports.publish import render


@pytest.mark.parametrize(
    ("minutes", "shown"), [(23.57, "24"), (23.5, "24"), (22.5, "23"), (1234.49, "1,234"), (0.0, "0")]
)
def test_minutes_are_whole_with_halves_rounded_up_as_the_json_rounds(minutes, shown):
    assert whole(minutes) == shown


def test_a_count_of_one_takes_the_singular():
    assert (counted(1, "stream"), counted(7, "stream"), counted(0, "song"), counted(1234, "artist")) == (
        "1 stream", "7 streams", "0 songs", "1,234 artists",
    )  # fmt: skip


def test_shares_are_whole_percents_and_dates_never_break():
    assert percent(0.6534) == "65%" and percent(0.005) == "1%"
    assert day(date(2024, 4, 2)) == '<time datetime="2024-04-02">2 Apr 2024</time>'


@pytest.mark.parametrize(
    ("values", "ticks"),
    [([81.67, 3], [0, 20, 40, 60, 80, 100]), ([56.74], [0, 20, 40, 60]), ([7960], [0, 2000, 4000, 6000, 8000]),
     ([0.0] * 12, [0, 1]), ([5.01], [0, 2, 4, 6])],
)  # fmt: skip
def test_a_chart_scale_is_round_ticks_from_zero_to_at_least_the_highest_value(values, ticks):
    assert scale(values) == ticks


def test_the_page_fetches_nothing_and_shows_no_card_without_its_data(lake, conn, plays_file):
    plays_file("solo", [{"ended_at": datetime(2024, 5, 1, 12, tzinfo=UTC), "ms": 1_414_200, "artist_name": "A",
                         "track_name": "T", "track_uri": "spotify:track:t"}])  # fmt: skip
    build(conn, lake)
    page = render(conn, "solo", 2024, "calendar", "html").decode()
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert 'id="top-podcasts"' not in page and 'id="genres"' not in page and 'id="spotify"' not in page
    assert "24 min" in page and "23.57" not in page  # 23.57 minutes, shown whole everywhere


def test_a_year_too_short_for_phases_says_so_and_an_insight_without_data_has_no_card(lake, conn, plays_file):
    plays_file("solo", [{"ended_at": datetime(2024, 5, 1, 12, tzinfo=UTC), "ms": 1_414_200, "artist_name": "A",
                         "track_name": "T", "track_uri": "spotify:track:t"}])  # fmt: skip
    build(conn, lake)
    page = render(conn, "solo", 2024, "calendar", "html").decode()
    assert "A year of 1 week: too short for phases" in page and 'class="band"' not in page
    assert 'id="trend"' in page and "1 week of listening: a change needs 24." in page
    assert 'id="forgotten-favourites"' not in page  # nothing streamed before the last 12 months
