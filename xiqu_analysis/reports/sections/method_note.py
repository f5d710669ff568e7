"""Two sections of every scenario report: the method note and the scenario against observed data.

* :func:`section_method` states what the projection models and what it does
  not, for this scenario (one deflator or sectors' own, population
  uncertainty or none, the base year's average population, carried-forward
  rates), so no limit of the model lives only in a docstring.
* :func:`section_observed` sets the scenario against every figure the data
  hold for a year after its base year that it projects
  (:func:`xiqu_analysis.economics.observed.scenario_vs_data`), flagging
  large gaps.

Words: ``locale/<lang>/method_note.yaml``.
"""
from __future__ import annotations

import pandas as pd

from ...economics.observed import LARGE_GAP_PCT, LARGE_GAP_PP, scenario_vs_data
from ...economics.shocks import UncertaintySpec
from ...inputs.scenario import SECTORS
from ...economics.columns import GROWTH_TO_LEVEL
from ..words.narrative import Narrative, NarrativeBuilder, assumed, projected, sourced
from ..words.text import esc, fmt_number, fmt_pct, t

__all__ = ["method_narrative", "observed_narrative", "observed_table", "section_method", "section_observed"]


def method_narrative(run) -> Narrative:
    """What is and is not modelled, for this scenario (``run``: a scenario report's run)."""
    scenario, projection, lang = run.scenario, run.projection, run.lang
    b = NarrativeBuilder(lang)
    y0 = projection.base_year
    b.add("method.modelled")
    b.add("method.sectors")
    own = [s for s in SECTORS if scenario.sector_deflator_pct is not None
           and getattr(scenario.sector_deflator_pct, s) is not None]
    if own:
        b.add("method.sector_deflators", sectors=t("method.list_sep", lang).join(t(f"sector.{s}", lang) for s in own))
    else:
        b.add("method.one_deflator")
    b.add("method.revenue", buoyancy=f"{scenario.fiscal_revenue.buoyancy:g}")
    prov = run.provenance.set_index("input")
    pop_value = float(projection.table["population"].iloc[0])
    pop0 = (sourced(pop_value, "persons", str(prov.loc["population.base", "citation_or_reason"]))
            if prov.loc["population.base", "status"] == "sourced" else assumed(pop_value, "persons"))
    avg0 = projected(projection, "population_avg", y0, "persons", run.provenance)
    if scenario.population.base_year_growth_pct is not None:
        b.add("method.base_year_population", year0=y0, pop0=pop0, avg0=avg0,
              change=fmt_pct(scenario.population.base_year_growth_pct, lang, 2))
    else:
        b.add("method.base_year_population_flat", year0=y0, pop0=pop0)
    b.add("method.income")
    spec = UncertaintySpec.from_scenario(scenario)
    if spec.population_sd_pct > 0:
        b.add("method.population_shocks", sd=f"{spec.population_sd_pct:g}")
    else:
        b.add("method.no_population_shocks")
    b.add("method.not_modelled")
    b.add("method.no_demand_side")
    b.add("method.no_feedback")
    carried = [p for p in scenario.input_paths() if scenario.input_status(p).origin == "carried_forward"]
    if carried:
        from ..tables.scenario import input_name  # the inputs by their names for readers, not their field paths

        b.add("method.carried_forward", n=len(carried),
              inputs=esc(t("unit.list_separator", lang).join(input_name(p, lang) for p in carried)))
    if any(scenario.status_of(f"sector_shares.{s}") != "sourced" for s in SECTORS):
        b.add("method.shares_assumed", year0=y0)
    b.add("method.mapping")
    return b.build()


def section_method(run) -> None:
    """The method note: what this projection models and what it does not."""
    run.report.heading(t("method.heading", run.lang))
    run.report.markdown(method_narrative(run))


def _label(region, indicator: str, lang: str) -> str:
    return region.label(indicator, lang)


_UNIT_KEYS = {"persons": "unit_name.persons", "元": "unit_name.yuan", "亿元": "unit_name.yi"}


def observed_table(check: pd.DataFrame, region, lang: str) -> pd.DataFrame:
    """The scenario-vs-data rows with headers and verdicts in ``lang``."""
    return pd.DataFrame({
        t("observed.column.indicator", lang): [_label(region, i, lang) for i in check["indicator"]],
        t("observed.column.year", lang): check["year"],
        t("observed.column.observed", lang): check["observed"],
        t("observed.column.projected", lang): check["projected"].round(4),
        t("observed.column.gap", lang): check["gap"].round(4),
        t("observed.column.gap_pct", lang): check["gap_pct"].round(2),
        t("observed.column.unit", lang): [t(_UNIT_KEYS[u], lang) if u in _UNIT_KEYS else u for u in check["unit"]],
        t("observed.column.verdict", lang): [t(f"observed.verdict.{v}", lang) for v in check["verdict"]],
        t("observed.column.source", lang): [_cited(region, f, s, tr, lang) for f, s, tr in
                                             zip(check["figure_id"], check["source"], check["trust"])],
    })


def _cited(region, figure_id: str, source: str, trust: str, lang: str) -> str:
    """A figure's source by name in ``lang`` (reports.words.citations) with its trust level."""
    from ..words.citations import cite, source_name, trust_name

    text = cite(region, figure_id, lang, quote=False) if region.has_figure(figure_id) else source_name(source, lang)
    return t("citation.with_trust", lang, source=text, trust=trust_name(trust, lang)) if trust else text


def _kind(unit: str) -> str:
    return {"persons": "persons", "元": "yuan", "亿元": "yi", "%": "pct"}.get(unit, "pct")


def observed_narrative(check: pd.DataFrame, run) -> Narrative:
    """One sentence per observed figure; large gaps said plainly."""
    lang, region = run.lang, run.region
    b = NarrativeBuilder(lang)
    y0 = run.projection.base_year
    if check.empty:
        b.add("observed.none", year0=y0)
        return b.build()
    b.add("observed.intro", year0=y0, n=len(check), large_pct=fmt_number(LARGE_GAP_PCT, 0),
          large_pp=fmt_number(LARGE_GAP_PP, 0))
    for r in check.to_dict("records"):
        kind = _kind(r["unit"])
        observed = sourced(r["observed"], kind, _cited(region, r["figure_id"], r["source"], r["trust"], lang))
        level = r["column"] if r["measure"] == "level" else GROWTH_TO_LEVEL.get(r["column"], r["column"])
        proj = (assumed(r["projected"], kind) if run.projection.is_assumed(level)
                else sourced(r["projected"], kind, t("narrative.cite_projection", lang)))
        gap = (f"{r['gap_pct']:+.1f}%" if r["measure"] == "level"
               else t("unit.pp", lang, value=f"{r['gap']:+.2f}"))
        b.add(f"observed.row_{r['verdict']}", indicator=esc(_label(region, r["indicator"], lang)), year=r["year"],
              observed=observed, projected=proj, gap=gap)
    large = int((check["verdict"] == "large_gap").sum())
    b.add("observed.large" if large else "observed.no_large", n=large)
    return b.build()


def section_observed(run) -> None:
    """The scenario against the data observed after its base year (large gaps flagged)."""
    check = scenario_vs_data(run.projection, run.region)
    run.report.heading(t("observed.heading", run.lang, year0=run.projection.base_year))
    run.report.markdown(observed_narrative(check, run))
    if len(check):  # the table as the reader sees it, in the CSV too (xiqu audit --scenario gives the codes)
        run.report.table(observed_table(check, run.region, run.lang), "scenario_vs_data", t("observed.caption", run.lang))
