"""Two listeners compared (ListenBrainz's compatibility): the score, the artists both have in their
top 50 and the tracks each missed, read from the compare models (sql/models/marts/compare/).

The period is the calendar year in each listener's own zone (their local dates), or all time."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache

import jinja2
import orjson
import psycopg

from wrapped_lake.platform.db import query
from wrapped_lake.reports.html import templates
from wrapped_lake.reports.record import InsightTrack
from wrapped_lake.reports.windows import period, window
from wrapped_lake.reports.wrapped import ReportError

TEXT_TRACKS = 5  # the text summary shows the first few missed tracks; the JSON has them all


@dataclass(frozen=True)
class Comparison:
    a: str
    b: str
    year: int | None  # None: all time
    score: int | None  # null when either listener has under 50 streams in the period
    shared_artists: tuple[str, ...]
    missed_by_a: tuple[InsightTrack, ...]  # what b streamed that a never did
    missed_by_b: tuple[InsightTrack, ...]

    def as_dict(self) -> dict:
        """The JSON object; all time's year is "all", as in the Wrapped."""
        return asdict(self) | {"year": "all" if self.year is None else self.year}


def compare(conn: psycopg.Connection, a: str, b: str, year: int | None) -> Comparison:
    """`a` and `b` compared over `year` (None: all time); ReportError for an unknown listener or a
    year in which either has no plays."""
    for listener in (a, b):
        found = conn.execute(query("reports/wrapped/listener"), {"listener": listener}).fetchone()
        if found is None:
            raise ReportError(
                f"unknown listener {listener!r} (wrapped-lake listeners lists them; run wrapped-lake build?)"
            )
        years = found[1]
        if year is not None and year not in years:
            span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
            raise ReportError(f"{listener} has no plays in {year}; years with plays: {span}")
    bounds = window("calendar", year)
    params = {"a": a, "b": b, "date_from": bounds.date_from, "date_to": bounds.date_to}
    score, shared, missed_by_a, missed_by_b = conn.execute(query("reports/compare/compare"), params).fetchone()
    return Comparison(a, b, year, score, tuple(shared), _tracks(missed_by_a), _tracks(missed_by_b))


def _tracks(rows: list[list]) -> tuple[InsightTrack, ...]:
    return tuple(InsightTrack(name, artist, uri, streams) for name, artist, uri, streams in rows)


def to_json(comparison: Comparison) -> bytes:
    """Stable bytes, serialised as the Wrapped's JSON (reports/wrapped.py to_json)."""
    return orjson.dumps(comparison.as_dict(), option=orjson.OPT_INDENT_2) + b"\n"


def to_text(comparison: Comparison) -> bytes:
    """A short terminal summary: the score, the shared artists, the first tracks each missed."""
    c = comparison
    score = "not enough streams (under 50 for one of them)" if c.score is None else f"{c.score}/100"
    lines = [f"{c.a} and {c.b}, {period(c.year)}: compatibility {score}"]
    lines.append(f"Shared top artists ({len(c.shared_artists)}): {', '.join(c.shared_artists) or 'none'}")
    for who, other, missed in ((c.a, c.b, c.missed_by_a), (c.b, c.a, c.missed_by_b)):
        lines.append(f"Missed by {who} ({len(missed)} tracks {other} streams):")
        lines.extend(f"  {t.name} - {t.artist} ({t.streams} streams)" for t in missed[:TEXT_TRACKS])
    return ("\n".join(lines) + "\n").encode()


@cache
def _templates() -> jinja2.Environment:
    return templates()


def to_html(comparison: Comparison) -> bytes:
    """One self-contained page in the report's look (templates/compare.html.j2): the score, the shared
    artists, every track each missed; each name escaped and isolated, as on the Wrapped page."""
    return _templates().get_template("compare.html.j2").render(comparison=comparison).encode()
