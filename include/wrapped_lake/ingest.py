"""Ingest inbox files: land raw bytes, parse, merge into Postgres, then let the file go."""

from __future__ import annotations

import ctypes
import io
import time
from collections import Counter, deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import orjson
import psycopg
from psycopg.types.json import Jsonb

from wrapped_lake import archive, curated, db, faults, feed
from wrapped_lake.config import Settings
from wrapped_lake.db import query
from wrapped_lake.errors import InputError
from wrapped_lake.exports import read_export
from wrapped_lake.loader import MergeCounts, Staged, merge_items, merge_plays, stage
from wrapped_lake.quarantine import quarantine
from wrapped_lake.rawzone import land, raw_path, sha256

DEFAULT_LISTENER = "default"
PARTIAL_SUFFIXES = (".part", ".crdownload", ".download", ".tmp", ".partial")
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
AVRO_MAGIC = b"Obj\x01"


@dataclass(frozen=True)
class InboxFile:
    """A file to ingest and whose plays it holds."""

    path: str
    listener: str
    name: str
    in_inbox: bool


@dataclass
class FileReport:
    """The outcome for one input file or ZIP entry, as printed by `wrapped-lake ingest`."""

    file: str
    listener: str
    status: str  # loaded, duplicate, quarantined, raw_only
    kind: str
    rows: dict = field(default_factory=dict)
    rejected: dict = field(default_factory=dict)
    reason: str | None = None

    def to_json(self) -> bytes:
        return orjson.dumps(asdict(self))


def discover(
    settings: Settings, paths: list[str] | None = None, listener: str | None = None, min_age_seconds: float = 0.0
) -> list[InboxFile]:
    """Files to ingest: the given paths (files or folders) or the whole inbox, in natural name order."""
    if not paths:
        settings.inbox.mkdir(parents=True, exist_ok=True)
    roots = [Path(p).resolve() for p in paths] if paths else [settings.inbox]
    now = time.time()
    found: dict[Path, InboxFile] = {}
    for root in roots:
        if not root.exists():
            raise FileNotFoundError(f"{root}: no such file or folder")
        candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in candidates:
            if _skip(path, now, min_age_seconds):
                continue
            found[path] = _locate(settings, path, listener, root)
    return sorted(found.values(), key=lambda f: archive.natural_key(f.path))


def _skip(path: Path, now: float, min_age_seconds: float) -> bool:
    """Hidden files, half-downloaded files and files still being written wait for a later run."""
    if path.name.startswith(".") or path.name.lower().endswith(PARTIAL_SUFFIXES):
        return True
    try:
        return now - path.stat().st_mtime < min_age_seconds
    except FileNotFoundError:
        return True


def _locate(settings: Settings, path: Path, listener: str | None, root: Path) -> InboxFile:
    try:
        relative = path.relative_to(settings.inbox)
    except ValueError:
        name = str(path.relative_to(root)) if root.is_dir() else path.name
        return InboxFile(str(path), listener or DEFAULT_LISTENER, name, in_inbox=False)
    if len(relative.parts) > 1:
        owner, name = relative.parts[0], str(Path(*relative.parts[1:]))
    else:
        owner, name = DEFAULT_LISTENER, relative.name
    return InboxFile(str(path), listener or owner, name, in_inbox=True)


def ingest_file(conn: psycopg.Connection, settings: Settings, item: InboxFile) -> list[FileReport]:
    """Ingest one file (a ZIP gives one report per entry); removes it from the inbox when done."""
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
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="raw") as lander, FragmentWriter(settings) as fragments:
        landing = lander.submit(land, settings.root / raw_rel, data)
        if data.startswith(ZIP_MAGIC) or item.name.lower().endswith(".zip"):
            reports = _ingest_zip(conn, settings, item, data, digest, raw_rel, landing, fragments)
        else:
            known = _known_digests(conn, item.listener)
            (file_id,) = _allocate_file_ids(conn, 1)
            prepared = prepare_member(item.name, data, item.listener, raw_rel, known, file_id)
            _landed(landing)
            reports = [_merge_member(conn, settings, item.listener, prepared, fragments)]
    _landed(landing)
    faults.checkpoint("before_release")
    if item.in_inbox:
        _release(path, settings.inbox)
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


def _release(path: Path, inbox: Path) -> None:
    """The file is durable in raw and Postgres (or quarantine): take it out of the inbox."""
    path.unlink(missing_ok=True)
    parent = path.parent
    # Tidy folders emptied by this file, but keep each listener's own folder for the next drop.
    while parent != inbox and parent.parent != inbox:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


class FragmentWriter:
    """Writes committed plays into the curated zone on a second thread and connection, so the next
    file's COPY does not wait for Parquet encoding. Leaving the `with` block waits for all writes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.conn: psycopg.Connection | None = None
        self.pool: ThreadPoolExecutor | None = None
        self.pending: list = []

    def submit(self, listener: str, file_id: int, table, fresh: list[tuple[int, int, int]]) -> None:
        if not fresh:
            return
        if self.pool is None:
            self.conn = db.connect(self.settings, migrate=False)
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fragments")
        self.pending.append(
            self.pool.submit(
                curated.append_fragments, self.conn, self.settings.curated, listener, file_id, table, fresh
            )
        )

    def __enter__(self) -> FragmentWriter:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.conn.close()
        for future in self.pending:
            future.result()  # a failed write leaves its partitions dirty for publish; still say so


@dataclass
class Prepared:
    """One file or ZIP entry read, parsed and staged, ready for its transaction (or quarantine)."""

    name: str
    digest: str
    size: int
    raw_rel: str
    file_id: int
    container: str | None = None
    duplicate: bool = False
    error: InputError | None = None
    data: bytes = b""  # kept only for quarantine
    kind: str = "file"
    source: str | None = None
    rows_read: int = 0
    rejected: dict = field(default_factory=dict)
    staged: Staged | None = None
    extras: list[Staged] = field(default_factory=list)  # the feed's users, tracks and interactions
    started: datetime = field(default_factory=lambda: datetime.now(UTC))


def prepare_member(
    name: str,
    data: bytes,
    listener: str,
    raw_rel: str,
    known: frozenset[str],
    file_id: int,
    container: str | None = None,
) -> Prepared:
    """Hash, parse and stage one file; pure CPU work with no database, so it can run in a worker."""
    digest = sha256(data)
    prepared = Prepared(name, digest, len(data), raw_rel, file_id, container)
    if digest in known:
        prepared.duplicate = True
        return prepared
    if data.startswith(AVRO_MAGIC):
        return _prepare_feed(prepared, data, listener)
    try:
        parsed = read_export(name, data)
    except InputError as exc:
        prepared.error, prepared.data, prepared.kind = exc, data, exc.kind
        return prepared
    prepared.kind, prepared.source = parsed.kind, parsed.source
    prepared.rows_read, prepared.rejected = parsed.rows_read, dict(parsed.rejected)
    if parsed.dataset:
        prepared.staged = stage(
            parsed.dataset,
            parsed.table,
            listener=listener,
            source=parsed.source,
            source_file=name,
            file_id=file_id,
        )
    return prepared


def _prepare_feed(prepared: Prepared, data: bytes, listener: str) -> Prepared:
    """A simulated feed file: its plays (one listener per row) plus its users, tracks and interactions."""
    try:
        tables = feed.read_feed(data, prepared.name)
    except InputError as exc:
        prepared.error, prepared.data, prepared.kind = exc, data, exc.kind
        return prepared
    prepared.kind, prepared.source = "feed", "feed"
    prepared.rows_read, prepared.rejected = tables.rows_read, dict(tables.rejected)
    common = {"listener": listener, "source_file": prepared.name, "file_id": prepared.file_id}
    prepared.staged = stage("plays", tables.plays, source="feed", **common)
    prepared.extras = [
        stage("feed_users", tables.users, **common),
        stage("feed_tracks", tables.tracks, **common),
        stage("feed_interactions", tables.interactions, **common),
    ]
    return prepared


def _prepare_entry(
    zip_data: bytes,
    entry: archive.Entry,
    zip_name: str,
    listener: str,
    raw_rel: str,
    known: frozenset[str],
    container: str,
    file_id: int,
) -> Prepared:
    name = f"{zip_name}!/{entry.name}"
    with archive.open_zip(io.BytesIO(zip_data)) as zipped:
        try:
            data = archive.read_entry(zipped, entry)
        except InputError as exc:
            # An unreadable entry has no bytes to hash: key its verdict on the ZIP and the entry name.
            digest = sha256(f"{container}!/{entry.name}".encode())
            return Prepared(name, digest, 0, f"{raw_rel}!/{entry.name}", file_id, container, error=exc, kind=exc.kind)
    return prepare_member(name, data, listener, f"{raw_rel}!/{entry.name}", known, file_id, container)


def _ingest_zip(
    conn,
    settings,
    item: InboxFile,
    data: bytes,
    digest: str,
    raw_rel: str,
    landing: Future,
    fragments: FragmentWriter,
) -> list[FileReport]:
    if _status(conn, item.listener, digest) == "loaded":
        return [
            FileReport(item.name, item.listener, "duplicate", "zip", reason="these exact bytes were ingested before")
        ]
    (zip_id,) = _allocate_file_ids(conn, 1)
    whole = Prepared(item.name, digest, len(data), raw_rel, zip_id, kind="zip")
    try:
        with archive.open_zip(io.BytesIO(data)) as zipped:
            entries = archive.checked_entries(zipped)
    except InputError as exc:
        whole.error, whole.data = exc, data
        _landed(landing)
        return [_merge_member(conn, settings, item.listener, whole, fragments)]
    known = _known_digests(conn, item.listener)
    ids = _allocate_file_ids(conn, len(entries))
    # Entries are read from these bytes in memory: the inbox file may be released by a
    # concurrent ingest, and the raw copy may still be being written.
    jobs = [
        (data, entry, item.name, item.listener, raw_rel, known, digest, file_id)
        for entry, file_id in zip(entries, ids, strict=True)
    ]
    reports = []
    for prepared in _prepared(jobs):
        _landed(landing)
        reports.append(_merge_member(conn, settings, item.listener, prepared, fragments))
    totals = Counter()
    for report in reports:
        totals.update(report.rows)
    _landed(landing)
    with conn.transaction():
        if _register(conn, item.listener, whole, "loaded"):
            _finish(conn, zip_id, dict(totals), {})
    return reports


def _prepared(jobs: list[tuple]):
    """Prepared entries in order. A worker thread prepares the next two entries while this thread
    merges one: unzipping, hashing and JSON parsing run in C without the GIL, and this thread
    mostly waits on Postgres, so both cores stay busy (and no process has to be forked)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare") as pool:
        pending = deque()
        for job in jobs:
            pending.append(pool.submit(_prepare_entry, *job))
            if len(pending) > 2:  # bounded lookahead keeps memory to about three entries
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _known_digests(conn, listener: str) -> frozenset[str]:
    """Digests of files this listener already loaded, so a re-drop is not even parsed."""
    rows = conn.execute(query("ingest/known_digests"), {"listener": listener}).fetchall()
    return frozenset(row[0] for row in rows)


def _status(conn, listener: str, digest: str) -> str | None:
    row = conn.execute(query("ingest/file_status"), {"listener": listener, "sha256": digest}).fetchone()
    return row[0] if row else None


def _merge_member(conn, settings, listener: str, prepared: Prepared, fragments: FragmentWriter) -> FileReport:
    """One prepared file or ZIP entry: its verdict and rows in a single transaction."""
    name = prepared.name
    if prepared.duplicate:
        return FileReport(name, listener, "duplicate", "file", reason="these exact bytes were ingested before")
    if prepared.error is not None:
        return _quarantine(conn, settings, listener, prepared)
    status = "loaded" if prepared.staged is not None else "raw_only"
    if prepared.source == "feed":
        # Written before the commit and named by content, so a crash or rerun rewrites the same
        # files; after the commit a crash would leave the rows in Postgres only.
        curated.write_feed_plays(settings.curated, prepared.digest, prepared.staged.table)
    with conn.transaction():
        if not _register(conn, listener, prepared, status):
            return FileReport(
                name, listener, "duplicate", prepared.kind, reason="these exact bytes were ingested by another run"
            )
        counts = _merge(conn, prepared, listener=listener)
        _merge_extras(conn, prepared, listener)
        rows = {
            "read": prepared.rows_read,
            "loaded": counts.loaded,
            "duplicate": counts.duplicate,
            "overlap": counts.overlap,
            "replaced": counts.replaced,
            "rejected": sum(prepared.rejected.values()),
        }
        _finish(conn, prepared.file_id, rows, prepared.rejected)
        faults.checkpoint("before_commit")
    if counts.inserted is not None and prepared.source != "feed":
        fragments.submit(listener, prepared.file_id, counts.inserted, counts.fresh)
    reason = None if status == "loaded" else "kept in the raw zone only (no curated table for this kind)"
    return FileReport(name, listener, status, prepared.kind, rows, prepared.rejected, reason)


def _merge(conn, prepared: Prepared, *, listener: str) -> MergeCounts:
    staged = prepared.staged
    if staged is None:
        return MergeCounts()
    if staged.dataset == "plays":
        return merge_plays(
            conn,
            staged,
            listener=listener,
            source=prepared.source,
            kind=prepared.kind,
            file_id=prepared.file_id,
        )
    return merge_items(conn, staged, listener=listener, file_id=prepared.file_id)


def _merge_extras(conn, prepared: Prepared, listener: str) -> None:
    for extra in prepared.extras:
        merge_items(conn, extra, listener=listener, file_id=prepared.file_id)


def _register(conn, listener: str, prepared: Prepared, status: str) -> bool:
    """Claim the file's registry row in the current transaction; False if another run has it."""
    conn.execute(query("ingest/forget_quarantined"), {"listener": listener, "sha256": prepared.digest})
    row = conn.execute(
        query("ingest/register_file"),
        {
            "file_id": prepared.file_id,
            "listener": listener,
            "sha256": prepared.digest,
            "name": prepared.name,
            "container_sha256": prepared.container,
            "size_bytes": prepared.size,
            "kind": prepared.kind,
            "status": status,
            "raw_path": prepared.raw_rel,
            "error": prepared.error.reason if prepared.error else None,
            "started_at": prepared.started,
        },
    ).fetchone()
    return row is not None


def _allocate_file_ids(conn, count: int) -> list[int]:
    return [row[0] for row in conn.execute(query("ingest/allocate_file_ids"), {"count": count})]


def _finish(conn, file_id: int, rows: dict, rejected: dict) -> None:
    conn.execute(
        query("ingest/finish_file"),
        {
            "file_id": file_id,
            "rejected_reasons": Jsonb(rejected),
            **{k: rows.get(k, 0) for k in ("read", "loaded", "duplicate", "overlap", "replaced", "rejected")},
        },
    )


def _quarantine(conn, settings, listener: str, prepared: Prepared) -> FileReport:
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
        _register(conn, listener, prepared, "quarantined")
    return FileReport(prepared.name, listener, "quarantined", exc.kind, reason=exc.reason)


def ingest(
    settings: Settings, paths: list[str] | None = None, listener: str | None = None, on_report=None
) -> list[FileReport]:
    """Ingest the given paths (default: the whole inbox), then publish changed curated partitions."""
    reports: list[FileReport] = []
    with db.connect(settings) as conn:
        for item in discover(settings, paths, listener):
            for report in ingest_file(conn, settings, item):
                reports.append(report)
                if on_report:
                    on_report(report)
        curated.publish(conn, settings.curated)
    return reports


def ingest_one(settings: Settings, item: InboxFile) -> list[FileReport]:
    """Ingest a single discovered file on its own connection (one Airflow mapped task)."""
    with db.connect(settings) as conn:
        return ingest_file(conn, settings, item)


def totals(reports: list[FileReport]) -> dict[str, int]:
    """Files and rows by outcome over some reports."""
    counts = Counter({"files": len(reports), "quarantined": sum(r.status == "quarantined" for r in reports)})
    for report in reports:
        counts.update(report.rows)
    return dict(counts)
