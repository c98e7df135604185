"""Settings read from the environment (see README: Configuration)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import available_timezones


@dataclass(frozen=True)
class Settings:
    """Where the lake lives, which Postgres it uses and how it buckets time."""

    root: Path
    database_url: str | None
    timezone: str

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def curated(self) -> Path:
        return self.root / "curated"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def pgdata(self) -> Path:
        return self.root / "pgdata"


def load_settings() -> Settings:
    """Read LAKE_ROOT, LAKE_DATABASE_URL and LAKE_TIMEZONE, applying the documented defaults."""
    timezone = os.environ.get("LAKE_TIMEZONE") or "UTC"
    if not is_zone(timezone):  # once, here: not as a traceback from deep inside a build or Postgres
        raise ValueError(f"LAKE_TIMEZONE={timezone!r} is not an IANA time zone name (e.g. UTC or Europe/Stockholm)")
    return Settings(
        root=Path(os.environ.get("LAKE_ROOT") or "lake").resolve(),
        database_url=os.environ.get("LAKE_DATABASE_URL") or None,
        timezone=timezone,
    )


def is_zone(name: str) -> bool:
    """Whether `name` is an IANA zone of the tz database: only those (not file names of the zone
    folder such as `posixrules`, which Python opens and Postgres refuses)."""
    return name in _zones()


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones()) - {"localtime", "Factory"}
