"""Many series of one length forecast at once: :func:`.forecasting.forecast_series`'s answers, vectorised.

A simulation study of the bands (thousands of seeded series) spends nearly all
its time in the per-series overhead of :func:`~.forecasting.forecast_series`
(some 14 closed-form fits, each checked, per series). :func:`forecast_paths`
gives the same method, point and band for each row of an array of series,
with numpy over the rows: the default candidates' closed forms
(:mod:`.forecast_models`: ``mean`` and ``ar1`` for rates, ``drift`` for
levels), each full fit and backtest fit checked as :func:`~.forecast_backtest.checked_fit`
checks it, the rolling-origin backtest and its choice, and the widening of a
band too narrow for its backtest errors (:func:`~.forecast_backtest.widening`,
called row by row where the chi-square test asks for it).

What the closed forms cannot decide is handed to ``forecast_series`` row by
row: a row for which no candidate fits (the fallback, a series without
variation) and every level series long enough for the statsmodels candidates
(:data:`~.forecast_models.MIN_POINTS`). The results agree with
``forecast_series`` to rounding (``tests/economics/test_forecast_batch.py``
checks them against it, series by series).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from scipy import special as _spc
from scipy import stats as _sps

from .forecast_backtest import MIN_WIDEN_ERRORS, WIDEN_QUANTILE, normal_scores
from .forecast_models import (
    BACKTEST_ORIGINS,
    LOG_POINTS,
    MAX_LEVEL_INTERVAL_RATIO,
    MAX_RATE_INTERVAL_WIDTH_PP,
    MEAN_PERSISTENCE_MAX,
    MEAN_PERSISTENCE_MIN,
    MIN_BACKTEST_ORIGINS,
    MIN_INTERVAL_WIDTH,
    MIN_POINTS,
    MIN_POINTS_FALLBACK,
)

__all__ = ["BatchFit", "ForecastPaths", "ar1_fits", "drift_fits", "mean_fits", "forecast_paths"]


@dataclass(frozen=True)
class BatchFit:
    """One closed-form candidate fitted to every row: ``mean`` and ``scale`` (rows, horizon), ``df`` (rows,),
    ``ok`` (rows,): False where the single-series fit raises ValueError."""

    mean: np.ndarray
    scale: np.ndarray
    df: np.ndarray
    ok: np.ndarray

    def bands(self, level: float) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds at ``level``: the t quantile of each row's degrees of freedom times its scale."""
        half = _spc.stdtrit(self.df, (1.0 + level) / 2.0)[:, None] * self.scale
        return self.mean - half, self.mean + half


@dataclass(frozen=True)
class ForecastPaths:
    """Forecasts of many series: ``method`` (rows,) as :attr:`.ForecastResult.method`; ``point``, ``lower``,
    ``upper`` (rows, horizon) in the series' unit; ``widened_by`` (rows,); ``delegated`` (rows,): True where
    :func:`~.forecasting.forecast_series` itself gave the row's answer."""

    method: np.ndarray
    point: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    widened_by: np.ndarray
    delegated: np.ndarray


# --------------------------------------------------------------------------- the closed forms on rows
def _persistence(y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row by row :func:`~.forecast_models.ar1_persistence`: (least-squares, corrected, defined?)."""
    x, target = y[:, :-1], y[:, 1:]
    xd = x - x.mean(axis=1, keepdims=True)
    sxx = (xd**2).sum(axis=1)
    defined = sxx > 0
    safe = np.where(defined, sxx, 1.0)
    phi_ls = (xd * (target - target.mean(axis=1, keepdims=True))).sum(axis=1) / safe
    phi = phi_ls + (1.0 + 3.0 * phi_ls) / (y.shape[1] - 1)
    phi = np.where(phi >= 1.0, np.minimum(phi, np.maximum(phi_ls, 0.0)), phi)
    return phi_ls, phi, defined


def _mean_variance_ratio(phi: np.ndarray, n: int) -> np.ndarray:
    """Row by row :func:`~.forecast_models.mean_variance_ratio`."""
    j = np.arange(1, n, dtype=float)
    return (1.0 + 2.0 * ((1.0 - j / n) * phi[:, None] ** j).sum(axis=1)) / n


def mean_fits(y: np.ndarray, horizon: int) -> BatchFit:
    """:func:`~.forecast_models.mean_forecast` of every row of ``y`` (rows, n)."""
    rows, n = y.shape
    s = y.std(axis=1, ddof=1)
    phi = np.zeros(rows)
    if n >= MEAN_PERSISTENCE_MIN:
        _, corrected, defined = _persistence(y)
        phi = np.where(defined & (s > 0), np.minimum(np.maximum(corrected, 0.0), MEAN_PERSISTENCE_MAX), 0.0)
    h = np.arange(1, horizon + 1, dtype=float)
    v = _mean_variance_ratio(phi, n)
    c = phi[:, None] ** h * ((phi[:, None] ** np.arange(n)).sum(axis=1) / n)[:, None]
    var = (s * s * (n - 1) / (n * (1.0 - v)))[:, None] * (1.0 + v[:, None] - 2.0 * c)
    df = np.maximum(1.0 / v - 1.0, 2.0)
    mean = np.repeat(y.mean(axis=1)[:, None], horizon, axis=1)
    return BatchFit(mean, np.sqrt(var), df, np.full(rows, n >= 2))


def ar1_fits(y: np.ndarray, horizon: int) -> BatchFit:
    """:func:`~.forecast_models.ar1_forecast` of every row of ``y`` (rows, n); ``ok`` False where it raises."""
    rows, n = y.shape
    if n < 4:
        return BatchFit(np.full((rows, horizon), np.nan), np.full((rows, horizon), np.nan), np.full(rows, np.nan),
                        np.zeros(rows, dtype=bool))
    phi_ls, phi, defined = _persistence(y)
    ok = defined & (phi > -1.0) & (phi < 1.0)
    phi = np.where(ok, phi, 0.0)
    x, target = y[:, :-1], y[:, 1:]
    xd = x - x.mean(axis=1, keepdims=True)
    sxx = np.where(ok, (xd**2).sum(axis=1), 1.0)
    resid = target - target.mean(axis=1, keepdims=True) - phi_ls[:, None] * xd
    dof = n - 3
    s2 = (resid**2).sum(axis=1) / dof
    mu = y.mean(axis=1)
    h = np.arange(1, horizon + 1)
    dev = y[:, -1] - mu
    ph = phi[:, None] ** h
    mean = mu[:, None] + ph * dev[:, None]
    innovations = s2[:, None] * np.cumsum(phi[:, None] ** (2 * (h - 1)), axis=1)
    var_mu = s2 / (1.0 - phi * phi) * _mean_variance_ratio(phi, n)
    param = (1.0 - ph) ** 2 * var_mu[:, None] + (h * phi[:, None] ** (h - 1) * dev[:, None]) ** 2 * (s2 / sxx)[:, None]
    return BatchFit(mean, np.sqrt(innovations + param), np.full(rows, float(dof)), ok)


def drift_fits(z: np.ndarray, horizon: int) -> BatchFit:
    """:func:`~.forecast_models.drift_forecast` of every row of ``z`` (rows, n)."""
    rows, n = z.shape
    d = np.diff(z, axis=1)
    m = d.shape[1]
    if m < 2:
        return BatchFit(np.full((rows, horizon), np.nan), np.full((rows, horizon), np.nan), np.full(rows, np.nan),
                        np.zeros(rows, dtype=bool))
    h = np.arange(1, horizon + 1, dtype=float)
    s = d.std(axis=1, ddof=1)
    mean = z[:, -1:] + h * d.mean(axis=1)[:, None]
    return BatchFit(mean, s[:, None] * np.sqrt(h * (1.0 + h / m)), np.full(rows, float(m - 1)), np.ones(rows, bool))


_FITS: dict[str, Callable[[np.ndarray, int], BatchFit]] = {"mean": mean_fits, "ar1": ar1_fits, "drift": drift_fits}


def _usable(fit: BatchFit, level: float, kind: str, z_last: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows whose fit passes :func:`~.forecast_backtest.degeneracy` (and did not raise); their bands."""
    lower, upper = fit.bands(level)
    with np.errstate(invalid="ignore"):
        width = upper - lower
        good = fit.ok & np.all(np.isfinite(fit.mean) & np.isfinite(lower) & np.isfinite(upper), axis=1)
        good &= ~np.any(width < MIN_INTERVAL_WIDTH, axis=1)
        good &= ~np.any((lower > fit.mean) | (upper < fit.mean), axis=1)
        if kind == "level":  # levels are modelled in log points
            good &= ~np.any(width > LOG_POINTS * np.log(MAX_LEVEL_INTERVAL_RATIO), axis=1)
            good &= ~np.any(upper > z_last[:, None] + LOG_POINTS * 50, axis=1)
        else:
            good &= ~np.any(width > MAX_RATE_INTERVAL_WIDTH_PP, axis=1)
    return good, lower, upper


# --------------------------------------------------------------------------- forecast_series on rows
def forecast_paths(values: np.ndarray, horizon: int, *, kind: str, level: float = 0.9,
                   first_year: int = 2000) -> ForecastPaths:
    """:func:`~.forecasting.forecast_series` (``method="auto"``, the default candidates) of every row of ``values``.

    Parameters
    ----------
    values : array (rows, n)
        Each row one annual series of ``n`` consecutive years from ``first_year``, in its unit (levels
        positive).
    horizon : int
    kind : {"level", "rate"}
    level : float
        Nominal coverage of the bands.
    """
    from .forecasting import forecast_series

    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or kind not in ("level", "rate"):
        raise ValueError("values must be (rows, n) and kind 'level' or 'rate'")
    rows, n = values.shape
    if n < MIN_POINTS_FALLBACK or not np.all(np.isfinite(values)) or (kind == "level" and np.any(values <= 0)):
        raise ValueError(f"each row needs {MIN_POINTS_FALLBACK}+ finite values (levels positive)")
    log_scale = kind == "level"
    z = LOG_POINTS * np.log(values) if log_scale else values
    names = ("drift",) if log_scale else ("mean", "ar1")
    delegate = np.zeros(rows, dtype=bool)
    if log_scale and n >= min(MIN_POINTS[k] for k in MIN_POINTS if k not in ("drift", "mean", "ar1")):
        delegate[:] = True  # the statsmodels candidates compete
    fitted: dict[str, np.ndarray] = {}
    full: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for name in names:
        if n < MIN_POINTS[name]:
            continue
        fit = _FITS[name](z, horizon)
        good, lower, upper = _usable(fit, level, kind, z[:, -1])
        fitted[name] = good
        full[name] = (fit.mean, lower, upper)
    competing = [c for c in fitted if n - MIN_POINTS[c] >= MIN_BACKTEST_ORIGINS]
    # each row's first origin: the latest minimum among the competing candidates that fitted it (no origin
    # for a row that none fitted)
    any_competing = np.zeros(rows, dtype=bool)
    latest = np.zeros(rows, dtype=int)
    for c in competing:
        any_competing |= fitted[c]
        latest = np.where(fitted[c], np.maximum(latest, MIN_POINTS[c]), latest)
    start = np.where(any_competing, np.maximum(latest, n - BACKTEST_ORIGINS), n)
    maes: dict[str, np.ndarray] = {}
    errors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if competing:
        ks = list(range(int(start.min(initial=n)), n))
        for c in competing:
            abs_err = np.full((rows, len(ks), horizon), np.nan)
            std_err = np.full((rows, len(ks), horizon), np.nan)
            dfs = np.full((rows, len(ks)), np.nan)
            used = np.zeros((rows, len(ks), horizon), dtype=bool)
            passed = fitted[c].copy()
            for i, k in enumerate(ks):
                steps = min(horizon, n - k)
                in_use = fitted[c] & (start <= k)
                if k < MIN_POINTS[c]:  # never an origin of this candidate's rows (start >= its minimum)
                    continue
                fit = _FITS[c](z[:, :k], steps)
                good, _, _ = _usable(fit, level, kind, z[:, k - 1])
                passed &= good | ~in_use
                e = z[:, k:k + steps] - fit.mean
                abs_err[:, i, :steps] = np.abs(e)
                with np.errstate(invalid="ignore", divide="ignore"):  # a zero scale: a fit refused above
                    std_err[:, i, :steps] = e / fit.scale
                dfs[:, i] = fit.df
                used[:, i, :steps] = in_use[:, None]
            count = used.sum(axis=1)  # (rows, horizon): origins behind each step
            by_step = np.where(used, abs_err, 0.0).sum(axis=1) / np.maximum(count, 1)
            steps_seen = (count > 0).sum(axis=1)
            mae = np.where(count > 0, by_step, 0.0).sum(axis=1) / np.maximum(steps_seen, 1)
            maes[c] = np.where(passed & (steps_seen > 0), mae, np.nan)
            fitted[c] = fitted[c] & passed
            errors[c] = (np.where(used, std_err, np.nan), np.where(used, dfs[:, :, None], np.nan))
    # the choice: the lowest backtest error among two or more compared, else the first that fitted
    method = np.full(rows, "", dtype=object)
    compared = sum((fitted[c] & np.isfinite(maes[c])).astype(int) for c in maes) > 1 if maes else np.zeros(rows, bool)
    best_mae = np.full(rows, np.inf)
    for c in names:
        if c in maes:
            better = compared & fitted[c] & (maes[c] < best_mae)
            method = np.where(better, c, method)
            best_mae = np.where(better, maes[c], best_mae)
    order = [c for c in competing] + [c for c in names if c in fitted and c not in competing]
    for c in order:
        method = np.where((method == "") & ~compared & fitted[c], c, method)
    delegate |= method == ""
    point = np.full((rows, horizon), np.nan)
    lower = np.full((rows, horizon), np.nan)
    upper = np.full((rows, horizon), np.nan)
    widened_by = np.ones(rows)
    for c in names:
        rows_c = (method == c) & ~delegate
        if not rows_c.any():
            continue
        mean, lo, hi = (a[rows_c] for a in full[c])
        if c in errors:
            w = _widening(errors[c][0][rows_c], errors[c][1][rows_c])
            lo, hi = mean - w[:, None] * (mean - lo), mean + w[:, None] * (hi - mean)
            widened_by[rows_c] = w
        point[rows_c], lower[rows_c], upper[rows_c] = mean, lo, hi
    if log_scale:
        point, lower, upper = (np.exp(a / LOG_POINTS) for a in (point, lower, upper))
    for r in np.flatnonzero(delegate):
        series = pd.Series(values[r], index=range(first_year, first_year + n))
        res = forecast_series(series, horizon, level=level, kind=kind)
        method[r], widened_by[r] = res.method, res.widened_by
        point[r], lower[r], upper[r] = res.point, res.lower, res.upper
    return ForecastPaths(method.astype(str), point, lower, upper, widened_by, delegate)


def _widening(std_err: np.ndarray, dfs: np.ndarray) -> np.ndarray:
    """Row by row :func:`~.forecast_backtest.widening` of standardised errors (rows, origins, steps), NaN where
    none: the same chi-square test, and the same root, found for every row at once by the Illinois method to
    1e-10 in ``log w`` (``widening`` stops Brent's method at 1e-6: the factors agree to that)."""
    rows = std_err.shape[0]
    flat_e, flat_df = std_err.reshape(rows, -1), dfs.reshape(rows, -1)
    present = np.isfinite(flat_e)
    count = present.sum(axis=1)
    e = np.where(present, flat_e, 0.0)
    df = np.where(present, flat_df, 1.0)

    def excess(log_w: np.ndarray, which: np.ndarray) -> np.ndarray:
        scores = normal_scores(np.column_stack([(e[which] / np.exp(log_w)[:, None]).ravel(), df[which].ravel()]))
        ss = np.where(present[which], scores.reshape(which.size, -1) ** 2, 0.0).sum(axis=1)
        return ss / np.maximum(count[which], 1) - 1.0

    everyone = np.arange(rows)
    chi2 = _sps.chi2.ppf(WIDEN_QUANTILE, np.maximum(count, 1))
    test = (count >= MIN_WIDEN_ERRORS) & ((excess(np.zeros(rows), everyone) + 1.0) * count > chi2)
    out = np.ones(rows)
    which = np.flatnonzero(test)
    if which.size == 0:
        return out
    hi = np.ones(which.size)  # doubled while the band is still too narrow, up to e^40 (as widening does)
    while True:
        grow = (hi < 40.0) & (excess(hi, which) > 0)
        if not grow.any():
            break
        hi = np.where(grow, 2.0 * hi, hi)
    f_hi = excess(hi, which)
    beyond = f_hi > 0
    # the Illinois method (regula falsi) on the bracket [0, hi]: excess decreases in log w
    a, fa = np.zeros(which.size), excess(np.zeros(which.size), which)
    b, fb = hi.copy(), f_hi
    active = ~beyond & (fb != 0)
    for _ in range(100):
        if not active.any():
            break
        idx = np.flatnonzero(active)
        c = (a[idx] * fb[idx] - b[idx] * fa[idx]) / (fb[idx] - fa[idx])
        fc = excess(c, which[idx])
        same = np.sign(fc) == np.sign(fb[idx])
        a[idx] = np.where(same, a[idx], b[idx])
        fa[idx] = np.where(same, fa[idx] / 2.0, fb[idx])
        b[idx], fb[idx] = c, fc
        active[idx] = (np.abs(b[idx] - a[idx]) > 1e-10) & (fc != 0)
    root = b
    out[which] = np.exp(np.where(beyond, hi, root))
    return out
