"""Read a track catalog CSV (the Spotify Tracks Dataset layout) into checked Arrow rows.

Every row is checked against one set of rules (Spotify's documented ranges, the track id's form, a
release year); a row that fails is rejected with the line it starts on and the first reason. The
file streams in blocks, so its size does not set the memory. `catalog load` (marts/catalog.py) and
the simulator's CSV catalog (simulate/catalog.py) both read through here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

REQUIRED = ("track_id", "artists", "track_name", "popularity", "track_genre")
FEATURES = ("valence", "energy", "danceability", "acousticness", "tempo")
# The public dataset has no release date; some copies add one under one of these names.
RELEASE_COLUMNS = ("release_year", "year", "release_date", "album_release_date")
# Spotify's ids are 22 base-62 characters; '-', '_' and other lengths pass so that hand-made ids
# still work, while URIs, URLs, spaces and shifted columns are caught.
TRACK_ID = r"^[A-Za-z0-9_-]{1,64}$"
NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
# A year, a year pandas wrote as a float (1999.0), or a Spotify release date (YYYY-MM, YYYY-MM-DD);
# Spotify gives 0000 for an unknown date, stored as null.
RELEASE = r"^(\d{4}(\.0+|-\d\d(-\d\d)?)?|0)$"
FIRST_YEAR = 1900
# Spotify's documented ranges (Web API track popularity and audio features). Tempo 0 is its
# "no tempo detected", read as 0: the loader stores it as null.
RANGES = {
    "popularity": (0, 100, "an integer from 0 to 100"),
    "valence": (0, 1, "a number from 0 to 1"),
    "energy": (0, 1, "a number from 0 to 1"),
    "danceability": (0, 1, "a number from 0 to 1"),
    "acousticness": (0, 1, "a number from 0 to 1"),
    "tempo": (0, 300, "a number of beats per minute from 0 to 300"),
}
# Checked only for a reader that asks for durations (the simulator: a play needs a length).
DURATION = (0, 2**31 - 1, "a whole number of milliseconds")
ROWS = pa.schema(
    [
        *((name, pa.string()) for name in ("track_id", "track_name", "artist_name", "album_name", "genre")),
        ("release_year", pa.int32()),
        ("popularity", pa.int32()),
        *((name, pa.float64()) for name in FEATURES),
        ("line", pa.int64()),
    ]
)
WITH_DURATION = ROWS.insert(ROWS.get_field_index("line"), pa.field("duration_ms", pa.int64()))
# Arrow's CSV reader reads about 32 blocks ahead of the rows being used, so the block size sets the
# reader's memory: for a 1 GB file of 2 M rows (bench/bench_catalog.py), 4 MB blocks peak at 350 MB,
# 16 MB at 850 MB, and 1 MB blocks take a third longer. Read whole with pandas, it peaked at 3.5 GB.
BLOCK_BYTES = 4 << 20


@dataclass(frozen=True, slots=True)
class Rejection:
    """A CSV row left out of the load: the line it starts on, and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class CatalogBatch:
    """One block of the CSV: its valid rows (ROWS, or WITH_DURATION), and its rejected rows."""

    rows: pa.Table
    rejections: list[Rejection]


def read_catalog(
    path: Path | str, *, block_bytes: int = BLOCK_BYTES, durations: bool = False, also_required: tuple[str, ...] = ()
) -> Iterator[CatalogBatch]:
    """The CSV block by block, every row checked (with its duration_ms when `durations`); ValueError
    when the file as a whole cannot be used, e.g. lacks a column of REQUIRED or `also_required`."""
    path = Path(path)
    names = _header(path, block_bytes)
    required = (*REQUIRED, *(("duration_ms",) if durations else ()), *also_required)
    missing = [c for c in dict.fromkeys(required) if c not in names]
    if missing:
        raise ValueError(f"{path}: missing columns {', '.join(missing)} (expected the Spotify Tracks Dataset layout)")
    skipped: list[pacsv.InvalidRow] = []
    lines = _Lines(sum(name.count("\n") for name in names), skipped)
    for batch in _blocks(path, names, skipped, block_bytes):
        starts, rejected = lines.place(_breaks(batch))
        yield _checked(batch, names, starts, rejected, durations)
    rest = lines.place(np.zeros(0, dtype=np.int64), last=True)[1]
    if rest:
        yield CatalogBatch((WITH_DURATION if durations else ROWS).empty_table(), rest)


def _header(path: Path, block_bytes: int) -> list[str]:
    """Column names as Arrow's CSV reader sees them (byte-order mark dropped, quotes undone)."""
    try:
        with pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(use_threads=False, block_size=block_bytes),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=lambda _: "skip"),
        ) as probe:
            return probe.schema.names
    except (OSError, pa.ArrowInvalid) as err:
        raise ValueError(f"{path}: cannot read as CSV: {err}") from err


def _blocks(
    path: Path, names: list[str], skipped: list[pacsv.InvalidRow], block_bytes: int
) -> Iterator[pa.RecordBatch]:
    """Every cell as text (null when empty); rows with the wrong number of fields go to `skipped`."""

    def skip(row: pacsv.InvalidRow) -> str:
        skipped.append(row)
        return "skip"

    try:
        reader = pacsv.open_csv(
            path,
            # One thread: only then does the invalid-row handler get row numbers (for line numbers).
            read_options=pacsv.ReadOptions(use_threads=False, block_size=block_bytes),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=skip
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=True, null_values=[""]
            ),
        )
        with reader:
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    return
                yield batch
    except pa.ArrowInvalid as err:
        raise ValueError(f"{path}: cannot read as CSV: {err}") from err


def _breaks(batch: pa.RecordBatch) -> np.ndarray:
    """Line breaks inside each row's values."""
    counts = np.zeros(batch.num_rows, dtype=np.int64)
    for column in batch.columns:
        counts += pc.fill_null(pc.count_substring(column, "\n"), 0).to_numpy()
    return counts


class _Lines:
    """The line each row starts on: Arrow numbers rows, not lines, and a quoted value may hold line breaks."""

    def __init__(self, header_breaks: int, skipped: list[pacsv.InvalidRow]) -> None:
        self.row = 2  # Arrow's number of the first row after the header
        self.breaks = header_breaks  # line breaks inside the values of the rows so far
        self.skipped = skipped  # rows with the wrong number of fields, in file order, as Arrow meets them

    def place(self, breaks: np.ndarray, *, last: bool = False) -> tuple[np.ndarray, list[Rejection]]:
        """Starting lines of the next len(breaks) rows read, and rejections for the rows skipped among them
        (and after them, when these are the last)."""
        n = len(breaks)
        m = len(self.skipped) if last else 0
        while m < len(self.skipped) and self.skipped[m].number < self.row + n + m:
            m += 1
        inside, self.skipped[:m] = self.skipped[:m], []
        rows = np.arange(self.row, self.row + n + m)
        was_skipped = np.isin(rows, [r.number for r in inside])
        every = np.zeros(n + m, dtype=np.int64)
        every[~was_skipped] = breaks
        every[was_skipped] = [r.text.count("\n") for r in inside]
        starts = rows + self.breaks + np.cumsum(every) - every
        self.row += n + m
        self.breaks += int(every.sum())
        rejected = [
            Rejection(int(line), f"{r.actual_columns} fields where the header has {r.expected_columns}")
            for line, r in zip(starts[was_skipped], inside, strict=True)
        ]
        return starts[~was_skipped], rejected


def _checked(
    batch: pa.RecordBatch, names: list[str], lines: np.ndarray, rejected: list[Rejection], durations: bool
) -> CatalogBatch:
    """The batch's rows that pass every check; each other row rejected for the first column that fails."""
    cell = {name: batch.column(names.index(name)) for name in dict.fromkeys(names)}
    empty = pa.nulls(batch.num_rows, pa.string())
    blank = np.logical_and.reduce([_bools(pc.is_null(c)) for c in batch.columns])

    track_id = cell["track_id"]
    checks: list[tuple[pa.Array, pa.Array, Callable[[str | None], str]]] = [
        (
            pc.fill_null(pc.match_substring_regex(track_id, TRACK_ID), False),
            track_id,
            lambda v: "track_id is empty" if v is None else f"track_id {_shown(v)} is not a Spotify track id",
        )
    ]
    values = {}
    ranges = {**RANGES, "duration_ms": DURATION} if durations else RANGES
    for name, (low, high, rule) in ranges.items():
        raw = cell.get(name, empty)
        values[name], ok = _number(raw, low, high, integer=name in ("popularity", "duration_ms"))
        checks.append((ok, raw, lambda v, name=name, rule=rule: f"{name} {_shown(v)} is not {rule}"))
    release = next((c for c in RELEASE_COLUMNS if c in cell), None)
    raw = cell.get(release, empty)
    next_year = datetime.now(UTC).year + 1
    values["release_year"], ok = _year(raw, next_year)
    checks.append((ok, raw, lambda v: f"{release} {_shown(v)} is not a year from {FIRST_YEAR} to {next_year}"))

    failed = ~np.logical_and.reduce([_bools(ok) for ok, _, _ in checks]) & ~blank
    reasons = np.empty(batch.num_rows, dtype=object)
    # Last check first, so that a row failing several is rejected for the first column checked.
    for ok, raw, reason in reversed(checks):
        bad = np.flatnonzero(~_bools(ok) & failed)
        for i, value in zip(bad, raw.take(bad).to_pylist(), strict=True):
            reasons[i] = reason(value)
    rejected = [*rejected, *(Rejection(int(lines[i]), reasons[i]) for i in np.flatnonzero(failed))]

    artist = pc.list_element(pc.split_pattern(cell["artists"], ";", max_splits=1), 0)
    rows = pa.table(
        {
            "track_id": track_id,
            "track_name": cell["track_name"],
            "artist_name": pc.utf8_trim_whitespace(artist),
            "album_name": cell.get("album_name", empty),
            "genre": cell["track_genre"],
            "release_year": values["release_year"],
            "popularity": values["popularity"],
            **{c: values[c] for c in FEATURES},
            **({"duration_ms": values["duration_ms"]} if durations else {}),
            "line": pa.array(lines, pa.int64()),
        }
    )
    schema = WITH_DURATION if durations else ROWS
    return CatalogBatch(rows.filter(pa.array(~failed & ~blank)).cast(schema), sorted(rejected, key=lambda r: r.line))


def _number(raw: pa.Array, low: float, high: float, *, integer: bool) -> tuple[pa.Array, pa.Array]:
    """Each cell as a number (null when empty or bad), and whether it is empty or a finite decimal in [low, high]."""
    text = _trimmed(raw)
    readable = pc.match_substring_regex(text, NUMBER)
    value = pc.cast(pc.if_else(readable, text, None), pa.float64())  # 1e999 reads as inf, caught here:
    ok = pc.and_kleene(readable, pc.is_finite(value))
    ok = pc.and_kleene(ok, pc.and_kleene(pc.greater_equal(value, low), pc.less_equal(value, high)))
    if integer:
        ok = pc.and_kleene(ok, pc.equal(pc.floor(value), value))
    ok = pc.fill_null(ok, True)  # an empty cell: missing is not bad
    return pc.if_else(ok, value, None), ok


def _year(raw: pa.Array, last: int) -> tuple[pa.Array, pa.Array]:
    """Each release cell as a year (null when empty, bad or Spotify's 0000), and whether it is empty or a year."""
    text = _trimmed(raw)
    readable = pc.match_substring_regex(text, RELEASE)
    year = pc.cast(pc.utf8_slice_codeunits(pc.if_else(readable, text, None), 0, 4), pa.int32())
    known = pc.not_equal(year, 0)
    in_range = pc.and_kleene(pc.greater_equal(year, FIRST_YEAR), pc.less_equal(year, last))
    ok = pc.fill_null(pc.and_kleene(readable, pc.or_kleene(pc.invert(known), in_range)), True)
    return pc.if_else(pc.and_kleene(ok, known), year, None), ok


def _trimmed(raw: pa.Array) -> pa.Array:
    """Cells without surrounding whitespace; a cell of only whitespace is empty."""
    text = pc.utf8_trim_whitespace(raw)
    return pc.if_else(pc.equal(text, ""), None, text)


def _bools(mask: pa.Array) -> np.ndarray:
    return mask.to_numpy(zero_copy_only=False)


def _shown(value: str) -> str:
    """A cell as a reason quotes it: control characters escaped, a long value cut."""
    return repr(value if len(value) <= 40 else value[:37] + "...")
