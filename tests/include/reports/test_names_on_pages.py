"""Names with right-to-left marks cannot reorder the figures around them, on any page or in text."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

from wrapped_lake.marts.build import build
from wrapped_lake.reports.publish import render
from wrapped_lake.ui.app import render_page

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE, left unterminated: "5 streams · 15 min" would read "nim 51 · smaerts 5"
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


class _Unisolated(HTMLParser):
    """Text holding a bidi control outside any <bdi> (markup-free places: outside FSI...PDI)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("meta", "br", "rect", "input"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data):
        if "bdi" in self.open:
            return
        if BIDI_CONTROLS & set(re.sub("\u2068[^\u2069]*\u2069", "", data)):
            self.found.append(data)


def _unisolated(page: str) -> list[str]:
    parser = _Unisolated()
    parser.feed(page)
    return parser.found


def _hostile_listener(plays_file) -> str:
    listener = f"eve{RLO}"
    plays_file(
        listener,
        [
            {
                "ended_at": datetime(2024, 5, 1, 12, i, tzinfo=UTC),
                "ms": 900_000,
                "artist_name": f"Art{RLO}ist",
                "album_name": f"Al{RLO}bum",
                "track_name": f"Tr{RLO}ack {i % 2}",
                "track_uri": f"spotify:track:{i % 2}",
            }
            for i in range(5)
        ],
    )
    return listener


def test_every_name_on_the_report_is_isolated(lake, conn, plays_file):
    listener = _hostile_listener(plays_file)
    build(conn, lake)
    page = render(conn, listener, 2024, "calendar", "html").decode()
    assert f"<bdi>Art{RLO}ist</bdi>" in page and f"<bdi>Tr{RLO}ack 0</bdi>" in page
    assert _unisolated(page) == []


def test_every_name_on_the_ui_page_is_isolated(lake, conn, plays_file):
    listener = _hostile_listener(plays_file)
    build(conn, lake)
    page = render_page(listener, 2024, "calendar")
    assert f"\u2068eve{RLO}\u2069" in page
    assert _unisolated(page) == []


def test_text_output_neutralises_control_characters(lake, conn, plays_file):
    listener = _hostile_listener(plays_file)
    build(conn, lake)
    text = render(conn, listener, 2024, "calendar", "text").decode()
    assert "Art ist" in text and not BIDI_CONTROLS & set(text)


def test_markup_in_names_is_text_on_the_report_and_the_ui_page(lake, conn, plays_file):
    listener, artist = "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'
    plays_file(listener, [{"ended_at": datetime(2024, 5, 1, 12, tzinfo=UTC), "ms": 90_000, "artist_name": artist,
                           "track_name": "T", "track_uri": "spotify:track:t"}])  # fmt: skip
    build(conn, lake)
    for page in (render(conn, listener, 2024, "calendar", "html").decode(), render_page(listener, 2024, "calendar")):
        assert "<script" not in page and "<img" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
