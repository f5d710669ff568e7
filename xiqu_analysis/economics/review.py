"""Annual review: the region's actual figures against the plan's targets and the scenarios.

Inputs, loaded by the caller: the actuals (a user-supplied bulletin CSV,
:func:`xiqu_analysis.inputs.bulletins.load_bulletin`), the scenarios and the
region's data. No actual figure ships with the project (none is public).

What :func:`annual_review` computes (one frozen :class:`Review`):

* **plan path** -- the plan's growth floors (for Xiqu plan ch.2 §4.2: industry
  >= 7.5 %, services >= 8.5 %, agriculture >= 3.5 % a year 2021-2025, real;
  :func:`xiqu_analysis.economics.uncertainty.plan_targets`) applied from the
  base year: each actual real growth rate against its floor, and the
  cumulative real growth since the base year (chained actual rates) against
  the floor's path ``(1 + floor)^(t - base)``;
* **required growth** -- for each floor, the actual average so far, its gap to
  the floor (pp), ``ahead``/``behind`` (or ``met``/``missed`` once the whole
  period is observed) and the average growth now needed over the remaining
  years: ``required_growth_pct(index at L, (1 + floor)^n, end - L)``;
* **scorecard** -- every target of the region's data (growth floors and level
  targets) scored on the actuals alone;
* **scenario scores** -- each actual against each scenario's projection, a
  summary per scenario and indicator, and the scenarios ranked by how well
  they tracked real growth (:mod:`xiqu_analysis.economics.review_scores`);
* **re-based projections** -- each scenario's level path moved onto the latest
  actual (``rebased_t = actual_L * projected_t / projected_L``), and the
  outlook in the next plan's end year and the long-range year against the
  original path;
* **targets ahead** -- :func:`xiqu_analysis.economics.solver.solve` on each
  scenario re-based on the actuals (:func:`xiqu_analysis.economics.rebase.rebase_scenario`):
  the constant growth that reaches each target exactly from the latest actual
  year, and the year each scenario reaches it;
* with ``final=True``, the **final review** of the plan period: scores
  restricted to the period's years, and the scorecard is the verdict on it.

Levels are compared with levels at the same price basis, real growth rates
with real growth rates (:mod:`xiqu_analysis.economics.actuals`); nothing
derives real growth from current-price levels. Units: 亿元 = 1e8 yuan; growth
in % a year; gaps in pp. The result holds codes and numbers only;
:mod:`xiqu_analysis.reports.sections.annual_review` writes the words.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import pandas as pd

from ..errors import InputError
from ..inputs.bulletins import empty_bulletin
from ..inputs.regions import RegionData
from ..inputs.scenario import Scenario, scenario_from_dict
from ..periods import parse_period
from ..units import UNIT_FACTORS, convert
from .actuals import actual_growth, actual_levels, chained_index
from .calibration import calibration_from_bulletin
from .columns import COLUMN_PRICE_BASIS
from .evaluation import Evaluation, GdpCheck, common_base_shares, evaluate_plan, gdp_against_floors
from .growth import required_growth_pct
from .projection import project
from .rebase import rebase_scenario
from .review_scores import (BANDS, OUTLOOK_COLUMNS, SCORE_COLUMNS, fan_band, outlook, rebase_path, score_rows,
                            score_summary, tracking)
from .solver import SOLVE_COLUMNS, SolveTarget, solve_table
from .target_gaps import direction_of
from .uncertainty import plan_targets, simulate

__all__ = [
    "BANDS",
    "Review",
    "plan_floors",
    "fan_band",
    "rebase_path",
    "scorecard",
    "default_targets",
    "annual_review",
    "REQUIRED_COLUMNS",
    "SCORECARD_COLUMNS",
]

#: columns of :attr:`Review.required`
REQUIRED_COLUMNS = ("target", "column", "floor_pct", "period", "from_year", "achieved_avg_pct", "gap_pp",
                    "years_left", "required_pct", "chained_indicator", "period_over", "outcome", "status")
#: columns of :attr:`Review.scorecard`
SCORECARD_COLUMNS = ("id", "indicator", "target_type", "period", "year", "target", "unit", "direction", "actual",
                     "gap", "gap_unit", "through_year", "status", "source", "quote")
_TOL = 1e-9


# --------------------------------------------------------------------------- inputs
def plan_floors(region: RegionData) -> pd.DataFrame:
    """The region's growth floors: label, column (projection level column), start_year, end_year, floor_pct, note, direction.

    From :func:`xiqu_analysis.economics.uncertainty.plan_targets` (the region's
    target figures; for Xiqu plan ch.2 §4.2).
    """
    rows = [dict(label=tg.label, column=tg.column, start_year=tg.start_year, end_year=tg.end_year,
                 floor_pct=tg.floor_pct, note=tg.note, direction=tg.direction) for tg in plan_targets(region)]
    return pd.DataFrame(rows, columns=["label", "column", "start_year", "end_year", "floor_pct", "note", "direction"])


def default_targets(region: RegionData) -> tuple[SolveTarget, ...]:
    """Targets solved when none are given: real GDP doubling from the base year by the long-range year.

    (For Xiqu 2020 -> 2035: the national goal year, not a target of the plan;
    an assumption the reports label.)
    """
    base, year = region.info.base_year, region.info.long_range_year
    if year is None or year <= base:
        return ()
    return (SolveTarget("gdp_real", int(year), from_year=int(base), multiple=2.0,
                        text=f"gdp_real x2 from {base} by {year}"),)


# --------------------------------------------------------------------------- review
@dataclass(frozen=True)
class Review:
    """Result of :func:`annual_review`. Every table is tidy; units in the ``unit`` columns.

    Attributes
    ----------
    review_year : int
    base_year : int
        The plan's base year (the region's ``base_year``).
    plan_end : int
        The plan's last year (the region's ``plan_end_year``).
    final : bool
        A final review of the plan period (``base_year + 1 .. plan_end``).
    latest_year : int or None
        Latest year with an actual after the base year (None: none).
    actuals : pandas.DataFrame
        The actuals used (bulletin columns).
    plan_comparison : pandas.DataFrame
        indicator, column, year, actual_growth_pct, floor_pct, gap_pp,
        actual_index (cumulative real growth since the base year, base = 1),
        floor_index, index_gap_pct, source.
    required : pandas.DataFrame
        :data:`REQUIRED_COLUMNS`: per floor the actual average so far
        (``achieved_avg_pct``) and its ``gap_pp`` to the floor, the years left,
        the growth now required; ``status`` ``no_actual``, ``ahead``,
        ``behind``, ``met`` or ``missed`` (the last two once the period is
        observed to its end, ``period_over``; ``outcome`` repeats them).
    scorecard : pandas.DataFrame
        :data:`SCORECARD_COLUMNS`: every target of the region on the actuals;
        status ``met``/``missed`` (observed to its end), ``ahead``/``behind``
        (so far), ``no_actual``.
    scenario_scores : pandas.DataFrame
        :data:`~xiqu_analysis.economics.review_scores.SCORE_COLUMNS` (long).
    score_summary, tracking : pandas.DataFrame
        See :func:`~xiqu_analysis.economics.review_scores.score_summary` and
        :func:`~xiqu_analysis.economics.review_scores.tracking`.
    rebased : pandas.DataFrame
        scenario, indicator, column, unit, year, projected, rebased.
    outlook : pandas.DataFrame
        :data:`~xiqu_analysis.economics.review_scores.OUTLOOK_COLUMNS` in :attr:`outlook_years`.
    outlook_years : tuple of int
        The next plan's end year (``plan_end + 5``) and the long-range year.
    solved : pandas.DataFrame
        :data:`~xiqu_analysis.economics.solver.SOLVE_COLUMNS` plus ``on``
        (``rebased``/``original``) and ``scenario_base_year``.
    targets : tuple of SolveTarget
    index_paths : pandas.DataFrame
        For the charts of real growth: column, series (``actual``, ``floor``,
        ``scenario``), scenario, year, index (base year = 100).
    level_paths : pandas.DataFrame
        scenario, column, unit, year, projected: every projected year of each
        level column that has actuals.
    levels : pandas.DataFrame
        The actual levels in the projection's columns and units, base year
        included (:func:`xiqu_analysis.economics.actuals.actual_levels`).
    calibration : pandas.DataFrame
        Uncertainty settings estimated from the actuals' sector real growth
        series (:func:`xiqu_analysis.economics.calibration.calibration_from_bulletin`).
    scenario_errors : tuple of str
        Scenarios that could not be projected (scenario name and the one-line reason).
    evaluation : Evaluation or None
        Every target of the plan evaluated on the actuals: progress against
        time progress and a verdict each (:func:`xiqu_analysis.economics.evaluation.evaluate_plan`).
    gdp_check : GdpCheck or None
        GDP's own real growth so far against the growth the sector floors imply
        (:func:`xiqu_analysis.economics.evaluation.gdp_against_floors`; shares from the
        actuals, else the scenarios' common base-year shares).
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
    plan_end: int = 0
    final: bool = False
    scorecard: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    score_summary: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    tracking: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    outlook: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    outlook_years: tuple[int, ...] = ()
    solved: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    targets: tuple[SolveTarget, ...] = ()
    index_paths: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    level_paths: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    levels: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    evaluation: Evaluation | None = field(repr=False, default=None)
    gdp_check: GdpCheck | None = field(repr=False, default=None)

    @property
    def has_actuals(self) -> bool:
        """True if at least one actual after the base year was supplied."""
        return self.latest_year is not None

    @property
    def table(self) -> pd.DataFrame:
        """The main table: each actual against each scenario's projection."""
        return self.scenario_scores

    @property
    def best_scenario(self) -> str | None:
        """The scenario that tracked the actuals best (rank 1 of :attr:`tracking`), or None."""
        if self.tracking.empty:
            return None
        best = self.tracking[self.tracking["rank"] == 1]
        return str(best["scenario"].iloc[0]) if len(best) else None


def _plan_comparison(growth: pd.DataFrame, floors: pd.DataFrame, base_year: int) -> pd.DataFrame:
    rows = []
    for ind, g in growth.groupby("indicator", sort=True):
        col = str(g["column"].iloc[0])
        fl = floors[floors["column"] == col]
        if fl.empty:
            continue
        f = fl.iloc[0]
        series = dict(zip(g["year"].astype(int), g["growth_pct"].astype(float)))
        index = 1.0
        year = base_year + 1
        while year in series:  # chain only consecutive years from the base year on
            index *= 1.0 + series[year] / 100.0
            floor_index = (1.0 + float(f["floor_pct"]) / 100.0) ** (year - base_year)
            in_period = int(f["start_year"]) < year <= int(f["end_year"])
            rows.append(dict(indicator=ind, column=col, year=year, actual_growth_pct=series[year],
                             floor_pct=float(f["floor_pct"]) if in_period else math.nan,
                             gap_pp=series[year] - float(f["floor_pct"]) if in_period else math.nan,
                             actual_index=index, floor_index=floor_index,
                             index_gap_pct=100.0 * (index / floor_index - 1.0), source=str(f["label"])))
            year += 1
    cols = ["indicator", "column", "year", "actual_growth_pct", "floor_pct", "gap_pp", "actual_index",
            "floor_index", "index_gap_pct", "source"]
    return pd.DataFrame(rows, columns=cols)


def _meets(value: float, bound: float, direction: str) -> bool:
    return value <= bound + _TOL if direction == "at_most" else value >= bound - _TOL


def _required_table(plan_cmp: pd.DataFrame, floors: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for f in floors.itertuples():
        start, end = int(f.start_year), int(f.end_year)
        target_index = (1.0 + float(f.floor_pct) / 100.0) ** (end - start)
        got = plan_cmp[(plan_cmp["column"] == f.column) & (plan_cmp["year"] <= end)] if not plan_cmp.empty else plan_cmp
        if got.empty:
            from_year, idx, achieved, chained = start, 1.0, math.nan, ""
        else:
            last = got.iloc[-1]
            from_year, idx = int(last["year"]), float(last["actual_index"])
            achieved = 100.0 * (idx ** (1.0 / (from_year - start)) - 1.0)
            chained = str(last["indicator"])
        left = end - from_year
        gap = achieved - float(f.floor_pct)
        if left > 0:
            required, outcome = required_growth_pct(idx, target_index, left), ""
            status = "no_actual" if not chained else "ahead" if _meets(achieved, f.floor_pct, f.direction) else "behind"
        else:
            required = math.nan
            outcome = "met" if _meets(achieved, f.floor_pct, f.direction) else "missed"
            status = outcome
        rows.append(dict(target=f.label, column=f.column, floor_pct=float(f.floor_pct), period=f"{start + 1}-{end}",
                         from_year=from_year, achieved_avg_pct=achieved, gap_pp=gap, years_left=left,
                         required_pct=required, chained_indicator=chained, period_over=left <= 0, outcome=outcome,
                         status=status))
    return pd.DataFrame(rows, columns=list(REQUIRED_COLUMNS))


def scorecard(actuals: pd.DataFrame, region: RegionData, up_to: int) -> pd.DataFrame:
    """Every ``kind == "target"`` figure of the region scored on the actuals of years up to ``up_to``.

    A growth target (a period and ``%``) takes the actual rates of its own
    indicator at its price basis, chained over consecutive years of the
    period; a level target (a year) the actual of its indicator in that year,
    converted to the target's unit. ``gap`` = actual - target (pp for growth).
    """
    figs = region.figures
    figs = figs[(figs["kind"].astype(str) == "target") & (figs["region"].astype(str) == region.key)]
    act = actuals[actuals["region"] == region.key] if not actuals.empty else actuals
    rows = []
    for r in figs.to_dict("records"):
        direction = direction_of(r)
        sel = act[act["indicator"] == r["indicator"]] if not act.empty else act
        period = r["period"] if isinstance(r["period"], str) and r["period"] else ""
        base = dict(id=r["id"], indicator=r["indicator"], period=period,
                    year=None if pd.isna(r["year"]) else int(r["year"]), target=float(r["value"]), unit=str(r["unit"]),
                    direction=direction, source=str(r["source"]), quote=str(r.get("quote") or ""))
        if period and r["unit"] == "%":
            a, b = parse_period(period)
            sel = sel[(sel["unit"] == "%") & (sel["price_basis"] == r["price_basis"])]
            series = dict(zip(sel["year"].astype(int), sel["value"].astype(float)))
            last = a - 1
            while last + 1 <= min(b, up_to) and (last + 1) in series:
                last += 1
            if last < a:
                rows.append(dict(base, target_type="growth", actual=math.nan, gap=math.nan, gap_unit="pp",
                                 through_year=None, status="no_actual"))
                continue
            avg = 100.0 * (chained_index(series, a - 1, last) ** (1.0 / (last - a + 1)) - 1.0)
            ok = _meets(avg, float(r["value"]), direction)
            status = ("met" if ok else "missed") if last == b else ("ahead" if ok else "behind")
            rows.append(dict(base, target_type="growth", actual=avg, gap=avg - float(r["value"]), gap_unit="pp",
                             through_year=last, status=status))
            continue
        year = base["year"] if base["year"] is not None else (parse_period(period)[1] if period else None)
        hit = sel[sel["year"] == year] if year is not None and year <= up_to else sel.iloc[0:0]
        value = math.nan
        if len(hit):
            try:
                value = convert(float(hit["value"].iloc[0]), str(hit["unit"].iloc[0]), str(r["unit"])) \
                    if r["unit"] in UNIT_FACTORS and hit["unit"].iloc[0] in UNIT_FACTORS else math.nan
            except ValueError:
                value = math.nan
        status = "no_actual" if math.isnan(value) else ("met" if _meets(value, float(r["value"]), direction) else "missed")
        rows.append(dict(base, target_type="level", actual=value, gap=value - float(r["value"]), gap_unit=str(r["unit"]),
                         through_year=year if status != "no_actual" else None, status=status))
    out = pd.DataFrame(rows, columns=list(SCORECARD_COLUMNS))
    for c in ("year", "through_year"):
        out[c] = out[c].astype("Int64")
    return out


def _index_paths(growth: pd.DataFrame, floors: pd.DataFrame, projections: dict, base: int, last: int) -> pd.DataFrame:
    """Real-growth index paths (base = 100) for the charts: actual, floor, each scenario."""
    rows = []
    columns = list(dict.fromkeys([*floors["column"], *(["gdp_real"] if (growth["column"] == "gdp_real").any() else [])]))
    for col in columns:
        g = growth[growth["column"] == col]
        if not g.empty:
            series = dict(zip(g["year"].astype(int), g["growth_pct"].astype(float)))
            year, index = base, 100.0
            rows.append(dict(column=col, series="actual", scenario="", year=base, index=100.0))
            while year + 1 in series:
                year += 1
                index *= 1.0 + series[year] / 100.0
                rows.append(dict(column=col, series="actual", scenario="", year=year, index=index))
        for f in floors[floors["column"] == col].itertuples():
            for year in range(int(f.start_year), int(f.end_year) + 1):
                rows.append(dict(column=col, series="floor", scenario="", year=year,
                                 index=100.0 * (1.0 + f.floor_pct / 100.0) ** (year - int(f.start_year))))
        for name, res in projections.items():
            if res.base_year != base:
                continue  # its levels start elsewhere: no index from the plan's base year
            path = res.column(col)
            for year in range(base, min(last, res.end_year) + 1):
                rows.append(dict(column=col, series="scenario", scenario=name, year=year,
                                 index=100.0 * float(path.loc[year]) / float(path.loc[base])))
    return pd.DataFrame(rows, columns=["column", "series", "scenario", "year", "index"])


def _history(rebased: Scenario, target: SolveTarget, levels: pd.DataFrame, growth: pd.DataFrame) -> dict:
    """Levels of a target's column before a scenario's base year (a re-based one), in the scenario's units.

    Real columns: the scenario's base-year level divided by the actual real
    growth chained back to the target's ``from`` year; current-price and
    physical columns: the actual level of that year.
    """
    start, L = target.from_year, rebased.base_year
    if start is None or start >= L:
        return {}
    if COLUMN_PRICE_BASIS.get(target.column) == "constant":  # real: the actual real growth chained back from L
        g = growth[growth["column"] == target.column]
        index = chained_index(dict(zip(g["year"].astype(int), g["growth_pct"].astype(float))), start, L)
        if index is None:
            return {}
        level_L = float(project(rebased).at(L, target.column))
        return {start: level_L / index}
    hit = levels[(levels["column"] == target.column) & (levels["year"] == start)]
    return {start: float(hit["value"].iloc[0])} if len(hit) else {}


def _solve(scenarios: Sequence[Scenario], targets: Sequence[SolveTarget], actuals: pd.DataFrame, year: int,
           region: RegionData, levels: pd.DataFrame, growth: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for sc in scenarios:
        on, subject = "original", sc
        try:
            rb = rebase_scenario(sc, actuals, year, region, actuals_ref="actuals")
            subject = scenario_from_dict({**rb.data, "title": str(sc.title)}, source=f"{sc.name} re-based")
            on = "rebased"
        except InputError:
            pass  # no actual GDP level to re-base on: solved on the scenario as it is
        hist = {t.column: _history(subject, t, levels, growth) for t in targets}  # levels before its base year
        table = solve_table([subject], targets, {subject.name: hist})
        table["scenario"] = sc.name
        table["on"] = on
        table["scenario_base_year"] = subject.base_year
        frames.append(table)
    if not frames:
        return pd.DataFrame(columns=[*SOLVE_COLUMNS, "on", "scenario_base_year"])
    return pd.concat(frames, ignore_index=True)


def annual_review(review_year: int, actuals: pd.DataFrame | None, scenarios: Sequence[Scenario],
                  region: RegionData, *, n_paths: int = 2000, final: bool = False,
                  targets: Sequence[SolveTarget] | None = None) -> Review:
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
    final : bool
        Final review of the plan period: scenarios are scored on the period's
        years only (``base_year + 1 .. plan_end_year``).
    targets : sequence of SolveTarget, optional
        Targets to solve on the re-based scenarios; default :func:`default_targets`.
    """
    base_year = region.info.base_year
    plan_end = int(region.info.plan_end_year if region.info.plan_end_year is not None else review_year)
    if actuals is None:
        actuals = empty_bulletin()
    actuals = actuals[(actuals["region"] == region.key) & (actuals["year"] <= int(review_year))].reset_index(drop=True)
    after = actuals[actuals["year"] > base_year]
    latest = int(after["year"].max()) if not after.empty else None
    floors = plan_floors(region)
    levels, growth = actual_levels(actuals, region), actual_growth(actuals, region)
    plan_cmp = _plan_comparison(growth, floors, base_year)
    required = _required_table(plan_cmp, floors)
    card = scorecard(actuals, region, int(review_year))
    scored_years = range(base_year + 1, (min(plan_end, int(review_year)) if final else int(review_year)) + 1)

    scores, rebased, errors, projections, level_rows = [], [], [], {}, []
    for sc in scenarios:
        try:
            res = project(sc)
        except InputError as exc:
            errors.append(f"{sc.name}: {exc}")
            continue
        projections[sc.name] = res
        sim = simulate(sc, region, n_paths=n_paths) if latest is not None else None
        scores += score_rows(sc.name, res, sim, levels, growth, scored_years)
        for col, grp in levels.groupby("column", sort=False):
            if col not in res.table.columns:  # a registry indicator this scenario does not project
                continue
            path = res.column(col)
            level_rows += [dict(scenario=sc.name, column=col, unit=str(grp["unit"].iloc[0]), year=int(y),
                                projected=float(v)) for y, v in path.items()]
            last = grp[grp["year"] > base_year]
            if last.empty:
                continue
            lr = last.loc[last["year"].idxmax()]
            if res.base_year < int(lr["year"]) <= res.end_year:
                rb = rebase_path(path, int(lr["year"]), float(lr["value"]))
                rebased += [dict(scenario=sc.name, indicator=str(lr["indicator"]), column=col, unit=str(lr["unit"]),
                                 year=int(y), projected=float(path.loc[y]), rebased=float(v)) for y, v in rb.items()]
    scores_df = pd.DataFrame(scores, columns=list(SCORE_COLUMNS))
    rebased_df = pd.DataFrame(rebased, columns=["scenario", "indicator", "column", "unit", "year", "projected", "rebased"])
    years = tuple(y for y in (plan_end + 5, region.info.long_range_year) if y is not None)
    kept = [sc for sc in scenarios if sc.name in projections]
    targets = tuple(default_targets(region) if targets is None else targets)
    calibration = calibration_from_bulletin(actuals, region.indicators, region.key).table
    return Review(review_year=int(review_year), base_year=base_year, latest_year=latest, actuals=actuals,
                  plan_comparison=plan_cmp, scenario_scores=scores_df, rebased=rebased_df, required=required,
                  calibration=calibration, scenario_errors=tuple(errors), plan_end=plan_end, final=bool(final),
                  scorecard=card, score_summary=score_summary(scores_df),
                  tracking=tracking(scores_df, [sc.name for sc in kept]),
                  outlook=outlook(rebased_df, years) if not rebased_df.empty else pd.DataFrame(columns=list(OUTLOOK_COLUMNS)),
                  outlook_years=years, solved=_solve(kept, targets, actuals, int(review_year), region, levels, growth),
                  targets=targets,
                  index_paths=_index_paths(growth, floors, projections, base_year, max(plan_end, latest or base_year)),
                  level_paths=pd.DataFrame(level_rows, columns=["scenario", "column", "unit", "year", "projected"]),
                  levels=levels, evaluation=evaluate_plan(region, actuals, int(review_year)),
                  gdp_check=gdp_against_floors(region, actuals, int(review_year), common_base_shares(kept, base_year)))

