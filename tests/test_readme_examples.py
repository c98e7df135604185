"""The README's SQL examples, exactly as printed, on the lake `make demo` leaves (plus the small
simulated feed the README runs for the population views): each returns rows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wrapped_lake.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
SQL_BLOCKS = re.findall(r"^```sql\n(.*?)^```", README, re.M | re.S)
# Statements end at a semicolon at the end of a line; each keeps the comment above it.
STATEMENTS = [s.strip() for block in SQL_BLOCKS for s in re.split(r";[ \t]*$", block, flags=re.M) if s.strip()]
FEED = re.search(r"^(\.venv/bin/wrapped-lake simulate [^\n#]* && .*)$", README, re.M)  # the population views' feed


def test_the_readme_has_sql_examples_and_the_feed_they_need():
    assert len(STATEMENTS) >= 6 and FEED is not None


@pytest.mark.slow
def test_every_sql_example_in_the_readme_returns_rows_on_the_demo_lake(lake, conn, capsys):
    assert main(["demo"]) == 0
    for command in FEED.group(1).split(" && ") if FEED else []:
        assert main(command.split()[1:]) == 0, command
    capsys.readouterr()
    empty = [statement for statement in STATEMENTS if not conn.execute(statement).fetchall()]
    assert empty == []
