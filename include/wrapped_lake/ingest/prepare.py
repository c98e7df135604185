"""Preparing a file for its load, away from the database: hash, parse, key every play.

Pure CPU work with no connection, so a worker thread prepares the next ZIP entries while the
main thread loads this one.
"""

from __future__ import annotations

import io
import logging
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc

from wrapped_lake.ingest.sources import FEED, SOURCES, Source
from wrapped_lake.platform.errors import InputError
from wrapped_lake.readers import archive, feed
from wrapped_lake.readers.exports import read_export
from wrapped_lake.zones.raw import sha256

log = logging.getLogger(__name__)

try:
    # CPython's own MD5: for millions of ~150-byte identities it is ~30% cheaper than OpenSSL's
    # through hashlib, which sets up and copies a context per digest. The same digest either way.
    from _md5 import md5
except ImportError:  # an interpreter built without it
    from hashlib import md5


@dataclass
class LoadBatch:
    """Rows of one dataset ready for COPY (plays carry their play_key)."""

    dataset: str
    table: pa.Table
    offered: int  # rows in the file, before repeats within the file were dropped
    names_shows: bool = False  # names podcast shows: may reclassify old mixed account rows

    @property
    def first(self) -> datetime | None:
        return pc.min(self.table["ended_at"]).as_py() if self.table.num_rows else None

    @property
    def last(self) -> datetime | None:
        return pc.max(self.table["ended_at"]).as_py() if self.table.num_rows else None


@dataclass
class PreparedFile:
    """One file or ZIP entry read, parsed and keyed, ready for its transaction (or quarantine)."""

    name: str
    digest: str
    size: int
    raw_rel: str
    file_id: int
    container: str | None = None  # the ZIP's digest, for an entry
    duplicate: bool = False
    error: InputError | None = None
    data: bytes = b""  # kept only for quarantine
    kind: str = "file"
    source: Source | None = None
    rows_read: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    batch: LoadBatch | None = None
    extras: list[LoadBatch] = field(default_factory=list)  # the feed's users, tracks and interactions
    started: datetime = field(default_factory=lambda: datetime.now(UTC))


def prepare_file(
    name: str,
    data: bytes,
    listener: str,
    raw_rel: str,
    known: dict[str, str],
    file_id: int,
    container: str | None = None,
) -> PreparedFile:
    """Hash, parse and key one file's rows. `known` maps digests this listener already has to
    their status: loaded bytes are duplicates unparsed; raw-only bytes are duplicates only if they
    are still raw-only under this name."""
    digest = sha256(data)
    prepared = PreparedFile(name, digest, len(data), raw_rel, file_id, container)
    if known.get(digest) == "loaded":
        prepared.duplicate = True
        return prepared
    try:
        content, parse_name = _unpacked(name, data)
    except InputError as exc:
        prepared.error, prepared.data, prepared.kind = exc, data, exc.kind
        return prepared
    prepared = _prepare_content(prepared, parse_name, content, listener)
    if known.get(digest) == "raw_only" and prepared.batch is None and prepared.error is None:
        prepared.duplicate = True
    elif prepared.error is not None:
        prepared.data = data
    return prepared


def _unpacked(name: str, data: bytes) -> tuple[bytes, str]:
    """The bytes to parse and the name to parse them under: a `.gz` file inflated (with a cap) and
    its name without `.gz`. Other archives (tar, 7-Zip, RAR) and ZIPs nested deeper than one level
    are refused with what to do."""
    lower = name.lower()
    if lower.endswith((".tar.gz", ".tgz", ".tar")):
        raise InputError(archive.refusal("tar"), kind="archive")
    fmt = archive.other_archive(data)
    if fmt:
        raise InputError(archive.refusal(fmt), kind="archive")
    if data.startswith(archive.ZIP_MAGIC):
        raise InputError(
            "a ZIP inside a ZIP inside a ZIP: the lake unpacks one ZIP within a ZIP; "
            "unzip the outer ones and drop the inner ZIP",
            kind="zip",
        )
    if not data.startswith(archive.GZIP_MAGIC):
        return data, name
    content = archive.gunzip(data, name)
    fmt = archive.other_archive(content)
    if fmt:
        raise InputError(archive.refusal(fmt), kind="archive")
    return content, name[:-3] if lower.endswith(".gz") else name


def _prepare_content(prepared: PreparedFile, name: str, data: bytes, listener: str) -> PreparedFile:
    if data.startswith(feed.MAGIC) or name.lower().endswith(".avro"):
        return _prepare_feed(prepared, data, listener)
    try:
        parsed = _read_safely(read_export, name, data)
    except InputError as exc:
        prepared.error, prepared.kind = exc, exc.kind
        return prepared
    prepared.kind, prepared.source = parsed.kind, SOURCES.get(parsed.source)
    prepared.rows_read, prepared.rejected = parsed.rows_read, dict(parsed.rejected)
    if parsed.dataset:
        prepared.batch = make_batch(
            parsed.dataset,
            parsed.table,
            listener=listener,
            source=prepared.source,
            source_file=prepared.name,
            file_id=prepared.file_id,
        )
    return prepared


def _read_safely(reader, *args):
    """Run a reader; an error it did not foresee quarantines this one file (with the error in its
    reason and the traceback in the log) instead of stopping the run before the files after it."""
    try:
        return reader(*args)
    except InputError:
        raise
    except Exception as exc:
        log.exception("reader %s failed on an input", reader.__name__)
        raise InputError(
            f"the lake could not read this file ({type(exc).__name__}: {exc}); it is kept in quarantine "
            "for a bug report",
            kind="unknown",
        ) from exc


def _prepare_feed(prepared: PreparedFile, data: bytes, listener: str) -> PreparedFile:
    """A simulated feed file: its plays (one listener per row) plus its users, tracks and interactions."""
    try:
        tables = _read_safely(feed.read_feed, data, prepared.name)
    except InputError as exc:
        prepared.error, prepared.kind = exc, exc.kind
        return prepared
    prepared.kind, prepared.source = FEED.name, FEED
    prepared.rows_read, prepared.rejected = tables.rows_read, dict(tables.rejected)
    common = {"listener": listener, "source_file": prepared.name, "file_id": prepared.file_id}
    prepared.batch = make_batch("plays", tables.plays, source=FEED, **common)
    prepared.extras = [
        make_batch("feed_users", tables.users, **common),
        make_batch("feed_tracks", tables.tracks, **common),
        make_batch("feed_interactions", tables.interactions, **common),
    ]
    return prepared


@dataclass(frozen=True)
class EntryJob:
    """One ZIP entry to prepare: the ZIP's bytes (an inner ZIP's, for a ZIP within the ZIP), the
    entry, and the names it is known by."""

    zip_data: bytes
    entry: archive.Entry
    name: str  # "<zip>!/<entry>", or "<zip>!/<inner zip>!/<entry>"
    raw_rel: str
    file_id: int


def prepare_zip_entry(job: EntryJob, listener: str, known: dict[str, str], container: str) -> PreparedFile:
    with archive.open_zip(io.BytesIO(job.zip_data)) as zipped:
        try:
            data = archive.read_entry(zipped, job.entry)
        except InputError as exc:
            # An unreadable entry has no bytes to hash: key its verdict on the ZIP and the entry name.
            digest = sha256(f"{container}!/{job.name}#{job.entry.index}".encode())
            return PreparedFile(job.name, digest, 0, job.raw_rel, job.file_id, container, error=exc, kind=exc.kind)
    return prepare_file(job.name, data, listener, job.raw_rel, known, job.file_id, container)


def prepare_ahead(jobs: list[EntryJob], listener: str, known: dict[str, str], container: str):
    """Prepared ZIP entries in order. A worker thread prepares the next two entries while the
    caller loads one: unzipping, hashing and JSON parsing run in C without the GIL, and the caller
    mostly waits on Postgres, so both cores stay busy (and no process has to be forked)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare") as pool:
        pending = deque()
        for job in jobs:
            pending.append(pool.submit(prepare_zip_entry, job, listener, known, container))
            if len(pending) > 2:  # bounded lookahead keeps memory to about three entries
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def make_batch(
    dataset: str,
    table: pa.Table,
    *,
    listener: str,
    source: Source | None = None,
    source_file: str = "",
    file_id: int = 0,
) -> LoadBatch:
    """Rows ready for COPY; plays get their play_key here (and, for direct sources, every
    curated.play_rows column)."""
    offered = table.num_rows
    names_shows = _names_shows(dataset, table)
    if dataset == "plays":
        per_row = source.listener_per_row
        table = table.append_column("play_key", play_keys(table, table["listener"] if per_row else listener, source))
        if source.direct:
            table = _unique_keys(table)
            n = table.num_rows
            started = pc.subtract(pc.cast(table["ended_at"], pa.int64()), table["ms_played"])
            table = table.append_column("started_at", pc.cast(started, pa.timestamp("ms", tz="UTC")))
            constants = [("listener", listener, pa.string())] if not per_row else []
            for name, value, arrow_type in (
                *constants,
                ("source", source.name, pa.string()),
                ("source_file", source_file, pa.string()),
                ("file_id", file_id, pa.int64()),
            ):
                table = table.append_column(name, pa.repeat(pa.scalar(value, arrow_type), n))
            if per_row:
                # A feed file's plays go in by listener and time: a day's plays stay together (the
                # build reads them through a BRIN index on end times) and arrive ordered the way
                # the marts build groups them.
                table = table.sort_by([("listener", "ascending"), ("ended_at", "ascending")])
    return LoadBatch(dataset, table, offered, names_shows)


def _names_shows(dataset: str, table: pa.Table) -> bool:
    if dataset == "plays":
        return table["show_name"].null_count < table.num_rows
    if dataset == "library_items":
        return pc.any(pc.equal(table["item_type"], "show")).as_py() or False
    return False


def _unique_keys(table: pa.Table) -> pa.Table:
    """Drop exact repeats of a play within one file, keeping the first."""
    if pc.count_distinct(table["play_key"]).as_py() == table.num_rows:
        return table
    seen: set[bytes] = set()
    keep = [not (key in seen or seen.add(key)) for key in table["play_key"].to_pylist()]
    return table.filter(pa.array(keep))


def play_keys(table: pa.Table, listener: str | pa.ChunkedArray, source: Source) -> pa.Array:
    """MD5 (16 bytes, stored as a uuid) of what makes a play the same play wherever it appears:
    listener, source, end time in ms, ms played and the item's names; for sources with second
    precision also the video flag, the item URI and the start/end reasons. Offline timestamps and
    platforms are left out on purpose: they differ between downloads of the same history."""

    def first(*names: str) -> pa.Array:
        return pc.coalesce(*(table[n] for n in names), pa.scalar(""))

    parts = [
        listener if not isinstance(listener, str) else pa.scalar(listener),
        pa.scalar(source.name),
        pc.cast(pc.cast(table["ended_at"], pa.int64()), pa.string()),
        pc.cast(table["ms_played"], pa.string()),
        first("artist_name", "show_name", "audiobook_title"),
        first("track_name", "episode_name", "chapter_title"),
    ]
    if source.second_precision:
        parts += [
            pc.cast(table["is_video"], pa.string()),
            first("track_uri", "episode_uri", "chapter_uri", "audiobook_uri"),
            first("reason_start"),
            first("reason_end"),
        ]
    identity = pc.binary_join_element_wise(*parts, "\x1f").cast(pa.binary())
    digests = b"".join([md5(v).digest() for v in identity.to_pylist()])
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(16), len(identity), [None, pa.py_buffer(digests)])
