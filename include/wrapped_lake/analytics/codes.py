"""The 16 listening personalities by code: plain data, cheap to import (DAG files read it at parse time)."""

from __future__ import annotations

# Letter order F/E, T/N, L/V, C/U; names as Spotify published them.
NAMES: dict[str, str] = {
    "FNVU": "Specialist",
    "FTVC": "Jukeboxer",
    "ENLC": "Voyager",
    "ENLU": "Nomad",
    "ETVC": "Musicologist",
    "ETVU": "Time Traveler",
    "FNLC": "Enthusiast",
    "ETLC": "Top Charter",
    "FNVC": "Fan Clubber",
    "ETLU": "Maverick",
    "FTLC": "Connoisseur",
    "FTLU": "Replayer",
    "FNLU": "Devotee",
    "FTVU": "Deep Diver",
    "ENVC": "Early Adopter",
    "ENVU": "Adventurer",
}
CODES: tuple[str, ...] = tuple(sorted(NAMES))


def name_for(code: str) -> str:
    """The published name of a code, e.g. 'ENVU' -> 'Adventurer'."""
    try:
        return NAMES[code]
    except KeyError:
        raise ValueError(f"unknown personality code {code!r}; expected one of {', '.join(CODES)}") from None


def names_allowed(letters: list[str | None]) -> list[str]:
    """The published names whose codes agree with the letters known (None: an axis not known), in
    the published order; all four known: the one name."""
    return [
        name for code, name in NAMES.items() if all(known in (None, c) for known, c in zip(letters, code, strict=True))
    ]
