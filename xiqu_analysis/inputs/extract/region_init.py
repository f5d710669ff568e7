"""A new region from its documents (``xiqu region init``): region.yaml, figures.csv and two starter scenarios.

From the proposal rows of a region's plan (and bulletins), :func:`draft_region`
drafts

* ``region.yaml``: base year (the year before the plan's period), plan end year
  (the period most targets are stated over) and long-range year (a later target
  year such as 2035, else ten years after the plan);
* ``figures.csv``: every registry figure of the region, with its quote and
  location (trust ``primary``; 预计 figures as ``estimate``);
* ``<key>_trend``: the base year's levels and structure, growing at the rates the
  documents state for the past (年均 over the previous period);
* ``<key>_plan_targets``: the same base growing at the plan's target rates.

Rates the documents do not give are carried from another (the GDP rate for a
sector, the plan's rate after its end) and each is said so in the scenario's
``assumptions``. The scenarios' words (title, description, assumptions,
reasoning) are left as ``(key, values)`` pairs of the locale's ``region_init.*``
texts, which the command writes in every report language. An input that cannot be carried (the base year's GDP, its
structure, resident population, urban income, budget revenue) is listed in
:attr:`Draft.missing` with what to supply.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ...units import UNIT_FACTORS

__all__ = ["Draft", "draft_region", "FIGURE_COLUMNS"]

FIGURE_COLUMNS = ("id", "indicator", "region", "year", "period", "value", "unit", "price_basis", "kind", "source",
                  "quote", "trust", "note")
#: units of documents -> units of the data files
_UNITS = {"亿": "亿元", "小时": "hours", "天": "days", "℃": "degC", "公里": "km", "千米": "km", "平方公里": "km2"}
_SECTORS = {"primary": ("primary_va_growth", "agriculture_va_growth"),
            "secondary": ("secondary_va_growth", "industrial_va_growth"),
            "tertiary": ("tertiary_va_growth", "services_va_growth")}


@dataclass
class Draft:
    """What ``xiqu region init`` writes, and the inputs it could not find."""

    region: dict
    figures: list[dict]
    scenarios: dict[str, dict]
    missing: list[str] = field(default_factory=list)


def _num(value: str) -> float:
    return float(value)


def _figures(rows: list[dict], key: str, registry: dict) -> list[dict]:
    out, seen = [], set()
    for r in rows:
        if r["region"] != key or r["indicator"] not in registry:
            continue
        unit = _UNITS.get(r["unit"], r["unit"])
        if unit == "" and r["indicator"].endswith("_share"):
            unit = "%"
        if unit not in UNIT_FACTORS:
            continue
        kind = {"preliminary": "estimate"}.get(r["kind"], r["kind"])
        when = r["year"] or r["period"]
        fid = f"{key}.{r['indicator']}.{when}" + (".target" if kind == "target" else "")
        if fid in seen:
            continue
        seen.add(fid)
        basis = r["price_basis"] if r["price_basis"] in ("current", "comparable") else "not_applicable"
        value = r["value"].lstrip("-") if r["indicator"] == "energy_intensity_reduction" else r["value"]
        out.append({"id": fid, "indicator": r["indicator"], "region": key, "year": r["year"], "period": r["period"],
                    "value": value, "unit": unit, "price_basis": basis, "kind": kind,
                    "source": f"{r.get('source', '')} {r.get('location', '')}".strip(),
                    "quote": " ".join(r["quote"].split()), "trust": "primary",
                    "note": "proposed by xiqu extract; review before use"})
    return out


def _years(figures: list[dict]) -> tuple[int | None, int | None, int | None]:
    periods = Counter(f["period"] for f in figures if f["kind"] == "target" and re.fullmatch(r"\d{4}-\d{4}",
                                                                                              f["period"]))
    target_years = [int(f["year"]) for f in figures if f["kind"] == "target" and f["year"]]
    if periods:
        first, last = (int(x) for x in periods.most_common(1)[0][0].split("-"))
    elif target_years:
        last = Counter(target_years).most_common(1)[0][0]
        first = last - 4
    else:
        return None, None, None
    later = [y for y in target_years if y > last]
    return first - 1, last, (max(later) if later else last + 10)


def _find(figures: list[dict], indicator: str, *, year: int | None = None, period: str | None = None,
          kinds=("actual", "estimate", "census")) -> dict | None:
    for f in figures:
        if f["indicator"] != indicator or f["kind"] not in kinds:
            continue
        if year is not None and f["year"] == str(year):
            return f
        if period is not None and f["period"] == period:
            return f
    return None


def _convert(f: dict, unit: str) -> float:
    b1, f1 = UNIT_FACTORS[f["unit"]]
    return _num(f["value"]) * f1 / UNIT_FACTORS[unit][1]


def draft_region(key: str, name_zh: str, name_en: str, code: str, rows: list[dict], registry: dict) -> Draft:
    """The draft of a new region from proposal rows (see the module docstring)."""
    figures = _figures(rows, key, registry)
    base, plan_end, long_range = _years(figures)
    missing: list[str] = []
    region = {"key": key, "code": code, "name_en": name_en, "name_zh": name_zh, "parent": None,
              "benchmark_region": None, "base_year": base, "plan_end_year": plan_end, "long_range_year": long_range}
    if base is None:
        missing.append("the plan's period: no target over a period (年均增长…) or to a year (到2025年…) was found")
        return Draft(region, figures, {}, missing)
    gdp = _find(figures, "gdp", year=base)
    if gdp is None:
        missing.append(f"gdp: the {base} GDP level (地区生产总值, 亿元)")
    shares: dict[str, float] = {}
    share_src: dict[str, str] = {}
    for sector in ("primary", "secondary", "tertiary"):
        f = _find(figures, f"{sector}_share", year=base)
        if f is not None:
            shares[sector], share_src[sector] = _num(f["value"]) / 100.0, f["id"]
    if len(shares) < 3:
        levels = {s: _find(figures, f"{s}_va", year=base) for s in ("primary", "secondary", "tertiary")}
        if gdp is not None and all(levels.values()):
            total = sum(_convert(v, "亿元") for v in levels.values())
            shares = {s: round(_convert(v, "亿元") / total, 4) for s, v in levels.items()}
            share_src = {}
        else:
            missing.append(f"sector_shares: the {base} structure (三次产业结构 a:b:c, or the three sectors' value "
                           "added)")
    pop = _find(figures, "resident_population", year=base)
    per_capita = _find(figures, "gdp_per_capita", year=base)
    derived_pop = None
    if pop is None and gdp is not None and per_capita is not None:
        derived_pop = round(_convert(gdp, "元") / _convert(per_capita, "元"))  # GDP / GDP per capita
    income = _find(figures, "urban_disposable_income", year=base)
    revenue = _find(figures, "general_budget_revenue", year=base)
    for f, what in ((pop or derived_pop, f"resident_population: the {base} resident population (常住人口)"),
                    (income, f"urban_disposable_income: the {base} urban disposable income per capita "
                             "(城镇居民人均可支配收入, 元)"),
                    (revenue, f"general_budget_revenue: the {base} general budget revenue (一般公共预算收入, 亿元)")):
        if f is None:
            missing.append(what)
    if missing:
        return Draft(region, figures, {}, missing)
    past = f"{base - 4}-{base}"
    ahead, later = f"{base + 1}-{plan_end}", f"{plan_end + 1}-{long_range}"
    scenarios = {}
    for name, kinds, period in (("trend", ("stated_average",), past), ("plan_targets", ("target",), ahead)):
        sources: dict[str, str] = {"gdp_base": gdp["id"], "urban_income.base": income["id"],
                                   "fiscal_revenue.base": revenue["id"]}
        if pop is not None:
            sources["population.base"] = pop["id"]
        sources.update({f"sector_shares.{s}": i for s, i in share_src.items()})
        assumptions: dict[str, tuple] = {}
        carried = f"{base + 1}-{long_range}" if name == "trend" else later  # the years the rate is used for
        gdp_rate = _find(figures, "gdp_growth", period=period, kinds=kinds)
        growth: dict[str, dict] = {}
        for sector, keys in _SECTORS.items():
            f = next((x for k in keys if (x := _find(figures, k, period=period, kinds=kinds))), None) or gdp_rate
            if f is None:
                missing.append(f"real_growth_pct ({name}): a GDP or {sector} growth rate for {period} "
                               f"({'年均增长' if name == 'trend' else '年均增长目标'})")
                continue
            rate = _num(f["value"])
            growth[sector] = {ahead: rate, later: rate}
            key_path = f"real_growth_pct.{sector}.{ahead}"
            if f["indicator"].startswith(sector) or f is not gdp_rate:
                sources[key_path] = f["id"]
                assumptions[f"real_growth_pct.{sector}"] = (f"rate_{name}", {"period": period, "later": carried})
            else:
                assumptions[f"real_growth_pct.{sector}"] = (f"gdp_rate_{name}", {"period": period, "later": carried,
                                                                                "sector": ("sector_" + sector,)})
        if len(growth) < 3:
            continue
        inc_rate = _find(figures, "urban_disposable_income_growth", period=period, kinds=kinds)
        scenarios[f"{key}_{name}"] = {
            "name": f"{key}_{name}",
            "title": (f"title_{name}", {}),
            "region": key,
            "description": ("description", {"region": name_en}),
            "base_year": base,
            "end_year": long_range,
            "gdp_base": round(_convert(gdp, "亿元"), 6),
            "sector_shares": {s: round(v, 6) for s, v in shares.items()},
            "real_growth_pct": growth,
            "deflator_pct": 2.0,
            "population": {"base": round(_convert(pop, "人")) if pop is not None else derived_pop,
                           "growth_pct": 0.0},
            "urban_income": {"base": round(_convert(income, "元"), 2),
                             "growth_pct": _num(inc_rate["value"]) if inc_rate else 6.0},
            "fiscal_revenue": {"base": round(_convert(revenue, "亿元"), 6), "buoyancy": 1.0},
            "sources": sources,
            "assumptions": {
                **assumptions,
                "deflator_pct": ("deflator", {"rate": "2"}),
                "population.growth_pct": ("population_growth", {}),
                **({} if pop is not None else {"population.base": (
                    "population_base", {"year": base, "gdp": gdp["id"], "per_capita": per_capita["id"]})}),
                **({} if inc_rate else {"urban_income.growth_pct": ("income_growth", {"rate": "6"})}),
                "fiscal_revenue.buoyancy": ("buoyancy", {}),
                **({} if share_src else {"sector_shares": ("shares_from_levels", {"year": base})}),
            },
            "reasoning": ("reasoning", {}),
        }
        if inc_rate is not None:
            scenarios[f"{key}_{name}"]["sources"]["urban_income.growth_pct"] = inc_rate["id"]
    return Draft(region, figures, scenarios, missing)
