"""Listeners in the marts: who they are, their years, and their own time zones."""

from __future__ import annotations

import psycopg

from wrapped_lake.platform.config import is_zone
from wrapped_lake.platform.db import query


def set_timezone(conn: psycopg.Connection, listener: str, timezone: str) -> bool:
    """Keep `timezone` as the listener's zone; True when it changed (the next build rebuilds them)."""
    if not is_zone(timezone):
        raise ValueError(f"unknown time zone {timezone!r}; use an IANA name such as Europe/Stockholm")
    if not conn.execute(query("marts/zone_known"), {"timezone": timezone}).fetchone()[0]:
        raise ValueError(f"Postgres does not know the time zone {timezone!r}")
    if not conn.execute(query("marts/listener_known"), {"listener": listener}).fetchone()[0]:
        raise ValueError(f"unknown listener {listener!r} (wrapped-lake listeners lists them)")
    return conn.execute(query("marts/set_timezone"), {"listener": listener, "timezone": timezone}).rowcount > 0


def listeners(conn: psycopg.Connection) -> list[dict]:
    """Every listener with zone, source and per local year the music plays and minutes."""
    found: dict[str, dict] = {}
    for listener, timezone, source, year, plays, music, podcast in conn.execute(query("marts/listeners")):
        entry = found.setdefault(listener, {"listener": listener, "timezone": timezone, "source": source, "years": []})
        entry["years"].append(
            {"year": year, "music_plays": plays, "music_minutes": float(music), "podcast_minutes": float(podcast)}
        )
    return list(found.values())
