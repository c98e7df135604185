"""The marts after a database crash: Postgres empties UNLOGGED tables when it recovers from an
unclean stop, so a reader rebuilds them first instead of finding no listeners.

`python -m wrapped_lake.marts.recovery` does it for the lake of the environment (the local stack
runs it as it starts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import psycopg

from wrapped_lake.marts.build import CRASH_REBUILD, build, build_lock, marts_lost
from wrapped_lake.platform.config import Settings, load_settings
from wrapped_lake.platform.db import connect, query

log = logging.getLogger(__name__)


class MartsLost(RuntimeError):
    """A crash emptied the marts and this connection cannot rebuild them."""


def rebuild_if_lost(
    conn: psycopg.Connection, settings: Settings, progress: Callable[[str], None] | None = None
) -> bool:
    """Rebuild the marts (a full build, checked) if a crash emptied them; True when this call did.
    Call it on an autocommit connection (db.connect's) before reading the marts."""
    if not marts_lost(conn):
        return False
    if not conn.execute(query("marts/can_build")).fetchone()[0]:
        raise MartsLost(
            "a database crash emptied the Wrapped marts and this connection may not rebuild them: "
            "run `wrapped-lake build`"
        )
    with build_lock(conn):
        if not marts_lost(conn):
            return False  # another process rebuilt them while this one waited for the lock
        (progress or log.warning)(CRASH_REBUILD)
        build(conn, settings, full=True)
    return True


def main() -> None:
    """Rebuild the lake's marts if a crash emptied them, saying so on stdout."""
    settings = load_settings()
    with connect(settings) as conn:
        rebuild_if_lost(conn, settings, progress=print)


if __name__ == "__main__":
    main()
