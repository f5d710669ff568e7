"""The sections of ``notebooks/scenario_comparison``: several scenarios side by side."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import pandas as pd

from ...economics.projection import ProjectionResult, project
from ...economics.targets import TargetAnalysis, analyse_targets
from ...inputs.regions import RegionData
from ...inputs.scenario import Scenario, load_scenario_with_region
from ..charts import comparison_plots
from ..charts.plots import with_note
from ..words import narrative
from ..formats.artifacts import Report
from .end_notes import end_notes
from ..parameters import Resolved, from_namespace, resolve
from ..tables.plan_tables import column_title
from ..tables.scenario import gap_chart_rows, headline_years, provenance_table, target_rows
from ..words.text import esc, scenario_text, t

__all__ = [
    "COMPARISON_COLUMNS",
    "Compared",
    "ComparisonRun",
    "compare_scenarios",
    "start",
    "comparison_table",
    "comparison_gap_rows",
    "section_comparison",
    "section_comparison_charts",
    "section_comparison_gaps",
]

#: columns overlaid in the comparison charts
COMPARISON_COLUMNS = ("gdp_real", "gdp_nominal", "gdp_per_capita", "fiscal_revenue")


@dataclass(frozen=True)
class Compared:
    """One scenario of a comparison: the scenario, its region, projection, target analysis and provenance."""

    scenario: Scenario
    region: RegionData
    projection: ProjectionResult
    analysis: TargetAnalysis
    provenance: pd.DataFrame


def compare_scenarios(paths: Sequence[os.PathLike | str], lang: str = "en") -> list[Compared]:
    """Load, project and analyse each scenario file (in the order given); each region is read once."""
    regions: dict[str, RegionData] = {}
    out = []
    for path in paths:
        scenario, region = load_scenario_with_region(path, regions)
        projection = project(scenario)
        out.append(Compared(scenario, region, projection, analyse_targets(scenario, region, result=projection),
                            provenance_table(scenario, region, lang)))
    return out


@dataclass
class ComparisonRun:
    """What a comparison report reads and computes, loaded once."""

    params: Resolved
    report: Report
    compared: list[Compared]
    years: list[int]

    @property
    def lang(self) -> str:
        """Report language."""
        return self.params.language

    def finish(self):
        """The notes every report ends with (附注), then the workbook, the text and the final ``artifacts.json``."""
        end_notes(self.report, self.lang, self.compared[0].projection.base_year)
        return self.report.finish()


def open_run(params: Resolved) -> ComparisonRun:
    """Load, project and analyse every scenario; open the report."""
    compared = compare_scenarios(params.scenario_files, params.language)
    first = compared[0]
    years = headline_years(first.projection, first.region)[1:]
    rep = Report(params.output_dir, params.language, notebook="scenario_comparison", parameters=params.as_dict())
    rep.name_codes(dict(zip((c.scenario.name for c in compared), _display_names(compared, params.language))))
    return ComparisonRun(params, rep, compared, years)


def start(namespace: Mapping[str, Any]) -> ComparisonRun:
    """Check the notebook's parameters (its ``globals()``), load the inputs, open the report."""
    return open_run(resolve(from_namespace("scenario_comparison", namespace)))


def _display_names(compared: Sequence[Compared], lang: str = "en") -> list[str]:
    """What the reader calls each scenario: its title in ``lang`` (the file's name added when two agree)."""
    titles = [scenario_text(c.scenario.title, lang)[0] for c in compared]
    return [f"{title} ({c.scenario.name})" if titles.count(title) > 1 else title for title, c in zip(titles, compared)]


def comparison_table(compared: Sequence[Compared], lang: str, years: Sequence[int]) -> pd.DataFrame:
    """Key results of each scenario: one row per scenario, headers with units and price bases."""
    rows = []
    for name, c in zip(_display_names(compared, lang), compared):
        p = c.projection
        have = set(int(v) for v in p.table["year"])
        row = {t("label.scenario", lang): name}
        for col in ("gdp_real", "gdp_per_capita", "fiscal_revenue"):
            for y in years:
                if y in have:
                    row[t("name.in_year", lang, title=column_title(col, lang, p.base_year), year=y)] = p.at(y, col)
        rows_met = target_rows(c.analysis, lang)
        row[t("label.targets_met", lang)] = f"{int(rows_met['met'].sum())}/{len(rows_met)}"
        d = c.analysis.doubling
        if d is not None:
            row[t("label.doubling_year", lang)] = (str(int(d.year)) if d.year is not None
                                                   else t("label.not_reached", lang, year=p.end_year))
        rows.append(row)
    return pd.DataFrame(rows)


def comparison_gap_rows(compared: Sequence[Compared], lang: str = "en") -> pd.DataFrame:
    """Gap rows (pp of annual growth) of every scenario, with a ``scenario`` column."""
    frames = []
    for name, c in zip(_display_names(compared, lang), compared):
        rows = gap_chart_rows(c.analysis, lang)
        rows.insert(0, "scenario", name)
        frames.append(rows)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["scenario", "label", "gap"])


def section_comparison(run: ComparisonRun) -> None:
    """Intro, narrative and the side-by-side table."""
    lang, rep, compared = run.lang, run.report, run.compared
    regions = dict.fromkeys(c.region.info.name(lang) for c in compared)
    rep.heading(t("heading.comparison", lang, region=t("unit.list_separator", lang).join(regions)), level=1)
    names = _display_names(compared, lang)
    missing = [c.scenario.name for c in compared if not scenario_text(c.scenario.title, lang)[1]]
    if missing:
        rep.markdown(esc(t("scenario_text.missing_scenarios", lang,
                           names=t("unit.list_separator", lang).join(missing))))
    rep.markdown(narrative.comparison_narrative({n: c.projection for n, c in zip(names, compared)},
                                                {n: c.provenance for n, c in zip(names, compared)}, lang,
                                                year=run.years[-1]))
    rep.heading(t("heading.comparison_table", lang))
    rep.table(comparison_table(compared, lang, run.years), "comparison", t("caption.comparison_table", lang))


def section_comparison_charts(run: ComparisonRun) -> None:
    """Each scenario's paths overlaid."""
    lang, rep, compared = run.lang, run.report, run.compared
    rep.heading(t("heading.comparison_charts", lang))
    tables = {n: c.projection.table for n, c in zip(_display_names(compared, lang), compared)}
    rep.figure(comparison_plots.comparison_lines(tables, COMPARISON_COLUMNS, lang), "comparison_paths",
               with_note(t("caption.comparison_lines", lang), t("plot.note_projected", lang), lang))


def section_comparison_gaps(run: ComparisonRun) -> None:
    """Every scenario's gap to each plan target."""
    lang, rep, compared = run.lang, run.report, run.compared
    rep.heading(t("heading.comparison_gaps", lang))
    rows = comparison_gap_rows(compared, lang)
    if len(rows):
        rep.figure(comparison_plots.comparison_gaps(rows, lang), "comparison_gaps",
                   with_note(t("caption.comparison_gaps", lang), t("plot.note_projected", lang), lang))
    rep.table(rows.rename(columns={"scenario": t("label.scenario", lang), "label": t("label.target", lang),
                                   "gap": t("label.gap_pp", lang)}), "comparison_gaps", t("caption.comparison_gaps", lang))
