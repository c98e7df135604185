"""ZIP safety checks and the order entries are read in."""

from __future__ import annotations

import io
import zipfile

import pytest

from wrapped_lake import archive
from wrapped_lake.errors import InputError


def _zip(names: list[str]) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name in names:
            out.writestr(name, b"[]")
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def test_entries_come_in_natural_number_order():
    names = [f"Spotify Extended Streaming History/Streaming_History_Audio_2020_{n}.json" for n in (10, 2, 1)]
    assert [e.name.rsplit("_", 1)[1] for e in archive.checked_entries(_zip(names))] == ["1.json", "2.json", "10.json"]


@pytest.mark.parametrize("name", ["../evil.json", "a/../../evil.json", "/etc/evil.json", "C:/evil.json", "..\\x.json"])
def test_entries_that_escape_the_folder_are_refused(name):
    with pytest.raises(InputError, match="escape"):
        archive.checked_entries(_zip([name]))


def test_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(archive, "MAX_ENTRIES", 3)
    with pytest.raises(InputError, match="4 entries"):
        archive.checked_entries(_zip([f"f{n}.json" for n in range(4)]))
