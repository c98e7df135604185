"""Forecasts of the simulated feed: weekly music minutes and active users per continent, daily sessions.

Each series of marts.forecast_series gets the next WEEKS_AHEAD weeks (DAYS_AHEAD days for daily
sessions) with 80% prediction intervals from two models, stored in marts.forecasts (each refresh
replaces every row):
- the Theta method (statsmodels' ThetaModel: simple exponential smoothing plus half the slope of a
  straight line through the history), on daily series after taking out the weekly season (a
  classical decomposition, once the history holds MIN_SEASONS weeks).
  Why Theta rather than ETS chosen by AICc: on the moving simulated population (bench/bench_forecast.py)
  the ETS forms AICc picked gained 0 to 5% MAPE over the baseline, the Theta method more;
  the smoothed level is less noisy than the last week the baseline repeats, and the damped-down
  slope follows growth without chasing noise.
- a continent's weekly minutes are its active users times the minutes per active user: the users
  by the Theta method (growth lives in the audience), the minutes per user by simple exponential
  smoothing with no trend (statsmodels' ETSModel, ETS(A,N,N): listening intensity moves with the
  seasons and who is there, but does not grow). Its interval combines the two relative half-widths as
  independent errors: point * (1 +- sqrt(rU^2 + rI^2)). Why: a continent of a few users swings by
  whole users' listening each week, which a smoothing of the minutes alone follows too closely
  (bench, three seeds: Africa's minutes 9.3% MAPE against 10.6% by Theta on the minutes and 10.6% by
  the baseline, Europe's 2.6% against 3.2% and 4.1%; 12.5% better than the baseline over all series,
  7% before). A continent with a week of no active users keeps Theta on its minutes.
- a continent's weekly active users, alone and in its minutes, by the Theta method only where it
  forecast the series' own last weeks better than the last week did (validated_theta); else by the
  last week. Why: the user counts of a continent of a few users are a random walk of whole users,
  whose best guess is the last count, and Theta's slope only cost there (bench, three seeds:
  Oceania's users 5.1% against 3.8% by the baseline). The check is a rolling-origin validation
  over VALIDATION_ORIGINS weeks: 15.4% better than the baseline over all series, 12.5% without it.
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
MIN_SEASONS = 3  # full seasons before a season is looked for
# Weeks of a history that a weekly active users forecast is checked on before it is used
# (validated_theta); the model's name when the last week did better there.
VALIDATION_ORIGINS = 6
LAST_WEEK = "Last week"


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


def theta(history: pd.Series, season: int, horizon: int) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """The Theta method's forecast (theta 2); name, point, lower, upper."""
    from statsmodels.tsa.forecasting.theta import ThetaModel

    seasonal = season > 1 and len(history) >= MIN_SEASONS * season
    # The weekly rhythm of daily sessions is plain (weekends are quieter): no test for it, so the name says what ran.
    model = ThetaModel(
        history.astype(float), period=season if seasonal else None, deseasonalize=seasonal, use_test=False
    )
    with warnings.catch_warnings():
        # Short histories make the smoothing fit warn about its starting values; the fit stands.
        warnings.simplefilter("ignore")
        fitted = model.fit()
        point = fitted.forecast(horizon).to_numpy()
        interval = fitted.prediction_intervals(horizon, alpha=1 - LEVEL)
    name = "Theta, weekly season" if seasonal else "Theta"
    return name, point, np.maximum(interval["lower"].to_numpy(), 0.0), interval["upper"].to_numpy()


def smoothed_level(history: pd.Series, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Simple exponential smoothing with its own prediction interval (ETS(A,N,N): variance
    sigma^2 (1 + (h-1) alpha^2)); point, upper."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as in theta(): starting values of short histories
        fitted = ETSModel(history.astype(float), error="add").fit(disp=False)
        frame = fitted.get_prediction(start=len(history), end=len(history) + horizon - 1).summary_frame(alpha=1 - LEVEL)
    return frame["mean"].to_numpy(), frame["pi_upper"].to_numpy()


def users_times_intensity(
    users_forecast: tuple[str, np.ndarray, np.ndarray, np.ndarray], users: pd.Series, minutes: pd.Series, horizon: int
) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """Weekly minutes as active users (their forecast, by validated_theta) times minutes per active
    user (smoothed, no trend); name, point, lower, upper."""
    users_name, users_point, _, users_upper = users_forecast
    per_user, per_user_upper = smoothed_level(minutes / users, horizon)
    point = users_point * per_user
    # Each upper bound is its point plus a symmetric half-width; as shares of the point they add in quadrature.
    spread = np.hypot(users_upper / users_point - 1, per_user_upper / per_user - 1)
    return f"{users_name} x SES per user", point, np.maximum(point * (1 - spread), 0.0), point * (1 + spread)


def validated_theta(history: pd.Series, horizon: int) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """A weekly series by the Theta method, or by its last week where that forecast the series'
    own last weeks better: from each of the last VALIDATION_ORIGINS weeks (with MIN_POINTS + 4 weeks
    before it), both forecast the weeks that follow, up to the horizon, and the lower mean absolute
    percentage error wins (a rolling-origin validation); name, point, lower, upper."""
    model, baseline = [], []
    for origin in range(max(MIN_POINTS + 4, len(history) - VALIDATION_ORIGINS), len(history)):
        past, truth = history.iloc[:origin], history.iloc[origin : origin + horizon].to_numpy()
        if (truth <= 0).any():
            continue  # a percentage of nothing
        model.append(np.mean(np.abs(theta(past, 1, len(truth))[1] - truth) / truth))
        baseline.append(np.mean(np.abs(seasonal_naive(past, 1, len(truth))[0] - truth) / truth))
    if model and np.mean(model) > np.mean(baseline):
        return LAST_WEEK, *seasonal_naive(history, 1, horizon)
    return theta(history, 1, horizon)


def forecast_all(histories: dict[tuple[str, str], pd.Series]) -> list[Forecast]:
    """The model's and the baseline's forecasts of every series with MIN_POINTS periods (histories
    keyed by (series, period), indexed by period start, as read_series gives them)."""
    prepared = {}
    for (series, period), history in histories.items():
        if len(history) >= MIN_POINTS:
            history = history.sort_index()
            history.index = pd.DatetimeIndex(history.index, freq=PERIODS[period][0])
            prepared[(series, period)] = history
    # The users first: a continent's minutes reuse its users' forecast (seven Theta fits) as it is.
    models = {
        key: validated_theta(history, PERIODS[key[1]][2])
        for key, history in prepared.items()
        if key[0].startswith("weekly_active_users:")
    }
    forecasts = []
    for (series, period), history in prepared.items():
        freq, season, horizon = PERIODS[period]
        dates = [d.date() for d in pd.date_range(history.index[-1], periods=horizon + 1, freq=freq)[1:]]
        users_key = (series.replace("weekly_minutes:", "weekly_active_users:", 1), period)
        users = prepared.get(users_key)
        if (series, period) in models:
            name, point, lower, upper = models[(series, period)]
        elif (
            series.startswith("weekly_minutes:")
            and users is not None
            and users.index.equals(history.index)
            and (users > 0).all()
        ):
            name, point, lower, upper = users_times_intensity(models[users_key], users, history, horizon)
        else:
            name, point, lower, upper = theta(history, season, horizon)
        forecasts.append(Forecast(series, name, dates, point, lower, upper))
        forecasts.append(Forecast(series, BASELINE, dates, *seasonal_naive(history, season, horizon)))
    return forecasts


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
    forecasts = forecast_all(read_series(conn))
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
    width = max((len(entry["model"]) for entry in found["series"]), default=5)
    lines.append(
        f"{'series':<28} {'date':<10} {'model':<{width}} {'point':>12} {'lower':>12} {'upper':>12} {'baseline':>12}"
    )
    for entry in found["series"]:
        for f in entry["forecast"]:
            lines.append(
                f"{entry['series']:<28} {f['date']:<10} {entry['model']:<{width}} {f['point']:>12.1f}"
                f" {f['lower']:>12.1f} {f['upper']:>12.1f} {f.get('baseline', float('nan')):>12.1f}"
            )
    return "\n".join(lines)
