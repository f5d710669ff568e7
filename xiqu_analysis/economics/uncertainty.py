"""Monte Carlo uncertainty around a scenario: paths, percentiles and target probabilities.

The shocks (AR(1), cross-correlated across sectors, an iid deflator shock) and
the derivation of their default sizes are in :mod:`.shocks`. The shocked
growth arrays, shape ``(n_paths, T, 3)`` and ``(n_paths, T)``, go through
:func:`xiqu_analysis.economics.projection.project_arrays`, the same chain that
:func:`~xiqu_analysis.economics.projection.project` uses on ``(T, 3)``. With
every sd set to zero the shocks are exactly zero, so every path, and
therefore every percentile, equals the deterministic projection bit for bit.

Probabilities
-------------
:attr:`SimulationResult.probabilities` reports, per growth target of the
region passed to :func:`simulate` (:func:`plan_targets`: its kind ``target``
figures with a ``projection_column`` in ``data/indicators.csv``; for Xiqu the
2021-2025 floors of plan ch.2 §4.2; none without a region), the share of paths
whose *average annual* growth over the target's period is at least the target
(tolerance 1e-9 pp, so a path exactly on the floor meets it), and, when the
region has a ``long_range_year`` (or ``doubling_by`` is given), the share of
paths whose real GDP in that year is at least double the base year's
(row :func:`doubling_label`, e.g. ``gdp_real_doubles_2020_by_2035``): an
analytic benchmark, not a target in the plan.

Units: 亿元 = 1e8 yuan; growth and shocks in per cent / percentage points.
"""
from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..inputs.regions import RegionData
from ..inputs.scenario import MAX_PATHS, SECTORS, Scenario
from ..periods import parse_period
from .columns import GROWTH_TO_LEVEL
from .growth import average_growth_pct
from .projection import check_projection, project_arrays, scenario_inputs
from .shocks import GROWTH_FLOOR_PCT, UncertaintySpec, check_random_state, draw_shocks
from .target_gaps import direction_of

__all__ = [
    "PERCENTILES",
    "PERCENTILE_COLUMNS",
    "PROBABILITY_COLUMNS",
    "INDICATOR_UNITS",
    "SIMULATED_COLUMNS",
    "MAX_PATHS",
    "SimulationResult",
    "GrowthTarget",
    "plan_targets",
    "doubling_label",
    "is_doubling",
    "percentiles_of",
    "percentiles_of_each",
    "THREADED_PERCENTILES_MIN_VALUES",
    "simulate_paths",
    "simulate",
]

#: Percentiles reported, in per cent.
PERCENTILES: tuple[int, ...] = (5, 10, 25, 50, 75, 90, 95)
PERCENTILE_COLUMNS: tuple[str, ...] = tuple(f"p{q}" for q in PERCENTILES)

#: Indicators summarised in :attr:`SimulationResult.percentiles` and their units.
INDICATOR_UNITS: dict[str, str] = {
    "gdp_real": "亿元",  # constant base-year prices
    "gdp_nominal": "亿元",  # current prices
    "gdp_per_capita": "元",  # current prices, on the average resident population
    "fiscal_revenue": "亿元",  # current prices
}


_TARGET_TOLERANCE_PP = 1e-9


# --------------------------------------------------------------------------- targets
@dataclass(frozen=True)
class GrowthTarget:
    """A growth target checked on simulated paths.

    Attributes
    ----------
    label : str
        Name shown in the probabilities table (the figure id when from data/).
    column : str
        Level path it applies to (``primary``, ``secondary``, ``tertiary``,
        ``gdp_real``, ``gdp_nominal``, ``gdp_per_capita``, ``fiscal_revenue``).
    start_year, end_year : int
        Average growth from ``start_year`` to ``end_year`` (period 2021-2025 ->
        2020 to 2025).
    floor_pct : float
        Required average annual growth, per cent (the bound).
    note : str
        Source and mapping notes.
    direction : str
        ``"at_least"`` (a floor, 不低于: met if growth >= bound, the plan's
        case) or ``"at_most"`` (a ceiling: met if growth <= bound), read as
        :mod:`xiqu_analysis.economics.targets` reads it.
    """

    label: str
    column: str
    start_year: int
    end_year: int
    floor_pct: float
    note: str = ""
    direction: str = "at_least"


_LEVEL_COLUMNS = frozenset((*INDICATOR_UNITS, *SECTORS))


def plan_targets(region: RegionData) -> list[GrowthTarget]:
    """The region's growth targets that can be checked on simulated paths.

    Reads the region's ``kind == "target"`` figures whose indicator has a
    ``projection_column`` in the data dictionary naming a growth column
    (``secondary_growth``, ``gdp_growth``, ...) or a level column, a
    ``period`` and a per-cent unit (for Xiqu: the 2021-2025 floors of plan
    ch.2 §4.2).

    Returns
    -------
    list of GrowthTarget
    """
    indicators = region.indicators
    mapping = {
        str(r.indicator): str(r.projection_column).strip()
        for r in indicators.itertuples()
        if isinstance(r.projection_column, str) and r.projection_column.strip()
    }
    figs = region.figures
    rows = figs[(figs["kind"].astype(str) == "target") & (figs["region"].astype(str) == region.key)]
    out: list[GrowthTarget] = []
    for r in rows.itertuples():
        column = mapping.get(str(r.indicator), "")
        level = GROWTH_TO_LEVEL.get(column, column)
        period = str(r.period).strip() if isinstance(r.period, str) else ""
        if level not in _LEVEL_COLUMNS or not period or str(r.unit) != "%":
            continue
        if column != level and column not in GROWTH_TO_LEVEL:
            continue
        a, b = parse_period(period)
        note = f"{r.source} 「{r.quote}」" + (f" ({r.note})" if isinstance(r.note, str) and r.note else "")
        direction = direction_of({"note": r.note, "quote": r.quote})
        out.append(GrowthTarget(str(r.id), level, a - 1, b, float(r.value), note, direction))
    return out


def doubling_label(base_year: int, by_year: int) -> str:
    """Code of the doubling benchmark in the probabilities table (``gdp_real_doubles_2020_by_2035``)."""
    return f"gdp_real_doubles_{base_year}_by_{by_year}"


def is_doubling(code: str) -> bool:
    """True for the code of a doubling benchmark row (:func:`doubling_label`): a benchmark, not a plan target."""
    parts = code.split("_")
    return code.startswith("gdp_real_doubles_") and len(parts) == 6 and parts[3].isdigit() and parts[5].isdigit()
#: columns of :attr:`SimulationResult.probabilities`
PROBABILITY_COLUMNS: tuple[str, ...] = ("target", "probability", "test", "column", "start_year", "end_year",
                                        "bound_pct", "status")


def _probabilities(
    paths: Mapping[str, np.ndarray], years: np.ndarray, targets: Sequence[GrowthTarget], doubling_by: int | None
) -> pd.DataFrame:
    """One row per target (codes and numbers; the reports and the command line say it in words).

    ``test``: ``at_least`` (a floor: average growth >= bound), ``at_most`` (a
    ceiling) or ``doubling`` (the level in ``end_year`` at least twice the
    ``start_year`` level; ``bound_pct`` is the average growth that needs).
    ``status``: ``evaluated``, or ``outside_projection`` (probability NaN).
    """
    rows = []
    first, last = int(years[0]), int(years[-1])
    index = {int(y): i for i, y in enumerate(years)}
    for tg in targets:
        common = (tg.direction, tg.column, tg.start_year, tg.end_year, tg.floor_pct)
        if tg.start_year < first or tg.end_year > last or tg.column not in paths:
            rows.append((tg.label, math.nan, *common, "outside_projection"))
            continue
        levels = paths[tg.column]
        avg = average_growth_pct(levels[:, index[tg.start_year]], levels[:, index[tg.end_year]],
                                 tg.end_year - tg.start_year)
        if tg.direction == "at_most":
            p = float(np.mean(avg <= tg.floor_pct + _TARGET_TOLERANCE_PP))
        else:
            p = float(np.mean(avg >= tg.floor_pct - _TARGET_TOLERANCE_PP))
        rows.append((tg.label, p, *common, "evaluated"))
    if doubling_by is not None and first < doubling_by <= last:
        gdp = paths["gdp_real"]
        p = float(np.mean(gdp[:, index[doubling_by]] >= 2.0 * gdp[:, 0]))
        n = doubling_by - first
        rows.append((doubling_label(first, doubling_by), p, "doubling", "gdp_real", first, doubling_by,
                     (2.0 ** (1 / n) - 1) * 100, "evaluated"))
    return pd.DataFrame(rows, columns=list(PROBABILITY_COLUMNS)).astype(
        {"target": object, "probability": float, "test": object, "column": object, "start_year": "int64",
         "end_year": "int64", "bound_pct": float, "status": object}
    )


# --------------------------------------------------------------------------- simulation
@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Outcome of :func:`simulate`.

    Attributes
    ----------
    scenario : Scenario
        The scenario simulated.
    spec : UncertaintySpec
        Shock parameters used.
    n_paths : int
        Number of simulated paths.
    seed : int or None
        Seed used (None when a Generator was passed).
    years : numpy.ndarray
        Years base..end (int64).
    percentiles : pandas.DataFrame
        Tidy: year, indicator, unit, p5, p10, p25, p50, p75, p90, p95 for
        :data:`INDICATOR_UNITS` (亿元 or 元, current prices except ``gdp_real``
        at constant base-year prices); base year included.
    probabilities : pandas.DataFrame
        one row per target, columns :data:`PROBABILITY_COLUMNS`: target (a figure id or the doubling
        code), probability (0-1), test, column, start_year, end_year, bound_pct, status (codes).
    """

    scenario: Any = field(repr=False)
    spec: UncertaintySpec
    n_paths: int
    seed: int | None
    years: np.ndarray = field(repr=False)
    percentiles: pd.DataFrame = field(repr=False)
    probabilities: pd.DataFrame = field(repr=False)
    _paths: Mapping[str, np.ndarray] = field(repr=False, default_factory=dict)

    @property
    def table(self) -> pd.DataFrame:
        """The main table: the percentiles of each simulated indicator by year (:attr:`percentiles`)."""
        return self.percentiles

    def paths(self, indicator: str) -> np.ndarray:
        """Simulated paths of one indicator, shape (n_paths, T+1), read-only.

        ``indicator`` is one of :data:`INDICATOR_UNITS` or a sector name (real
        value added, 亿元 constant prices).
        """
        try:
            return self._paths[indicator]
        except KeyError:
            raise KeyError(f"unknown indicator {indicator!r}; known: {', '.join(self._paths)}") from None

    @property
    def indicators(self) -> tuple[str, ...]:
        """Names accepted by :meth:`paths`."""
        return tuple(self._paths)


def percentiles_of(paths: np.ndarray, percentiles: Sequence[float] = PERCENTILES) -> np.ndarray:
    """Percentiles over the path axis (axis 0), linear interpolation.

    Same definition as ``numpy.percentile(..., method="linear")`` (position
    ``q/100 * (n-1)`` in the sorted sample). Only the order statistics at the
    positions needed are found (one ``numpy.partition`` per array with those
    positions as ``kth``, no full sort): the values are exactly those of the
    sorted sample, in about half the time of a sort on (100_000, T) arrays.
    When all paths agree the result equals that common value exactly.

    Parameters
    ----------
    paths : numpy.ndarray, shape (n_paths, ...)
    percentiles : sequence of float in [0, 100]

    Returns
    -------
    numpy.ndarray, shape (len(percentiles), ...)
    """
    arr = np.asarray(paths, dtype=float)
    n = arr.shape[0]
    where = []
    for q in percentiles:
        pos = float(q) / 100.0 * (n - 1)
        lo = int(math.floor(pos))
        where.append((lo, min(lo + 1, n - 1), pos - lo))
    kth = sorted({k for lo, hi, _ in where for k in (lo, hi)})
    part = np.partition(arr, kth, axis=0)  # each kth-th value in its sorted place
    out = []
    for lo, hi, frac in where:
        a, b = part[lo], part[hi]
        out.append(np.minimum(a + (b - a) * frac, b) if frac else a)
    return np.stack(out)


#: below this many values in all, the percentiles are found one array after another (threads cost more)
THREADED_PERCENTILES_MIN_VALUES = 1_000_000


def percentiles_of_each(arrays: Sequence[np.ndarray], percentiles: Sequence[float] = PERCENTILES) -> list[np.ndarray]:
    """:func:`percentiles_of` of each array, on up to as many threads as there are free CPUs.

    ``numpy.partition`` releases the GIL, so the arrays' partitions run side
    by side: on 2 cores the percentiles of the Monte Carlo's four indicators
    (100,000 paths) take half the wall time, for the same CPU time. The
    numbers are the same as one after another (each array is partitioned on
    its own). Small inputs (under :data:`THREADED_PERCENTILES_MIN_VALUES`
    values in all) or a single CPU: no threads.
    """
    workers = min(len(arrays), _free_cpus())
    if workers < 2 or sum(np.size(a) for a in arrays) < THREADED_PERCENTILES_MIN_VALUES:
        return [percentiles_of(a, percentiles) for a in arrays]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="xiqu-percentiles") as pool:
        return list(pool.map(lambda a: percentiles_of(a, percentiles), arrays))


def _free_cpus() -> int:
    """CPUs this process may run on (its affinity where the system tells it, else the CPU count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _percentile_table(paths: Mapping[str, np.ndarray], years: np.ndarray) -> pd.DataFrame:
    frames = []
    quantiles = percentiles_of_each([paths[name] for name in INDICATOR_UNITS])
    for (name, unit), q in zip(INDICATOR_UNITS.items(), quantiles, strict=True):  # q: (7, T+1)
        frame = pd.DataFrame({"year": years, "indicator": name, "unit": unit})
        for col, row in zip(PERCENTILE_COLUMNS, q, strict=True):
            frame[col] = row
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    return table.astype({"year": "int64", "indicator": object, "unit": object})


def _check_n_paths(n_paths: Any) -> int:
    if isinstance(n_paths, bool) or not isinstance(n_paths, (int, np.integer)) or not 1 <= n_paths <= MAX_PATHS:
        raise InputError("simulation", "n_paths",
                         "the number of paths must be a whole number from 1 to {maximum:,}, got {n_paths!r}",
                         maximum=MAX_PATHS, n_paths=n_paths)
    return int(n_paths)


#: projection columns the Monte Carlo keeps for every path
SIMULATED_COLUMNS: tuple[str, ...] = (*INDICATOR_UNITS, *SECTORS)


def simulate_paths(inputs: Mapping[str, Any], growth_pct: np.ndarray, deflator_pct: np.ndarray,
                   **shocked: np.ndarray) -> dict[str, np.ndarray]:
    """The outputs the Monte Carlo needs, from the projection's one chain.

    Calls :func:`~xiqu_analysis.economics.projection.project_arrays` with the
    shocked growth and deflator paths and only :data:`SIMULATED_COLUMNS`, so
    zero shocks reproduce ``project(scenario).table`` exactly (checked with
    ``==`` in the tests).

    Parameters
    ----------
    inputs : mapping
        Keyword arguments of ``project_arrays`` for the scenario
        (:func:`~xiqu_analysis.economics.projection.scenario_inputs`).
    growth_pct : numpy.ndarray, shape (n_paths, T, 3)
        Real growth per path, per cent.
    deflator_pct : numpy.ndarray, shape (n_paths, T)
        Deflator change per path, per cent.
    **shocked
        Further shocked inputs of ``project_arrays`` (``sector_deflator_pct``
        (n_paths, T, 3), ``population_growth_pct`` (n_paths, T)).

    Returns
    -------
    dict of str to numpy.ndarray, each (n_paths, T+1), read-only
        ``gdp_real``, ``gdp_nominal`` (亿元), ``gdp_per_capita`` (元),
        ``fiscal_revenue`` (亿元) and the sectors' real value added (亿元);
        then the scenario's further indicators (registry rules, their units),
        through the same evaluation as :func:`~.projection.project`.
    """
    args = dict(inputs, growth_pct=growth_pct, deflator_pct=deflator_pct, **shocked)
    columns = (*SIMULATED_COLUMNS, *(p.column for p in args.get("indicators", ())))
    arrays = project_arrays(**args, columns=columns)
    out = {c: arrays[c] for c in columns}
    for arr in out.values():
        arr.flags.writeable = False
    return out


def simulate(
    scenario: Scenario,
    region: RegionData | None = None,
    n_paths: int = 10_000,
    random_state: None | int | np.random.Generator = None,
    *,
    spec: UncertaintySpec | None = None,
    targets: Sequence[GrowthTarget] | None = None,
    doubling_by: int | None = None,
) -> SimulationResult:
    """Monte Carlo simulation of a scenario under growth and deflator shocks.

    Parameters
    ----------
    scenario : xiqu_analysis.inputs.scenario.Scenario
        The scenario; its optional ``uncertainty`` section gives the shock
        parameters (defaults otherwise, see :class:`UncertaintySpec`).
    region : RegionData, optional
        The scenario's region: its growth targets (:func:`plan_targets`) and
        its ``long_range_year`` (the doubling benchmark). None: no targets.
    n_paths : int, default 10_000
        Number of paths (> 0).
    random_state : None, int or numpy.random.Generator
        ``None`` uses the scenario's seed (``uncertainty.seed``, default
        20210801) so that results are reproducible; an int seeds a fresh
        generator; a Generator is used (and advanced) as is.
    spec : UncertaintySpec, optional
        Overrides the scenario's uncertainty section.
    targets : sequence of GrowthTarget, optional
        Targets for :attr:`SimulationResult.probabilities` (default:
        :func:`plan_targets` of ``region``).
    doubling_by : int, optional
        Year of the doubling benchmark (default the region's ``long_range_year``).

    Returns
    -------
    SimulationResult
        Percentiles, probabilities and the paths.
    """
    n = _check_n_paths(n_paths)
    check_projection(scenario)
    spec = spec if spec is not None else UncertaintySpec.from_scenario(scenario)
    if random_state is None:
        random_state = spec.seed
    seed = None if isinstance(random_state, np.random.Generator) else int(random_state)
    rng = check_random_state(random_state)
    if targets is None:
        targets = plan_targets(region) if region is not None else []
    if doubling_by is None and region is not None:
        doubling_by = region.info.long_range_year

    inputs = scenario_inputs(scenario)
    growth = np.asarray(inputs["growth_pct"], dtype=float)  # (T, 3)
    deflator = np.asarray(inputs["deflator_pct"], dtype=float)  # (T,)
    shocks = draw_shocks(spec, n, growth.shape[0], rng)
    shocked_growth = growth + shocks.sector
    np.maximum(shocked_growth, GROWTH_FLOOR_PCT, out=shocked_growth)
    shocked_deflator = deflator + shocks.deflator
    np.maximum(shocked_deflator, GROWTH_FLOOR_PCT, out=shocked_deflator)
    more: dict[str, np.ndarray] = {}
    if inputs["sector_deflator_pct"] is not None:  # one price shock moves every sector's own deflator
        sector_deflator = np.asarray(inputs["sector_deflator_pct"], dtype=float) + shocks.deflator[..., np.newaxis]
        more["sector_deflator_pct"] = np.maximum(sector_deflator, GROWTH_FLOOR_PCT)
    if shocks.population is not None:
        population = np.asarray(inputs["population_growth_pct"], dtype=float) + shocks.population
        more["population_growth_pct"] = np.maximum(population, GROWTH_FLOOR_PCT)
    del shocks
    paths = simulate_paths(inputs, shocked_growth, shocked_deflator, **more)
    years = np.arange(int(scenario.base_year), int(scenario.end_year) + 1, dtype=np.int64)
    return SimulationResult(
        scenario=scenario,
        spec=spec,
        n_paths=n,
        seed=seed,
        years=years,
        percentiles=_percentile_table(paths, years),
        probabilities=_probabilities(paths, years, targets, doubling_by),
        _paths=paths,
    )

