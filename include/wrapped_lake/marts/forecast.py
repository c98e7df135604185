"""Forecasts of the simulated feed: weekly music minutes and active users per continent, daily sessions.

Each series of marts.forecast_series gets the next WEEKS_AHEAD weeks (DAYS_AHEAD days for daily
sessions) with 80% prediction intervals from two models, stored in marts.forecasts (each refresh
replaces every row):
- ETS (statsmodels' ETSModel: exponential smoothing as a state-space model, additive errors), the
  trend chosen by AICc among none, additive and damped additive, with an additive weekly season on
  daily series. Why ETS rather than SARIMAX: a 26-week history has too few points to choose ARIMA
  orders well, ETS needs no differencing choices, and its additive forms give analytic intervals.
- seasonal naive, the baseline: the same day a week before for daily series, the last week for
  weekly ones (a weekly series' season is a year, longer than the history), with the textbook
  interval sigma * sqrt(1 + seasons ahead) from the history's one-season differences.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import psycopg

from wrapped_lake.platform.config import load_settings
from wrapped_lake.platform.db import connect, query

WEEKS_AHEAD = 4
DAYS_AHEAD = 28
LEVEL = 0.80
Z = 1.2815515655446004  # the standard normal's 90th percentile: an 80% two-sided interval
BASELINE = "seasonal_naive"
# period: (pandas frequency, season length, steps ahead)
PERIODS = {"week": ("W-MON", 1, WEEKS_AHEAD), "day": ("D", 7, DAYS_AHEAD)}
MIN_POINTS = 4  # fewer and a series is left out: nothing to learn a level from
MIN_POINTS_TREND = 8
MIN_SEASONS = 3  # full seasons before a seasonal ETS is tried


@dataclass(frozen=True)
class Forecast:
    """One model's forecast of one series: a row per future period."""

    series: str
    model: str
    dates: list[dt.date]
    point: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


def seasonal_naive(history: pd.Series, season: int, horizon: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each step repeats the value one season before the end of history; point, lower, upper."""
    values = history.to_numpy(dtype=float)
    steps = np.arange(horizon)
    point = values[-season:][steps % season]
    diffs = values[season:] - values[:-season]
    sigma = math.sqrt(np.mean(diffs**2)) if diffs.size else 0.0
    half = Z * sigma * np.sqrt(1 + steps // season)
    return point, np.maximum(point - half, 0.0), point + half


def ets(history: pd.Series, season: int, horizon: int) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """The ETS model with the lowest AICc among the candidates the history supports; name, point, lower, upper."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    n = len(history)
    seasonal = "add" if season > 1 and n >= MIN_SEASONS * season else None
    trends = [(None, False)] + ([("add", False), ("add", True)] if n >= MIN_POINTS_TREND else [])
    best = None
    for trend, damped in trends:
        model = ETSModel(
            history.astype(float),
            error="add",
            trend=trend,
            damped_trend=damped,
            seasonal=seasonal,
            seasonal_periods=season if seasonal else None,
        )
        with warnings.catch_warnings():
            # Short series often end the optimiser early; the fit is still the best it found.
            warnings.simplefilter("ignore")
            fitted = model.fit(disp=False)
        if best is None or fitted.aicc < best[1].aicc:
            name = f"ETS(A,{'N' if trend is None else 'Ad' if damped else 'A'},{'A' if seasonal else 'N'})"
            best = (name, fitted)
    name, fitted = best
    frame = fitted.get_prediction(start=n, end=n + horizon - 1).summary_frame(alpha=1 - LEVEL)
    point = frame["mean"].to_numpy()
    return name, point, np.maximum(frame["pi_lower"].to_numpy(), 0.0), frame["pi_upper"].to_numpy()


def forecast_series(series: str, period: str, history: pd.Series) -> list[Forecast]:
    """The model's and the baseline's forecasts of one series (history indexed by period start)."""
    freq, season, horizon = PERIODS[period]
    history = history.sort_index()
    history.index = pd.DatetimeIndex(history.index, freq=freq)
    dates = [d.date() for d in pd.date_range(history.index[-1], periods=horizon + 1, freq=freq)[1:]]
    name, point, lower, upper = ets(history, season, horizon)
    return [
        Forecast(series, name, dates, point, lower, upper),
        Forecast(series, BASELINE, dates, *seasonal_naive(history, season, horizon)),
    ]


def read_series(conn: psycopg.Connection) -> dict[tuple[str, str], pd.Series]:
    """Every series of marts.forecast_series, keyed by (series, period), with no gaps in its dates."""
    rows = conn.execute(query("marts/forecast_series")).fetchall()
    frame = pd.DataFrame(rows, columns=["series", "period", "period_start", "value"])
    out = {}
    for (series, period), part in frame.groupby(["series", "period"], sort=True):
        values = part.set_index(pd.to_datetime(part["period_start"]))["value"].astype(float)
        # A period with no plays has no row; for these series that is a true zero.
        full = pd.date_range(values.index.min(), values.index.max(), freq=PERIODS[period][0])
        out[(series, period)] = values.reindex(full, fill_value=0.0)
    return out


def refresh(conn: psycopg.Connection) -> dict[str, int]:
    """Forecast every series long enough and replace marts.forecasts with the results, in one transaction."""
    generated_at = dt.datetime.now(dt.UTC)
    forecasts = [
        forecast
        for (series, period), history in read_series(conn).items()
        if len(history) >= MIN_POINTS
        for forecast in forecast_series(series, period, history)
    ]
    rows = [
        {"series": f.series, "horizon_date": day, "model": f.model, "point": float(p), "lower": float(lo),
         "upper": float(hi), "generated_at": generated_at}
        for f in forecasts
        for day, p, lo, hi in zip(f.dates, f.point, f.lower, f.upper, strict=True)
    ]  # fmt: skip
    with conn.transaction(), conn.cursor() as cursor:
        cursor.execute(query("marts/clear_forecasts"))
        cursor.executemany(query("marts/insert_forecast"), rows)
    return {"series": len({f.series for f in forecasts}), "rows": len(rows)}


def refresh_lake() -> dict[str, int]:
    """refresh() on the lake's database (the forecast_feed DAG's task)."""
    with connect(load_settings()) as conn:
        result = refresh(conn)
    print(result)
    return result


def stored(conn: psycopg.Connection) -> dict:
    """marts.forecasts as `wrapped-lake forecast --format json` prints it: per series the model's
    name and, per date, its point and 80% interval beside the baseline's point."""
    rows = conn.execute(query("marts/forecasts")).fetchall()
    models: dict[str, str] = {}
    dates: dict[str, dict[str, dict]] = {}
    for name, day, model, point, lower, upper, _ in rows:
        entry = dates.setdefault(name, {}).setdefault(day.isoformat(), {"date": day.isoformat()})
        if model == BASELINE:
            entry["baseline"] = point
        else:
            models[name] = model
            entry |= {"point": point, "lower": lower, "upper": upper}
    generated = max((r[6] for r in rows), default=None)
    return {
        "generated_at": generated.isoformat() if generated else None,
        "level": LEVEL,
        "series": [{"series": name, "model": models[name], "forecast": list(dates[name].values())} for name in models],
    }


def as_text(found: dict) -> str:
    """One table row per series and date: the model's point and interval beside the baseline."""
    lines = [f"forecasts generated {found['generated_at'] or 'never (run a marts build first)'}, 80% intervals"]
    lines.append(
        f"{'series':<28} {'date':<10} {'model':<12} {'point':>12} {'lower':>12} {'upper':>12} {'baseline':>12}"
    )
    for entry in found["series"]:
        for f in entry["forecast"]:
            lines.append(
                f"{entry['series']:<28} {f['date']:<10} {entry['model']:<12} {f['point']:>12.1f}"
                f" {f['lower']:>12.1f} {f['upper']:>12.1f} {f.get('baseline', float('nan')):>12.1f}"
            )
    return "\n".join(lines)
