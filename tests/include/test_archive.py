"""ZIP safety checks and the order entries are read in."""

from __future__ import annotations

import io
import zipfile

import pytest

from wrapped_lake.platform.errors import InputError
from wrapped_lake.readers import archive


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


PAYLOAD = b'[{"ts": "2024-01-01T00:00:00Z", "ms_played": 1000}]' * 2000


def _one_entry_zip(method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as out:
        out.writestr("Streaming_History_Audio_0.json", PAYLOAD)
    return buffer.getvalue()


def _read(data: bytes) -> bytes:
    zipped = zipfile.ZipFile(io.BytesIO(data))
    (entry,) = archive.checked_entries(zipped)
    return archive.read_entry(zipped, entry)


def _patch_directory(data: bytes, offset: int, value: int) -> bytes:
    """Overwrite a 4-byte field of the (only) central directory record."""
    at = data.rindex(zipfile.stringCentralDir) + offset
    return data[:at] + value.to_bytes(4, "little") + data[at + 4 :]


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_entries_read_back_exactly(method):
    assert _read(_one_entry_zip(method)) == PAYLOAD


def test_a_wrong_checksum_is_a_damaged_entry():
    damaged = _patch_directory(_one_entry_zip(), 16, 0x12345678)  # CRC-32
    with pytest.raises(InputError, match=r"(?i)damaged ZIP entry: bad CRC-32") as caught:
        _read(damaged)
    assert caught.value.entry == "Streaming_History_Audio_0.json"


def test_an_entry_larger_than_declared_is_a_damaged_entry():
    lying = _patch_directory(_one_entry_zip(), 24, 1000)  # uncompressed size
    with pytest.raises(InputError, match="damaged ZIP entry"):
        _read(lying)


def test_corrupt_compressed_bytes_are_a_damaged_entry():
    data = bytearray(_one_entry_zip())
    start = 30 + len("Streaming_History_Audio_0.json")
    data[start : start + 40] = bytes(40)
    with pytest.raises(InputError, match="damaged ZIP entry"):
        _read(bytes(data))
