"""The evaluation of a plan's indicators (规划实施中期评估 / 总结评估): progress against time, a verdict each.

Every target of the region's plan (its ``kind == "target"`` figures, whatever
the indicator: projected, ``tracked`` or unknown to the projection) is set
against the actual figures of the years under review, the way a development
and reform bureau evaluates its 主要指标表:

* **time progress** (时间进度): the share of the target's period elapsed at
  the review year, ``(year - start) / (end - start)``; for a 2021-2025 plan
  reviewed on 2023 data, 3 / 5 = 60 %.
* **average growth targets** (年均增长 g*, a period and ``%`` on a growth
  indicator): the average of the actual rates so far (chained, consecutive
  years from the period's first), its gap to the target in percentage points,
  and what the remaining years need to reach the target's end level,
  ``((1 + g*)^N / prod(1 + g_t))^(1 / remaining) - 1`` (one remaining year:
  that year's growth, ``required_kind = "single_year"``, never called an
  average).
* **level targets** (a value in a year: 80 亿元, 城镇化率 70 %): task progress
  (完成目标进度) ``(latest - base) / (target - base)``; what the remaining
  years need: the growth rate for money and counts, the change a year in
  percentage points for a rate.
* **cumulative targets** (a period and ``%`` on an indicator that is not a
  growth rate, such as 单位GDP能耗累计下降13.5%): the cumulative change of the
  yearly actuals, compounded (a fall when the plan's words say 下降/降低/减少:
  ``1 - prod(1 - r_t)``), and progress = achieved / targeted.

Verdicts (codes; the reports put them in words: 提前实现, 快于预期, 基本符合预期,
滞后, 实现, 未实现, 无数据) by stated rules:

* a target already reached before the period's end is ``achieved_early``; at
  the period's end ``achieved`` or ``not_achieved``;
* otherwise, for an average growth target, the average so far against the
  target: at least :data:`GROWTH_MARGIN_PP` above is ``ahead``, within it
  ``on_track``, more than it below ``behind`` (a ceiling the other way round);
* for level and cumulative targets, task progress against time progress: at
  least :data:`PROGRESS_MARGIN_PP` ahead is ``ahead``, within it ``on_track``,
  more than it behind ``behind``;
* no actual figure: ``no_data`` (said, not hidden).

A year the review needs and the actuals lack (:func:`~xiqu_analysis.economics.review_needs.missing_rows`)
is named too: ``missing_years`` of the target's row (the average so far then
runs to the year before the gap), and :attr:`Evaluation.missing` lists every
indicator with such years, GDP's own growth and level included.

GDP's own growth is set against the growth the plan's sector floors imply
(:func:`gdp_against_floors`): the floors weighted by the sectors' base-year
shares, the weights evolving as the sectors grow
(:func:`~xiqu_analysis.economics.growth.implied_aggregate_growth_pct`).

The 属性 of a target (预期性 / 约束性) is read from the plan's words in the
figure's quote or note: ``expected`` or ``binding``, empty where the plan
states none. Units: as the target's figure; growth in % a year; gaps in pp.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Sequence

import pandas as pd

from ..inputs.indicators import indicator_registry
from ..inputs.regions import RegionData
from ..periods import parse_period
from ..units import UNIT_FACTORS, convert
from ..inputs.scenario import SECTORS
from .actuals import chained_index
from .review_needs import MissingRows, missing_rows, years_text
from .growth import implied_aggregate_growth_pct
from .target_gaps import direction_of

__all__ = ["EVALUATION_COLUMNS", "VERDICTS", "GROWTH_MARGIN_PP", "PROGRESS_MARGIN_PP", "Evaluation", "GdpCheck",
           "evaluate_plan", "gdp_against_floors", "common_base_shares", "attribute_of", "time_progress_pct", "required_average_growth_pct"]

#: an average growth within this many points of its target is on track (``on_track``)
GROWTH_MARGIN_PP = 0.5
#: task progress within this many points of time progress is on track (``on_track``)
PROGRESS_MARGIN_PP = 10.0
#: verdict codes, best first
VERDICTS = ("achieved_early", "achieved", "ahead", "on_track", "behind", "not_achieved", "no_data")
#: the plan's words for a target's 属性
_ATTRIBUTES = {"约束性": "binding", "预期性": "expected"}
#: the plan's words for a fall (a cumulative reduction target)
_FALL_WORDS = ("下降", "降低", "减少")

#: columns of :attr:`Evaluation.table`
EVALUATION_COLUMNS = (
    "id", "indicator", "target_type", "attribute", "period", "start_year", "end_year", "target", "unit",
    "direction", "base_value", "latest_year", "latest_value", "average_pct", "gap_pp", "progress_pct",
    "time_progress_pct", "verdict", "remaining_years", "required", "required_unit", "required_kind",
    "missing_years", "source", "quote",
)  # fmt: skip


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def attribute_of(row: Mapping[str, Any]) -> str:
    """``"binding"`` (约束性) or ``"expected"`` (预期性) where the figure's quote or note states it, else ``""``."""
    words = _text(row.get("quote")) + " " + _text(row.get("note"))
    for word, code in _ATTRIBUTES.items():
        if word in words:
            return code
    return ""


def time_progress_pct(year: int, start: int, end: int) -> float:
    """时间进度: the share of ``start .. end`` elapsed at ``year``, per cent (0 before, 100 after)."""
    if end <= start:
        return 100.0
    return 100.0 * min(max(year - start, 0), end - start) / (end - start)


def required_average_growth_pct(target_pct: float, years: int, achieved_index: float, remaining: int) -> float:
    """Growth a year the remaining years need so the whole period averages ``target_pct``.

    ``((1 + target)^years / achieved_index)^(1 / remaining) - 1``, per cent;
    ``achieved_index`` is the product of ``1 + g_t`` over the years observed.
    """
    if remaining <= 0:
        return math.nan
    return 100.0 * (((1.0 + target_pct / 100.0) ** years / achieved_index) ** (1.0 / remaining) - 1.0)


@dataclass(frozen=True)
class Evaluation:
    """A plan's indicators evaluated on the actual figures up to ``review_year``.

    Attributes
    ----------
    review_year : int
        The year of the latest data considered.
    final : bool
        True once ``review_year`` reaches the plan's end year (总结评估).
    table : pandas.DataFrame
        One row per target, columns :data:`EVALUATION_COLUMNS` (codes and numbers); ``missing_years``
        the years of the target's rows the actuals lack (``2022, 2025``; empty: none).
    missing : tuple of MissingRows
        Every row the review needs and the actuals lack
        (:func:`~xiqu_analysis.economics.review_needs.missing_rows`), required ones first.
    """

    review_year: int
    final: bool
    table: pd.DataFrame
    missing: tuple[MissingRows, ...] = ()

    def counts(self) -> dict[str, int]:
        """Targets per verdict, in the order of :data:`VERDICTS` (verdicts with none left out)."""
        got = self.table["verdict"].value_counts()
        return {v: int(got[v]) for v in VERDICTS if v in got.index}

    def binding(self) -> pd.DataFrame:
        """The rows of binding (约束性) targets."""
        return self.table[self.table["attribute"] == "binding"]


def _series(actuals: pd.DataFrame, indicator: str, unit: str | None = None,
            price_basis: str | None = None) -> dict[int, tuple[float, str]]:
    """year -> (value, unit) of one indicator's actual rows (first row of a year)."""
    rows = actuals[actuals["indicator"] == indicator]
    if unit is not None:
        rows = rows[rows["unit"] == unit]
    if price_basis is not None:
        rows = rows[rows["price_basis"] == price_basis]
    out: dict[int, tuple[float, str]] = {}
    for r in rows.itertuples():
        out.setdefault(int(r.year), (float(r.value), str(r.unit)))
    return out


def _in_unit(value: float, unit: str, want: str) -> float:
    if unit == want:
        return value
    if unit in UNIT_FACTORS and want in UNIT_FACTORS:
        try:
            return convert(value, unit, want)
        except ValueError:
            return math.nan
    return math.nan


def _verdict(score: float, margin: float) -> str:
    return "ahead" if score >= margin else "on_track" if score >= -margin else "behind"


def evaluate_plan(region: RegionData, actuals: pd.DataFrame | None, review_year: int) -> Evaluation:
    """Every target of ``region``'s plan evaluated on ``actuals`` up to ``review_year`` (see the module docstring).

    Parameters
    ----------
    region : RegionData
        Its target figures, base-year figures and registry.
    actuals : pandas.DataFrame or None
        Bulletin rows (:func:`~xiqu_analysis.inputs.bulletins.load_bulletin`); other regions' rows
        and years after ``review_year`` are ignored.
    review_year : int
    """
    registry = indicator_registry(region.indicators)
    cols = ["region", "indicator", "year", "value", "unit", "price_basis"]
    act = pd.DataFrame(columns=cols) if actuals is None else actuals
    act = act[(act["region"] == region.key) & (act["year"] <= int(review_year))]
    figs = region.figures[region.figures["region"].astype(str) == region.key]
    targets = figs[figs["kind"].astype(str) == "target"]
    base_figs = figs[figs["kind"].astype(str).isin(("actual", "preliminary"))]
    plan_end = region.info.plan_end_year
    missing = missing_rows(region, act, int(review_year))
    lacking = {m.target: years_text(m.years) for m in missing if m.target}
    rows = []
    for fig in targets.to_dict("records"):
        spec = registry.get(str(fig["indicator"]))
        period = _text(fig.get("period"))
        unit = _text(fig.get("unit"))
        direction = direction_of(fig)
        row = dict(id=_text(fig.get("id")), indicator=str(fig["indicator"]), attribute=attribute_of(fig),
                   period=period, target=float(fig["value"]), unit=unit, direction=direction,
                   base_value=math.nan, latest_year=None, latest_value=math.nan, average_pct=math.nan,
                   gap_pp=math.nan, progress_pct=math.nan, time_progress_pct=math.nan, verdict="no_data",
                   remaining_years=None, required=math.nan, required_unit="", required_kind="",
                   missing_years=lacking.get(_text(fig.get("id")), ""),
                   source=_text(fig.get("source")), quote=_text(fig.get("quote")))
        if period:
            start, end = parse_period(period)
            start -= 1  # growth years a..b run from the level of a-1
        else:
            end = int(fig["year"])
            start = int(region.info.base_year)
        row.update(start_year=start, end_year=end)
        year = min(int(review_year), end)
        row["time_progress_pct"] = time_progress_pct(year, start, end)
        is_growth = bool(period) and unit == "%" and (spec is None or spec.is_growth or spec.rule == "sectors")
        if period and unit == "%" and spec is not None and not spec.is_growth and spec.rule != "sectors":
            row.update(_cumulative(fig, act, start, end, year))
        elif is_growth:
            row.update(_growth(fig, act, start, end, year))
        else:
            row.update(_level(fig, act, base_figs, start, end, year, unit))
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(EVALUATION_COLUMNS))
    for c in ("latest_year", "remaining_years", "start_year", "end_year"):
        table[c] = table[c].astype("Int64")
    final = plan_end is not None and int(review_year) >= int(plan_end)
    return Evaluation(review_year=int(review_year), final=final, table=table, missing=missing)


def _finish(row: dict, reached: bool, last: int, end: int, score: float, margin: float) -> dict:
    if last >= end:
        row["verdict"] = "achieved" if reached else "not_achieved"
    elif reached and row.get("target_type") != "growth":
        row["verdict"] = "achieved_early"
    else:
        row["verdict"] = _verdict(score, margin)
    row["remaining_years"] = max(end - last, 0)
    return row


def _growth(fig: Mapping[str, Any], act: pd.DataFrame, start: int, end: int, year: int) -> dict:
    """An average growth target: the chained average so far, its gap and the growth still needed."""
    out: dict[str, Any] = dict(target_type="growth")
    basis = _text(fig.get("price_basis")) or None
    series = {y: v for y, (v, _) in _series(act, str(fig["indicator"]), "%", basis).items()}
    last = start
    while last + 1 <= year and (last + 1) in series:
        last += 1
    if last == start:
        return out
    index = chained_index(series, start, last)
    avg = 100.0 * (index ** (1.0 / (last - start)) - 1.0)
    target = float(fig["value"])
    sign = -1.0 if direction_of(fig) == "at_most" else 1.0
    gap = avg - target
    out.update(latest_year=last, latest_value=series[last], average_pct=avg, gap_pp=gap)
    reached = sign * gap >= -1e-9
    _finish(out, reached, last, end, sign * gap, GROWTH_MARGIN_PP)
    if last < end:
        out.update(required=required_average_growth_pct(target, end - start, index, end - last), required_unit="%",
                   required_kind="single_year" if end - last == 1 else "average")
    return out


def _level(fig: Mapping[str, Any], act: pd.DataFrame, base_figs: pd.DataFrame, start: int, end: int, year: int,
           unit: str) -> dict:
    """A level target: task progress from the base year's level, against time progress."""
    out: dict[str, Any] = dict(target_type="level")
    indicator = str(fig["indicator"])
    series = {y: _in_unit(v, u, unit) for y, (v, u) in _series(act, indicator).items()}
    base = series.get(start, math.nan)
    if math.isnan(base):
        rows = base_figs[(base_figs["indicator"] == indicator) & (base_figs["year"] == start)]
        if len(rows):
            base = _in_unit(float(rows["value"].iloc[0]), str(rows["unit"].iloc[0]), unit)
    out["base_value"] = base
    seen = [y for y in series if start < y <= year and not math.isnan(series[y])]
    if not seen:
        return out
    last = max(seen)
    latest, target = series[last], float(fig["value"])
    sign = -1.0 if direction_of(fig) == "at_most" else 1.0
    out.update(latest_year=last, latest_value=latest)
    progress = 100.0 * (latest - base) / (target - base) if not math.isnan(base) and target != base else math.nan
    out["progress_pct"] = progress
    reached = sign * (latest - target) >= -1e-9 * max(abs(target), 1.0)
    score = progress - time_progress_pct(last, start, end) if not math.isnan(progress) else math.nan
    _finish(out, reached, last, end, score, PROGRESS_MARGIN_PP)
    if math.isnan(score) and out["verdict"] not in ("achieved", "not_achieved", "achieved_early"):
        out["verdict"] = "no_data"  # no base-year level: progress cannot be measured
    remaining = end - last
    if remaining > 0 and not reached:
        if unit == "%":  # a rate (城镇化率): the change a year in percentage points
            out.update(required=(target - latest) / remaining, required_unit="pp")
        elif latest > 0:
            out.update(required=100.0 * ((target / latest) ** (1.0 / remaining) - 1.0), required_unit="%")
        out["required_kind"] = "single_year" if remaining == 1 else "average"
    return out


def _cumulative(fig: Mapping[str, Any], act: pd.DataFrame, start: int, end: int, year: int) -> dict:
    """A cumulative target over a period: the yearly actual rates compounded, progress = achieved / targeted."""
    out: dict[str, Any] = dict(target_type="cumulative")
    series = {y: v for y, (v, _) in _series(act, str(fig["indicator"]), "%").items()}
    fall = any(w in _text(fig.get("quote")) + _text(fig.get("note")) for w in _FALL_WORDS)
    last = start
    while last + 1 <= year and (last + 1) in series:
        last += 1
    if last == start:
        return out
    factor = 1.0
    for y in range(start + 1, last + 1):
        factor *= (1.0 - series[y] / 100.0) if fall else (1.0 + series[y] / 100.0)
    achieved = 100.0 * ((1.0 - factor) if fall else (factor - 1.0))
    target = float(fig["value"])
    progress = 100.0 * achieved / target if target else math.nan
    out.update(latest_year=last, latest_value=achieved, progress_pct=progress)
    reached = achieved >= target - 1e-9
    _finish(out, reached, last, end, progress - time_progress_pct(last, start, end), PROGRESS_MARGIN_PP)
    remaining = end - last
    if remaining > 0 and not reached:
        # the rate a year the remaining years need, compounded the same way
        left = (1.0 - target / 100.0) / factor if fall else (1.0 + target / 100.0) / factor
        rate = 100.0 * ((1.0 - left ** (1.0 / remaining)) if fall else (left ** (1.0 / remaining) - 1.0))
        out.update(required=rate, required_unit="%", required_kind="single_year" if remaining == 1 else "average")
    return out


@dataclass(frozen=True)
class GdpCheck:
    """GDP's own real growth so far against the growth the plan's sector floors imply.

    Attributes
    ----------
    start_year, end_year : int
        The floors' period (levels of ``start_year`` to ``end_year``).
    through_year : int or None
        Last year of the consecutive actual GDP growth rates from the period's first.
    average_pct : float
        GDP's actual average real growth so far, % a year (NaN without actuals).
    implied_pct : float
        The floors' implied GDP growth over the whole period, % a year (NaN without shares).
    gap_pp : float
        ``average_pct - implied_pct``.
    shares : tuple of float or None
        Base-year sector shares the floors are weighted by.
    shares_from : {"actuals", "scenarios", ""}
        Where the shares come from: the actual sector levels of the base year, or the scenarios' common
        base-year shares (an assumption of theirs); empty without shares.
    """

    start_year: int
    end_year: int
    through_year: int | None
    average_pct: float
    implied_pct: float
    gap_pp: float
    shares: tuple[float, float, float] | None
    shares_from: str


def gdp_against_floors(region: RegionData, actuals: pd.DataFrame | None, review_year: int,
                       scenario_shares: Sequence[float] | None = None) -> GdpCheck | None:
    """GDP's actual average real growth against what the three sector floors imply (None without three floors).

    Shares: the actual current-price value added of the three sectors in the
    floors' start year when the actuals give them, else ``scenario_shares``
    (the scenarios' own base-year assumption).
    """
    from .uncertainty import plan_targets  # the floors as the Monte Carlo checks them

    floors = {t.column: t for t in plan_targets(region) if t.column in SECTORS}
    if set(floors) != set(SECTORS) or len({(t.start_year, t.end_year) for t in floors.values()}) != 1:
        return None
    start, end = floors[SECTORS[0]].start_year, floors[SECTORS[0]].end_year
    act = pd.DataFrame(columns=["region", "indicator", "year", "value", "unit", "price_basis"]) \
        if actuals is None else actuals[(actuals["region"] == region.key) & (actuals["year"] <= int(review_year))]
    shares, source = None, ""
    levels = [_series(act, f"{s}_va", None, "current").get(start) for s in SECTORS]
    if all(levels):
        total = sum(_in_unit(v, u, "亿元") for v, u in levels)
        shares, source = tuple(_in_unit(v, u, "亿元") / total for v, u in levels), "actuals"
    elif scenario_shares is not None:
        shares, source = tuple(float(x) for x in scenario_shares), "scenarios"
    implied = math.nan
    if shares is not None:
        growth = [[floors[s].floor_pct for s in SECTORS]] * (end - start)
        implied = float(implied_aggregate_growth_pct(shares, growth).average_pct)
    series = {y: v for y, (v, _) in _series(act, "gdp_growth", "%", "comparable").items()}
    last = start
    while last + 1 <= min(int(review_year), end) and (last + 1) in series:
        last += 1
    average = 100.0 * (chained_index(series, start, last) ** (1.0 / (last - start)) - 1.0) if last > start else math.nan
    return GdpCheck(start_year=start, end_year=end, through_year=last if last > start else None,
                    average_pct=average, implied_pct=implied, gap_pp=average - implied, shares=shares,
                    shares_from=source)


def common_base_shares(scenarios: Sequence[Any], base_year: int) -> tuple[float, ...] | None:
    """The base-year sector shares every scenario of ``base_year`` assumes alike, else None."""
    found = {tuple(sc.sector_shares.as_array().tolist()) for sc in scenarios if sc.base_year == base_year}
    return found.pop() if len(found) == 1 else None
