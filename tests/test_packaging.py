"""A built wheel holds every file the code loads by name: queries, migrations, schemas, templates."""

from __future__ import annotations

import fnmatch
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from query_names import PACKAGE, package_queries

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow  # a real wheel build: about 5 s


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory) -> set[str]:
    """Names inside a wheel built the way a release is (uv build, isolated setuptools)."""
    source = tmp_path_factory.mktemp("source")
    # A copy, not the work tree: setuptools reuses build/lib, whose stale files would hide a miss.
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for name in ("include", "sql"):
        shutil.copytree(
            REPO / name, source / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    out = tmp_path_factory.mktemp("dist")
    build = [sys.executable, "-m", "uv", "build", "--wheel", "--quiet", "-o", str(out), str(source)]
    result = subprocess.run(build, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def shipped(folder: Path, pattern: str = "*") -> list[str]:
    """The files under a package folder that match `pattern`, as their names inside the wheel."""
    return [
        f"wrapped_lake/{path.relative_to(PACKAGE).as_posix()}"
        for path in sorted(folder.rglob(pattern))
        if path.is_file() and "__pycache__" not in path.parts
    ]


def test_every_query_the_code_names_is_in_the_wheel(wheel_files):
    missing = [
        (module, name)
        for module, name in package_queries()
        if not fnmatch.filter(wheel_files, f"wrapped_lake/sql/{name}.sql")
    ]
    assert missing == []


def test_every_sql_file_is_in_the_wheel(wheel_files):
    sql = shipped(PACKAGE / "sql", "*.sql")
    assert any(Path(name).name[:3].isdigit() for name in sql)  # the migrations are among them
    assert sorted(set(sql) - wheel_files) == []


def test_every_schema_and_template_is_in_the_wheel(wheel_files):
    files = (
        shipped(PACKAGE / "schemas")
        + shipped(PACKAGE / "reports" / "templates")
        + shipped(PACKAGE / "ui" / "templates")
    )
    assert sorted(set(files) - wheel_files) == []
