"""Playlists out: a planted listener's pruning suggestions (every reason found, nothing else), and
discoveries and forgotten favourites equal to the Wrapped JSON's, as CSV and as URIs."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from wrapped_lake.cli import main
from wrapped_lake.marts.build import build
from wrapped_lake.reports.wrapped import to_json, wrapped

LAST_PLAY = datetime(2024, 12, 20, 12, tzinfo=UTC)


def play(track: str, when: datetime, *, uri: bool = True, skipped: bool = False) -> dict:
    return {
        "ended_at": when, "ms": 60_000, "track_name": track, "artist_name": f"{track} artist",
        "track_uri": f"spotify:track:{track}" if uri else None, "skipped": skipped,
    }  # fmt: skip


def planted_plays() -> list[dict]:
    """Fresh streamed this month; Stale only in 2022 (also a forgotten favourite); Skippy skipped in
    2 of 3 plays, Okay in 1 of 3; Local, a local file, streamed by names this month."""
    plays = [play("Fresh", LAST_PLAY - timedelta(days=d)) for d in range(5)]
    plays += [play("Stale", datetime(2022, 5, 2, 9, i, tzinfo=UTC)) for i in range(10)]
    plays += [play("Skippy", LAST_PLAY - timedelta(days=30 + d), skipped=d < 2) for d in range(3)]
    plays += [play("Okay", LAST_PLAY - timedelta(days=40 + d), skipped=d < 1) for d in range(3)]
    plays += [play("Local", LAST_PLAY - timedelta(days=d), uri=False) for d in range(4)]
    return plays


PLAYLISTS = {  # in position order
    "Mix": [("track", "Fresh", True), ("track", "Stale", True), ("track", "Skippy", True), ("track", "Okay", True),
            ("local_track", "Local", False), ("track", "Fresh", True)],
    "Other": [("track", "Fresh", True), ("local_track", "Gone local", False), ("episode", "An episode", True)],
}  # fmt: skip
SAVED = [("Okay", True), ("Fresh", True), ("Gone", True)]  # "Liked Songs": a copy of a playlist track is no duplicate

PRUNE = [
    ["Liked Songs", "Gone", "Gone artist", "spotify:track:Gone", "not_streamed"],
    ["Mix", "Stale", "Stale artist", "spotify:track:Stale", "not_streamed"],
    ["Mix", "Skippy", "Skippy artist", "spotify:track:Skippy", "mostly_skipped"],
    ["Mix", "Fresh", "Fresh artist", "spotify:track:Fresh", "duplicate_in_playlist"],
    ["Other", "Fresh", "Fresh artist", "spotify:track:Fresh", "duplicate_of_other_playlist"],
    ["Other", "Gone local", "Gone local artist", "", "not_streamed"],
]


@pytest.fixture
def planted(lake, conn, plays_file) -> str:
    file_id = plays_file("pl", planted_plays())
    for playlist, items in PLAYLISTS.items():
        for position, (kind, track, has_uri) in enumerate(items):
            conn.execute(
                "INSERT INTO curated.playlist_items (listener, playlist_name, position, item_type, track_name,"
                " artist_name, uri, file_id, item_key) VALUES ('pl', %s, %s, %s, %s, %s, %s, %s, %s)",
                (playlist, position, kind, track, f"{track} artist", f"spotify:track:{track}" if has_uri else None,
                 file_id, uuid.uuid4()),
            )  # fmt: skip
    for track, has_uri in SAVED:
        conn.execute(
            "INSERT INTO curated.library_items (listener, item_type, name, artist_name, uri, file_id, item_key)"
            " VALUES ('pl', 'track', %s, %s, %s, %s, %s)",
            (track, f"{track} artist", f"spotify:track:{track}" if has_uri else None, file_id, uuid.uuid4()),
        )
    build(conn, lake)
    return "pl"


def run(capsys, *argv: str) -> str:
    assert main(["playlists", *argv]) == 0
    return capsys.readouterr().out


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_every_planted_pruning_reason_is_found_and_nothing_else(planted, capsys):
    found = table(run(capsys, "prune", "--listener", planted))
    assert found[0] == ["playlist", "name", "artist", "uri", "reasons"]
    assert found[1:] == PRUNE


def test_pruning_uris_leave_out_a_track_without_one(planted, capsys):
    uris = run(capsys, "prune", "--listener", planted, "--format", "uris").splitlines()
    assert uris == [row[3] for row in PRUNE if row[3]]
    assert "Gone local" not in "\n".join(uris)


@pytest.mark.parametrize(("kind", "key"), [("discoveries", "top_discoveries"), ("forgotten", "forgotten_favourites")])
def test_discoveries_and_forgotten_favourites_are_the_wrapped_jsons(planted, conn, capsys, tmp_path, kind, key):
    expected = json.loads(to_json(wrapped(conn, planted, 2024)))["insights"][key]
    assert expected  # planted: Fresh and Local are 2024's discoveries, Stale is forgotten
    out = tmp_path / "list.csv"
    assert main(["playlists", kind, "--listener", planted, "--year", "2024", "--out", str(out)]) == 0
    rows = table(out.read_text())
    assert rows[0] == ["name", "artist", "uri", "streams"]
    assert rows[1:] == [[t["name"], t["artist"], t["uri"] or "", str(t["streams"])] for t in expected]
    uris = run(capsys, kind, "--listener", planted, "--year", "2024", "--format", "uris").splitlines()
    assert uris == [t["uri"] for t in expected if t["uri"]]


def test_a_track_without_a_uri_is_in_the_csv_only(planted, capsys):
    names = [row[0] for row in table(run(capsys, "discoveries", "--listener", planted))[1:]]
    uris = run(capsys, "discoveries", "--listener", planted, "--format", "uris").splitlines()
    assert "Local" in names and len(uris) == len(names) - 1 and all(u.startswith("spotify:track:") for u in uris)


def test_an_unknown_listener_is_one_line_and_exit_2(lake, capsys):
    assert main(["playlists", "prune", "--listener", "nobody"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
