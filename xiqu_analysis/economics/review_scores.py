"""How well each scenario tracked the actuals: the long score table, its summaries, re-based outlook, chart paths.

Used by :func:`xiqu_analysis.economics.review.annual_review`; every function
returns a tidy frame of codes and numbers.

* :func:`score_rows` -- each actual against one scenario's projection (level
  error in the column's unit and in %, growth error in pp, fan band);
* :func:`score_summary` -- one row per scenario and indicator: number of
  years, mean absolute error and bias (mean of actual - projected), the last
  actual and what the scenario projected for that year;
* :func:`tracking` -- one row per scenario: mean absolute error and bias of
  its **real growth** rates (pp, every real growth figure of every year,
  **weighted by GDP share**), and of its levels (%, unweighted), ranked; the
  best-tracking scenario has the smallest weighted mean absolute real-growth
  error (levels decide only when no real growth was compared).

  The weight of a real growth figure (``gdp_weight`` of its score row) is the
  share of GDP it measures: a sector's real value added in the year before,
  over real GDP that year, in the scenario's projection (the weight with which
  the sector's growth enters real GDP growth; both at constant prices), and 1
  for GDP itself and any other whole-economy measure. Agriculture, some 2 % of
  Xiqu's GDP, so weighs 0.02 against GDP's 1: a miss of 5 points in
  agriculture counts like a miss of 0.1 point in GDP. The mean absolute error
  is ``sum w |e| / sum w``, the bias ``sum w e / sum w``;
* :func:`outlook` -- the re-based level paths against the original ones in
  chosen years (2030, 2035);
* :func:`rebase_path` -- a projected level path moved onto an actual;
* :func:`fan_band` -- the band of the Monte Carlo fan an actual falls in.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd

from ..inputs.scenario import SECTORS
from .columns import COLUMN_PRICE_BASIS

__all__ = ["BANDS", "SCORE_COLUMNS", "SUMMARY_COLUMNS", "TRACKING_COLUMNS", "OUTLOOK_COLUMNS", "fan_band",
           "gdp_weight", "rebase_path", "score_rows", "score_summary", "tracking", "outlook"]

#: fan bands, from the percentiles of uncertainty.simulate
BANDS = ("below p5", "p5-p10", "p10-p25", "p25-p50", "p50-p75", "p75-p90", "p90-p95", "above p95")
_PCTS = (5, 10, 25, 50, 75, 90, 95)
#: columns of the long score table
SCORE_COLUMNS = ("scenario", "indicator", "column", "kind", "year", "unit", "actual", "projected", "error",
                 "error_pct", "band", "gdp_weight")
#: columns of :func:`score_summary`
SUMMARY_COLUMNS = ("scenario", "indicator", "column", "kind", "unit", "n", "first_year", "last_year",
                   "mean_abs_error", "bias", "mean_abs_error_pct", "bias_pct", "last_actual", "last_projected")
#: columns of :func:`tracking`
TRACKING_COLUMNS = ("scenario", "n_growth", "mae_growth_pp", "bias_growth_pp", "n_level", "mae_level_pct",
                    "bias_level_pct", "rank")
#: columns of :func:`outlook`
OUTLOOK_COLUMNS = ("scenario", "indicator", "column", "unit", "year", "original", "rebased", "change_pct")


def fan_band(value: float, percentiles: Sequence[float]) -> str:
    """The band of :data:`BANDS` that ``value`` falls in, given p5..p95 (7 increasing values).

    A value equal to a percentile belongs to the band above it
    (``fan_band(p50, ...) == "p50-p75"``).
    """
    q = np.asarray(percentiles, dtype=float)
    if q.shape != (7,) or not np.all(np.isfinite(q)) or not math.isfinite(value):
        return "n/a"
    return BANDS[int(np.searchsorted(q, value, side="right"))]


def rebase_path(projected: pd.Series, actual_year: int, actual_value: float) -> pd.Series:
    """Move a projected level path onto an actual: ``actual * projected_t / projected_L`` for t >= L.

    Parameters
    ----------
    projected : pandas.Series
        Level path indexed by year (any unit; the actual must be in the same unit).
    actual_year : int
        Year ``L`` of the latest actual (must be in the path).
    actual_value : float
        The actual level in ``L``.

    Returns
    -------
    pandas.Series
        Years >= L; equals ``actual_value`` in L and keeps the projection's growth rates.
    """
    base = float(projected.loc[int(actual_year)])
    tail = projected.loc[projected.index >= int(actual_year)]
    return tail * (float(actual_value) / base)


def _band_for(sim, column: str, year: int, value: float, growth: bool, years: np.ndarray) -> str:
    if sim is None:
        return "n/a"
    try:
        paths = sim.paths(column)
    except KeyError:
        return "n/a"
    j = int(np.searchsorted(years, year))
    if j >= len(years) or years[j] != year or (growth and j == 0):
        return "n/a"
    sample = 100.0 * (paths[:, j] / paths[:, j - 1] - 1.0) if growth else paths[:, j]
    bands = np.percentile(sample, _PCTS)
    if bands[0] == bands[-1]:  # no spread: an input the Monte Carlo does not shock (an indicator's own rate)
        return "n/a"
    return fan_band(value, bands)


def score_rows(name: str, projection, sim, levels: pd.DataFrame, growth: pd.DataFrame, years: range) -> list[dict]:
    """Each actual level and growth rate in ``years`` against one scenario's projection (rows of :data:`SCORE_COLUMNS`).

    ``levels`` and ``growth`` come from :func:`xiqu_analysis.economics.actuals.actual_levels`
    and :func:`~xiqu_analysis.economics.actuals.actual_growth`; ``sim`` is the
    scenario's simulation (fan bands) or None.
    """
    rows = []
    ys = projection.years
    inside = [y for y in years if projection.base_year < y <= projection.end_year]
    have = set(projection.table.columns)  # a registry indicator is projected only where the scenario gives it
    growth, levels = growth[growth["column"].isin(have)], levels[levels["column"].isin(have)]
    for r in growth[growth["year"].isin(inside)].itertuples():
        path = projection.column(r.column)
        projected = 100.0 * (float(path.loc[r.year]) / float(path.loc[r.year - 1]) - 1.0)
        rows.append(dict(scenario=name, indicator=r.indicator, column=r.column, kind="growth", year=int(r.year),
                         unit="%", actual=float(r.growth_pct), projected=projected,
                         error=float(r.growth_pct) - projected, error_pct=math.nan,
                         band=_band_for(sim, r.column, int(r.year), float(r.growth_pct), True, ys),
                         gdp_weight=gdp_weight(projection, r.column, int(r.year))))
    for r in levels[levels["year"].isin(inside)].itertuples():
        projected = float(projection.column(r.column).loc[r.year])
        rows.append(dict(scenario=name, indicator=r.indicator, column=r.column, kind="level", year=int(r.year),
                         unit=r.unit, actual=float(r.value), projected=projected, error=float(r.value) - projected,
                         error_pct=100.0 * (float(r.value) / projected - 1.0),
                         band=_band_for(sim, r.column, int(r.year), float(r.value), False, ys),
                         gdp_weight=math.nan))
    return rows


def gdp_weight(projection, column: str, year: int) -> float:
    """The share of GDP a real growth figure of ``column`` in ``year`` measures (see the module docstring).

    A sector (``primary``, ``secondary``, ``tertiary``): its real value added in ``year - 1`` over real GDP
    in ``year - 1`` (constant prices both); NaN for a column not at constant prices; 1 otherwise.
    """
    if COLUMN_PRICE_BASIS.get(column) != "constant":
        return math.nan
    if column not in SECTORS:
        return 1.0
    return float(projection.at(year - 1, column)) / float(projection.at(year - 1, "gdp_real"))


def score_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario and indicator (:data:`SUMMARY_COLUMNS`), in the scores' order.

    ``mean_abs_error`` and ``bias`` are in the unit of the rows (pp for growth,
    the column's unit for levels); ``bias > 0``: the actuals came out above the
    projection. ``last_actual``/``last_projected`` are of ``last_year``.
    """
    rows = []
    if not scores.empty:
        for (name, ind), grp in scores.groupby(["scenario", "indicator"], sort=False):
            grp = grp.sort_values("year")
            last = grp.iloc[-1]
            level = last["kind"] == "level"
            rows.append(dict(scenario=name, indicator=ind, column=last["column"], kind=last["kind"], unit=last["unit"],
                             n=len(grp), first_year=int(grp["year"].iloc[0]), last_year=int(last["year"]),
                             mean_abs_error=float(grp["error"].abs().mean()), bias=float(grp["error"].mean()),
                             mean_abs_error_pct=float(grp["error_pct"].abs().mean()) if level else math.nan,
                             bias_pct=float(grp["error_pct"].mean()) if level else math.nan,
                             last_actual=float(last["actual"]), last_projected=float(last["projected"])))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def tracking(scores: pd.DataFrame, scenarios: Sequence[str]) -> pd.DataFrame:
    """One row per scenario (:data:`TRACKING_COLUMNS`), ``rank`` 1 = tracked best (see the module docstring).

    Real growth rows are those of constant-price columns (real GDP, the
    sectors' real value added), weighted by their ``gdp_weight`` (a score
    table without the column weighs each row 1). A scenario with nothing
    compared has rank NA.
    """
    rows = []
    for name in scenarios:
        sel = scores[scores["scenario"] == name] if not scores.empty else scores
        real = sel[(sel["kind"] == "growth") & (sel["column"].map(COLUMN_PRICE_BASIS) == "constant")]
        lvl = sel[sel["kind"] == "level"]
        w = real["gdp_weight"].to_numpy(dtype=float) if "gdp_weight" in real else np.ones(len(real))
        err = real["error"].to_numpy(dtype=float)
        weighted = len(real) and np.all(np.isfinite(w)) and w.sum() > 0
        rows.append(dict(scenario=name, n_growth=len(real),
                         mae_growth_pp=float((w * np.abs(err)).sum() / w.sum()) if weighted else math.nan,
                         bias_growth_pp=float((w * err).sum() / w.sum()) if weighted else math.nan,
                         n_level=len(lvl), mae_level_pct=float(lvl["error_pct"].abs().mean()) if len(lvl) else math.nan,
                         bias_level_pct=float(lvl["error_pct"].mean()) if len(lvl) else math.nan))
    out = pd.DataFrame(rows, columns=list(TRACKING_COLUMNS[:-1]))
    key = "mae_growth_pp" if out["n_growth"].gt(0).any() else "mae_level_pct"
    out["rank"] = out[key].rank(method="first").astype("Int64")
    return out


def outlook(rebased: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """The re-based level paths against the original projections in ``years`` (:data:`OUTLOOK_COLUMNS`).

    ``change_pct = 100 * (rebased / original - 1)``: how much the latest actual
    moves the scenario's level in that year.
    """
    sel = rebased[rebased["year"].isin([int(y) for y in years])]
    out = pd.DataFrame({"scenario": sel["scenario"], "indicator": sel["indicator"], "column": sel["column"],
                        "unit": sel["unit"], "year": sel["year"], "original": sel["projected"],
                        "rebased": sel["rebased"], "change_pct": 100.0 * (sel["rebased"] / sel["projected"] - 1.0)})
    return out.reset_index(drop=True)[list(OUTLOOK_COLUMNS)]
