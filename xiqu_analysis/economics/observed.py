"""A scenario against the figures observed after its base year.

A scenario starts from observed base-year data and projects every year after
it; when the data already hold a figure for one of those years (the end-2023
resident population, a bulletin's GDP growth), the scenario should be set
against it. :func:`scenario_vs_data` does so for every such figure of the
scenario's region: each level, census count or measured rate (kinds
``actual``, ``census``, ``estimate``) of a year or period after the base year
and up to the end year whose indicator has a ``projection_column`` in the
data dictionary, at a price basis the column can be compared with.

* Levels are compared with the column in that year, converted to its unit
  (12.94 万人 -> 129,400 persons; a share in per cent -> a fraction).
* Growth rates (an indicator with ``level_of``) are compared with the
  column's average annual growth over the figure's period (a one-year rate:
  that year's growth), real against real, nominal against nominal.

Gaps: ``gap = projected - observed`` in the column's unit (percentage points
for rates) and, for levels, ``gap_pct`` in per cent of the observed value.
Each row is ``within_rounding`` (the projection lies inside the rounding of
the published digits), ``small_gap`` or ``large_gap``: a level more than
:data:`LARGE_GAP_PCT` per cent off, a rate more than :data:`LARGE_GAP_PP`
points off. The thresholds are stated conventions, not statistics: a census
count and a year-end estimate of the same population differ by about one per
cent, so two per cent is a gap worth a sentence in the report.
"""
from __future__ import annotations

import math

import pandas as pd

from ..inputs.figures import figures_from_frame
from ..inputs.regions import RegionData
from ..units import UNIT_FACTORS, convert
from .columns import COLUMN_PRICE_BASIS, COLUMN_UNITS, GROWTH_TO_LEVEL
from .growth import period_average_growth_pct
from .projection import ProjectionResult

__all__ = ["LARGE_GAP_PCT", "LARGE_GAP_PP", "OBSERVED_COLUMNS", "OBSERVED_VERDICTS", "scenario_vs_data"]

#: a level more than this many per cent off its observed value is a large gap
LARGE_GAP_PCT = 2.0
#: a growth rate more than this many percentage points off its observed value is a large gap
LARGE_GAP_PP = 1.0
OBSERVED_VERDICTS = ("within_rounding", "small_gap", "large_gap")
#: kinds of figures that observe what a scenario projects
_OBSERVED_KINDS = ("actual", "census", "estimate")

OBSERVED_COLUMNS = [
    "scenario", "figure_id", "indicator", "column", "year", "measure", "observed", "observed_low",
    "observed_high", "projected", "gap", "gap_pct", "unit", "verdict", "trust", "source",
]
"""Columns of :func:`scenario_vs_data`: the scenario's name; the figure (id, indicator, year or period,
``measure`` ``level`` or ``growth``) and the projection column it is set against; the observed value and
its rounding interval, the projection and the gap, all in ``unit`` (the column's unit; ``%`` for rates,
the gap then in percentage points); ``gap_pct`` (levels, per cent of the observed value); ``verdict``
(:data:`OBSERVED_VERDICTS`); the figure's ``trust`` and ``source``."""

_BASIS_MATCH = {"current": {"current"}, "comparable": {"constant", "comparable"},
                "not_applicable": {"not_applicable"}}


def _to_unit(value: float, unit: str, column: str) -> float:
    col_unit = COLUMN_UNITS[column]
    if unit == "%" and col_unit == "ratio":
        return value / 100.0
    if unit == col_unit:
        return float(value)
    if unit in UNIT_FACTORS and col_unit in UNIT_FACTORS:
        return convert(value, unit, col_unit)
    raise ValueError(f"cannot convert {unit} to {col_unit}")


def scenario_vs_data(projection: ProjectionResult, region: RegionData) -> pd.DataFrame:
    """Every figure observed after the scenario's base year against the scenario's projection.

    Parameters
    ----------
    projection : ProjectionResult
        The scenario's projection.
    region : RegionData
        The scenario's region (its own figures; the benchmark's are not the region's).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`OBSERVED_COLUMNS`, one row per figure, ordered by year
        and indicator; empty when the data hold nothing after the base year.
    """
    mapping = {r["indicator"]: (str(r["projection_column"] or ""), r["level_of"] or None)
               for r in region.indicators.to_dict("records")}
    first, last = projection.base_year + 1, projection.end_year
    rows = []
    for f in figures_from_frame(region.figures[region.figures["region"] == region.key]):
        column, level_of = mapping.get(f.indicator, ("", None))
        if f.kind not in _OBSERVED_KINDS or not column or column not in COLUMN_UNITS:
            continue
        a, b = f.years
        if a < first or b > last:
            continue
        if level_of is not None:  # a rate: the column's average growth over the figure's years
            level = GROWTH_TO_LEVEL.get(column, column)
            if f.unit != "%" or f.price_basis not in _BASIS_MATCH:
                continue
            if COLUMN_PRICE_BASIS[level] not in _BASIS_MATCH[f.price_basis]:
                continue
            projected = period_average_growth_pct(projection.years, projection.table[level].to_numpy(), f"{a}-{b}")
            observed, low, high = f.value, f.value - f.rounding, f.value + f.rounding
            unit, measure, gap_pct = "%", "growth", math.nan
        else:
            if COLUMN_PRICE_BASIS[column] not in _BASIS_MATCH.get(f.price_basis, set()) or a != b:
                continue
            try:
                observed = _to_unit(f.value, f.unit, column)
                low = _to_unit(f.value - f.rounding, f.unit, column)
                high = _to_unit(f.value + f.rounding, f.unit, column)
            except ValueError:
                continue
            projected = projection.at(a, column)
            unit, measure = COLUMN_UNITS[column], "level"
            gap_pct = (projected / observed - 1.0) * 100.0 if observed else math.nan
        gap = projected - observed
        if low <= projected <= high:
            verdict = "within_rounding"
        elif (measure == "level" and abs(gap_pct) > LARGE_GAP_PCT) or (measure == "growth" and abs(gap) > LARGE_GAP_PP):
            verdict = "large_gap"
        else:
            verdict = "small_gap"
        rows.append({"scenario": projection.scenario.name, "figure_id": f.id, "indicator": f.indicator,
                     "column": column, "year": f.when, "measure": measure, "observed": float(observed),
                     "observed_low": float(low), "observed_high": float(high), "projected": float(projected),
                     "gap": float(gap), "gap_pct": float(gap_pct), "unit": unit, "verdict": verdict,
                     "trust": f.trust, "source": f.source})
    out = pd.DataFrame(rows, columns=OBSERVED_COLUMNS)
    return out.sort_values(["year", "indicator", "figure_id"], kind="stable").reset_index(drop=True)
