"""A Wrapped as one self-contained HTML page: story cards, inline CSS, nothing fetched.

The page is reports/templates/report.html.j2 with a partial per card (cards/); the UI's page and the
share images (reports/png.py) render the same partials. One rounding rule on every page: minutes
and counts whole (half up, as the JSON rounds), shares as whole percents, dates as <time>."""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import jinja2
from markupsafe import Markup

from wrapped_lake.analytics.codes import names_allowed
from wrapped_lake.reports.record import BesideSpotify, Personality, Wrapped
from wrapped_lake.reports.windows import period

# What each personality letter says about a listener (Spotify's four axes).
LETTERS = {
    "F": ("Familiarity", "you go back to the artists you love"),
    "E": ("Exploration", "you keep finding artists you never heard"),
    "T": ("Timelessness", "your music is not about what came out this year"),
    "N": ("Newness", "you are on this year's releases"),
    "L": ("Loyalty", "you play your favourite songs again and again"),
    "V": ("Variety", "you rarely play the same song twice"),
    "C": ("Commonality", "you share your taste with many"),
    "U": ("Uniqueness", "you listen to what few others play"),
}
# What an axis needs that an export lacks: a catalog gives it (wrapped-lake catalog load).
NEEDS = {"T/N": "each song's release year", "C/U": "each song's popularity"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HOURS = tuple(f"{hour:02}" for hour in range(24))


def name_html(value) -> Markup:
    """The `name` filter: a name from the data as page text, escaped and isolated so that a
    right-to-left mark in it (an unterminated U+202E) cannot reorder the figures around it."""
    return Markup("<bdi>{}</bdi>").format(value)


def name_plain(value) -> str:
    """The `plain_name` filter, where markup is not allowed (a page title, a select's option): the
    name between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE (autoescaping escapes it)."""
    return f"\u2068{value}\u2069"


def whole(value: float) -> str:
    """The `whole` filter: 12,345; halves round up, as the JSON's 2 decimals do (23.5 -> 24)."""
    return f"{Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP):,}"


def counted(value: float, noun: str) -> str:
    """The `counted` filter: a whole count and its noun, singular for one ("1 stream", "7 streams")."""
    shown = whole(value)
    return f"{shown} {noun}" if shown == "1" else f"{shown} {noun}s"


def percent(share: float) -> str:
    """The `percent` filter: a share 0..1 as a whole percent, 0.6534 -> 65%."""
    return f"{whole(share * 100)}%"


def day(value: date) -> Markup:
    """The `day` filter: 2 Apr 2024 in a <time> that never breaks across lines."""
    return Markup('<time datetime="{}">{} {}</time>').format(value.isoformat(), value.day, value.strftime("%b %Y"))


def figure(value) -> Markup | str:
    """The `figure` filter: one of Spotify's figures or the lake's, by the page's rules."""
    if isinstance(value, date):
        return day(value)
    return whole(value) if isinstance(value, float) else str(value)


def scale(values) -> list[int]:
    """A chart's axis in whole minutes: ticks from 0 a round step apart (1, 2 or 5 times a power of
    10), at most 5 steps, the last at or above the highest value."""
    top = max(values, default=0)
    step = next(m * 10**k for k in range(16) for m in (1, 2, 5) if top <= 5 * m * 10**k)
    return [step * i for i in range(max(1, math.ceil(top / step)) + 1)]


def candidates(personality: Personality) -> list[str]:
    """The personalities the known letters still allow, by name (all four known: the one)."""
    return names_allowed([axis.letter for axis in personality.axes])


def cards(report: Wrapped, beside: list[BesideSpotify] | None) -> list[str]:
    """The story cards this Wrapped has, in order: the page, the UI and the share images show these."""
    shown = {
        "minutes": True,
        "top_artists": report.top_artists,
        "top_tracks": report.top_tracks,
        "top_albums": report.top_albums,
        "top_podcasts": report.top_podcasts,
        "moments": True,
        "months": True,
        "clock": True,
        "genres": report.top_genres,
        "audio": report.audio_profile,
        "personality": report.personality,
        "spotify": beside and any(row.spotify is not None for row in beside),
    }
    return [f"cards/{card}.html.j2" for card, show in shown.items() if show]


def templates(*folders: str) -> jinja2.Environment:
    """Templates from these package folders, then the report's own, autoescaped, with the filters
    every page uses; every name from the data goes through `name` or `plain_name`."""
    loaders = [jinja2.PackageLoader("wrapped_lake", folder) for folder in (*folders, "reports/templates")]
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a misspelt field fails the page instead of vanishing from it
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        name=name_html,
        plain_name=name_plain,
        whole=whole,
        counted=counted,
        percent=percent,
        day=day,
        figure=figure,
        period=period,
    )
    environment.globals.update(
        letters=LETTERS, needs=NEEDS, months=MONTHS, hours=HOURS, scale=scale, candidates=candidates, cards=cards
    )
    return environment


@cache
def _report_templates() -> jinja2.Environment:
    return templates()


def render_html(report: Wrapped, window: str = "calendar", beside: list[BesideSpotify] | None = None) -> str:
    """The page; every name is escaped and isolated (exports hold quotes, tags, newlines and
    right-to-left marks in names)."""
    page = _report_templates().get_template("report.html.j2")
    return page.render(report=report, window=window, beside=beside)
