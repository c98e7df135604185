"""Spotify's own Wrapped (WrappedYYYY.json) checked before it is stored: its size, its year, and the
fields the lake reads against schemas/spotify_wrapped.schema.json."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources

import orjson

from wrapped_lake.platform.errors import InputError

# Real Wrapped files are a few KB to a few hundred KB: one with every section public parsers know,
# 100-entry lists of URIs and five eras of 20 tracks is 36 KB as Spotify indents it (measured).
# 16 MiB is over 40 times the largest and far below what breaks the load: jsonb holds at most
# 255 MB, and a 300 MB file cost the database connection and blocked the inbox.
MAX_BYTES = 16 << 20
# Spotify's first year-end summary ("Year in Music") was 2015.
FIRST_YEAR = 2015
NAME = re.compile(r"^Wrapped\d{4}\b", re.IGNORECASE)
NAMED_YEAR = re.compile(r"(20\d\d)")
DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}", re.ASCII)
KIND = "spotify_wrapped"
SCHEMA_FILE = resources.files("wrapped_lake") / "schemas" / "spotify_wrapped.schema.json"
PREVIEW_CHARS = 40


@cache
def validator():
    """The schema's validator, built on first use: importing jsonschema takes 0.08-0.15 s (measured),
    which a run without a Wrapped file need not pay."""
    from jsonschema import Draft202012Validator, FormatChecker

    formats = FormatChecker(formats=())
    formats.checks("date-prefix")(_date_prefix)
    return Draft202012Validator(orjson.loads(SCHEMA_FILE.read_bytes()), format_checker=formats)


def _date_prefix(value: object) -> bool:
    """Whether a string starts with a calendar date, YYYY-MM-DD (what the marts view reads)."""
    if not isinstance(value, str):
        return True  # "type" judges the rest
    if not DATE_PREFIX.match(value):
        return False
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


@dataclass
class Checked:
    """A Wrapped document ready to store: its year, its JSON text, and the fields set to null."""

    year: int
    document: str
    rejected_fields: list[dict[str, str]]


def check_size(size: int) -> None:
    """Refuse a Wrapped file over MAX_BYTES (InputError: the file goes to quarantine)."""
    if size > MAX_BYTES:
        raise InputError(
            f"a Wrapped file of {size:,} bytes is over the cap of {MAX_BYTES:,} bytes "
            "(real ones are a few KB to a few hundred KB): not loaded",
            kind=KIND,
        )


def check(stem: str, doc: dict, size: int) -> Checked | None:
    """The document with fields that fail the schema set to null, and its year (the document's own,
    else the file name's). None when neither has one (kept raw); InputError for quarantine."""
    check_size(size)  # again: a file found by its content, not its name, is only known to be one now
    text = _dumped(doc)
    if b"\\u0000" in text:
        # Postgres' jsonb cannot hold U+0000 at all; in Spotify's text it can only be noise.
        doc = _without_nul(doc)
    rejected = _null_invalid(doc)
    year = _year(doc, rejected)
    if year is None:
        year = _named_year(stem)
        if year is None:
            unusable = [r["reason"] for r in rejected if r["field"] == "year"]
            if unusable:
                raise InputError(f"no usable Wrapped year: year {unusable[0]} and the file name has none", kind=KIND)
            return None
    if rejected or b"\\u0000" in text:
        text = orjson.dumps(doc)
    return Checked(year, text.decode(), rejected)


def _dumped(doc: dict) -> bytes:
    try:
        return orjson.dumps(doc)
    except orjson.JSONEncodeError as exc:  # orjson writes at most 254 levels; a real Wrapped file has 4
        raise InputError(
            f"a Wrapped document nested too deeply to store ({exc}); real ones are a few levels deep", kind=KIND
        ) from None


def _without_nul(value):
    """The value with U+0000 removed from every string and key (at most 254 levels: orjson wrote it)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {key.replace("\x00", ""): _without_nul(item) for key, item in value.items()}
    return value


def _null_invalid(doc: dict) -> list[dict[str, str]]:
    """Set each field that fails the schema to null; what was nulled and why, in schema order."""
    rejected: dict[tuple, str] = {}
    for error in validator().iter_errors(doc):
        # A field may fail two keywords (-1.5 as a count: not whole, and below the minimum); one
        # reason is enough: the failing field's own description in the schema.
        reason = f"{_preview(error.instance)} is not {error.schema['description']}"
        rejected.setdefault(tuple(error.absolute_path), reason)
    for path in rejected:
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = None
    return [{"field": ".".join(map(str, path)), "reason": reason} for path, reason in rejected.items()]


def _year(doc: dict, rejected: list[dict[str, str]]) -> int | None:
    """The document's year once the schema passed it, if not after next year (else nulled too)."""
    year = doc.get("year")
    if year is None:
        return None
    last = datetime.now(UTC).year + 1
    if year > last:
        rejected.append({"field": "year", "reason": f"{year} is not a Wrapped year (after {last})"})
        doc["year"] = None
        return None
    return int(year)


def _named_year(stem: str) -> int | None:
    named = NAMED_YEAR.search(stem)
    year = int(named.group(1)) if named else None
    return year if year is not None and FIRST_YEAR <= year <= datetime.now(UTC).year + 1 else None


def _preview(value) -> str:
    """The value as JSON, shortened: a reason must stay readable whatever the file held."""
    text = orjson.dumps(value).decode()
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 3] + "..."
