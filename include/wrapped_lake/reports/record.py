"""One listener-year's Wrapped as a typed record: what `wrapped()` returns and every format renders.

Its JSON form is the contract published as schemas/wrapped.schema.json:
fields in the order of the JSON keys, and all time (year None) written as "all"."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from importlib import resources

from wrapped_lake.analytics.personality import AxisScores

SCHEMA_FILE = resources.files("wrapped_lake") / "schemas" / "wrapped.schema.json"


@dataclass(frozen=True)
class TopArtist:
    name: str
    minutes: float
    streams: int


@dataclass(frozen=True)
class TopTrack:
    name: str
    artist: str | None
    streams: int
    minutes: float
    first_played: date  # the local date of its first play of any length in the period


@dataclass(frozen=True)
class TopAlbum:
    name: str
    artist: str | None
    minutes: float


@dataclass(frozen=True)
class TopPodcast:
    name: str  # the show
    minutes: float


@dataclass(frozen=True)
class TopGenre:
    name: str
    minutes: float


@dataclass(frozen=True)
class BiggestDay:
    date: date
    minutes: float


@dataclass(frozen=True)
class NewArtist:
    name: str
    minutes: float


@dataclass(frozen=True)
class Axis:
    """One personality axis: its two letters ("F/E"), score, and the letter the score gives."""

    axis: str
    score: float | None
    letter: str | None


@dataclass(frozen=True)
class Personality:
    code: str | None  # None when an axis cannot be computed
    name: str | None
    scores: AxisScores
    axes: tuple[Axis, ...]


@dataclass(frozen=True)
class AudioProfile:
    """Means over the streams; tempo in BPM, the rest 0..1."""

    valence: float
    energy: float
    danceability: float
    acousticness: float
    tempo: float


@dataclass(frozen=True)
class SpotifyBiggestDay:
    """Spotify's biggest day; a figure its file got wrong is stored as null."""

    date: date | None
    minutes: float | None


@dataclass(frozen=True)
class SpotifyFigures:
    """Spotify's own figures, from the export's WrappedYYYY.json."""

    biggest_day: SpotifyBiggestDay
    top_track_streams: int | None
    top_track_first_played: date | None
    top_podcast_minutes: float | None


@dataclass(frozen=True)
class Phase:
    """A stretch of the year with its own mix of artists (weeks are Monday weeks of local dates)."""

    start: date
    end: date
    top_artists: tuple[str, ...]  # up to 3, by streams in the phase


@dataclass(frozen=True)
class Obsession:
    artist: str
    weeks: tuple[date, ...]  # the Mondays of the run's weeks
    share: float  # of the streams of those weeks, 0..1


@dataclass(frozen=True)
class UnusualDay:
    date: date
    minutes: float  # music, every play
    top_artist: str | None


@dataclass(frozen=True)
class WeekMinutes:
    week: date  # the first of 7 days counted back from the trend's last day
    minutes: float


@dataclass(frozen=True)
class Trend:
    weekly_minutes: tuple[WeekMinutes, ...]
    change_pct: float | None  # the last 12 weeks against the 12 before


@dataclass(frozen=True)
class InsightTrack:
    name: str | None
    artist: str | None
    uri: str | None  # spotify:track:..., null for a track known by names only
    streams: int


@dataclass(frozen=True)
class ReleaseYear:
    year: int
    streams: int


@dataclass(frozen=True)
class GenreHours:
    genre: str
    streams: tuple[int, ...]  # 24, by the local hour in which streams ended


@dataclass(frozen=True)
class ArtistMonths:
    artist: str
    streams: tuple[int, ...]  # 12, per local month


@dataclass(frozen=True)
class Insights:
    """What the Wrapped does not say: how taste moved, what stood out, what was found and left, and
    the extras of a year in music (ListenBrainz's)."""

    phases: tuple[Phase, ...] | None
    obsessions: tuple[Obsession, ...] | None
    unusual_days: tuple[UnusualDay, ...] | None
    trend: Trend | None
    top_discoveries: tuple[InsightTrack, ...] | None
    forgotten_favourites: tuple[InsightTrack, ...] | None
    release_years: tuple[ReleaseYear, ...] | None
    genre_hours: tuple[GenreHours, ...] | None
    top_artist_months: tuple[ArtistMonths, ...] | None
    daily_minutes: tuple[float, ...] | None  # every local date of the year, Jan 1 first


@dataclass(frozen=True)
class Wrapped:
    listener: str
    year: int | None  # None: all time
    timezone: str
    minutes_music: float
    minutes_podcast: float
    streams: int
    distinct_tracks: int
    distinct_artists: int
    top_artists: tuple[TopArtist, ...]
    top_tracks: tuple[TopTrack, ...]
    top_albums: tuple[TopAlbum, ...]
    top_podcasts: tuple[TopPodcast, ...]
    top_genres: tuple[TopGenre, ...] | None
    biggest_day: BiggestDay | None
    monthly_minutes: tuple[float, ...]  # 12
    listening_clock: tuple[float, ...]  # 24, by the local hour in which plays ended
    longest_streak_days: int
    skip_rate: float | None
    new_artists: int | None
    top_new_artist: NewArtist | None
    personality: Personality | None
    audio_profile: AudioProfile | None
    catalog_coverage: float | None
    percentile: float | None
    spotify: SpotifyFigures | None
    insights: Insights

    def as_dict(self) -> dict:
        """The JSON object (for to_json only: renderers read attributes); all time's year is "all"."""
        return asdict(self) | {"year": "all" if self.year is None else self.year}


@dataclass(frozen=True)
class BesideSpotify:
    """One of Spotify's own figures next to the lake's, counted by Spotify's rules."""

    label: str
    lake: object
    spotify: object
