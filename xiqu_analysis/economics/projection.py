"""Deterministic projection of a region's economy: the formulas, ``project()`` and its result (arrays: :mod:`.chain`).

The engine is deliberately simple and fully vectorised. All formulas run on
numpy arrays whose *last* axis (or last two axes, for sector arrays) is time;
any number of leading "path" dimensions broadcast through unchanged. The Monte
Carlo module calls :func:`project_arrays` with ``(n_paths, T, 3)`` growth, and
:func:`project` calls the very same function with ``(T, 3)`` growth, so zero
shocks reproduce the deterministic projection bit for bit.

Semantics
---------
Let ``t = 0`` be the base year (2020 in the shipped scenarios) and
``t = 1..T`` the projected years.

* Real sector value added at constant base-year prices compounds by its own
  real growth path::

      VA_s(0) = gdp_base * share_s            (亿元)
      VA_s(t) = VA_s(t-1) * (1 + g_s(t)/100)

  Real GDP is the sum of the three sectors (primary, secondary, tertiary).
* One GDP deflator: ``index(t) = prod_{k<=t} (1 + d(k)/100)``, 1 at the base.
  Nominal GDP and nominal sector value added are the real values times that
  index. Because a single deflator is applied to every sector, **nominal
  sector shares equal real sector shares**; the model cannot represent
  relative price changes between sectors unless the scenario gives
  ``sector_deflator_pct``: then each sector named there has its own index,
  nominal GDP is the sum of the nominal sectors and the GDP deflator index is
  implicit, ``nominal GDP / real GDP``. Without it the numbers are exactly
  those of the single deflator.
* Fiscal revenue (general public budget revenue, 亿元 current) grows with a
  buoyancy ``b`` on nominal GDP growth ``gN``: ``R(t) = R(t-1) * (1 + b*gN(t)/100)``.
* Urban per-capita disposable income (元, current) and the resident
  population (persons, year-end) grow at their own rates.
* Per-capita GDP (元, current) is nominal GDP divided by the *average*
  resident population of the year, the mean of the year-start and year-end
  populations (NBS practice: 人均地区生产总值 uses the annual average resident
  population). The year-start population of year t is the year-end
  population of t-1. The base year is observed, so its year-start population
  comes from base data, never from a scenario's assumed growth:
  ``P_start(0) = P(0) / (1 + p0/100)`` with ``p0`` the scenario's
  ``population.base_year_growth_pct`` (the population's change during the
  base year; 0 when not given, making the year-end count the average). Every
  scenario with the same base data has the same base-year row.
  Note: the plan's 2020 per-capita GDP of 65,801 元 (plan ch.1 §3.2) with GDP
  of 82.91 亿元 implies an average population of about 126,000 persons
  (82.91e8 / 65801 = 126,001), below the 2020 census count of 129,406, so the
  plan's figure and this projection's base-year per-capita GDP need not agree.
  ``gdp_per_capita_real`` is real GDP (constant base-year prices) over the
  same average population: per-capita GDP at constant base-year prices, the
  one to set against another region's base-year level.
* Contributions: the pull (拉动) of sector s in year t is
  ``pull_s(t) = (VA_s(t) - VA_s(t-1)) / GDP(t-1) * 100`` percentage points;
  the pulls add up to real GDP growth. The contribution rate (贡献率) is
  ``pull_s(t) / gdp_growth(t) * 100`` per cent of growth (NaN when growth is
  exactly 0); contributions add up to 100.
* The base-year row has NaN for every growth, pull and contribution column.

Units: ``_yi`` = 亿元 (1e8 yuan), ``_yuan`` = 元, ``_persons`` = persons,
``_pct`` = per cent (a growth rate of 7.5 means 7.5 % a year).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Mapping

import numpy as np

if TYPE_CHECKING:  # a projection is computed without pandas; its table is made when first read
    import pandas as pd

from ..errors import InputError
from ..inputs.scenario import SECTORS, Scenario
from .chain import average_population, per_capita_yuan, project_arrays, sector_paths
from .columns import COLUMN_INPUTS, COLUMN_PRICE_BASIS, COLUMN_UNITS, TABLE_COLUMNS, assumed_columns, column_unit
from .indicators import indicator_paths

__all__ = [
    "SECTORS",
    "TABLE_COLUMNS",
    "COLUMN_UNITS",
    "COLUMN_PRICE_BASIS",
    "COLUMN_INPUTS",
    "sector_paths",
    "average_population",
    "per_capita_yuan",
    "project_arrays",
    "scenario_inputs",
    "project",
    "check_projection",
    "assumed_columns",
    "ProjectionResult",
]


# --------------------------------------------------------------------------- scenario level
def scenario_inputs(scenario: Scenario) -> dict:
    """Keyword arguments of :func:`project_arrays` read from a scenario.

    Returns
    -------
    dict
        ``gdp_base_yi`` (亿元), ``shares`` (3,), ``growth_pct`` (T, 3) per cent,
        ``deflator_pct`` (T,) per cent, ``population_base_persons``,
        ``population_growth_pct`` (T,), ``urban_income_base_yuan``,
        ``urban_income_growth_pct`` (T,), ``fiscal_base_yi`` (亿元),
        ``buoyancy``, ``population_base_growth_pct`` (per cent, the base
        year's own change) and ``sector_deflator_pct`` ((T, 3) or None). The
        Monte Carlo replaces ``growth_pct``, ``deflator_pct`` (and
        ``sector_deflator_pct``, ``population_growth_pct``) with path arrays.
    """
    return dict(
        gdp_base_yi=float(scenario.gdp_base),
        shares=scenario.sector_shares.as_array(),
        growth_pct=np.asarray(scenario.growth_matrix_pct(), dtype=float),
        deflator_pct=scenario.deflator_path_pct(),
        population_base_persons=float(scenario.population.base),
        population_growth_pct=scenario.population_growth_path_pct(),
        urban_income_base_yuan=float(scenario.urban_income.base),
        urban_income_growth_pct=scenario.urban_income_growth_path_pct(),
        fiscal_base_yi=float(scenario.fiscal_revenue.base),
        buoyancy=float(scenario.fiscal_revenue.buoyancy),
        population_base_growth_pct=scenario.population_base_year_growth_pct(),
        sector_deflator_pct=scenario.sector_deflator_matrix_pct(),
        indicators=indicator_paths(scenario),
    )


#: the input named when a column's path is not finite (the usual cause)
_OVERFLOW_FIELD = {
    "deflator_index": "deflator_pct",
    "population": "population.growth_pct",
    "population_avg": "population.growth_pct",
    "gdp_per_capita_real": "population.growth_pct",
    "urban_income": "urban_income.growth_pct",
    "fiscal_revenue": "fiscal_revenue.buoyancy",
    "revenue_to_gdp": "fiscal_revenue.buoyancy",
}


def _check_arrays(scenario: Scenario, arrays: dict[str, np.ndarray]) -> None:
    """Refuse a projection whose paths are not finite or whose revenue would vanish.

    The GDP, price and population paths are checked first: once one of them
    has left the floats, the nominal growth (and so the revenue growth) of
    that year means nothing, and the input that compounded it is named
    rather than the buoyancy.
    """
    source = str(scenario.source_path or scenario.name)

    def not_finite(column: str, values: np.ndarray, offset: int = 0) -> None:
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            year = scenario.base_year + offset + int(bad[0])
            field_ = _OVERFLOW_FIELD.get(column, "real_growth_pct")
            raise InputError(source, field_, "the projection of {column} is not a finite number in {year}: the growth "
                             "rates compound beyond what a computer can hold", column=column, year=year)

    for column in _LEVEL_COLUMNS:
        not_finite(column, arrays[column])
    nominal = arrays["nominal_growth"][1:]
    not_finite("nominal_growth", nominal, offset=1)  # a level that underflowed to zero
    revenue = scenario.fiscal_revenue.buoyancy * nominal
    bad = np.flatnonzero(revenue <= -100.0)
    if bad.size:
        i = int(bad[0])
        raise InputError(
            source, "fiscal_revenue.buoyancy",
            "buoyancy {buoyancy:g} x nominal GDP growth {nominal:.4g}% gives revenue growth of {revenue:.4g}% in "
            "{year}, at or below -100%", buoyancy=scenario.fiscal_revenue.buoyancy, nominal=nominal[i],
            revenue=revenue[i], year=scenario.base_year + 1 + i,
        )
    for column in ("fiscal_revenue", "revenue_to_gdp"):
        not_finite(column, arrays[column])
    for key, rule in scenario.indicator_rules.items():
        bad = np.flatnonzero(~np.isfinite(arrays[rule.column]))
        if bad.size:
            field_ = f"indicators.{key}" + {"own_growth": ".growth_pct", "buoyancy": ".buoyancy"}.get(rule.rule, "")
            raise InputError(source, field_, "the projection of {column} is not a finite number in {year}: the growth "
                             "rates compound beyond what a computer can hold", column=rule.column,
                             year=scenario.base_year + int(bad[0]))


#: level columns checked for finiteness before the revenue (every other column derives from them)
_LEVEL_COLUMNS = ("gdp_real", *SECTORS, "gdp_nominal", "deflator_index", "population", "population_avg",
                  "gdp_per_capita", "gdp_per_capita_real", "urban_income")


def check_projection(scenario: Scenario) -> None:
    """Check that ``scenario`` can be projected: finite paths, revenue growth above -100 %.

    Raises
    ------
    InputError
        ``(scenario file, field, problem)``: the field most likely at fault
        (``fiscal_revenue.buoyancy``, ``real_growth_pct``, ``deflator_pct``, ...).
    """
    with np.errstate(all="ignore"):
        arrays = project_arrays(**scenario_inputs(scenario))
    _check_arrays(scenario, arrays)


@dataclass(frozen=True)
class ProjectionResult:
    """One deterministic projection of a scenario.

    Attributes
    ----------
    scenario : Scenario
        The scenario projected.
    arrays : mapping of str to numpy.ndarray
        ``year`` (int64) and every column of the table (float64), one value per year base..end.
    table : pandas.DataFrame
        One row per year base..end, columns :data:`TABLE_COLUMNS` in order,
        then one column per further indicator of the scenario
        (:attr:`indicator_columns`); ``year`` is int64; units in
        :data:`COLUMN_UNITS` (the indicators': :meth:`unit`). Made from
        ``arrays`` when first read (the command line prints a projection
        without pandas). Treat as read-only.
    assumed_columns : frozenset of str
        Columns that depend on at least one assumed input
        (:func:`assumed_columns`; see :data:`COLUMN_INPUTS`).
    """

    scenario: Scenario
    arrays: Mapping[str, np.ndarray] = field(repr=False)
    assumed_columns: frozenset[str] = frozenset()

    @cached_property
    def table(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(dict(self.arrays), columns=list(self.columns))

    @property
    def columns(self) -> tuple[str, ...]:
        """The table's columns in order: ``year``, the rest of :data:`TABLE_COLUMNS`, :attr:`indicator_columns`."""
        return (*TABLE_COLUMNS, *self.indicator_columns)

    @property
    def years(self) -> np.ndarray:
        """Years base..end, int64 array."""
        return np.asarray(self.arrays["year"])

    @property
    def base_year(self) -> int:
        """First year of the table (the base year)."""
        return int(self.arrays["year"][0])

    @property
    def end_year(self) -> int:
        """Last projected year."""
        return int(self.arrays["year"][-1])

    def column(self, name: str) -> pd.Series:
        """One column as a Series indexed by year (units: :data:`COLUMN_UNITS`)."""
        import pandas as pd

        if name not in self.table.columns or name == "year":
            known = ", ".join([*TABLE_COLUMNS[1:], *self.indicator_columns])
            raise KeyError(f"unknown projection column {name!r}; known: {known}")
        return pd.Series(self.table[name].to_numpy(), index=pd.Index(self.years, name="year"), name=name)

    def at(self, year: int, column: str) -> float:
        """Value of ``column`` in ``year`` (float; units: :data:`COLUMN_UNITS`).

        Raises
        ------
        KeyError
            If the column is unknown or the year outside base..end.
        """
        series = self.column(column)
        if int(year) not in series.index:
            raise KeyError(f"year {year} outside the projection {self.base_year}-{self.end_year}")
        return float(series.loc[int(year)])

    def is_assumed(self, column: str) -> bool:
        """True if ``column`` depends on an assumed scenario input."""
        return column in self.assumed_columns

    def unit(self, column: str) -> str:
        """Unit of a column (``"亿元"``, ``"元"``, ``"persons"``, ``"%"``, ``"pp"``, ...)."""
        return column_unit(column, self.scenario)

    @property
    def indicator_columns(self) -> tuple[str, ...]:
        """Columns of the scenario's further indicators (registry rules), after :data:`TABLE_COLUMNS`."""
        return tuple(r.column for r in self.scenario.indicator_rules.values())


def project(scenario: Scenario) -> ProjectionResult:
    """Project a scenario year by year from its base year to its end year.

    Parameters
    ----------
    scenario : xiqu_analysis.inputs.scenario.Scenario

    Returns
    -------
    ProjectionResult
        Table of :data:`TABLE_COLUMNS` (see the module docstring for the
        formulas) and the set of columns resting on assumptions.

    Raises
    ------
    InputError
        When the projection is not finite or revenue growth reaches -100 %
        (:func:`check_projection`).
    """
    with np.errstate(all="ignore"):
        arrays = project_arrays(**scenario_inputs(scenario))
    _check_arrays(scenario, arrays)
    years = np.arange(int(scenario.base_year), int(scenario.end_year) + 1, dtype=np.int64)
    return ProjectionResult(scenario=scenario, arrays={"year": years, **arrays},
                            assumed_columns=assumed_columns(scenario))
