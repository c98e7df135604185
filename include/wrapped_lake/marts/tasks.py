"""The build_wrapped DAG's task bodies (also usable from a shell): build, then reports."""

from __future__ import annotations

from wrapped_lake.platform import db
from wrapped_lake.platform.config import load_settings


def build_marts(*, full: bool = False) -> list[str]:
    """Build the marts; the DAG's SQL check operators run the checks afterwards."""
    from wrapped_lake.marts.build import build

    settings = load_settings()
    with db.connect(settings) as conn:
        result = build(conn, settings, full=full, check=False)
    print(result.as_dict())
    return result.listeners


def write_reports(changed: list[str], listener: str | None = None, year: int | None = None) -> list[str]:
    """Write the changed export listeners' pages, plus `listener`'s `year` when asked; returns the paths."""
    from wrapped_lake.reports.publish import write_changed_reports, write_html

    if (listener is None) != (year is None):
        raise ValueError("give both listener and year to write one report, or neither")
    settings = load_settings()
    with db.connect(settings) as conn:
        paths = write_changed_reports(conn, settings, changed)
        if listener is not None:
            paths.append(write_html(conn, settings, listener, int(year)))
    for path in paths:
        print(path)
    return [str(p) for p in paths]
