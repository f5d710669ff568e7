"""Slow, obvious reference implementation of ``projection.project`` (tests only).

One Python loop over years, scalars only, written straight from the issue's
formulas without looking at the vectorised code. ``test_projection.py`` checks
that the fast engine agrees with it on random scenarios (rtol 1e-12).

Also holds :class:`ToyScenario`, a small frozen stand-in with the attributes
and methods of ``xiqu_analysis.scenario.Scenario`` that the projection uses,
so the engine can be tested without the pydantic schema.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

SECTORS = ("primary", "secondary", "tertiary")


@dataclass(frozen=True)
class Growth:
    """population / urban_income stand-in: base level and constant growth (% a year)."""

    base: float
    growth_pct: float


@dataclass(frozen=True)
class Fiscal:
    """fiscal_revenue stand-in: base revenue (亿元) and buoyancy."""

    base: float
    buoyancy: float


@dataclass(frozen=True)
class ToyScenario:
    """Frozen stand-in for ``Scenario`` (only what the projection reads).

    ``growth`` is a tuple of T (primary, secondary, tertiary) tuples, per cent;
    ``deflator`` a tuple of T per-cent changes. ``assumed`` lists the dotted
    inputs reported as assumed by :meth:`provenance`.
    """

    base_year: int
    end_year: int
    gdp_base: float
    sector_shares: dict
    growth: tuple
    deflator: tuple
    population: Growth
    urban_income: Growth
    fiscal_revenue: Fiscal
    assumed: tuple = field(default=())

    def growth_matrix_pct(self) -> np.ndarray:
        return np.array(self.growth, dtype=float).reshape(self.end_year - self.base_year, 3)

    def deflator_path_pct(self) -> np.ndarray:
        return np.array(self.deflator, dtype=float)

    def provenance(self) -> pd.DataFrame:
        inputs = [
            "gdp_base",
            *(f"sector_shares.{s}" for s in SECTORS),
            *(f"real_growth_pct.{s}" for s in SECTORS),
            "deflator_pct",
            "population.base",
            "population.growth_pct",
            "urban_income.base",
            "urban_income.growth_pct",
            "fiscal_revenue.base",
            "fiscal_revenue.buoyancy",
        ]
        return pd.DataFrame(
            {
                "input": inputs,
                "value": [np.nan] * len(inputs),
                "unit": [""] * len(inputs),
                "status": ["assumed" if i in self.assumed else "sourced" for i in inputs],
                "citation": [""] * len(inputs),
            }
        )


def reference_project(scenario) -> pd.DataFrame:
    """Per-year loop projection; returns a DataFrame with the engine's columns."""
    years = list(range(scenario.base_year, scenario.end_year + 1))
    growth = scenario.growth_matrix_pct()
    deflator = scenario.deflator_path_pct()
    sh = scenario.sector_shares
    shares = [sh[s] if isinstance(sh, dict) else getattr(sh, s) for s in SECTORS]
    pop_g = float(scenario.population.growth_pct)
    inc_g = float(scenario.urban_income.growth_pct)
    b = scenario.fiscal_revenue.buoyancy

    rows = []
    va = [scenario.gdp_base * sh for sh in shares]
    index = 1.0
    pop = scenario.population.base
    pop_start = pop / (1 + pop_g / 100)  # back-cast year-start population of the base year
    income = scenario.urban_income.base
    revenue = scenario.fiscal_revenue.base
    prev = None
    for k, year in enumerate(years):
        if k > 0:
            g = growth[k - 1]
            va = [va[i] * (1 + g[i] / 100) for i in range(3)]
            index = index * (1 + deflator[k - 1] / 100)
            pop_start = pop
            pop = pop * (1 + pop_g / 100)
            income = income * (1 + inc_g / 100)
        gdp = va[0] + va[1] + va[2]
        gdp_nom = gdp * index
        row = {"year": year, "gdp_real": gdp, "gdp_nominal": gdp_nom}
        for i, s in enumerate(SECTORS):
            row[s] = va[i]
        for i, s in enumerate(SECTORS):
            row[f"{s}_nominal"] = va[i] * index
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
        row["deflator_index"] = index
        for i, s in enumerate(SECTORS):
            row[f"{s}_share"] = row[f"{s}_nominal"] / gdp_nom
        row["population"] = pop
        row["population_avg"] = (pop_start + pop) / 2
        row["gdp_per_capita"] = gdp_nom * 1e8 / row["population_avg"]
        row["urban_income"] = income
        row["fiscal_revenue"] = revenue
        row["revenue_to_gdp"] = revenue / gdp_nom * 100
        rows.append(row)
        prev = row
    return pd.DataFrame(rows)
