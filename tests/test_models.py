"""The models of sql/models/: each parsed by a real SQL parser (sqlglot, Postgres dialect) reads
exactly what its header declares, the build's order follows those inputs, and the lineage graph
that ARCHITECTURE.md shows is the one the code prints."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from wrapped_lake.platform import models

REPO = Path(__file__).resolve().parents[1]
# Values for the build's placeholders and parameters, so that a model is plain SQL to the parser.
PLACEHOLDERS = {
    "{facts}": "marts.hourly_plays",
    "{months}": "marts.listener_months",
    "{days}": "marts.listener_days",
    "{day_artists}": "marts.listener_day_artists",
    "{account_days}": "marts.account_days",
    "{account_tracks}": "marts.account_tracks",
    "{heavy_tracks}": "marts.account_heavy_tracks",
    "{build}": "0",
    "{whole}": "true",
    "{in_range}": "true",
}
FUNCTION_BODY = re.compile(r"LANGUAGE\s+sql\b.*?AS\s+\$\$(.*?)\$\$", re.IGNORECASE | re.DOTALL)
SQL_FUNCTION = re.compile(r"LANGUAGE\s+sql\b", re.IGNORECASE)


def plain(text: str) -> str:
    text = re.sub(r"%\(\w+\)s", "NULL", text).replace("%%", "%").replace("ON COMMIT DROP", "")
    for placeholder, value in PLACEHOLDERS.items():
        text = text.replace(placeholder, value)
    return text


def statements(model_text: str) -> list[exp.Expression]:
    """The parsed statements that can read objects: a view's query, a SQL function's body, a
    fill's statements (comments, grants and plpgsql bodies carry no reads)."""
    text = plain(model_text)
    definition = models.DEFINITION.match(models._body(text))
    if definition and definition.group(1).upper() == "FUNCTION":
        body = FUNCTION_BODY.search(text)
        return [s for s in sqlglot.parse(body.group(1), read="postgres") if s] if body else []
    if definition:
        view = next(s for s in text.split(";\n") if re.search(r"^\s*CREATE\s+(OR\s+REPLACE\s+)?VIEW", s, re.M))
        return [sqlglot.parse_one(view, read="postgres")]
    return [s for s in sqlglot.parse(text, read="postgres") if s and not isinstance(s, exp.Command)]


def references(parsed: list[exp.Expression]) -> set[str]:
    """Tables, views and schema-qualified functions the statements name (CTE names left out)."""
    found: set[str] = set()
    for statement in parsed:
        ctes = {cte.alias for cte in statement.find_all(exp.CTE)}
        for table in statement.find_all(exp.Table):
            name = table.this.name  # a table's, or a function's in FROM
            if name and (table.db or name not in ctes):
                found.add(f"{table.db}.{name}" if table.db else name)
        for dot in statement.find_all(exp.Dot):
            if isinstance(dot.expression, exp.Anonymous) and isinstance(dot.this, exp.Identifier):
                found.add(f"{dot.this.name}.{dot.expression.name}")
    return found


EVERY_MODEL = list(models.models().values())


@pytest.mark.parametrize("model", EVERY_MODEL, ids=[m.name for m in EVERY_MODEL])
def test_a_model_reads_exactly_what_it_declares(model):
    read = references(statements(model.text)) - {model.name, *model.also_writes}
    if model.kind == "function" and not SQL_FUNCTION.search(model.text):
        assert model.inputs == ()  # plpgsql: its body is not parsed, so it may read nothing
        return
    assert sorted(read) == sorted(model.inputs), f"sql/{model.path}.sql declares {model.inputs}, reads {sorted(read)}"


@pytest.mark.parametrize("check", models.checks(), ids=[c.name for c in models.checks()])
def test_a_check_reads_exactly_what_it_declares(check):
    text = (REPO / "sql" / f"{check.path}.sql").read_text()
    read = references([s for s in sqlglot.parse(plain(text), read="postgres") if s])
    assert sorted(read) == sorted(check.checks)


@pytest.mark.parametrize("query", models.figures(), ids=[q.path.rsplit("/", 1)[-1] for q in models.figures()])
def test_a_report_query_reads_exactly_what_it_declares(query):
    text = (REPO / "sql" / f"{query.path}.sql").read_text()
    assert sorted(references([sqlglot.parse_one(plain(text), read="postgres")])) == sorted(query.inputs)


def test_every_key_of_the_wrapped_json_comes_from_a_report_query():
    schema = json.loads((REPO / "include/wrapped_lake/schemas/wrapped.schema.json").read_text())
    given = [key for query in models.figures() for key in query.keys]
    assert sorted(given) == sorted(set(schema["properties"]) - {"listener", "year"})  # each once


def test_every_model_comes_after_what_it_reads():
    order = list(models.models())
    for model in models.models().values():
        for item in model.inputs:
            if item in order:
                assert order.index(item) < order.index(model.name), f"{model.name} before its input {item}"


def test_every_model_is_named_after_the_object_it_makes():
    for model in EVERY_MODEL:
        body = models._body(model.text)
        if model.kind in ("view", "function"):
            creates = rf"\s*CREATE\s+(OR\s+REPLACE\s+)?{model.kind}\s+{re.escape(model.name)}\b"
            assert re.match(creates, body, re.IGNORECASE | re.MULTILINE)
        assert model.purpose and not model.purpose.startswith("inputs:")


def test_the_build_runs_the_fills_in_the_order_of_their_inputs():
    assert [m.name for m in models.build_order(["marts.listeners"])] == [
        "known_track_uris", "marts.hourly_plays", "marts.listener_months", "marts.listeners",
    ]  # fmt: skip
    assert [m.name for m in models.build_order(["marts.listeners"], built=["marts.listener_months"])] == [
        "marts.listeners"
    ]


def test_a_file_that_reads_whole_without_declaring_passes_is_refused(tmp_path):
    (tmp_path / "models/marts/facts").mkdir(parents=True)
    (tmp_path / "models/marts/facts/twice.sql").write_text(
        "-- A fill.\n-- inputs: build_targets\nINSERT INTO marts.twice SELECT 1 FROM build_targets WHERE {whole}\n"
    )
    with pytest.raises(models.ModelError, match="declares no passes"):
        models.models(tmp_path)


def test_a_model_without_inputs_in_its_header_is_refused(tmp_path):
    (tmp_path / "models/marts").mkdir(parents=True)
    (tmp_path / "models/marts/plain.sql").write_text("-- A view.\nCREATE VIEW marts.plain AS SELECT 1\n")
    with pytest.raises(models.ModelError, match="names no inputs"):
        models.models(tmp_path)


def test_architecture_shows_the_lineage_the_code_prints():
    graph = models.lineage()
    assert "marts_hourly_plays --> marts_window_plays" in graph
    assert "curated_play_rows --> marts_hourly_plays" in graph
    architecture = (REPO / "ARCHITECTURE.md").read_text()
    assert f"```mermaid\n{graph}```" in architecture, "ARCHITECTURE.md: paste `wrapped-lake marts lineage`"
