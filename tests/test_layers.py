"""ARCHITECTURE.md's layers: modules import, and run SQL, only from their own layer or the layers below."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "include" / "wrapped_lake"
CONTRACT = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"][0]

# sql/curated/ holds the stages and merges of the curated tables, which only ingest writes.
SQL_FOLDER_LAYER = {"curated": "ingest"}
# (module, query) pairs that break the rule, each with what moves it.
KNOWN_BREAKS = {
    # cli.py (being edited elsewhere) reads it by this name too; it moves to sql/zones/ with that line.
    ("zones/parquet.py", "ingest/dirty_partitions"),
}


def layer_ranks() -> dict[str, int]:
    """Each layer's height from the contract: 0 for platform, higher for layers that may import it."""
    layers = list(reversed(CONTRACT["layers"]))
    return {name.strip(): rank for rank, layer in enumerate(layers) for name in layer.split("|")}


def query_names(module: Path) -> list[str]:
    """The names a module passes to query(): literal, or an f-string's literal start ("zones/export_")."""
    names = []
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "query":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.JoinedStr) and first.values:
                first = first.values[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.append(first.value)
    return names


def test_imports_follow_the_layers():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([lint_imports, "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_modules_run_queries_from_their_own_layer_or_below():
    ranks = layer_ranks()
    breaks = set()
    for module in PACKAGE.rglob("*.py"):
        layer = module.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for name in query_names(module):
            folder = name.split("/")[0]
            if ranks[SQL_FOLDER_LAYER.get(folder, folder)] > ranks[layer]:
                breaks.add((module.relative_to(PACKAGE).as_posix(), name))
    assert breaks == KNOWN_BREAKS
