"""Every target of a region against one projection: the gap, met or missed, or why it is not projected.

The mapping of targets to projection columns and the direction of a target
are described in :mod:`.targets`; :func:`target_gaps` is the table
:func:`.targets.analyse_targets` holds.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..inputs.regions import RegionData
from ..periods import parse_period
from ..units import UNIT_FACTORS, convert
from .columns import GROWTH_TO_LEVEL, LEVEL_TO_GROWTH, column_price_basis
from .growth import period_average_growth_pct
from .projection import ProjectionResult

__all__ = ["GROWTH_TOLERANCE_PP", "LEVEL_RTOL", "REASONS", "GAP_COLUMNS", "column_average_growth_pct", "direction_of",
           "target_gaps"]

_CEILING_WORDS = ("ceiling", "不超过", "不高于", "以内")

#: Tolerance of the met/missed test. A growth target is met when
#: ``projected >= target - GROWTH_TOLERANCE_PP`` (floors; ``<=`` with ``+`` for
#: ceilings), so a scenario growing exactly at a floor meets it despite
#: floating-point rounding (about 1e-14 pp); a level target when
#: ``projected >= target * (1 - LEVEL_RTOL)``.
GROWTH_TOLERANCE_PP = 1e-9
LEVEL_RTOL = 1e-12



_GROWTH_TO_LEVEL = GROWTH_TO_LEVEL
_LEVEL_TO_GROWTH = LEVEL_TO_GROWTH


def column_average_growth_pct(result: ProjectionResult, column: str, period: str) -> float:
    """Average annual growth of a projection column over a period, per cent.

    Parameters
    ----------
    result : ProjectionResult
    column : str
        A level column (``"secondary"``, ``"gdp_real"``, ``"urban_income"``...);
        a growth column (``"secondary_growth"``) is read as its level.
    period : str
        ``"YYYY-YYYY"``, inclusive growth years: ``"2021-2025"`` is the
        growth from 2020 to 2025, five steps.

    Returns
    -------
    float
        ``((x(end) / x(start - 1)) ** (1 / n) - 1) * 100`` (the geometric mean
        of the annual rates), per cent a year; real if the column is at
        constant prices, nominal if at current prices.
    """
    col = _GROWTH_TO_LEVEL.get(column, column)
    return period_average_growth_pct(result.years, result.table[col].to_numpy(), period)


# --------------------------------------------------------------------------- data

def _text(value: Any) -> str:
    """A cell as text, '' for missing."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def direction_of(row: Mapping[str, Any]) -> str:
    words = _text(row.get("note")) + " " + _text(row.get("quote"))
    return "at_most" if any(w in words for w in _CEILING_WORDS) else "at_least"


def _to_column_unit(value: float, unit: str, col_unit: str, column: str) -> float:
    """Convert a figure's value into ``col_unit``, the unit of the projection column ``column``."""
    if unit == col_unit:
        return float(value)
    if unit == "%" and col_unit == "ratio":
        return float(value) / 100.0
    if unit in UNIT_FACTORS and col_unit in UNIT_FACTORS:
        return convert(value, unit, col_unit)
    raise ValueError(f"cannot convert {unit} to the unit of column {column!r} ({col_unit})")


#: codes of the ``reason`` column of :func:`target_gaps`
REASONS: tuple[str, ...] = ("unknown_indicator", "no_projection_column", "no_period", "period_outside_projection",
                            "year_outside_projection", "price_basis_differs", "not_in_scenario")

#: Columns of :func:`target_gaps`, in order.
GAP_COLUMNS: tuple[str, ...] = (
    "id", "indicator", "target_type", "period", "year", "target", "unit",
    "direction", "projection_column", "projected", "gap", "gap_unit", "met", "status", "assumed",
    "source", "quote", "mapping_note", "note", "reason",
)  # fmt: skip


def target_gaps(result: ProjectionResult, region: RegionData) -> pd.DataFrame:
    """Every target of the region against the projection.

    Parameters
    ----------
    result : ProjectionResult
        The scenario's projection.
    region : RegionData
        The scenario's region: its ``kind == "target"`` figures and the data
        dictionary that maps indicators to projection columns.

    Returns
    -------
    pandas.DataFrame
        One row per target, columns :data:`GAP_COLUMNS`:

        * growth targets (indicator with ``level_of``; ``period`` set):
          ``projected`` is the scenario's average annual growth (per cent) of
          the mapped column over the period (:func:`column_average_growth_pct`),
          ``gap = projected - target`` in percentage points (``gap_unit "pp"``);
        * level targets (``year`` set): ``projected`` is the column's value in
          that year and ``target`` is converted to the column's unit
          (``unit``); ``gap`` in that unit;
        * ``met`` (nullable boolean): ``projected >= target`` for floors,
          ``<=`` for ceilings; NA when not evaluated;
        * ``status``: ``"met"``, ``"missed"``, ``"not projected"`` (no
          column; ``reason`` says why), ``"outside projection"`` (period or
          year not covered by base..end);
        * ``reason``: a code (:data:`REASONS`), the reports and the command
          line put it in words: ``unknown_indicator`` (not in the data
          dictionary), ``no_projection_column`` (``mapping_note`` says what the
          indicator is), ``no_period`` (a growth target without one),
          ``period_outside_projection``, ``year_outside_projection``,
          ``price_basis_differs`` (evaluated, but the target's price basis is
          not the column's), ``not_in_scenario`` (a registry indicator with a
          column the scenario does not project: no inputs in its
          ``indicators`` section); empty otherwise;
        * ``assumed``: the compared quantity depends on an assumed scenario
          input (for a growth target, the growth column, e.g. ``secondary_growth``;
          provenance is per column, not per year);
        * ``source``/``quote``: the plan's citation and wording;
          ``mapping_note``: how the indicator maps (e.g. industry ~ secondary,
          an assumption); ``note``: the figure's note.
    """
    figures = region.figures
    targets = figures[(figures["kind"].astype(str) == "target") & (figures["region"].astype(str) == region.key)]
    ind = {str(r["indicator"]): r for r in region.indicators.to_dict("records")}

    rows = []
    for fig in targets.to_dict("records"):
        info = ind.get(str(fig["indicator"]), {})
        column = _text(info.get("projection_column"))
        is_growth = bool(_text(info.get("level_of"))) or bool(_text(fig.get("period")))
        period = _text(fig.get("period"))
        year_text = _text(fig.get("year"))
        year = int(float(year_text)) if year_text else None
        row: dict[str, Any] = {
            "id": _text(fig.get("id")),
            "indicator": _text(fig.get("indicator")),
            "target_type": "growth" if is_growth else "level",
            "period": period,
            "year": year,
            "target": float(fig["value"]),
            "unit": _text(fig.get("unit")),
            "direction": direction_of(fig),
            "projection_column": column,
            "projected": math.nan,
            "gap": math.nan,
            "gap_unit": "pp" if is_growth else _text(fig.get("unit")),
            "met": pd.NA,
            "status": "",
            "assumed": pd.NA,
            "source": _text(fig.get("source")),
            "quote": _text(fig.get("quote")),
            "mapping_note": _text(info.get("mapping_note")),
            "note": _text(fig.get("note")),
            "reason": "",
        }
        if not info:
            row.update(status="not projected", reason="unknown_indicator")
        elif not column:
            row.update(status="not projected", reason="no_projection_column")
        elif _GROWTH_TO_LEVEL.get(column, column) not in result.table.columns:
            # a registry indicator the scenario does not project (no inputs in its indicators section)
            row.update(status="not projected", reason="not_in_scenario")
        elif is_growth:
            if not period:
                row.update(status="not projected", reason="no_period")
            else:
                a, b = parse_period(period)
                if a - 1 < result.base_year or b > result.end_year:
                    row.update(status="outside projection", reason="period_outside_projection")
                else:
                    row["projected"] = column_average_growth_pct(result, column, period)
            level_col = _GROWTH_TO_LEVEL.get(column, column)
            row["assumed"] = result.is_assumed(_LEVEL_TO_GROWTH.get(level_col, level_col))
            basis = _text(fig.get("price_basis"))
            col_basis = column_price_basis(level_col, result.scenario)
            if basis == "comparable" and col_basis == "current" or basis == "current" and col_basis == "constant":
                row["reason"] = "price_basis_differs"
        else:
            row["assumed"] = result.is_assumed(column)
            if year is None or not result.base_year <= year <= result.end_year:
                row.update(status="outside projection", reason="year_outside_projection")
            else:
                row["target"] = _to_column_unit(row["target"], row["unit"], result.unit(column), column)
                row["unit"] = row["gap_unit"] = result.unit(column)
                row["projected"] = result.at(year, column)
        if not row["status"]:
            gap = row["projected"] - row["target"]
            tol = GROWTH_TOLERANCE_PP if is_growth else LEVEL_RTOL * abs(row["target"])
            met = gap >= -tol if row["direction"] == "at_least" else gap <= tol
            if abs(gap) <= tol:  # rounding noise of compounding (e.g. -4e-15 pp) is no gap
                gap = 0.0
            row.update(gap=gap, met=bool(met), status="met" if met else "missed")
        rows.append(row)

    out = pd.DataFrame(rows, columns=list(GAP_COLUMNS))
    out["met"] = out["met"].astype("boolean")
    out["assumed"] = out["assumed"].astype("boolean")
    out["year"] = out["year"].astype("Int64")
    for c in ("target", "projected", "gap"):
        out[c] = out[c].astype(float)
    return out
