"""ingest.files, the registry of every input file and ZIP entry: claims, verdicts and counts."""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg.types.json import Jsonb

from wrapped_lake.ingest.report import RowCounts, Status
from wrapped_lake.platform.db import query


def allocate_file_ids(conn: psycopg.Connection, count: int) -> list[int]:
    return [row[0] for row in conn.execute(query("ingest/allocate_file_ids"), {"count": count})]


def known_digests(conn: psycopg.Connection, listener: str) -> dict[str, str]:
    """Digests of files this listener already has, with their status (loaded or raw_only)."""
    return dict(conn.execute(query("ingest/known_digests"), {"listener": listener}).fetchall())


def status_of(conn: psycopg.Connection, listener: str, digest: str) -> Status | None:
    row = conn.execute(query("ingest/file_status"), {"listener": listener, "sha256": digest}).fetchone()
    return Status(row[0]) if row else None


def claim(
    conn: psycopg.Connection,
    *,
    file_id: int,
    listener: str,
    digest: str,
    name: str,
    container: str | None,
    size: int,
    kind: str,
    status: Status,
    raw_rel: str,
    error: str | None,
    started: datetime,
) -> bool:
    """Claim the file's registry row in the current transaction; False if another run has it.
    An earlier quarantine verdict on the same bytes gives way to this one, and a raw-only one to a load."""
    conn.execute(query("ingest/forget_quarantined"), {"listener": listener, "sha256": digest, "status": status.value})
    row = conn.execute(
        query("ingest/register_file"),
        {
            "file_id": file_id,
            "listener": listener,
            "sha256": digest,
            "name": name,
            "container_sha256": container,
            "size_bytes": size,
            "kind": kind,
            "status": status.value,
            "raw_path": raw_rel,
            "error": error,
            "started_at": started,
        },
    ).fetchone()
    return row is not None


def finish(conn: psycopg.Connection, file_id: int, rows: RowCounts, rejected: dict[str, int]) -> None:
    """Record a claimed file's row counts, in the transaction that loaded them."""
    conn.execute(
        query("ingest/finish_file"), {"file_id": file_id, "rejected_reasons": Jsonb(rejected), **rows.as_dict()}
    )
