"""ARCHITECTURE.md's layers: modules import, and run SQL, only from their own layer or the layers below."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from query_names import package_queries

REPO = Path(__file__).resolve().parents[1]
CONTRACT = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"][0]

# sql/curated/ holds the stages and merges of the curated tables, which only ingest writes.
SQL_FOLDER_LAYER = {"curated": "ingest"}
# (module, query) pairs that break the rule, each with what moves it.
KNOWN_BREAKS: set[tuple[str, str]] = set()


def layer_ranks() -> dict[str, int]:
    """Each layer's height from the contract: 0 for platform, higher for layers that may import it."""
    layers = list(reversed(CONTRACT["layers"]))
    return {name.strip(): rank for rank, layer in enumerate(layers) for name in layer.split("|")}


def test_imports_follow_the_layers():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([lint_imports, "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_modules_run_queries_from_their_own_layer_or_below():
    ranks = layer_ranks()
    breaks = set()
    for module, name in package_queries():
        layer = module.split("/")[0].removesuffix(".py")
        folder = name.split("/")[0]
        if ranks[SQL_FOLDER_LAYER.get(folder, folder)] > ranks[layer]:
            breaks.add((module, name))
    assert breaks == KNOWN_BREAKS
