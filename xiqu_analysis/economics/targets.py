"""The plan's targets against a scenario: required growth, years reached, gaps.

Functions
---------
* :func:`required_growth_pct` - constant annual growth (per cent) taking a
  level from ``start`` to ``target`` in ``years`` years.
* :func:`year_reached` / :func:`doubling_year` - first year a path reaches a level.
* :func:`implied_aggregate_growth_pct` - aggregate real growth implied by
  sector growth rates, with sector shares evolving year by year.
* :func:`column_average_growth_pct` - a projection column's average annual growth
  over a period ``"YYYY-YYYY"`` (inclusive growth years, as in ``data/``).
* :func:`target_gaps` - every ``kind == "target"`` figure of the region
  against the projection (growth floors, level targets, targets that the
  projection cannot represent, with the reason).
* :func:`analyse_targets` - all of the above for one scenario, as a
  :class:`TargetAnalysis` with a tidy :meth:`TargetAnalysis.table` for the CLI.

Mapping targets to projection columns
-------------------------------------
``data/indicators.csv`` maps an indicator to a column of the projection
table (``projection_column``) and explains the mapping (``mapping_note``).
For a *growth* indicator (one with ``level_of`` set) the column is the level
whose average growth is compared: the plan's 工业增加值 floor (industrial value
added, 7.5 % a year 2021-2025, plan ch.2 §4.2) is compared with the growth of
real ``secondary`` value added, which is an assumption (secondary also
includes construction); 服务业 -> ``tertiary``; 农业 -> ``primary`` (农业 read as
the whole primary sector, an assumption). A target whose indicator has no
column (the rehabilitation-equipment park's 50 亿元 *gross output*, plan
专栏1, which is not value added) is listed with status ``"not projected"``
and the reason.

Direction: targets are floors (不低于, 以上) unless the figure's note or quote
says ``ceiling``, 不超过, 不高于 or 以内, in which case they are ceilings.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..inputs.regions import RegionData
from ..inputs.scenario import SECTORS, Scenario
from ..periods import parse_period
from ..units import UNIT_FACTORS, convert
from .columns import GROWTH_TO_LEVEL, LEVEL_TO_GROWTH, column_price_basis
from .growth import (
    ImpliedGrowth,
    implied_aggregate_growth_pct,
    period_average_growth_pct,
    required_growth_pct,
    year_reached,
)
from .projection import ProjectionResult, project

__all__ = [
    "required_growth_pct",
    "year_reached",
    "doubling_year",
    "ImpliedGrowth",
    "implied_aggregate_growth_pct",
    "column_average_growth_pct",
    "target_gaps",
    "GAP_COLUMNS",
    "REASONS",
    "ImpliedAggregate",
    "Doubling",
    "TargetAnalysis",
    "analyse_targets",
    "GROWTH_TOLERANCE_PP",
    "LEVEL_RTOL",
]

_CEILING_WORDS = ("ceiling", "不超过", "不高于", "以内")

#: Tolerance of the met/missed test. A growth target is met when
#: ``projected >= target - GROWTH_TOLERANCE_PP`` (floors; ``<=`` with ``+`` for
#: ceilings), so a scenario growing exactly at a floor meets it despite
#: floating-point rounding (about 1e-14 pp); a level target when
#: ``projected >= target * (1 - LEVEL_RTOL)``.
GROWTH_TOLERANCE_PP = 1e-9
LEVEL_RTOL = 1e-12


# --------------------------------------------------------------------------- primitives

def doubling_year(result: ProjectionResult, column: str = "gdp_real") -> int | None:
    """First year in which ``column`` reaches twice its base-year value.

    Parameters
    ----------
    result : ProjectionResult
    column : str, default ``"gdp_real"``
        A level column (real GDP at constant base-year prices by default).

    Returns
    -------
    int or None
        The year (see :func:`year_reached` for the boundary rule), or None if
        not within the projection.
    """
    series = result.column(column)
    return year_reached(series.index.to_numpy(), series.to_numpy(), 2.0 * float(series.iloc[0]))




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


# --------------------------------------------------------------------------- analysis
@dataclass(frozen=True)
class ImpliedAggregate:
    """What a set of sector growth floors imply for real GDP growth over a period.

    Attributes
    ----------
    period : str
        ``"YYYY-YYYY"`` inclusive growth years.
    floors_pct : dict of str to float
        Sector floor (per cent a year) by sector name.
    figure_ids : dict of str to str
        Sector -> id of the target figure the floor was read from.
    shares : dict of str to float
        The scenario's real sector shares (0-1) in the year before the period.
    implied : ImpliedGrowth
        Year-by-year and average implied aggregate growth, per cent.
    scenario_average_pct : float
        The scenario's own average real GDP growth over the period, per cent.
    """

    period: str
    floors_pct: dict
    figure_ids: dict
    shares: dict
    implied: ImpliedGrowth
    scenario_average_pct: float

    @property
    def average_pct(self) -> float:
        """Average annual implied real GDP growth, per cent."""
        return float(self.implied.average_pct)

    @property
    def first_year_pct(self) -> float:
        """Implied real GDP growth in the period's first year, per cent."""
        return float(self.implied.annual_pct[0])


@dataclass(frozen=True)
class Doubling:
    """When real GDP doubles, and the growth needed to double it by a year.

    Attributes
    ----------
    column : str
        Projection column tested (``"gdp_real"``, 亿元 at constant base-year prices).
    base_year : int
    base_value : float
        Value in the base year (unit of the column).
    year : int or None
        First projected year at twice the base value (None: not by the end year).
    by_year : int
        Target year of the test (the region's ``long_range_year``, an assumption).
    required_pct : float
        Constant growth doubling the base value by ``by_year``, per cent a year.
    scenario_average_pct : float
        The scenario's average growth of the column from the base year to
        ``min(by_year, end_year)``, per cent a year.
    """

    column: str
    base_year: int
    base_value: float
    year: int | None
    by_year: int
    required_pct: float
    scenario_average_pct: float




@dataclass(frozen=True)
class TargetAnalysis:
    """The plan's targets against one scenario.

    Attributes
    ----------
    scenario : Scenario
    projection : ProjectionResult
    gaps : pandas.DataFrame
        :func:`target_gaps` (columns :data:`GAP_COLUMNS`).
    implied_aggregate : tuple of ImpliedAggregate
        One per period for which all three sectors have a growth floor
        (the plan: 2021-2025, floors 3.5 / 7.5 / 8.5 %).
    doubling : Doubling
    required : pandas.DataFrame
        For each projectable level target: id, indicator, column, year,
        base_value, target (column unit), unit, years, required_pct (per cent
        a year, real or nominal as the column), price_basis, scenario_pct
        (the scenario's average growth of the column to that year).
    region : RegionData
        The region whose targets these are: its data dictionary names each
        ``indicator`` code in a reader's language (the reports do that).
    """

    scenario: Scenario
    projection: ProjectionResult = field(repr=False)
    gaps: pd.DataFrame = field(repr=False)
    implied_aggregate: tuple = ()
    doubling: Doubling | None = None
    required: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    region: RegionData | None = field(default=None, repr=False)

    @property
    def table(self) -> pd.DataFrame:
        """The main table: one row per plan target (:func:`target_gaps`, columns :data:`GAP_COLUMNS`)."""
        return self.gaps

def _implied_aggregates(result: ProjectionResult, gaps: pd.DataFrame) -> tuple[ImpliedAggregate, ...]:
    growth = gaps[(gaps["target_type"] == "growth") & (gaps["direction"] == "at_least")]
    out = []
    for period, group in growth.groupby("period", sort=True):
        by_sector = {r["projection_column"]: r for r in group.to_dict("records") if r["projection_column"] in SECTORS}
        if set(by_sector) != set(SECTORS):
            continue
        a, b = parse_period(str(period))
        if a - 1 < result.base_year or b > result.end_year:
            continue
        shares = {s: result.at(a - 1, f"{s}_share") for s in SECTORS}
        floors = {s: float(by_sector[s]["target"]) for s in SECTORS}
        growth_matrix = np.tile([floors[s] for s in SECTORS], (b - a + 1, 1))
        implied = implied_aggregate_growth_pct([shares[s] for s in SECTORS], growth_matrix)
        out.append(
            ImpliedAggregate(
                period=str(period),
                floors_pct=floors,
                figure_ids={s: by_sector[s]["id"] for s in SECTORS},
                shares=shares,
                implied=implied,
                scenario_average_pct=column_average_growth_pct(result, "gdp_real", str(period)),
            )
        )
    return tuple(out)


def _required(result: ProjectionResult, gaps: pd.DataFrame) -> pd.DataFrame:
    cols = ["id", "indicator", "column", "year", "base_value", "target", "unit", "years", "required_pct",
            "price_basis", "scenario_pct"]  # fmt: skip
    rows = []
    for g in gaps.to_dict("records"):
        if g["target_type"] != "level" or g["status"] not in ("met", "missed"):
            continue
        column, year = g["projection_column"], int(g["year"])
        if year <= result.base_year:
            continue
        base = result.at(result.base_year, column)
        n = year - result.base_year
        rows.append(dict(id=g["id"], indicator=g["indicator"], column=column, year=year, base_value=base,
                         target=g["target"], unit=g["unit"], years=n,
                         required_pct=required_growth_pct(base, g["target"], n),
                         price_basis=column_price_basis(column, result.scenario),
                         scenario_pct=required_growth_pct(base, result.at(year, column), n)))
    return pd.DataFrame(rows, columns=cols)


def analyse_targets(
    scenario: Scenario,
    region: RegionData,
    *,
    doubling_by: int | None = None,
    result: ProjectionResult | None = None,
) -> TargetAnalysis:
    """Project a scenario and set it against the plan's targets.

    Parameters
    ----------
    scenario : Scenario
    region : RegionData
        The scenario's region (targets and data dictionary).
    doubling_by : int, optional
        Year by which the doubling test asks real GDP to double; default the
        region's ``long_range_year`` (``region.yaml``), else the scenario's end year.
    result : ProjectionResult, optional
        A projection of ``scenario`` already computed (else ``project(scenario)``).

    Returns
    -------
    TargetAnalysis
    """
    result = project(scenario) if result is None else result
    if doubling_by is None:
        doubling_by = region.info.long_range_year or result.end_year
    gaps = target_gaps(result, region)
    base_value = result.at(result.base_year, "gdp_real")
    end = min(doubling_by, result.end_year)
    doubling = Doubling(
        column="gdp_real",
        base_year=result.base_year,
        base_value=base_value,
        year=doubling_year(result, "gdp_real"),
        by_year=doubling_by,
        required_pct=required_growth_pct(1.0, 2.0, doubling_by - result.base_year),
        scenario_average_pct=required_growth_pct(base_value, result.at(end, "gdp_real"), end - result.base_year)
        if end > result.base_year
        else math.nan,
    )
    return TargetAnalysis(
        scenario=scenario,
        projection=result,
        gaps=gaps,
        implied_aggregate=_implied_aggregates(result, gaps),
        doubling=doubling,
        required=_required(result, gaps),
        region=region,
    )
