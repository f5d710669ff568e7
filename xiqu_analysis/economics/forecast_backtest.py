"""How :mod:`.forecasting` fits, backtests and widens: one candidate at a time, every fit checked.

:func:`checked_fit` fits a candidate (:mod:`.forecast_models`) and raises
:class:`FitProblem` (a status and a problem code, with its numbers) on an
exception, a non-converged fit or a degenerate forecast (wrong shape, NaN or
inf, an interval of zero width or absurd width, a non-positive level).
:func:`backtest` refits it at rolling origins and returns its mean absolute
error per step and its errors standardised by its own predictive scale;
:func:`widening` is the factor by which a band is too narrow for those errors
(1 when they do not show it). :func:`fallback_forecast` is the documented
fallback: average growth of a level (random walk with drift in logs) or the
mean of a rate.
"""
from __future__ import annotations

import math
import warnings
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import optimize as _spo
from scipy import special as _spc
from scipy import stats as _sps

from .forecast_models import (
    LOG_POINTS,
    MAX_LEVEL_INTERVAL_RATIO,
    MAX_RATE_INTERVAL_WIDTH_PP,
    MIN_INTERVAL_WIDTH,
    Candidate,
    Fit,
    drift_forecast,
    mean_forecast,
)

__all__ = [
    "MIN_WIDEN_ERRORS",
    "WIDEN_QUANTILE",
    "FitProblem",
    "backtest",
    "checked_fit",
    "degeneracy",
    "fallback_forecast",
    "normal_scores",
    "widening",
]

#: the band is widened when its standardised backtest errors exceed this quantile of their chi-square
WIDEN_QUANTILE = 0.9
#: fewest backtest errors that can widen a band
MIN_WIDEN_ERRORS = 3


class FitProblem(Exception):
    """A candidate that cannot be used: ``status`` and ``problem`` codes (:data:`.forecasting.PROBLEMS`), ``detail``."""

    def __init__(self, status: str, problem: str, detail: dict | None = None):
        super().__init__(problem)
        self.status = status
        self.problem = problem
        self.detail = dict(detail or {})


def degeneracy(fit: Fit, kind: str, log_scale: bool, z_last: float) -> tuple[str, dict] | None:
    """What makes a fit's forecast unusable (a problem code and its numbers), or None."""
    arrays = (fit.mean, fit.lower, fit.upper)
    if any(a.shape != fit.mean.shape for a in arrays) or fit.mean.size == 0:
        return "wrong_shape", {}
    if not all(np.all(np.isfinite(a)) for a in arrays):
        return "not_finite", {}
    width = fit.upper - fit.lower
    if np.any(width < MIN_INTERVAL_WIDTH):
        return "zero_width", {}
    if np.any(fit.lower > fit.mean) or np.any(fit.upper < fit.mean):
        return "outside_interval", {}
    if log_scale:
        if np.any(width > LOG_POINTS * math.log(MAX_LEVEL_INTERVAL_RATIO)):
            return "too_wide_ratio", {"ratio": MAX_LEVEL_INTERVAL_RATIO}
        if np.any(fit.upper > z_last + LOG_POINTS * 50):  # exp overflow territory
            return "explodes", {}
    elif kind == "level":
        if np.any(fit.mean <= 0) or np.any(fit.lower <= 0):
            return "not_positive", {}
    else:
        if np.any(width > MAX_RATE_INTERVAL_WIDTH_PP):
            return "too_wide_pp", {"pp": MAX_RATE_INTERVAL_WIDTH_PP}
    return None


def checked_fit(cand: Candidate, y: pd.Series, horizon: int, level: float, kind: str, log_scale: bool,
         sink: list[str]) -> Fit:
    """Fit one candidate with every check; raise FitProblem on any failure."""
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = cand.fit(y, horizon, level)
        except Exception as exc:  # any statsmodels/numpy failure is a failed fit
            raise FitProblem("failed", "fit_failed",
                             {"error": f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"}) from None
    nonconv = False
    for w in caught:
        msg = " ".join(str(w.message).split())
        sink.append(f"{cand.name}: {w.category.__name__}: {msg[:200]}")
        if issubclass(w.category, ConvergenceWarning):
            nonconv = True
    if nonconv or not fit.converged:
        raise FitProblem("not_converged", "not_converged")
    problem = degeneracy(fit, kind, log_scale, float(y.iloc[-1]))
    if problem:
        raise FitProblem("degenerate", *problem)
    return fit


def fallback_forecast(z: np.ndarray, horizon: int, level: float, kind: str,
              log_scale: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    """Average growth (levels, in logs: random walk with drift) or mean rate, t intervals.

    The same closed forms as the ``drift`` and ``mean`` candidates
    (:func:`~.forecast_models.drift_forecast`, :func:`~.forecast_models.mean_forecast`).
    """
    if kind == "level" or log_scale:
        fit = drift_forecast(z, horizon, level)
        m = z.size - 1
        drift = (z[-1] - z[0]) / m
        note = ({"summary": "growth", "value": 100 * math.expm1(drift / LOG_POINTS), "years": m} if log_scale
                else {"summary": "change", "value": drift, "years": m})
    else:
        fit = mean_forecast(z, horizon, level)
        note = {"summary": "mean", "value": float(z.mean()), "years": int(z.size)}
    return fit.mean, fit.lower, fit.upper, note


def backtest(cand: Candidate, series: pd.Series, origins: Sequence[int], horizon: int, level: float,
              kind: str, log_scale: bool, sink: list[str]) -> tuple[float, np.ndarray]:
    """Multi-step backtest: (mean over steps of the step's MAE, the errors ``e / scale`` with their t's df)."""
    by_step: dict[int, list[float]] = {}
    standardised = []
    z = series.to_numpy()
    for k in origins:
        steps = min(horizon, z.size - k)
        fit = checked_fit(cand, series.iloc[:k], steps, level, kind, log_scale, sink)
        errors = z[k:k + steps] - fit.mean
        for h, e in enumerate(errors, start=1):
            by_step.setdefault(h, []).append(abs(float(e)))
        if fit.scale is not None:  # the errors in units of the model's own predictive scale, with its t's df
            standardised += [(float(e), float(df)) for e, df in
                             zip(errors / fit.scale, np.full(errors.size, fit.df))]
    mae = float(np.mean([np.mean(v) for v in by_step.values()]))
    return mae, np.asarray(standardised, dtype=float).reshape(-1, 2)


def normal_scores(standardised: np.ndarray, widen: float = 1.0) -> np.ndarray:
    """Normal scores ``Phi^-1(F_df(e / (widen * scale)))`` of backtest errors: standard normal when the band is right,
    whatever the degrees of freedom of the model's t."""
    x, df = standardised[:, 0] / widen, standardised[:, 1]
    cdf = np.where(np.isfinite(df), _spc.stdtr(np.where(np.isfinite(df), df, 1.0), x), _spc.ndtr(x))
    return _spc.ndtri(np.clip(cdf, 1e-300, 1.0 - 1e-16))


def widening(standardised: np.ndarray) -> float:
    """Factor by which a band is too narrow for its backtest errors (1 when the errors do not show it).

    Test: the errors' normal scores have a sum of squares above the :data:`WIDEN_QUANTILE` quantile
    of the chi-square it has when the band is right. Size: the factor ``w`` on the model's scale that
    makes the mean square of the normal scores 1 (root of a decreasing function, by Brent's method).
    """
    errors = standardised[np.isfinite(standardised[:, 0])] if standardised.size else standardised
    if errors.shape[0] < MIN_WIDEN_ERRORS:
        return 1.0
    if float((normal_scores(errors) ** 2).sum()) <= _sps.chi2.ppf(WIDEN_QUANTILE, errors.shape[0]):
        return 1.0

    def excess(log_w: float) -> float:
        return float(np.mean(normal_scores(errors, math.exp(log_w)) ** 2)) - 1.0

    hi = 1.0
    while excess(hi) > 0 and hi < 40.0:  # up to e^40: any finite band
        hi *= 2.0
    return math.exp(_spo.brentq(excess, 0.0, hi, xtol=1e-6)) if excess(hi) <= 0 else math.exp(hi)
