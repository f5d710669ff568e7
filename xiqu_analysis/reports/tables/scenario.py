"""Tables of the reports, built from results with every header and label from the locale files."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import pandas as pd

from ...economics.columns import COLUMN_PRICE_BASIS, registry_columns
from ...economics.uncertainty import doubling_label
from ...inputs.figures import figures_from_frame
from ...inputs.regions import RegionData, RegionInfo
from ...inputs.scenario import provenance
from ...periods import parse_period
from ..words.citations import cite, source_name
from ..words.locales import get_locale
from ..words.text import fmt_period, has_key, indicator_name, label, persons_shown, scenario_text, t, unit_name

__all__ = [
    "HEADLINE_COLUMNS",
    "target_label",
    "Benchmark",
    "figure_citation",
    "input_name",
    "benchmark_per_capita",
    "reported_per_capita",
    "per_capita_base_note",
    "headline_years",
    "headline_table",
    "provenance_table",
    "inputs_table",
    "target_rows",
    "targets_table",
    "gap_chart_rows",
    "probability_labels",
    "probabilities_table",
]

#: projection columns of the headline table and the Quantity kind of each
HEADLINE_COLUMNS = (
    ("gdp_real", "yi"), ("gdp_nominal", "yi"), ("gdp_growth", "pct"), ("secondary_share", "pct"),
    ("tertiary_share", "pct"), ("population", "persons"), ("gdp_per_capita", "yuan"),
    ("urban_income", "yuan"), ("fiscal_revenue", "yi"), ("revenue_to_gdp", "pct"),
)  # fmt: skip


@dataclass(frozen=True)
class Benchmark:
    """Per-capita GDP of the benchmark city (yuan, current prices of ``year``) with its citation (in the
    report's language).

    ``derived`` is True: the value is the city's GDP divided by its census count, not a figure the
    city publishes, and the reports say so.
    """

    value_yuan: float
    year: int
    citation: str
    gdp_yi: float
    population_persons: float
    region: RegionInfo
    derived: bool = True


def figure_citation(region: RegionData, fig, lang: str = "en") -> str:
    """The citation of a figure record of ``region`` (or its benchmark) as the reader of ``lang`` sees it."""
    return cite(region, fig, lang)


def _first(figs: pd.DataFrame, indicator: str, year: int, kinds: tuple[str, ...]) -> Any:
    rows = figs[(figs["indicator"] == indicator) & (figs["year"] == year) & figs["kind"].isin(kinds)]
    if rows.empty:
        return None
    rows = rows.assign(_order=rows["kind"].map({k: i for i, k in enumerate(kinds)})).sort_values("_order", kind="stable")
    return figures_from_frame(rows.drop(columns="_order").iloc[[0]])[0]


def benchmark_per_capita(region: RegionData, year: int, lang: str = "en") -> Benchmark | None:
    """The benchmark region's per-capita GDP in ``year``: its GDP (亿元 -> 元) / its resident population.

    Census counts are preferred to other population figures. For Xiqu:
    Panzhihua's 2020 GDP of 1040.82 亿元 / its 2020 census count of 1,212,203
    = 85,862 元 (a derived figure, not one the city publishes). None when the
    region has no benchmark or the benchmark lacks either figure.
    """
    bench = region.benchmark
    if bench is None:
        return None
    gdp = _first(bench.figures, "gdp", year, ("actual", "estimate"))
    pop = _first(bench.figures, "resident_population", year, ("census", "actual", "estimate"))
    if gdp is None or pop is None:
        return None
    persons = pop.value_in("人")
    citation = t("citation.ratio", lang, numerator=cite(region, gdp, lang, quote=False),
                 denominator=cite(region, pop, lang, quote=False))
    return Benchmark(value_yuan=gdp.value_in("元") / persons, year=int(year), citation=citation,
                     gdp_yi=gdp.value_in("亿元"), population_persons=persons, region=bench.info)


def reported_per_capita(region: RegionData, year: int):
    """The region's own stated per-capita GDP figure for ``year`` (the plan's 65,801 元 for 2020), or None."""
    return _first(region.figures, "gdp_per_capita", year, ("actual", "estimate"))


def per_capita_base_note(projection, region: RegionData, provenance: pd.DataFrame, lang: str = "en") -> str:
    """Why the base year's per-capita GDP of the tables differs from the one the region's plan states, sourced,
    for the note of the table that shows both (``""`` when the plan states none or the two agree to the yuan).

    The projection divides GDP by the base year's annual-average resident population (the mean of
    the year-end count, the 2020 census for Xiqu, and the year-start population back-cast from it:
    130,895 persons, 63,341 元); the plan's 65,801 元 is its GDP of 82.91 亿元 divided by 126,001
    persons, a denominator that is neither the census count nor the plan's own 13.7万.
    """
    base = int(projection.base_year)
    fig = reported_per_capita(region, base)
    tab = projection.table.set_index("year")
    if fig is None or base not in tab.index or round(float(tab.at[base, "gdp_per_capita"])) == round(float(fig.value)):
        return ""
    from ..words.text import fmt_persons, fmt_yi, fmt_yuan

    prov = provenance.set_index("input")

    def source(path: str) -> str:  # the figure cited for an input (without its quote), or that it is assumed
        if path not in prov.index or prov.at[path, "status"] != "sourced":
            return t("label.assumed", lang)
        fid = (getattr(projection.scenario, "sources", None) or {}).get(path)
        return cite(region, fid, lang, quote=False) if fid and region.has_figure(fid) else str(
            prov.at[path, "citation_or_reason"])

    gdp = float(tab.at[base, "gdp_nominal"])
    return t("caption.headline_per_capita", lang, year=base,
             ours=fmt_yuan(float(tab.at[base, "gdp_per_capita"]), lang),
             average=fmt_persons(float(tab.at[base, "population_avg"]), lang),
             year_end=fmt_persons(float(tab.at[base, "population"]), lang), population_source=source("population.base"),
             reported=fmt_yuan(float(fig.value), lang), reported_source=cite(region, fig, lang, quote=False),
             gdp=fmt_yi(gdp, lang), gdp_source=source("gdp_base"),
             implied=fmt_persons(gdp * 1e8 / float(fig.value), lang))


def headline_years(projection, region: RegionData) -> list[int]:
    """Base year, the plan's end and the long-range year (those inside the projection), else the end year."""
    have = set(int(v) for v in projection.table["year"])
    wanted = [projection.base_year, region.info.plan_end_year, region.info.long_range_year]
    years = [int(y) for y in wanted if y is not None and int(y) in have]
    if len(years) < 2:
        years.append(projection.end_year)
    return list(dict.fromkeys(years))


def headline_table(projection, lang: str, years: Sequence[int]) -> pd.DataFrame:
    """Headline figures in ``years`` (those inside the projection), one row per indicator.

    Columns: indicator (constant-price levels name their base year), unit,
    price basis, one column per year, and whether projected values are
    sourced or depend on an assumption. Shares are in per cent; the population in the readers' unit
    (万人 in Chinese, thousand persons in English: :func:`~..words.text.persons_shown`).
    """
    have = [int(y) for y in years if int(y) in set(int(v) for v in projection.table["year"])]
    base = int(projection.table["year"].iloc[0])
    rows = []
    extras = registry_columns(projection.scenario)
    for col, kind in (*HEADLINE_COLUMNS, *((c, None) for c in projection.indicator_columns)):
        basis = COLUMN_PRICE_BASIS.get(col, "not_applicable")
        if col.endswith("_share") or col == "revenue_to_gdp":
            basis = "current"  # ratios of current-price levels
        if col in extras:  # a further indicator of the scenario (registry rule): the registry's name and unit
            rule = extras[col]
            basis, name, unit = rule.price_basis, indicator_name(rule.names, lang, col), unit_name(rule.unit, lang)
            name = name[:1].upper() + name[1:]
        else:  # a population in the readers' unit (万人, thousand persons)
            name, unit = label(col, lang), t(f"unit_name.{'persons_scaled' if kind == 'persons' else kind}", lang)
        row = {t("label.indicator", lang): name,  # the price basis column names the base year
               t("label.unit", lang): unit,
               t("label.basis", lang): t(f"basis.{basis}", lang, year=base)}
        for y in have:
            v = float(projection.table.loc[projection.table["year"] == y, col].iloc[0])
            row[t("unit.year", lang, year=y)] = (v * 100.0 if col.endswith("_share")
                                                 else persons_shown(v, lang) if kind == "persons" else v)
        row[t("label.status_projected", lang)] = t("label.assumed" if projection.is_assumed(col) else "label.sourced", lang)
        rows.append(row)
    return pd.DataFrame(rows)


def input_name(path: str, lang: str = "en") -> str:
    """A scenario input as a reader names it: ``real_growth_pct.secondary.2026-2035`` ->
    ``第二产业增加值增速（2026—2035年）`` / ``Secondary sector real growth, 2026-2035``."""
    parts = str(path).split(".")
    period = None
    if len(parts) > 1 and parts[-1][:1].isdigit():
        try:
            period = parse_period(parts[-1])
            parts = parts[:-1]
        except ValueError:
            period = None
    key = "input." + ".".join(parts)
    name = t(key, lang) if has_key(key, "en") else str(path)
    return t("input.with_period", lang, name=name, period=fmt_period(*period, lang)) if period else name


def _reason_text(value, lang: str) -> tuple[str, bool]:
    return scenario_text(value, lang)


def provenance_table(scenario, region: RegionData, lang: str = "en") -> pd.DataFrame:
    """The scenario's inputs with their citation (sourced) or reason (assumed), in the report's language.

    Columns: input (the dotted path), value, unit, status, citation_or_reason,
    and ``reason_given`` (False when the scenario file gives the reason only in
    another language: the report shows it as written and says so once).
    """
    prov = provenance(scenario)
    texts, given = [], []
    for r in prov.to_dict("records"):
        ok = True
        if r["status"] == "sourced" or r["origin"] == "carried_forward":
            fid = r["figure_id"]
            fig = region.figure(fid) if region.has_figure(fid) else None
            if fig is not None:
                cited = cite(region, fid, lang)
            elif scenario.cited_actual(fid) is not None:  # a row of the scenario's actuals file (xiqu rebase)
                cited = t("provenance.actual", lang, id=fid, source=scenario.cited_actual(fid).source)
            else:
                cited = fid
            if r["origin"] == "carried_forward":  # a real figure of other years: continuing it is the assumption
                period = fig.when if fig is not None else fid.split(".")[2]
                if "-" in str(period):
                    a, b = (int(x) for x in str(period).split("-"))
                    period = fmt_period(a, b, lang)
                elif str(period).isdigit():
                    period = t("unit.year", lang, year=int(period))
                value = (t("unit.pct", lang, value=f"{fig.value:g}") if fig is not None and fig.unit == "%"
                         else f"{fig.value:g}{fig.unit}" if fig is not None else f"{r['value']:g}")
                cited = t("provenance.carried_forward", lang, period=period, value=value, citation=cited)
            texts.append(cited)
        elif r["origin"] == "assumptions":
            text, ok = _reason_text(r["reason"], lang)
            texts.append(text)
        else:
            texts.append(t(f"provenance.{r['origin']}", lang))
        given.append(ok)
    out = prov[["input", "value", "unit", "status"]].copy()
    out["citation_or_reason"] = texts
    out["reason_given"] = given
    return out


def inputs_table(provenance: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The scenario's inputs as a reader sees them: names, values (shares in per cent), units,
    status words and the citation or reason, headers in ``lang``."""
    rows = []
    for r in provenance.to_dict("records"):
        unit = str(r["unit"])
        value = float(r["value"])
        if str(r["input"]).startswith("sector_shares."):
            value, unit = value * 100.0, "share"
        rows.append({
            t("label.input", lang): input_name(r["input"], lang),
            t("label.value", lang): value,
            t("label.unit", lang): _unit_word(unit, lang),
            t("label.status", lang): t(f"label.{r['status']}", lang) if r["status"] in ("sourced", "assumed") else r["status"],
            t("label.citation_or_reason", lang): r["citation_or_reason"],
        })
    return pd.DataFrame(rows)


#: units of scenario inputs (inputs.scenario.unit_of) -> locale keys of their names
_INPUT_UNITS = {"亿元": "unit_name.yi", "yuan": "unit_name.yuan", "元": "unit_name.yuan", "persons": "unit_name.persons",
                "%": "unit_name.pct", "pp": "unit_name.pp", "ratio": "unit_name.ratio", "share": "unit_name.share"}


def _unit_word(unit: str, lang: str) -> str:
    key = _INPUT_UNITS.get(unit)
    return t(key, lang, year="") if key else unit


def target_label(row: dict, lang: str, region: RegionData | None) -> str:
    """A target of :func:`~xiqu_analysis.economics.targets.target_gaps` named for a reader: the indicator's
    name (``region``'s registry, :meth:`~xiqu_analysis.inputs.regions.RegionData.label`; its code when
    unnamed) and its period or year."""
    indicator = str(row.get("indicator") or "")
    name = region.label(indicator, lang) if region is not None and indicator else ""
    name = str(name or indicator or row.get("id"))
    name = name[:1].upper() + name[1:]
    period = str(row.get("period") or "")
    year = row.get("year")
    if period and "-" in period:
        a, b = (int(x) for x in period.split("-"))
        when = fmt_period(a, b, lang)
    elif year is not None and not pd.isna(year):
        when = t("unit.year", lang, year=int(year))
    else:
        when = ""
    return t("target.label", lang, name=name, when=when) if when else name


def _cite_target(g: dict, region: RegionData | None, lang: str, quote: bool = False) -> str:
    if region is not None and region.has_figure(str(g["id"])):
        return cite(region, str(g["id"]), lang, quote=quote)
    return source_name(str(g["source"]), lang)


def target_rows(analysis, lang: str = "en", region: RegionData | None = None) -> pd.DataFrame:
    """Evaluated plan targets for the narrative: label, projected, target, met, citation, unit, gap."""
    rows = []
    for g in analysis.gaps.to_dict("records"):
        if g["status"] not in ("met", "missed"):
            continue
        rows.append({"label": target_label(g, lang, analysis.region), "projected": g["projected"], "target": g["target"],
                     "met": bool(g["met"]), "citation": _cite_target(g, region, lang), "unit": g["gap_unit"],
                     "gap": g["gap"], "target_type": g["target_type"]})
    return pd.DataFrame(rows, columns=["label", "projected", "target", "met", "citation", "unit", "gap", "target_type"])


def target_note(g: dict, lang: str, base_year: int | None = None, end_year: int | None = None) -> str:
    """The note of a target row: how the indicator maps to the projection and, when it is not
    evaluated, why (the analysis's reason code in words)."""
    from ..words.codes import target_reason

    parts = []
    column = str(g.get("projection_column") or "")
    if get_locale(lang).english_data:  # the data's mapping notes are in English
        if g.get("mapping_note"):
            parts.append(str(g["mapping_note"]))
    elif column in ("primary", "secondary", "tertiary"):
        parts.append(t(f"target.mapped.{column}", lang))
    if g.get("reason"):
        parts.append(target_reason(g, lang, base_year=base_year, end_year=end_year))
    return t("unit.list_separator", lang).join(dict.fromkeys(p for p in parts if p))


def targets_table(analysis, lang: str = "en", region: RegionData | None = None) -> pd.DataFrame:
    """Every plan target (evaluated or not) with the projection, gap, status and source."""
    rows = []
    for g in analysis.gaps.to_dict("records"):
        rows.append({
            t("label.target", lang): target_label(g, lang, analysis.region),
            t("label.value", lang): g["target"],
            t("label.projected", lang): g["projected"],
            t("label.gap", lang): g["gap"],
            t("label.unit", lang): t("unit_name.growth_gap", lang) if g["target_type"] == "growth" else _unit_word(g["unit"], lang),
            t("label.status", lang): t(f"status.{g['status'].replace(' ', '_')}", lang) if g["status"] else "",
            t("label.source", lang): _cite_target(g, region, lang, quote=True),
            t("label.note", lang): target_note(g, lang, analysis.projection.base_year, analysis.projection.end_year),
        })
    for ia in analysis.implied_aggregate:
        a, b = (int(x) for x in ia.period.split("-"))
        rows.append({
            t("label.target", lang): t("target.implied", lang, period=fmt_period(a, b, lang)),
            t("label.value", lang): ia.average_pct,
            t("label.projected", lang): ia.scenario_average_pct,
            t("label.gap", lang): ia.scenario_average_pct - ia.average_pct,
            t("label.unit", lang): t("unit_name.growth_gap", lang),
            t("label.status", lang): t("status.implied", lang),
            t("label.source", lang): t("unit.list_separator", lang).join(dict.fromkeys(
                _cite_target({"id": fid, "source": ""}, region, lang) for fid in ia.figure_ids.values())),
            t("label.note", lang): t("target.implied_note", lang),
        })
    d = analysis.doubling
    if d is not None:
        rows.append({
            t("label.target", lang): t("target.doubling", lang, period=fmt_period(d.base_year, d.by_year, lang)),
            t("label.value", lang): d.required_pct,
            t("label.projected", lang): d.scenario_average_pct,
            t("label.gap", lang): d.scenario_average_pct - d.required_pct,
            t("label.unit", lang): t("unit_name.growth_gap", lang),
            t("label.status", lang): t("status.met" if d.scenario_average_pct >= d.required_pct - 1e-9 else "status.missed", lang),
            t("label.source", lang): t("target.doubling_source", lang),
            t("label.note", lang): t("target.doubling_note", lang, by_year=d.by_year),
        })
    return pd.DataFrame(rows)


def gap_chart_rows(analysis, lang: str = "en") -> pd.DataFrame:
    """Gaps in percentage points of annual growth: each growth target, the implied aggregate, doubling."""
    rows = []
    for g in analysis.gaps.to_dict("records"):
        if g["status"] in ("met", "missed") and g["target_type"] == "growth":
            rows.append({"label": target_label(g, lang, analysis.region), "gap": g["gap"]})
    for ia in analysis.implied_aggregate:
        a, b = (int(x) for x in ia.period.split("-"))
        rows.append({"label": t("target.implied", lang, period=fmt_period(a, b, lang)),
                     "gap": ia.scenario_average_pct - ia.average_pct})
    d = analysis.doubling
    if d is not None and not math.isnan(d.scenario_average_pct):
        rows.append({"label": t("target.doubling", lang, period=fmt_period(d.base_year, d.by_year, lang)),
                     "gap": d.scenario_average_pct - d.required_pct})
    return pd.DataFrame(rows, columns=["label", "gap"])


def probability_labels(analysis, lang: str = "en") -> dict[str, str]:
    """Readable names of the targets in the simulation's probability table (figure id -> label)."""
    labels = {g["id"]: target_label(g, lang, analysis.region) for g in analysis.gaps.to_dict("records")}
    d = analysis.doubling
    if d is not None:
        labels[doubling_label(d.base_year, d.by_year)] = t("target.doubling_probability", lang,
                                                           year0=d.base_year, year=d.by_year)
    return labels


def probabilities_table(simulation, analysis, lang: str = "en", region: RegionData | None = None) -> pd.DataFrame:
    """The simulation's probabilities (per cent) with readable target names and what each target tests."""
    from ..words.codes import probability_note

    labels = probability_labels(analysis, lang)
    p = simulation.probabilities
    return pd.DataFrame({
        t("label.target", lang): [labels.get(x, x) for x in p["target"]],
        t("label.probability_pct", lang): p["probability"].astype(float) * 100.0,
        t("label.note", lang): [probability_note(r, lang, region) for r in p.to_dict("records")],
    })
