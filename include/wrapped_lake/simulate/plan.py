"""Split a simulate_feed trigger into shards, and run one shard into the inbox."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wrapped_lake.analytics.codes import CODES


def plan_shards(params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One small dict per shard, after checks the trigger form's JSON schema cannot express.

    Raises ValueError with the reason. There are never more shards than users: an empty shard would
    be a task that writes nothing.
    """
    personality, mix, catalog = params.get("personality"), params.get("personality_mix"), params.get("catalog_csv")
    if isinstance(mix, str):
        mix = parse_mix(mix)
    if personality is not None and mix:
        raise ValueError("give either personality or personality_mix, not both")
    if personality is not None and personality not in CODES:
        raise ValueError(f"unknown personality {personality!r}; expected one of {', '.join(CODES)}")
    if mix:
        unknown = sorted(set(mix) - set(CODES))
        if unknown:
            raise ValueError(
                f"personality_mix: unknown code(s) {', '.join(unknown)}; expected some of {', '.join(CODES)}"
            )
        if any(not isinstance(w, int | float) or w < 0 for w in mix.values()) or sum(mix.values()) <= 0:
            raise ValueError("personality_mix: weights must be non-negative numbers with a positive sum")
    if catalog is not None and not (Path(catalog).is_file() and os.access(catalog, os.R_OK)):
        raise ValueError(f"catalog_csv: {catalog} is not a readable file (the path is read on the worker)")
    users, shards = int(params["users"]), int(params["shards"])
    dt.date.fromisoformat(params["start_date"])  # fail in planning, not in every shard
    count = max(1, min(shards, users))
    common = {
        "users": users,
        "days": int(params["days"]),
        "start_date": params["start_date"],
        "seed": int(params["seed"]),
        "personality": personality,
        "personality_mix": dict(mix) if mix else None,
        "catalog_csv": catalog,
        "shard_count": count,
    }
    if params.get("bots"):
        if not 0 <= float(params["bots"]) <= 1:
            raise ValueError(f"bots: a fraction of the users between 0 and 1, got {params['bots']}")
        common["bots"] = float(params["bots"])
    if params.get("moving"):
        common["moving"] = True
    if params.get("taste_shifts"):
        from wrapped_lake.simulate.shifts import least_days

        share = float(params["taste_shifts"])
        if not 0 <= share <= 1:
            raise ValueError(f"taste_shifts: a fraction of the users between 0 and 1, got {share}")
        if common["days"] < least_days():
            raise ValueError(f"taste_shifts: needs at least {least_days()} days, got {common['days']}")
        common["taste_shifts"] = share
    return [{**common, "shard_index": i} for i in range(count)]


def parse_mix(text: str) -> dict[str, float]:
    """The trigger form's text mix, "ENVU:3, FTLC:1" (or "ENVU=3"), as weights per code."""
    mix = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, sep, weight = part.replace("=", ":").partition(":")
        try:
            mix[code.strip()] = float(weight)
        except ValueError:
            raise ValueError(f"personality_mix: {part!r} is not CODE:weight") from None
        if not sep:
            raise ValueError(f"personality_mix: {part!r} is not CODE:weight")
    return mix


def run_shard(shard: Mapping[str, Any], inbox: Path) -> dict[str, int]:
    """Simulate one planned shard into inbox/simulated/; returns how many files and events it wrote."""
    import fastavro

    from wrapped_lake.simulate import simulate
    from wrapped_lake.simulate.catalog import load_catalog_csv

    paths = simulate(
        shard["users"],
        shard["days"],
        dt.date.fromisoformat(shard["start_date"]),
        shard["seed"],
        inbox,
        catalog=load_catalog_csv(shard["catalog_csv"]) if shard["catalog_csv"] else None,
        personality=shard["personality"],
        personality_mix=shard["personality_mix"],
        shard_index=shard["shard_index"],
        shard_count=shard["shard_count"],
        bots=shard.get("bots", 0.0),
        moving=shard.get("moving", False),
        taste_shifts=shard.get("taste_shifts", 0.0),
    )
    events = 0
    for path in paths:
        with path.open("rb") as f:
            events += sum(block.num_records for block in fastavro.block_reader(f))
    return {"files": len(paths), "events": events}
