"""The build_wrapped DAG's build task body (also usable from a shell); the report task's is
reports.publish.write_reports."""

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
