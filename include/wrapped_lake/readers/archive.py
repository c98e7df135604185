"""Safe reading of export ZIPs: refuse path escapes and zip bombs before reading any entry."""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from wrapped_lake.platform.errors import InputError

MAX_ENTRIES = 10_000
MAX_ENTRY_BYTES = 1 << 30  # a single export file is ~12 MB; 1 GiB is far beyond any real one
MAX_TOTAL_BYTES = 8 << 30
MAX_RATIO = 200  # JSON compresses ~10x; a bomb compresses thousands of times
RATIO_FLOOR = 1 << 20  # tiny entries may compress absurdly well and are harmless


@dataclass(frozen=True)
class Entry:
    """One regular file inside a ZIP."""

    name: str
    size: int


def open_zip(data_path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(data_path)
    except zipfile.BadZipFile as exc:
        raise InputError(f"broken ZIP: {exc}", kind="zip") from None
    except OSError as exc:
        raise InputError(f"unreadable ZIP: {exc}", kind="zip") from None


def checked_entries(archive: zipfile.ZipFile) -> list[Entry]:
    """The ZIP's file entries in natural order, or InputError if any entry is unsafe."""
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"ZIP has {len(infos)} entries (limit {MAX_ENTRIES}): refusing a likely zip bomb", kind="zip")
    total = 0
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise InputError(f"ZIP entry {name!r} tries to escape the target folder", kind="zip", entry=name)
        if info.file_size > MAX_ENTRY_BYTES:
            raise InputError(
                f"ZIP entry {name!r} unpacks to {info.file_size} bytes (limit {MAX_ENTRY_BYTES})",
                kind="zip",
                entry=name,
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(
                f"ZIP entry {name!r} expands {info.file_size // max(info.compress_size, 1)}x "
                f"(limit {MAX_RATIO}x): refusing a likely zip bomb",
                kind="zip",
                entry=name,
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"ZIP unpacks to {total} bytes (limit {MAX_TOTAL_BYTES})", kind="zip")
    return sorted((Entry(i.filename, i.file_size) for i in infos), key=lambda e: natural_key(e.name))


def read_entry(archive: zipfile.ZipFile, entry: Entry) -> bytes:
    """Entry bytes; a CRC or decompression failure is an InputError for that entry."""
    try:
        return archive.read(entry.name)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise InputError(f"damaged ZIP entry: {exc}", kind="zip_entry", entry=entry.name) from None


def natural_key(name: str) -> list:
    """Sort "_10" after "_2"."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]
