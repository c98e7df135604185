"""The simulate_feed DAG: parses, carries the house defaults, and its trigger form validates input."""

from __future__ import annotations

import copy

import pytest

from wrapped_lake.analytics.codes import CODES
from wrapped_lake.simulate.plan import plan_shards

FORM = {
    "users": 10,
    "days": 1,
    "start_date": "2026-01-01",
    "seed": 1,
    "personality": None,
    "personality_mix": None,
    "catalog_csv": None,
    "shards": 4,
}


@pytest.fixture
def dag(dagbag):
    return dagbag.dags["simulate_feed"]


def _schema(dag, name: str) -> dict:
    return dag.params.get_param(name).schema


def test_dag_parses_and_is_manual_with_house_defaults(dagbag, dag):
    assert "dags/simulate_feed.py" not in str(dagbag.import_errors)
    assert type(dag.timetable).__name__ == "NullTimetable"  # schedule=None: manual runs only
    assert dag.catchup is False
    assert dag.tags and dag.doc_md
    for task in dag.tasks:
        assert task.owner == "wrapped-lake", task.task_id
        assert (task.retries or 0) >= 1, task.task_id
    assert {t.task_id for t in dag.tasks} == {"plan_shards", "simulate_shard", "summarize"}


def test_every_param_has_a_title_and_description(dag):
    for name in FORM:
        param = dag.params.get_param(name)
        assert param.schema.get("title") and param.description, name


@pytest.mark.parametrize(
    ("name", "kind", "low", "high", "default"),
    [
        ("users", "integer", 1, 1_000_000, 100),
        ("days", "integer", 1, 366, 3),
        ("shards", "integer", 1, 32, 2),
    ],
)
def test_integer_params_have_their_limits(dag, name, kind, low, high, default):
    schema = _schema(dag, name)
    assert (schema["type"], schema["minimum"], schema["maximum"]) == (kind, low, high)
    assert dag.params[name] == default


def test_other_params_have_their_types_and_defaults(dag):
    assert (_schema(dag, "start_date")["type"], _schema(dag, "start_date")["format"]) == ("string", "date")
    assert dag.params["start_date"] == "2026-01-01"
    assert (_schema(dag, "seed")["type"], dag.params["seed"]) == ("integer", 42)
    assert _schema(dag, "personality")["type"] == ["null", "string"]
    assert _schema(dag, "personality_mix")["type"] == ["null", "string", "object"]  # a text field in the form
    assert _schema(dag, "catalog_csv")["type"] == ["null", "string"]
    assert dag.params["personality"] is None and dag.params["personality_mix"] is None
    assert dag.params["catalog_csv"] is None


def test_personality_choices_are_the_sixteen_codes_or_none(dag):
    assert _schema(dag, "personality")["enum"] == [None, *CODES]
    assert _schema(dag, "personality_mix")["propertyNames"] == {"enum": list(CODES)}


@pytest.mark.parametrize(
    ("name", "value"),
    [("users", 0), ("users", 1_000_001), ("days", 367), ("shards", 33), ("start_date", "01/02/2026"),
     ("personality", "XXXX"), ("personality_mix", {"XXXX": 1}), ("personality_mix", {"ENVU": -1}),
     ("personality_mix", {"ENVU": 0, "FTLC": 0}), ("personality_mix", {}), ("personality_mix", "ENVU:0, FTLC:0"),
     ("personality_mix", "XXXX:1"), ("personality_mix", "ENVU 3")],
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
