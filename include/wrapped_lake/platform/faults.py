"""Crash points for the crash-safety tests: WRAPPED_LAKE_CRASH_AT=<name> kills the process there."""

from __future__ import annotations

import os
import signal


def checkpoint(name: str) -> None:
    """Die like `kill -9` when the environment asks for a crash at this point."""
    if os.environ.get("WRAPPED_LAKE_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
