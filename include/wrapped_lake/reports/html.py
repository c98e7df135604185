"""A Wrapped as one self-contained HTML page: story cards, inline CSS and SVG, nothing fetched.

The page is reports/templates/report.html.j2 with a partial per card (cards/); the UI's page extends it."""

from __future__ import annotations

from functools import cache

import jinja2
from markupsafe import Markup

from wrapped_lake.reports.record import BesideSpotify, Wrapped
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


def name_html(value) -> Markup:
    """The `name` filter: a name from the data as page text, escaped and isolated so that a
    right-to-left mark in it (an unterminated U+202E) cannot reorder the figures around it."""
    return Markup("<bdi>{}</bdi>").format(value)


def name_plain(value) -> str:
    """The `plain_name` filter, where markup is not allowed (a page title, a select's option): the
    name between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE (autoescaping escapes it)."""
    return f"\u2068{value}\u2069"


def whole(value: float) -> str:
    """The `whole` filter: 12,345."""
    return f"{value:,.0f}"


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
    environment.filters.update(name=name_html, plain_name=name_plain, whole=whole, period=period)
    environment.globals["letters"] = LETTERS
    return environment


@cache
def _report_templates() -> jinja2.Environment:
    return templates()


def render_html(report: Wrapped, window: str = "calendar", beside: list[BesideSpotify] | None = None) -> str:
    """The page; every name is escaped and isolated (exports hold quotes, tags, newlines and
    right-to-left marks in names)."""
    page = _report_templates().get_template("report.html.j2")
    return page.render(report=report, window=window, beside=beside)
