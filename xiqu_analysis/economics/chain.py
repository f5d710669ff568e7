"""The GDP chain on arrays: sectors, prices, population and per-capita GDP, then the registry's rules.

:func:`project_arrays` is the whole projection on numpy arrays whose last axis
(or last two, for sector arrays) is time; leading "path" dimensions broadcast
through unchanged, so the Monte Carlo and :func:`~.projection.project` run the
very same statements. The formulas are in :mod:`.projection`'s docstring;
the further indicators' rules in :mod:`.indicators`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from ..inputs.scenario import SECTORS
from .columns import TABLE_COLUMNS
from .growth import annual_growth_pct, chain_index, compound_index, empty_extended
from .indicators import IndicatorPath, buoyancy_path, evaluate_indicators, own_growth_path, share_path

__all__ = ["sector_paths", "average_population", "per_capita_yuan", "project_arrays"]

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
    return va0[..., np.newaxis, :] * chain_index(1.0 + growth / 100.0, axis=-2)


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
    shape = np.broadcast_shapes(start0.shape[:-1] + pop.shape[-1:], pop.shape)
    out = np.empty_like(pop) if shape == pop.shape else np.empty(shape)
    np.add(start0, pop[..., :1], out=out[..., :1])  # (start + end) / 2, year by year
    np.add(pop[..., :-1], pop[..., 1:], out=out[..., 1:])
    out /= 2.0
    return out


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
    out = empty_extended(values, -1)
    out[..., 0] = np.nan
    out[..., 1:] = values
    return out


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
        pop_growth = np.asarray(population_growth_pct, dtype=float)
        full = lead + (T + 1,)
        np.broadcast_shapes(pop_growth.shape, lead + (T,))  # the shape is checked as for the other inputs
        # chained on the shape given: a path the same for every draw is computed once and broadcast
        pop = population_base_persons * compound_index(pop_growth if pop_growth.ndim else np.full(T, pop_growth))
        pop_avg = average_population(pop, np.full(pop.shape[:-1], float(population_base_growth_pct)))
        if pop.shape != full:
            pop, pop_avg = np.broadcast_to(pop, full), np.broadcast_to(pop_avg, full)
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
