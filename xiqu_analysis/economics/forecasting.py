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
* rates: ``mean`` (3 points; the fallback's own model) and ``ar1``, a
  stationary AR(1) with bias-corrected persistence and parameter
  uncertainty (6 points). No random walk: growth rates are stationary.

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
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Literal, Sequence

import numpy as np
import pandas as pd
from scipy import optimize as _spo
from scipy import special as _spc
from scipy import stats as _sps

from ..errors import InputError
from ..inputs.bulletins import series_kind
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
    drift_forecast,
    mean_forecast,
    period_series,
)

#: the band is widened when its standardised backtest errors exceed this quantile of their chi-square
WIDEN_QUANTILE = 0.9
#: fewest backtest errors that can widen a band
MIN_WIDEN_ERRORS = 3

__all__ = ["CandidateScore", "ForecastResult", "forecast_series", "PROBLEMS"]

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


# --------------------------------------------------------------------------- fitting helpers
class FitProblem(Exception):
    def __init__(self, status: str, problem: str, detail: dict | None = None):
        super().__init__(problem)
        self.status = status
        self.problem = problem
        self.detail = dict(detail or {})


def _degeneracy(fit: Fit, kind: str, log_scale: bool, z_last: float) -> tuple[str, dict] | None:
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


def _run(cand: Candidate, y: pd.Series, horizon: int, level: float, kind: str, log_scale: bool,
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
    problem = _degeneracy(fit, kind, log_scale, float(y.iloc[-1]))
    if problem:
        raise FitProblem("degenerate", *problem)
    return fit


def _fallback(z: np.ndarray, horizon: int, level: float, kind: str,
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


def _backtest(cand: Candidate, series: pd.Series, origins: Sequence[int], horizon: int, level: float,
              kind: str, log_scale: bool, sink: list[str]) -> tuple[float, np.ndarray]:
    """Multi-step backtest: (mean over steps of the step's MAE, the errors ``e / scale`` with their t's df)."""
    by_step: dict[int, list[float]] = {}
    standardised = []
    z = series.to_numpy()
    for k in origins:
        steps = min(horizon, z.size - k)
        fit = _run(cand, series.iloc[:k], steps, level, kind, log_scale, sink)
        errors = z[k:k + steps] - fit.mean
        for h, e in enumerate(errors, start=1):
            by_step.setdefault(h, []).append(abs(float(e)))
        if fit.scale is not None:  # the errors in units of the model's own predictive scale, with its t's df
            standardised += [(float(e), float(df)) for e, df in
                             zip(errors / fit.scale, np.full(errors.size, fit.df))]
    mae = float(np.mean([np.mean(v) for v in by_step.values()]))
    return mae, np.asarray(standardised, dtype=float).reshape(-1, 2)


def _normal_scores(standardised: np.ndarray, widen: float = 1.0) -> np.ndarray:
    """Normal scores ``Phi^-1(F_df(e / (widen * scale)))`` of backtest errors: standard normal when the band is right,
    whatever the degrees of freedom of the model's t."""
    x, df = standardised[:, 0] / widen, standardised[:, 1]
    cdf = np.where(np.isfinite(df), _spc.stdtr(np.where(np.isfinite(df), df, 1.0), x), _spc.ndtr(x))
    return _spc.ndtri(np.clip(cdf, 1e-300, 1.0 - 1e-16))


def _widening(standardised: np.ndarray) -> float:
    """Factor by which a band is too narrow for its backtest errors (1 when the errors do not show it).

    Test: the errors' normal scores have a sum of squares above the :data:`WIDEN_QUANTILE` quantile
    of the chi-square it has when the band is right. Size: the factor ``w`` on the model's scale that
    makes the mean square of the normal scores 1 (root of a decreasing function, by Brent's method).
    """
    errors = standardised[np.isfinite(standardised[:, 0])] if standardised.size else standardised
    if errors.shape[0] < MIN_WIDEN_ERRORS:
        return 1.0
    if float((_normal_scores(errors) ** 2).sum()) <= _sps.chi2.ppf(WIDEN_QUANTILE, errors.shape[0]):
        return 1.0

    def excess(log_w: float) -> float:
        return float(np.mean(_normal_scores(errors, math.exp(log_w)) ** 2)) - 1.0

    hi = 1.0
    while excess(hi) > 0 and hi < 40.0:  # up to e^40: any finite band
        hi *= 2.0
    return math.exp(_spo.brentq(excess, 0.0, hi, xtol=1e-6)) if excess(hi) <= 0 else math.exp(hi)


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
        raise InputError(src, "horizon", f"must be a whole number of years >= 1, not {horizon!r}")
    if not 0.0 < float(level) < 1.0:
        raise InputError(src, "level", f"must lie strictly between 0 and 1, not {level!r}")
    kind = series_kind(series) if kind == "auto" else kind
    if kind not in ("level", "rate"):
        raise InputError(src, "kind", f"must be 'level' or 'rate', not {kind!r}")
    s = series.astype(float).sort_index()
    values = s.to_numpy(dtype=float)
    n = values.size
    if n < MIN_POINTS_FALLBACK:
        raise InputError(src, "values", f"{n} point(s); at least {MIN_POINTS_FALLBACK} are needed even for the "
                         f"average-growth fallback, and {min(MIN_POINTS.values())}+ for any model")
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
        raise InputError(src, "method", f"unknown method {method!r}; use auto, fallback or one of {', '.join(names)}")

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
                fit = _run(c, modelled, horizon, level, kind, log_scale, sink)
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
                    maes[c.name], errors[c.name] = _backtest(c, modelled, origins, horizon, level, kind,
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
            widened_by = _widening(errors[cand.name])
            if widened_by > 1.0:
                lo, hi = mean - widened_by * (mean - lo), mean + widened_by * (hi - mean)
                notes.append("interval_widened")
    else:
        mean, lo, hi, summary = _fallback(z, horizon, level, kind, log_scale)
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
