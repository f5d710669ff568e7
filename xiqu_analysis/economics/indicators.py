"""The registry's projection rules on arrays: a scenario's further indicators, after the GDP chain.

The GDP chain (:mod:`.projection`: the ``sectors``, ``level_path`` and
``per_capita`` rules of GDP, the sectors, the population and per-capita GDP)
computes its columns first; then each further indicator the scenario carries
(:attr:`~xiqu_analysis.inputs.scenario.Scenario.indicator_rules`, resolved from
the registry ``data/indicators.csv``) adds a column, in order, by one of four
rules. Every formula broadcasts over leading path dimensions, so the Monte
Carlo runs through the same statements:

``own_growth``
    ``X(t) = X(0) * prod_{k<=t} (1 + g(k)/100)`` (:func:`own_growth_path`);
    urban income is this rule too.
``buoyancy``
    ``X(t) = X(t-1) * (1 + b * gD(t)/100)`` with ``gD`` the growth of the
    driver's column (:func:`buoyancy_path`); budget revenue on nominal GDP is
    this rule too.
``per_capita``
    the aggregate over the average resident population of the year, times the
    unit factor (亿元 -> 元: 1e8) (:func:`per_capita_path`).
``share``
    the part over the whole, in per cent (:func:`share_path`).

Units: each column in its registry unit (``IndicatorRule.unit``); levels at
current prices (nominal growth), never mixed with the chain's real growth.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .growth import annual_growth_pct, chain_index, compound_index

__all__ = ["IndicatorPath", "own_growth_path", "buoyancy_path", "per_capita_path", "share_path",
           "indicator_paths", "evaluate_indicators", "indicator_inputs"]


def own_growth_path(base: npt.ArrayLike, growth_pct: npt.ArrayLike) -> np.ndarray:
    """A level growing at its own rate.

    Parameters
    ----------
    base : float or array_like broadcastable to (...,)
        The base year's level (any unit; the result is in the same unit).
    growth_pct : array_like, shape (..., T)
        Growth, per cent a year, years base+1..end.

    Returns
    -------
    numpy.ndarray, shape (..., T+1)
        ``base * compound_index(growth_pct)``; element 0 is ``base``.
    """
    return np.asarray(base, dtype=float)[..., np.newaxis] * compound_index(np.asarray(growth_pct, dtype=float))


def buoyancy_path(base: npt.ArrayLike, buoyancy: npt.ArrayLike, driver_growth_pct: npt.ArrayLike) -> np.ndarray:
    """A level whose growth is ``buoyancy`` times a driver's growth.

    ``X(t) = X(t-1) * (1 + buoyancy * gD(t) / 100)``.

    Parameters
    ----------
    base : float or array_like broadcastable to (...,)
        The base year's level (the result's unit).
    buoyancy : float or array_like broadcastable to (..., T)
        Growth per unit of the driver's growth (1 keeps the ratio to the driver constant).
    driver_growth_pct : array_like, shape (..., T)
        The driver's growth, per cent, years base+1..end.

    Returns
    -------
    numpy.ndarray, shape (..., T+1)
        Element 0 is ``base``.
    """
    g = np.asarray(driver_growth_pct, dtype=float)
    if g.ndim == 0:
        raise ValueError("driver_growth_pct must have a time axis (shape (..., T))")
    factors = 1.0 + np.asarray(buoyancy, dtype=float) * g / 100.0
    return np.asarray(base, dtype=float)[..., np.newaxis] * chain_index(factors, axis=-1)


def per_capita_path(aggregate: npt.ArrayLike, average_population_persons: npt.ArrayLike,
                    factor: float = 1.0) -> np.ndarray:
    """An aggregate per resident: ``aggregate * factor / average population``.

    ``factor`` converts the aggregate's unit to the result's (亿元 -> 元: 1e8).
    """
    return np.asarray(aggregate, dtype=float) * factor / np.asarray(average_population_persons, dtype=float)


def share_path(part: npt.ArrayLike, whole: npt.ArrayLike) -> np.ndarray:
    """A part as per cent of a whole (both in one unit): ``part / whole * 100``."""
    return np.asarray(part, dtype=float) / np.asarray(whole, dtype=float) * 100.0


@dataclass(frozen=True)
class IndicatorPath:
    """One further indicator on arrays: its rule, column and inputs.

    Attributes
    ----------
    column : str
    rule : {"own_growth", "buoyancy", "per_capita", "share"}
    base : float
        The base year's level (``own_growth``, ``buoyancy``), the column's unit; NaN otherwise.
    growth_pct : numpy.ndarray or None
        ``own_growth``: shape (T,) or (..., T), per cent a year.
    buoyancy : float
        ``buoyancy``: the elasticity on the driver's growth.
    driver, of : str or None
        Columns the rule reads (see :class:`~xiqu_analysis.inputs.scenario.IndicatorRule`).
    factor : float
        ``per_capita``: the unit factor.
    """

    column: str
    rule: str
    base: float = float("nan")
    growth_pct: np.ndarray | None = None
    buoyancy: float = float("nan")
    driver: str | None = None
    of: str | None = None
    factor: float = 1.0


def indicator_paths(scenario) -> tuple[IndicatorPath, ...]:
    """The further indicators of a scenario as :class:`IndicatorPath` records, in computation order."""
    out = []
    for key, rule in scenario.indicator_rules.items():
        given = scenario.indicators.get(key)
        out.append(IndicatorPath(
            column=rule.column, rule=rule.rule,
            base=float(given.base) if given is not None else float("nan"),
            growth_pct=scenario.growth_path_pct(f"indicators.{key}.growth_pct")
            if given is not None and given.growth_pct is not None else None,
            buoyancy=float(given.buoyancy) if given is not None and given.buoyancy is not None else float("nan"),
            driver=rule.driver, of=rule.of, factor=float(rule.factor)))
    return tuple(out)


def evaluate_indicators(paths: Sequence[IndicatorPath], columns: Mapping[str, np.ndarray],
                        lead: tuple[int, ...], T: int,
                        growth: Mapping[str, npt.ArrayLike] | None = None) -> dict[str, np.ndarray]:
    """The further indicators' columns, each from the chain's columns and those before it.

    Parameters
    ----------
    paths : sequence of IndicatorPath
        In computation order (a driver before what it drives).
    columns : mapping of str to numpy.ndarray
        The chain's columns, shape (..., T+1), including ``population_avg``
        when a ``per_capita`` indicator is asked for.
    lead : tuple of int
        Leading (path) dimensions.
    T : int
        Number of growth years.
    growth : mapping of str to array_like, optional
        A growth path (..., T) per column replacing an ``own_growth`` input
        (the Monte Carlo's shocked paths); the scenario's otherwise.

    Returns
    -------
    dict of str to numpy.ndarray
        One entry per path's column, shape (..., T+1).
    """
    known = dict(columns)
    out: dict[str, np.ndarray] = {}
    for p in paths:
        if p.rule == "own_growth":
            g = (growth or {}).get(p.column, p.growth_pct)
            values = own_growth_path(np.full(lead, p.base), np.broadcast_to(np.asarray(g, dtype=float), lead + (T,)))
        elif p.rule == "buoyancy":
            values = buoyancy_path(np.full(lead, p.base), p.buoyancy, annual_growth_pct(known[p.driver])[..., 1:])
        elif p.rule == "per_capita":
            values = per_capita_path(known[p.driver], known["population_avg"], p.factor)
        elif p.rule == "share":
            values = share_path(known[p.driver], known[p.of])
        else:
            raise ValueError(f"unknown rule {p.rule!r} of column {p.column!r}")
        out[p.column] = known[p.column] = values
    return out


def indicator_inputs(scenario, chain_inputs: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Scenario inputs (dotted paths) each further indicator's column depends on.

    ``chain_inputs`` are the chain's (:data:`~.columns.COLUMN_INPUTS`); a driver's inputs count too.
    """
    deps: dict[str, tuple[str, ...]] = dict(chain_inputs)
    out: dict[str, tuple[str, ...]] = {}
    for key, rule in scenario.indicator_rules.items():
        own = {"own_growth": (f"indicators.{key}.base", f"indicators.{key}.growth_pct"),
               "buoyancy": (f"indicators.{key}.base", f"indicators.{key}.buoyancy", *deps.get(rule.driver or "", ())),
               "per_capita": (*deps.get(rule.driver or "", ()), *deps.get("population_avg", ())),
               "share": (*deps.get(rule.driver or "", ()), *deps.get(rule.of or "", ()))}[rule.rule]
        out[rule.column] = deps[rule.column] = tuple(dict.fromkeys(own))
    return out
