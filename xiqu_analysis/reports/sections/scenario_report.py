"""The sections of ``notebooks/scenario_report``: one scenario from its base year to its horizon.

The notebook calls :func:`start` with its namespace, then one function per
section; each writes a heading, a narrative, tables and figures through the
run's :class:`~xiqu_analysis.reports.formats.artifacts.Report`. Inputs are loaded once
(:class:`ScenarioRun`); the Monte Carlo and the sensitivity analysis run in
their sections.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

from ...economics.projection import ProjectionResult, project
from ...economics.sensitivity import sensitivity
from ...economics.targets import TargetAnalysis, analyse_targets
from ...economics.uncertainty import simulate
from ...inputs.regions import RegionData
from ...inputs.scenario import Scenario, load_scenario_with_region
from ..words import narrative
from ..charts import plots
from ..formats.artifacts import Report
from ..words.codes import sensitivity_note
from .end_notes import end_notes
from .method_note import section_method, section_observed
from ..parameters import Resolved, from_namespace, resolve
from ..tables.plan_tables import main_indicators_table, plan_period, projection_table, sector_table, yearly_shown
from ..tables.scenario import (
    benchmark_per_capita,
    figure_citation,
    gap_chart_rows,
    headline_table,
    headline_years,
    input_name,
    inputs_table,
    per_capita_base_note,
    probabilities_table,
    probability_labels,
    provenance_table,
    reported_per_capita,
    target_rows,
    targets_table,
)
from ..words.text import column_header, fmt_number, fmt_period, fmt_prob, label, mid_sentence, scenario_text, t

__all__ = [
    "ScenarioRun",
    "start",
    "FAN_INDICATORS",
    "section_intro",
    "section_headline",
    "section_main_indicators",
    "section_gdp",
    "section_structure",
    "section_per_capita",
    "section_income_revenue",
    "section_targets",
    "section_uncertainty",
    "section_sensitivity",
    "section_yearly",
    "section_inputs",
    "section_observed",
    "section_method",
    "tornado_rows",
    "percentiles_shown",
    "sensitivity_shown",
]

#: simulated indicators that get a fan chart
FAN_INDICATORS = ("gdp_real", "gdp_per_capita", "fiscal_revenue")


@dataclass
class ScenarioRun:
    """What one scenario report reads and computes, loaded once."""

    params: Resolved
    report: Report
    scenario: Scenario
    region: RegionData
    projection: ProjectionResult
    analysis: TargetAnalysis
    provenance: pd.DataFrame
    years: list[int] = field(default_factory=list)

    @property
    def lang(self) -> str:
        """Report language."""
        return self.params.language

    def finish(self):
        """The notes every report ends with (附注), then the workbook, the text and the final ``artifacts.json``."""
        end_notes(self.report, self.lang, self.projection.base_year)
        return self.report.finish()


def open_run(params: Resolved) -> ScenarioRun:
    """Load the scenario and its region, project it, set it against the targets, open the report."""
    scenario, region = load_scenario_with_region(params.scenario_files[0])
    projection = project(scenario)
    analysis = analyse_targets(scenario, region, result=projection)
    rep = Report(params.output_dir, params.language, notebook="scenario_report", parameters=params.as_dict())
    return ScenarioRun(params, rep, scenario, region, projection, analysis,
                       provenance_table(scenario, region, params.language), headline_years(projection, region))


def start(namespace: Mapping[str, Any]) -> ScenarioRun:
    """Check the notebook's parameters (its ``globals()``), load the inputs, open the report."""
    return open_run(resolve(from_namespace("scenario_report", namespace)))


def _plan_end(run: ScenarioRun) -> int | None:
    return run.region.info.plan_end_year


def section_intro(run: ScenarioRun) -> None:
    """Title and the scenario's own description (escaped)."""
    run.report.heading(t("heading.scenario_report", run.lang, title=scenario_text(run.scenario.title, run.lang)[0]),
                       level=1)
    run.report.markdown(narrative.scenario_intro(run.scenario, run.lang, region_name=run.region.info.name(run.lang)))


def _implied(run: ScenarioRun):
    """(implied %, status, citation) of the first implied aggregate, or Nones."""
    analysis = run.analysis
    if not analysis.implied_aggregate:
        return None, "assumed", None
    ia = analysis.implied_aggregate[0]
    prov = run.provenance
    shares = prov[prov["input"].astype(str).str.startswith("sector_shares")]
    status = "sourced" if len(shares) and (shares["status"] == "sourced").all() else "assumed"
    return ia.average_pct, status, ", ".join(ia.figure_ids.values())


def section_headline(run: ScenarioRun) -> None:
    """Headline table (base year, plan end, long-range year) and the growth narrative."""
    lang, rep, projection = run.lang, run.report, run.projection
    rep.heading(t("heading.headline", lang))
    implied, status, cite = _implied(run)
    mid, end = (run.years[1:] + [None, None])[:2]
    rep.markdown(narrative.growth_narrative(projection, run.provenance, lang, mid_year=mid, end_year=end,
                                            implied_pct=implied, implied_citation=cite, implied_status=status))
    caption = t("caption.headline", lang, years=t("unit.list_separator", lang).join(str(y) for y in run.years))
    # a base-year figure that differs from the plan's carries its reason in the table's own note
    rep.table(headline_table(projection, lang, run.years), "headline",
              plots.with_note(caption, per_capita_base_note(projection, run.region, run.provenance, lang), lang))


def section_main_indicators(run: ScenarioRun) -> None:
    """The plan's main indicators as a planning office lays them out (主要指标表)."""
    lang, rep = run.lang, run.report
    base, end = plan_period(run.projection, run.region)
    rep.heading(t("heading.main_indicators", lang))
    rep.table(main_indicators_table(run.projection, run.analysis, run.region, run.provenance, lang), "main_indicators",
              t("caption.main_indicators", lang, period=fmt_period(base + 1, end, lang)))


def _caption(run: ScenarioRun, text: str, chart: str | None = None, columns: tuple[str, ...] = ()) -> str:
    """A figure's caption and, once, the note that its dashed series rest on assumptions (``chart``'s
    columns or ``columns``); with neither, that every projected value does."""
    lang = run.lang
    if chart is None and not columns:
        return plots.with_note(text, t("plot.note_projected", lang), lang)
    cols = plots.CHART_COLUMNS.get(chart, ()) + tuple(columns)
    return plots.with_note(text, plots.assumed_note(cols, run.projection.assumed_columns, lang), lang)


def section_gdp(run: ScenarioRun) -> None:
    """Real and nominal GDP paths."""
    lang, projection = run.lang, run.projection
    run.report.heading(t("heading.gdp", lang))
    run.report.figure(plots.gdp_paths(projection.table, lang, projection.assumed_columns), "gdp_paths",
                      _caption(run, t("caption.gdp_paths", lang, year=projection.base_year), "gdp_paths"))


def section_structure(run: ScenarioRun) -> None:
    """Sector shares and each sector's pull on growth."""
    lang, rep, projection = run.lang, run.report, run.projection
    rep.heading(t("heading.structure", lang))
    rep.markdown(narrative.structure_narrative(projection, run.provenance, lang, year1=_plan_end(run)))
    rep.table(sector_table(projection, run.region, lang), "sectors",
              t("caption.sectors", lang, year=projection.base_year))
    rep.figure(plots.sector_structure(projection.table, lang, projection.assumed_columns), "sector_structure",
               _caption(run, t("caption.sector_structure", lang), "sector_structure"))
    rep.heading(t("heading.contributions", lang), level=3)
    rep.figure(plots.contributions(projection.table, lang, projection.assumed_columns), "contributions",
               _caption(run, t("caption.contributions", lang), "contributions"))


def section_per_capita(run: ScenarioRun) -> None:
    """Per-capita GDP against the benchmark region's (when the data have one)."""
    lang, rep, projection = run.lang, run.report, run.projection
    bench = benchmark_per_capita(run.region, projection.base_year, lang)
    if bench is None:
        return
    rep.heading(t("heading.per_capita", lang, benchmark=bench.region.name(lang)))
    fig = reported_per_capita(run.region, projection.base_year)
    reported = None
    reported_points = None
    if fig is not None:
        reported = narrative.sourced(float(fig.value), "yuan", figure_citation(run.region, fig, lang))
        reported_points = {int(fig.year): float(fig.value)}
    rep.markdown(narrative.per_capita_narrative(projection, run.provenance, bench, lang, year1=_plan_end(run),
                                                reported=reported, region_name=run.region.info.name(lang)))
    constant = bench.year == projection.base_year  # like with like: the region at the benchmark year's prices
    column = "gdp_per_capita_real" if constant else "gdp_per_capita"
    names = dict(region=run.region.info.name(lang), benchmark=bench.region.name(lang), year=bench.year)
    rep.figure(plots.per_capita_vs_benchmark(
        projection.table, bench.value_yuan, bench.year, lang, projection.assumed_columns, reported=reported_points,
        region_name=run.region.info.name(lang), benchmark_name=bench.region.name(lang), column=column,
        series_label=t("per_capita_plot.region_constant", lang, **names) if constant else None,
        benchmark_label=t("per_capita_plot.benchmark_derived", lang, **names)),
        "per_capita", _caption(run, t("per_capita_plot.caption_constant" if constant else "caption.per_capita", lang,
                                      **names), columns=(column,)))


def section_income_revenue(run: ScenarioRun) -> None:
    """Urban income and budget revenue."""
    lang, rep, projection = run.lang, run.report, run.projection
    rep.heading(t("heading.income_revenue", lang))
    rep.markdown(narrative.income_revenue_narrative(projection, run.provenance, lang, year1=_plan_end(run)))
    rep.figure(plots.income_and_revenue(projection.table, lang, projection.assumed_columns), "income_revenue",
               _caption(run, t("caption.income_revenue", lang), "income_revenue"))


def section_targets(run: ScenarioRun) -> None:
    """The plan's targets against the scenario."""
    lang, rep, analysis = run.lang, run.report, run.analysis
    rep.heading(t("heading.targets", lang))
    rep.markdown(narrative.targets_narrative(target_rows(analysis, lang, run.region), lang))
    rep.table(targets_table(analysis, lang, run.region), "targets", t("caption.target_table", lang))
    rows = gap_chart_rows(analysis, lang)
    if len(rows):
        rep.figure(plots.target_gaps(rows, lang, unit_label=t("plot.target_gaps.unit", lang)), "target_gaps",
                   _caption(run, t("caption.target_gaps", lang)))


def section_uncertainty(run: ScenarioRun) -> None:
    """Monte Carlo fan charts, target probabilities and percentiles."""
    lang, rep, projection, analysis = run.lang, run.report, run.projection, run.analysis
    params = run.params.parameters
    simulation = simulate(run.scenario, run.region, n_paths=params.n_paths, random_state=params.seed)
    rep.heading(t("heading.uncertainty", lang))
    rep.markdown(narrative.uncertainty_narrative(simulation.percentiles, simulation.probabilities, lang,
                                                 year=run.years[-1], n_paths=simulation.n_paths, seed=simulation.seed,
                                                 labels=probability_labels(analysis, lang)))
    d = analysis.doubling
    for ind in FAN_INDICATORS:
        target = None
        if ind == "gdp_real" and d is not None and d.by_year <= projection.end_year:
            target = (d.by_year, 2.0 * d.base_value, t("plot.fan.doubling", lang, year0=d.base_year, year=d.by_year))
        rep.figure(plots.fan_chart(simulation.percentiles, ind, lang, deterministic=projection.table, target=target),
                   f"fan_{ind}", _caption(run, t("caption.fan", lang, name=label(ind, lang, year=projection.base_year),
                                                 n=fmt_number(simulation.n_paths, 0, lang), seed=simulation.seed)))
    probabilities = probabilities_table(simulation, analysis, lang, run.region)
    col = probabilities.columns[1]
    shown = probabilities.assign(**{col: [_prob_text(p, lang) for p in probabilities[col]]})
    rep.table(probabilities, "probabilities",
              t("caption.probabilities", lang, n=fmt_number(simulation.n_paths, 0, lang)), show=shown)
    pct = simulation.percentiles
    shown_years = sorted({int(pct["year"].min()), *[y for y in run.years if y in set(pct["year"])],
                          int(pct["year"].max())})
    rep.table(percentiles_shown(pct, lang, projection.base_year), "percentiles",
              t("caption.percentiles", lang, years=t("unit.list_separator", lang).join(map(str, shown_years))),
              show=percentiles_shown(pct[pct["year"].isin(shown_years)], lang, projection.base_year))


def _prob_text(percent: float, lang: str) -> str:
    return fmt_prob(percent / 100.0, lang)


def percentiles_shown(pct: pd.DataFrame, lang: str, base_year: int) -> pd.DataFrame:
    """Percentiles as a reader sees them: indicator names, unit names, headers in ``lang``."""
    out = pct.copy()
    out["indicator"] = [label(i, lang, year=base_year) for i in out["indicator"]]
    out["unit"] = [t("unit_name.yi" if u == "亿元" else "unit_name.yuan", lang) for u in out["unit"]]
    return out.rename(columns=lambda c: column_header(c, lang))


def tornado_rows(sens: pd.DataFrame, output: str = "gdp_real", year: int | None = None) -> tuple[pd.DataFrame, int]:
    """Rows of a sensitivity table for one output and year (default: the last year), with a ``label``."""
    data = sens[sens["output"] == output]
    if len(data):
        year = int(year) if year is not None and int(year) in set(data["year"]) else int(data["year"].max())
        data = data[data["year"] == year]
    data = data.copy()
    step = data["step"].map(lambda x: f"{float(x):.3g}")
    data["label"] = data["input"].astype(str) + " ± " + step + " " + data["unit_of_step"].astype(str)
    swing = (data["high"] - data["low"]).abs()
    data = data[swing.notna() & (swing > 0)]  # inputs that do not move this output are left out of the chart
    return data.reset_index(drop=True), year


def section_sensitivity(run: ScenarioRun, output: str = "gdp_real") -> None:
    """One-at-a-time sensitivity: the tornado chart and the table."""
    lang, rep = run.lang, run.report
    sens = sensitivity(run.scenario, run.region)
    rep.heading(t("heading.sensitivity", lang))
    rows, year = tornado_rows(sens, output)
    rows["label"] = [step_label(r, lang) for r in rows.to_dict("records")]
    name = label(output, lang, year=run.projection.base_year)
    rep.markdown(narrative.sensitivity_narrative(rows.assign(input=[input_name(i, lang) for i in rows["input"]]), lang,
                                                 output_label=mid_sentence(name, lang), year=year))
    rep.markdown(t("method.sensitivity_steps", lang))
    if len(rows):
        rep.figure(plots.tornado(rows, lang, unit_label=t("plot.tornado.unit", lang, name=name, year=year)), "tornado",
                   _caption(run, t("caption.tornado", lang, output=name, year=year)))
    rep.table(sensitivity_table(sens, lang, run.projection.base_year), "sensitivity",
              t("caption.sensitivity_table", lang, output=mid_sentence(name, lang),
                year=year, end=int(sens["year"].max()) if len(sens) else year),
              show=sensitivity_shown(rows, lang))


def step_label(row: dict, lang: str) -> str:
    """``第二产业增加值增速（2026—2035年）±1个百分点`` for a sensitivity row (its ``kind`` and ``step``)."""
    step = float(row["step"])
    kind = str(row.get("kind"))
    if kind == "growth":
        text = t("unit.pp", lang, value=f"{step:.3g}")
    elif kind == "share":  # shares are shown in per cent: a step of 0.05 is 5 percentage points
        text = t("unit.pp", lang, value=f"{100.0 * step:.3g}")
    elif kind == "level":
        text = t("unit.pct", lang, value=f"{step:.3g}")
    else:
        text = f"{step:.3g}"
    return t("input.step", lang, name=input_name(row["input"], lang), step=text)


def sensitivity_table(sens: pd.DataFrame, lang: str, base_year: int) -> pd.DataFrame:
    """Every row of the sensitivity analysis (every input, output and year) as a reader sees it."""
    return pd.DataFrame({
        t("label.input", lang): [step_label(r, lang) for r in sens.to_dict("records")],
        t("label.input_value", lang): [float(v) * (100.0 if k == "share" else 1.0)
                                       for v, k in zip(sens["input_value"], sens["kind"])],
        t("column.step_basis", lang): [_step_basis(b, lang) for b in sens.get("step_basis", [""] * len(sens))],
        t("label.output", lang): [label(o, lang, year=base_year) for o in sens["output"]],
        t("label.unit", lang): [t(_OUTPUT_UNITS.get(u, "unit_name.yi"), lang) for u in sens["unit"]],
        t("label.year", lang): sens["year"].astype(int).to_numpy(),
        t("label.base", lang): sens["base"].astype(float).to_numpy(),
        t("label.low", lang): sens["low"].astype(float).to_numpy(),
        t("label.high", lang): sens["high"].astype(float).to_numpy(),
        t("label.swing", lang): sens["swing"].astype(float).to_numpy(),
        t("label.note", lang): [sensitivity_note(n, lang) for n in sens["note"]],
    })


_OUTPUT_UNITS = {"亿元": "unit_name.yi", "元": "unit_name.yuan"}


def _step_basis(code: str, lang: str) -> str:
    """Where a step's size comes from (one sd of the Monte Carlo, an assumed sd, given), in words."""
    return t(f"method.step_basis.{code}", lang) if code else ""


def sensitivity_shown(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sensitivity rows of one output and year as a reader sees them."""
    return pd.DataFrame({
        t("label.input", lang): list(rows["label"]),
        t("column.step_basis", lang): [_step_basis(b, lang) for b in rows.get("step_basis", [""] * len(rows))],
        t("label.base", lang): rows["base"].astype(float).to_numpy(),
        t("label.low", lang): rows["low"].astype(float).to_numpy(),
        t("label.high", lang): rows["high"].astype(float).to_numpy(),
        t("label.swing", lang): rows["swing"].astype(float).to_numpy(),
        t("label.note", lang): [sensitivity_note(n, lang) for n in rows["note"]],
    })


def section_yearly(run: ScenarioRun) -> None:
    """The projection year by year: every column in the CSV, the main ones shown."""
    lang, rep, projection = run.lang, run.report, run.projection
    rep.heading(t("heading.yearly", lang))
    rep.table(projection_table(projection, lang), "projection", t("caption.yearly", lang),
              show=yearly_shown(projection, lang))


def section_inputs(run: ScenarioRun) -> None:
    """Every input: sourced (with citation) or assumed (with reason)."""
    lang, rep = run.lang, run.report
    rep.heading(t("heading.inputs", lang))
    rep.markdown(narrative.inputs_narrative(run.provenance, lang))
    rep.table(inputs_table(run.provenance, lang), "inputs", t("caption.inputs", lang))
