"""`wrapped-lake demo`: a synthetic export of every era through the whole lake, ending with its Wrapped."""

from __future__ import annotations

from collections import Counter

from wrapped_lake import fixtures
from wrapped_lake.ingest import FileReport, Status, ingest, summarize
from wrapped_lake.marts.build import build
from wrapped_lake.platform import db
from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.db import query
from wrapped_lake.reports.publish import render, write_html

DEMO_LISTENER = "demo"
SAMPLES = f"{DEMO_LISTENER}-bad-samples"
# What each kind of loaded file is, in the words of the person who downloaded it.
KIND_NAMES = {
    "extended": "extended streaming history",
    "account": "account-data listening history",
    "library": "library (saved songs, albums, shows)",
    "playlists": "playlists",
    "search_queries": "searches",
    "spotify_wrapped": "Spotify's own Wrapped",
}


def run_demo(settings: Settings, out, progress) -> None:
    """Drop an export of every era (and, separately, broken samples) into the inbox, take it in,
    build the marts and show the demo listener's Wrapped."""
    export = fixtures.full_history(DEMO_LISTENER, plays=5000, spotify_wrapped=True)
    progress(f"writing a synthetic Spotify export into {settings.inbox / DEMO_LISTENER}")
    fixtures.write_files(settings.inbox / DEMO_LISTENER, export.files)
    reports = ingest(settings, [str(settings.inbox / DEMO_LISTENER)], on_report=_progress(progress))
    with db.connect(settings) as conn:
        held = conn.execute(query("reports/demo_plays"), {"listener": DEMO_LISTENER}).fetchone()[0]
    _say_what_was_found(reports, export, held, out)

    # Deliberately broken files, under their own listener and after the real export, so nothing
    # of them mixes with the demo listener's figures.
    fixtures.write_files(settings.inbox / SAMPLES, fixtures.bad_inputs())
    samples = ingest(settings, [str(settings.inbox / SAMPLES)], on_report=_progress(progress))
    _say_what_was_refused(samples, out)

    progress("building the Wrapped marts")
    with db.connect(settings) as conn:
        build(conn, settings)
        year = export.truth.last_whole_year()  # the year of Spotify's own Wrapped in the export too
        print(f"\n== {DEMO_LISTENER}'s Wrapped {year} ==\n", file=out)
        out.write(render(conn, DEMO_LISTENER, year, "calendar", "text").decode())
        page = write_html(conn, settings, DEMO_LISTENER, year)
    print(f"\nThe report to open in a browser: {page}", file=out)
    print(
        f"Every year as JSON: .venv/bin/wrapped-lake wrapped --listener {DEMO_LISTENER} --year {year}\n"
        "Query the lake yourself: .venv/bin/wrapped-lake db psql  (try: SELECT * FROM marts.top_artists LIMIT 5;)",
        file=out,
    )


def _progress(progress):
    return lambda report: progress(f"{report.status:>11}  {report.file}")


def _say_what_was_found(reports: list[FileReport], export: fixtures.ExportSet, held: int, out) -> None:
    loaded = Counter(_kind_name(r.kind) for r in reports if r.status is Status.LOADED and r.kind != "zip")
    repeated = [r for r in reports if r.status is Status.DUPLICATE]
    kept_raw = [r for r in reports if r.status is Status.RAW_ONLY]
    totals = summarize(reports)
    plays = len(export.truth.plays)
    print(f"== What the lake found in {DEMO_LISTENER}'s export ==", file=out)
    if len(repeated) == len(reports):  # the demo run again: its files are the ones an earlier run loaded
        print(f"  Every file was loaded by an earlier run ({len(reports)} seen before): nothing to do.", file=out)
        print(f"  {plays:,} real plays in the lake, each counted once.", file=out)
    else:
        for kind, count in sorted(loaded.items()):
            print(f"  {count:>3} file(s) of {kind}", file=out)
        if repeated:
            print(f"  {len(repeated):>3} file(s) seen before (the same ZIP downloaded twice): skipped", file=out)
        if kept_raw:
            print(f"  {len(kept_raw):>3} file(s) kept as exact bytes only (no table for them)", file=out)
        repeats = totals["duplicate"] + totals["overlap"]
        print(
            f"  {plays:,} real plays, each counted once: {repeats:,} rows repeated them (exact duplicates, "
            "overlapping downloads, account data the extended history already has).",
            file=out,
        )
    verdict = "all there, none twice" if held == plays else f"MISMATCH: the lake holds {held:,}"
    print(f"  Checked against the generator's own list of plays: {verdict}.", file=out)


def _say_what_was_refused(samples: list[FileReport], out) -> None:
    refused = [r for r in samples if r.status is Status.QUARANTINED]
    print(f"\n== {len(refused)} broken sample files, refused on purpose ==", file=out)
    print(f"  (the demo drops them into inbox/{SAMPLES}/ to show how bad input is handled)", file=out)
    for report in refused:
        print(f"  quarantined {report.file}: {report.reason}", file=out)
    good = sum(r.rows.loaded for r in samples)
    if good:
        print(f"  {good} good rows inside partly broken samples were kept, under listener {SAMPLES}.", file=out)


def _kind_name(kind: str) -> str:
    return next((name for prefix, name in KIND_NAMES.items() if kind.startswith(prefix)), kind.replace("_", " "))
