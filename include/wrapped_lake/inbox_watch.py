"""Event-driven ingest: a trigger in Airflow's triggerer that watches the inbox for dropped files.

Imported by the ingest DAG file at parse time, so it imports nothing heavy at module level. It sits
beside assets.py rather than in ingest/: importing anything under ingest/ runs its __init__, which
loads the pipeline (about 1 s of pyarrow and psycopg imports) on every parse.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from airflow.triggers.base import BaseEventTrigger, TriggerEvent


class InboxTrigger(BaseEventTrigger):
    """Fires an event whenever a file the inbox did not hold at the last scan is ready to ingest.

    A scan is one directory walk (no database), so polling every two seconds costs the triggerer
    next to nothing, where a scheduled run per poll would start a task process each time.
    """

    def __init__(self, poll_seconds: float = 2.0) -> None:
        super().__init__()
        self.poll_seconds = poll_seconds

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {"poll_seconds": self.poll_seconds},
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        seen: frozenset[str] = frozenset()
        while True:
            ready = await asyncio.to_thread(ready_files)
            if ready - seen:
                yield TriggerEvent({"new_files": len(ready - seen)})
            seen = ready  # a file that leaves and comes back is new again
            await asyncio.sleep(self.poll_seconds)


def ready_files() -> frozenset[str]:
    """Paths of inbox files the ingest DAG would take now (stopped changing, not refused)."""
    from wrapped_lake.ingest import discover
    from wrapped_lake.platform.config import load_settings

    return frozenset(item.path for item in discover(load_settings()) if item.refused is None)
