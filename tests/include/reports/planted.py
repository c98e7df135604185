"""A listener-year with every insight planted, for the pages and share images that show them."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta

from wrapped_lake import fixtures

PHASE_ARTISTS = (("A1", "A2", "A3"), ("B1", "B2", "B3"), ("C1", "C2", "C3"))
SHIFTS = (17, 35)  # the 2024 weeks that start the second and third phases


def planted_year() -> list[fixtures.Play]:
    """Three phases of 12 streams a week (two songs an artist), Z taking week 10 (an obsession), a
    binge of B1 on Aug 15 (an unusual day), and 12 favourites of 2022 never played since."""

    def play(ended: datetime, artist: str, track: str, ms: int = 180_000) -> fixtures.Play:
        return fixtures.Play(ended, ms, "music", artist, track, f"{artist} album",
                             f"spotify:track:{zlib.crc32(track.encode()):022d}")  # fmt: skip

    old = datetime(2022, 5, 2, 9, tzinfo=UTC)
    plays = [play(old + timedelta(days=n, minutes=i), f"Old {n}", f"Oldie {n}") for n in range(12) for i in range(6)]
    for week in range(52):
        monday = datetime(2024, 1, 1, 8, tzinfo=UTC) + timedelta(weeks=week)
        artists = PHASE_ARTISTS[sum(week >= shift for shift in SHIFTS)]
        mix = ["Z"] * 8 + [artists[0]] * 4 if week == 10 else [a for a in artists for _ in range(4)]
        for i, artist in enumerate(mix):
            ended = monday + timedelta(days=2 * (i % 3), hours=i)
            plays.append(play(ended, artist, f"{artist} song {i % 2}", 150_000 + (i % 5) * 20_000))
    binge = datetime(2024, 8, 15, 12, tzinfo=UTC)
    plays += [play(binge + timedelta(minutes=5 * i), "B1", "B1 song 0", 300_000) for i in range(30)]
    return sorted(plays, key=lambda p: p.ts)
