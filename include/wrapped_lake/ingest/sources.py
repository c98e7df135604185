"""One descriptor per source of plays: how its rows are keyed, locked, loaded and written to Parquet."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """A source of plays, as stored in curated.plays.source."""

    name: str
    # Keyed and deduplicated in Arrow, then COPYed straight into curated.play_rows; otherwise
    # staged and merged in SQL (small files with fuzzy matching rules). INSERT ... SELECT from a
    # staging table costs ~3x more per row (measured), so the bulk sources go direct.
    direct: bool
    # Feed files hold thousands of listeners, one per row; an export file belongs to one listener.
    listener_per_row: bool
    # Second-precision sources tell plays apart by URI, video flag and reasons too; account data
    # has end minutes and names only.
    second_precision: bool
    # Extended history supersedes account-data plays it also holds.
    supersedes_account: bool
    # Curated Parquet by UTC day for everyone (thousands of simulated listeners would make
    # per-listener partitions tiny) instead of by listener and month.
    parquet_by_day: bool

    def lock(self, listener: str) -> str:
        """The advisory lock a load takes: merges of one listener's plays take turns, so each sees
        the other's committed keys; all feed loads share one lock, as each file spans thousands."""
        return f"plays:{self.name}" if self.listener_per_row else f"plays:{listener}"


EXTENDED = Source(
    "extended",
    direct=True,
    listener_per_row=False,
    second_precision=True,
    supersedes_account=True,
    parquet_by_day=False,
)
ACCOUNT = Source(
    "account",
    direct=False,
    listener_per_row=False,
    second_precision=False,
    supersedes_account=False,
    parquet_by_day=False,
)
FEED = Source(
    "feed", direct=True, listener_per_row=True, second_precision=True, supersedes_account=False, parquet_by_day=True
)
SOURCES = {source.name: source for source in (EXTENDED, ACCOUNT, FEED)}
