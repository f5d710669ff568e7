"""forecast_paths (economics/forecast_batch.py), the vectorised forecasts of many series, against the slow
reference: forecast_series on each series alone.

The simulation studies of the bands (tests/economics/test_forecast_calibration.py, test_forecasting.py) run
tens of thousands of series through forecast_paths; what they prove holds for forecast_series because the
two agree here, series by series, on every branch: both rate candidates and the drift, an AR(1) refused
(persistence 1 or more) in the full fit or at a backtest origin, bands widened to their backtest errors,
series too short to compare, the fallback (no candidate fits) and levels long enough for statsmodels (both
handed to forecast_series).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from xiqu_analysis.economics.forecast_batch import ar1_fits, drift_fits, forecast_paths, mean_fits
from xiqu_analysis.economics.forecast_models import ar1_forecast, drift_forecast, mean_forecast
from xiqu_analysis.economics.forecasting import forecast_series


def _ar1(seed: int, reps: int, n: int, phi: float, mu: float = 6.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    e = rng.standard_normal((reps, n))
    x = np.empty((reps, n))
    x[:, 0] = mu + e[:, 0] / math.sqrt(1.0 - phi * phi)
    for t in range(1, n):
        x[:, t] = mu + phi * (x[:, t - 1] - mu) + e[:, t]
    return x


def _check_rows(values: np.ndarray, kind: str, horizon: int = 3) -> tuple:
    """forecast_paths of ``values`` against forecast_series of each row: the same method; the same point and
    band (the band to 1e-5 of its width: forecast_series finds the widening factor by Brent's method to 1e-6
    in log w, forecast_paths to 1e-10)."""
    batch = forecast_paths(values, horizon, kind=kind)
    n = values.shape[1]
    for r, row in enumerate(values):
        series = pd.Series(row, index=range(2000, 2000 + n))
        series.attrs["unit"] = "%" if kind == "rate" else "亿元"
        res = forecast_series(series, horizon, level=0.9)
        assert res.kind == kind and res.method == batch.method[r], (n, r, res.method, batch.method[r])
        scale = np.log if kind == "level" else (lambda a: np.asarray(a))  # compare on the modelled scale
        width = scale(res.upper) - scale(res.lower)
        np.testing.assert_allclose(scale(batch.point[r]), scale(res.point), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(scale(batch.lower[r]), scale(res.lower), rtol=0, atol=1e-12 + 1e-5 * width.max())
        np.testing.assert_allclose(scale(batch.upper[r]), scale(res.upper), rtol=0, atol=1e-12 + 1e-5 * width.max())
        assert batch.widened_by[r] == pytest.approx(res.widened_by, rel=1e-5)
    return batch


def test_the_closed_forms_on_rows_are_those_of_each_series():
    y = _ar1(3, 40, 12, 0.7)
    for k in (3, 4, 6, 12):
        for fits, one in ((mean_fits, mean_forecast), (drift_fits, drift_forecast), (ar1_fits, ar1_forecast)):
            batch = fits(y[:, :k], 3)
            for r in range(y.shape[0]):
                try:
                    fit = one(y[r, :k], 3, 0.9)
                except ValueError:  # refused alone: refused on the rows too
                    assert not batch.ok[r], (fits.__name__, k, r)
                    continue
                assert batch.ok[r]
                lower, upper = batch.bands(0.9)
                np.testing.assert_allclose(batch.mean[r], fit.mean, rtol=1e-12)
                np.testing.assert_allclose(batch.scale[r], fit.scale, rtol=1e-12)
                np.testing.assert_allclose([lower[r], upper[r]], [fit.lower, fit.upper], rtol=1e-12)
                assert batch.df[r] == fit.df


@pytest.mark.parametrize("n", [3, 5, 6, 8, 9, 10, 11, 12, 15, 20])
def test_rates_agree_with_forecast_series_series_by_series(n):
    """Persistence 0, 0.5 and 0.95 (where the AR(1) is often refused), 10 seeded series each."""
    rows = np.vstack([_ar1(100 * n + i, 10, n, phi) for i, phi in enumerate((0.0, 0.5, 0.95))])
    batch = _check_rows(rows, "rate")
    assert not batch.delegated.any()
    if n >= 9:  # both candidates compete from 9 points: each is picked somewhere, and bands are widened
        assert {"mean", "ar1"} <= set(batch.method) and (batch.widened_by > 1).any()


@pytest.mark.parametrize("n", [3, 6, 9, 15])
def test_levels_agree_with_forecast_series_series_by_series(n):
    """Random walks with drift in logs (5 % a year, sd 3 %) and AR(1) log growth: the drift, widened or not."""
    steps = np.vstack([0.05 + 0.03 * (_ar1(7 * n + i, 10, n, phi) - 6.0) for i, phi in enumerate((0.0, 0.9))])
    levels = 100.0 * np.exp(np.cumsum(steps, axis=1))
    batch = _check_rows(levels, "level")
    assert set(batch.method) == {"drift"} and not batch.delegated.any()
    if n >= 6:
        assert (batch.widened_by > 1).any()


def test_what_the_closed_forms_cannot_decide_is_forecast_series_own_answer():
    """A constant rate (no candidate fits: the fallback, no width), a rate whose AR(1) is refused (a trend),
    a rate with one wild year (every band wider than 100 pp: the fallback, too wide), and levels of 16 points (the statsmodels candidates compete)."""
    rates = np.vstack([np.full(10, 5.0), np.arange(1.0, 11.0), [5, 6, 5, 6, 5, 90, 5, 6, 5, 6.0],
                       _ar1(11, 2, 10, 0.3)])
    batch = _check_rows(rates, "rate")
    assert list(batch.delegated) == [True, False, True, False, False]
    assert list(batch.method[:3]) == ["mean_rate", "mean", "mean_rate"]  # the trend's AR(1) was refused
    levels = 100.0 * np.exp(np.cumsum(0.05 + 0.03 * (_ar1(12, 2, 16, 0.0) - 6.0), axis=1))
    assert _check_rows(levels, "level").delegated.all()


def test_bad_rows_are_refused():
    for values, kind in ((np.ones((2, 2)), "rate"), (np.array([[1.0, np.nan, 2.0]]), "rate"),
                         (np.array([[1.0, -1.0, 2.0]]), "level"), (np.ones(5), "rate"), (np.ones((1, 5)), "share")):
        with pytest.raises(ValueError):
            forecast_paths(values, 3, kind=kind)
