"""What ingest tells its callers: one report per file or ZIP entry, and the counts they add up to."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum

import orjson


class Status(StrEnum):
    """The verdict on one input file or ZIP entry."""

    LOADED = "loaded"
    DUPLICATE = "duplicate"  # these exact bytes were ingested before
    RAW_ONLY = "raw_only"  # kept in the raw zone only (no curated table for this kind)
    QUARANTINED = "quarantined"
    # Not recorded in ingest.files: the file stays where it is.
    WAITING = "waiting"  # did not parse and changed recently: may still be being copied
    REFUSED = "refused"  # a symbolic link: never followed


@dataclass
class RowCounts:
    """Rows of one file (or many) by outcome; `read` is the sum of the others."""

    read: int = 0
    loaded: int = 0
    duplicate: int = 0
    overlap: int = 0  # account-data plays that extended history already has
    replaced: int = 0  # account-data plays that this extended-history file superseded
    rejected: int = 0

    def __add__(self, other: RowCounts) -> RowCounts:
        return RowCounts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class FileReport:
    """The outcome for one input file or ZIP entry, as printed by `wrapped-lake ingest`."""

    file: str
    listener: str
    status: Status
    kind: str
    rows: RowCounts = field(default_factory=RowCounts)
    rejected: dict[str, int] = field(default_factory=dict)  # rejected rows by reason
    reason: str | None = None
    plays: int = 0  # plays loaded (rows.loaded also counts library, playlist and feed interaction rows)

    def to_json(self) -> bytes:
        return orjson.dumps(asdict(self))


def summarize(reports: list[FileReport]) -> dict[str, int]:
    """Files by status and rows by outcome: the figures a run reports (XCom, asset metadata, CLI)."""
    statuses = Counter(report.status.value for report in reports)
    rows = sum((report.rows for report in reports), RowCounts())
    by_status = {f"files_{status.value}": statuses[status.value] for status in Status}
    return {"files": len(reports), **by_status, **rows.as_dict(), "plays": sum(r.plays for r in reports)}


def summary_line(reports: list[FileReport], seconds: float) -> str:
    """The run in one line for people: files by status, plays loaded, rows rejected, time taken."""
    figures = summarize(reports)
    statuses = ", ".join(f"{figures[f'files_{s}']} {s}" for s in Status if figures[f"files_{s}"])
    return (
        f"{figures['files']} files ({statuses or 'none'}), {figures['plays']:,} plays loaded, "
        f"{figures['rejected']:,} rows rejected, {seconds:.1f} s"
    )


def add_summaries(summaries: list[dict[str, int] | None]) -> dict[str, int]:
    """Several runs' (or mapped tasks') summaries as one; a task that failed for good gives None."""
    total: Counter[str] = Counter()
    for summary in summaries:
        total.update(summary or {})
    return dict(total)
