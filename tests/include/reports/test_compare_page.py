"""The comparison as a page: `wrapped-lake compare --format html` and the UI's compare view show the
score, the shared artists and every track each missed, each name escaped and isolated."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import HTTPException
from markupsafe import escape
from test_names_on_pages import RLO, _unisolated

from wrapped_lake.cli import main
from wrapped_lake.marts.build import build
from wrapped_lake.reports.compare import compare, to_html
from wrapped_lake.ui.app import render_compare

START = datetime(2024, 3, 1, 12, tzinfo=UTC)


def listen(plays_file, listener: str, counts: dict[tuple[str, str], int], start: datetime = START) -> None:
    plays = [(artist, track) for (artist, track), n in counts.items() for _ in range(n)]
    plays_file(listener, [{"ended_at": start + timedelta(minutes=5 * i), "ms": 180_000, "artist_name": artist,
                           "track_name": track, "track_uri": f"spotify:track:{artist}{track}".replace(" ", "")}
                          for i, (artist, track) in enumerate(plays)])  # fmt: skip


# Ann and Bob share Ana's A1; Bob missed 13 of Ann's tracks (two per artist: A2 is Ana's second).
ANN = {("Ana", "A1"): 30, ("Ana", "A2"): 20} | {(f"Art {i}", f"T{i}"): 3 for i in range(12)}
BOB = {("Ana", "A1"): 30, ("Cy", "C1"): 25}


@pytest.fixture
def built(lake, conn, plays_file):
    listen(plays_file, "ann", ANN)
    listen(plays_file, "bob", BOB)
    listen(plays_file, "bob", {("Cy", "C2"): 4}, START.replace(year=2023))
    build(conn, lake)
    return conn


def _items(page: str, section: str) -> list[str]:
    """The names (<b>) listed in a section of the page, folded-away ones included."""
    body = re.search(rf'<section[^>]*id="{section}".*?</section>', page, re.S).group(0)
    return re.findall(r"<li><b><bdi>(.*?)</bdi></b>", body)


def test_the_page_shows_the_score_the_shared_artists_and_every_missed_track(built):
    comparison = compare(built, "ann", "bob", 2024)
    page = to_html(comparison).decode()

    assert comparison.score is not None and 0 < comparison.score < 100
    assert f'<div class="big">{comparison.score}<' in page
    assert _items(page, "shared-artists") == list(comparison.shared_artists) == ["Ana"]
    assert _items(page, "missed-by-a") == [t.name for t in comparison.missed_by_a] == ["C1"]
    assert _items(page, "missed-by-b") == [t.name for t in comparison.missed_by_b]
    assert len(comparison.missed_by_b) == 13  # ten shown, three folded away below them
    assert "and 3 more songs</summary>" in page and '<ol start="11">' in page
    assert "25 streams by <bdi>bob</bdi>" in page


def test_under_50_streams_the_page_says_there_is_no_score(lake, conn, plays_file):
    listen(plays_file, "ann", ANN)
    listen(plays_file, "cat", {("Ana", "A1"): 10})
    build(conn, lake)
    page = to_html(compare(conn, "ann", "cat", None)).decode()
    assert "Not enough streams to compare" in page and "/100<" not in page


def test_every_name_on_the_page_is_escaped_and_isolated(lake, conn, plays_file):
    eve, artist = f"eve{RLO}", '"><img src=x onerror=alert(1)>'
    listen(plays_file, eve, {(artist, f"Tr{RLO}ack"): 60})
    listen(plays_file, "<script>bob</script>", {(artist, "Other"): 60})
    build(conn, lake)

    for page in (to_html(compare(conn, eve, "<script>bob</script>", None)).decode(),
                 render_compare(eve, "<script>bob</script>", None)):  # fmt: skip
        assert "<script>" not in page and "<img" not in page
        assert f"<bdi>{escape(artist)}</bdi>" in page and f"<bdi>Tr{RLO}ack</bdi>" in page
        assert _unisolated(page) == []
    assert f'<option value="eve{RLO}" selected>\u2068eve{RLO}\u2069</option>' in page


def test_the_command_writes_the_page(built, tmp_path):
    out = tmp_path / "ann-bob.html"
    assert main(["compare", "ann", "bob", "--year", "2024", "--format", "html", "--out", str(out)]) == 0
    assert out.read_bytes() == to_html(compare(built, "ann", "bob", 2024))


def test_the_ui_view_offers_the_years_both_have_plays_in_and_all_time(built):
    page = render_compare("ann", "bob", None)

    year_select = re.search(r'<select name="year">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="(\w+)"', year_select) == ["2024", "all"]  # bob's 2023 is not ann's
    assert '<option value="all" selected>' in page and 'aria-current="page">Compare' in page
    assert _items(page, "missed-by-b") == [t.name for t in compare(built, "ann", "bob", None).missed_by_b]
    assert render_compare(None, None, None) == render_compare("ann", "bob", "all")  # the first two, all time


@pytest.mark.parametrize(("a", "b", "year"), [("ann", "dan", None), ("ann", "bob", "2023"), ("ann", "bob", "x")])
def test_the_ui_view_refuses_a_listener_or_year_it_does_not_offer(built, a, b, year):
    with pytest.raises(HTTPException) as refused:
        render_compare(a, b, year)
    assert refused.value.status_code == 400
