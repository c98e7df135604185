"""The simulate_feed DAG's trigger form, and the plan that checks what the form cannot."""

from __future__ import annotations

import copy
import datetime as dt

import fastavro
import pytest

from wrapped_lake.analytics.codes import CODES
from wrapped_lake.simulate.plan import plan_shards, run_shard

FORM = {
    "users": 10,
    "days": 1,
    "start_date": "2026-01-01",
    "seed": 1,
    "personality": None,
    "personality_mix": None,
    "catalog_csv": None,
    "shards": 4,
    "bots": 0,
    "moving": False,
}


@pytest.fixture
def dag(dagbag):
    return dagbag.dags["simulate_feed"]


def _schema(dag, name: str) -> dict:
    return dag.params.get_param(name).schema


def test_every_param_has_a_title_and_description(dag):
    for name in FORM:
        param = dag.params.get_param(name)
        assert param.schema.get("title") and param.description, name


def test_personality_choices_follow_the_codes_module(dag):
    assert set(dag.params.get_param("personality").schema["enum"]) - {None} == set(CODES)


@pytest.mark.parametrize(
    ("name", "value"),
    [("users", 0), ("users", 1_000_001), ("days", 367), ("shards", 33), ("start_date", "01/02/2026"),
     ("personality", "XXXX"), ("personality_mix", {"XXXX": 1}), ("personality_mix", {"ENVU": -1}),
     ("personality_mix", {"ENVU": 0, "FTLC": 0}), ("personality_mix", {}), ("personality_mix", "ENVU:0, FTLC:0"),
     ("personality_mix", "XXXX:1"), ("personality_mix", "ENVU 3"), ("bots", -0.1), ("bots", 1.5)],
)  # fmt: skip
def test_the_form_rejects_out_of_range_values(dag, name, value):
    params = copy.deepcopy(dag.params)
    with pytest.raises(ValueError, match=name):
        params[name] = value
        params.validate()


@pytest.mark.parametrize("value", [None, "ENVU:3, FTLC:1", "ENVU=0.5", {"ENVU": 3, "FTLC": 0}])
def test_the_form_accepts_a_mix_as_text_or_object(dag, value):
    params = copy.deepcopy(dag.params)
    params["personality_mix"] = value
    params.validate()


def test_the_personality_choice_none_has_a_label(dag):
    assert _schema(dag, "personality")["values_display"][None].startswith("(none")


def test_plan_reads_a_text_mix():
    assert plan_shards(FORM | {"personality_mix": "ENVU:3, FTLC=1"})[0]["personality_mix"] == {"ENVU": 3, "FTLC": 1}


def test_plan_splits_users_into_shards():
    shards = plan_shards(FORM)
    assert [s["shard_index"] for s in shards] == [0, 1, 2, 3]
    assert {s["shard_count"] for s in shards} == {4}
    assert all(s["users"] == 10 and s["seed"] == 1 for s in shards)


def test_plan_never_makes_more_shards_than_users():
    assert len(plan_shards(FORM | {"users": 2, "shards": 8})) == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"personality": "ENVU", "personality_mix": {"FTLC": 1}}, "either personality or personality_mix"),
        ({"personality_mix": {"ENVU": 1, "WXYZ": 2}}, "unknown code"),
        ({"personality_mix": {"ENVU": 0}}, "positive sum"),
        ({"personality_mix": "ENVU"}, "not CODE:weight"),
        ({"catalog_csv": "/no/such/tracks.csv"}, "not a readable file"),
    ],
)
def test_plan_rejects_what_the_form_cannot_check(change, message):
    with pytest.raises(ValueError, match=message):
        plan_shards(FORM | change)


def test_plan_accepts_a_readable_catalog(tmp_path):
    csv = tmp_path / "tracks.csv"
    csv.write_text("track_id\n")
    assert plan_shards(FORM | {"catalog_csv": str(csv)})[0]["catalog_csv"] == str(csv)


def test_the_forms_share_of_stream_farms_reaches_every_shard(dag):
    params = copy.deepcopy(dag.params)
    params["bots"] = 0.05
    params.validate()
    shards = plan_shards({**FORM, "bots": params["bots"]})
    assert [shard["bots"] for shard in shards] == [0.05] * 4
    assert all("bots" not in shard for shard in plan_shards(FORM))  # none: the feed as before, byte for byte


def test_the_forms_moving_population_reaches_the_simulation(dag, tmp_path):
    params = copy.deepcopy(dag.params)
    assert params["moving"] is False and all("moving" not in shard for shard in plan_shards(FORM))
    params["moving"] = True
    params.validate()
    shards = plan_shards({**FORM, "users": 60, "days": 28, "shards": 2, "moving": params["moving"]})
    for shard in shards:
        run_shard(shard, tmp_path)
    first_play: dict[str, dt.datetime] = {}
    for path in (tmp_path / "simulated").rglob("*.avro"):
        with path.open("rb") as f:
            for event in fastavro.reader(f):
                first_play[event["userId"]] = min(
                    event["eventTime"], first_play.get(event["userId"], event["eventTime"])
                )
    a_week_in = dt.datetime(2026, 1, 8, tzinfo=dt.UTC)
    joined_late = [user for user, first in first_play.items() if first >= a_week_in]
    assert 1 <= len(joined_late) < len(first_play) / 4  # users join over the span; most were there from the start
