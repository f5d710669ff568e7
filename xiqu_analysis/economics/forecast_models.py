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
* ``mean`` (rates): the mean ``mu`` of ``n`` values, ``s`` their sd; for
  independent values the variance is ``s^2 (1 + 1/n)`` with a t quantile of
  ``n - 1`` degrees of freedom, exact for independent Gaussian rates (the
  fallback of rates). Growth rates are often persistent, and on a persistent
  series ``s^2`` understates the process variance, the mean is less certain
  and the t's degrees of freedom are fewer: from :data:`MEAN_PERSISTENCE_MIN`
  points on, the band allows for the series' persistence ``phi`` (the
  bias-corrected estimate below, taken as 0 when negative, at most
  :data:`MEAN_PERSISTENCE_MAX`). With ``v`` the variance of the mean of ``n``
  values of a stationary AR(1) over the process variance
  (:func:`mean_variance_ratio`; ``1/n`` when ``phi = 0``) and
  ``c_h = (1/n) sum_{j<n} phi^(h+j)``, the process variance is estimated by
  ``s^2 (n - 1) / (n (1 - v))``, the ``h``-step error variance is that times
  ``1 + v - 2 c_h`` and the t has ``1/v - 1`` degrees of freedom (at least
  2), those of ``1/v`` independent values. With ``phi = 0`` this is the
  independent case exactly. This small-sample correction is what keeps the
  band at 85 % or more at horizons 1-3 when the backtest picks the mean for
  a persistent series (90 % bands, AR(1) with persistence 0.8, 10 points:
  80-82 % at horizon 3 without it, 88-89 % with it); on independent values
  the band is a little conservative (about 92 % instead of 90 %).
* ``ar1`` (rates): a stationary AR(1) about the sample mean. The persistence
  is estimated by least squares on the ``n - 1`` pairs ``(y_{t-1}, y_t)``
  with a constant and bias-corrected for short samples
  (``phi + (1 + 3 phi) / (n - 1)``, Kendall 1954; :func:`ar1_persistence`);
  an estimate of 1 or more is refused (a growth rate is stationary). The
  process mean is the sample mean ``ybar`` of the ``n`` values, and the
  forecast ``ybar + phi^h (y_T - ybar)``. (The regression's constant over
  ``1 - phi`` is not used: with the corrected persistence it equals
  ``xbar + (y_T - y_1) / ((n - 1)(1 - phi))`` and the end points pull it
  away; on 4,000 simulated AR(1) series with persistence 0.8, 10 points and
  innovations of 1.5 pp its 3-step forecast missed the true conditional mean
  by 1.40 pp (root mean square), the sample mean's by 1.06 pp.) The ``h``-step
  variance is ``s^2 sum_{j<h} phi^(2j)`` plus the parameters' uncertainty
  (delta method: the sample mean's variance ``s^2 / (1 - phi^2) v`` and the
  least-squares variance of ``phi``, ``s^2 / sum (y_{t-1} - xbar)^2``,
  taken as uncorrelated), t quantile with ``n - 3`` degrees of freedom.

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
    "MEAN_PERSISTENCE_MIN",
    "MEAN_PERSISTENCE_MAX",
    "ar1_persistence",
    "mean_variance_ratio",
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
#: the mean's band allows for the series' persistence from this many points on (the ``ar1`` minimum);
#: the persistence it uses is capped here (a near unit root would make the band meaningless)
MEAN_PERSISTENCE_MIN = 6
MEAN_PERSISTENCE_MAX = 0.9
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


def ar1_persistence(y: np.ndarray) -> tuple[float, float]:
    """Least-squares and bias-corrected persistence of a series (pairs ``(y_{t-1}, y_t)`` with a constant).

    The correction is Kendall's (1954) for short samples, ``phi + (1 + 3 phi) / (n - 1)``; a corrected
    value of 1 or more falls back to the least-squares one (not below 0). Raises ValueError for fewer than
    4 points or a series without variation.
    """
    y = np.asarray(y, dtype=float)
    if y.size < 4:
        raise ValueError(f"a persistence needs at least 4 points, got {y.size}")
    x, target = y[:-1], y[1:]
    sxx = float(((x - x.mean()) ** 2).sum())
    if sxx <= 0:
        raise ValueError("the series does not vary: no persistence can be estimated")
    phi_ls = float(((x - x.mean()) * (target - target.mean())).sum() / sxx)
    phi = phi_ls + (1.0 + 3.0 * phi_ls) / (y.size - 1)
    return phi_ls, (min(phi, max(phi_ls, 0.0)) if phi >= 1.0 else phi)


def mean_variance_ratio(phi: float, n: int) -> float:
    """Variance of the mean of ``n`` consecutive values of a stationary AR(1), over the process variance.

    ``(1/n) [1 + 2 sum_{j=1}^{n-1} (1 - j/n) phi^j]``; ``1/n`` for independent values.
    """
    j = np.arange(1, n, dtype=float)
    return float((1.0 + 2.0 * ((1.0 - j / n) * phi**j).sum()) / n)


def mean_forecast(y: np.ndarray, horizon: int, level: float) -> Fit:
    """The mean of the values, t interval with the mean's uncertainty and the series' persistence.

    See the module docstring: with persistence ``phi`` (bias-corrected, from :data:`MEAN_PERSISTENCE_MIN`
    points, 0 when negative or fewer points), the process variance is ``s^2 (n-1) / (n (1 - v))`` and
    the ``h``-step error variance that times ``1 + v - 2 c_h``, where ``v`` is
    :func:`mean_variance_ratio` and ``c_h = (1/n) sum_{j<n} phi^(h+j)``; ``phi = 0`` gives
    ``s^2 (1 + 1/n)``, exact for independent Gaussian values.
    """
    y = np.asarray(y, dtype=float)
    n = y.size
    if n < 2:
        raise ValueError(f"a mean with an interval needs at least 2 points, got {n}")
    s = float(y.std(ddof=1))
    phi = 0.0
    if n >= MEAN_PERSISTENCE_MIN and s > 0:
        try:
            phi = min(max(ar1_persistence(y)[1], 0.0), MEAN_PERSISTENCE_MAX)
        except ValueError:  # all but the last value equal: no persistence to estimate
            phi = 0.0
    h = np.arange(1, horizon + 1, dtype=float)
    v = mean_variance_ratio(phi, n)
    c = phi**h * ((phi ** np.arange(n)).sum() / n)
    var = s * s * (n - 1) / (n * (1.0 - v)) * (1.0 + v - 2.0 * c)
    df = max(1.0 / v - 1.0, 2.0)  # the variance's degrees of freedom: those of n / (n v) independent values
    return _t_fit(np.full(horizon, float(y.mean())), np.sqrt(var), df, level)


def ar1_forecast(y: np.ndarray, horizon: int, level: float) -> Fit:
    """Stationary AR(1) about the sample mean, bias-corrected persistence (see the module docstring).

    Raises
    ------
    ValueError
        Too few points, a series without variation, or a (corrected) persistence of 1 or more.
    """
    y = np.asarray(y, dtype=float)
    n = y.size
    if n < 4:
        raise ValueError(f"an AR(1) needs at least 4 points, got {n}")
    phi_ls, phi = ar1_persistence(y)
    if not -1.0 < phi < 1.0:
        raise ValueError(f"estimated persistence {phi:.3g} is not that of a stationary growth rate")
    x, target = y[:-1], y[1:]
    k = n - 1  # pairs
    sxx = float(((x - x.mean()) ** 2).sum())
    resid = target - target.mean() - phi_ls * (x - x.mean())
    dof = k - 2
    s2 = float((resid**2).sum() / dof)
    mu = float(y.mean())  # the process mean: the sample mean (not c / (1 - phi), which the end points pull)
    h = np.arange(1, horizon + 1)
    dev = y[-1] - mu
    mean = mu + phi**h * dev
    innovations = s2 * np.array([sum(phi ** (2 * j) for j in range(i)) for i in h])
    # parameter uncertainty, delta method on forecast = mu + phi^h (y_T - mu): the sample mean's variance
    # (process variance s2 / (1 - phi^2) times mean_variance_ratio) and the least-squares variance of phi
    # (s2 / sxx); the two estimates are asymptotically uncorrelated
    var_mu = s2 / (1.0 - phi * phi) * mean_variance_ratio(phi, n)
    param = (1.0 - phi**h) ** 2 * var_mu + (h * phi ** (h - 1) * dev) ** 2 * (s2 / sxx)
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
            closed_form_candidate("ar1", ar1_forecast, "stationary AR(1) about the sample mean, bias-corrected persistence"),
        )
    raise ValueError(f"kind must be 'level' or 'rate', not {kind!r}")
