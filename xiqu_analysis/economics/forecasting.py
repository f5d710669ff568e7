"""Forecasts of user-supplied annual bulletin series (statsmodels), with honest fallbacks.

The series come from the district's statistical bulletins, which users supply
(:func:`xiqu_analysis.inputs.bulletins.load_bulletin`).

Two kinds of series are kept apart and never mixed:

* **level** series (``unit`` 亿元, 万元, 元, 万人, ...; usually ``current``
  prices): forecast on the log scale, so growth is the growth of the level at
  the series' own price basis (nominal for current-price levels);
* **rate** series (``unit`` ``%``; real growth rates are ``comparable``):
  forecast as they are. Real growth is never derived from current-price
  levels.

Forecasting (:func:`forecast_series`)
-------------------------------------
Candidate models (:mod:`.forecast_models`), each with the minimum number of
annual points it is fitted on (:data:`MIN_POINTS`):

* levels (log scale): ``drift``, a random walk with drift with an exact
  small-sample t interval (3 points; the average-growth fallback's own
  model); ``arima110``, ``holt_damped``, ``local_linear_trend`` (statsmodels,
  16 points);
* rates: ``mean`` (3 points; the fallback's own model; its band allows for
  the series' persistence from 6 points on) and ``ar1``, a stationary AR(1)
  about the sample mean with bias-corrected persistence and parameter
  uncertainty (6 points). No random walk: growth rates are stationary. For
  AR(1) growth rates with persistence up to 0.8 and 10 or more points the
  90 % bands cover 85 % or more at horizons 1-3, whichever model is picked
  (``tests/test_forecast_calibration.py``).

**Selection is by a rolling-origin backtest of multi-step errors, with the
fallback's model competing.** Every candidate that fits and leaves at least
:data:`MIN_BACKTEST_ORIGINS` origins is refitted on the first ``k`` points
for the last :data:`BACKTEST_ORIGINS` origins and forecasts every step it can
up to the horizon asked; the score is the mean over steps of the mean
absolute error at that step, on the modelled scale (log points for levels,
percentage points for rates), all candidates on the same origins and steps.
AICc is reported for each statsmodels candidate but not used: ARIMA
likelihoods with and without differencing are computed on different data.

**A band too narrow for its own backtest is widened.** The chosen model's
backtest errors, standardised by its own predictive scale, should have the
variance of its t distribution; when their sum of squares exceeds the 90th
percentile of the chi-square distribution it would have if the band were
right, the band is widened by the square root of the ratio (``widened_by``).
A correct model is widened in about one series in ten, by little; a model
whose band is too narrow is widened where the errors show it.

Every fit is checked: an exception (failed fit), a ``ConvergenceWarning`` or
``mle_retvals["converged"] == False`` (non-converged fit), or a degenerate
forecast (NaN/inf, an interval of zero width, an absurdly wide interval, a
non-positive level). When no candidate passes, the result is the documented
fallback -- average growth of the level (random walk with drift in logs) or
the mean of the rate -- with ``fallback`` saying why (a code, with its numbers
in ``fallback_detail``). A series with no
variation (a constant rate, a level growing exactly 6 % a year) is continued
exactly, with a band of :data:`NO_VARIATION_HALF_WIDTH` either side and a
warning that it expresses no uncertainty. A failed fit is never presented as
a forecast.

Fitting one candidate with these checks, its backtest, the widening and the
fallback's closed forms are in :mod:`.forecast_backtest`; this module chooses.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..inputs.bulletins import series_kind
from .forecast_backtest import (
    MIN_WIDEN_ERRORS,
    WIDEN_QUANTILE,
    FitProblem,
    backtest,
    checked_fit,
    fallback_forecast,
    widening,
)
from .forecast_models import (
    BACKTEST_ORIGINS,
    LOG_POINTS,
    MAX_LEVEL_INTERVAL_RATIO,
    MAX_RATE_INTERVAL_WIDTH_PP,
    MIN_BACKTEST_ORIGINS,
    MIN_INTERVAL_WIDTH,
    MIN_POINTS,
    MIN_POINTS_FALLBACK,
    NO_VARIATION_HALF_WIDTH,
    Candidate,
    Fit,
    default_candidates,
    period_series,
)

__all__ = ["CandidateScore", "ForecastResult", "forecast_series", "MIN_WIDEN_ERRORS", "PROBLEMS", "WIDEN_QUANTILE"]

# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class CandidateScore:
    """How one candidate fared.

    Attributes
    ----------
    method : str
    status : str
        ``"ok"``, ``"too_short"``, ``"failed"``, ``"not_converged"``,
        ``"degenerate"``, ``"not_compared"`` (fits, but too few backtest origins).
    aicc : float
        AICc of the fit on the whole series (NaN if none); for information only.
    backtest_mae : float
        Mean over forecast steps of the mean absolute error at that step,
        over the backtest origins, on the modelled scale (log points, 100 *
        log, for levels, ~ % error; pp for rates); NaN if not backtested.
    n_origins : int
    problem : str
        What went wrong, a code (:data:`PROBLEMS`; empty when nothing did).
    detail : dict
        Its numbers: ``needs``/``has`` points (too short), ``error`` (the
        exception's own text), ``ratio`` or ``pp`` (interval limits),
        ``origins`` (backtest origins needed), ``in_backtest`` (failed while
        backtesting).
    """

    method: str
    status: str
    aicc: float = float("nan")
    backtest_mae: float = float("nan")
    n_origins: int = 0
    problem: str = ""
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ForecastResult:
    """A forecast with its prediction interval and the story of how it was chosen.

    Attributes
    ----------
    method : str
        Model used (a :data:`MIN_POINTS` key) or ``"average_growth"`` /
        ``"mean_rate"`` (the fallbacks).
    kind : {"level", "rate"}
    unit, price_basis : str
        Of the input series (levels stay at their price basis).
    years : tuple of int
        Forecast years (last observed year + 1 ...).
    point, lower, upper : tuple of float
        Point forecast and prediction interval at ``level``, in the series' unit.
    level : float
        Nominal coverage of the interval (0.9 = 90%).
    selection : str
        ``"backtest"`` (rolling-origin multi-step MAE), ``"simplest"`` (too
        short to compare: the simplest model that fitted), ``"only_candidate"``
        (one model fitted), ``"requested"`` (``method`` given) or ``"fallback"``.
    widened_by : float
        Factor the model's band was widened by after its backtest (1: not widened).
    scores : tuple of CandidateScore
    fallback : str or None
        Why the fallback was used, a code: ``"requested"`` (``method="fallback"``)
        or ``"no_usable_model"`` (every candidate failed; see ``scores``); None when
        a model was used.
    fallback_detail : dict
        The fallback's numbers: ``n`` points, ``summary`` (``growth``, ``change``
        or ``mean``) with its ``value`` over ``years``.
    notes : tuple of str
        Codes about the interval: ``interval_no_width`` (the series shows no
        variation), ``interval_too_wide`` (too erratic to be useful),
        ``interval_widened`` (widened by ``widened_by`` to its backtest errors).
    warnings : tuple of str
        Warnings raised by statsmodels during the fits (its own text, deduplicated).
    n_obs : int
    last_year : int
    last_value : float
    """

    method: str
    kind: str
    unit: str
    price_basis: str
    years: tuple[int, ...]
    point: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    level: float
    selection: str
    scores: tuple[CandidateScore, ...]
    fallback: str | None
    warnings: tuple[str, ...]
    n_obs: int
    last_year: int
    last_value: float
    widened_by: float = 1.0
    fallback_detail: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def is_fallback(self) -> bool:
        return self.fallback is not None

    @property
    def table(self) -> pd.DataFrame:
        """The main table, the forecast: year, point, lower, upper (the series' unit)."""
        return pd.DataFrame({"year": list(self.years), "point": list(self.point),
                             "lower": list(self.lower), "upper": list(self.upper)})

    def scores_frame(self) -> pd.DataFrame:
        """One row per candidate: method, status, aicc, backtest_mae, n_origins, problem (code), detail."""
        return pd.DataFrame([vars(s) for s in self.scores],
                            columns=["method", "status", "aicc", "backtest_mae", "n_origins", "problem", "detail"])


#: codes of :attr:`CandidateScore.problem`
PROBLEMS = ("too_short", "fit_failed", "not_converged", "wrong_shape", "not_finite", "zero_width",
            "outside_interval", "too_wide_ratio", "explodes", "not_positive", "too_wide_pp", "few_origins")


# --------------------------------------------------------------------------- forecast
def forecast_series(
    series: pd.Series,
    horizon: int,
    *,
    level: float = 0.9,
    method: str = "auto",
    kind: Literal["auto", "level", "rate"] = "auto",
    candidates: Sequence[Candidate] | None = None,
) -> ForecastResult:
    """Forecast an annual series with prediction intervals, falling back honestly.

    Parameters
    ----------
    series : pandas.Series
        Annual values indexed by consecutive int years (as returned by
        :func:`bulletin_series`; an annual PeriodIndex or DatetimeIndex is
        read by its years); ``attrs`` may carry ``unit``,
        ``price_basis`` and ``kind``. Levels (e.g. GDP in 亿元 at current
        prices) must be positive and are modelled in logs; rates (``%``) as
        they are.
    horizon : int
        Number of years ahead (>= 1).
    level : float
        Nominal coverage of the prediction interval, in (0, 1).
    method : str
        ``"auto"`` (backtest selection), a candidate name (see
        :data:`MIN_POINTS`), or ``"fallback"`` (average growth / mean).
    kind : {"auto", "level", "rate"}
        ``"auto"`` reads :func:`series_kind`.
    candidates : sequence of Candidate, optional
        Replace the default candidates (advanced use and tests).

    Returns
    -------
    ForecastResult

    Raises
    ------
    InputError
        Fewer than :data:`MIN_POINTS_FALLBACK` points, non-finite values, a
        non-positive level, years not consecutive, an unknown ``method``, a
        bad ``horizon`` or ``level``.
    """
    src = f"series {series.name}" if series.name is not None else "series"
    if not isinstance(horizon, (int, np.integer)) or isinstance(horizon, bool) or horizon < 1:
        raise InputError(src, "horizon", "must be a whole number of years >= 1, not {horizon!r}", horizon=horizon)
    if not 0.0 < float(level) < 1.0:
        raise InputError(src, "level", "must lie strictly between 0 and 1, not {level!r}", level=level)
    kind = series_kind(series) if kind == "auto" else kind
    if kind not in ("level", "rate"):
        raise InputError(src, "kind", "must be 'level' or 'rate', not {kind!r}", kind=kind)
    s = series.astype(float).sort_index()
    values = s.to_numpy(dtype=float)
    n = values.size
    if n < MIN_POINTS_FALLBACK:
        raise InputError(src, "values",
                         "{n} point(s); at least {fallback} are needed even for the average-growth fallback, and "
                         "{model}+ for any model",
                         n=n, fallback=MIN_POINTS_FALLBACK, model=min(MIN_POINTS.values()))
    if not np.all(np.isfinite(values)):
        raise InputError(src, "values", "contains NaN or infinite values")
    idx = s.index
    years = np.asarray(idx.year if isinstance(idx, (pd.PeriodIndex, pd.DatetimeIndex)) else idx, dtype=int)
    if np.any(np.diff(years) != 1):
        raise InputError(src, "year", "years must be consecutive")
    if kind == "level" and np.any(values <= 0):
        raise InputError(src, "values", "a level series must be positive (it is modelled in logs)")
    log_scale = kind == "level"
    # Levels are modelled as 100 * log(level) ("log points", ~% growth): statsmodels' optimisers
    # fail to converge on raw log levels, whose annual changes have variances around 1e-3.
    z = LOG_POINTS * np.log(values) if log_scale else values.copy()
    first_year, last_year = int(years[0]), int(years[-1])
    cands = tuple(candidates) if candidates is not None else default_candidates(kind)
    names = [c.name for c in cands]
    if method not in ("auto", "fallback") and method not in names:
        raise InputError(src, "method", "unknown method {method!r}; use auto, fallback or one of {items}",
                         method=method, items=', '.join(names))

    sink: list[str] = []
    scores: list[CandidateScore] = []
    errors: dict[str, np.ndarray] = {}
    chosen: tuple[Candidate, Fit] | None = None
    fallback: str | None = None
    fallback_detail: dict = {}
    notes: list[str] = []
    selection = "fallback"

    if method == "fallback":
        fallback = "requested"
    else:
        pool = [c for c in cands if method == "auto" or c.name == method]
        modelled = period_series(z, first_year)
        fitted: dict[str, Fit] = {}
        status: dict[str, CandidateScore] = {}
        for c in pool:
            if n < c.min_points:
                status[c.name] = CandidateScore(c.name, "too_short", problem="too_short",
                                                detail={"needs": c.min_points, "has": n})
                continue
            try:
                fit = checked_fit(c, modelled, horizon, level, kind, log_scale, sink)
            except FitProblem as p:
                status[c.name] = CandidateScore(c.name, p.status, problem=p.problem, detail=p.detail)
                continue
            fitted[c.name] = fit
        # backtest among the candidates that fitted and leave enough origins (the fallback's model among them)
        competing = [c for c in pool if c.name in fitted and n - c.min_points >= MIN_BACKTEST_ORIGINS]
        maes: dict[str, float] = {}
        origins: list[int] = []
        if competing:
            start = max(max(c.min_points for c in competing), n - BACKTEST_ORIGINS)
            origins = list(range(start, n))
            for c in competing:
                try:
                    maes[c.name], errors[c.name] = backtest(c, modelled, origins, horizon, level, kind,
                                                             log_scale, [])
                except FitProblem as p:
                    status[c.name] = CandidateScore(c.name, p.status, fitted[c.name].aicc, problem=p.problem,
                                                    detail={**p.detail, "in_backtest": True})
                    fitted.pop(c.name)
        compared = method == "auto" and len(maes) > 1
        for c in pool:
            if c.name in status:
                continue
            fit = fitted[c.name]
            if c.name in maes:
                status[c.name] = CandidateScore(c.name, "ok", fit.aicc, maes[c.name], len(origins))
            elif method == "auto" and len(fitted) > 1:
                status[c.name] = CandidateScore(c.name, "not_compared", fit.aicc, problem="few_origins",
                                                detail={"origins": MIN_BACKTEST_ORIGINS})
            else:
                status[c.name] = CandidateScore(c.name, "ok", fit.aicc)
        scores = [status[c.name] for c in pool]
        if compared:
            best = min(maes, key=lambda k: (maes[k], names.index(k)))
            chosen = (next(c for c in pool if c.name == best), fitted[best])
            selection = "backtest"
        elif fitted:
            # Too short to compare models: the simplest one that fitted (candidate order is
            # simplest first), or the only one left / requested.
            pref = [c for c in competing if c.name in fitted] or [c for c in pool if c.name in fitted]
            best = pref[0]
            chosen = (best, fitted[best.name])
            if method != "auto":
                selection = "requested"
            elif len(fitted) == 1:
                selection = "only_candidate"
            else:
                selection = "simplest"
        else:
            fallback = "no_usable_model"

    widened_by = 1.0
    if chosen is not None:
        cand, fit = chosen
        mean, lo, hi = fit.mean, fit.lower, fit.upper
        used = cand.name
        if cand.name in errors:
            widened_by = widening(errors[cand.name])
            if widened_by > 1.0:
                lo, hi = mean - widened_by * (mean - lo), mean + widened_by * (hi - mean)
                notes.append("interval_widened")
    else:
        mean, lo, hi, summary = fallback_forecast(z, horizon, level, kind, log_scale)
        used = "average_growth" if log_scale else "mean_rate"
        fallback_detail = {"n": n, **summary}
        if not np.all(np.isfinite(hi - lo)) or np.any(hi - lo < MIN_INTERVAL_WIDTH):
            # no variation: the exact continuation, with a band of rounding width around it
            lo, hi = mean - NO_VARIATION_HALF_WIDTH, mean + NO_VARIATION_HALF_WIDTH
            notes.append("interval_no_width")
        elif log_scale and np.any(hi - lo > LOG_POINTS * math.log(MAX_LEVEL_INTERVAL_RATIO)):
            notes.append("interval_too_wide")
        elif not log_scale and np.any(hi - lo > MAX_RATE_INTERVAL_WIDTH_PP):
            notes.append("interval_too_wide")
    if log_scale:
        point, lower, upper = (np.exp(a / LOG_POINTS) for a in (mean, lo, hi))
    else:
        point, lower, upper = mean, lo, hi
    return ForecastResult(
        method=used,
        kind=kind,
        unit=str(series.attrs.get("unit", "")),
        price_basis=str(series.attrs.get("price_basis", "")),
        years=tuple(range(last_year + 1, last_year + horizon + 1)),
        point=tuple(float(v) for v in point),
        lower=tuple(float(v) for v in lower),
        upper=tuple(float(v) for v in upper),
        level=float(level),
        selection=selection,
        scores=tuple(scores),
        fallback=fallback,
        fallback_detail=fallback_detail,
        notes=tuple(notes),
        warnings=tuple(dict.fromkeys(sink)),
        n_obs=n,
        last_year=last_year,
        last_value=float(values[-1]),
        widened_by=float(widened_by),
    )
