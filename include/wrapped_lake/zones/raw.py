"""The raw zone: exact input bytes, content-addressed by SHA-256, partitioned by ingest date."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from wrapped_lake.platform.files import write_atomic

SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def raw_path(raw_root: Path, digest: str, original_name: str, size: int) -> Path:
    """Where these bytes live in the raw zone: their earlier copy if there is one, else under
    today's ingest date."""
    suffix = "".join(PurePosixPath(original_name).suffixes[-1:]).lower()
    if not SUFFIX.fullmatch(suffix):  # the name is the user's: only a plain extension reaches a path
        suffix = ""
    existing = next(raw_root.glob(f"ingest_date=*/{digest[:2]}/{digest}{suffix}"), None)
    if existing is not None and existing.stat().st_size == size:
        return existing
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    return raw_root / f"ingest_date={day}" / digest[:2] / f"{digest}{suffix}"


def land(path: Path, data: bytes) -> Path:
    """Store the bytes at their raw_path durably (fsynced); landing them again is a no-op."""
    if not path.exists():
        write_atomic(path, data)
    return path
