"""Field types and sections of a scenario file (the parts :class:`Scenario` is built from).

Units (see :data:`FIELD_UNITS`)
-------------------------------
- ``gdp_base``, ``fiscal_revenue.base``: 亿元 (1 亿 = 1e8) at current prices of
  ``base_year``. 82.91 亿元 is 8.291 billion yuan.
- ``sector_shares``: shares of base-year GDP, 0-1, summing to 1.
- ``real_growth_pct``: real (comparable-price) value-added growth, % per year.
- ``deflator_pct``: GDP deflator, % per year (nominal = real x deflator).
- ``sector_deflator_pct`` (optional): a deflator of its own for any sector,
  % per year; the sectors not named keep ``deflator_pct``.
- ``population.base``: persons, year-end; ``growth_pct`` % per year;
  ``base_year_growth_pct`` (optional) % during the base year, for the base
  year's average population only (see :class:`Population`).
- ``urban_income.base``: yuan per person per year, current prices;
  ``growth_pct`` nominal % per year.
- ``fiscal_revenue.buoyancy``: revenue growth = buoyancy x nominal GDP growth.
- ``indicators.<key>``: the inputs of one more indicator of the registry
  (``data/indicators.csv``, :mod:`xiqu_analysis.inputs.indicators`): ``base``
  in the registry's unit at current prices of ``base_year``; ``growth_pct``
  (rule ``own_growth``: nominal % per year for a current-price level) or
  ``buoyancy`` (rule ``buoyancy``: growth = buoyancy x the driver's growth).

Growth inputs are a number (every year) or periods ``{"2021-2025": 7.5,
"2026-2035": 5.0}``: inclusive growth years (2021-2025 = growth from 2020 to
2025), together covering ``base_year+1 .. end_year`` exactly once. A single
year (``2021: 7.5``) is a one-year period.

The Monte Carlo defaults (:data:`UNCERTAINTY_DEFAULTS`) live here and only
here; :mod:`xiqu_analysis.economics.uncertainty` explains how they were chosen.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, Union

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, model_validator
from pydantic_core import PydanticCustomError

from ...periods import parse_period, period_text
from ...errors import Message
from ..validation import GROWTH_FLOOR_PCT, custom_error

__all__ = [
    "SECTORS",
    "UNCERTAINTY_DEFAULTS",
    "DEFAULT_SEED",
    "MAX_SEED",
    "FIELD_UNITS",
    "GROWTH_FIELDS",
    "GrowthSpec",
    "SectorShares",
    "SectorGrowth",
    "SectorDeflator",
    "Population",
    "UrbanIncome",
    "FiscalRevenue",
    "IndicatorInput",
    "IndicatorRule",
    "is_growth_field",
    "SectorSd",
    "Uncertainty",
    "Section",
    "unit_of",
]

#: sector order of every (..., 3) array in the package
SECTORS: tuple[str, str, str] = ("primary", "secondary", "tertiary")

#: the default random seed: the plan's draft date (Aug 2021), only for reproducibility
DEFAULT_SEED = 20210801
#: largest seed accepted anywhere (numpy takes any non-negative integer; 2**63 - 1 keeps
#: seeds inside JSON and papermill parameter values)
MAX_SEED = 2**63 - 1
#: most Monte Carlo paths one simulation draws (memory grows with paths x years: 1,000,000 x 15 years is a
#: few GiB); the command line, the notebooks' parameters and :func:`xiqu_analysis.economics.uncertainty.simulate`
#: check it
MAX_PATHS = 1_000_000
Seed = Annotated[int, Field(ge=0, le=MAX_SEED)]

#: documented defaults of the ``uncertainty`` section (assumptions; their
#: derivation is in :mod:`xiqu_analysis.economics.uncertainty`)
UNCERTAINTY_DEFAULTS: dict[str, Any] = {
    "sd_pct": {"primary": 2.5, "secondary": 3.5, "tertiary": 2.0},
    "ar1": 0.3,
    "correlation": 0.5,
    "deflator_sd_pct": 1.0,
    "population_sd_pct": 0.0,
    "seed": DEFAULT_SEED,
}

#: the models' validators are built at their first use, not at import (a command validates a scenario once:
#: the Scenario's validator holds its sections', so theirs are never built on that path)
MODEL_CONFIG = ConfigDict(strict=True, frozen=True, extra="forbid", allow_inf_nan=False, defer_build=True)

# ---------------------------------------------------------------------------
# Field types
# ---------------------------------------------------------------------------



def _normalise_periods(value: Any) -> Any:
    """Before-validator of a periods mapping: canonical ``"YYYY-YYYY"`` keys, sorted."""
    if not isinstance(value, Mapping):
        return value
    seen: dict[tuple[int, int], Any] = {}
    for key in value:
        try:
            span = parse_period(key)
        except ValueError as exc:
            raise PydanticCustomError("period_key", "{problem}",
                                      {"key": str(key), "problem": getattr(exc, "message", str(exc))}) from None
        if span in seen:
            raise PydanticCustomError(
                "period_key",
                "{problem}",
                {"key": str(key), "problem": Message("period {key!r} is given twice (also as {other!r})", key=key,
                                                     other=seen[span])},
            )
        seen[span] = key
    return {period_text(*span): value[key] for span, key in sorted(seen.items())}


def _growth_tag(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, Mapping):
        return "periods"
    return None


#: a growth rate, % per year: finite, above -100 and at most 1000 (a bound that keeps
#: every compounded path finite; no regional economy grows tenfold in a year)
GrowthPct = Annotated[float, Field(gt=GROWTH_FLOOR_PCT, le=1000.0)]
Periods = Annotated[dict[str, GrowthPct], BeforeValidator(_normalise_periods)]
#: a growth input: one number for every year, or ``{"YYYY-YYYY": number}``
GrowthSpec = Annotated[
    Union[Annotated[GrowthPct, Tag("number")], Annotated[Periods, Tag("periods")]],
    Discriminator(
        _growth_tag,
        custom_error_type="growth_type",
        custom_error_message="must be a number (% per year) or periods like {{2021-2025: 7.5}}",
    ),
]
PositiveFloat = Annotated[float, Field(gt=0)]
Share = Annotated[float, Field(ge=0, le=1)]


class Section(BaseModel):
    """Base of every scenario model: strict types, frozen, no unknown fields, no NaN or infinity."""

    model_config = MODEL_CONFIG


class SectorShares(Section):
    """Shares of base-year GDP by sector (0-1, summing to 1 within 1e-6)."""

    primary: Share
    secondary: Share
    tertiary: Share

    @model_validator(mode="after")
    def _sum_to_one(self) -> "SectorShares":
        total = self.primary + self.secondary + self.tertiary
        if abs(total - 1.0) > 1e-6:
            raise custom_error("shares_sum", "shares must sum to 1 (tolerance 1e-6), they sum to {total}",
                               total=f"{total:.10g}")
        return self

    def as_array(self) -> np.ndarray:
        """Shares in :data:`SECTORS` order, shape (3,)."""
        return np.array([self.primary, self.secondary, self.tertiary], dtype=float)


class SectorGrowth(Section):
    """Real value-added growth by sector, % per year (number or periods)."""

    primary: GrowthSpec
    secondary: GrowthSpec
    tertiary: GrowthSpec


class SectorDeflator(Section):
    """Optional deflators of single sectors, % per year (number or periods); a sector left out keeps ``deflator_pct``.

    With a deflator of its own a sector's nominal value added is its real
    value added times its own price index, so nominal shares can drift away
    from real ones; the GDP deflator is then implicit (nominal GDP / real GDP).
    """

    primary: GrowthSpec | None = None
    secondary: GrowthSpec | None = None
    tertiary: GrowthSpec | None = None


class Population(Section):
    """Resident population: ``base`` persons (year-end), ``growth_pct`` % per year.

    ``base_year_growth_pct`` (optional, % ) is the population's change *during*
    the base year (from the end of the year before to the end of the base
    year). It serves one purpose: the base year's average population, the
    mean of its year-start population ``base / (1 + base_year_growth_pct/100)``
    and its year-end population ``base``. The base year is observed, so this
    is base data shared by every scenario of a region, never a scenario's
    assumed growth; without it the year-end population is used as the
    base year's average.
    """

    base: PositiveFloat
    base_year_growth_pct: GrowthPct | None = None
    growth_pct: GrowthSpec


class UrbanIncome(Section):
    """Urban per-capita disposable income: ``base`` yuan (current), ``growth_pct`` nominal %."""

    base: PositiveFloat
    growth_pct: GrowthSpec


class FiscalRevenue(Section):
    """General public budget revenue: ``base`` 亿元 (current); ``buoyancy`` (ratio).

    Each year, revenue growth = buoyancy x nominal GDP growth.
    """

    base: PositiveFloat
    buoyancy: float


class IndicatorInput(Section):
    """One registry indicator's inputs (the scenario's ``indicators`` section).

    ``base``: the base year's level in the registry's unit (current prices);
    ``growth_pct``: its own growth, % per year (rule ``own_growth``; nominal for
    a current-price level); ``buoyancy``: its growth per unit of the driver's
    growth (rule ``buoyancy``). Which of the two a rule needs is checked
    against :class:`IndicatorRule` by the scenario.
    """

    base: PositiveFloat
    growth_pct: GrowthSpec | None = None
    buoyancy: float | None = None


class IndicatorRule(Section):
    """How the projection computes one registry indicator: read from the registry, never written in a file.

    Attributes
    ----------
    rule : {"own_growth", "buoyancy", "per_capita", "share"}
    column : str
        The projection column it adds.
    unit : str
        The column's unit (the registry's).
    price_basis : str
        ``current`` for a money level, ``not_applicable`` otherwise.
    driver : str or None
        ``buoyancy``: the column whose growth drives it; ``per_capita``: the
        aggregate column; ``share``: the part's column.
    of : str or None
        ``share``: the column of the whole.
    factor : float
        ``per_capita``: the aggregate's unit over the result's (亿元 -> 元: 1e8); 1 otherwise.
    names, short : dict of str to str
        The indicator's name and short name by language tag (from the registry).
    """

    rule: Literal["own_growth", "buoyancy", "per_capita", "share"]
    column: str
    unit: str
    price_basis: str
    driver: str | None = None
    of: str | None = None
    factor: float = 1.0
    names: dict[str, str] = {}
    short: dict[str, str] = {}


class SectorSd(Section):
    """Standard deviation of annual real growth shocks by sector, percentage points."""

    primary: Annotated[float, Field(ge=0)]
    secondary: Annotated[float, Field(ge=0)]
    tertiary: Annotated[float, Field(ge=0)]

    def as_array(self) -> np.ndarray:
        """sd in :data:`SECTORS` order, pp, shape (3,)."""
        return np.array([self.primary, self.secondary, self.tertiary], dtype=float)


class Uncertainty(Section):
    """Monte Carlo settings (assumptions; their derivation: :mod:`xiqu_analysis.economics.uncertainty`).

    Attributes
    ----------
    sd_pct : SectorSd
        sd of annual real growth shocks, pp (defaults 2.5 / 3.5 / 2.0).
    ar1 : float
        AR(1) persistence of shocks, 0 <= ar1 < 1 (default 0.3).
    correlation : float
        Common pairwise correlation of sector shocks, -0.5 < rho <= 1 (default 0.5).
    deflator_sd_pct : float
        sd of annual deflator shocks, pp (default 1.0).
    population_sd_pct : float
        sd of annual population-growth shocks, pp (default 0: no population
        uncertainty, the per-capita fan then has the width of the GDP fan).
    seed : int
        Random seed, >= 0 (default 20210801).
    """

    sd_pct: SectorSd = SectorSd(**UNCERTAINTY_DEFAULTS["sd_pct"])
    ar1: Annotated[float, Field(ge=0, lt=1)] = UNCERTAINTY_DEFAULTS["ar1"]
    correlation: Annotated[float, Field(gt=-0.5, le=1)] = UNCERTAINTY_DEFAULTS["correlation"]
    deflator_sd_pct: Annotated[float, Field(ge=0)] = UNCERTAINTY_DEFAULTS["deflator_sd_pct"]
    population_sd_pct: Annotated[float, Field(ge=0)] = UNCERTAINTY_DEFAULTS["population_sd_pct"]
    seed: Seed = UNCERTAINTY_DEFAULTS["seed"]


# ---------------------------------------------------------------------------
# Units and growth inputs of the scenario
# ---------------------------------------------------------------------------

#: unit of every numeric input path (periods inherit their parent's unit)
FIELD_UNITS: dict[str, str] = {
    "gdp_base": "亿元",
    "sector_shares": "ratio",
    "real_growth_pct": "%",
    "deflator_pct": "%",
    "sector_deflator_pct": "%",
    "population.base": "persons",
    "population.growth_pct": "%",
    "population.base_year_growth_pct": "%",
    "urban_income.base": "yuan",
    "urban_income.growth_pct": "%",
    "fiscal_revenue.base": "亿元",
    "fiscal_revenue.buoyancy": "ratio",
    "uncertainty.sd_pct": "pp",
    "uncertainty.ar1": "ratio",
    "uncertainty.correlation": "ratio",
    "uncertainty.deflator_sd_pct": "pp",
    "uncertainty.population_sd_pct": "pp",
}

#: growth inputs that may be given as periods
GROWTH_FIELDS: tuple[str, ...] = (
    "real_growth_pct.primary",
    "real_growth_pct.secondary",
    "real_growth_pct.tertiary",
    "deflator_pct",
    "population.growth_pct",
    "urban_income.growth_pct",
    "sector_deflator_pct.primary",
    "sector_deflator_pct.secondary",
    "sector_deflator_pct.tertiary",
)
"""Growth inputs that may be given as periods; the ``sector_deflator_pct`` ones are optional
(None when the scenario does not give them)."""


def is_growth_field(path: str) -> bool:
    """True for a growth input that may be given as periods: :data:`GROWTH_FIELDS` or ``indicators.<key>.growth_pct``."""
    parts = path.split(".")
    return path in GROWTH_FIELDS or (len(parts) == 3 and parts[0] == "indicators" and parts[2] == "growth_pct")


def unit_of(path: str) -> str:
    """Unit of an input path (``""`` for a registry indicator's ``base``: :meth:`Scenario.input_unit` knows it)."""
    parts = path.split(".")
    if parts[0] == "indicators":
        return {"growth_pct": "%", "buoyancy": "ratio"}.get(parts[2], "") if len(parts) >= 3 else ""
    for n in range(len(parts), 0, -1):
        unit = FIELD_UNITS.get(".".join(parts[:n]))
        if unit:
            return unit
    return ""
