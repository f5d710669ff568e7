"""The sections of ``notebooks/annual_review``: actual figures against the plan and the scenarios."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from ..economics.review import Review, annual_review
from ..errors import InputError
from ..inputs.bulletins import load_bulletin
from ..inputs.regions import RegionData, load_region
from ..inputs.scenario import load_scenario_with_region
from .artifacts import Report
from .codes import calibration_table
from .parameters import Resolved, from_namespace, resolve
from .text import esc, label, t

__all__ = ["ReviewRun", "start", "summary_text", "required_table", "review_figure", "section_intro",
           "section_summary", "section_plan", "section_scores", "section_rebased", "section_required",
           "section_calibration"]


@dataclass
class ReviewRun:
    """The review's inputs, loaded once, its result and the report."""

    params: Resolved
    report: Report
    region: RegionData
    review: Review

    @property
    def lang(self) -> str:
        """Report language."""
        return self.params.language

    def finish(self):
        """Write the workbook, the text and the final ``artifacts.json``."""
        return self.report.finish()


def open_run(params: Resolved) -> ReviewRun:
    """Load the region, the actuals and the scenarios once; run the review; open the report.

    A scenario file that cannot be read, or that is of another region than the
    one reviewed, is listed in :attr:`Review.scenario_errors` and skipped.
    """
    region = load_region(params.parameters.region)
    actuals = load_bulletin(params.actuals_path, indicators=region.indicators) if params.actuals_path else None
    regions = {region.key: region}
    scenarios, errors = [], []
    for path in params.scenario_files:
        try:
            scenario = load_scenario_with_region(path, regions)[0]
        except InputError as exc:
            errors.append(f"{path.name}: {exc}")
            continue
        if scenario.region != region.key:  # its levels are another economy's: nothing to score against
            errors.append(f"{path.name}: field 'region': scenario of region {scenario.region!r}, "
                          f"not of the reviewed region {region.key!r}")
            continue
        scenarios.append(scenario)
    review = annual_review(params.parameters.review_year, actuals, scenarios, region)
    if errors:
        review = Review(**{**review.__dict__, "scenario_errors": tuple(errors) + review.scenario_errors})
    rep = Report(params.output_dir, params.language, notebook="annual_review", parameters=params.as_dict())
    return ReviewRun(params, rep, region, review)


def start(namespace: Mapping[str, Any]) -> ReviewRun:
    """Check the notebook's parameters (its ``globals()``), load the inputs, run the review, open the report."""
    return open_run(resolve(from_namespace("annual_review", namespace)))


def summary_text(run: ReviewRun) -> str:
    """The review's opening paragraphs: what there is to compare, where the actuals came from, skipped scenarios.

    Text from files (paths, scenario errors) is escaped for Markdown/HTML output.
    """
    r, lang = run.review, run.lang
    parts = []
    after = r.actuals[r.actuals["year"] > r.base_year]
    if r.latest_year is None:
        parts.append(t("review.no_actuals", lang, year=r.review_year, base=r.base_year))
    else:
        parts.append(t("review.latest_actual", lang, latest=r.latest_year, year=r.review_year, n=int(after.shape[0]),
                       base=r.base_year,
                       indicators=t("review.list_separator", lang).join(sorted(set(after["indicator"])))))
    if not run.params.scenario_files:
        parts.append(t("review.no_scenarios", lang))
    actuals = run.params.actuals_path
    parts.append(t("review.actuals_file", lang, path=esc(actuals.name)) if actuals else t("review.actuals_none", lang))
    parts += [t("review.scenario_error", lang, error=esc(e)) for e in r.scenario_errors]
    return "\n\n".join(parts)


def required_table(review: Review, lang: str) -> pd.DataFrame:
    """The required-growth table with its note column in words."""
    out = review.required.copy()
    notes = []
    for row in out.to_dict("records"):
        if row["chained_indicator"]:
            note = t("review.note_chained", lang, indicator=row["chained_indicator"],
                     start=int(row["period"].split("-")[0]), end=row["from_year"])
        else:
            note = t("review.note_no_actual", lang, base=review.base_year)
        if row["period_over"]:
            note = t("review.note_period_over", lang, note=note, outcome=t(f"status.{row['outcome']}", lang))
        notes.append(note)
    out["note"] = notes
    return out.drop(columns=["chained_indicator", "period_over", "outcome"])


def review_figure(review: Review, column: str = "gdp_nominal", lang: str = "en"):
    """Figure: the actual level of ``column`` against each scenario's projection and re-based path.

    Returns a matplotlib Figure, or None when there is nothing to draw.
    """
    from matplotlib.figure import Figure

    from . import plots  # noqa: F401  (registers the CJK font before any text is drawn)

    sc = review.scenario_scores
    sc = sc[(sc["column"] == column) & (sc["kind"] == "level")]
    rb = review.rebased[review.rebased["column"] == column]
    if sc.empty and rb.empty:
        return None
    fig = Figure(figsize=(7, 4))
    ax = fig.subplots()
    for name, grp in rb.groupby("scenario", sort=True):
        line = ax.plot(grp["year"], grp["projected"], label=t("review.fig_projected", lang, scenario=name))[0]
        ax.plot(grp["year"], grp["rebased"], linestyle="--", color=line.get_color(),
                label=t("review.fig_rebased", lang, scenario=name))
    act = sc.drop_duplicates("year").sort_values("year")
    ax.plot(act["year"], act["actual"], "ko", label=t("review.fig_actual", lang))
    unit = str(sc["unit"].iloc[0]) if not sc.empty else str(rb["unit"].iloc[0])
    ax.set_xlabel(t("review.fig_year", lang))
    ax.set_ylabel(t("review.fig_ylabel", lang, column=label(column, lang), unit=unit))
    ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


def section_intro(run: ReviewRun) -> None:
    """Title and what the review does."""
    run.report.heading(t("review.title", run.lang, year=run.review.review_year), level=1)
    run.report.markdown(t("review.intro", run.lang, base=run.review.base_year,
                          region=esc(run.region.info.name(run.lang))))


def section_summary(run: ReviewRun) -> None:
    """What there is to compare, and the actuals used."""
    run.report.markdown(summary_text(run))
    run.report.table(run.review.actuals, "actuals", t("review.caption_actuals", run.lang,
                                                     region=run.region.info.name(run.lang)))


def section_plan(run: ReviewRun) -> None:
    """Actual real growth against the plan's floors."""
    run.report.heading(t("review.heading_plan", run.lang))
    run.report.table(run.review.plan_comparison, "plan_comparison",
                     t("review.caption_plan", run.lang, base=run.review.base_year))


def section_scores(run: ReviewRun) -> None:
    """Actuals against each scenario's projection."""
    run.report.heading(t("review.heading_scores", run.lang))
    run.report.table(run.review.scenario_scores, "scenario_scores", t("review.caption_scores", run.lang))


def section_rebased(run: ReviewRun) -> None:
    """Projections re-based on the latest actual, with the chart."""
    lang, rep = run.lang, run.report
    rep.heading(t("review.heading_rebased", lang))
    rep.table(run.review.rebased, "rebased", t("review.caption_rebased", lang))
    fig = review_figure(run.review, "gdp_nominal", lang)
    if fig is not None:
        rep.figure(fig, "gdp_rebased", t("review.caption_figure", lang))
    else:
        rep.markdown(t("review.nothing_to_compare", lang))


def section_required(run: ReviewRun) -> None:
    """Growth now required for each plan floor."""
    run.report.heading(t("review.heading_required", run.lang))
    run.report.table(required_table(run.review, run.lang), "required_growth", t("review.caption_required", run.lang))


def section_calibration(run: ReviewRun) -> None:
    """Uncertainty settings suggested by the actuals."""
    run.report.heading(t("review.heading_calibration", run.lang))
    run.report.table(calibration_table(run.review.calibration, run.lang), "calibration",
                     t("review.caption_calibration", run.lang))
