"""The candidate models of :mod:`.forecasting` and their minimum lengths.

Levels are modelled on the log scale (times :data:`LOG_POINTS`, so errors read
as log points), rates as they are. Every fit is wrapped so that a failed or
non-converged fit is reported, never used.

Short series (county bulletins hold 6-15 annual points) get models whose
prediction intervals are exact or nearly so in small samples:

* ``drift`` (levels): random walk with drift in logs. Drift ``d`` = mean of
  the ``m`` log differences, ``s`` their sd; ``z_{T+h} = z_T + h d`` with
  variance ``s^2 (h + h^2/m)`` (the drift's own uncertainty included) and a
  Student t quantile with ``m - 1`` degrees of freedom: for a Gaussian random
  walk with drift the interval covers exactly its nominal rate. This is also
  the documented fallback (average growth), so the fallback always competes.
* ``mean`` (rates): the mean ``mu`` of ``n`` values, ``s`` their sd, variance
  ``s^2 (1 + 1/n)``, t quantile with ``n - 1`` degrees of freedom: exact for
  independent Gaussian rates; the fallback of rates.
* ``ar1`` (rates): a stationary AR(1) with a constant, by least squares on
  the ``n - 1`` pairs ``(y_{t-1}, y_t)``; the persistence is bias-corrected
  for short samples (``phi + (1 + 3 phi) / (n - 1)``, Kendall 1954), an
  estimate of 1 or more is refused (a growth rate is stationary); the
  ``h``-step variance is ``s^2 sum_{j<h} phi^(2j)`` plus the parameters'
  uncertainty (delta method on the least-squares covariance), t quantile with
  ``n - 3`` degrees of freedom.

Growth rates get stationary candidates only: a random walk or a local level
lets one unusual year set every later forecast, and on short AR(1) series the
review found such models chosen for a third of the series with several times
the error of ``ar1`` or ``mean``.

The statsmodels state-space candidates (``arima110``, ``holt_damped``,
``local_linear_trend``) estimate two to five parameters by maximum likelihood
and state normal intervals without parameter uncertainty, too narrow on short
series; they compete from :data:`MIN_POINTS` (16) annual points on.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
import pandas as pd
from scipy import special as _spc
from scipy import stats as _sps

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
    "NO_VARIATION_HALF_WIDTH",
    "Fit",
    "Candidate",
    "period_series",
    "drift_forecast",
    "mean_forecast",
    "ar1_forecast",
    "closed_form_candidate",
    "arima_candidate",
    "ets_candidate",
    "default_candidates",
]

# --------------------------------------------------------------------------- candidates
#: fewest annual points each candidate model is fitted on
MIN_POINTS: dict[str, int] = {
    "drift": 3,
    "arima110": 16,
    "holt_damped": 16,
    "local_linear_trend": 16,
    "mean": 3,
    "ar1": 6,
}
#: fewest points for the fallback (average growth / mean with an interval)
MIN_POINTS_FALLBACK = 3
#: a series without variation gets this half-width around its point (modelled scale: log points or pp),
#: so the exact continuation lies inside the band; the result says the band expresses no uncertainty
NO_VARIATION_HALF_WIDTH = 1e-7
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
    """One fitted candidate's forecast on the modelled scale.

    ``scale`` is the predictive standard deviation of each step and ``df`` the
    degrees of freedom of its t distribution (``inf``: normal), so that a
    forecast error ``e`` standardises as ``e / scale`` (used to check the band
    against backtest errors).
    """

    mean: np.ndarray  # (h,) modelled scale
    lower: np.ndarray
    upper: np.ndarray
    aicc: float
    converged: bool
    scale: np.ndarray | None = None
    df: float = float("inf")


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
    mean = np.asarray(fc.predicted_mean, dtype=float)
    scale = (ci[:, 1] - mean) / _sps.norm.ppf((1.0 + level) / 2.0)
    return Fit(mean, ci[:, 0], ci[:, 1], float(getattr(res, "aicc", np.nan)), _converged(res), scale, float("inf"))


# --------------------------------------------------------------------------- closed-form models
def _t_fit(mean: np.ndarray, scale: np.ndarray, df: float, level: float) -> Fit:
    half = _spc.stdtrit(df, (1.0 + level) / 2.0) * scale  # the t quantile (scipy.special: no per-call overhead)
    return Fit(mean, mean - half, mean + half, float("nan"), True, scale, float(df))


def drift_forecast(z: np.ndarray, horizon: int, level: float) -> Fit:
    """Random walk with drift, t interval with the drift's uncertainty (see the module docstring)."""
    z = np.asarray(z, dtype=float)
    d = np.diff(z)
    m = d.size
    if m < 2:
        raise ValueError(f"a drift needs at least 3 points, got {z.size}")
    h = np.arange(1, horizon + 1, dtype=float)
    s = float(d.std(ddof=1))
    return _t_fit(z[-1] + h * float(d.mean()), s * np.sqrt(h * (1.0 + h / m)), m - 1, level)


def mean_forecast(y: np.ndarray, horizon: int, level: float) -> Fit:
    """The mean of the values, t interval with the mean's uncertainty (see the module docstring)."""
    y = np.asarray(y, dtype=float)
    n = y.size
    if n < 2:
        raise ValueError(f"a mean with an interval needs at least 2 points, got {n}")
    s = float(y.std(ddof=1))
    return _t_fit(np.full(horizon, float(y.mean())), np.full(horizon, s * np.sqrt(1.0 + 1.0 / n)), n - 1, level)


def ar1_forecast(y: np.ndarray, horizon: int, level: float) -> Fit:
    """Stationary AR(1) with a constant, bias-corrected least squares (see the module docstring).

    Raises
    ------
    ValueError
        Too few points, a series without variation, or a (corrected) persistence of 1 or more.
    """
    y = np.asarray(y, dtype=float)
    n = y.size
    if n < 4:
        raise ValueError(f"an AR(1) needs at least 4 points, got {n}")
    x, target = y[:-1], y[1:]
    k = n - 1  # pairs
    xbar, ybar = x.mean(), target.mean()
    sxx = float(((x - xbar) ** 2).sum())
    if sxx <= 0:
        raise ValueError("the series does not vary: no persistence can be estimated")
    phi_ls = float(((x - xbar) * (target - ybar)).sum() / sxx)
    resid = target - ybar - phi_ls * (x - xbar)
    dof = k - 2
    s2 = float((resid**2).sum() / dof)
    phi = phi_ls + (1.0 + 3.0 * phi_ls) / k  # Kendall's small-sample correction of the downward bias
    phi = min(phi, max(phi_ls, 0.0)) if phi >= 1.0 else phi
    if not -1.0 < phi < 1.0:
        raise ValueError(f"estimated persistence {phi:.3g} is not that of a stationary growth rate")
    mu = ybar - phi * xbar
    mu_level = mu / (1.0 - phi)  # the process mean
    h = np.arange(1, horizon + 1)
    dev = y[-1] - mu_level
    mean = mu_level + phi**h * dev
    innovations = s2 * np.array([sum(phi ** (2 * j) for j in range(i)) for i in h])
    # parameter uncertainty, delta method: forecast = c (1 - phi^h)/(1 - phi) + phi^h y_T with c = mu;
    # least-squares covariance of (c, phi): s2 * inv([[k, sum x], [sum x, sum x^2]])
    xtx = np.array([[k, x.sum()], [x.sum(), float((x**2).sum())]])
    cov = s2 * np.linalg.inv(xtx)
    dc = (1.0 - phi**h) / (1.0 - phi)
    dphi = mu * (1.0 - phi**h - h * phi ** (h - 1) * (1.0 - phi)) / (1.0 - phi) ** 2 + h * phi ** (h - 1) * y[-1]
    param = cov[0, 0] * dc**2 + 2 * cov[0, 1] * dc * dphi + cov[1, 1] * dphi**2
    return _t_fit(mean, np.sqrt(innovations + param), dof, level)


def closed_form_candidate(name: str, fn: Callable[[np.ndarray, int, float], Fit], description: str) -> Candidate:
    """A candidate computed in closed form by ``fn(values, horizon, level)`` (no optimiser to fail)."""

    def fit(y: pd.Series, horizon: int, level: float) -> Fit:
        return fn(y.to_numpy(dtype=float), horizon, level)

    return Candidate(name, MIN_POINTS[name], fit, description)


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
            closed_form_candidate("drift", drift_forecast, "random walk with drift on log level, t interval"),
            arima_candidate("arima110", (1, 1, 0), "t", "ARIMA(1,1,0) with drift on log level"),
            ets_candidate("holt_damped"),
            _uc_candidate("local_linear_trend", "lltrend", "local linear trend (UnobservedComponents)"),
        )
    if kind == "rate":
        return (
            closed_form_candidate("mean", mean_forecast, "mean rate, t interval"),
            closed_form_candidate("ar1", ar1_forecast, "stationary AR(1) with constant, bias-corrected"),
        )
    raise ValueError(f"kind must be 'level' or 'rate', not {kind!r}")
