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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..inputs.regions import RegionData
from ..inputs.scenario import SECTORS, Scenario
from ..periods import parse_period
from .columns import column_price_basis
from .growth import (
    ImpliedGrowth,
    implied_aggregate_growth_pct,
    required_growth_pct,
    year_reached,
)
from .projection import ProjectionResult, project
from .target_gaps import (
    GAP_COLUMNS,
    GROWTH_TOLERANCE_PP,
    LEVEL_RTOL,
    REASONS,
    column_average_growth_pct,
    target_gaps,
)

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
