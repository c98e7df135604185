"""Safe reading of export archives: refuse path escapes and zip bombs, never inflate past a cap.

ZIP entries are read by their ZipInfo (two entries may share a name) and inflated no further
than their declared size (itself capped), so a forged size costs at most what it declares. A
`.json.gz` is inflated in bounded steps up to the same cap; other archive formats are named and
refused.
"""

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
# Bytes inflated per call beyond an entry's declared size: a lying entry is caught after at most
# its declared size plus this. Each call is one release of the GIL; inflating a 12 MB entry in
# 1 MB steps made the prepare thread wait on the loading thread for the GIL between steps
# (+2 s per million plays, measured), so a well-formed entry inflates in one call.
MARGIN = 1 << 16
GZIP_STEP = 16 << 20
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
GZIP_MAGIC = b"\x1f\x8b"
# Only these are inflated: Spotify's ZIPs use Deflate, and these two inflate in bounded steps.
READABLE_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "Deflate"}
METHOD_NAMES = {9: "Deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 95: "XZ", 98: "PPMd", 99: "AES"}
HOW_TO_REZIP = "unzip it with your system's archive tool and drop the folder (or a ZIP made with ordinary Deflate)"
OTHER_ARCHIVES = (  # (magic bytes, offset, format name)
    (b"ustar", 257, "tar"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7-Zip"),
    (b"Rar!\x1a\x07", 0, "RAR"),
    (b"BZh", 0, "bzip2"),
    (b"\xfd7zXZ\x00", 0, "XZ"),
)


@dataclass(frozen=True)
class Entry:
    """One regular file inside a ZIP: its name and its position in the ZIP's directory."""

    name: str
    size: int
    index: int


def open_zip(data_path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(data_path)
    except zipfile.BadZipFile as exc:
        raise InputError(f"broken ZIP: {exc}", kind="zip") from None
    except OSError as exc:
        raise InputError(f"unreadable ZIP: {exc}", kind="zip") from None


def ignored(name: str) -> bool:
    """macOS metadata (__MACOSX/, ._* AppleDouble files, .DS_Store) and anything in a hidden folder:
    never part of an export, skipped without a word."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any(part.startswith(".") or part == "__MACOSX" for part in parts) or (
        bool(parts) and parts[-1] in ("Thumbs.db", "desktop.ini")
    )


def checked_entries(archive: zipfile.ZipFile) -> list[Entry]:
    """The ZIP's file entries in natural order, or InputError if any entry is unsafe."""
    infos = [(index, i) for index, i in enumerate(archive.infolist()) if not i.is_dir()]
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"ZIP has {len(infos)} entries (limit {MAX_ENTRIES}): refusing a likely zip bomb", kind="zip")
    total = 0
    for _, info in infos:
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
    entries = [Entry(i.filename, i.file_size, index) for index, i in infos if not ignored(i.filename)]
    return sorted(entries, key=lambda e: (natural_key(e.name), e.index))


def read_entry(archive: zipfile.ZipFile, entry: Entry) -> bytes:
    """Entry bytes, inflated up to the declared size (zipfile stops there and checks the CRC, so
    an entry that inflates beyond it fails as damaged having cost its declared size at most). An entry that is
    encrypted, uses a method other than Deflate, or is damaged is an InputError naming the entry."""
    info = archive.infolist()[entry.index]
    why = unreadable(info)
    if why:
        raise InputError(f"ZIP entry {entry.name!r} {why}", kind="zip_entry", entry=entry.name)
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            # read1: one bounded inflate per call (read(n) would rebuild its buffer per 4 KB step).
            while chunk := stream.read1(min(info.file_size, MAX_ENTRY_BYTES) + MARGIN):
                chunks.append(chunk)
                size += len(chunk)
                if size > info.file_size:  # zipfile never returns more; kept in case it ever does
                    raise InputError(
                        f"ZIP entry {entry.name!r} inflates beyond its declared {info.file_size} bytes",
                        kind="zip_entry",
                        entry=entry.name,
                    )
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
        raise InputError(f"damaged ZIP entry: {exc}", kind="zip_entry", entry=entry.name) from None
    return b"".join(chunks)


def unreadable(info: zipfile.ZipInfo) -> str | None:
    """Why an entry cannot be read safely, before touching its bytes; None if it can."""
    if info.flag_bits & 0x1:
        return "is encrypted (password-protected): download the export again, or unzip it yourself and drop the files"
    if info.compress_type not in READABLE_METHODS:
        method = METHOD_NAMES.get(info.compress_type, f"compression method {info.compress_type}")
        return f"is compressed with {method}, which the lake does not inflate: {HOW_TO_REZIP}"
    return None


def gunzip(data: bytes, name: str) -> bytes:
    """A gzip file's content, inflated in steps and refused past MAX_ENTRY_BYTES."""
    inflater = zlib.decompressobj(wbits=31)
    view = memoryview(data)
    chunks, size = [], 0
    try:
        for start in range(0, len(data), GZIP_STEP):
            pending = view[start : start + GZIP_STEP]
            while pending and not inflater.eof:
                chunk = inflater.decompress(pending, GZIP_STEP)
                pending = inflater.unconsumed_tail
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_ENTRY_BYTES:
                    raise InputError(
                        f"{name} unpacks to more than {MAX_ENTRY_BYTES} bytes: refusing a likely gzip bomb", kind="gzip"
                    )
            if inflater.eof:
                break
    except zlib.error as exc:
        raise InputError(f"damaged gzip file: {exc}", kind="gzip") from None
    if not inflater.eof:
        raise InputError("truncated gzip file: the compressed stream ends early", kind="gzip")
    return b"".join(chunks)


def other_archive(data: bytes) -> str | None:
    """The name of an archive format the lake does not unpack (tar, 7-Zip, RAR, ...), or None."""
    for magic, offset, name in OTHER_ARCHIVES:
        if data[offset : offset + len(magic)] == magic:
            return name
    return None


def refusal(fmt: str) -> str:
    return f"a {fmt} archive, which the lake does not unpack: {HOW_TO_REZIP}"


def natural_key(name: str) -> list:
    """Sort "_10" after "_2"."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]
