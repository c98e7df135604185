"""
### Simulate a listening feed

Triggered by hand, with a form: simulates `users` listeners over `days` UTC days from `start_date`
and writes the events as AVRO (schema `UserActivity` v2) into
`$LAKE_ROOT/inbox/simulated/date=YYYY-MM-DD/continent=XX/part-<shard>-of-<count>.avro`.
The users are split into `shards` mapped tasks that run in parallel; the same form values always
give byte-identical files, however they are sharded. The `ingest_inbox` DAG picks the files up
from the inbox.

Personalities: leave `personality` and `personality_mix` empty for a uniform mix, set one code
to give every user that personality, or weight the codes in `personality_mix` (`ENVU:3, FTLC:1`).
A request the form cannot check (both set, an unreadable catalog) fails at once with the reason.
Catalog: empty uses the bundled synthetic catalog; a path (readable by the workers) to a CSV in
the Spotify Tracks Dataset layout uses those tracks instead. Taste shifts: a share of the users
whose taste changes on known dates (simulate/shifts.py), for checking phases. Moving population:
users join and leave, with holiday and summer dips (simulate/movement.py), for the forecasts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Param, dag, task

from wrapped_lake.analytics.codes import CODES as PERSONALITY_CODES  # plain data: cheap at parse time
from wrapped_lake.analytics.codes import NAMES
from wrapped_lake.assets import Tag

CODE, WEIGHT = "[EF][NT][LV][CU]", r"\d+(\.\d+)?"  # one "CODE:weight" of the mix as text


@dag(
    schedule=None,  # manual only: triggered from the form
    start_date=datetime(2026, 1, 1),
    catchup=False,
    is_paused_upon_creation=False,  # a manual DAG may as well run when triggered
    default_args={"owner": "wrapped-lake", "retries": 1, "retry_delay": timedelta(seconds=30)},
    tags=[Tag.SIMULATE, Tag.FEED],
    doc_md=__doc__,
    params={
        "users": Param(
            100,
            type="integer",
            minimum=1,
            maximum=1_000_000,
            title="Users",
            description="How many listeners to simulate.",
        ),
        "days": Param(
            3,
            type="integer",
            minimum=1,
            maximum=366,
            title="Days",
            description="How many UTC days to simulate, starting at the start date.",
        ),
        "start_date": Param(
            "2026-01-01",
            type="string",
            format="date",
            title="Start date",
            description="First simulated UTC day; newness is judged against its year.",
        ),
        "seed": Param(
            42,
            type="integer",
            title="Seed",
            description="Random seed: the same values and seed give byte-identical files.",
        ),
        "personality": Param(
            None,
            type=["null", "string"],
            enum=[None, *PERSONALITY_CODES],
            values_display={None: "(none: use the mix below, or a uniform mix)"}
            | {code: f"{code}: {NAMES[code]}" for code in PERSONALITY_CODES},
            title="Personality",
            description="Give every user this listening personality; empty for a mix.",
        ),
        # Text first, so the form shows an empty field (an object field always shows "{}"); the API
        # also takes an object. Both are refused at trigger time when no weight is positive.
        "personality_mix": Param(
            None,
            type=["null", "string", "object"],
            pattern=rf"^(?=.*[1-9])\s*{CODE}\s*[:=]\s*{WEIGHT}(\s*,\s*{CODE}\s*[:=]\s*{WEIGHT})*\s*$",
            propertyNames={"enum": list(PERSONALITY_CODES)},
            additionalProperties={"type": "number", "minimum": 0},
            **{"not": {"type": "object", "additionalProperties": {"const": 0}}},  # "not" is a Python keyword
            title="Personality mix",
            description="Weights per code, e.g. ENVU:3, FTLC:1 (at least one above zero); empty for uniform.",
        ),
        "catalog_csv": Param(
            None,
            type=["null", "string"],
            title="Catalog CSV",
            description="Path to a Spotify Tracks Dataset CSV; empty for the bundled catalog.",
        ),
        "shards": Param(
            2,
            type="integer",
            minimum=1,
            maximum=32,
            title="Shards",
            description="Parallel tasks to split the users over (never more than users).",
        ),
        "bots": Param(
            0,
            type="number",
            minimum=0,
            maximum=1,
            title="Stream-farm accounts",
            description=(
                "Share of the users added as fraudulent accounts (loopers, 30-second farms, rotators, rings), with as"
                " many super-fans and sleepers; 0 for none. Which is which is in no file the lake reads: the CLI's"
                " `simulate --bots F --truth PATH` writes it aside."
            ),
            section="Artificial streaming",
        ),
        "moving": Param(
            False,
            type="boolean",
            title="Moving population",
            description=(
                "Users join (2% a week) and leave (1% a week) over the span, so the population grows about 1% a"
                " week, and listening dips over the year-end holidays and in summer (simulate/movement.py), as the"
                " CLI's `simulate --moving`; a series the forecasts can learn from."
            ),
            section="Forecasts",
        ),
        "taste_shifts": Param(
            0,
            type="number",
            minimum=0,
            maximum=1,
            title="Taste shifts",
            description=(
                "Share of the users whose favourite artists and genres change on one or two dates, the truth phases"
                " are checked against (needs 99 days or more); 0 for none. Who and when is in no file the lake reads:"
                " the CLI's `simulate --taste-shifts S --truth PATH` writes it aside."
            ),
            section="Taste shifts",
        ),
    },
)
def simulate_feed():
    @task
    def plan_shards(**context) -> list[dict]:
        """Check the form values and split the users into shards."""
        from airflow.sdk.exceptions import AirflowFailException

        from wrapped_lake.simulate.plan import plan_shards

        try:
            return plan_shards(context["params"])
        except ValueError as exc:
            raise AirflowFailException(str(exc)) from exc  # a retry would not change the answer

    @task(map_index_template="shard {{ task.op_kwargs['shard']['shard_index'] }}")
    def simulate_shard(shard: dict) -> dict:
        """Simulate one shard into the inbox; returns its file and event counts."""
        from wrapped_lake.platform.config import load_settings
        from wrapped_lake.simulate.plan import run_shard

        return run_shard(shard, load_settings().inbox)

    @task
    def summarize(results: list[dict]) -> dict:
        """Total files and events written by all shards."""
        totals = {"shards": 0, "files": 0, "events": 0}
        for result in results[:]:  # one request; iterating asks for an item past the end
            totals["shards"] += 1
            totals["files"] += result["files"]
            totals["events"] += result["events"]
        print(totals)  # the task log shows what the run wrote
        return totals

    summarize(simulate_shard.expand(shard=plan_shards()))


simulate_feed()
