"""The raw zone: exact input bytes, content-addressed by SHA-256, partitioned by ingest date."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from wrapped_lake.files import write_atomic


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def land(raw_root: Path, data: bytes, digest: str, original_name: str) -> Path:
    """Store the bytes durably (fsynced) and return their path; landing the same bytes again is a no-op."""
    suffix = "".join(PurePosixPath(original_name).suffixes[-1:]).lower()
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    existing = next(raw_root.glob(f"ingest_date=*/{digest[:2]}/{digest}{suffix}"), None)
    if existing is not None and existing.stat().st_size == len(data):
        return existing
    path = raw_root / f"ingest_date={day}" / digest[:2] / f"{digest}{suffix}"
    write_atomic(path, data)
    return path
