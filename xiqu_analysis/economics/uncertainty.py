"""Monte Carlo uncertainty around a scenario: AR(1), cross-correlated sector shocks.

Model
-----
For each path, each projected year ``t = 1..T`` and each sector ``s`` (primary,
secondary, tertiary) the scenario's annual real growth ``g_s(t)`` (per cent) is
perturbed by a shock ``e_s(t)`` in percentage points (pp)::

    e(t) = ar1 * e(t-1) + u(t),        u(t) ~ N(0, Sigma)   (3-vectors, iid over t)
    Sigma[i, j] = sd_i * sd_j * (1 if i == j else correlation)
    shocked growth_s(t) = max(g_s(t) + e_s(t), GROWTH_FLOOR_PCT)

``sd_pct`` is therefore the standard deviation of the *innovation* ``u``; the
stationary (marginal) standard deviation of a year's shock is
``sd / sqrt(1 - ar1**2)`` (about 4.8 % larger than ``sd`` at ``ar1 = 0.3``).

Start: **stationary**. ``e(0)`` (the unobserved deviation in the base year) is
drawn from the stationary distribution ``N(0, Sigma / (1 - ar1**2))``, so every
projected year has the same marginal distribution and the first year inherits
persistence like any other. The alternative, ``e(0) = 0``, would claim the base
year (2020, a COVID year) sat exactly on the scenario's path, which nothing in
the sources supports; it would also make early years artificially certain.

The GDP deflator (per cent a year) gets an independent iid shock
``N(0, deflator_sd_pct**2)`` each year (no persistence, no correlation with real
growth: an assumption of simplicity, stated as such), floored like real growth.

Σ is factorised as ``diag(sd) @ chol(R)`` where ``R`` is the 3x3 matrix with
ones on the diagonal and ``correlation`` elsewhere; ``R`` is positive definite
exactly when ``-0.5 < correlation < 1``. ``correlation == 1`` (one common shock)
is accepted through a symmetric square root; anything else outside that range
raises :class:`~xiqu_analysis.errors.InputError`.

The shocked growth arrays, shape ``(n_paths, T, 3)`` and ``(n_paths, T)``, go
through :func:`xiqu_analysis.economics.projection.project_arrays`, the same array core that
``projection.project`` uses on ``(T, 3)``. With every sd set to zero the shocks
are exactly zero, so every path, and therefore every percentile, equals the
deterministic projection bit for bit.

Default parameters (assumptions) and their derivation
-------------------------------------------------------
No annual series of Xiqu's own GDP growth is available (the district's
statistical bulletins are not in the public copies; see
``../shared/reference/external-figures.md``). The defaults are therefore
**assumptions**, anchored as follows (the values themselves live in
:data:`xiqu_analysis.inputs.scenario.UNCERTAINTY_DEFAULTS`):

1. Anchor. Panzhihua city's real GDP growth: 2019 6.3 %, 2020 3.9 %, 2022 2.6 %,
   2023 6.5 % (external-figures.md; the 2021 figure available, H1 +11.1 %, is a
   half-year rate inflated by the weak 2020 H1 base and is excluded). Their
   sample standard deviation (ddof = 1) is about 1.9 pp (computed by
   :func:`city_growth_sd_pp` from the benchmark region's figures in ``data/``).
   Four years cannot pin down an sd precisely, let alone an autocorrelation.
2. A district of about 130,000 residents (2020 census: 129,406) whose industry
   rests on a few large firms is more volatile than the city of 1.2 million:
   plan ch.1 §4 (第四节 制约因素) names a small economy (经济体量较小), a narrow
   resource-based industry structure (煤及煤化工、火电、建材及冶金辅料 as the five
   pillars; 产业结构单一) and coal above 80 % of total energy use
   (煤炭能耗占到了全区总能耗的80%以上). One plant's shutdown or a coal price swing
   moves the district's industry by several points.
3. Sectors are more volatile than their sum (their shocks partly offset), so
   each sector's sd is set above the aggregate anchor: secondary 3.5 pp (the
   resource-based industry above), primary 2.5 pp (small, weather-driven
   agriculture), tertiary 2.0 pp (services are steadier, though logistics and
   producer services follow industry).
4. correlation 0.5: one local demand and commodity cycle drives industry and
   the services tied to it (logistics, 生产性服务业); not 1, because agriculture
   and consumer services have their own drivers.
5. ar1 0.3: modest persistence (multi-year investment projects, plant
   commissioning and closure); an assumption, not an estimate.
6. deflator_sd_pct 1.0 pp: consumer prices in Sichuan moved between +2.5 % (2012)
   and +3.2 % (2020), but an industrial district's GDP deflator also follows
   coal and steel prices; 1 pp is a deliberately modest assumption.
7. seed 20210801: the plan's draft date (Aug 2021), only for reproducibility.

With Panzhihua's 2020 sector shares (9.31 : 53.65 : 37.04, low-medium trust) as
weights, these defaults imply an aggregate innovation sd of about 2.5 pp and a
stationary sd of about 2.6 pp for district GDP growth, roughly 1.4 times the
city's 1.9 pp (:func:`implied_aggregate_sd_pp` computes this for any shares).

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..inputs.regions import RegionData
from ..inputs.scenario import DEFAULT_SEED, SECTORS, UNCERTAINTY_DEFAULTS, Scenario
from ..periods import parse_period
from .growth import average_growth_pct
from .projection import project_arrays, scenario_inputs
from .columns import GROWTH_TO_LEVEL
from .targets import direction_of

__all__ = [
    "DEFAULT_SD_PCT",
    "DEFAULT_AR1",
    "DEFAULT_CORRELATION",
    "DEFAULT_DEFLATOR_SD_PCT",
    "GROWTH_FLOOR_PCT",
    "PERCENTILES",
    "PERCENTILE_COLUMNS",
    "INDICATOR_UNITS",
    "UncertaintySpec",
    "Shocks",
    "SimulationResult",
    "GrowthTarget",
    "check_random_state",
    "correlation_matrix",
    "shock_factor",
    "draw_shocks",
    "city_growth_sd_pp",
    "implied_aggregate_sd_pp",
    "plan_targets",
    "doubling_label",
    "percentiles_of",
    "simulate_paths",
    "simulate",
]

#: Default innovation sd of annual real growth, pp, per sector (assumption; see module docstring).
DEFAULT_SD_PCT: dict[str, float] = dict(UNCERTAINTY_DEFAULTS["sd_pct"])
#: Default AR(1) coefficient of the growth shocks (assumption).
DEFAULT_AR1: float = UNCERTAINTY_DEFAULTS["ar1"]
#: Default common pairwise correlation of the sector innovations (assumption).
DEFAULT_CORRELATION: float = UNCERTAINTY_DEFAULTS["correlation"]
#: Default sd of the iid GDP-deflator shock, pp (assumption).
DEFAULT_DEFLATOR_SD_PCT: float = UNCERTAINTY_DEFAULTS["deflator_sd_pct"]

#: Shocked growth rates (per cent) are floored here so that levels stay positive.
#: With sd of a few pp the floor is tens of sd away and never binds in practice.
GROWTH_FLOOR_PCT = -99.0

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
_SOURCE = "scenario uncertainty"


# --------------------------------------------------------------------------- city anchor
def city_growth_sd_pp(benchmark: RegionData) -> tuple[float, dict[int, float]]:
    """Sample sd (ddof = 1) of the benchmark region's annual real GDP growth.

    Parameters
    ----------
    benchmark : RegionData
        The benchmark region (Panzhihua city for Xiqu). Its ``gdp_growth``
        figures at comparable prices for single years, of kind ``actual`` or
        ``estimate``, are used (a half-year rate is another indicator).

    Returns
    -------
    sd_pp : float
        Standard deviation in percentage points (about 1.9 for Panzhihua's
        2019, 2020, 2022 and 2023 growth), NaN with fewer than two figures.
    figures : dict of int to float
        The annual growth rates used, per cent, by year.
    """
    figs = benchmark.figures
    mask = (figs["indicator"].astype(str) == "gdp_growth") & (figs["price_basis"].astype(str) == "comparable")
    mask &= figs["year"].notna() & figs["kind"].astype(str).isin(["actual", "estimate"])
    rows = figs[mask]
    figures = {int(y): float(v) for y, v in zip(rows["year"], rows["value"], strict=True)}
    if len(figures) < 2:
        return math.nan, dict(sorted(figures.items()))
    values = np.array([figures[y] for y in sorted(figures)], dtype=float)
    return float(np.std(values, ddof=1)), dict(sorted(figures.items()))


def implied_aggregate_sd_pp(
    shares: Mapping[str, float] | Sequence[float], spec: UncertaintySpec | None = None
) -> tuple[float, float]:
    """Sd of the share-weighted sum of the sector shocks (aggregate real growth).

    Parameters
    ----------
    shares : mapping sector -> share or sequence of 3 shares (0-1)
        Weights (GDP shares) of primary, secondary, tertiary.
    spec : UncertaintySpec, optional
        Shock parameters (default: the defaults).

    Returns
    -------
    innovation_sd_pp, stationary_sd_pp : float
        ``sqrt(w' Sigma w)`` and the same divided by ``sqrt(1 - ar1**2)``, pp.
    """
    spec = spec or UncertaintySpec()
    w = np.array([shares[s] for s in SECTORS] if isinstance(shares, Mapping) else list(shares), dtype=float)
    sd = float(math.sqrt(w @ spec.covariance() @ w))
    return sd, sd / math.sqrt(1.0 - spec.ar1**2)


# --------------------------------------------------------------------------- parameters
def correlation_matrix(correlation: float, n: int = 3) -> np.ndarray:
    """``n x n`` matrix with ones on the diagonal and ``correlation`` elsewhere."""
    r = np.full((n, n), float(correlation))
    np.fill_diagonal(r, 1.0)
    return r


def shock_factor(sd_pct: Sequence[float], correlation: float) -> np.ndarray:
    """Matrix ``L`` with ``L @ L.T == Sigma`` (innovation covariance, pp²).

    ``L = diag(sd) @ chol(R)``; when ``R`` is singular but positive
    semi-definite (``correlation == 1``) its symmetric square root is used.

    Raises
    ------
    InputError
        If ``R`` is not positive semi-definite (common correlation <= -0.5 for 3 sectors).
    """
    r = correlation_matrix(correlation, len(sd_pct))
    try:
        root = np.linalg.cholesky(r)
    except np.linalg.LinAlgError:
        vals, vecs = np.linalg.eigh(r)
        if vals.min() < -1e-12:
            raise InputError(
                _SOURCE,
                "uncertainty.correlation",
                f"{correlation} gives a correlation matrix that is not positive definite "
                f"(smallest eigenvalue {vals.min():.3g}); a common correlation of 3 sectors must be > -0.5",
            ) from None
        vals = np.where(vals > 1e-12 * vals.max(), vals, 0.0)  # rounding noise of a zero eigenvalue
        root = vecs @ np.diag(np.sqrt(vals)) @ vecs.T
    return np.diag(np.asarray(sd_pct, dtype=float)) @ root


@dataclass(frozen=True)
class UncertaintySpec:
    """Parameters of the shock process (all assumptions; see the module docstring).

    Attributes
    ----------
    sd_pct : tuple of 3 floats
        Innovation sd of annual real growth, pp, for primary, secondary, tertiary.
    ar1 : float
        AR(1) coefficient of the shocks, ``0 <= ar1 < 1``.
    correlation : float
        Common pairwise correlation of the innovations, ``-0.5 < correlation <= 1``.
    deflator_sd_pct : float
        sd of the iid annual deflator shock, pp.
    seed : int
        Default seed of :func:`simulate` for this scenario.
    """

    sd_pct: tuple[float, float, float] = tuple(DEFAULT_SD_PCT[s] for s in SECTORS)  # type: ignore[assignment]
    ar1: float = DEFAULT_AR1
    correlation: float = DEFAULT_CORRELATION
    deflator_sd_pct: float = DEFAULT_DEFLATOR_SD_PCT
    seed: int = DEFAULT_SEED

    def __post_init__(self) -> None:
        sd = tuple(float(x) for x in self.sd_pct)
        object.__setattr__(self, "sd_pct", sd)
        if len(sd) != 3 or not all(math.isfinite(x) and x >= 0 for x in sd):
            raise InputError(_SOURCE, "uncertainty.sd_pct", f"need three finite sd >= 0 (pp), got {self.sd_pct}")
        if not (math.isfinite(self.ar1) and 0.0 <= self.ar1 < 1.0):
            raise InputError(_SOURCE, "uncertainty.ar1", f"must be in [0, 1) for a stationary process, got {self.ar1}")
        if not (math.isfinite(self.correlation) and -0.5 < self.correlation <= 1.0):
            raise InputError(
                _SOURCE, "uncertainty.correlation", f"must be in (-0.5, 1] for 3 sectors, got {self.correlation}"
            )
        if not (math.isfinite(self.deflator_sd_pct) and self.deflator_sd_pct >= 0):
            raise InputError(_SOURCE, "uncertainty.deflator_sd_pct", f"must be >= 0 (pp), got {self.deflator_sd_pct}")
        shock_factor(sd, self.correlation)  # validates the correlation matrix

    @classmethod
    def from_scenario(cls, scenario: Any) -> UncertaintySpec:
        """Read the scenario's optional ``uncertainty`` section; absent fields take the defaults."""
        section = getattr(scenario, "uncertainty", None)
        if section is None:
            return cls()

        def get(obj: Any, key: str, default: Any) -> Any:
            value = obj.get(key) if isinstance(obj, Mapping) else getattr(obj, key, None)
            return default if value is None else value

        sd_section = get(section, "sd_pct", None)
        sd = tuple(
            float(get(sd_section, s, DEFAULT_SD_PCT[s])) if sd_section is not None else DEFAULT_SD_PCT[s]
            for s in SECTORS
        )
        return cls(
            sd_pct=sd,  # type: ignore[arg-type]
            ar1=float(get(section, "ar1", DEFAULT_AR1)),
            correlation=float(get(section, "correlation", DEFAULT_CORRELATION)),
            deflator_sd_pct=float(get(section, "deflator_sd_pct", DEFAULT_DEFLATOR_SD_PCT)),
            seed=int(get(section, "seed", DEFAULT_SEED)),
        )

    def covariance(self) -> np.ndarray:
        """Innovation covariance ``Sigma`` (3x3, pp²)."""
        factor = self.factor()
        return factor @ factor.T

    def stationary_covariance(self) -> np.ndarray:
        """Stationary covariance of the shocks, ``Sigma / (1 - ar1**2)`` (pp²)."""
        return self.covariance() / (1.0 - self.ar1**2)

    def factor(self) -> np.ndarray:
        """``L`` with ``L @ L.T == Sigma`` (see :func:`shock_factor`)."""
        return shock_factor(self.sd_pct, self.correlation)

    def as_table(self) -> pd.DataFrame:
        """The parameters as a small table (parameter, value, unit) for reports."""
        rows = [(f"sd_pct.{s}", v, "pp") for s, v in zip(SECTORS, self.sd_pct, strict=True)]
        rows += [
            ("ar1", self.ar1, "-"),
            ("correlation", self.correlation, "-"),
            ("deflator_sd_pct", self.deflator_sd_pct, "pp"),
            ("seed", self.seed, "-"),
        ]
        return pd.DataFrame(rows, columns=["parameter", "value", "unit"])



# --------------------------------------------------------------------------- randomness
def check_random_state(random_state: None | int | np.random.Generator) -> np.random.Generator:
    """Turn ``None``, an int seed or a Generator into a :class:`numpy.random.Generator`.

    In the spirit of ``quantecon.util.check_random_state`` but for the new
    Generator API: ``None`` gives a fresh, unseeded generator; an int seeds
    ``numpy.random.default_rng``; a Generator is returned as is (and advanced
    by whoever uses it).
    """
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        if random_state < 0:
            raise InputError("command line", "seed", f"must be >= 0, got {random_state}")
        return np.random.default_rng(int(random_state))
    raise TypeError(f"random_state must be None, an int or a numpy Generator, got {type(random_state).__name__}")


@dataclass(frozen=True, eq=False)
class Shocks:
    """Simulated shocks, percentage points.

    Attributes
    ----------
    sector : numpy.ndarray, shape (n_paths, T, 3)
        Real growth shocks ``e(t)`` for years base+1..end, sectors on the last
        axis (a view; sector-major in memory).
    deflator : numpy.ndarray, shape (n_paths, T)
        Deflator shocks.
    """

    sector: np.ndarray
    deflator: np.ndarray


def draw_shocks(spec: UncertaintySpec, n_paths: int, n_years: int, rng: np.random.Generator) -> Shocks:
    """Draw AR(1) correlated sector shocks and iid deflator shocks.

    Parameters
    ----------
    spec : UncertaintySpec
        Shock parameters.
    n_paths, n_years : int
        Number of paths and of projected years ``T``.
    rng : numpy.random.Generator
        Source of randomness: ``3 * (T + 1) * n_paths`` standard normals for
        the sector shocks (drawn as an array of shape (3, T+1, n_paths); year
        0 is the stationary start), then ``n_paths * T`` for the deflator.

    Returns
    -------
    Shocks
        ``sector`` (n_paths, T, 3) and ``deflator`` (n_paths, T), pp. The start
        ``e(0)`` is drawn from the stationary distribution (not returned).
    """
    n, T = int(n_paths), int(n_years)
    factor = spec.factor()
    # Sector-major draws, z[j] of shape (T+1, n). The 3x3 factor is applied with
    # elementwise multiply-adds rather than a matrix product: BLAS would start
    # threads for this thin product, which doubles CPU time on a busy 2-core machine.
    z = rng.standard_normal((3, T + 1, n))
    e = np.empty((3, T + 1, n))
    for i in range(3):
        row = e[i]
        np.multiply(z[0], factor[i, 0], out=row)
        for j in range(1, 3):
            if factor[i, j] != 0.0:  # Cholesky factors are lower-triangular
                row += factor[i, j] * z[j]
    del z
    # e now holds the innovations u(0..T), covariance Sigma across the first axis
    e[:, 0, :] /= math.sqrt(1.0 - spec.ar1**2)  # stationary start e(0)
    for t in range(1, T + 1):  # e(t) = ar1 * e(t-1) + u(t), in place
        e[:, t, :] += spec.ar1 * e[:, t - 1, :]
    sector = e[:, 1:, :].transpose(2, 1, 0)  # (n, T, 3) view
    deflator = spec.deflator_sd_pct * rng.standard_normal((n, T))
    return Shocks(sector=sector, deflator=deflator)


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


def _probabilities(
    paths: Mapping[str, np.ndarray], years: np.ndarray, targets: Sequence[GrowthTarget], doubling_by: int | None
) -> pd.DataFrame:
    rows = []
    first, last = int(years[0]), int(years[-1])
    index = {int(y): i for i, y in enumerate(years)}
    for tg in targets:
        if tg.start_year < first or tg.end_year > last or tg.column not in paths:
            rows.append((tg.label, math.nan, f"outside the projection {first}-{last}: {tg.note}"))
            continue
        levels = paths[tg.column]
        avg = average_growth_pct(levels[:, index[tg.start_year]], levels[:, index[tg.end_year]],
                                 tg.end_year - tg.start_year)
        if tg.direction == "at_most":
            p, sign = float(np.mean(avg <= tg.floor_pct + _TARGET_TOLERANCE_PP)), "<="
        else:
            p, sign = float(np.mean(avg >= tg.floor_pct - _TARGET_TOLERANCE_PP)), ">="
        rows.append(
            (
                tg.label,
                p,
                f"average real growth of {tg.column} over {tg.start_year + 1}-{tg.end_year} {sign} "
                f"{tg.floor_pct:g} % a year; {tg.note}",
            )
        )
    if doubling_by is not None and first < doubling_by <= last:
        gdp = paths["gdp_real"]
        p = float(np.mean(gdp[:, index[doubling_by]] >= 2.0 * gdp[:, 0]))
        n = doubling_by - first
        rows.append(
            (
                doubling_label(first, doubling_by),
                p,
                f"real GDP in {doubling_by} at least twice {first} (needs {(2.0 ** (1 / n) - 1) * 100:.2f} % a year on "
                "average); an analytic benchmark, not a target of the plan",
            )
        )
    return pd.DataFrame(rows, columns=["target", "probability", "note"]).astype(
        {"target": object, "probability": float, "note": object}
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
        target, probability (0-1), note.
    """

    scenario: Any = field(repr=False)
    spec: UncertaintySpec
    n_paths: int
    seed: int | None
    years: np.ndarray = field(repr=False)
    percentiles: pd.DataFrame = field(repr=False)
    probabilities: pd.DataFrame = field(repr=False)
    _paths: Mapping[str, np.ndarray] = field(repr=False, default_factory=dict)

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
    ``q/100 * (n-1)`` in the sorted sample), computed with one sort per year,
    which is several times faster on (100_000, T) arrays. When all paths agree
    the result equals that common value exactly.

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
    srt = np.moveaxis(arr, 0, -1).copy()  # (..., n), contiguous along paths
    srt.sort(axis=-1)
    out = []
    for q in percentiles:
        pos = float(q) / 100.0 * (n - 1)
        lo = int(math.floor(pos))
        hi = min(lo + 1, n - 1)
        frac = pos - lo
        a, b = srt[..., lo], srt[..., hi]
        out.append(np.minimum(a + (b - a) * frac, b) if frac else a)
    return np.stack(out)


def _percentile_table(paths: Mapping[str, np.ndarray], years: np.ndarray) -> pd.DataFrame:
    frames = []
    for name, unit in INDICATOR_UNITS.items():
        q = percentiles_of(paths[name])  # (7, T+1)
        frame = pd.DataFrame({"year": years, "indicator": name, "unit": unit})
        for col, row in zip(PERCENTILE_COLUMNS, q, strict=True):
            frame[col] = row
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    return table.astype({"year": "int64", "indicator": object, "unit": object})


def _check_n_paths(n_paths: Any) -> int:
    if isinstance(n_paths, bool) or not isinstance(n_paths, (int, np.integer)) or n_paths <= 0:
        raise InputError("command line", "paths", f"number of paths must be a positive integer, got {n_paths!r}")
    return int(n_paths)


#: projection columns the Monte Carlo keeps for every path
SIMULATED_COLUMNS: tuple[str, ...] = (*INDICATOR_UNITS, *SECTORS)


def simulate_paths(inputs: Mapping[str, Any], growth_pct: np.ndarray, deflator_pct: np.ndarray) -> dict[str, np.ndarray]:
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

    Returns
    -------
    dict of str to numpy.ndarray, each (n_paths, T+1), read-only
        ``gdp_real``, ``gdp_nominal`` (亿元), ``gdp_per_capita`` (元),
        ``fiscal_revenue`` (亿元) and the sectors' real value added (亿元).
    """
    args = dict(inputs, growth_pct=growth_pct, deflator_pct=deflator_pct)
    arrays = project_arrays(**args, columns=SIMULATED_COLUMNS)
    out = {c: arrays[c] for c in SIMULATED_COLUMNS}
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
    del shocks
    paths = simulate_paths(inputs, shocked_growth, shocked_deflator)
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

