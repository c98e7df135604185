"""`wrapped-lake demo`: generate a synthetic export, ingest it, show what landed."""

from __future__ import annotations

from wrapped_lake import fixtures
from wrapped_lake.ingest import Status, ingest, summarize
from wrapped_lake.ingest.report import RowCounts
from wrapped_lake.platform import db
from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.db import query

DEMO_LISTENER = "demo"


def run_demo(settings: Settings, out, progress) -> None:
    """The story so far: drop an export of every era into the inbox, ingest it, print figures."""
    export = fixtures.full_history(DEMO_LISTENER, plays=5000)
    progress(f"generating a synthetic export into {settings.inbox / DEMO_LISTENER}")
    fixtures.write_files(settings.inbox / DEMO_LISTENER, export.files)
    # Broken files go to their own listener so the demo's figures stay comparable to the truth.
    fixtures.write_files(settings.inbox / f"{DEMO_LISTENER}-bad-input", fixtures.bad_inputs())
    progress("ingesting the inbox")
    reports = ingest(settings, on_report=lambda r: progress(f"{r.status:>11}  {r.file}"))
    summary = summarize(reports)
    print("== load report ==", file=out)
    print("files: " + ", ".join(f"{summary[f'files_{s}']} {s}" for s in Status if summary[f"files_{s}"]), file=out)
    print("rows:  " + ", ".join(f"{summary[k]} {k}" for k in RowCounts().as_dict()), file=out)
    for report in reports:
        if report.status is Status.QUARANTINED:
            print(f"  quarantined {report.file}: {report.reason}", file=out)
    with db.connect(settings) as conn:
        figures = conn.execute(
            query("reports/demo_figures"), {"listener": DEMO_LISTENER, "tz": settings.timezone}
        ).fetchall()
        artists = conn.execute(query("reports/demo_top_artists"), {"listener": DEMO_LISTENER}).fetchall()
    print(f"\n== {DEMO_LISTENER}: plays per year ({settings.timezone}) ==", file=out)
    print(f"{'year':>4} {'plays':>6} {'music min':>10} {'podcast min':>11} {'tracks':>6}", file=out)
    for _listener, year, plays, music, podcast, tracks in figures:
        print(f"{year:>4} {plays:>6} {music or 0:>10} {podcast or 0:>11} {tracks:>6}", file=out)
    print("\n== top artists, all time ==", file=out)
    for name, minutes, plays in artists:
        print(f"{minutes:>9} min  {plays:>4} plays  {name!r}", file=out)
    expected = len(export.truth.plays)
    landed = sum(row[2] for row in figures)
    print(
        f"\n{landed} plays landed; the generator made {expected} real plays "
        f"({'match' if landed == expected else 'MISMATCH'}).",
        file=out,
    )
    print("Query them: psql \"$(wrapped-lake db url)\" -c 'SELECT * FROM curated.plays LIMIT 5'", file=out)
