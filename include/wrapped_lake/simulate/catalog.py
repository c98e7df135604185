"""The track catalog the simulator picks from: a seeded synthetic one, or a Spotify Tracks Dataset CSV.

Tracks are held as parallel numpy arrays ordered by the artist's genre, then artist, so every
genre and every artist owns one contiguous slice; the simulator samples inside those slices.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from faker import Faker

from wrapped_lake.readers.catalog import FEATURES, WITH_DURATION, read_catalog

DEFAULT_CATALOG_SEED = 20240101
# The synthetic catalog holds releases up to this year; a simulated year past it has no new releases.
LATEST_RELEASE_YEAR = 2026
EARLIEST_RELEASE_YEAR = 1960
UNKNOWN_YEAR = 0
MIN_TRACK_MS = 10_000  # shorter CSV rows are dropped: the simulator needs room for a skip

_BASE62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)

# name, share of artists, mean valence, energy, danceability, acousticness, tempo (bpm)
_GENRES: tuple[tuple[str, float, float, float, float, float, float], ...] = (
    ("pop", 14, 0.55, 0.65, 0.66, 0.20, 118),
    ("hip-hop", 11, 0.48, 0.66, 0.74, 0.14, 112),
    ("rock", 10, 0.45, 0.75, 0.48, 0.12, 124),
    ("latin", 8, 0.64, 0.72, 0.74, 0.18, 110),
    ("electronic", 7, 0.40, 0.80, 0.64, 0.06, 126),
    ("indie", 7, 0.42, 0.58, 0.53, 0.32, 120),
    ("r-n-b", 6, 0.50, 0.58, 0.67, 0.22, 104),
    ("k-pop", 4, 0.58, 0.74, 0.67, 0.13, 122),
    ("country", 4, 0.56, 0.64, 0.58, 0.28, 120),
    ("dance", 4, 0.55, 0.78, 0.72, 0.07, 124),
    ("metal", 4, 0.32, 0.90, 0.42, 0.02, 132),
    ("reggaeton", 3, 0.66, 0.76, 0.78, 0.14, 96),
    ("jazz", 3, 0.50, 0.38, 0.56, 0.66, 112),
    ("soul", 3, 0.55, 0.52, 0.60, 0.38, 108),
    ("folk", 3, 0.45, 0.40, 0.50, 0.66, 114),
    ("classical", 2, 0.25, 0.16, 0.30, 0.92, 100),
    ("afrobeat", 2, 0.70, 0.70, 0.76, 0.20, 108),
    ("punk", 2, 0.45, 0.88, 0.45, 0.04, 150),
    ("blues", 1, 0.50, 0.48, 0.52, 0.50, 110),
    ("ambient", 1, 0.20, 0.18, 0.30, 0.80, 90),
)


class CatalogError(ValueError):
    """A catalog file that cannot be used, with the reason in words."""


@dataclass(frozen=True, eq=False)
class Catalog:
    """Tracks as parallel arrays (one row per track) plus per-artist and per-genre lookups."""

    track_id: np.ndarray  # str
    track_name: np.ndarray  # str
    album: np.ndarray  # str or None
    artist: np.ndarray  # int32 index into artist_name / artist_id / artist_genre
    genre: np.ndarray  # int16 index into genres: the track's own genre
    release_year: np.ndarray  # int16, UNKNOWN_YEAR when the source has none
    popularity: np.ndarray  # int16, 0..100
    duration_ms: np.ndarray  # int32
    valence: np.ndarray  # float32
    energy: np.ndarray  # float32
    danceability: np.ndarray  # float32
    acousticness: np.ndarray  # float32
    tempo: np.ndarray  # float32
    artist_name: np.ndarray  # str
    artist_id: np.ndarray  # str
    artist_genre: np.ndarray  # int16: the genre an artist is filed under for sampling
    genres: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.track_id.size)

    @property
    def has_release_year(self) -> bool:
        return bool((self.release_year != UNKNOWN_YEAR).any())

    @cached_property
    def artist_bounds(self) -> np.ndarray:
        """Offsets: artist a owns tracks artist_bounds[a] to artist_bounds[a + 1]."""
        return np.searchsorted(self.artist, np.arange(self.artist_name.size + 1), side="left")

    @cached_property
    def genre_bounds(self) -> np.ndarray:
        """Offsets: artists filed under genre g own tracks genre_bounds[g] to genre_bounds[g + 1]."""
        filed = self.artist_genre[self.artist]
        return np.searchsorted(filed, np.arange(len(self.genres) + 1), side="left")


def _ordered(
    columns: dict[str, np.ndarray],
    artist_name: np.ndarray,
    artist_id: np.ndarray,
    artist_genre: np.ndarray,
    genres: tuple[str, ...],
) -> Catalog:
    """Renumber artists by (genre, name) and sort tracks by artist, establishing the slice layout."""
    artist_order = np.lexsort((artist_name.astype(str), artist_genre))
    new_index = np.empty_like(artist_order)
    new_index[artist_order] = np.arange(artist_order.size)
    artist = new_index[columns["artist"]].astype(np.int32)
    track_order = np.argsort(artist, kind="stable")
    tracks = {name: values[track_order] for name, values in columns.items() if name != "artist"}
    return Catalog(
        artist=artist[track_order],
        artist_name=artist_name[artist_order],
        artist_id=artist_id[artist_order],
        artist_genre=artist_genre[artist_order].astype(np.int16),
        genres=genres,
        **tracks,
    )


def _base62_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Spotify-style 22-character base-62 ids."""
    chars = _BASE62[rng.integers(0, 62, size=(n, 22))]
    return chars.view("S22").ravel().astype(str).astype(object)


def _titles(rng: np.random.Generator, words: np.ndarray, n: int, max_words: int) -> np.ndarray:
    """Title-cased names of 1..max_words words from the pool."""
    counts = rng.integers(1, max_words + 1, size=n)
    picks = words[rng.integers(0, words.size, size=(n, max_words))]
    return np.array([" ".join(row[:k]).title() for row, k in zip(picks, counts, strict=True)], dtype=object)


def _artist_names(rng: np.random.Generator, fake: Faker, n: int, words: np.ndarray) -> np.ndarray:
    """Half solo names (first + last), half band names; Faker is called only to fill small pools."""
    firsts = np.array([fake.first_name() for _ in range(400)], dtype=object)
    lasts = np.array([fake.last_name() for _ in range(400)], dtype=object)
    solo = firsts[rng.integers(0, firsts.size, n)] + " " + lasts[rng.integers(0, lasts.size, n)]
    bands = _titles(rng, words, n, 2)
    the = rng.random(n) < 0.3
    bands = np.where(the, "The " + bands, bands)
    names = np.where(rng.random(n) < 0.5, solo, bands)
    # Numbering repeats keeps artist names unique, since exports identify artists by name.
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        unique.append(name if count == 0 else f"{name} {count + 1}")
    return np.array(unique, dtype=object)


def synthetic_catalog(seed: int = DEFAULT_CATALOG_SEED, artists: int = 4000) -> Catalog:
    """A deterministic catalog: `artists` artists with about ten tracks each, in albums."""
    rng = np.random.default_rng(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    words = np.array(sorted(set(fake.words(nb=3000))), dtype=object)

    genres = tuple(g[0] for g in _GENRES)
    shares = np.array([g[1] for g in _GENRES], dtype=float)
    artist_genre = rng.choice(len(genres), size=artists, p=shares / shares.sum()).astype(np.int16)
    # Artist fame is skewed: most artists are obscure, a few are stars with more releases.
    fame = rng.beta(1.2, 3.5, size=artists)
    n_tracks = np.clip(np.round(rng.lognormal(np.log(6.0), 0.8, artists) * (0.6 + 1.6 * fame)), 1, 150).astype(int)
    debut = np.clip(
        LATEST_RELEASE_YEAR - np.floor(rng.exponential(20.0, artists)), EARLIEST_RELEASE_YEAR, LATEST_RELEASE_YEAR
    ).astype(int)
    last = np.minimum(LATEST_RELEASE_YEAR, debut + np.floor(rng.exponential(10.0, artists)).astype(int))
    # A still-active share of artists keeps releasing up to the latest year.
    last = np.where(rng.random(artists) < 0.25, LATEST_RELEASE_YEAR, last)

    artist = np.repeat(np.arange(artists), n_tracks)
    n = artist.size
    # Tracks come in albums of about eight; an album shares its name and year.
    album_no = np.concatenate([np.arange(k) // 8 for k in n_tracks])
    album_key = artist * 64 + album_no
    album_keys, album_of_track = np.unique(album_key, return_inverse=True)
    album_artist = album_keys // 64
    span = last[album_artist] - debut[album_artist] + 1
    album_year = debut[album_artist] + np.floor(rng.random(album_keys.size) * span).astype(int)
    album_names = _titles(rng, words, album_keys.size, 3)
    release_year = album_year[album_of_track]

    age = LATEST_RELEASE_YEAR - release_year
    popularity = 100 * fame[artist] + rng.normal(0, 9, n) - 0.35 * age + np.where(age <= 1, 8, 0)
    genre = artist_genre[artist]
    means = np.array([g[2:] for g in _GENRES], dtype=float)[genre]

    def feature(col: int, spread: float) -> np.ndarray:
        return np.clip(means[:, col] + rng.normal(0, spread, n), 0, 1).astype(np.float32)

    columns = {
        "track_id": _base62_ids(rng, n),
        "track_name": _titles(rng, words, n, 4),
        "album": album_names[album_of_track],
        "artist": artist,
        "genre": genre.astype(np.int16),
        "release_year": release_year.astype(np.int16),
        "popularity": np.clip(np.round(popularity), 0, 100).astype(np.int16),
        "duration_ms": np.clip(rng.lognormal(np.log(205_000), 0.28, n), 60_000, 900_000).astype(np.int32),
        "valence": feature(0, 0.18),
        "energy": feature(1, 0.15),
        "danceability": feature(2, 0.13),
        "acousticness": feature(3, 0.15),
        "tempo": np.clip(means[:, 4] + rng.normal(0, 18, n), 50, 220).astype(np.float32),
    }
    return _ordered(columns, _artist_names(rng, fake, artists, words), _base62_ids(rng, artists), artist_genre, genres)


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The bundled synthetic catalog, built once per process."""
    return synthetic_catalog()


def _name_id(name: str) -> str:
    """A stable 22-character base-62 id for a name (the CSV layout carries no artist ids)."""
    digest = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=16).digest(), "big")
    chars = []
    for _ in range(22):
        digest, rest = divmod(digest, 62)
        chars.append(chr(_BASE62[rest]))
    return "".join(chars)


def load_catalog_csv(path: Path | str) -> Catalog:
    """Read a CSV in the Spotify Tracks Dataset layout (readers/catalog.py checks every row).

    The simulator takes no release years from it: release_year is UNKNOWN_YEAR (written as null)
    for every track. A file with a rejected row is refused, naming the row; rows missing a value
    the simulator needs, and tracks shorter than MIN_TRACK_MS, are dropped; a track listed under
    several genres is kept once, under its first genre.
    """
    path = Path(path)
    try:
        batches = list(read_catalog(path, durations=True, also_required=FEATURES))
    except ValueError as err:
        raise CatalogError(str(err)) from err
    rejections = [r for batch in batches for r in batch.rejections]
    if rejections:
        raise CatalogError(f"{path}: {len(rejections)} rows break the catalog's rules; the first at {rejections[0]}")
    needed = ["track_id", "track_name", "artist_name", "genre", "popularity", "duration_ms", *FEATURES]
    rows = pa.concat_tables([WITH_DURATION.empty_table(), *(batch.rows for batch in batches)])
    frame = rows.to_pandas().dropna(subset=needed)
    frame = frame.drop_duplicates(subset="track_id", keep="first")
    frame = frame[frame["duration_ms"] >= MIN_TRACK_MS]
    if frame.empty:
        raise CatalogError(f"{path}: no usable track rows")

    artist_names, artist = np.unique(frame["artist_name"].to_numpy(dtype=object), return_inverse=True)
    genres_all, genre = np.unique(frame["genre"].to_numpy(dtype=str), return_inverse=True)
    # File each artist under its most frequent genre so its tracks stay in one slice.
    pair_counts = pd.DataFrame({"a": artist, "g": genre}).value_counts().reset_index()
    pair_counts = pair_counts.sort_values(["a", "count", "g"], ascending=[True, False, True])
    artist_genre = pair_counts.drop_duplicates("a")["g"].to_numpy()
    columns = {
        "track_id": frame["track_id"].to_numpy(dtype=object),
        "track_name": frame["track_name"].to_numpy(dtype=object),
        "album": np.where(frame["album_name"].isna(), None, frame["album_name"].to_numpy(dtype=object)),
        "artist": artist,
        "genre": genre.astype(np.int16),
        "release_year": np.full(len(frame), UNKNOWN_YEAR, dtype=np.int16),
        "popularity": frame["popularity"].to_numpy().astype(np.int16),
        "duration_ms": frame["duration_ms"].to_numpy().astype(np.int32),
        **{c: frame[c].to_numpy().astype(np.float32) for c in FEATURES},
    }
    artist_ids = np.array([_name_id(a) for a in artist_names], dtype=object)
    return _ordered(columns, artist_names.astype(object), artist_ids, artist_genre, tuple(genres_all.tolist()))
