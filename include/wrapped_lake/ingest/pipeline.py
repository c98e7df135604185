"""Ingest, start to end: land the raw bytes, prepare, load in one transaction per file, keep the
curated Parquet zone in step, then let the inbox file go."""

from __future__ import annotations

import ctypes
import io
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from pathlib import Path

import psycopg

from wrapped_lake.ingest import registry
from wrapped_lake.ingest.discover import InboxFile, discover, release
from wrapped_lake.ingest.load import LoadResult, load_items, load_plays
from wrapped_lake.ingest.prepare import PreparedFile, prepare_ahead, prepare_file
from wrapped_lake.ingest.report import FileReport, RowCounts, Status
from wrapped_lake.platform import db, faults
from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.errors import InputError
from wrapped_lake.readers import archive
from wrapped_lake.zones import parquet
from wrapped_lake.zones.quarantine import quarantine
from wrapped_lake.zones.raw import land, raw_path, sha256

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
SEEN_BEFORE = "these exact bytes were ingested before"


def ingest(
    settings: Settings, paths: list[str] | None = None, listener: str | None = None, on_report=None
) -> list[FileReport]:
    """Ingest the given paths (default: the whole inbox), then publish changed curated partitions."""
    reports: list[FileReport] = []
    with db.connect(settings) as conn:
        for item in discover(settings, paths, listener):
            for report in ingest_file(settings, item, conn):
                reports.append(report)
                if on_report:
                    on_report(report)
        parquet.publish(conn, settings.curated)
    return reports


def ingest_file(settings: Settings, item: InboxFile, conn: psycopg.Connection | None = None) -> list[FileReport]:
    """Ingest one file (a ZIP gives one report per entry); removes it from the inbox when done.
    Without a connection (one Airflow mapped task) it opens its own."""
    if conn is None:
        with db.connect(settings) as own:
            return ingest_file(settings, item, own)
    _keep_freed_memory()
    path = Path(item.path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []  # another ingest took it after we listed it
    digest = sha256(data)
    raw_rel = str(raw_path(settings.raw, digest, item.name, len(data)).relative_to(settings.root))
    # The raw copy is written and fsynced on a thread while the first entry is parsed; nothing is
    # committed before it is durable (see _landed).
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="raw") as lander,
        parquet.FragmentWriter(settings) as fragments,
    ):
        landing = lander.submit(land, settings.root / raw_rel, data)
        if data.startswith(ZIP_MAGIC) or item.name.lower().endswith(".zip"):
            reports = _ingest_zip(conn, settings, item, data, digest, raw_rel, landing, fragments)
        else:
            known = registry.known_digests(conn, item.listener)
            (file_id,) = registry.allocate_file_ids(conn, 1)
            prepared = prepare_file(item.name, data, item.listener, raw_rel, known, file_id)
            _landed(landing)
            reports = [_load_prepared(conn, settings, item.listener, prepared, fragments)]
    _landed(landing)
    faults.checkpoint("before_release")
    if item.in_inbox:
        release(path, settings.inbox)
    return reports


@cache
def _keep_freed_memory() -> None:
    """Have glibc keep freed memory for reuse. By default it hands blocks of a few MB (an entry's
    bytes, its encoded rows) back to the kernel as soon as they are freed, and the next entry
    faults them in again: per million plays 640,000 page faults instead of 100,000, and ~1 s more
    system CPU (measured)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return  # not glibc: nothing to tune
    libc.mallopt(-3, 64 << 20)  # M_MMAP_THRESHOLD: only blocks over 64 MB get their own mapping
    libc.mallopt(-1, 128 << 20)  # M_TRIM_THRESHOLD: give memory back once 128 MB are free


def _landed(landing: Future) -> None:
    """Wait until the raw copy is durable (raising its error, if any)."""
    landing.result()
    faults.checkpoint("after_raw")


def _ingest_zip(
    conn: psycopg.Connection,
    settings: Settings,
    item: InboxFile,
    data: bytes,
    digest: str,
    raw_rel: str,
    landing: Future,
    fragments: parquet.FragmentWriter,
) -> list[FileReport]:
    if registry.status_of(conn, item.listener, digest) is Status.LOADED:
        return [FileReport(item.name, item.listener, Status.DUPLICATE, "zip", reason=SEEN_BEFORE)]
    (zip_id,) = registry.allocate_file_ids(conn, 1)
    whole = PreparedFile(item.name, digest, len(data), raw_rel, zip_id, kind="zip")
    try:
        with archive.open_zip(io.BytesIO(data)) as zipped:
            entries = archive.checked_entries(zipped)
    except InputError as exc:
        whole.error, whole.data = exc, data
        _landed(landing)
        return [_load_prepared(conn, settings, item.listener, whole, fragments)]
    known = registry.known_digests(conn, item.listener)
    ids = registry.allocate_file_ids(conn, len(entries))
    # Entries are read from these bytes in memory: the inbox file may be released by a
    # concurrent ingest, and the raw copy may still be being written.
    jobs = [
        (data, entry, item.name, item.listener, raw_rel, known, digest, file_id)
        for entry, file_id in zip(entries, ids, strict=True)
    ]
    reports = []
    for prepared in prepare_ahead(jobs):
        _landed(landing)
        reports.append(_load_prepared(conn, settings, item.listener, prepared, fragments))
    _landed(landing)
    with conn.transaction():
        if _claim(conn, item.listener, whole, Status.LOADED):
            registry.finish(conn, zip_id, sum((r.rows for r in reports), RowCounts()), {})
    return reports


def _load_prepared(
    conn: psycopg.Connection, settings: Settings, listener: str, prepared: PreparedFile, fragments
) -> FileReport:
    """One prepared file or ZIP entry: its verdict and rows in a single transaction."""
    name = prepared.name
    if prepared.duplicate:
        return FileReport(name, listener, Status.DUPLICATE, "file", reason=SEEN_BEFORE)
    if prepared.error is not None:
        return _quarantine(conn, settings, listener, prepared)
    status = Status.LOADED if prepared.batch is not None else Status.RAW_ONLY
    source = prepared.source
    if source is not None and source.parquet_by_day:
        # Written before the commit and named by content, so a crash or rerun rewrites the same
        # files; after the commit a crash would leave the rows in Postgres only.
        parquet.write_feed_plays(settings.curated, prepared.digest, prepared.batch.table)
    with conn.transaction():
        if not _claim(conn, listener, prepared, status):
            reason = "these exact bytes were ingested by another run"
            return FileReport(name, listener, Status.DUPLICATE, prepared.kind, reason=reason)
        result = _load(conn, prepared, listener)
        appendable = []
        if result.inserted is not None and not source.parquet_by_day:
            months = parquet.months_of(result.inserted["ended_at"])
            appendable = parquet.mark_dirty(conn, "plays", listener, months)
        for dataset, months in result.changed.items():
            parquet.mark_dirty(conn, dataset, listener, months)
        rows = RowCounts(
            read=prepared.rows_read,
            loaded=result.loaded,
            duplicate=result.duplicate,
            overlap=result.overlap,
            replaced=result.replaced,
            rejected=sum(prepared.rejected.values()),
        )
        registry.finish(conn, prepared.file_id, rows, prepared.rejected)
        faults.checkpoint("before_commit")
    fragments.submit(listener, prepared.file_id, result.inserted, appendable)
    reason = None if status is Status.LOADED else "kept in the raw zone only (no curated table for this kind)"
    return FileReport(name, listener, status, prepared.kind, rows, prepared.rejected, reason)


def _load(conn: psycopg.Connection, prepared: PreparedFile, listener: str) -> LoadResult:
    """Load the file's rows (and the feed's dimension rows) in the current transaction."""
    batch = prepared.batch
    if batch is None:
        return LoadResult()
    if batch.dataset == "plays":
        result = load_plays(
            conn, batch, listener=listener, source=prepared.source, kind=prepared.kind, file_id=prepared.file_id
        )
    else:
        result = load_items(conn, batch, listener=listener, file_id=prepared.file_id)
    for extra in prepared.extras:
        for dataset, months in load_items(conn, extra, listener=listener, file_id=prepared.file_id).changed.items():
            result.changed_in(dataset, months)
    return result


def _claim(conn: psycopg.Connection, listener: str, prepared: PreparedFile, status: Status) -> bool:
    return registry.claim(
        conn,
        file_id=prepared.file_id,
        listener=listener,
        digest=prepared.digest,
        name=prepared.name,
        container=prepared.container,
        size=prepared.size,
        kind=prepared.kind,
        status=status,
        raw_rel=prepared.raw_rel,
        error=prepared.error.reason if prepared.error else None,
        started=prepared.started,
    )


def _quarantine(conn: psycopg.Connection, settings: Settings, listener: str, prepared: PreparedFile) -> FileReport:
    exc = prepared.error
    quarantine(
        settings.quarantine,
        listener,
        prepared.name,
        prepared.data,
        reason=exc.reason,
        digest=prepared.digest,
        kind=exc.kind,
        entry=exc.entry,
    )
    prepared.kind = exc.kind
    with conn.transaction():
        _claim(conn, listener, prepared, Status.QUARANTINED)
    return FileReport(prepared.name, listener, Status.QUARANTINED, exc.kind, reason=exc.reason)
