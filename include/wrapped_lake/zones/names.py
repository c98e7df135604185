"""The one rule that turns a name from the data (a listener, a file) into a path step in a zone.

Every zone (curated Parquet, quarantine, reports) builds its paths from names only through
`path_segment`, so no name can leave its zone or fail to fit a file system, whatever it holds:
`..`, `/tmp/x`, NUL, right-to-left marks, 10,000 characters. The step is the name's UTF-8
percent-encoded, which Hive readers decode back; only letters, digits and `_-.` stay as they are.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

# File systems allow 255 bytes in one step. Leave room for what zones put around a step
# ("listener=", "<digest>-", ".error.json", a temporary file's prefix and suffix).
MAX_SEGMENT = 160
# A name too long to encode in full keeps the start of its encoding and ends in "~" and a hash of
# the whole name. "~" never appears in a full encoding (it is encoded too), so a cut name can never
# equal a whole one; 20 hex digits (80 bits) keep cut names with a common start apart.
CUT_MARK = "~"
HASH_DIGITS = 20


def path_segment(name: str) -> str:
    """A single path step for any non-empty name: distinct names give distinct steps, never `.`,
    `..`, an empty step or one with `/` or NUL, and never longer than MAX_SEGMENT bytes."""
    if not name:
        raise ValueError("a name for a path cannot be empty")
    # surrogatepass: any str encodes, lone surrogates too (undecodable folder names), one way each.
    encoded = quote(name, safe="", errors="surrogatepass").replace(CUT_MARK, "%7E")
    if encoded.startswith("."):  # ".", ".." and hidden files
        encoded = "%2E" + encoded[1:]
    if len(encoded) <= MAX_SEGMENT:
        return encoded
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_DIGITS]
    head = encoded[: MAX_SEGMENT - len(CUT_MARK) - HASH_DIGITS]
    if "%" in head[-2:]:  # never cut inside a %XX escape
        head = head[: head.rindex("%")]
    return f"{head}{CUT_MARK}{digest}"


def zone_path(zone: Path, *names: str) -> Path:
    """zone/<step>/<step>...: one step per name, always inside the zone."""
    return zone.joinpath(*(path_segment(name) for name in names))


def check_listener(name: str) -> str:
    """A listener name as given by a user (`--listener`): ValueError when Postgres cannot store it."""
    if not name.strip():
        raise ValueError("a listener name cannot be empty")
    if "\x00" in name:
        raise ValueError(f"listener {name!r}: a listener name cannot hold a NUL character")
    return name
