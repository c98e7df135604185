"""The lake's derived objects, one file each under sql/models/: views and SQL functions (applied
on every migrate whose model files changed) and the marts' fills (run by the build). A file is
named after its object (sql/models/<schema>/<group>/<object>.sql) and opens with its purpose and
its inputs; the order in which they are created and run comes from those inputs.

Header of a model file (leading comment lines):
    -- <one line: what it is>
    -- inputs: marts.hourly_plays, marts.window_ms
    -- also writes: touched_months          (a fill's second output, optional)
    -- passes: whole, hours                 (a fill run once per kind of build target, optional)
A data check beside its model: <check>.check.sql, whose one row must be all true.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from graphlib import TopologicalSorter
from importlib import resources
from importlib.resources.abc import Traversable

import psycopg
from psycopg import sql

# The repo's sql/ folder, shipped in the package (a link in the source tree, files in a wheel).
SQL_DIR = resources.files("wrapped_lake") / "sql"
MODELS = "models"
DEFINITION = re.compile(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(VIEW|FUNCTION)\b", re.IGNORECASE)
TEMPORARY = re.compile(r"^\s*CREATE\s+TEMPORARY\s+TABLE\s+(\w+)", re.IGNORECASE)
PASSES = {"whole": True, "hours": False}


class ModelError(ValueError):
    """A model file whose header, name or inputs do not hold together."""


@dataclass(frozen=True)
class Model:
    """One derived object: its name, the query name of its file, and what its header declares."""

    name: str  # schema.object, or a bare name for a build's temporary table
    path: str  # for db.query: "models/marts/wrapped/top_artists"
    purpose: str
    inputs: tuple[str, ...]
    also_writes: tuple[str, ...]
    passes: tuple[bool, ...] | None
    kind: str  # "view" or "function" (created at migrate), "fill" (run by the build)
    text: str

    @property
    def group(self) -> str:
        """Its folder under sql/models/, e.g. "marts/wrapped"."""
        return self.path.removeprefix(f"{MODELS}/").rsplit("/", 1)[0]


@dataclass(frozen=True)
class Figures:
    """A report query (sql/reports/wrapped/) and the keys of the Wrapped's JSON it gives."""

    path: str
    inputs: tuple[str, ...]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Check:
    """A data check beside its model: one row whose every column must be true."""

    name: str
    path: str
    checks: tuple[str, ...]  # the models it checks (its inputs)


def _header(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return lines


def _field(header: list[str], key: str) -> tuple[str, ...] | None:
    for line in header:
        if line.startswith(f"{key}:"):
            return tuple(item.strip() for item in line.split(":", 1)[1].split(",") if item.strip())
    return None


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


def _files(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            found += _files(entry, f"{prefix}/{entry.name}")
        elif entry.name.endswith(".sql"):
            found.append((f"{prefix}/{entry.name.removesuffix('.sql')}", entry))
    return found


def _model(path: str, text: str) -> Model:
    header = _header(text)
    parts = path.split("/")  # models/<schema>/<group...>/<object>
    if len(parts) < 3 or not header:
        raise ModelError(f"sql/{path}.sql: a model lives in sql/models/<schema>/ and opens with its purpose")
    inputs = _field(header, "inputs")
    if inputs is None:
        raise ModelError(f"sql/{path}.sql: the header names no inputs (-- inputs: a, b)")
    body = _body(text)
    definition = DEFINITION.match(body)
    temporary = TEMPORARY.match(body)
    name = temporary.group(1) if temporary else f"{parts[1]}.{parts[-1]}"
    if temporary and temporary.group(1) != parts[-1]:
        raise ModelError(f"sql/{path}.sql: creates {temporary.group(1)}, not the table it is named after")
    passes = _field(header, "passes")
    if passes is not None and set(passes) - PASSES.keys():
        raise ModelError(f"sql/{path}.sql: passes are {', '.join(PASSES)}")
    if "{whole}" in text and passes is None:
        raise ModelError(f"sql/{path}.sql: reads {{whole}} but declares no passes")
    return Model(
        name=name,
        path=path,
        purpose=header[0],
        inputs=inputs,
        also_writes=_field(header, "also writes") or (),
        passes=tuple(PASSES[p] for p in passes) if passes is not None else None,
        kind=definition.group(1).lower() if definition else "fill",
        text=text,
    )


@cache
def models(sql_dir: Traversable = SQL_DIR) -> dict[str, Model]:
    """Every model by name, in a topological order of their inputs (a model after what it reads)."""
    found: dict[str, Model] = {}
    if not (sql_dir / MODELS).is_dir():
        return found  # a folder of migrations alone (tests of old lakes)
    for path, entry in _files(sql_dir / MODELS, MODELS):
        if path.endswith((".check", ".test")):
            continue
        model = _model(path, entry.read_text(encoding="utf-8"))
        if model.name in found:
            raise ModelError(f"two models named {model.name}: sql/{found[model.name].path}.sql and sql/{path}.sql")
        found[model.name] = model
    writers = {written: m.name for m in found.values() for written in m.also_writes}
    # Sorted, so the order (and the lineage printed from it) is the same in every process.
    graph = {
        m.name: sorted({found[i].name if i in found else writers[i] for i in m.inputs if i in found or i in writers})
        for m in found.values()
    }
    return {name: found[name] for name in TopologicalSorter(graph).static_order()}


@cache
def checks(sql_dir: Traversable = SQL_DIR) -> list[Check]:
    """Every data check (sql/models/**/<name>.check.sql), by name."""
    found = []
    for path, entry in _files(sql_dir / MODELS, MODELS) if (sql_dir / MODELS).is_dir() else []:
        if path.endswith(".check"):
            inputs = _field(_header(entry.read_text(encoding="utf-8")), "inputs") or ()
            found.append(Check(path.rsplit("/", 1)[-1].removesuffix(".check"), path, inputs))
    return sorted(found, key=lambda c: c.name)


@cache
def figures(sql_dir: Traversable = SQL_DIR) -> list[Figures]:
    """The report queries that give the Wrapped's JSON keys, with what they read."""
    found = []
    for path, entry in _files(sql_dir / "reports" / "wrapped", "reports/wrapped"):
        header = _header(entry.read_text(encoding="utf-8"))
        if _field(header, "keys"):
            found.append(Figures(path, _field(header, "inputs") or (), _field(header, "keys")))
    return found


def build_order(targets: list[str], built: list[str] = (), sql_dir: Traversable = SQL_DIR) -> list[Model]:
    """The fills that make the target tables, with the fills they read first (except those made
    already: `built` and what they read), in the order of their inputs."""
    every = models(sql_dir)
    writers = {written: m.name for m in every.values() for written in m.also_writes}
    done: set[str] = set()
    wanted: set[str] = set()

    def visit(name: str, into: set[str]) -> None:
        if name in into or every[name].kind != "fill":
            return
        into.add(name)
        for item in every[name].inputs:
            source = item if item in every else writers.get(item)
            if source is not None:
                visit(source, into)

    for name in built:
        visit(name, done)
    for target in targets:
        visit(target, wanted)
    return [m for m in every.values() if m.name in wanted - done or m.name in targets]


def definitions_digest(sql_dir: Traversable = SQL_DIR) -> str:
    """Changes when any view or function model changes: the migrator then re-creates them all."""
    digest = hashlib.sha256()
    for model in models(sql_dir).values():
        if model.kind != "fill":
            digest.update(f"{model.path}\0{model.text}\0".encode())
    return digest.hexdigest()


def drop_definitions(conn: psycopg.Connection, sql_dir: Traversable = SQL_DIR) -> None:
    """Drop every view and function model: the views readers first, as the database records what
    each one reads (the definitions being replaced may read other views than the new files do),
    then the functions. No CASCADE: an object of someone else's that depends on one stops the
    migration with Postgres's own message."""
    every = models(sql_dir)
    view_readers = SQL_DIR.joinpath("platform", "view_readers.sql").read_text(encoding="utf-8")
    readers: dict[str, set[str]] = {}
    names = [name for name, model in every.items() if model.kind == "view"]
    for name, reader in conn.execute(view_readers, {"names": names}):
        readers.setdefault(name, set()).update([reader] if reader else [])
    for name in TopologicalSorter(readers).static_order():
        conn.execute(sql.SQL("DROP VIEW {}").format(sql.Identifier(*name.split("."))))
    for model in reversed(every.values()):
        if model.kind == "function":
            conn.execute(sql.SQL("DROP FUNCTION IF EXISTS {}").format(sql.Identifier(*model.name.split("."))))


def create_definitions(conn: psycopg.Connection, sql_dir: Traversable = SQL_DIR) -> None:
    """Create every view and function model, each after what it reads."""
    for model in models(sql_dir).values():
        if model.kind != "fill":
            conn.execute(model.text)


def lineage(sql_dir: Traversable = SQL_DIR) -> str:
    """The models' graph as Mermaid (GitHub renders it): tables on the left, then each model
    grouped by its folder, an arrow from each input to what reads it."""
    every = models(sql_dir)
    writers = {written: m.name for m in every.values() for written in m.also_writes}

    def node(name: str) -> str:
        return re.sub(r"\W", "_", name)

    lines = ["flowchart LR"]
    report = figures(sql_dir)
    read = [i for m in every.values() for i in m.inputs] + [i for query in report for i in query.inputs]
    sources = sorted({i for i in read if i not in every and i not in writers})
    lines += [f"    {node(s)}[({s})]" for s in sources]
    groups: dict[str, list[Model]] = {}
    for model in every.values():
        groups.setdefault(model.group, []).append(model)
    for group, members in groups.items():
        lines.append(f"    subgraph {node(group)}[{group}]")
        shape = {"view": "[{}]", "function": "[[{}]]", "fill": "[/{}/]"}
        lines += [f"        {node(m.name)}{shape[m.kind].format(m.name)}" for m in members]
        lines.append("    end")
    for model in every.values():
        for item in model.inputs:
            lines.append(f"    {node(writers.get(item, item))} --> {node(model.name)}")
    # The Wrapped's JSON keys, each from the models its report query reads.
    lines.append("    subgraph wrapped_json[Wrapped JSON keys]")
    lines += [f"        key_{key}{{{{{key}}}}}" for query in report for key in query.keys]
    lines.append("    end")
    for query in report:
        for item in query.inputs:
            lines += [f"    {node(item)} --> key_{key}" for key in query.keys]
    return "\n".join(lines) + "\n"
