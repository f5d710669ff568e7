"""The plan's targets against a scenario: required growth, years reached, gaps.

Functions
---------
* :func:`required_growth_pct` - constant annual growth (per cent) taking a
  level from ``start`` to ``target`` in ``years`` years.
* :func:`year_reached` / :func:`doubling_year` - first year a path reaches a level.
* :func:`implied_aggregate_growth_pct` - aggregate real growth implied by
  sector growth rates, with sector shares evolving year by year.
* :func:`average_growth_pct` - a projection column's average annual growth
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
import numpy.typing as npt
import pandas as pd

from .projection import COLUMN_PRICE_BASIS, COLUMN_UNITS, SECTORS, ProjectionResult, project, sector_paths

__all__ = [
    "required_growth_pct",
    "year_reached",
    "doubling_year",
    "ImpliedGrowth",
    "implied_aggregate_growth_pct",
    "average_growth_pct",
    "parse_period",
    "target_gaps",
    "GAP_COLUMNS",
    "ImpliedAggregate",
    "Doubling",
    "TargetAnalysis",
    "SUMMARY_COLUMNS",
    "analyse_targets",
    "DOUBLING_BY_YEAR",
    "GROWTH_TOLERANCE_PP",
    "LEVEL_RTOL",
]

#: Year by which the doubling test asks for real GDP to double its base-year
#: level. 2035 is the national long-range goal year (基本实现社会主义现代化);
#: it is NOT in the Xiqu plan and is used here as an assumption.
DOUBLING_BY_YEAR = 2035

_CEILING_WORDS = ("ceiling", "不超过", "不高于", "以内")

#: Tolerance of the met/missed test. A growth target is met when
#: ``projected >= target - GROWTH_TOLERANCE_PP`` (floors; ``<=`` with ``+`` for
#: ceilings), so a scenario growing exactly at a floor meets it despite
#: floating-point rounding (about 1e-14 pp); a level target when
#: ``projected >= target * (1 - LEVEL_RTOL)``.
GROWTH_TOLERANCE_PP = 1e-9
LEVEL_RTOL = 1e-12


# --------------------------------------------------------------------------- primitives
def required_growth_pct(start: float, target: float, years: float) -> float:
    """Constant annual growth taking a level from ``start`` to ``target``.

    Parameters
    ----------
    start, target : float
        Levels in the same unit (and the same price basis: a current-price
        target gives a nominal rate), both > 0.
    years : float
        Number of annual growth steps, > 0 (2020 -> 2035 is 15).

    Returns
    -------
    float
        ``((target / start) ** (1 / years) - 1) * 100``, per cent a year.
        Doubling in 15 years needs 4.729 % a year.

    Raises
    ------
    ValueError
        If a level is not positive or ``years`` is not positive.
    """
    if not (start > 0 and target > 0):
        raise ValueError(f"levels must be positive, got start={start!r}, target={target!r}")
    if not years > 0:
        raise ValueError(f"years must be positive, got {years!r}")
    return ((target / start) ** (1.0 / years) - 1.0) * 100.0


def year_reached(years: npt.ArrayLike, values: npt.ArrayLike, level: float, *, rtol: float = 1e-12) -> int | None:
    """First year in which a path reaches ``level``.

    Parameters
    ----------
    years : array_like of int, shape (n,)
        Years, increasing.
    values : array_like of float, shape (n,)
        The path (any unit, the same as ``level``).
    level : float
        The level to reach.
    rtol : float, default 1e-12
        Relative tolerance. A year counts as reached when
        ``value >= level - rtol * abs(level)``: equality counts as reached, and
        a path built by compounding exactly :func:`required_growth_pct`, which
        may fall short of ``level`` by rounding error, reaches it in the
        intended year. Pass ``rtol=0`` for a strict ``value >= level``.

    Returns
    -------
    int or None
        The first such year (the first year itself if the path starts at or
        above the level), or None if never reached. NaN values never reach.
    """
    y = np.asarray(years)
    v = np.asarray(values, dtype=float)
    if y.shape != v.shape or y.ndim != 1:
        raise ValueError(f"years and values must be 1-d of equal length, got {y.shape} and {v.shape}")
    hit = np.flatnonzero(v >= level - rtol * abs(level))  # NaN compares False
    return int(y[hit[0]]) if hit.size else None


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


@dataclass(frozen=True)
class ImpliedGrowth:
    """Aggregate growth implied by sector growth rates.

    Attributes
    ----------
    annual_pct : numpy.ndarray, shape (..., T)
        Aggregate real growth each year, per cent:
        ``sum_s w_s(t-1) * g_s(t)`` with shares ``w`` of the previous year.
    average_pct : float or numpy.ndarray, shape (...)
        Average annual (geometric mean) aggregate growth over the T years, per cent.
    shares : numpy.ndarray, shape (..., T+1, 3)
        Real sector shares (0-1) at the start and after each year.
    """

    annual_pct: np.ndarray
    average_pct: Any
    shares: np.ndarray


def implied_aggregate_growth_pct(shares: npt.ArrayLike, growth_pct: npt.ArrayLike) -> ImpliedGrowth:
    """Aggregate real growth implied by sector growths, shares evolving.

    Parameters
    ----------
    shares : array_like, shape (3,) or (..., 3)
        Sector shares (primary, secondary, tertiary) of real output at the
        start of the period, 0-1 (normalised here if they do not sum to 1).
    growth_pct : array_like, shape (..., T, 3) or (3,)
        Annual real sector growth, per cent; a (3,) vector is one year.

    Returns
    -------
    ImpliedGrowth
        Year by year ``g(t) = sum_s w_s(t-1) g_s(t)`` where
        ``w_s(t) = w_s(t-1) (1 + g_s(t)/100) / (1 + g(t)/100)``, and the
        average ``(prod (1 + g(t)/100)) ** (1/T) - 1``, per cent.

    Examples
    --------
    The plan's floors (3.5 / 7.5 / 8.5 %, 2021-2025) on shares 0.02 / 0.58 /
    0.40 imply 7.82 % in the first year and 7.83 % a year on average over five
    years, as the faster-growing sectors gain weight.
    """
    g = np.asarray(growth_pct, dtype=float)
    if g.ndim == 1:
        g = g[np.newaxis, :]
    w0 = np.asarray(shares, dtype=float)
    w0 = w0 / w0.sum(axis=-1, keepdims=True)
    levels = sector_paths(w0, g)  # (..., T+1, 3), starts at the shares
    total = levels[..., 0] + levels[..., 1] + levels[..., 2]
    annual = (total[..., 1:] / total[..., :-1] - 1.0) * 100.0
    T = g.shape[-2]
    average = ((total[..., -1] / total[..., 0]) ** (1.0 / T) - 1.0) * 100.0
    average = float(average) if np.ndim(average) == 0 else average
    return ImpliedGrowth(annual_pct=annual, average_pct=average, shares=levels / total[..., np.newaxis])


def parse_period(period: str) -> tuple[int, int]:
    """``"2021-2025"`` -> (2021, 2025): inclusive growth years (growth 2020 -> 2025)."""
    try:
        a, b = (int(x) for x in str(period).split("-"))
    except ValueError:
        raise ValueError(f"period must be 'YYYY-YYYY', got {period!r}") from None
    if b < a:
        raise ValueError(f"period {period!r} ends before it starts")
    return a, b


_GROWTH_TO_LEVEL = {"gdp_growth": "gdp_real", "nominal_growth": "gdp_nominal", **{f"{s}_growth": s for s in SECTORS}}
# growth of a level depends on fewer inputs than the level (not on gdp_base, say)
_LEVEL_TO_GROWTH = {v: k for k, v in _GROWTH_TO_LEVEL.items()}


def average_growth_pct(result: ProjectionResult, column: str, period: str) -> float:
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
    a, b = parse_period(period)
    col = _GROWTH_TO_LEVEL.get(column, column)
    return required_growth_pct(result.at(a - 1, col), result.at(b, col), b - a + 1)


# --------------------------------------------------------------------------- data
def _load_tables(region: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Figures of ``region`` and the indicator dictionary.

    Uses :mod:`xiqu_analysis.data` when it is importable; otherwise (while
    that module was being written) reads the CSVs directly with pandas.
    """
    try:
        from . import data as _data

        return _data.load_figures(region), _data.load_indicators()
    except (ImportError, AttributeError):
        from . import config

        root = config.data_dir()
        figures = pd.read_csv(root / "regions" / region / "figures.csv", dtype={"period": "string", "id": "string"})
        indicators = pd.read_csv(root / "indicators.csv", dtype="string")
        return figures, indicators


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


def _direction(row: Mapping[str, Any]) -> str:
    words = _text(row.get("note")) + " " + _text(row.get("quote"))
    return "at_most" if any(w in words for w in _CEILING_WORDS) else "at_least"


def _to_column_unit(value: float, unit: str, column: str) -> float:
    """Convert a figure's value into the unit of a projection column."""
    from .units import UNIT_FACTORS, convert

    col_unit = COLUMN_UNITS[column]
    if unit == col_unit:
        return float(value)
    if unit == "%" and col_unit == "ratio":
        return float(value) / 100.0
    if unit in UNIT_FACTORS and col_unit in UNIT_FACTORS:
        return convert(value, unit, col_unit)
    raise ValueError(f"cannot convert {unit} to the unit of column {column!r} ({col_unit})")


#: Columns of :func:`target_gaps`, in order.
GAP_COLUMNS: tuple[str, ...] = (
    "id", "indicator", "label_en", "label_zh", "target_type", "period", "year", "target", "unit",
    "direction", "projection_column", "projected", "gap", "gap_unit", "met", "status", "assumed",
    "source", "quote", "mapping_note", "note", "reason",
)  # fmt: skip


def target_gaps(
    result: ProjectionResult,
    figures: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    *,
    region: str = "xiqu",
) -> pd.DataFrame:
    """Every target of the region against the projection.

    Parameters
    ----------
    result : ProjectionResult
        The scenario's projection.
    figures : pandas.DataFrame, optional
        Figures table (``data/regions/<region>/figures.csv`` layout); rows with
        ``kind == "target"`` (and ``region == region`` if that column exists)
        are used. Read with :func:`xiqu_analysis.data.load_figures` if None.
    indicators : pandas.DataFrame, optional
        ``data/indicators.csv``; read if None.
    region : str, default ``"xiqu"``

    Returns
    -------
    pandas.DataFrame
        One row per target, columns :data:`GAP_COLUMNS`:

        * growth targets (indicator with ``level_of``; ``period`` set):
          ``projected`` is the scenario's average annual growth (per cent) of
          the mapped column over the period (:func:`average_growth_pct`),
          ``gap = projected - target`` in percentage points (``gap_unit "pp"``);
        * level targets (``year`` set): ``projected`` is the column's value in
          that year and ``target`` is converted to the column's unit
          (``unit``); ``gap`` in that unit;
        * ``met`` (nullable boolean): ``projected >= target`` for floors,
          ``<=`` for ceilings; NA when not evaluated;
        * ``status``: ``"met"``, ``"missed"``, ``"not projected"`` (no
          column; ``reason`` says why), ``"outside projection"`` (period or
          year not covered by base..end);
        * ``assumed``: the compared quantity depends on an assumed scenario
          input (for a growth target, the growth column, e.g. ``secondary_growth``;
          provenance is per column, not per year);
        * ``source``/``quote``: the plan's citation and wording;
          ``mapping_note``: how the indicator maps (e.g. industry ~ secondary,
          an assumption); ``note``: the figure's note.
    """
    if figures is None or indicators is None:
        loaded_f, loaded_i = _load_tables(region)
        figures = loaded_f if figures is None else figures
        indicators = loaded_i if indicators is None else indicators
    targets = figures[figures["kind"].astype(str) == "target"]
    if "region" in targets.columns:
        targets = targets[targets["region"].astype(str) == region]
    ind = {str(r["indicator"]): r for r in indicators.to_dict("records")}

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
            "label_en": _text(info.get("label_en")),
            "label_zh": _text(info.get("label_zh")),
            "target_type": "growth" if is_growth else "level",
            "period": period,
            "year": year,
            "target": float(fig["value"]),
            "unit": _text(fig.get("unit")),
            "direction": _direction(fig),
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
            row.update(status="not projected", reason="indicator not defined in data/indicators.csv")
        elif not column:
            row.update(
                status="not projected",
                reason=f"no projection column for {row['indicator']}: {row['mapping_note'] or 'not modelled'}",
            )
        elif is_growth:
            if not period:
                row.update(status="not projected", reason="growth target without a period")
            else:
                a, b = parse_period(period)
                if a - 1 < result.base_year or b > result.end_year:
                    row.update(
                        status="outside projection",
                        reason=f"period {period} needs years {a - 1}-{b}; projection covers {result.base_year}-{result.end_year}",
                    )
                else:
                    row["projected"] = average_growth_pct(result, column, period)
            level_col = _GROWTH_TO_LEVEL.get(column, column)
            row["assumed"] = result.is_assumed(_LEVEL_TO_GROWTH.get(level_col, level_col))
            basis = _text(fig.get("price_basis"))
            col_basis = COLUMN_PRICE_BASIS.get(level_col, "")
            if basis == "comparable" and col_basis == "current" or basis == "current" and col_basis == "constant":
                row["reason"] = f"price basis differs: target {basis}, column {level_col} {col_basis}"
        else:
            row["assumed"] = result.is_assumed(column)
            if year is None or not result.base_year <= year <= result.end_year:
                row.update(
                    status="outside projection",
                    reason=f"target year {year} outside projection {result.base_year}-{result.end_year}",
                )
            else:
                row["target"] = _to_column_unit(row["target"], row["unit"], column)
                row["unit"] = row["gap_unit"] = COLUMN_UNITS[column]
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
        Target year of the test (:data:`DOUBLING_BY_YEAR`, an assumption).
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


_LABELS = {"gdp_real": "real GDP", "gdp_nominal": "nominal GDP"}

#: Columns of :meth:`TargetAnalysis.table`, in order.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "section", "item", "period", "value", "target", "unit", "gap", "status", "source", "note",
)  # fmt: skip


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
    """

    scenario: Any
    projection: ProjectionResult = field(repr=False)
    gaps: pd.DataFrame = field(repr=False)
    implied_aggregate: tuple = ()
    doubling: Doubling | None = None
    required: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def table(self) -> pd.DataFrame:
        """Tidy summary for the CLI (``xiqu targets``), columns :data:`SUMMARY_COLUMNS`.

        Sections: ``"target"`` (one row per plan target: value = scenario,
        target, gap, status), ``"implied"`` (GDP growth implied by the sector
        floors), ``"doubling"`` and ``"required"`` (growth needed to reach
        each level target). Units in ``unit``; growth gaps in pp.
        """
        rows: list[dict[str, Any]] = []
        for g in self.gaps.to_dict("records"):
            label = g["label_en"] or g["indicator"]
            if g["projection_column"]:
                label = f"{label} [{g['projection_column']}]"
            unit = "% a year" if g["target_type"] == "growth" else g["unit"]
            parts = [g["reason"]] if g["mapping_note"] and g["mapping_note"] in g["reason"] else [g["mapping_note"], g["reason"]]
            parts.append(g["note"])
            note = "; ".join(x for x in parts if x)
            rows.append(dict(section="target", item=label, period=g["period"] or str(g["year"]), value=g["projected"],
                             target=g["target"], unit=unit, gap=g["gap"], status=g["status"], source=g["source"], note=note))
        for ia in self.implied_aggregate:
            floors = " / ".join(f"{s} {ia.floors_pct[s]:g}" for s in SECTORS)
            shares = " / ".join(f"{ia.shares[s]:.3g}" for s in SECTORS)
            src = ", ".join(ia.figure_ids[s] for s in SECTORS)
            rows.append(dict(section="implied", item="real GDP growth implied by the sector floors", period=ia.period,
                             value=ia.average_pct, target=math.nan, unit="% a year", gap=math.nan, status="implied",
                             source=src, note=f"floors {floors} % on shares {shares}; first year {ia.first_year_pct:.2f} %"))
            gap = ia.scenario_average_pct - ia.average_pct
            gap = 0.0 if abs(gap) <= GROWTH_TOLERANCE_PP else gap
            rows.append(dict(section="implied", item="scenario real GDP growth vs implied", period=ia.period,
                             value=ia.scenario_average_pct, target=ia.average_pct, unit="% a year", gap=gap,
                             status="met" if gap >= -GROWTH_TOLERANCE_PP else "missed", source=src,
                             note="the scenario's own average real GDP growth over the period"))
        d = self.doubling
        if d is not None:
            end = min(d.by_year, self.projection.end_year)
            rows.append(dict(section="doubling", item=f"year {_LABELS.get(d.column, d.column)} reaches 2x its {d.base_year} level",
                             period=f"{d.base_year}-{self.projection.end_year}",
                             value=float(d.year) if d.year is not None else math.nan, target=float(d.by_year), unit="year",
                             gap=float(d.year - d.by_year) if d.year is not None else math.nan,
                             status="reached" if d.year is not None else "not reached in projection",
                             source="", note=(f"{d.by_year}: the national long-range goal year, not in the plan (assumption)"
                                                        if d.by_year == DOUBLING_BY_YEAR else f"{d.by_year}: chosen by the caller")))
            rows.append(dict(section="doubling", item=f"growth to double {_LABELS.get(d.column, d.column)} by {d.by_year}",
                             period=f"{d.base_year + 1}-{d.by_year}", value=d.scenario_average_pct, target=d.required_pct,
                             unit="% a year", gap=d.scenario_average_pct - d.required_pct,
                             status="met" if d.scenario_average_pct >= d.required_pct - GROWTH_TOLERANCE_PP else "missed",
                             source="",
                             note=f"scenario average over {d.base_year + 1}-{end}"))
        for r in self.required.to_dict("records"):
            rows.append(dict(section="required", item=f"growth of {r['column']} to reach {r['indicator']} target",
                             period=f"{self.projection.base_year + 1}-{r['year']}", value=r["scenario_pct"],
                             target=r["required_pct"], unit=f"% a year ({r['price_basis']})",
                             gap=r["scenario_pct"] - r["required_pct"],
                             status="met" if r["scenario_pct"] >= r["required_pct"] - GROWTH_TOLERANCE_PP else "missed",
                             source=r["id"], note="constant growth from the base year that reaches the target level"))
        out = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
        for c in ("value", "target", "gap"):
            out[c] = out[c].astype(float)
        return out


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
                scenario_average_pct=average_growth_pct(result, "gdp_real", str(period)),
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
                         price_basis=COLUMN_PRICE_BASIS[column],
                         scenario_pct=required_growth_pct(base, result.at(year, column), n)))
    return pd.DataFrame(rows, columns=cols)


def analyse_targets(
    scenario: Any,
    figures: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    *,
    region: str = "xiqu",
    doubling_by: int = DOUBLING_BY_YEAR,
    result: ProjectionResult | None = None,
) -> TargetAnalysis:
    """Project a scenario and set it against the plan's targets.

    Parameters
    ----------
    scenario : Scenario
    figures, indicators : pandas.DataFrame, optional
        As in :func:`target_gaps` (read from ``data/`` if None).
    region : str, default ``"xiqu"``
    doubling_by : int, default :data:`DOUBLING_BY_YEAR` (2035, an assumption)
        Year by which the doubling test asks real GDP to double.
    result : ProjectionResult, optional
        A projection of ``scenario`` already computed (else ``project(scenario)``).

    Returns
    -------
    TargetAnalysis
    """
    result = project(scenario) if result is None else result
    gaps = target_gaps(result, figures, indicators, region=region)
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
    )
