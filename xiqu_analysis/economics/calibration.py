"""Calibration of the Monte Carlo from bulletin series: persistence, trend growth, shock sizes.

Real growth rates (comparable prices) are taken as supplied; real growth is
never derived from current-price levels.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..inputs.bulletins import bulletin_series, series_kind
from ..inputs.scenario import SECTORS, UNCERTAINTY_DEFAULTS

__all__ = [
    "MIN_POINTS_AR1",
    "MIN_POINTS_SD",
    "Persistence",
    "Calibration",
    "estimate_persistence",
    "trend_growth",
    "calibration_from_bulletin",
]

# --------------------------------------------------------------------------- persistence, trend
#: fewest growth observations for an AR(1) estimate
MIN_POINTS_AR1 = 8


@dataclass(frozen=True)
class Persistence:
    """AR(1) coefficient of a growth series, ``g_t - c = phi (g_{t-1} - c) + e_t``.

    Attributes
    ----------
    phi : float
        AR(1) coefficient (unitless).
    se : float
        Its standard error (OLS, statsmodels ``AutoReg``).
    intercept : float
    resid_sd : float
        Standard deviation of the innovations ``e_t`` (series' unit, pp for growth in %).
    n : int
        Observations used (including the first, lost to the lag).
    method : str
    """

    phi: float
    se: float
    intercept: float
    resid_sd: float
    n: int
    method: str = "AutoReg(1) with constant, OLS"


def estimate_persistence(growth_series: pd.Series | Sequence[float]) -> Persistence:
    """AR(1) persistence of an annual growth series (% per year).

    Uses ``statsmodels.tsa.ar_model.AutoReg(lags=1, trend="c")`` (conditional
    OLS: no optimiser, so no convergence failure).

    Raises
    ------
    InputError
        Fewer than :data:`MIN_POINTS_AR1` points, or non-finite values.
    """
    from statsmodels.tsa.ar_model import AutoReg

    y = np.asarray(growth_series, dtype=float)
    if y.size < MIN_POINTS_AR1:
        raise InputError("growth series", "values", "{size} points; an AR(1) estimate needs at least {minimum}",
                         size=y.size, minimum=MIN_POINTS_AR1)
    if not np.all(np.isfinite(y)):
        raise InputError("growth series", "values", "contains NaN or infinite values")
    if np.ptp(y) == 0:
        raise InputError("growth series", "values", "constant series: persistence is undefined")
    res = AutoReg(y, lags=1, trend="c").fit()
    params = np.asarray(res.params, dtype=float)
    bse = np.asarray(res.bse, dtype=float)
    return Persistence(phi=float(params[1]), se=float(bse[1]), intercept=float(params[0]),
                       resid_sd=float(np.std(np.asarray(res.resid), ddof=2)), n=int(y.size))


def trend_growth(series: pd.Series, lamb: float = 6.25, *, log: bool | None = None) -> pd.DataFrame:
    """Hodrick-Prescott trend of an annual series and the growth of that trend.

    Parameters
    ----------
    series : pandas.Series
        Annual values indexed by year.
    lamb : float
        HP smoothing parameter; 6.25 for annual data (Ravn and Uhlig 2002).
    log : bool, optional
        Filter the log of the series (default for positive level series:
        ``trend_growth`` is then the trend's growth in % per year). With
        ``log=False`` (default for rates) ``trend_growth`` is the trend's
        change per year in the series' unit (pp per year for rates).

    Returns
    -------
    pandas.DataFrame
        Columns year, value, trend, cycle, trend_growth (NaN in the first
        year); trend and cycle in the series' unit (cycle = value - trend).
    """
    from statsmodels.tsa.filters.hp_filter import hpfilter

    y = series.astype(float).sort_index()
    v = y.to_numpy(dtype=float)
    if v.size < 3:
        raise InputError("series", "values", "{size} points; the HP filter needs at least 3", size=v.size)
    if not np.all(np.isfinite(v)):
        raise InputError("series", "values", "contains NaN or infinite values")
    if log is None:
        log = series_kind(series) == "level" and bool(np.all(v > 0))
    if log and np.any(v <= 0):
        raise InputError("series", "values", "log=True needs positive values")
    x = np.log(v) if log else v
    _cycle, tr = hpfilter(x, lamb=lamb)
    tr = np.asarray(tr, dtype=float)
    trend = np.exp(tr) if log else tr
    growth = np.full(v.size, np.nan)
    growth[1:] = 100.0 * np.expm1(np.diff(tr)) if log else np.diff(tr)
    return pd.DataFrame({"year": np.asarray(y.index, dtype=int), "value": v, "trend": trend,
                         "cycle": v - trend, "trend_growth": growth})


# --------------------------------------------------------------------------- calibration
#: fewest annual real-growth observations to estimate a sector's sd
MIN_POINTS_SD = 6


@dataclass(frozen=True)
class Calibration:
    """Values for a scenario's ``uncertainty`` section, each with its reason.

    Attributes
    ----------
    uncertainty : dict
        ``{"sd_pct": {sector: pp}, "ar1": float}`` -- ready to paste into a
        scenario's ``uncertainty:`` section.
    reasons : dict
        ``{"sd_pct.primary": code, ..., "ar1": code}``: why each value, a code of
        :data:`REASONS` (the reports and the command line say it in words:
        :func:`xiqu_analysis.reports.words.codes.calibration_reason`).
    details : dict
        ``{field: {...}}``: the numbers behind each reason (the series' indicator,
        ``first`` and ``last`` year, ``n`` points, the points a method ``needs``,
        ``where`` the default came from (``schema`` or ``given``), the sectors'
        AR(1) coefficients ``phis`` as (sector, phi, se), ``clipped_from``).
    too_short : dict
        ``{"sd_pct.primary": bool, ..., "ar1": bool}``: True where the data
        were too short and the documented default was used.
    """

    uncertainty: dict
    reasons: dict
    too_short: dict
    details: dict = field(default_factory=dict)

    @property
    def table(self) -> pd.DataFrame:
        """The main table: one row per field: field, value, too_short, reason (a code), detail (its numbers, a dict)."""
        rows = [(f"sd_pct.{s}", self.uncertainty["sd_pct"][s]) for s in SECTORS] + [("ar1", self.uncertainty["ar1"])]
        return pd.DataFrame([{"field": k, "value": v, "too_short": self.too_short[k], "reason": self.reasons[k],
                              "detail": dict(self.details.get(k, {}))} for k, v in rows])


#: codes of :attr:`Calibration.reasons`
REASONS = ("no_series", "ar1_innovations", "sample_sd", "too_short", "mean_ar1", "no_ar1_series")


def _uncertainty_defaults() -> tuple[dict[str, float], float, str]:
    """The documented defaults of the scenario schema (sd_pct per sector, ar1) and where they live (a code)."""
    return dict(UNCERTAINTY_DEFAULTS["sd_pct"]), float(UNCERTAINTY_DEFAULTS["ar1"]), "schema"


def _sector_growth_indicator(df: pd.DataFrame, sector: str, region: str, table: pd.DataFrame) -> str | None:
    """Name of the real-growth indicator of ``sector`` present in ``df`` (comparable %).

    Read from ``data/indicators.csv``: a growth indicator (``level_of`` set,
    unit family ``percent``) whose ``projection_column`` is the sector
    (``agriculture_va_growth`` -> primary, ``industrial_va_growth`` ->
    secondary, ``services_va_growth`` -> tertiary; the first and second are
    mapping assumptions stated there), then ``<sector>_va_growth``.
    """
    have = set(df.loc[(df["region"] == region) & (df["kind"] == "rate") & (df["price_basis"] == "comparable"), "indicator"])
    names = [f"{sector}_va_growth", f"{sector}_growth"]
    if {"projection_column", "level_of"} <= set(table.columns):
        rows = table[(table["projection_column"].isin([sector, f"{sector}_growth"])) & (table["level_of"] != "")]
        names = list(rows["indicator"]) + names
    return next((n for n in names if n in have), None)


def calibration_from_bulletin(df: pd.DataFrame, indicators: pd.DataFrame, region: str = "xiqu", *,
                              defaults: tuple[Mapping[str, float], float] | None = None) -> Calibration:
    """Uncertainty settings (sd_pct per sector, ar1) estimated from bulletin growth series.

    For each sector the real value-added growth series (``comparable``, %)
    is taken from the bulletin. ``sd_pct`` is the standard deviation of the
    innovations of an AR(1) fit (pp of annual real growth) when the series
    has at least :data:`MIN_POINTS_AR1` points, else the sample standard
    deviation of growth around its mean when it has at least
    :data:`MIN_POINTS_SD`, else the documented default. ``ar1`` is the mean of
    the sectors' AR(1) coefficients (clipped to [0, 0.95]) when at least one
    sector has :data:`MIN_POINTS_AR1` points, else the default. Real growth is
    never derived from current-price levels. A series with a missing year is
    estimated on its years after the gap (the latest consecutive ones; the
    details' ``first`` says where they start).

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`~xiqu_analysis.inputs.bulletins.load_bulletin`.
    indicators : pandas.DataFrame
        The data dictionary, which names each sector's real growth indicator.
    region : str
    defaults : (sd_pct mapping, ar1), optional
        Override the schema's defaults (:data:`~xiqu_analysis.inputs.scenario.UNCERTAINTY_DEFAULTS`).
    """
    if defaults is None:
        d_sd, d_ar1, where = _uncertainty_defaults()
    else:
        d_sd, d_ar1 = dict(defaults[0]), float(defaults[1])
        where = "given"
    sd: dict[str, float] = {}
    reasons: dict[str, str] = {}
    details: dict[str, dict] = {}
    short: dict[str, bool] = {}
    phis: list[tuple[str, Persistence]] = []
    for sector in SECTORS:
        key = f"sd_pct.{sector}"
        ind = _sector_growth_indicator(df, sector, region, indicators)
        if ind is None:
            sd[sector] = float(d_sd[sector])
            reasons[key], details[key] = "no_series", {"sector": sector, "where": where}
            short[key] = True
            continue
        g = bulletin_series(df, ind, region, latest_run=True)  # a gap: the years after it
        span = {"indicator": ind, "first": int(g.index.min()), "last": int(g.index.max()), "n": int(g.size)}
        if g.size >= MIN_POINTS_AR1 and np.ptp(g.to_numpy()) > 0:
            p = estimate_persistence(g)
            phis.append((sector, p))
            sd[sector] = round(p.resid_sd, 2)
            reasons[key], details[key] = "ar1_innovations", span
            short[key] = False
        elif g.size >= MIN_POINTS_SD:
            sd[sector] = round(float(g.std(ddof=1)), 2)
            reasons[key], details[key] = "sample_sd", {**span, "needs": MIN_POINTS_AR1}
            short[key] = False
        else:
            sd[sector] = float(d_sd[sector])
            reasons[key], details[key] = "too_short", {**span, "needs": MIN_POINTS_SD, "where": where}
            short[key] = True
    if phis:
        raw = float(np.mean([p.phi for _, p in phis]))
        ar1 = round(min(max(raw, 0.0), 0.95), 2)
        reasons["ar1"] = "mean_ar1"
        details["ar1"] = {"phis": [(s, float(p.phi), float(p.se)) for s, p in phis],
                          "clipped_from": raw if ar1 != round(raw, 2) else None}
        short["ar1"] = False
    else:
        ar1 = float(d_ar1)
        reasons["ar1"], details["ar1"] = "no_ar1_series", {"needs": MIN_POINTS_AR1, "where": where}
        short["ar1"] = True
    return Calibration({"sd_pct": sd, "ar1": ar1}, reasons, short, details)
