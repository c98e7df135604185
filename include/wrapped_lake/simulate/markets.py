"""Who listens where: country market shares, plan tiers, devices and the daily rhythm.

Shares are rough public figures for Spotify's monthly active users (Europe, North America and
Latin America large, Africa small); UTC offsets are standard time, ignoring daylight saving.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Country:
    """One market: ISO alpha-2 code, English name, continent code, share of users, UTC offset."""

    code: str
    name: str
    continent: str
    share: float
    utc_offset_minutes: int


COUNTRIES: tuple[Country, ...] = (
    Country("US", "United States", "NA", 14.0, -300),
    Country("CA", "Canada", "NA", 2.0, -300),
    Country("MX", "Mexico", "NA", 5.5, -360),
    Country("BR", "Brazil", "SA", 8.0, -180),
    Country("AR", "Argentina", "SA", 2.2, -180),
    Country("CO", "Colombia", "SA", 1.5, -300),
    Country("CL", "Chile", "SA", 1.2, -240),
    Country("PE", "Peru", "SA", 1.0, -300),
    Country("GB", "United Kingdom", "EU", 4.5, 0),
    Country("DE", "Germany", "EU", 4.5, 60),
    Country("FR", "France", "EU", 3.5, 60),
    Country("ES", "Spain", "EU", 3.0, 60),
    Country("IT", "Italy", "EU", 2.5, 60),
    Country("NL", "Netherlands", "EU", 1.5, 60),
    Country("PL", "Poland", "EU", 1.5, 60),
    Country("SE", "Sweden", "EU", 1.0, 60),
    Country("TR", "Turkey", "AS", 1.5, 180),
    Country("IN", "India", "AS", 7.0, 330),
    Country("ID", "Indonesia", "AS", 4.0, 420),
    Country("PH", "Philippines", "AS", 3.0, 480),
    Country("JP", "Japan", "AS", 2.0, 540),
    Country("KR", "South Korea", "AS", 0.5, 540),
    Country("VN", "Vietnam", "AS", 1.0, 420),
    Country("TH", "Thailand", "AS", 1.0, 420),
    Country("AU", "Australia", "OC", 2.0, 600),
    Country("NZ", "New Zealand", "OC", 0.4, 720),
    Country("NG", "Nigeria", "AF", 0.6, 60),
    Country("ZA", "South Africa", "AF", 0.8, 120),
    Country("EG", "Egypt", "AF", 0.6, 120),
    Country("KE", "Kenya", "AF", 0.3, 180),
    Country("MA", "Morocco", "AF", 0.3, 60),
)
COUNTRY_SHARES = np.array([c.share for c in COUNTRIES]) / sum(c.share for c in COUNTRIES)
UTC_OFFSET_MINUTES = np.array([c.utc_offset_minutes for c in COUNTRIES], dtype=np.int64)

# Symbols and order as in the schema's SubscriptionType enum; most listeners are on the free tier.
TIERS: tuple[str, ...] = ("FREE", "PREMIUM", "FAMILY", "STUDENT")
TIER_SHARES = np.array([0.58, 0.24, 0.12, 0.06])

# Symbols and order as in the schema's DeviceType enum.
DEVICES: tuple[str, ...] = ("MOBILE", "DESKTOP", "TABLET", "SMART_SPEAKER")
PRIMARY_DEVICE_SHARES = np.array([0.66, 0.20, 0.05, 0.09])

# Relative session starts per local hour: a trough before dawn, commutes on weekdays, evening peak.
WEEKDAY_HOURLY = np.array(
    [
        1.2,
        0.6,
        0.35,
        0.25,
        0.2,
        0.35,
        1.2,
        3.0,
        4.2,
        3.6,
        3.0,
        3.0,
        3.4,
        3.2,
        3.0,
        3.2,
        3.8,
        4.6,
        4.8,
        5.0,
        5.4,
        5.0,
        3.8,
        2.2,
    ]
)
WEEKEND_HOURLY = np.array(
    [
        2.0,
        1.4,
        0.9,
        0.5,
        0.3,
        0.3,
        0.5,
        1.0,
        1.8,
        2.8,
        3.6,
        4.0,
        4.2,
        4.2,
        4.0,
        3.9,
        4.0,
        4.2,
        4.4,
        4.8,
        5.2,
        5.0,
        4.2,
        3.0,
    ]
)
# Weekend days see slightly fewer, later sessions.
WEEKEND_SESSION_FACTOR = 0.9
