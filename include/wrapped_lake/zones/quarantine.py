"""The quarantine zone: inputs the lake could not load, each beside a JSON file saying why."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import orjson

from wrapped_lake.platform.files import write_atomic

UNSAFE = re.compile(r"[^A-Za-z0-9._ ()\-\[\]]+")


def safe_name(name: str) -> str:
    """A flat file name for any entry path (ZIP entries may hold ../ or absolute paths)."""
    return UNSAFE.sub("_", name.replace("!/", "__")).strip("._ ") or "unnamed"


def quarantine(
    root: Path, listener: str, name: str, data: bytes, *, reason: str, digest: str, kind: str, entry: str | None = None
) -> Path:
    """Keep a copy of the bytes under quarantine/<listener>/ with <name>.error.json beside it."""
    target = root / safe_name(listener) / f"{digest[:12]}-{safe_name(name)}"
    write_atomic(target, data)
    report = {
        "file": name,
        "entry": entry,
        "listener": listener,
        "sha256": digest,
        "kind": kind,
        "reason": reason,
        "quarantined_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_atomic(target.with_name(target.name + ".error.json"), orjson.dumps(report, option=orjson.OPT_INDENT_2))
    return target
