"""The query names the package's modules pass to db.query(), read from their syntax trees."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "include" / "wrapped_lake"


def query_names(module: Path) -> list[str]:
    """The names a module passes to query(); an f-string's ends in * ("zones/export_*")."""
    names = []
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "query":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.append(first.value)
            elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                names.append(f"{first.values[0].value}*")
    return names


def package_queries() -> list[tuple[str, str]]:
    """(module path inside the package, query name) for every query() call the package makes."""
    return [
        (module.relative_to(PACKAGE).as_posix(), name)
        for module in sorted(PACKAGE.rglob("*.py"))
        for name in query_names(module)
    ]
