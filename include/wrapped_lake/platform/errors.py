"""Errors that send an input to quarantine, with a reason a person can act on."""

from __future__ import annotations


class InputError(Exception):
    """An input file (or ZIP entry) the lake cannot load; the message says why in plain words."""

    def __init__(self, reason: str, *, kind: str = "unknown", entry: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.entry = entry
