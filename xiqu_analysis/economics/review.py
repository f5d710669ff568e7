"""Annual review: the district's actual figures against the plan's path and the scenarios.

Inputs, loaded by the caller: the actuals (a user-supplied bulletin CSV,
:func:`xiqu_analysis.inputs.bulletins.load_bulletin`), the scenarios and the
region's data. No actual figure ships with the project (none is public).

What it computes (all in :func:`annual_review`, returned as one frozen
:class:`Review`):

* **plan path** -- the plan's 2021-2025 floors (plan ch.2 §4.2: industry
  >= 7.5 %, services >= 8.5 %, agriculture >= 3.5 % a year, real; read from
  the region's data via :func:`xiqu_analysis.economics.uncertainty.plan_targets`) applied from
  2020: each actual real growth rate is compared with its floor, and the
  cumulative real growth since 2020 (chained actual rates) with the floor's
  path ``(1 + floor)^(t - 2020)``;
* **scenario scores** -- each actual against each scenario's projection
  (:func:`xiqu_analysis.economics.projection.project`): error of the level
  (actual - projected, and in %) and of growth (pp), and the fan band of
  :func:`xiqu_analysis.economics.uncertainty.simulate` the actual falls in
  (``below p5``, ``p5-p10``, ..., ``above p95``);
* **re-based projections** -- each scenario's level path moved onto the
  latest actual: ``rebased_t = actual_L * projected_t / projected_L`` for
  ``t >= L`` (the same growth path from the latest actual year ``L``);
* **required growth** -- for each plan floor, the average annual growth now
  needed over the remaining years to meet the floor's 2020-2025 average:
  ``required_growth_pct(cumulative index at L, (1 + floor)^5, 2025 - L)``
  (:func:`xiqu_analysis.economics.growth.required_growth_pct`).

Levels are compared with levels at the same price basis (current prices),
real growth rates with real growth rates; nothing derives real growth from
current-price levels. Units: 亿元 = 1e8 yuan; growth in % a year; gaps in pp.

The result holds codes and numbers only; :mod:`xiqu_analysis.reports.annual_review`
writes the words.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..inputs.bulletins import empty_bulletin
from ..inputs.regions import RegionData
from ..inputs.scenario import Scenario
from ..units import UNIT_FACTORS, convert
from .calibration import calibration_from_bulletin
from .columns import COLUMN_PRICE_BASIS, COLUMN_UNITS
from .growth import required_growth_pct
from .projection import project
from .uncertainty import plan_targets, simulate

__all__ = [
    "BANDS",
    "Review",
    "plan_floors",
    "fan_band",
    "rebase_path",
    "annual_review",
]

#: fan bands, from the percentiles of uncertainty.simulate
BANDS = ("below p5", "p5-p10", "p10-p25", "p25-p50", "p50-p75", "p75-p90", "p90-p95", "above p95")
_PCTS = (5, 10, 25, 50, 75, 90, 95)


# --------------------------------------------------------------------------- inputs
def plan_floors(region: RegionData) -> pd.DataFrame:
    """The region's growth floors: label, column (projection level column), start_year, end_year, floor_pct, note.

    From :func:`xiqu_analysis.economics.uncertainty.plan_targets` (the region's
    target figures; for Xiqu plan ch.2 §4.2).
    """
    rows = [dict(label=tg.label, column=tg.column, start_year=tg.start_year, end_year=tg.end_year,
                 floor_pct=tg.floor_pct, note=tg.note) for tg in plan_targets(region)]
    return pd.DataFrame(rows, columns=["label", "column", "start_year", "end_year", "floor_pct", "note"])


def _indicator_map(region: RegionData) -> dict[str, tuple[str, bool]]:
    """indicator -> (projection level column, is_growth) from the data dictionary."""
    out: dict[str, tuple[str, bool]] = {}
    for r in region.indicators.itertuples():
        col = str(getattr(r, "projection_column", "") or "").strip()
        if not col or col not in COLUMN_UNITS or col.endswith("_share"):
            continue
        growth = bool(str(getattr(r, "level_of", "") or "").strip())
        if growth and COLUMN_UNITS[col] == "%":
            continue  # growth of a rate column: not compared
        out[str(r.indicator)] = (col, growth)
    return out


# --------------------------------------------------------------------------- helpers
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


# --------------------------------------------------------------------------- review
@dataclass(frozen=True)
class Review:
    """Result of :func:`annual_review`. Every table is tidy; units in the ``unit`` columns.

    Attributes
    ----------
    review_year : int
    base_year : int
        The plan's base year (the region's ``base_year``).
    latest_year : int or None
        Latest year with an actual after the base year (None: none).
    actuals : pandas.DataFrame
        The actuals used (bulletin columns).
    plan_comparison : pandas.DataFrame
        indicator, column, year, actual_growth_pct, floor_pct, gap_pp,
        actual_index (cumulative real growth since the base year, base = 1),
        floor_index, index_gap_pct, source.
    scenario_scores : pandas.DataFrame
        scenario, indicator, column, kind (level/growth), year, unit, actual,
        projected, error (actual - projected, unit or pp), error_pct (levels),
        band (fan band, or "n/a").
    rebased : pandas.DataFrame
        scenario, indicator, column, unit, year, projected, rebased.
    required : pandas.DataFrame
        target, column, floor_pct, period, from_year, achieved_avg_pct,
        years_left, required_pct, chained_indicator (the actual real growth
        series chained, empty when none), period_over (bool), outcome
        (``met``/``missed`` once the period is over, else empty).
    calibration : pandas.DataFrame
        Uncertainty settings estimated from the actuals' sector real growth
        series (:func:`xiqu_analysis.economics.calibration.calibration_from_bulletin`):
        field, value, too_short, reason (defaults where the series are short).
    scenario_errors : tuple of str
        Scenarios that could not be projected (scenario name and the one-line reason).
    """

    review_year: int
    base_year: int
    latest_year: int | None
    actuals: pd.DataFrame = field(repr=False)
    plan_comparison: pd.DataFrame = field(repr=False)
    scenario_scores: pd.DataFrame = field(repr=False)
    rebased: pd.DataFrame = field(repr=False)
    required: pd.DataFrame = field(repr=False)
    calibration: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    scenario_errors: tuple[str, ...] = ()

    @property
    def has_actuals(self) -> bool:
        """True if at least one actual after the base year was supplied."""
        return self.latest_year is not None

    @property
    def table(self) -> pd.DataFrame:
        """The main table: each actual against each scenario's projection."""
        return self.scenario_scores


def _growth_from_actuals(actuals: pd.DataFrame, indicator: str) -> pd.Series:
    sel = actuals[(actuals["indicator"] == indicator)]
    return pd.Series(sel["value"].to_numpy(float), index=sel["year"].to_numpy(int)).sort_index()


def _plan_comparison(actuals: pd.DataFrame, floors: pd.DataFrame, mapping: Mapping[str, tuple[str, bool]],
                     base_year: int) -> pd.DataFrame:
    rows = []
    for ind, (col, growth) in mapping.items():
        if not growth:
            continue
        fl = floors[floors["column"] == col]
        if fl.empty:
            continue
        f = fl.iloc[0]
        g = _growth_from_actuals(actuals[actuals["price_basis"] == "comparable"], ind)
        g = g[(g.index > base_year)]
        if g.empty:
            continue
        index = 1.0
        for year in range(base_year + 1, int(g.index.max()) + 1):
            if year not in g.index:
                break  # chain only consecutive years from 2021
            index *= 1.0 + float(g.loc[year]) / 100.0
            floor_index = (1.0 + float(f["floor_pct"]) / 100.0) ** (year - base_year)
            in_period = int(f["start_year"]) < year <= int(f["end_year"])
            rows.append(dict(indicator=ind, column=col, year=year, actual_growth_pct=float(g.loc[year]),
                             floor_pct=float(f["floor_pct"]) if in_period else math.nan,
                             gap_pp=float(g.loc[year]) - float(f["floor_pct"]) if in_period else math.nan,
                             actual_index=index, floor_index=floor_index,
                             index_gap_pct=100.0 * (index / floor_index - 1.0), source=str(f["label"])))
    cols = ["indicator", "column", "year", "actual_growth_pct", "floor_pct", "gap_pp", "actual_index",
            "floor_index", "index_gap_pct", "source"]
    return pd.DataFrame(rows, columns=cols)


def _required_table(plan_cmp: pd.DataFrame, floors: pd.DataFrame, latest: int | None) -> pd.DataFrame:
    rows = []
    for f in floors.itertuples():
        start, end = int(f.start_year), int(f.end_year)
        target_index = (1.0 + float(f.floor_pct) / 100.0) ** (end - start)
        got = plan_cmp[plan_cmp["column"] == f.column] if not plan_cmp.empty else plan_cmp
        if got.empty or latest is None:
            from_year, idx, achieved, chained = start, 1.0, math.nan, ""
        else:
            last = got.iloc[-1]
            from_year, idx = int(last["year"]), float(last["actual_index"])
            achieved = 100.0 * (idx ** (1.0 / (from_year - start)) - 1.0)
            chained = str(last["indicator"])
        left = end - from_year
        if left > 0:
            required, outcome = required_growth_pct(idx, target_index, left), ""
        else:
            required = math.nan
            outcome = "met" if idx >= target_index * (1 - 1e-12) else "missed"
        rows.append(dict(target=f.label, column=f.column, floor_pct=float(f.floor_pct), period=f"{start + 1}-{end}",
                         from_year=from_year, achieved_avg_pct=achieved, years_left=left, required_pct=required,
                         chained_indicator=chained, period_over=left <= 0, outcome=outcome))
    return pd.DataFrame(rows, columns=["target", "column", "floor_pct", "period", "from_year", "achieved_avg_pct",
                                       "years_left", "required_pct", "chained_indicator", "period_over", "outcome"])


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
    return fan_band(value, np.percentile(sample, _PCTS))


def annual_review(review_year: int, actuals: pd.DataFrame | None, scenarios: Sequence[Scenario],
                  region: RegionData, *, n_paths: int = 2000) -> Review:
    """Run the annual review (see the module docstring).

    Parameters
    ----------
    review_year : int
        Actuals after this year are ignored.
    actuals : pandas.DataFrame or None
        Bulletin rows (:func:`~xiqu_analysis.inputs.bulletins.load_bulletin`);
        rows of other regions and after ``review_year`` are ignored. None: no actuals.
    scenarios : sequence of Scenario
        The scenarios scored and re-based; one that cannot be projected is
        listed in :attr:`Review.scenario_errors` and skipped.
    region : RegionData
        The region reviewed: its targets, data dictionary and base year.
    n_paths : int
        Monte Carlo paths per scenario for the fan bands (seeded by the
        scenario's ``uncertainty.seed``: reproducible).
    """
    base_year = region.info.base_year
    if actuals is None:
        actuals = empty_bulletin()
    actuals = actuals[(actuals["region"] == region.key) & (actuals["year"] <= int(review_year))].reset_index(drop=True)
    after = actuals[actuals["year"] > base_year]
    latest = int(after["year"].max()) if not after.empty else None
    mapping = _indicator_map(region)
    floors = plan_floors(region)
    plan_cmp = _plan_comparison(actuals, floors, mapping, base_year)
    required = _required_table(plan_cmp, floors, latest)

    scores, rebased, errors = [], [], []
    for sc in scenarios:
        try:
            res = project(sc)
        except InputError as exc:
            errors.append(f"{sc.name}: {exc}")
            continue
        sim = simulate(sc, region, n_paths=n_paths) if latest is not None else None
        years = res.years
        for ind, grp in actuals.groupby("indicator"):
            if ind not in mapping:
                continue
            col, growth = mapping[ind]
            basis = str(grp["price_basis"].iloc[0])
            col_basis = COLUMN_PRICE_BASIS[col]
            if growth:
                want = "constant" if basis == "comparable" else "current"
                if col_basis != want:
                    continue
            elif basis != col_basis:
                continue
            unit = str(grp["unit"].iloc[0])
            col_unit = COLUMN_UNITS[col]
            if not growth:
                try:
                    factor = convert(1.0, unit, col_unit) if col_unit in UNIT_FACTORS else None
                except ValueError:
                    factor = None
                if factor is None:
                    continue
            path_series = res.column(col)
            for r in grp.itertuples():
                year = int(r.year)
                if year <= res.base_year or year > res.end_year:
                    continue
                if growth:
                    projected = 100.0 * (path_series.loc[year] / path_series.loc[year - 1] - 1.0)
                    actual = float(r.value)
                    scores.append(dict(scenario=sc.name, indicator=ind, column=col, kind="growth", year=year,
                                       unit="%", actual=actual, projected=float(projected),
                                       error=actual - float(projected), error_pct=math.nan,
                                       band=_band_for(sim, col, year, actual, True, years)))
                else:
                    actual = float(r.value) * factor
                    projected = float(path_series.loc[year])
                    scores.append(dict(scenario=sc.name, indicator=ind, column=col, kind="level", year=year,
                                       unit=col_unit, actual=actual, projected=projected, error=actual - projected,
                                       error_pct=100.0 * (actual / projected - 1.0),
                                       band=_band_for(sim, col, year, actual, False, years)))
            if not growth and latest is not None:
                last = grp[grp["year"] > base_year]
                if not last.empty:
                    lr = last.loc[last["year"].idxmax()]
                    ly = int(lr["year"])
                    if res.base_year < ly <= res.end_year:
                        rb = rebase_path(path_series, ly, float(lr["value"]) * factor)
                        for y, v in rb.items():
                            rebased.append(dict(scenario=sc.name, indicator=ind, column=col, unit=col_unit,
                                                year=int(y), projected=float(path_series.loc[y]), rebased=float(v)))
    score_cols = ["scenario", "indicator", "column", "kind", "year", "unit", "actual", "projected", "error",
                  "error_pct", "band"]
    reb_cols = ["scenario", "indicator", "column", "unit", "year", "projected", "rebased"]
    calibration = calibration_from_bulletin(actuals, region.indicators, region.key).to_frame()
    return Review(review_year=int(review_year), base_year=base_year, latest_year=latest, actuals=actuals,
                  plan_comparison=plan_cmp, scenario_scores=pd.DataFrame(scores, columns=score_cols),
                  rebased=pd.DataFrame(rebased, columns=reb_cols), required=required, calibration=calibration,
                  scenario_errors=tuple(errors))
