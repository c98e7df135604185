"""`wrapped --format png`: the story cards as 1080x1920 images, one per card of the report."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

from wrapped_lake.cli import main
from wrapped_lake.marts.build import build
from wrapped_lake.reports.html import cards
from wrapped_lake.reports.png import STORY_CSS, Chromium, story_page
from wrapped_lake.reports.wrapped import wrapped

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _listener(plays_file) -> None:
    start = datetime(2024, 3, 1, 8, tzinfo=UTC)
    songs = [
        {"ended_at": start + timedelta(hours=7 * i), "ms": 200_000, "artist_name": f"Artist {i % 6}",
         "album_name": f"Album {i % 4}", "track_name": f"Song {i % 11}", "track_uri": f"spotify:track:{i % 11}"}
        for i in range(120)
    ]  # fmt: skip
    shows = [{"ended_at": start + timedelta(days=i), "ms": 1_800_000, "show_name": f"Show {i % 3}"} for i in range(9)]
    plays_file("sam", songs + shows)


def test_png_writes_one_1080x1920_image_per_card_into_the_folder(lake, conn, plays_file, tmp_path, capsys, chromium):
    _listener(plays_file)
    build(conn, lake)

    assert (
        main(["wrapped", "--listener", "sam", "--year", "2024", "--format", "png", "--out", str(tmp_path / "cards")])
        == 0
    )

    written = capsys.readouterr().out.split()
    expected = [
        card.removeprefix("cards/").removesuffix(".html.j2").replace("_", "-")
        for card in cards(wrapped(conn, "sam", 2024), None)
    ]
    assert [name.split("/")[-1][3:-4] for name in written] == expected
    for name in written:
        data = Path(name).read_bytes()
        assert data[:8] == PNG_SIGNATURE and struct.unpack(">II", data[16:24]) == (1080, 1920)


def test_every_card_fits_its_story_and_nothing_is_clipped(lake, conn, plays_file, tmp_path, chromium):
    _listener(plays_file)
    build(conn, lake)
    page = tmp_path / "story.html"
    page.write_text(story_page(wrapped(conn, "sam", 2024), "calendar", None), encoding="utf-8")

    with Chromium() as browser:
        browser.open(page, *STORY_CSS)
        overflowing = browser.evaluate(
            "[...document.querySelectorAll('.story')]"
            ".filter(s => s.scrollHeight > s.clientHeight).map(s => s.innerText)"
        )
        clipped = browser.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => getComputedStyle(e).display !== 'inline'"
            " && e.scrollWidth > e.clientWidth + 1).map(e => e.outerHTML.slice(0, 120))"
        )
        assert overflowing == [] and clipped == [] and browser.errors == []
