"""Ingest, start to end: land the raw bytes, prepare, load in one transaction per file, keep the
curated Parquet zone in step after each commit, then let the inbox file go."""

from __future__ import annotations

import ctypes
import io
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from pathlib import Path

import psycopg

from wrapped_lake.ingest import registry
from wrapped_lake.ingest.discover import InboxFile, changed_recently, discover, release
from wrapped_lake.ingest.load import LoadResult, load_items, load_plays
from wrapped_lake.ingest.prepare import EntryJob, PreparedFile, prepare_ahead, prepare_file
from wrapped_lake.ingest.report import FileReport, RowCounts, Status
from wrapped_lake.platform import db, faults
from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.errors import DatabaseUnavailable, InputError
from wrapped_lake.readers import archive
from wrapped_lake.zones import parquet
from wrapped_lake.zones.quarantine import quarantine
from wrapped_lake.zones.raw import land, raw_path, sha256

SEEN_BEFORE = "these exact bytes were ingested before"
RAW_ONLY = "kept in the raw zone only (no curated table for this kind)"
WAITING = (
    "{reason}; it changed in the last few minutes and may still be being copied: left in the inbox for the next run"
)


def ingest(
    settings: Settings,
    paths: list[str] | None = None,
    listener: str | None = None,
    on_report: Callable[[FileReport], None] | None = None,
    on_start: Callable[[list[InboxFile]], None] | None = None,
    on_file_done: Callable[[InboxFile], None] | None = None,
) -> list[FileReport]:
    """Ingest the given paths (default: the inbox files that stopped changing), then publish
    changed curated partitions. A lost database connection raises DatabaseUnavailable naming the
    file; that file's transaction was rolled back and it is still where it was."""
    reports: list[FileReport] = []
    current = "(connecting)"
    try:
        with db.connect(settings) as conn:
            items = discover(settings, paths, listener)
            if on_start:
                on_start(items)
            for item in items:
                current = item.name
                for report in ingest_file(settings, item, conn):
                    reports.append(report)
                    if on_report:
                        on_report(report)
                if on_file_done:
                    on_file_done(item)
            current = "(publishing curated Parquet)"
            parquet.publish(conn, settings.curated)
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(current, str(exc).strip().splitlines()[0] if str(exc).strip() else "") from exc
    return reports


def ingest_file(settings: Settings, item: InboxFile, conn: psycopg.Connection | None = None) -> list[FileReport]:
    """Ingest one file (a ZIP gives one report per entry); removes it from the inbox when done.
    Without a connection (one Airflow mapped task) it opens its own."""
    if item.refused:
        return [FileReport(item.name, item.listener, Status.REFUSED, "link", reason=item.refused)]
    if conn is None:
        with db.connect(settings) as own:
            return ingest_file(settings, item, own)
    _keep_freed_memory()
    path = Path(item.path)
    try:
        data = _read(path, no_links=item.in_inbox)
    except FileNotFoundError:
        return []  # another ingest took it after we listed it
    except OSError:  # ELOOP: replaced by a link after it was listed
        return [FileReport(item.name, item.listener, Status.REFUSED, "link", reason=item.refused)]
    digest = sha256(data)
    raw_file = raw_path(settings.raw, digest, item.name, len(data))
    raw_rel = str(raw_file.relative_to(settings.root))
    raw_was_there = raw_file.exists()
    # The raw copy is written and fsynced on a thread while the first entry is parsed; nothing is
    # committed before it is durable (see _landed).
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="raw") as lander,
        parquet.FragmentWriter(settings) as fragments,
    ):
        landing = lander.submit(land, raw_file, data)
        run = _Run(conn, settings, item, fragments, landing)
        if data.startswith(archive.ZIP_MAGIC) or item.name.lower().endswith(".zip"):
            reports = run.zip(data, digest, raw_rel)
        else:
            known = registry.known_digests(conn, item.listener)
            (file_id,) = registry.allocate_file_ids(conn, 1)
            reports = [run.load(prepare_file(item.name, data, item.listener, raw_rel, known, file_id), whole=True)]
    _landed(landing)
    if any(r.status is Status.WAITING for r in reports):
        if not raw_was_there:  # bytes of a file still being copied are not worth keeping
            raw_file.unlink(missing_ok=True)
        return reports
    faults.checkpoint("before_release")
    if item.in_inbox:
        release(path, settings.inbox)
    return reports


def _read(path: Path, no_links: bool) -> bytes:
    """The file's bytes; an inbox file is opened without following a link put there since it was listed."""
    flags = os.O_RDONLY | (os.O_NOFOLLOW if no_links else 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


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


class _Run:
    """One inbox file on its way through: its connection, Parquet writer and raw copy."""

    def __init__(self, conn, settings: Settings, item: InboxFile, fragments, landing: Future) -> None:
        self.conn, self.settings, self.item, self.fragments, self.landing = conn, settings, item, fragments, landing
        self.listener = item.listener

    def zip(self, data: bytes, digest: str, raw_rel: str) -> list[FileReport]:
        conn, item = self.conn, self.item
        if registry.status_of(conn, self.listener, digest) is Status.LOADED:
            return [FileReport(item.name, self.listener, Status.DUPLICATE, "zip", reason=SEEN_BEFORE)]
        (zip_id,) = registry.allocate_file_ids(conn, 1)
        whole = PreparedFile(item.name, digest, len(data), raw_rel, zip_id, kind="zip")
        try:
            with archive.open_zip(io.BytesIO(data)) as zipped:
                entries = archive.checked_entries(zipped)
        except InputError as exc:
            whole.error, whole.data = exc, data
            return [self.load(whole, whole=True)]
        known = registry.known_digests(conn, self.listener)
        jobs, unreadable = self._entry_jobs(data, entries, raw_rel, digest)
        # Entries are read from these bytes in memory: the inbox file may be released by a
        # concurrent ingest, and the raw copy may still be being written.
        reports = [self.load(prepared) for prepared in unreadable]
        reports += [self.load(prepared) for prepared in prepare_ahead(jobs, self.listener, known, digest)]
        _landed(self.landing)
        with conn.transaction():
            if _claim(conn, self.listener, whole, Status.LOADED):
                registry.finish(conn, zip_id, sum((r.rows for r in reports), RowCounts()), {})
        return reports

    def _entry_jobs(
        self, data: bytes, entries: list[archive.Entry], raw_rel: str, digest: str
    ) -> tuple[list[EntryJob], list[PreparedFile]]:
        """One job per entry; a ZIP inside the ZIP (people zip the folder holding their ZIP) is
        opened and its entries take its place, one level deep."""
        jobs: list[EntryJob] = []
        failed: list[PreparedFile] = []
        ids = iter(registry.allocate_file_ids(self.conn, len(entries)))
        with archive.open_zip(io.BytesIO(data)) as zipped:
            for entry in entries:
                name, rel = f"{self.item.name}!/{entry.name}", f"{raw_rel}!/{entry.name}"
                if not entry.name.lower().endswith(".zip"):
                    jobs.append(EntryJob(data, entry, name, rel, next(ids)))
                    continue
                file_id = next(ids)
                try:
                    inner = archive.read_entry(zipped, entry)
                    with archive.open_zip(io.BytesIO(inner)) as inner_zip:
                        inner_entries = archive.checked_entries(inner_zip)
                except InputError as exc:
                    key = sha256(f"{digest}!/{name}#{entry.index}".encode())
                    failed.append(PreparedFile(name, key, entry.size, rel, file_id, digest, error=exc, kind="zip"))
                    continue
                inner_ids = registry.allocate_file_ids(self.conn, len(inner_entries))
                for inner_entry, inner_id in zip(inner_entries, inner_ids, strict=True):
                    jobs.append(
                        EntryJob(
                            inner,
                            inner_entry,
                            f"{name}!/{inner_entry.name}",
                            f"{rel}!/{inner_entry.name}",
                            inner_id,
                        )
                    )
        return jobs, failed

    def load(self, prepared: PreparedFile, whole: bool = False) -> FileReport:
        """One prepared file or ZIP entry: its verdict and rows in a single transaction, then its
        new plays to curated Parquet. A whole file that does not parse and changed recently waits."""
        conn, listener, name = self.conn, self.listener, prepared.name
        _landed(self.landing)
        if prepared.duplicate:
            return FileReport(name, listener, Status.DUPLICATE, prepared.kind, reason=SEEN_BEFORE)
        if prepared.error is not None:
            if whole and self.item.may_wait and changed_recently(Path(self.item.path)):
                reason = WAITING.format(reason=prepared.error.reason)
                return FileReport(name, listener, Status.WAITING, prepared.error.kind, reason=reason)
            return _quarantine(conn, self.settings, listener, prepared)
        status = Status.LOADED if prepared.batch is not None else Status.RAW_ONLY
        source = prepared.source
        with conn.transaction():
            if not _claim(conn, listener, prepared, status):
                reason = "these exact bytes were ingested by another run"
                return FileReport(name, listener, Status.DUPLICATE, prepared.kind, reason=reason)
            result = _load(conn, prepared, listener)
            appendable, dataset, owner = [], "plays", listener
            if result.inserted is not None and result.inserted.num_rows:
                # Written after the commit and only what was inserted; the partitions stay
                # marked dirty until then, so a crash in between is repaired by the next publish.
                if source.parquet_by_day:
                    dataset, owner = "feed_plays", parquet.FEED_LISTENER
                parts = parquet.partitions_of(dataset, result.inserted)
                appendable = parquet.mark_dirty(conn, dataset, owner, parts)
            for changed, months in result.changed.items():
                parquet.mark_dirty(conn, changed, listener, months)
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
        if result.plays:  # the BRIN ranges they filled, for the next build's window read
            conn.execute(db.query("curated/summarize_new_plays"))
        self.fragments.submit(dataset, owner, prepared.file_id, result.inserted, appendable)
        reason = None if status is Status.LOADED else RAW_ONLY
        return FileReport(name, listener, status, prepared.kind, rows, prepared.rejected, reason, plays=result.plays)


def _load(conn: psycopg.Connection, prepared: PreparedFile, listener: str) -> LoadResult:
    """Load the file's rows (and the feed's dimension rows) in the current transaction. The feed's
    interactions count as rows of the file like its plays; users and tracks are facts repeated
    on every event, not rows of their own."""
    batch = prepared.batch
    if batch is None:
        return LoadResult()
    if batch.dataset == "plays":
        result = load_plays(
            conn, batch, listener=listener, source=prepared.source, kind=prepared.kind, file_id=prepared.file_id
        )
        result.plays = result.loaded
    else:
        result = load_items(conn, batch, listener=listener, file_id=prepared.file_id)
    for extra in prepared.extras:
        loaded = load_items(conn, extra, listener=listener, file_id=prepared.file_id)
        if extra.dataset == "feed_interactions":
            result.loaded += loaded.loaded
            result.duplicate += loaded.duplicate
        for dataset, months in loaded.changed.items():
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
