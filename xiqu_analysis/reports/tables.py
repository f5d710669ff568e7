"""Tables of the reports, built from results with every header and label from the locale files."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import pandas as pd

from ..economics.columns import COLUMN_PRICE_BASIS
from ..economics.uncertainty import doubling_label
from ..inputs.figures import figures_from_frame
from ..inputs.regions import RegionData, RegionInfo
from ..inputs.scenario import provenance
from .text import label, t

__all__ = [
    "HEADLINE_COLUMNS",
    "Benchmark",
    "figure_citation",
    "benchmark_per_capita",
    "reported_per_capita",
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
    """Per-capita GDP of the benchmark city (yuan, current prices of ``year``) with its citation.

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


def figure_citation(fig) -> str:
    """``"<id>: <source>"`` of a figure record."""
    return f"{fig.id}: {fig.source}"


def _first(figs: pd.DataFrame, indicator: str, year: int, kinds: tuple[str, ...]) -> Any:
    rows = figs[(figs["indicator"] == indicator) & (figs["year"] == year) & figs["kind"].isin(kinds)]
    if rows.empty:
        return None
    rows = rows.assign(_order=rows["kind"].map({k: i for i, k in enumerate(kinds)})).sort_values("_order", kind="stable")
    return figures_from_frame(rows.drop(columns="_order").iloc[[0]])[0]


def benchmark_per_capita(region: RegionData, year: int) -> Benchmark | None:
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
    return Benchmark(value_yuan=gdp.value_in("元") / persons, year=int(year),
                     citation=f"{figure_citation(gdp)} / {figure_citation(pop)}",
                     gdp_yi=gdp.value_in("亿元"), population_persons=persons, region=bench.info)


def reported_per_capita(region: RegionData, year: int):
    """The region's own stated per-capita GDP figure for ``year`` (the plan's 65,801 元 for 2020), or None."""
    return _first(region.figures, "gdp_per_capita", year, ("actual", "estimate"))


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

    Columns: indicator, unit, price basis, one column per year, status
    (sourced / assumed: whether projected values depend on an assumption).
    Shares are in per cent.
    """
    have = [int(y) for y in years if int(y) in set(int(v) for v in projection.table["year"])]
    base = int(projection.table["year"].iloc[0])
    rows = []
    for col, kind in HEADLINE_COLUMNS:
        row = {t("label.indicator", lang): label(col, lang),
               t("label.unit", lang): t(f"unit_name.{kind}", lang),
               t("label.basis", lang): t(f"basis.{COLUMN_PRICE_BASIS.get(col, 'not_applicable')}", lang, year=base)}
        for y in have:
            v = float(projection.table.loc[projection.table["year"] == y, col].iloc[0])
            row[str(y)] = v * 100.0 if col.endswith("_share") else v
        row[t("label.status_projected", lang)] = t("label.assumed" if projection.is_assumed(col) else "label.sourced", lang)
        rows.append(row)
    return pd.DataFrame(rows)


def provenance_table(scenario, region: RegionData, lang: str = "en") -> pd.DataFrame:
    """The scenario's inputs with their citation (sourced) or reason (assumed), in the report's language.

    Columns: input, value, unit, status, citation_or_reason.
    """
    prov = provenance(scenario)
    texts = []
    for r in prov.to_dict("records"):
        if r["status"] == "sourced" or r["origin"] == "carried_forward":
            fid = r["figure_id"]
            if region.has_figure(fid):
                fig = region.figure(fid)
                parts = [fid, fig.source] + ([fig.quote] if fig.quote and fig.quote != "-" else [])
                cited = ": ".join(parts)
            elif scenario.cited_actual(fid) is not None:  # a row of the scenario's actuals file (xiqu rebase)
                fig, cited = None, f"{fid}: {scenario.cited_actual(fid).source}"
            else:
                fig, cited = None, fid
            if r["origin"] == "carried_forward":  # a real figure of other years: continuing it is the assumption
                period = fig.when if fig is not None else fid.split(".")[2]
                value = f"{fig.value:g}{'' if fig.unit == '%' else ' '}{fig.unit}" if fig is not None else f"{r['value']:g}"
                cited = t("provenance.carried_forward", lang, period=period, value=value, citation=cited)
            texts.append(cited)
        elif r["origin"] == "assumptions":
            texts.append(r["reason"])
        else:
            texts.append(t(f"provenance.{r['origin']}", lang))
    out = prov[["input", "value", "unit", "status"]].copy()
    out["citation_or_reason"] = texts
    return out


def inputs_table(provenance: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The scenario's provenance table with translated headers and status words."""
    out = provenance[["input", "value", "unit", "status", "citation_or_reason"]].copy()
    out["status"] = [t(f"label.{s}", lang) if s in ("sourced", "assumed") else s for s in out["status"]]
    return out.rename(columns={c: t(f"label.{c}", lang) for c in out.columns})


def _target_label(row: dict, lang: str) -> str:
    name = row.get("label_zh") if lang == "zh" and row.get("label_zh") else row.get("label_en")
    name = name or row.get("indicator") or row.get("id")
    when = row.get("period") or (str(row.get("year")) if row.get("year") is not None and not pd.isna(row.get("year")) else "")
    name = str(name)
    name = name[:1].upper() + name[1:]
    return f"{name} ({when})" if when else name


def target_rows(analysis, lang: str = "en") -> pd.DataFrame:
    """Evaluated plan targets for the narrative: label, projected, target, met, citation, unit, gap."""
    rows = []
    for g in analysis.gaps.to_dict("records"):
        if g["status"] not in ("met", "missed"):
            continue
        rows.append({"label": _target_label(g, lang), "projected": g["projected"], "target": g["target"],
                     "met": bool(g["met"]), "citation": f"{g['id']}: {g['source']}", "unit": g["gap_unit"],
                     "gap": g["gap"], "target_type": g["target_type"]})
    return pd.DataFrame(rows, columns=["label", "projected", "target", "met", "citation", "unit", "gap", "target_type"])


def targets_table(analysis, lang: str = "en") -> pd.DataFrame:
    """Every plan target (evaluated or not) with the projection, gap, status and source."""
    rows = []
    for g in analysis.gaps.to_dict("records"):
        rows.append({
            t("label.target", lang): _target_label(g, lang),
            t("label.value", lang): g["target"],
            t("label.projected", lang): g["projected"],
            t("label.gap", lang): g["gap"],
            t("label.unit", lang): t("unit_name.growth_gap", lang) if g["target_type"] == "growth" else g["unit"],
            t("label.status", lang): t(f"status.{g['status'].replace(' ', '_')}", lang) if g["status"] else "",
            t("label.source", lang): f"{g['source']} 「{g['quote']}」" if g.get("quote") else g["source"],
            t("label.note", lang): "; ".join(x for x in (g.get("mapping_note"), g.get("reason")) if x),
        })
    for ia in analysis.implied_aggregate:
        rows.append({
            t("label.target", lang): t("target.implied", lang, period=ia.period),
            t("label.value", lang): ia.average_pct,
            t("label.projected", lang): ia.scenario_average_pct,
            t("label.gap", lang): ia.scenario_average_pct - ia.average_pct,
            t("label.unit", lang): t("unit_name.growth_gap", lang),
            t("label.status", lang): t("status.implied", lang),
            t("label.source", lang): ", ".join(ia.figure_ids.values()),
            t("label.note", lang): t("target.implied_note", lang),
        })
    d = analysis.doubling
    if d is not None:
        rows.append({
            t("label.target", lang): t("target.doubling", lang, base_year=d.base_year, by_year=d.by_year),
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
            rows.append({"label": _target_label(g, lang), "gap": g["gap"]})
    for ia in analysis.implied_aggregate:
        rows.append({"label": t("target.implied", lang, period=ia.period), "gap": ia.scenario_average_pct - ia.average_pct})
    d = analysis.doubling
    if d is not None and not math.isnan(d.scenario_average_pct):
        rows.append({"label": t("target.doubling", lang, base_year=d.base_year, by_year=d.by_year),
                     "gap": d.scenario_average_pct - d.required_pct})
    return pd.DataFrame(rows, columns=["label", "gap"])


def _implied(analysis, provenance: pd.DataFrame):
    """(implied %, status, citation) of the first implied aggregate, or Nones."""
    if not analysis.implied_aggregate:
        return None, "assumed", None
    ia = analysis.implied_aggregate[0]
    shares = provenance[provenance["input"].astype(str).str.startswith("sector_shares")]
    status = "sourced" if len(shares) and (shares["status"] == "sourced").all() else "assumed"
    return ia.average_pct, status, ", ".join(ia.figure_ids.values())


def probability_labels(analysis, lang: str = "en") -> dict[str, str]:
    """Readable names of the targets in the simulation's probability table (figure id -> label)."""
    labels = {g["id"]: _target_label(g, lang) for g in analysis.gaps.to_dict("records")}
    d = analysis.doubling
    if d is not None:
        labels[doubling_label(d.base_year, d.by_year)] = t("target.doubling_probability", lang,
                                                           year0=d.base_year, year=d.by_year)
    return labels


def probabilities_table(simulation, analysis, lang: str = "en") -> pd.DataFrame:
    """The simulation's probabilities with readable target names."""
    labels = probability_labels(analysis, lang)
    p = simulation.probabilities
    return pd.DataFrame({
        t("label.target", lang): [labels.get(x, x) for x in p["target"]],
        t("label.probability", lang): p["probability"].astype(float),
        t("label.note", lang): p["note"].astype(str),
    })
