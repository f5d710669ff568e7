"""Slow, obvious reference implementation of ``economics.projection.project`` (tests only).

One Python loop over years, scalars only, written straight from the model's
formulas (each field's meaning in scenarios/README.md) without looking at the
vectorised code. ``tests/economics/test_projection.py`` checks that the fast
engine agrees with it on random scenarios (rtol 1e-12).

Also holds :func:`toy_scenario`, which builds small *real* scenarios (validated
by :func:`xiqu_analysis.inputs.scenario.scenario_from_dict`) from plain
numbers, so the tests can state every input by hand, and :func:`per_year`,
which writes a path of annual rates as one-year periods.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from xiqu_analysis.inputs.scenario import Scenario, scenario_from_dict

SECTORS = ("primary", "secondary", "tertiary")

#: reason written under ``assumptions`` for the inputs a toy scenario marks as assumed
TOY_REASON = "assumed by the test"


def per_year(values: Iterable[float], base_year: int) -> dict[str, float]:
    """Annual rates for years base+1.. as one-year periods: ``{"2021-2021": 7.5, ...}``."""
    return {f"{base_year + 1 + i}-{base_year + 1 + i}": float(v) for i, v in enumerate(values)}


def _growth_spec(value: Any, base_year: int) -> Any:
    """A number stays a number, a periods mapping stays as it is, a sequence becomes one-year periods."""
    if isinstance(value, Mapping):
        return {str(k): float(v) for k, v in value.items()}
    if np.ndim(value) == 0:
        return float(value)
    return per_year(np.asarray(value, dtype=float).ravel(), base_year)


def toy_scenario(
    *,
    base_year: int = 2020,
    end_year: int,
    gdp_base: float,
    shares: Mapping[str, float] | Sequence[float],
    growth: Any,
    deflator: Any,
    population: tuple[float, Any] | tuple[float, Any, float],
    urban_income: tuple[float, Any],
    fiscal_revenue: tuple[float, float],
    assumed: Iterable[str] = (),
    name: str = "toy",
    sector_deflator: Mapping[str, Any] | None = None,
) -> Scenario:
    """A real, validated scenario from plain numbers.

    Parameters
    ----------
    growth : (3,) numbers, (T, 3) array or mapping sector -> spec
        Real sector growth, % a year: one rate per sector for every year, one
        row per year (written as one-year periods), or each sector's spec as a
        scenario file gives it (a number or ``{"YYYY-YYYY": rate}``).
    deflator : number, (T,) sequence or periods mapping
        GDP deflator, % a year.
    population : (base, growth spec) or (base, growth spec, change during the base year %)
    urban_income : (base, growth spec)
    fiscal_revenue : (base 亿元, buoyancy)
    sector_deflator : mapping sector -> deflator spec, optional
        ``sector_deflator_pct`` (sectors left out keep ``deflator``).
    assumed : iterable of str
        Input paths or groups listed under ``assumptions``; every other input
        of the projection is listed under ``sources`` with a made-up figure id
        ``test.<path>`` (:func:`scenario_from_dict` does not look figures up).
    """
    shares_map = dict(shares) if isinstance(shares, Mapping) else dict(zip(SECTORS, shares, strict=True))
    if isinstance(growth, Mapping):
        growth_map = {s: _growth_spec(growth[s], base_year) for s in SECTORS}
    else:
        g = np.asarray(growth, dtype=float)
        if g.ndim == 1:
            growth_map = {s: float(g[i]) for i, s in enumerate(SECTORS)}
        else:
            growth_map = {s: per_year(g[:, i], base_year) for i, s in enumerate(SECTORS)}
    data = {
        "name": name,
        "title": f"{name} (test scenario)",
        "base_year": int(base_year),
        "end_year": int(end_year),
        "gdp_base": float(gdp_base),
        "sector_shares": {s: float(shares_map[s]) for s in SECTORS},
        "real_growth_pct": growth_map,
        "deflator_pct": _growth_spec(deflator, base_year),
        "population": {"base": float(population[0]), "growth_pct": _growth_spec(population[1], base_year),
                       **({"base_year_growth_pct": float(population[2])} if len(population) > 2 else {})},
        "urban_income": {"base": float(urban_income[0]), "growth_pct": _growth_spec(urban_income[1], base_year)},
        "fiscal_revenue": {"base": float(fiscal_revenue[0]), "buoyancy": float(fiscal_revenue[1])},
    }
    if sector_deflator is not None:
        data["sector_deflator_pct"] = {k: _growth_spec(v, base_year) for k, v in sector_deflator.items()}
    assumed = tuple(assumed)
    paths = scenario_from_dict(data, source=name).input_paths()

    def covered(path: str) -> bool:
        return any(path == a or path.startswith(a + ".") for a in assumed)

    data["sources"] = {p: f"test.{p}" for p in paths if not p.startswith("uncertainty.") and not covered(p)}
    data["assumptions"] = {a: TOY_REASON for a in assumed}
    return scenario_from_dict(data, source=name)


def reference_project(scenario: Scenario) -> pd.DataFrame:
    """Per-year loop projection; returns a DataFrame with the engine's columns."""
    years = list(range(scenario.base_year, scenario.end_year + 1))
    growth = scenario.growth_matrix_pct().tolist()
    deflator = scenario.deflator_path_pct().tolist()
    own = scenario.sector_deflator_pct
    sector_deflator = [scenario.growth_path_pct(f"sector_deflator_pct.{s}").tolist()
                       if own is not None and getattr(own, s) is not None else deflator for s in SECTORS]
    pop_g = scenario.population_growth_path_pct().tolist()
    inc_g = scenario.urban_income_growth_path_pct().tolist()
    shares = [float(getattr(scenario.sector_shares, s)) for s in SECTORS]
    b = scenario.fiscal_revenue.buoyancy

    rows = []
    va = [scenario.gdp_base * sh for sh in shares]
    index = 1.0
    sector_index = [1.0, 1.0, 1.0]
    pop = scenario.population.base
    # the base year's year-start population: back-cast with the population's change during the base year
    # (base data, 0 when the scenario gives none), never with a projected year's growth
    base_change = scenario.population.base_year_growth_pct or 0.0
    pop_start = pop / (1 + base_change / 100)
    income = scenario.urban_income.base
    revenue = scenario.fiscal_revenue.base
    prev = None
    for k, year in enumerate(years):
        if k > 0:
            g = growth[k - 1]
            va = [va[i] * (1 + g[i] / 100) for i in range(3)]
            index = index * (1 + deflator[k - 1] / 100)
            sector_index = [sector_index[i] * (1 + sector_deflator[i][k - 1] / 100) for i in range(3)]
            pop_start = pop
            pop = pop * (1 + pop_g[k - 1] / 100)
            income = income * (1 + inc_g[k - 1] / 100)
        gdp = va[0] + va[1] + va[2]
        if own is None:
            nominal = [va[i] * index for i in range(3)]
            gdp_nom = gdp * index
        else:  # every sector at its own prices; the GDP deflator is implicit
            nominal = [va[i] * sector_index[i] for i in range(3)]
            gdp_nom = nominal[0] + nominal[1] + nominal[2]
        row = {"year": year, "gdp_real": gdp, "gdp_nominal": gdp_nom}
        for i, s in enumerate(SECTORS):
            row[s] = va[i]
        for i, s in enumerate(SECTORS):
            row[f"{s}_nominal"] = nominal[i]
        if prev is None:
            growth_total = math.nan
            row["gdp_growth"] = math.nan
            for s in SECTORS:
                row[f"{s}_growth"] = row[f"{s}_pull"] = row[f"{s}_contribution"] = math.nan
            row["nominal_growth"] = math.nan
        else:
            growth_total = (gdp / prev["gdp_real"] - 1) * 100
            row["gdp_growth"] = growth_total
            for i, s in enumerate(SECTORS):
                row[f"{s}_growth"] = growth[k - 1][i]
            for i, s in enumerate(SECTORS):
                row[f"{s}_pull"] = (va[i] - prev[s]) / prev["gdp_real"] * 100
            for s in SECTORS:
                row[f"{s}_contribution"] = (
                    math.nan if growth_total == 0 else row[f"{s}_pull"] / growth_total * 100
                )
            row["nominal_growth"] = (gdp_nom / prev["gdp_nominal"] - 1) * 100
            revenue = revenue * (1 + b * row["nominal_growth"] / 100)
        row["deflator_index"] = index if own is None else gdp_nom / gdp
        for i, s in enumerate(SECTORS):
            row[f"{s}_share"] = row[f"{s}_nominal"] / gdp_nom
        row["population"] = pop
        row["population_avg"] = (pop_start + pop) / 2
        row["gdp_per_capita"] = gdp_nom * 1e8 / row["population_avg"]
        row["gdp_per_capita_real"] = gdp * 1e8 / row["population_avg"]
        row["urban_income"] = income
        row["fiscal_revenue"] = revenue
        row["revenue_to_gdp"] = revenue / gdp_nom * 100
        rows.append(row)
        prev = row
    return pd.DataFrame(rows)
