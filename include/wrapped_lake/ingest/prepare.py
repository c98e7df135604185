"""Preparing a file for its load, away from the database: hash, parse, key every play.

Pure CPU work with no connection, so a worker thread prepares the next ZIP entries while the
main thread loads this one.
"""

from __future__ import annotations

import io
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
    known: frozenset[str],
    file_id: int,
    container: str | None = None,
) -> PreparedFile:
    """Hash, parse and key one file's rows."""
    digest = sha256(data)
    prepared = PreparedFile(name, digest, len(data), raw_rel, file_id, container)
    if digest in known:
        prepared.duplicate = True
        return prepared
    if data.startswith(feed.MAGIC):
        return _prepare_feed(prepared, data, listener)
    try:
        parsed = read_export(name, data)
    except InputError as exc:
        prepared.error, prepared.data, prepared.kind = exc, data, exc.kind
        return prepared
    prepared.kind, prepared.source = parsed.kind, SOURCES.get(parsed.source)
    prepared.rows_read, prepared.rejected = parsed.rows_read, dict(parsed.rejected)
    if parsed.dataset:
        prepared.batch = make_batch(
            parsed.dataset, parsed.table, listener=listener, source=prepared.source, source_file=name, file_id=file_id
        )
    return prepared


def _prepare_feed(prepared: PreparedFile, data: bytes, listener: str) -> PreparedFile:
    """A simulated feed file: its plays (one listener per row) plus its users, tracks and interactions."""
    try:
        tables = feed.read_feed(data, prepared.name)
    except InputError as exc:
        prepared.error, prepared.data, prepared.kind = exc, data, exc.kind
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


def prepare_zip_entry(
    zip_data: bytes,
    entry: archive.Entry,
    zip_name: str,
    listener: str,
    raw_rel: str,
    known: frozenset[str],
    container: str,
    file_id: int,
) -> PreparedFile:
    name = f"{zip_name}!/{entry.name}"
    with archive.open_zip(io.BytesIO(zip_data)) as zipped:
        try:
            data = archive.read_entry(zipped, entry)
        except InputError as exc:
            # An unreadable entry has no bytes to hash: key its verdict on the ZIP and the entry name.
            digest = sha256(f"{container}!/{entry.name}".encode())
            return PreparedFile(
                name, digest, 0, f"{raw_rel}!/{entry.name}", file_id, container, error=exc, kind=exc.kind
            )
    return prepare_file(name, data, listener, f"{raw_rel}!/{entry.name}", known, file_id, container)


def prepare_ahead(jobs: list[tuple]):
    """Prepared ZIP entries in order. A worker thread prepares the next two entries while the
    caller loads one: unzipping, hashing and JSON parsing run in C without the GIL, and the caller
    mostly waits on Postgres, so both cores stay busy (and no process has to be forked)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare") as pool:
        pending = deque()
        for job in jobs:
            pending.append(pool.submit(prepare_zip_entry, *job))
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
