"""The inbox: which files are ready to ingest, whose plays they hold, and letting them go.

One rule for the CLI and the DAG: an inbox file is taken once it has stopped changing (size and
mtime the same across two looks at least SETTLE_SECONDS after its last write). Files named on the
command line are taken at once: the user says they are complete. Symbolic links are never
followed (a link could put any file the ingest user can read into the lake): they are reported
as refused and left where they are.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, replace
from pathlib import Path

from wrapped_lake.platform.config import Settings
from wrapped_lake.readers import archive
from wrapped_lake.zones.names import check_listener

DEFAULT_LISTENER = "default"
PARTIAL_SUFFIXES = (".part", ".crdownload", ".download", ".tmp", ".partial")
# A copy that writes at least every couple of seconds is seen changing; one that pauses longer
# and leaves a file that does not parse is caught by RECENT_SECONDS instead.
SETTLE_SECONDS = 2.0
# A file that fails to parse and changed this recently may still be being written: it stays in
# the inbox for a later run instead of going to quarantine.
RECENT_SECONDS = 300.0
SYMLINK_REFUSED = "a symbolic link: links are never followed (copy the file itself into the inbox)"


@dataclass(frozen=True)
class InboxFile:
    """A file to ingest and whose plays it holds; `refused` says why it is left alone."""

    path: str
    listener: str
    name: str
    in_inbox: bool
    refused: str | None = None
    may_wait: bool = False  # found by an inbox scan: may be left for a later run if still changing


def discover(settings: Settings, paths: list[str] | None = None, listener: str | None = None) -> list[InboxFile]:
    """Files to ingest: the given paths (files or folders, taken at once) or the inbox files that
    have stopped changing, in natural name order; symbolic links come back refused."""
    if listener is not None:
        check_listener(listener)
    if not paths:
        settings.inbox.mkdir(parents=True, exist_ok=True)
    # Absolute but not resolved: a link inside a given folder is still seen as a link.
    roots = [Path.cwd() / p for p in paths] if paths else [settings.inbox]
    found: dict[Path, InboxFile] = {}
    for root in roots:
        if not root.exists():
            raise FileNotFoundError(f"{root}: no such file or folder")
        candidates = [(root.resolve(), None)] if root.is_file() else _walk(root)
        for path, refused in candidates:
            found[path] = _locate(settings, path, listener, root, refused)
    if not paths:
        settled = _settled([p for p, item in found.items() if item.refused is None])
        found = {
            p: replace(item, may_wait=True) for p, item in found.items() if item.refused is not None or p in settled
        }
    return sorted(found.values(), key=lambda f: archive.natural_key(f.path))


def _walk(root: Path) -> list[tuple[Path, str | None]]:
    """Regular files under root, skipping hidden and macOS metadata files and folders and
    half-downloaded files; symbolic links (to files or folders) are listed as refused."""
    out: list[tuple[Path, str | None]] = []
    for folder, dirs, files in os.walk(root):  # never descends into linked folders
        here = Path(folder)
        for name in list(dirs):
            if (here / name).is_symlink():
                out.append((here / name, SYMLINK_REFUSED))
        dirs[:] = sorted(d for d in dirs if not archive.ignored(d) and not (here / d).is_symlink())
        for name in sorted(files):
            path = here / name
            if archive.ignored(name) or name.lower().endswith(PARTIAL_SUFFIXES):
                continue
            try:
                mode = path.lstat().st_mode
            except FileNotFoundError:
                continue
            if stat.S_ISLNK(mode):
                out.append((path, SYMLINK_REFUSED))
            elif stat.S_ISREG(mode):
                out.append((path, None))
    return out


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns


def _settled(paths: list[Path], settle: float | None = None) -> set[Path]:
    """The paths whose size and mtime did not change across two looks taken once the youngest
    was `settle` seconds old (no wait at all when every file is older)."""
    settle = SETTLE_SECONDS if settle is None else settle
    first = {path: _stamp(path) for path in paths}
    youngest = max((s[1] / 1e9 for s in first.values() if s), default=0.0)
    time.sleep(min(max(0.0, settle - (time.time() - youngest)), settle))
    return {path for path, before in first.items() if before is not None and _stamp(path) == before}


def _locate(settings: Settings, path: Path, listener: str | None, root: Path, refused: str | None) -> InboxFile:
    try:
        relative = path.relative_to(settings.inbox)
    except ValueError:
        name = str(path.relative_to(root)) if root.is_dir() else path.name
        return InboxFile(str(path), listener or DEFAULT_LISTENER, name, in_inbox=False, refused=refused)
    if len(relative.parts) > 1:
        owner, name = relative.parts[0], str(Path(*relative.parts[1:]))
    else:
        owner, name = DEFAULT_LISTENER, relative.name
    return InboxFile(str(path), listener or owner, name, in_inbox=True, refused=refused)


def changed_recently(path: Path) -> bool:
    """Whether the file was written in the last RECENT_SECONDS (it may still be being copied)."""
    try:
        return time.time() - path.stat().st_mtime < RECENT_SECONDS
    except FileNotFoundError:
        return False


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
