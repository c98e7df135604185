"""A Wrapped as a short terminal read."""

from __future__ import annotations

from wrapped_lake.analytics.codes import names_allowed
from wrapped_lake.reports.record import BesideSpotify, Wrapped
from wrapped_lake.reports.windows import period

BARS = " ▁▂▃▄▅▆▇█"


def _spark(values: tuple[float, ...]) -> str:
    top = max(values, default=0) or 1
    return "".join(BARS[round(v / top * (len(BARS) - 1))] for v in values)


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _shown(name: str) -> str:
    """A name from an export as one printable line: a newline or a terminal escape in it becomes a space."""
    return " ".join("".join(c if c.isprintable() else " " for c in name).split())


def render_text(report: Wrapped, window: str = "calendar", beside: list[BesideSpotify] | None = None) -> str:
    """The figures a listener cares about first, then the rest, in plain lines."""
    r = report
    lines = [
        f"{_shown(r.listener)}'s Wrapped {period(r.year)}" + (" (Spotify's rules)" if window == "spotify" else ""),
        f"  {_n(r.minutes_music)} minutes of music, {_n(r.minutes_podcast)} of podcasts",
        f"  {_n(r.streams)} streams of {_n(r.distinct_tracks)} tracks by {_n(r.distinct_artists)} artists",
    ]
    if r.percentile is not None:
        lines.append(f"  You listened more than {r.percentile:.0f}% of listeners this year.")
    if r.top_artists:
        lines.append("\nTop artists")
        lines += [
            f"  {i}. {_shown(a.name)}  ({_n(a.minutes)} min, {a.streams} streams)"
            for i, a in enumerate(r.top_artists, 1)
        ]
    if r.top_tracks:
        lines.append("\nTop songs")
        lines += [
            f"  {i}. {_shown(t.name)} - {_shown(t.artist)}  ({t.streams} streams, first played {t.first_played})"
            for i, t in enumerate(r.top_tracks, 1)
        ]
    if r.top_podcasts:
        top = r.top_podcasts[0]
        lines.append(f"\nTop podcast: {_shown(top.name)} ({_n(top.minutes)} min)")
    if r.biggest_day:
        lines.append(f"Biggest day: {r.biggest_day.date} ({_n(r.biggest_day.minutes)} min)")
    lines.append(f"Longest streak: {r.longest_streak_days} days in a row")
    if r.top_new_artist:
        lines.append(f"New artists: {r.new_artists}, most played: {_shown(r.top_new_artist.name)}")
    if r.top_genres:
        lines.append("Top genres: " + ", ".join(_shown(g.name) for g in r.top_genres))
    p = r.personality
    if p and p.code:
        lines.append(f"Listening personality: {p.name} ({p.code})")
    elif p:
        letters = "".join(a.letter or "?" for a in p.axes)
        allowed = names_allowed([a.letter for a in p.axes])
        lines.append(f"Listening personality: {letters}, one of {', '.join(allowed)}")
        lines.append("  (each ? needs a catalog of release years and popularity: wrapped-lake catalog load FILE.csv)")
    lines.append(f"\nMonths {_spark(r.monthly_minutes)}  (Jan..Dec)")
    lines.append(f"Clock  {_spark(r.listening_clock)}  (0h..23h)")
    if beside:
        lines += _beside_spotify(beside)
    return "\n".join(lines) + "\n"


def _beside_spotify(beside: list[BesideSpotify]) -> list[str]:
    """Each figure either side knows; a figure Spotify's file lacks is said to be missing, not None."""
    known = [row for row in beside if row.lake is not None or row.spotify is not None]
    if all(row.spotify is None for row in known):
        return ["\nSpotify's own Wrapped file holds none of the figures the lake compares with it."]
    lines = ["\nBeside Spotify's own Wrapped (the lake by Spotify's rules / Spotify):"]
    for row in known:
        lake = "none" if row.lake is None else _figure(row.lake)
        spotify = "not in Spotify's file" if row.spotify is None else _figure(row.spotify)
        lines.append(f"  {row.label}: {lake} / {spotify}")
    return lines


def _figure(value: object) -> str:
    """45.0 as 45, 23.57 as it is: a comparison needs the decimals that differ, not trailing zeros."""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return _shown(str(value))
