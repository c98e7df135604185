"""The inbox: which files are ready to ingest, whose plays they hold, and letting them go."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from wrapped_lake.platform.config import Settings
from wrapped_lake.readers import archive

DEFAULT_LISTENER = "default"
PARTIAL_SUFFIXES = (".part", ".crdownload", ".download", ".tmp", ".partial")


@dataclass(frozen=True)
class InboxFile:
    """A file to ingest and whose plays it holds."""

    path: str
    listener: str
    name: str
    in_inbox: bool


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
            if _not_ready(path, now, min_age_seconds):
                continue
            found[path] = _locate(settings, path, listener, root)
    return sorted(found.values(), key=lambda f: archive.natural_key(f.path))


def _not_ready(path: Path, now: float, min_age_seconds: float) -> bool:
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


def release(path: Path, inbox: Path) -> None:
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
