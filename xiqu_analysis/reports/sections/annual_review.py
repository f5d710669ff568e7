"""The sections of ``notebooks/annual_review``: conclusions in words, then charts, then summary tables.

The order a reader meets: what the review is (:func:`section_intro`), what it
compared (:func:`section_summary`), the conclusions in words
(:func:`section_conclusions`: every target's verdict and gap, each
scenario's error and bias and the best-tracking one, the re-based outlook,
what reaching the targets ahead takes), the charts, and the summary tables;
the long year-by-year tables are written to the CSV files and the workbook,
not shown. ``final=True`` makes it the final review of the plan period.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

from ...economics.evaluation import GROWTH_MARGIN_PP, PROGRESS_MARGIN_PP
from ...economics.review import Review, annual_review
from ...economics.solver import parse_target
from ...errors import InputError
from ...inputs.bulletins import load_bulletin
from ...inputs.regions import RegionData, load_region
from ...inputs.scenario import load_scenario_with_region
from ..formats.artifacts import Report
from ..words.codes import calibration_table
from ..parameters import Resolved, from_namespace, resolve
from ..charts.review_charts import growth_figure, review_figure
from ..words.review_text import (lever_words, outlook_sentences, scenario_sentences, solver_sentences,
                          target_name, target_sentences, target_words, years_text)
from ..tables.evaluation import evaluation_table
from ..tables.scenario import input_name
from ..words.evaluation_text import rule_note, summary_sentences
from ..words.text import esc, has_key, label, scenario_text, t

__all__ = ["ReviewRun", "start", "open_run", "reader_view", "summary_text", "conclusions_text", "required_table", "summary_table",
           "tracking_table", "outlook_table", "solver_table", "scorecard_table", "review_figure", "growth_figure",
           "section_intro", "section_summary", "section_conclusions", "section_charts", "section_scorecard",
           "section_required", "section_scores", "section_rebased", "section_solver", "section_plan",
           "section_calibration", "section_actuals"]


@dataclass
class ReviewRun:
    """The review's inputs, loaded once, its result and the report.

    ``titles`` maps each scenario's name to its title (as written in its file).
    """

    params: Resolved
    report: Report
    region: RegionData
    review: Review
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        """Report language."""
        return self.params.language

    def scenario_label(self, name: str) -> str:
        """A scenario's title, unescaped (for tables and charts); ``Title (name)`` only when another
        scenario has the same title (a reader sees no file keys otherwise)."""
        title = self.titles.get(name)
        if not title:
            return name
        if list(self.titles.values()).count(title) > 1:
            return t("review.scenario_label", self.lang, title=title, name=name)
        return title

    @property
    def names(self) -> dict[str, str]:
        """Scenario name -> its label escaped for Markdown (for sentences)."""
        return {name: esc(self.scenario_label(name)) for name in self.titles}

    def finish(self):
        """Write the workbook, the text and the final ``artifacts.json``."""
        return self.report.finish()


def open_run(params: Resolved) -> ReviewRun:
    """Load the region, the actuals and the scenarios once; run the review; open the report.

    A scenario file that cannot be read, or that is of another region than the
    one reviewed, is listed in :attr:`Review.scenario_errors` and skipped.
    """
    p = params.parameters
    region = load_region(p.region)
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
    targets = [parse_target(x, "notebook parameters", "targets", region) for x in p.targets] if p.targets else None
    review = annual_review(p.review_year, actuals, scenarios, region, final=p.final, targets=targets)
    if errors:
        review = Review(**{**review.__dict__, "scenario_errors": tuple(errors) + review.scenario_errors})
    rep = Report(params.output_dir, params.language, notebook="annual_review", parameters=params.as_dict())
    titles = {sc.name: _title(sc.title, params.language) for sc in scenarios}
    run = ReviewRun(params, rep, region, review, titles)
    # a workbook in words names each scenario by its title (the CSV files keep the keys)
    rep.name_codes({**titles, **{run.scenario_label(name): title for name, title in titles.items()}})
    return run


def _title(title: Any, lang: str) -> str:
    """A scenario's title in ``lang`` when its file gives it, else as written."""
    return scenario_text(title, lang)[0]


def start(namespace: Mapping[str, Any]) -> ReviewRun:
    """Check the notebook's parameters (its ``globals()``), load the inputs, run the review, open the report."""
    return open_run(resolve(from_namespace("annual_review", namespace)))


def _period(review: Review, lang: str) -> str:
    return years_text(review.base_year + 1, review.plan_end, lang)


# --------------------------------------------------------------------------- text
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
                       indicators=t("review.list_separator", lang).join(
                           esc(run.region.label(x, lang)) for x in sorted(set(after["indicator"])))))
    if not run.params.scenario_files:
        parts.append(t("review.no_scenarios", lang))
    actuals = run.params.actuals_path
    parts.append(t("review.actuals_file", lang, path=esc(actuals.name)) if actuals else t("review.actuals_none", lang))
    parts += [t("review.scenario_error", lang, error=esc(e)) for e in r.scenario_errors]
    return "\n\n".join(parts)


def _bullets(lines: list[str]) -> str:
    """A Markdown list of sentences."""
    return "\n".join(f"- {line}" for line in lines)


def _headed_lists(lines: list[str]) -> str:
    """Lines starting with two spaces as a list under the paragraph before them (no nested list: every
    version of the report, HTML, Word and PDF, shows it the same)."""
    blocks: list[str] = []
    for line in lines:
        if line.startswith("  "):
            if blocks and blocks[-1].startswith("- "):
                blocks[-1] += f"\n- {line[2:]}"
            else:
                blocks.append(f"- {line[2:]}")
        else:
            blocks.append(line)
    return "\n\n".join(blocks)


def conclusions_text(run: ReviewRun) -> str:
    """The conclusions in Markdown: targets, scenarios, re-based outlook, targets ahead (each a short list)."""
    r, lang, names = run.review, run.lang, run.names
    blocks = [f"**{t('review.sub_targets', lang)}**", _bullets(target_sentences(r, run.region, lang))]
    if run.titles:
        blocks += [f"**{t('review.sub_scenarios', lang)}**", _bullets(scenario_sentences(r, names, lang))]
        if r.has_actuals:
            blocks += [f"**{t('review.sub_outlook', lang)}**", _bullets(outlook_sentences(r, run.region, names, lang))]
        if r.targets:
            blocks += [f"**{t('review.sub_solver', lang)}**",
                       _headed_lists(solver_sentences(r, names, lang, default=not run.params.parameters.targets))]
    return "\n\n".join(blocks)


# --------------------------------------------------------------------------- tables
def _years(values: pd.Series) -> list:
    """Whole numbers that may be missing (years, ranks) as cells: the number, or empty."""
    return ["" if pd.isna(v) else int(v) for v in values]


def required_table(review: Review, lang: str, region: RegionData | None = None) -> pd.DataFrame:
    """The required-growth table with its note column in words (indicators by their labels when ``region`` is given)."""
    out = review.required.copy()
    notes = []
    for row in out.to_dict("records"):
        if row["chained_indicator"]:
            name = region.label(row["chained_indicator"], lang) if region is not None else row["chained_indicator"]
            note = t("review.note_chained", lang, indicator=name,
                     start=int(row["period"].split("-")[0]), end=row["from_year"])
        else:
            note = t("review.note_no_actual", lang, base=review.base_year)
        if row["period_over"]:
            note = t("review.note_period_over", lang, note=note, outcome=t(f"status.{row['outcome']}", lang))
        notes.append(note)
    out["note"] = notes
    out["status"] = [t(f"review.status_{s}", lang) for s in out["status"]]
    return out.drop(columns=["chained_indicator", "period_over", "outcome"])


def summary_table(run: ReviewRun) -> pd.DataFrame:
    """One row per scenario and indicator in readable names (errors, bias, last actual, last projected)."""
    s, lang = run.review.score_summary, run.lang
    kinds = [t("review.kind_growth", lang) if k == "growth" else t("review.kind_level", lang, unit=u)
             for k, u in zip(s["kind"], s["unit"])]
    return pd.DataFrame({
        "scenario": [run.scenario_label(x) for x in s["scenario"]],
        "indicator": [run.region.label(x, lang) for x in s["indicator"]],
        "kind": kinds,
        "years": [years_text(a, b, lang) for a, b in zip(s["first_year"], s["last_year"])],
        "n": s["n"], "mean_abs_error": s["mean_abs_error"], "bias": s["bias"],
        "mean_abs_error_pct": s["mean_abs_error_pct"], "bias_pct": s["bias_pct"],
        "last_year": s["last_year"], "last_actual": s["last_actual"], "last_projected": s["last_projected"],
    })


def tracking_table(run: ReviewRun) -> pd.DataFrame:
    """The scenarios ranked by how well they tracked the actuals."""
    tr = run.review.tracking.sort_values("rank", na_position="last")
    out = tr.copy()
    out["scenario"] = [run.scenario_label(x) for x in tr["scenario"]]
    out["rank"] = _years(tr["rank"])
    return out[["rank", "scenario", "n_growth", "mae_growth_pp", "bias_growth_pp", "n_level", "mae_level_pct",
                "bias_level_pct"]]


def outlook_table(run: ReviewRun) -> pd.DataFrame:
    """Re-based levels against the original projection in the outlook years."""
    o = run.review.outlook
    return pd.DataFrame({"scenario": [run.scenario_label(x) for x in o["scenario"]],
                         "indicator": [label(c, run.lang) for c in o["column"]], "year": o["year"], "unit": o["unit"],
                         "original": o["original"], "rebased": o["rebased"], "change_pct": o["change_pct"]})


def solver_table(run: ReviewRun) -> pd.DataFrame:
    """The solver's answers in words: target, growth of what, years, required, the scenario's own, year reached."""
    s, lang = run.review.solved, run.lang
    words = {tg.text: target_words(tg, lang) for tg in run.review.targets}
    on = [t("review.solve_on_rebased" if o == "rebased" else "review.solve_on_original", lang, year=int(b))
          for o, b in zip(s["on"], s["scenario_base_year"])]
    years = [years_text(a, b, lang) if not (pd.isna(a) or pd.isna(b)) else "" for a, b in zip(s["first_year"], s["last_year"])]
    return pd.DataFrame({"scenario": [run.scenario_label(x) for x in s["scenario"]],
                         "target": [words.get(x, x) for x in s["target"]], "on": on,
                         "lever": [lever_words(x, lang) if x else "" for x in s["lever"]], "years": years,
                         "required_pct": s["required_pct"], "scenario_pct": s["scenario_pct"], "gap_pp": s["gap_pp"],
                         "status": [t(f"review.status_{x}", lang) for x in s["status"]],
                         "year_reached": _years(s["year_reached"])})


def scorecard_table(run: ReviewRun) -> pd.DataFrame:
    """Every target of the plan on the actuals, in words."""
    c, lang = run.review.scorecard, run.lang
    when = [p if isinstance(p, str) and p else ("" if pd.isna(y) else str(y)) for p, y in zip(c["period"], c["year"])]
    return pd.DataFrame({"target": [target_name(run.region, x, lang) for x in c["id"]], "period": when,
                         "target_level": c["target"], "actual": c["actual"], "gap": c["gap"],
                         "unit": [t("unit_name.growth_gap", lang) if k == "growth" else u
                                  for k, u in zip(c["target_type"], c["unit"])],
                         "through_year": _years(c["through_year"]),
                         "status": [t(f"review.status_{x}", lang) for x in c["status"]], "source": c["source"]})


def reader_view(run: ReviewRun, df: pd.DataFrame) -> pd.DataFrame:
    """What the reader sees of a table of the review's data (the CSV keeps the codes): regions,
    indicators and projection columns by their names, figure ids as the targets they are, sources
    and periods as the report's language writes them, yes/no in words."""
    from ..words.citations import cite, source_name

    lang, region = run.lang, run.region
    out = df.copy()
    for col in out.columns:
        values = list(out[col])
        if col == "region":
            out[col] = [region.info.name(lang) if v == region.key else v for v in values]
        elif col == "indicator":
            out[col] = [region.label(v, lang) if isinstance(v, str) else v for v in values]
        elif col == "column":
            out[col] = [label(v, lang) if isinstance(v, str) else v for v in values]
        elif col in ("target", "source"):
            out[col] = [(target_name(region, v, lang) if col == "target" else cite(region, v, lang, quote=False))
                        if isinstance(v, str) and region.has_figure(v)
                        else source_name(v, lang, region.info.name(lang)) if col == "source" and isinstance(v, str)
                        else v for v in values]
        elif col == "period":
            out[col] = [years_text(*(int(x) for x in v.split("-")), lang)
                        if isinstance(v, str) and v.replace("-", "").isdigit() and v.count("-") == 1 else v
                        for v in values]
        elif col == "price_basis":
            out[col] = [t(f"basis.{v}", lang) if isinstance(v, str) and has_key(f"basis.{v}", "en") else v
                        for v in values]
        elif col == "kind":
            out[col] = [t(f"review.kind_{v}_short", lang) if isinstance(v, str) and has_key(f"review.kind_{v}_short", "en")
                        else v for v in values]
        elif col == "field":
            out[col] = [input_name(f"uncertainty.{v}", lang) if isinstance(v, str) else v for v in values]
        elif out[col].dtype == bool:
            out[col] = [t("review.answer_yes" if v else "review.answer_no", lang) for v in values]
    return out


# --------------------------------------------------------------------------- sections
def _table(run: ReviewRun, df: pd.DataFrame, name: str, caption: str, **kw) -> None:
    """Show a table, or say why there is none (its CSV is written either way): no heading stands alone."""
    if not df.empty:
        run.report.table(df, name, caption, **kw)
        return
    run.report.table(df, name, caption, display=False)
    why = "review.empty_no_actuals" if not run.review.has_actuals else "review.empty_no_scenarios"
    run.report.markdown(t(why, run.lang))


def section_intro(run: ReviewRun) -> None:
    """Title and what the review does."""
    r, lang = run.review, run.lang
    region = esc(run.region.info.name(lang))
    if r.final:
        run.report.heading(t("review.title_final", lang, period=_period(r, lang)), level=1)
        run.report.markdown(t("review.intro_final", lang, period=_period(r, lang), region=region,
                              next_end=r.outlook_years[0] if r.outlook_years else r.plan_end,
                              long_end=r.outlook_years[-1] if r.outlook_years else r.plan_end))
    else:
        run.report.heading(t("review.title", lang, year=r.review_year), level=1)
        run.report.markdown(t("review.intro", lang, base=r.base_year, region=region))


def section_summary(run: ReviewRun) -> None:
    """The summary for leaders (摘要): every target's verdict in a few sentences and a table (the plan
    evaluation), then what there is to compare and where the actuals came from."""
    lang, ev = run.lang, run.review.evaluation
    if ev is not None and not ev.table.empty:
        names = {k: run.region.label(k, lang) for k in [*ev.table["indicator"], *(m.indicator for m in ev.missing)]}
        run.report.heading(t("evaluation.heading", lang))
        run.report.markdown("\n\n".join(summary_sentences(ev, run.review.gdp_check, names, lang)))
        run.report.table(ev.table, "evaluation", t("evaluation.caption", lang), show=evaluation_table(ev, names, lang))
        run.report.markdown(rule_note(lang, GROWTH_MARGIN_PP, PROGRESS_MARGIN_PP))
    run.report.markdown(summary_text(run))


def section_conclusions(run: ReviewRun) -> None:
    """The conclusions in words, above every table."""
    run.report.heading(t("review.heading_conclusions", run.lang))
    run.report.markdown(conclusions_text(run))


def section_charts(run: ReviewRun) -> None:
    """Real growth against the floors; the level of nominal GDP against each scenario, re-based."""
    lang, rep, r = run.lang, run.report, run.review
    rep.heading(t("review.heading_charts", lang))
    labels = {name: run.scenario_label(name) for name in run.titles}  # legends: the scenarios' titles, no keys
    fig = growth_figure(r, lang, labels)
    if fig is not None:
        rep.figure(fig, "real_growth_vs_floors", t("review.caption_growth_figure", lang, base=r.base_year))
    fig = review_figure(r, "gdp_nominal", lang, labels)
    if fig is not None:
        rep.figure(fig, "gdp_rebased", t("review.caption_figure", lang, base=r.base_year))
    if not rep.figures:
        rep.markdown(t("review.nothing_to_compare", lang))


def section_scorecard(run: ReviewRun) -> None:
    """Every target of the plan on the actuals (in the final review: the verdict on the period)."""
    lang, r = run.lang, run.review
    key = "review.heading_scorecard_final" if r.final else "review.heading_scorecard"
    run.report.heading(t(key, lang, period=_period(r, lang)))
    table = scorecard_table(run)
    run.report.table(table, "scorecard", t("review.caption_scorecard", lang), show=reader_view(run, table))


def section_required(run: ReviewRun) -> None:
    """Growth now required for each plan floor."""
    run.report.heading(t("review.heading_required", run.lang))
    table = required_table(run.review, run.lang, run.region)
    run.report.table(table, "required_growth", t("review.caption_required", run.lang),
                     show=reader_view(run, table))  # the CSV keeps the codes


def section_scores(run: ReviewRun) -> None:
    """The summary per scenario and indicator, the ranking; the long table goes to the CSV only."""
    lang, rep = run.lang, run.report
    rep.heading(t("review.heading_scores", lang))
    if run.review.scenario_scores.empty:
        _table(run, tracking_table(run).iloc[0:0], "tracking", t("review.caption_tracking", lang))
    else:
        rep.table(tracking_table(run), "tracking", t("review.caption_tracking", lang))
        rep.table(summary_table(run), "scenario_summary", t("review.caption_summary", lang))
    rep.table(run.review.scenario_scores, "scenario_scores", t("review.caption_scores", lang), display=False)


def section_rebased(run: ReviewRun) -> None:
    """The re-based outlook; the long re-based table goes to the CSV only."""
    lang, rep, r = run.lang, run.report, run.review
    rep.heading(t("review.heading_rebased", lang))
    _table(run, outlook_table(run), "outlook", t("review.caption_outlook", lang,
                                                 years=t("review.list_separator", lang).join(map(str, r.outlook_years))))
    rep.table(r.rebased, "rebased", t("review.caption_rebased", lang), display=False)
    rep.markdown(t("review.full_tables", lang))


def section_solver(run: ReviewRun) -> None:
    """The constant growth that reaches each target ahead, per scenario and lever."""
    run.report.heading(t("review.heading_solver", run.lang))
    _table(run, solver_table(run), "targets_ahead", t("review.caption_solver", run.lang))


def section_plan(run: ReviewRun) -> None:
    """Actual real growth against the plan's floors, year by year."""
    run.report.heading(t("review.heading_plan", run.lang))
    _table(run, run.review.plan_comparison, "plan_comparison",
           t("review.caption_plan", run.lang, base=run.review.base_year),
           show=reader_view(run, run.review.plan_comparison))


def section_calibration(run: ReviewRun) -> None:
    """Uncertainty settings suggested by the actuals."""
    run.report.heading(t("review.heading_calibration", run.lang))
    table = calibration_table(run.review.calibration, run.lang, names=lambda x: run.region.label(x, run.lang))
    run.report.table(table, "calibration", t("review.caption_calibration", run.lang), show=reader_view(run, table))


def section_actuals(run: ReviewRun) -> None:
    """The actual figures used."""
    run.report.heading(t("review.heading_actuals", run.lang))
    _table(run, run.review.actuals, "actuals",
           t("review.caption_actuals", run.lang, region=run.region.info.name(run.lang)),
           show=reader_view(run, run.review.actuals))

