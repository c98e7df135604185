"""Ingest inbox files: land raw bytes, parse, merge into Postgres, then let the file go."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson
import psycopg
from psycopg.types.json import Jsonb

from wrapped_lake import archive, curated, db, faults
from wrapped_lake.config import Settings
from wrapped_lake.errors import InputError
from wrapped_lake.exports import Parsed, read_export
from wrapped_lake.loader import MergeCounts, merge_items, merge_plays, query
from wrapped_lake.quarantine import quarantine
from wrapped_lake.rawzone import land, sha256

DEFAULT_LISTENER = "default"
PARTIAL_SUFFIXES = (".part", ".crdownload", ".download", ".tmp", ".partial")
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


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
    """Files to ingest: the given paths (files or folders) or the whole inbox, oldest first."""
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
            found[path] = _locate(settings, path, listener)
    return sorted(found.values(), key=lambda f: archive.natural_key(f.path))


def _skip(path: Path, now: float, min_age_seconds: float) -> bool:
    """Hidden files, half-downloaded files and files still being written wait for a later run."""
    if path.name.startswith(".") or path.name.lower().endswith(PARTIAL_SUFFIXES):
        return True
    try:
        return now - path.stat().st_mtime < min_age_seconds
    except FileNotFoundError:
        return True


def _locate(settings: Settings, path: Path, listener: str | None) -> InboxFile:
    try:
        relative = path.relative_to(settings.inbox)
    except ValueError:
        return InboxFile(str(path), listener or DEFAULT_LISTENER, path.name, in_inbox=False)
    if len(relative.parts) > 1:
        owner, name = relative.parts[0], str(Path(*relative.parts[1:]))
    else:
        owner, name = DEFAULT_LISTENER, relative.name
    return InboxFile(str(path), listener or owner, name, in_inbox=True)


def ingest_file(conn: psycopg.Connection, settings: Settings, item: InboxFile) -> list[FileReport]:
    """Ingest one file (a ZIP gives one report per entry); removes it from the inbox when done."""
    path = Path(item.path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []  # another ingest took it after we listed it
    digest = sha256(data)
    raw_path = land(settings.raw, data, digest, item.name)
    faults.checkpoint("after_raw")
    raw_rel = str(raw_path.relative_to(settings.root))
    if data.startswith(ZIP_MAGIC) or item.name.lower().endswith(".zip"):
        reports = _ingest_zip(conn, settings, item, data, digest, raw_rel)
    else:
        reports = [_ingest_member(conn, settings, item.listener, item.name, data, digest, raw_rel)]
    faults.checkpoint("before_release")
    if item.in_inbox:
        _release(path, settings.inbox)
    return reports


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


def _ingest_zip(conn, settings, item: InboxFile, data: bytes, digest: str, raw_rel: str) -> list[FileReport]:
    if _status(conn, item.listener, digest) == "loaded":
        return [
            FileReport(item.name, item.listener, "duplicate", "zip", reason="these exact bytes were ingested before")
        ]
    started = datetime.now(UTC)
    try:
        with archive.open_zip(item.path) as zipped:
            entries = archive.checked_entries(zipped)
            reports = []
            for entry in entries:
                name = f"{item.name}!/{entry.name}"
                try:
                    entry_data = archive.read_entry(zipped, entry)
                except InputError as exc:
                    reports.append(
                        _quarantine(
                            conn,
                            settings,
                            item.listener,
                            name,
                            b"",
                            sha256(f"{digest}!/{entry.name}".encode()),
                            f"{raw_rel}!/{entry.name}",
                            exc,
                            digest,
                            started,
                        )
                    )
                    continue
                reports.append(
                    _ingest_member(
                        conn,
                        settings,
                        item.listener,
                        name,
                        entry_data,
                        sha256(entry_data),
                        f"{raw_rel}!/{entry.name}",
                        digest,
                    )
                )
    except InputError as exc:
        return [_quarantine(conn, settings, item.listener, item.name, data, digest, raw_rel, exc, None, started)]
    totals = Counter()
    for report in reports:
        totals.update(report.rows)
    with conn.transaction():
        file_id = _register(
            conn, item.listener, item.name, digest, len(data), "zip", "loaded", raw_rel, None, None, started
        )
        if file_id is not None:
            _finish(conn, file_id, dict(totals), {})
    return reports


def _status(conn, listener: str, digest: str) -> str | None:
    row = conn.execute(query("ingest/file_status"), {"listener": listener, "sha256": digest}).fetchone()
    return row[0] if row else None


def _ingest_member(
    conn, settings, listener: str, name: str, data: bytes, digest: str, raw_rel: str, container: str | None = None
) -> FileReport:
    """One loose file or ZIP entry: parse, then merge in a single transaction."""
    if _status(conn, listener, digest) in ("loaded", "raw_only"):
        return FileReport(name, listener, "duplicate", "file", reason="these exact bytes were ingested before")
    started = datetime.now(UTC)
    try:
        parsed = read_export(name, data)
    except InputError as exc:
        return _quarantine(conn, settings, listener, name, data, digest, raw_rel, exc, container, started)
    status = "loaded" if parsed.dataset else "raw_only"
    with conn.transaction():
        file_id = _register(
            conn, listener, name, digest, len(data), parsed.kind, status, raw_rel, None, container, started
        )
        if file_id is None:
            return FileReport(
                name, listener, "duplicate", parsed.kind, reason="these exact bytes were ingested by another run"
            )
        counts = _merge(conn, parsed, listener=listener, name=name, file_id=file_id)
        rows = {
            "read": parsed.rows_read,
            "loaded": counts.loaded,
            "duplicate": counts.duplicate,
            "overlap": counts.overlap,
            "replaced": counts.replaced,
            "rejected": sum(parsed.rejected.values()),
        }
        _finish(conn, file_id, rows, dict(parsed.rejected))
        faults.checkpoint("before_commit")
    reason = None if status == "loaded" else "kept in the raw zone only (no curated table for this kind)"
    return FileReport(name, listener, status, parsed.kind, rows, dict(parsed.rejected), reason)


def _merge(conn, parsed: Parsed, *, listener: str, name: str, file_id: int) -> MergeCounts:
    if parsed.dataset is None:
        return MergeCounts()
    if parsed.dataset == "plays":
        source = "extended" if parsed.kind.startswith("extended") else "account"
        return merge_plays(
            conn,
            parsed.table,
            listener=listener,
            source=source,
            package=parsed.package,
            source_file=name,
            file_id=file_id,
        )
    return merge_items(conn, parsed.dataset, parsed.table, listener=listener, file_id=file_id)


def _register(conn, listener, name, digest, size, kind, status, raw_rel, error, container, started) -> int | None:
    conn.execute(query("ingest/forget_quarantined"), {"listener": listener, "sha256": digest})
    row = conn.execute(
        query("ingest/register_file"),
        {
            "listener": listener,
            "sha256": digest,
            "name": name,
            "container_sha256": container,
            "size_bytes": size,
            "kind": kind,
            "status": status,
            "raw_path": raw_rel,
            "error": error,
            "started_at": started,
        },
    ).fetchone()
    return row[0] if row else None


def _finish(conn, file_id: int, rows: dict, rejected: dict) -> None:
    conn.execute(
        query("ingest/finish_file"),
        {
            "file_id": file_id,
            "rejected_reasons": Jsonb(rejected),
            **{k: rows.get(k, 0) for k in ("read", "loaded", "duplicate", "overlap", "replaced", "rejected")},
        },
    )


def _quarantine(
    conn, settings, listener, name, data, digest, raw_rel, exc: InputError, container, started
) -> FileReport:
    quarantine(
        settings.quarantine, listener, name, data, reason=exc.reason, digest=digest, kind=exc.kind, entry=exc.entry
    )
    with conn.transaction():
        _register(
            conn, listener, name, digest, len(data), exc.kind, "quarantined", raw_rel, exc.reason, container, started
        )
    return FileReport(name, listener, "quarantined", exc.kind, reason=exc.reason)


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
