"""Errors that send an input to quarantine, with a reason a person can act on."""

from __future__ import annotations


class InputError(Exception):
    """An input file (or ZIP entry) the lake cannot load; the message says why in plain words."""

    def __init__(self, reason: str, *, kind: str = "unknown", entry: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.entry = entry


class DatabaseUnavailable(Exception):
    """The database went away during an ingest: the file being loaded was rolled back and stays put."""

    def __init__(self, file: str, detail: str) -> None:
        super().__init__(f"{file}: {detail}")
        self.file = file
        self.detail = detail

    def advice(self) -> str:
        return (
            f"lost the database while ingesting {self.file} ({self.detail}); nothing of that file was "
            "committed and it is still in the inbox: start the database (or fix LAKE_DATABASE_URL) "
            "and run `wrapped-lake ingest` again"
        )
