"""Artificial streaming in the simulated feed: the accounts the detection models flag, and why.

The models are views under sql/models/marts/anomalies/ (thresholds in anomaly_scores.sql) over
per-account tables the marts build keeps (account_days, account_tracks,
account_heavy_tracks); this module reads them for `wrapped-lake anomalies`, as of the last build.
"""

from __future__ import annotations

import psycopg

from wrapped_lake.platform.db import query


def anomalies(conn: psycopg.Connection) -> dict[str, list[dict]]:
    """Flagged accounts with score and reasons, artists with suspicious streams, heavy free-tier accounts."""
    accounts = [
        {"listener": listener, "score": float(score), "reasons": list(reasons)}
        for listener, score, reasons in conn.execute(query("marts/flagged_accounts"))
    ]
    artists = [
        {"artist": artist, "streams": streams, "suspicious_streams": suspicious, "suspicious_share": float(share)}
        for artist, streams, suspicious, share in conn.execute(query("marts/suspicious_artists"))
    ]
    free = [
        {"listener": listener, "minutes_per_day": float(minutes), "tier_median_minutes": float(median),
         "times_median": float(times)}
        for listener, minutes, median, times in conn.execute(query("marts/free_tier_heavy"))
    ]  # fmt: skip
    return {"accounts": accounts, "artists": artists, "free_tier_heavy": free}


def as_text(found: dict[str, list[dict]], artists: int = 20) -> str:
    """The flagged accounts with their reasons, the top suspicious artists and the free-tier flag, for a terminal."""
    lines = [f"{len(found['accounts'])} flagged account(s)"]
    for account in found["accounts"]:
        lines.append(f"  {account['listener']}  score {account['score']:.2f}: {'; '.join(account['reasons'])}")
    top = f", top {artists}:" if found["artists"] else ""
    lines.append(f"{len(found['artists'])} artist(s) with suspicious streams{top}")
    for artist in found["artists"][:artists]:
        lines.append(
            f"  {artist['artist']}: {artist['suspicious_share']:.0%} of {artist['streams']} streams by flagged accounts"
        )
    lines.append(f"{len(found['free_tier_heavy'])} free-tier account(s) with unusually high activity")
    for account in found["free_tier_heavy"]:
        lines.append(
            f"  {account['listener']}: {account['minutes_per_day']:.0f} min a day,"
            f" {account['times_median']:.1f} times the free tier's median"
        )
    return "\n".join(lines)
