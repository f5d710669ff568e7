"""The candidate models of :mod:`.forecasting`: statsmodels specifications and their minimum lengths.

Levels are modelled on the log scale (times :data:`LOG_POINTS`, so errors read
as log points), rates as they are. Every fit is wrapped so that a failed or
non-converged statsmodels fit is reported, never used.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
import pandas as pd

__all__ = [
    "MIN_POINTS",
    "MIN_POINTS_FALLBACK",
    "ETS_HEURISTIC_MIN",
    "BACKTEST_ORIGINS",
    "MIN_BACKTEST_ORIGINS",
    "MAX_LEVEL_INTERVAL_RATIO",
    "MAX_RATE_INTERVAL_WIDTH_PP",
    "MIN_INTERVAL_WIDTH",
    "LOG_POINTS",
    "Fit",
    "Candidate",
    "period_series",
    "arima_candidate",
    "ets_candidate",
    "default_candidates",
]

# --------------------------------------------------------------------------- candidates
#: fewest annual points each candidate model is fitted on
MIN_POINTS: dict[str, int] = {
    "drift": 6,
    "arima110": 8,
    "holt_damped": 8,
    "local_linear_trend": 8,
    "mean": 6,
    "ar1": 8,
    "random_walk": 6,
    "local_level": 8,
}
#: fewest points for the fallback (average growth / mean with an interval)
MIN_POINTS_FALLBACK = 3
#: heuristic initialisation of exponential smoothing needs this many points (statsmodels #7319)
ETS_HEURISTIC_MIN = 10
#: last origins of the rolling backtest; fewest origins for a candidate to compete
BACKTEST_ORIGINS = 6
MIN_BACKTEST_ORIGINS = 3
#: a level interval whose upper/lower ratio exceeds this is absurdly wide
MAX_LEVEL_INTERVAL_RATIO = 100.0
#: a rate interval wider than this (percentage points) is absurdly wide
MAX_RATE_INTERVAL_WIDTH_PP = 100.0
#: an interval narrower than this (on the modelled scale) has zero width
MIN_INTERVAL_WIDTH = 1e-6
#: levels are modelled as LOG_POINTS * log(level): changes in log points (~ % growth)
LOG_POINTS = 100.0


@dataclass(frozen=True)
class Fit:
    mean: np.ndarray  # (h,) modelled scale
    lower: np.ndarray
    upper: np.ndarray
    aicc: float
    converged: bool


FitFn = Callable[[pd.Series, int, float], Fit]


@dataclass(frozen=True)
class Candidate:
    """A forecasting model: ``fit(y, horizon, level)`` on the modelled scale.

    Parameters
    ----------
    name : str
    min_points : int
        Fewest observations the model is fitted on.
    fit : callable
        ``fit(y, horizon, level) -> Fit`` where ``y`` is a Series with an
        annual PeriodIndex (log levels or rates). It calls statsmodels; any
        exception it raises counts as a failed fit.
    description : str
    """

    name: str
    min_points: int
    fit: FitFn
    description: str = ""


def period_series(values: np.ndarray, first_year: int) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float),
                     index=pd.period_range(str(first_year), periods=len(values), freq="Y"))


def _converged(res) -> bool:
    rv = getattr(res, "mle_retvals", None)
    if isinstance(rv, Mapping) and "converged" in rv:
        return bool(rv["converged"])
    return True


def _state_space_fit(res, horizon: int, level: float) -> Fit:
    fc = res.get_forecast(horizon)
    ci = np.asarray(fc.conf_int(alpha=1.0 - level), dtype=float)
    return Fit(np.asarray(fc.predicted_mean, dtype=float), ci[:, 0], ci[:, 1],
                float(getattr(res, "aicc", np.nan)), _converged(res))


def arima_candidate(name: str, order: tuple[int, int, int], trend: str, description: str = "",
                    fit_kwargs: Mapping | None = None, min_points: int | None = None) -> Candidate:
    """An ARIMA(p,d,q) candidate (``statsmodels.tsa.arima.model.ARIMA``).

    ``trend="t"`` with ``d=1`` is a drift, ``"c"`` with ``d=0`` a constant.
    ``fit_kwargs`` go to ``ARIMA.fit`` (e.g. ``{"method_kwargs": {"maxiter": 50}}``).
    """
    from statsmodels.tsa.arima.model import ARIMA

    kw = dict(fit_kwargs or {})

    def fit(y: pd.Series, horizon: int, level: float) -> Fit:
        res = ARIMA(y, order=order, trend=trend).fit(**kw)
        return _state_space_fit(res, horizon, level)

    return Candidate(name, min_points or MIN_POINTS.get(name, 4), fit, description)


def _uc_candidate(name: str, spec: str, description: str) -> Candidate:
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    def fit(y: pd.Series, horizon: int, level: float) -> Fit:
        res = UnobservedComponents(y, level=spec).fit(disp=False)
        return _state_space_fit(res, horizon, level)

    return Candidate(name, MIN_POINTS[name], fit, description)


def ets_candidate(name: str = "holt_damped", *, initialization: str | None = None,
                  min_points: int | None = None) -> Candidate:
    """Additive damped-trend exponential smoothing (Holt, damped) via ``ETSModel``.

    ``initialization=None`` uses ``"heuristic"`` from :data:`ETS_HEURISTIC_MIN`
    points on and ``"estimated"`` below (statsmodels #7319: the heuristic
    needs at least 10 points and raises otherwise).
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    def fit(y: pd.Series, horizon: int, level: float) -> Fit:
        init = initialization or ("heuristic" if len(y) >= ETS_HEURISTIC_MIN else "estimated")
        res = ETSModel(y, error="add", trend="add", damped_trend=True, initialization_method=init).fit(disp=False)
        n = len(y)
        pred = res.get_prediction(start=n, end=n + horizon - 1)
        pi = np.asarray(pred.pred_int(alpha=1.0 - level), dtype=float)
        return Fit(np.asarray(pred.predicted_mean, dtype=float), pi[:, 0], pi[:, 1],
                    float(getattr(res, "aicc", np.nan)), _converged(res))

    return Candidate(name, min_points or MIN_POINTS["holt_damped"], fit,
                     "additive damped-trend exponential smoothing (ETS A,Ad,N)")


def default_candidates(kind: str) -> tuple[Candidate, ...]:
    """The candidate models for a ``"level"`` (log scale) or ``"rate"`` series."""
    if kind == "level":
        return (
            arima_candidate("drift", (0, 1, 0), "t", "ARIMA(0,1,0) with drift on log level"),
            arima_candidate("arima110", (1, 1, 0), "t", "ARIMA(1,1,0) with drift on log level"),
            ets_candidate("holt_damped"),
            _uc_candidate("local_linear_trend", "lltrend", "local linear trend (UnobservedComponents)"),
        )
    if kind == "rate":
        return (
            arima_candidate("mean", (0, 0, 0), "c", "ARIMA(0,0,0) with constant (mean rate)"),
            arima_candidate("ar1", (1, 0, 0), "c", "ARIMA(1,0,0) with constant"),
            arima_candidate("random_walk", (0, 1, 0), "n", "ARIMA(0,1,0) without drift"),
            _uc_candidate("local_level", "llevel", "local level (UnobservedComponents)"),
        )
    raise ValueError(f"kind must be 'level' or 'rate', not {kind!r}")
