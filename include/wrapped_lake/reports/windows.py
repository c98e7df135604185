"""The two windows a Wrapped can be counted over: the calendar year, or Spotify's own rules; and
all time (every year, calendar rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

# Spotify's Wrapped period ends at a mid-November cut-off (UTC), measured on a dozen real exports:
# 2023 between Nov 12 21:37 and Nov 17 17:43, 2024 between Nov 12 09:48 and Nov 14 05:04, 2025
# between Nov 9 16:00 and Nov 9 23:50.
SPOTIFY_CUTOFFS: dict[int, datetime] = {
    2023: datetime(2023, 11, 13, tzinfo=UTC),
    2024: datetime(2024, 11, 13, tzinfo=UTC),
    2025: datetime(2025, 11, 9, 20, tzinfo=UTC),
}
DEFAULT_CUTOFF_DAY = (11, 13)  # a year without a measured cut-off
# Wrapped 2023 and 2024 bucket days (biggest day, streak) by UTC date; 2025 by the listener's date.
SPOTIFY_UTC_DAY_YEARS = frozenset({2023, 2024})
WINDOWS = ("calendar", "spotify")
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
_LATEST = datetime(9999, 12, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Window:
    """Bounds and counting rules, as the parameters every sql/reports/wrapped query takes."""

    name: str
    year: int | None  # None: all time
    date_from: date
    date_to: date
    utc_from: datetime
    utc_to: datetime
    spotify: bool
    utc_days: bool

    def params(self, listener: str) -> dict:
        return {
            "listener": listener,
            "year": self.year,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "utc_from": self.utc_from,
            "utc_to": self.utc_to,
            "spotify": self.spotify,
            "utc_days": self.utc_days,
        }


def period(year: int | None) -> str:
    """A report's year as people read it: "2024", or "of all time" for None."""
    return "of all time" if year is None else str(year)


def spotify_cutoff(year: int) -> datetime:
    return SPOTIFY_CUTOFFS.get(year) or datetime(year, *DEFAULT_CUTOFF_DAY, tzinfo=UTC)


def window(name: str, year: int | None) -> Window:
    """calendar: every play of the local year. spotify: Jan 1 00:00 UTC to the cut-off, music plays
    of 30 s or more and podcast plays of 60 s or more. year None: all time, calendar rules only
    (Spotify's rules are a yearly period)."""
    if year is None:
        if name != "calendar":
            raise ValueError("Spotify's rules count one year at a time; all time takes the calendar window")
        return Window(name, None, _EARLIEST.date(), _LATEST.date(), _EARLIEST, _LATEST, False, False)
    if name == "calendar":
        return Window(name, year, date(year, 1, 1), date(year, 12, 31), _EARLIEST, _LATEST, False, False)
    if name == "spotify":
        # Local dates of UTC Jan 1 can fall on Dec 31 in zones west of UTC: the UTC bounds decide.
        return Window(
            name,
            year,
            date(year, 1, 1) - timedelta(days=1),
            date(year, 12, 31),
            datetime(year, 1, 1, tzinfo=UTC),
            spotify_cutoff(year),
            True,
            year in SPOTIFY_UTC_DAY_YEARS,
        )
    raise ValueError(f"unknown window {name!r}; expected one of {', '.join(WINDOWS)}")
