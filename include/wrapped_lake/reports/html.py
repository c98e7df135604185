"""A Wrapped as one self-contained HTML page: story cards, inline CSS, nothing fetched.

The page is reports/templates/report.html.j2 with a partial per card (cards/); the UI's page and the
share images (reports/png.py) render the same partials. One rounding rule on every page: minutes
and counts whole (half up, as the JSON rounds), shares as whole percents, dates as <time>. The
insight sections follow the Wrapped's cards, one partial each, and are story cards too: first the
year in music's extras (release years, genres by hour, the top artists' months, the calendar), then
how taste moved."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import jinja2
from markupsafe import Markup

from wrapped_lake.analytics.codes import names_allowed
from wrapped_lake.reports.record import BesideSpotify, Insights, Personality, WeekMinutes, Wrapped
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
SHOWN = 10  # rows of an insight list on the page; the rest are counted ("and 40 more")
TREND_WEEKS = 24  # the trend chart's bars: the last 12 weeks and the 12 they are compared with
HEAT_LEVELS = 4  # shades of a heatmap cell above 0 (the calendar, genres by hour)


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


def phase_weeks(insights: Insights) -> list[tuple[WeekMinutes, int]]:
    """The trend's weeks inside the phases, each with the number of its phase (1..3): the phase that
    holds the week's middle day (trend weeks count back from the last day, phases in Monday weeks)."""
    phases = insights.phases or ()
    weeks = insights.trend.weekly_minutes if insights.trend else ()
    return [
        (week, next(n for n, phase in enumerate(phases, 1) if middle <= phase.end))
        for week in weeks
        if phases and phases[0].start <= (middle := week.week + timedelta(days=3)) <= phases[-1].end
    ]


def heat(value: float, top: float) -> int:
    """The `heat` global: a heatmap cell's shade, 0 for nothing, else 1..HEAT_LEVELS by its share of
    the highest value (any value above 0 shows)."""
    return 0 if value <= 0 or top <= 0 else max(1, math.ceil(value / top * HEAT_LEVELS))


def calendar_months(insights: Insights, year: int) -> list[list[tuple[date, float]]]:
    """The calendar's days (insights.daily_minutes, Jan 1 first) as 12 months of (date, minutes)."""
    months: list[list[tuple[date, float]]] = [[] for _ in range(12)]
    for offset, minutes in enumerate(insights.daily_minutes or ()):
        day_of_year = date(year, 1, 1) + timedelta(days=offset)
        months[day_of_year.month - 1].append((day_of_year, minutes))
    return months


def cards(report: Wrapped, beside: list[BesideSpotify] | None) -> list[str]:
    """The story cards this Wrapped has, in order: the page, the UI and the share images show these;
    an insight the data cannot tell (null) has no card, one that found nothing says so."""
    insights = report.insights
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
        "release_years": insights.release_years,
        "top_artist_months": insights.top_artist_months,  # beside release years: two half cards, one row
        "genre_hours": insights.genre_hours,
        "calendar": insights.daily_minutes,
        "phases": insights.phases,
        "trend": insights.trend,
        "obsessions": insights.obsessions is not None,
        "unusual_days": insights.unusual_days is not None,
        "top_discoveries": insights.top_discoveries is not None,
        "forgotten_favourites": insights.forgotten_favourites is not None,
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
        letters=LETTERS,
        needs=NEEDS,
        months=MONTHS,
        hours=HOURS,
        shown=SHOWN,
        trend_weeks=TREND_WEEKS,
        heat=heat,
        calendar_months=calendar_months,
        scale=scale,
        candidates=candidates,
        cards=cards,
        phase_weeks=phase_weeks,
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
