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

# Share of plays per hour of the day, real listeners (25 account-data histories, last 60 days),
# each rotated so that their quietest 6 hours come first: the targets of the daily rhythm.
REAL_HOURLY_ROTATED = np.array(
    [
        0.9,
        0.6,
        0.4,
        0.4,
        0.4,
        0.8,
        2.1,
        5.4,
        5.7,
        5.7,
        6.2,
        7.1,
        6.0,
        5.8,
        5.6,
        5.9,
        6.8,
        7.6,
        6.7,
        5.4,
        4.7,
        4.0,
        3.5,
        2.3,
    ]
)
NIGHT_DAMPING = np.r_[np.full(6, 0.25), np.ones(16), 0.6, 0.4]
# Session starts per local hour on a weekday: the real curve with its quiet hours put at 01-07 and
# moved an hour earlier, since a session's plays run about an hour after it starts.
WEEKDAY_HOURLY = np.roll(REAL_HOURLY_ROTATED * NIGHT_DAMPING, 0)
# Weekends start later and run later into the night.
WEEKEND_HOURLY = np.roll(REAL_HOURLY_ROTATED * NIGHT_DAMPING, 2) * np.where(np.arange(24) >= 12, 1.15, 1.0)
# Weekend days see fewer sessions: real listeners play 0.77 as much per weekend day as per weekday.
WEEKEND_SESSION_FACTOR = 0.78
