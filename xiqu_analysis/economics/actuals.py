"""Actual figures (a loaded bulletin) read as projection columns: the one home of that mapping.

The data dictionary (``data/indicators.csv``) maps a bulletin indicator to a
projection column (``projection_column``); an indicator with ``level_of`` is
the growth of that level. Here:

* :func:`indicator_map` -- indicator -> (column, is_growth) for every indicator
  the projection can be compared with (shares and growth of rate columns
  left out);
* :func:`actual_levels` -- level rows at the column's price basis, converted
  to the column's unit (亿元, 元, persons);
* :func:`actual_growth` -- real growth rows (``%`` at ``comparable`` prices) of
  constant-price columns, and nominal growth rows of current-price columns;
* :func:`chained_index` -- the cumulative growth of consecutive years, 1 at the start.

Levels are never derived from growth rates at another price basis and real
growth is never derived from current-price levels.
"""
from __future__ import annotations

import math
from typing import Mapping

import pandas as pd

from ..inputs.indicators import indicator_registry
from ..inputs.regions import RegionData
from ..units import UNIT_FACTORS, convert
from .columns import COLUMN_PRICE_BASIS, COLUMN_UNITS

__all__ = ["indicator_map", "column_units", "actual_levels", "actual_growth", "chained_index", "LEVEL_FRAME_COLUMNS",
           "GROWTH_FRAME_COLUMNS"]

#: columns of :func:`actual_levels`
LEVEL_FRAME_COLUMNS = ("indicator", "column", "year", "value", "unit", "source", "figure_id")
#: columns of :func:`actual_growth`
GROWTH_FRAME_COLUMNS = ("indicator", "column", "year", "growth_pct", "price_basis", "source", "figure_id")


def column_units(region: RegionData) -> dict[str, tuple[str, str]]:
    """Projection column -> (unit, price basis): the chain's (:data:`~.columns.COLUMN_UNITS`) and each
    column a registry rule adds (``own_growth``, ``buoyancy``, ``per_capita``, ``share``: the registry's
    unit and price basis). A scenario has a registry column only when it gives the indicator's inputs."""
    out = {c: (COLUMN_UNITS[c], COLUMN_PRICE_BASIS[c]) for c in COLUMN_UNITS}
    for spec in indicator_registry(region.indicators).values():
        if spec.column and not spec.is_growth and spec.column not in out and spec.rule in _REGISTRY_RULES and spec.unit:
            out[spec.column] = (spec.unit, spec.price_basis or "not_applicable")
    return out


#: registry rules whose columns a projection may hold
_REGISTRY_RULES = ("own_growth", "buoyancy", "per_capita", "share")


def indicator_map(region: RegionData) -> dict[str, tuple[str, bool]]:
    """indicator -> (projection level column, is_growth) from the region's data dictionary."""
    units = column_units(region)
    out: dict[str, tuple[str, bool]] = {}
    for r in region.indicators.itertuples():
        col = str(getattr(r, "projection_column", "") or "").strip()
        if not col or col not in units or col.endswith("_share"):
            continue
        growth = bool(str(getattr(r, "level_of", "") or "").strip())
        if growth and units[col][0] == "%":
            continue  # growth of a rate column: not compared
        out[str(r.indicator)] = (col, growth)
    return out


def _rows(actuals: pd.DataFrame, region: RegionData) -> pd.DataFrame:
    if actuals is None or actuals.empty:
        return actuals.iloc[0:0] if actuals is not None else pd.DataFrame(columns=["region", "indicator", "year"])
    return actuals[actuals["region"] == region.key]


def actual_levels(actuals: pd.DataFrame | None, region: RegionData) -> pd.DataFrame:
    """Level rows of the region that a projection column holds, in the column's unit.

    A row counts when its indicator maps to a level column, its price basis is
    the column's (current prices for money; ``not_applicable`` for persons) and
    its unit converts to the column's. ``figure_id`` is
    ``<region>.<indicator>.<year>`` (what a re-based scenario cites).
    """
    mapping, units = indicator_map(region), column_units(region)
    rows = []
    for r in _rows(actuals, region).itertuples():
        col, growth = mapping.get(str(r.indicator), ("", True))
        if growth or not col:
            continue
        unit, basis = units[col]
        if (basis in ("current", "constant") and r.price_basis != basis) or (
                basis == "not_applicable" and r.price_basis != "not_applicable"):
            continue
        if unit not in UNIT_FACTORS or str(r.unit) not in UNIT_FACTORS:
            continue
        try:
            value = convert(float(r.value), str(r.unit), unit)
        except ValueError:
            continue
        rows.append(dict(indicator=str(r.indicator), column=col, year=int(r.year), value=value, unit=unit,
                         source=str(r.source), figure_id=f"{region.key}.{r.indicator}.{int(r.year)}"))
    return pd.DataFrame(rows, columns=list(LEVEL_FRAME_COLUMNS)).astype({"year": "int64", "value": "float64"})


def actual_growth(actuals: pd.DataFrame | None, region: RegionData) -> pd.DataFrame:
    """Growth rows (``%``) of the region matched to the column whose growth they are.

    Real growth (``comparable``) is matched to constant-price columns
    (``gdp_growth`` -> ``gdp_real``, ``industrial_va_growth`` -> ``secondary``),
    nominal growth (``current``) to current-price columns; a row at another
    basis is left out.
    """
    mapping, units = indicator_map(region), column_units(region)
    rows = []
    for r in _rows(actuals, region).itertuples():
        col, growth = mapping.get(str(r.indicator), ("", False))
        if not growth or str(r.unit) != "%":
            continue
        want = "constant" if r.price_basis == "comparable" else "current" if r.price_basis == "current" else ""
        if units[col][1] != want:
            continue
        rows.append(dict(indicator=str(r.indicator), column=col, year=int(r.year), growth_pct=float(r.value),
                         price_basis=str(r.price_basis), source=str(r.source),
                         figure_id=f"{region.key}.{r.indicator}.{int(r.year)}"))
    return pd.DataFrame(rows, columns=list(GROWTH_FRAME_COLUMNS)).astype({"year": "int64", "growth_pct": "float64"})


def chained_index(growth_pct_by_year: Mapping[int, float], start: int, end: int) -> float | None:
    """``prod (1 + g_t / 100)`` for t = start+1..end (1.0 when end == start); None if a year is missing."""
    index = 1.0
    for year in range(int(start) + 1, int(end) + 1):
        g = growth_pct_by_year.get(year)
        if g is None or not math.isfinite(float(g)):
            return None
        index *= 1.0 + float(g) / 100.0
    return index
