"""The quarantine zone: inputs the lake could not load, each beside a JSON file saying why."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import orjson

from wrapped_lake.platform.files import write_atomic
from wrapped_lake.zones.names import path_segment, zone_path


def quarantine(
    root: Path, listener: str, name: str, data: bytes, *, reason: str, digest: str, kind: str, entry: str | None = None
) -> Path:
    """Keep a copy of the bytes under quarantine/<listener>/<digest>-<file name> with
    <...>.error.json beside it (the JSON names the whole path and ZIP entry)."""
    base = PurePosixPath(name.replace("!/", "/")).name or "unnamed"
    target = zone_path(root, listener) / f"{digest[:12]}-{path_segment(base)}"
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
