"""Deterministic projection of Xiqu's economy: an array core and ``project()``.

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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..errors import InputError
from ..inputs.scenario import SECTORS, Scenario
from .columns import COLUMN_INPUTS, COLUMN_PRICE_BASIS, COLUMN_UNITS, TABLE_COLUMNS, assumed_columns, column_unit
from .growth import annual_growth_pct, compound_index
from .indicators import IndicatorPath, buoyancy_path, evaluate_indicators, indicator_paths, own_growth_path, share_path

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

# --------------------------------------------------------------------------- array core

def sector_paths(va0_yi: npt.ArrayLike, growth_pct: npt.ArrayLike) -> np.ndarray:
    """Real value added of the three sectors, each compounding by its own growth.

    Parameters
    ----------
    va0_yi : array_like, shape (3,) or broadcastable to (..., 3)
        Base-year value added of primary, secondary, tertiary, 亿元 (the base
        year's current prices, which are the constant prices of the projection).
    growth_pct : array_like, shape (..., T, 3)
        Annual real growth, per cent, for years 1..T, sectors on the last axis.

    Returns
    -------
    numpy.ndarray, shape (..., T+1, 3)
        Real value added, 亿元 at constant base-year prices; row 0 is ``va0_yi``.
    """
    growth = np.asarray(growth_pct, dtype=float)
    if growth.ndim < 2 or growth.shape[-1] != len(SECTORS):
        raise ValueError(f"growth_pct must have shape (..., T, 3), got {growth.shape}")
    va0 = np.asarray(va0_yi, dtype=float)
    factors = 1.0 + growth / 100.0
    ones = np.ones(growth.shape[:-2] + (1, growth.shape[-1]))
    index = np.concatenate([ones, np.cumprod(factors, axis=-2)], axis=-2)
    return va0[..., np.newaxis, :] * index


def average_population(population_persons: npt.ArrayLike, base_growth_pct: npt.ArrayLike) -> np.ndarray:
    """Average resident population of each year (mean of year start and year end).

    Parameters
    ----------
    population_persons : array_like, shape (..., T+1)
        Year-end resident population, persons, base year first.
    base_growth_pct : float or array_like broadcastable to (...,)
        Population change during the base year, per cent (base data, the same
        for every scenario of the region); gives the base year's year-start
        population, ``P(0) / (1 + base_growth_pct/100)``.

    Returns
    -------
    numpy.ndarray, shape (..., T+1)
        ``(P_start(t) + P(t)) / 2``, persons, where ``P_start(t) = P(t-1)``.
    """
    pop = np.asarray(population_persons, dtype=float)
    start0 = pop[..., :1] / (1.0 + np.asarray(base_growth_pct, dtype=float)[..., np.newaxis] / 100.0)
    start = np.concatenate([start0, pop[..., :-1]], axis=-1)
    return (start + pop) / 2.0


def per_capita_yuan(
    gdp_nominal_yi: npt.ArrayLike, population_persons: npt.ArrayLike, base_growth_pct: npt.ArrayLike
) -> np.ndarray:
    """Per-capita GDP, 元 current, on the average resident population.

    Parameters
    ----------
    gdp_nominal_yi : array_like, shape (..., T+1)
        Nominal GDP, 亿元 current.
    population_persons : array_like, shape (..., T+1)
        Year-end resident population, persons.
    base_growth_pct : float or array_like
        Population change during the base year, per cent (see
        :func:`average_population`).

    Returns
    -------
    numpy.ndarray, shape (..., T+1)
        ``gdp_nominal_yi * 1e8 / average_population``, 元 per person.
    """
    avg = average_population(population_persons, base_growth_pct)
    return np.asarray(gdp_nominal_yi, dtype=float) * 1e8 / avg



def _with_nan_base(values: np.ndarray) -> np.ndarray:
    """Prepend a NaN base-year entry on the last axis."""
    return np.concatenate([np.full(values.shape[:-1] + (1,), np.nan), values], axis=-1)


def project_arrays(
    *,
    gdp_base_yi: float,
    shares: npt.ArrayLike,
    growth_pct: npt.ArrayLike,
    deflator_pct: npt.ArrayLike,
    population_base_persons: float,
    population_growth_pct: npt.ArrayLike,
    urban_income_base_yuan: float,
    urban_income_growth_pct: npt.ArrayLike,
    fiscal_base_yi: float,
    buoyancy: npt.ArrayLike,
    population_base_growth_pct: float = 0.0,
    sector_deflator_pct: npt.ArrayLike | None = None,
    indicators: Sequence[IndicatorPath] = (),
    indicator_growth_pct: Mapping[str, npt.ArrayLike] | None = None,
    columns: Iterable[str] | None = None,
) -> dict[str, np.ndarray]:
    """The whole projection on arrays; broadcasts over leading path dimensions.

    Parameters
    ----------
    gdp_base_yi : float
        Base-year GDP, 亿元 (current prices of the base year).
    shares : array_like, shape (3,)
        Base-year sector shares of GDP (primary, secondary, tertiary), 0-1, sum 1.
    growth_pct : array_like, shape (..., T, 3)
        Annual real sector growth, per cent, years base+1..end.
    deflator_pct : array_like, shape (..., T) or broadcastable
        Annual GDP deflator change, per cent.
    population_base_persons : float
        Year-end resident population of the base year, persons.
    population_growth_pct : float or array_like broadcastable to (..., T)
        Annual population growth, per cent.
    urban_income_base_yuan : float
        Base-year urban per-capita disposable income, 元 current.
    urban_income_growth_pct : float or array_like broadcastable to (..., T)
        Annual nominal growth of urban income, per cent.
    fiscal_base_yi : float
        Base-year general public budget revenue, 亿元 current.
    buoyancy : float or array_like broadcastable to (..., T)
        Fiscal revenue buoyancy on nominal GDP growth (dimensionless).
    population_base_growth_pct : float, default 0
        Population change during the base year, per cent: the base year's
        year-start population (:func:`average_population`). Base data, not
        a scenario's growth path.
    sector_deflator_pct : array_like, shape (..., T, 3), optional
        Each sector's own deflator, per cent a year. None (default): the one
        GDP deflator ``deflator_pct`` for every sector, and every number is
        computed by the same statements as without the option.
    indicators : sequence of IndicatorPath, optional
        The scenario's further indicators (:func:`~.indicators.indicator_paths`),
        computed after the chain by their registry rules
        (:func:`~.indicators.evaluate_indicators`); their columns follow the
        chain's.
    indicator_growth_pct : mapping of str to array_like, optional
        Growth paths (..., T) replacing an ``own_growth`` indicator's, by column.
    columns : iterable of str, optional
        Only compute and return these columns (names of
        :data:`TABLE_COLUMNS` or of ``indicators``); all when None. The
        Monte Carlo asks for a few columns on 100,000 paths; the numbers are
        computed by the same statements either way.

    Returns
    -------
    dict of str to numpy.ndarray
        One entry per requested column of :data:`TABLE_COLUMNS` except
        ``year`` (in table order), then the indicators' columns, each of
        shape ``(..., T+1)`` (leading dimensions of ``growth_pct``); units as
        in :data:`COLUMN_UNITS` (the indicators': their registry units).
        Growth, pull and contribution entries are NaN at index 0 (the base
        year).

    Raises
    ------
    ValueError
        On a wrong shape or an unknown column name.

    Notes
    -----
    GDP is summed as ``primary + secondary + tertiary`` in that fixed order
    (never with a reduction whose order could depend on the array's shape), so
    a path equal to the deterministic growth gives exactly the deterministic
    numbers.
    """
    growth = np.asarray(growth_pct, dtype=float)
    if growth.ndim < 2 or growth.shape[-1] != 3:
        raise ValueError(f"growth_pct must have shape (..., T, 3), got {growth.shape}")
    lead, T = growth.shape[:-2], growth.shape[-2]
    share = np.asarray(shares, dtype=float)
    if share.shape != (3,):
        raise ValueError(f"shares must have shape (3,), got {share.shape}")
    extra_columns = [p.column for p in indicators]
    if columns is None:
        want = set(TABLE_COLUMNS[1:]) | set(extra_columns)
    else:
        want = set(columns)
        unknown = want - set(TABLE_COLUMNS[1:]) - set(extra_columns)
        if unknown:
            raise ValueError(f"unknown projection columns: {', '.join(sorted(unknown))}")
    extras_wanted = [c for c in extra_columns if c in want]
    if extras_wanted:  # their drivers may be any of the chain's columns
        want |= set(TABLE_COLUMNS[1:])

    def needs(*names: str) -> bool:
        return any(n in want for n in names)

    out: dict[str, np.ndarray] = {}
    # real and nominal levels: always (everything else derives from them)
    va = sector_paths(gdp_base_yi * share, growth)  # (..., T+1, 3) constant prices
    sec = [va[..., i] for i in range(3)]  # each (..., T+1)
    gdp = sec[0] + sec[1] + sec[2]
    if sector_deflator_pct is None:
        defl = np.broadcast_to(np.asarray(deflator_pct, dtype=float), lead + (T,))
        index = compound_index(defl)
        gdp_nom = gdp * index
        sec_nom = None
    else:
        sdefl = np.broadcast_to(np.asarray(sector_deflator_pct, dtype=float), lead + (T, 3))
        sec_nom = [v * compound_index(sdefl[..., i]) for i, v in enumerate(sec)]
        gdp_nom = sec_nom[0] + sec_nom[1] + sec_nom[2]
        index = gdp_nom / gdp  # the implicit GDP deflator
    out["gdp_real"], out["gdp_nominal"] = gdp, gdp_nom
    out.update(zip(SECTORS, sec))
    if needs(*(f"{s}_nominal" for s in SECTORS)):
        if sec_nom is None:
            out.update((f"{s}_nominal", v * index) for s, v in zip(SECTORS, sec))
        else:
            out.update((f"{s}_nominal", v) for s, v in zip(SECTORS, sec_nom))

    contribution_cols = [f"{s}_contribution" for s in SECTORS]
    if needs("gdp_growth", *contribution_cols):
        out["gdp_growth"] = gdp_growth = annual_growth_pct(gdp)
    if needs(*(f"{s}_growth" for s in SECTORS)):
        out.update((f"{s}_growth", _with_nan_base(growth[..., i])) for i, s in enumerate(SECTORS))
    if needs(*(f"{s}_pull" for s in SECTORS), *contribution_cols):
        with np.errstate(divide="ignore", invalid="ignore"):
            pulls = [_with_nan_base((v[..., 1:] - v[..., :-1]) / gdp[..., :-1] * 100.0) for v in sec]
            out.update((f"{s}_pull", p) for s, p in zip(SECTORS, pulls))
            if needs(*contribution_cols):
                out.update(
                    (f"{s}_contribution", np.where(gdp_growth == 0.0, np.nan, p / gdp_growth * 100.0))
                    for s, p in zip(SECTORS, pulls)
                )
    out["deflator_index"] = index
    nominal_growth = annual_growth_pct(gdp_nom)
    out["nominal_growth"] = nominal_growth
    if needs(*(f"{s}_share" for s in SECTORS)):
        if sec_nom is None:
            out.update((f"{s}_share", v * index / gdp_nom) for s, v in zip(SECTORS, sec))
        else:
            out.update((f"{s}_share", v / gdp_nom) for s, v in zip(SECTORS, sec_nom))

    if needs("population", "population_avg", "gdp_per_capita", "gdp_per_capita_real"):
        pop_growth = np.broadcast_to(np.asarray(population_growth_pct, dtype=float), lead + (T,))
        pop = population_base_persons * compound_index(pop_growth)
        pop_avg = average_population(pop, np.full(lead, float(population_base_growth_pct)))
        out["population"], out["population_avg"] = pop, pop_avg
        out["gdp_per_capita"] = gdp_nom * 1e8 / pop_avg
        out["gdp_per_capita_real"] = gdp * 1e8 / pop_avg
    # urban income and budget revenue: the registry's own_growth and buoyancy rules, on their own sections
    if needs("urban_income"):
        inc_growth = np.broadcast_to(np.asarray(urban_income_growth_pct, dtype=float), lead + (T,))
        out["urban_income"] = own_growth_path(urban_income_base_yuan, inc_growth)
    if needs("fiscal_revenue", "revenue_to_gdp"):
        revenue = buoyancy_path(np.full(lead, float(fiscal_base_yi)), buoyancy, nominal_growth[..., 1:])
        out["fiscal_revenue"] = revenue
        out["revenue_to_gdp"] = share_path(revenue, gdp_nom)
    result = {c: out[c] for c in TABLE_COLUMNS[1:] if c in want}
    if extras_wanted:
        added = evaluate_indicators(indicators, out, lead, T, indicator_growth_pct)
        result.update((c, added[c]) for c in extra_columns if c in want)
    return result


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
            raise InputError(source, field_, f"the projection of {column} is not a finite number in {year}: "
                             "the growth rates compound beyond what a computer can hold")

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
            f"buoyancy {scenario.fiscal_revenue.buoyancy:g} x nominal GDP growth {nominal[i]:.4g}% gives revenue "
            f"growth of {revenue[i]:.4g}% in {scenario.base_year + 1 + i}, at or below -100%",
        )
    for column in ("fiscal_revenue", "revenue_to_gdp"):
        not_finite(column, arrays[column])
    for key, rule in scenario.indicator_rules.items():
        bad = np.flatnonzero(~np.isfinite(arrays[rule.column]))
        if bad.size:
            field_ = f"indicators.{key}" + {"own_growth": ".growth_pct", "buoyancy": ".buoyancy"}.get(rule.rule, "")
            raise InputError(source, field_, f"the projection of {rule.column} is not a finite number in "
                             f"{scenario.base_year + int(bad[0])}: the growth rates compound beyond what a "
                             "computer can hold")


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
    table : pandas.DataFrame
        One row per year base..end, columns :data:`TABLE_COLUMNS` in order,
        then one column per further indicator of the scenario
        (:attr:`indicator_columns`); ``year`` is int64; units in
        :data:`COLUMN_UNITS` (the indicators': :meth:`unit`). Treat as read-only.
    assumed_columns : frozenset of str
        Columns that depend on at least one assumed input
        (:func:`assumed_columns`; see :data:`COLUMN_INPUTS`).
    """

    scenario: Scenario
    table: pd.DataFrame = field(repr=False)
    assumed_columns: frozenset[str] = frozenset()

    @property
    def years(self) -> np.ndarray:
        """Years base..end, int64 array."""
        return self.table["year"].to_numpy()

    @property
    def base_year(self) -> int:
        """First year of the table (the base year)."""
        return int(self.table["year"].iloc[0])

    @property
    def end_year(self) -> int:
        """Last projected year."""
        return int(self.table["year"].iloc[-1])

    def column(self, name: str) -> pd.Series:
        """One column as a Series indexed by year (units: :data:`COLUMN_UNITS`)."""
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
    table = pd.DataFrame({"year": years, **arrays},
                         columns=[*TABLE_COLUMNS, *(r.column for r in scenario.indicator_rules.values())])
    return ProjectionResult(scenario=scenario, table=table, assumed_columns=assumed_columns(scenario))
