"""Scenario files: a strict schema, a safe loader, and the inputs' provenance.

A scenario is a YAML file in ``scenarios/`` (format described in
``scenarios/README.md``). :func:`load_scenario` reads it and returns a frozen,
validated :class:`Scenario`; every problem is raised *before anything runs* as
:class:`~xiqu_analysis.errors.InputError` ``(file, dotted field, problem)``,
which the CLI prints as one line and exits 2.

Units (see :data:`FIELD_UNITS`)
-------------------------------
- ``gdp_base``, ``fiscal_revenue.base``: 亿元 (1 亿 = 1e8) at current prices of
  ``base_year``. 82.91 亿元 is 8.291 billion yuan.
- ``sector_shares``: shares of base-year GDP, 0-1, summing to 1.
- ``real_growth_pct``: real (comparable-price) value-added growth, % per year.
- ``deflator_pct``: GDP deflator, % per year (nominal = real x deflator).
- ``population.base``: persons, year-end; ``growth_pct`` % per year.
- ``urban_income.base``: yuan per person per year, current prices;
  ``growth_pct`` nominal % per year.
- ``fiscal_revenue.buoyancy``: revenue growth = buoyancy x nominal GDP growth.

Growth inputs are a number (every year) or periods ``{"2021-2025": 7.5,
"2026-2035": 5.0}``: inclusive growth years (2021-2025 = growth from 2020 to
2025), together covering ``base_year+1 .. end_year`` exactly once. A single
year (``2021: 7.5``) is a one-year period.

Strictness
----------
Types are strict: ``"7.5"`` (text) is not a number, ``true`` is not a number,
``2020.0`` is not a year. NaN and infinity are rejected everywhere. The YAML
loader rejects duplicate keys and YAML 1.1 numbers that do not mean what they
look like (``0123`` is octal 83 in YAML 1.1, ``1:30`` is 90); it reads
``1e3`` as a number (as YAML 1.2 does). ``name: no`` is read by YAML 1.1 as the
boolean false and is therefore rejected as "not text" (quote it).
"""
from __future__ import annotations

import difflib
import math
import re
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Union

import numpy as np
import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .errors import InputError

if typing.TYPE_CHECKING:  # pandas is imported when provenance() is called (fast CLI errors)
    import pandas as pd

__all__ = [
    "SECTORS",
    "FIELD_UNITS",
    "UNCERTAINTY_DEFAULTS",
    "Scenario",
    "SectorShares",
    "SectorGrowth",
    "Population",
    "UrbanIncome",
    "FiscalRevenue",
    "Uncertainty",
    "load_scenario",
    "scenario_from_dict",
    "read_yaml",
    "parse_period",
]

#: sector order of every (…, 3) array in the package
SECTORS: tuple[str, str, str] = ("primary", "secondary", "tertiary")

#: largest scenario file read (bytes); a scenario is a few kB
MAX_FILE_BYTES = 1_000_000

#: documented defaults of the ``uncertainty`` section (assumptions; their
#: derivation is in :mod:`xiqu_analysis.uncertainty`)
UNCERTAINTY_DEFAULTS: dict[str, Any] = {
    "sd_pct": {"primary": 2.5, "secondary": 3.5, "tertiary": 2.0},
    "ar1": 0.3,
    "correlation": 0.5,
    "deflator_sd_pct": 1.0,
    "seed": 20210801,
}

_MODEL_CONFIG = ConfigDict(strict=True, frozen=True, extra="forbid", allow_inf_nan=False)
_NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,63}")
_PERIOD_RE = re.compile(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?")
_GROWTH_FLOOR = -100.0  # a fall of 100% or more leaves nothing

# ---------------------------------------------------------------------------
# Field types
# ---------------------------------------------------------------------------


def parse_period(key: Any) -> tuple[int, int]:
    """Parse a period key into inclusive growth years.

    Parameters
    ----------
    key : str or int
        ``"2021-2025"`` (growth years 2021..2025, i.e. from the 2020 level to
        the 2025 level), ``"2021"`` or the YAML integer ``2021`` (one year).

    Returns
    -------
    tuple of int
        ``(first, last)`` growth year, ``first <= last``.

    Raises
    ------
    ValueError
        When the key is not of that form (bool keys, ``"2021/2025"``,
        ``"2025-2021"``).
    """
    if isinstance(key, bool):
        raise ValueError(f"period key {key!r} is a boolean, not 'YYYY-YYYY'")
    if isinstance(key, int):
        if 1000 <= key <= 9999:
            return key, key
        raise ValueError(f"period key {key} is not a four-digit year or 'YYYY-YYYY'")
    if not isinstance(key, str):
        raise ValueError(f"period key {key!r} is not 'YYYY-YYYY'")
    m = _PERIOD_RE.fullmatch(key)
    if not m:
        raise ValueError(f"period key '{key}' is not 'YYYY-YYYY' (e.g. '2021-2025') or a single year")
    first = int(m.group(1))
    last = int(m.group(2)) if m.group(2) else first
    if last < first:
        raise ValueError(f"period '{key}' ends before it starts")
    return first, last


def _period_str(first: int, last: int) -> str:
    return f"{first}-{last}"


def _years_label(first: int, last: int) -> str:
    """``"2025"`` or ``"2025-2027"`` for messages."""
    return str(first) if first == last else _period_str(first, last)


def _normalise_periods(value: Any) -> Any:
    """Before-validator of a periods mapping: canonical ``"YYYY-YYYY"`` keys, sorted."""
    if not isinstance(value, Mapping):
        return value
    seen: dict[tuple[int, int], Any] = {}
    for key in value:
        try:
            span = parse_period(key)
        except ValueError as exc:
            raise PydanticCustomError("period_key", "{problem}", {"key": str(key), "problem": str(exc)}) from None
        if span in seen:
            raise PydanticCustomError(
                "period_key",
                "{problem}",
                {"key": str(key), "problem": f"period {key!r} is given twice (also as {seen[span]!r})"},
            )
        seen[span] = key
    return {_period_str(*span): value[key] for span, key in sorted(seen.items())}


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
GrowthPct = Annotated[float, Field(gt=_GROWTH_FLOOR, le=1000.0)]
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


class _Model(BaseModel):
    model_config = _MODEL_CONFIG


class SectorShares(_Model):
    """Shares of base-year GDP by sector (0-1, summing to 1 within 1e-6)."""

    primary: Share
    secondary: Share
    tertiary: Share

    @model_validator(mode="after")
    def _sum_to_one(self) -> "SectorShares":
        total = self.primary + self.secondary + self.tertiary
        if abs(total - 1.0) > 1e-6:
            raise PydanticCustomError(
                "shares_sum",
                "shares must sum to 1 (tolerance 1e-6), they sum to {total}",
                {"total": f"{total:.10g}"},
            )
        return self

    def as_array(self) -> np.ndarray:
        """Shares in :data:`SECTORS` order, shape (3,)."""
        return np.array([self.primary, self.secondary, self.tertiary], dtype=float)


class SectorGrowth(_Model):
    """Real value-added growth by sector, % per year (number or periods)."""

    primary: GrowthSpec
    secondary: GrowthSpec
    tertiary: GrowthSpec


class Population(_Model):
    """Resident population: ``base`` persons (year-end), ``growth_pct`` % per year."""

    base: PositiveFloat
    growth_pct: GrowthSpec


class UrbanIncome(_Model):
    """Urban per-capita disposable income: ``base`` yuan (current), ``growth_pct`` nominal %."""

    base: PositiveFloat
    growth_pct: GrowthSpec


class FiscalRevenue(_Model):
    """General public budget revenue: ``base`` 亿元 (current); ``buoyancy`` (ratio).

    Each year, revenue growth = buoyancy x nominal GDP growth.
    """

    base: PositiveFloat
    buoyancy: float


class SectorSd(_Model):
    """Standard deviation of annual real growth shocks by sector, percentage points."""

    primary: Annotated[float, Field(ge=0)]
    secondary: Annotated[float, Field(ge=0)]
    tertiary: Annotated[float, Field(ge=0)]

    def as_array(self) -> np.ndarray:
        """sd in :data:`SECTORS` order, pp, shape (3,)."""
        return np.array([self.primary, self.secondary, self.tertiary], dtype=float)


class Uncertainty(_Model):
    """Monte Carlo settings (assumptions; defaults documented in :mod:`xiqu_analysis.uncertainty`).

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
    seed : int
        Random seed, >= 0 (default 20210801).
    """

    sd_pct: SectorSd = SectorSd(**UNCERTAINTY_DEFAULTS["sd_pct"])
    ar1: Annotated[float, Field(ge=0, lt=1)] = UNCERTAINTY_DEFAULTS["ar1"]
    correlation: Annotated[float, Field(gt=-0.5, le=1)] = UNCERTAINTY_DEFAULTS["correlation"]
    deflator_sd_pct: Annotated[float, Field(ge=0)] = UNCERTAINTY_DEFAULTS["deflator_sd_pct"]
    seed: Annotated[int, Field(ge=0)] = UNCERTAINTY_DEFAULTS["seed"]


def _field_problem(field: str, problem: str) -> PydanticCustomError:
    """A cross-field error that names its dotted field (read back by :func:`_convert`)."""
    return PydanticCustomError("scenario_field", "{problem}", {"field": field, "problem": problem})


# ---------------------------------------------------------------------------
# The scenario
# ---------------------------------------------------------------------------

#: unit of every numeric input path (periods inherit their parent's unit)
FIELD_UNITS: dict[str, str] = {
    "gdp_base": "亿元",
    "sector_shares": "ratio",
    "real_growth_pct": "%",
    "deflator_pct": "%",
    "population.base": "persons",
    "population.growth_pct": "%",
    "urban_income.base": "yuan",
    "urban_income.growth_pct": "%",
    "fiscal_revenue.base": "亿元",
    "fiscal_revenue.buoyancy": "ratio",
    "uncertainty.sd_pct": "pp",
    "uncertainty.ar1": "ratio",
    "uncertainty.correlation": "ratio",
    "uncertainty.deflator_sd_pct": "pp",
}

#: growth inputs that may be given as periods
GROWTH_FIELDS: tuple[str, ...] = (
    "real_growth_pct.primary",
    "real_growth_pct.secondary",
    "real_growth_pct.tertiary",
    "deflator_pct",
    "population.growth_pct",
    "urban_income.growth_pct",
)


def _unit_of(path: str) -> str:
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        unit = FIELD_UNITS.get(".".join(parts[:n]))
        if unit:
            return unit
    return ""


class Scenario(_Model):
    """One validated, frozen scenario. Build it with :func:`load_scenario`.

    Levels are at current prices of each year; growth rates of value added are
    real (comparable prices); the two are never mixed. See the module docstring
    and ``scenarios/README.md`` for the meaning and unit of every field.

    The dict-valued growth periods must be treated as read-only; use
    :meth:`with_changes` to derive a changed scenario.
    """

    name: str
    title: str
    description: str | None = None
    base_year: Annotated[int, Field(ge=1949, le=2200)]
    end_year: Annotated[int, Field(ge=1950, le=2300)]
    gdp_base: PositiveFloat
    sector_shares: SectorShares
    real_growth_pct: SectorGrowth
    deflator_pct: GrowthSpec
    population: Population
    urban_income: UrbanIncome
    fiscal_revenue: FiscalRevenue
    sources: dict[str, str] = {}
    assumptions: dict[str, str] = {}
    reasoning: str | None = None
    uncertainty: Uncertainty = Uncertainty()

    _source_path: Path | None = PrivateAttr(default=None)
    # figure id -> record, filled by provenance() and handed on by with_changes()
    # (sensitivity analysis projects many changed copies; data/ is read once)
    _figures: dict = PrivateAttr(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        """Equal when every field is equal (the file a scenario came from does not count)."""
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    def __hash__(self) -> int:
        import json

        return hash(json.dumps(self.model_dump(mode="json"), sort_keys=True))

    # -- single-field checks ------------------------------------------------

    @field_validator("name")
    @classmethod
    def _safe_name(cls, v: str) -> str:
        if not _NAME_RE.fullmatch(v):
            raise PydanticCustomError(
                "scenario_name",
                "'{name}' is not a safe file name: use 1-64 of A-Z a-z 0-9 _ - , not starting with '-'",
                {"name": v},
            )
        return v

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise PydanticCustomError("blank", "must not be empty", {})
        return v

    @field_validator("sources", "assumptions")
    @classmethod
    def _normalise_keys(cls, v: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, text in v.items():
            if not text.strip():
                raise PydanticCustomError("blank", "entry '{key}' is empty", {"key": key})
            out[_canonical_path(key)] = text
        return out

    # -- cross-field checks -------------------------------------------------

    @model_validator(mode="after")
    def _cross_checks(self) -> "Scenario":
        if self.end_year <= self.base_year:
            raise _field_problem("end_year", f"end_year {self.end_year} must be after base_year {self.base_year}")
        if self.end_year - self.base_year > 200:
            raise _field_problem("end_year", f"horizon of {self.end_year - self.base_year} years is longer than 200")
        first, last = self.base_year + 1, self.end_year
        for path in GROWTH_FIELDS:
            spec = self._get(path)
            if isinstance(spec, dict):
                _check_coverage(path, spec, first, last)
        leaves = set(self.input_paths())
        groups = {".".join(p.split(".")[:n]) for p in leaves for n in range(1, p.count(".") + 1)}
        for key in self.sources:
            if key not in leaves or key.startswith("uncertainty."):
                raise _field_problem(f"sources.{key}", _unknown_path_message(key, leaves, groups, sources=True))
        for key in self.assumptions:
            if key not in leaves and key not in groups:
                raise _field_problem(f"assumptions.{key}", _unknown_path_message(key, leaves, groups))
        both = sorted(set(self.sources) & set(self.assumptions))
        if both:
            raise _field_problem(f"assumptions.{both[0]}", "is listed under sources too: an input is sourced or assumed, not both")
        self._check_revenue()
        return self

    def _check_revenue(self) -> None:
        nominal = _nominal_gdp_growth_pct(self)
        revenue = self.fiscal_revenue.buoyancy * nominal
        bad = np.flatnonzero(~np.isfinite(revenue) | (revenue <= _GROWTH_FLOOR))
        if bad.size:
            i = int(bad[0])
            raise _field_problem(
                "fiscal_revenue.buoyancy",
                f"buoyancy {self.fiscal_revenue.buoyancy:g} x nominal GDP growth {nominal[i]:.4g}% gives revenue "
                f"growth of {revenue[i]:.4g}% in {self.base_year + 1 + i}, at or below -100%",
            )

    # -- paths and values ---------------------------------------------------

    def _get(self, path: str) -> Any:
        obj: Any = self
        for part in path.split("."):
            obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
        return obj

    def value_at(self, path: str) -> Any:
        """Value of a dotted input path (``"real_growth_pct.secondary"`` -> number or periods dict).

        Raises
        ------
        KeyError
            When the path names no field.
        """
        try:
            value = self._get(_canonical_path(path))
        except (AttributeError, KeyError, TypeError):
            raise KeyError(path) from None
        return dict(value) if isinstance(value, dict) else value

    def input_paths(self) -> list[str]:
        """Dotted paths of every numeric input (periods expanded), in file order."""
        paths = ["gdp_base"] + [f"sector_shares.{s}" for s in SECTORS]
        growth = {p: self._get(p) for p in GROWTH_FIELDS}

        def expand(p: str) -> list[str]:
            spec = growth[p]
            return [f"{p}.{k}" for k in spec] if isinstance(spec, dict) else [p]

        for s in SECTORS:
            paths += expand(f"real_growth_pct.{s}")
        paths += expand("deflator_pct")
        paths += ["population.base"] + expand("population.growth_pct")
        paths += ["urban_income.base"] + expand("urban_income.growth_pct")
        paths += ["fiscal_revenue.base", "fiscal_revenue.buoyancy"]
        paths += [f"uncertainty.sd_pct.{s}" for s in SECTORS]
        paths += ["uncertainty.ar1", "uncertainty.correlation", "uncertainty.deflator_sd_pct"]
        return paths

    @property
    def source_path(self) -> Path | None:
        """The file this scenario was read from (None when built from a dict)."""
        return self._source_path

    @property
    def years(self) -> np.ndarray:
        """Years ``base_year .. end_year`` inclusive, int array of length T+1."""
        return np.arange(self.base_year, self.end_year + 1, dtype=int)

    @property
    def growth_years(self) -> np.ndarray:
        """Growth years ``base_year+1 .. end_year``, int array of length T."""
        return np.arange(self.base_year + 1, self.end_year + 1, dtype=int)

    @property
    def horizon(self) -> int:
        """Number of growth years T = end_year - base_year."""
        return self.end_year - self.base_year

    def growth_path_pct(self, path: str) -> np.ndarray:
        """Annual values of a growth input for years base+1..end, % per year, shape (T,).

        Parameters
        ----------
        path : str
            One of :data:`GROWTH_FIELDS` (e.g. ``"population.growth_pct"``).
        """
        if path not in GROWTH_FIELDS:
            raise KeyError(f"{path!r} is not a growth input; one of {', '.join(GROWTH_FIELDS)}")
        return _expand(self._get(path), self.base_year, self.end_year)

    def growth_matrix_pct(self) -> np.ndarray:
        """Real value-added growth, % per year, shape (T, 3): rows years base+1..end, columns :data:`SECTORS`."""
        return np.column_stack([self.growth_path_pct(f"real_growth_pct.{s}") for s in SECTORS])

    def deflator_path_pct(self) -> np.ndarray:
        """GDP deflator growth, % per year, shape (T,) for years base+1..end."""
        return self.growth_path_pct("deflator_pct")

    def population_growth_path_pct(self) -> np.ndarray:
        """Population growth, % per year, shape (T,) for years base+1..end."""
        return self.growth_path_pct("population.growth_pct")

    def urban_income_growth_path_pct(self) -> np.ndarray:
        """Urban income growth (nominal), % per year, shape (T,) for years base+1..end."""
        return self.growth_path_pct("urban_income.growth_pct")

    # -- provenance ---------------------------------------------------------

    def status_of(self, path: str) -> tuple[str, str]:
        """``("sourced", figure id)`` or ``("assumed", reason)`` for an input path."""
        path = _canonical_path(path)
        if path in self.sources:
            return "sourced", self.sources[path]
        parts = path.split(".")
        for n in range(len(parts), 0, -1):
            reason = self.assumptions.get(".".join(parts[:n]))
            if reason:
                return "assumed", reason
        if path.startswith("uncertainty."):
            given = self.model_fields_set and "uncertainty" in self.model_fields_set
            return "assumed", (
                "set in the scenario file, no reason given"
                if given
                else "documented default (see xiqu_analysis.uncertainty)"
            )
        return "assumed", "no reason given in the scenario file"

    def provenance(self, include_uncertainty: bool = True) -> pd.DataFrame:
        """Every numeric input with its unit and whether it is sourced or assumed.

        Returns
        -------
        pandas.DataFrame
            Columns ``input`` (dotted path), ``value`` (float), ``unit``,
            ``status`` (``sourced`` / ``assumed``), ``citation_or_reason``
            (figure id and its citation, or the stated reason).
        """
        import pandas as pd

        rows = []
        missing = [i for i in self.sources.values() if i not in self._figures]
        if missing:
            self._figures.update(_lookup_figures(missing))
        figures = self._figures
        for path in self.input_paths():
            if path.startswith("uncertainty.") and not include_uncertainty:
                continue
            status, text = self.status_of(path)
            if status == "sourced":
                text = _citation(figures.get(text), text)
            rows.append(
                {
                    "input": path,
                    "value": float(self._get(path)),
                    "unit": _unit_of(path),
                    "status": status,
                    "citation_or_reason": text,
                }
            )
        return pd.DataFrame(rows, columns=["input", "value", "unit", "status", "citation_or_reason"])

    # -- derived scenarios and export -------------------------------------

    def to_parameters(self) -> dict[str, Any]:
        """JSON-safe dict (only str, float, int, None, dict) that :func:`scenario_from_dict` reads back.

        Suitable as a papermill parameter value.
        """
        return self.model_dump(mode="json")

    def with_changes(self, **changes: Any) -> "Scenario":
        """A new validated scenario with dotted inputs replaced.

        Parameters
        ----------
        **changes
            ``{"real_growth_pct.secondary": 8.0, "gdp_base": 90.0,
            "real_growth_pct.tertiary.2021-2025": 9.0}``. A period path needs
            the input to be given as periods; a number replaces periods by one
            rate. Shares must be changed together so that they still sum to 1.

        Returns
        -------
        Scenario
            Validated like a file; a changed input that was sourced is moved
            to ``assumptions`` (its value no longer is the figure's).

        Raises
        ------
        InputError
            Unknown path or an invalid result (source ``"with_changes"``).
        """
        data = self.model_dump(mode="python")
        sources = dict(data.get("sources") or {})
        assumptions = dict(data.get("assumptions") or {})
        for raw_path, value in changes.items():
            path = _canonical_path(raw_path)
            if isinstance(value, np.generic):
                value = value.item()
            parts = path.split(".")
            node: Any = data
            for i, part in enumerate(parts[:-1]):
                if not isinstance(node, dict) or part not in node:
                    raise InputError("with_changes", raw_path, "names no field of the scenario")
                node = node[part]
            if not isinstance(node, dict) or (parts[-1] not in node and not _is_period_of(parts, data)):
                raise InputError("with_changes", raw_path, "names no field of the scenario")
            was = node.get(parts[-1]) if isinstance(node, dict) else None
            node[parts[-1]] = value
            # The changed input is no longer the sourced figure nor the value its reason
            # justified: record the change; entries for inputs it replaced are dropped.
            replaced = sorted(k for k in sources if k == path or k.startswith(path + "."))
            ids = [sources.pop(k) for k in replaced]
            old_reason = assumptions.get(path)
            for key in [k for k in assumptions if k.startswith(path + ".")]:
                del assumptions[key]
            if _unit_of(path):  # a numeric input (or group): say it was changed
                note = f"changed by with_changes (was {_short(was)}"
                if ids:
                    note += f", sourced from {', '.join(dict.fromkeys(ids))}"
                elif old_reason:
                    note += f"; {old_reason}"
                assumptions[path] = note + ")"
        data["sources"] = sources
        data["assumptions"] = assumptions
        label = f"{self._source_path or self.name} with_changes({', '.join(changes)})"
        result = scenario_from_dict(data, source=label, check_sources=False)
        result._source_path = self._source_path
        result._figures = self._figures
        return result


def _short(value: Any) -> str:
    """A changed value in a few characters, for the with_changes note."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
    return str(value)


def _is_period_of(parts: list[str], data: dict) -> bool:
    """True when ``parts`` names a new period key of a growth input (rejected later if it breaks coverage)."""
    parent = ".".join(parts[:-1])
    if parent not in GROWTH_FIELDS:
        return False
    try:
        parse_period(parts[-1])
    except ValueError:
        return False
    return True


def _canonical_path(path: str) -> str:
    """Strip spaces; write a trailing period component as ``YYYY-YYYY``."""
    parts = [p.strip() for p in str(path).split(".")]
    if len(parts) >= 2 and ".".join(parts[:-1]) in GROWTH_FIELDS:
        try:
            parts[-1] = _period_str(*parse_period(parts[-1]))
        except ValueError:
            pass
    return ".".join(parts)


def _unknown_path_message(key: str, leaves: set[str], groups: set[str], sources: bool = False) -> str:
    candidates = sorted(p for p in leaves if not (sources and p.startswith("uncertainty.")))
    if not sources:
        candidates += sorted(groups)
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    what = "a numeric input (e.g. 'gdp_base', 'real_growth_pct.secondary.2021-2025')" if sources else "an input or group of inputs"
    return f"'{key}' is not {what} of this scenario{hint}"


def _check_coverage(path: str, spec: dict[str, float], first: int, last: int) -> None:
    """Periods must cover growth years ``first..last`` exactly once (keys are sorted)."""
    if not spec:
        raise _field_problem(path, f"no periods given: need periods covering {first}-{last}")
    expected = first
    for key in spec:
        a, b = parse_period(key)
        if a < first or b > last:
            raise _field_problem(
                f"{path}.{key}",
                f"period {key} falls outside the growth years {first}-{last} (base_year+1 to end_year)",
            )
        if a < expected:
            raise _field_problem(f"{path}.{key}", f"period {key} overlaps the previous period (which ends {expected - 1})")
        if a > expected:
            raise _field_problem(
                f"{path}.{key}", f"gap: no growth rate for {_years_label(expected, a - 1)} before period {key}"
            )
        expected = b + 1
    if expected <= last:
        raise _field_problem(path, f"gap: no growth rate for {_years_label(expected, last)} (periods must reach end_year {last})")


def _expand(spec: float | dict[str, float], base_year: int, end_year: int) -> np.ndarray:
    """Growth spec -> values for years base+1..end (validated coverage assumed)."""
    n = end_year - base_year
    if not isinstance(spec, dict):
        return np.full(n, float(spec))
    out = np.empty(n)
    for key, value in spec.items():
        a, b = parse_period(key)
        out[a - base_year - 1 : b - base_year] = value
    return out


def _nominal_gdp_growth_pct(s: Scenario) -> np.ndarray:
    """Nominal GDP growth, % per year (T,): real growth of the sector sum x deflator."""
    growth = _expand_matrix(s)
    index = np.vstack([np.ones((1, 3)), np.cumprod(1.0 + growth / 100.0, axis=0)])
    with np.errstate(all="ignore"):
        real = index @ s.sector_shares.as_array()
        real_growth = real[1:] / real[:-1]
        deflator = 1.0 + _expand(s.deflator_pct, s.base_year, s.end_year) / 100.0
        return (real_growth * deflator - 1.0) * 100.0


def _expand_matrix(s: Scenario) -> np.ndarray:
    return np.column_stack(
        [_expand(getattr(s.real_growth_pct, sec), s.base_year, s.end_year) for sec in SECTORS]
    )


# ---------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------

_AMBIGUOUS_INT = re.compile(r"[-+]?(0[0-7_]+|0b[0-1_]+|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)")
_YAML12_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys and ambiguous YAML 1.1 numbers; reads ``1e3`` as float."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, "found an unhashable key", key_node.start_mark
                    ) from None
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found duplicate key {key!r} (first at line {seen[key].line + 1})",
                        key_node.start_mark,
                    )
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        text = str(node.value)
        if _AMBIGUOUS_INT.fullmatch(text):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"ambiguous number '{text}' (YAML 1.1 reads it as {yaml.SafeLoader.construct_yaml_int(self, node)}): "
                "write it in plain decimal or quote it",
                node.start_mark,
            )
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):
        text = str(node.value)
        if ":" in text:
            raise yaml.constructor.ConstructorError(
                None, None, f"ambiguous number '{text}' (YAML 1.1 reads it as base 60): quote it", node.start_mark
            )
        return super().construct_yaml_float(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _StrictLoader.construct_yaml_float)
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:float", _YAML12_FLOAT, list("-+.0123456789"))


def _check_duplicates(node: yaml.Node, source: str, path: str = "", _seen: set[int] | None = None) -> None:
    """Walk a composed YAML tree; raise InputError naming the dotted field of a duplicate key."""
    seen_nodes = _seen if _seen is not None else set()
    if id(node) in seen_nodes:
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            field = f"{path}.{key}" if path and key is not None else (key or path)
            if key is not None:
                if key in keys:
                    mark = key_node.start_mark
                    raise InputError(
                        source,
                        field,
                        f"duplicate key '{key}' at line {mark.line + 1}, column {mark.column + 1} "
                        f"(first at line {keys[key].start_mark.line + 1}); YAML would silently keep the last",
                    )
                keys[key] = key_node
            _check_duplicates(value_node, source, field, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _check_duplicates(item, source, f"{path}[{i}]", seen_nodes)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"{context}: {problem}" if context and "ambiguous" not in str(problem) and "duplicate" not in str(problem) else problem
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"YAML does not parse{where}: {text}"


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file strictly (see module docstring). Raises :class:`InputError`."""
    p = Path(path)
    source = str(path)
    try:
        if p.is_dir():
            raise InputError(source, None, "is a folder, not a scenario file")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(source, None, f"file is {size} bytes; a scenario file is at most {MAX_FILE_BYTES}")
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(source, None, "file not found") from None
    except PermissionError:
        raise InputError(source, None, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(source, None, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, None, f"is not UTF-8 text (byte {exc.start})") from None
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_duplicates(node, source)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise InputError(source, None, _yaml_problem(exc)) from None
    except RecursionError:
        raise InputError(source, None, "YAML nests too deeply") from None
    finally:
        loader.dispose()


# ---------------------------------------------------------------------------
# Loading and error conversion
# ---------------------------------------------------------------------------


def load_scenario(path: str | Path, check_sources: bool = True) -> Scenario:
    """Read, validate and return the scenario in ``path``.

    Parameters
    ----------
    path : str or Path
        A YAML scenario file (format: ``scenarios/README.md``).
    check_sources : bool
        Check every ``sources`` entry against ``data/`` (figure exists, value
        agrees after unit conversion). Skipped when the data module is absent.

    Returns
    -------
    Scenario
        Frozen; ``scenario.source_path`` is ``Path(path)``.

    Raises
    ------
    InputError
        ``(path, dotted field, problem)`` for any problem, before anything runs.
    """
    data = read_yaml(path)
    if not isinstance(data, dict):
        got = "an empty file" if data is None else _describe(data)
        raise InputError(path, None, f"top level must be a mapping of fields (name: ..., base_year: ...), got {got}")
    scenario = scenario_from_dict(data, source=str(path), check_sources=check_sources)
    scenario._source_path = Path(path)
    return scenario


def scenario_from_dict(data: Mapping[str, Any], source: str = "<scenario>", check_sources: bool = True) -> Scenario:
    """Validate a scenario given as a dict (e.g. :meth:`Scenario.to_parameters` output).

    Raises
    ------
    InputError
        ``(source, dotted field, problem)``, one line.
    """
    if not isinstance(data, Mapping):
        raise InputError(source, None, f"scenario must be a mapping, got {_describe(data)}")
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as exc:
        raise _convert(exc, source) from None
    if check_sources:
        check_sources_against_data(scenario, source)
    return scenario


def _citation(fig: Any, figure_id: str) -> str:
    """``"<id>: <source>: <quote>"`` of a figure record (just the id when data is absent)."""
    if fig is None or isinstance(fig, (Exception, str)):
        return figure_id
    parts = [figure_id]
    src = getattr(fig, "source", None)
    if src:
        parts.append(str(src))
    quote = getattr(fig, "quote", None)
    if quote and quote != "-":
        parts.append(str(quote))
    return ": ".join(parts)


def _data_module():
    """:mod:`xiqu_analysis.data`, or None while it is not installed."""
    try:
        from . import data as data_module
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.endswith("xiqu_analysis.data"):
            return None
        raise
    return data_module if hasattr(data_module, "figure") else None


class _Missing(str):
    """Why a figure id was not found (a str subclass, to tell it from a Figure)."""


def _lookup_figures(ids: Any) -> dict[str, Any]:
    """Figure records by id, reading each region's figures.csv once.

    Values are a Figure, a :class:`_Missing` reason, an :class:`InputError`
    (a broken data file), or None when the data module is not installed.
    """
    ids = list(dict.fromkeys(ids))
    module = _data_module()
    if module is None:
        return {i: None for i in ids}
    out: dict[str, Any] = {}
    by_region: dict[str, list[str]] = {}
    for i in ids:
        by_region.setdefault(i.split(".", 1)[0], []).append(i)
    batch = hasattr(module, "load_figures") and hasattr(module, "figures_from_frame") and hasattr(module, "list_regions")
    for region, region_ids in by_region.items():
        if batch:
            try:
                if region not in module.list_regions():
                    out.update({i: _Missing(f"no region '{region}' in data/ (ids start with a region key)") for i in region_ids})
                    continue
                frame = module.load_figures(region)
            except InputError as exc:
                out.update({i: exc for i in region_ids})
                continue
            known = dict(zip(frame["id"].tolist(), range(len(frame))))
            for i in region_ids:
                if i in known:
                    out[i] = module.figures_from_frame(frame.iloc[[known[i]]])[0]
                else:
                    hint = difflib.get_close_matches(i, list(known), n=2)
                    close = f" (close: {', '.join(hint)})" if hint else ""
                    out[i] = _Missing(f"no figure with id '{i}' in data/{close}")
        else:  # pragma: no cover - older data module
            for i in region_ids:
                try:
                    out[i] = module.figure(i)
                except InputError as exc:
                    out[i] = exc
    return out


#: unit each sourced input is compared in
_COMPARE_UNIT = {"亿元": "亿元", "yuan": "元", "persons": "人", "%": "%", "ratio": "ratio"}


def check_sources_against_data(scenario: Scenario, source: str = "<scenario>") -> None:
    """Check that every ``sources`` entry names a figure in ``data/`` whose value agrees.

    Levels must not be sourced from comparable-price figures, real growth
    rates not from current-price ones. Skipped when ``xiqu_analysis.data`` is
    not installed.

    Raises
    ------
    InputError
        ``(source, "sources.<path>", problem)``.
    """
    if not scenario.sources:
        return
    figures = _lookup_figures(scenario.sources.values())
    for path, figure_id in scenario.sources.items():
        field = f"sources.{path}"
        fig = figures.get(figure_id)
        if fig is None:  # the data module is not installed
            continue
        if isinstance(fig, InputError):  # a broken data file: its own error
            raise fig
        if isinstance(fig, _Missing):
            raise InputError(source, field, str(fig))
        value = float(scenario._get(path))
        unit = _unit_of(path)
        fig_unit = str(getattr(fig, "unit", ""))
        fig_value = float(fig.value)
        target = _COMPARE_UNIT.get(unit, unit)
        try:
            if target == "ratio" and fig_unit == "%":
                converted = fig_value / 100.0
            elif target == "ratio":
                converted = fig_value if fig_unit == "ratio" else None
            else:
                from .units import convert

                converted = convert(fig_value, fig_unit, target)
        except (KeyError, ValueError):
            converted = None
        if converted is None:
            raise InputError(source, field, f"figure '{figure_id}' is in {fig_unit}, which cannot be compared with {unit}")
        if not math.isclose(value, converted, rel_tol=1e-9, abs_tol=1e-9):
            raise InputError(
                source,
                path,
                f"value {value:g} {unit} disagrees with figure '{figure_id}' = {fig_value:g} {fig_unit}"
                + (f" (= {converted:g} {unit})" if fig_unit != target else ""),
            )
        basis = str(getattr(fig, "price_basis", "") or "")
        if path.startswith("real_growth_pct") and basis == "current":
            raise InputError(source, field, f"figure '{figure_id}' is at current prices; real growth needs a comparable-price figure")
        if path in ("gdp_base", "fiscal_revenue.base", "urban_income.base") and basis == "comparable":
            raise InputError(source, field, f"figure '{figure_id}' is at comparable prices; a base level must be at current prices")


def _describe(value: Any) -> str:
    """Plain words for a value a user wrote (with YAML 1.1 hints)."""
    if isinstance(value, bool):
        return (
            f"the boolean {str(value).lower()} (YAML reads unquoted yes/no/on/off/true/false as a boolean; "
            "quote it if you meant text)"
        )
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text '{shown}'"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "infinity"
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__} ({value})"


_TYPE_WORDS = {
    "float_type": "must be a number",
    "int_type": "must be a whole number",
    "string_type": "must be text",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "bool_type": "must be true or false",
}
_LIMIT_WORDS = {
    "greater_than": ("gt", "must be greater than"),
    "greater_than_equal": ("ge", "must be at least"),
    "less_than": ("lt", "must be less than"),
    "less_than_equal": ("le", "must be at most"),
}


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """Model class reached by following field names ``loc`` from :class:`Scenario`."""
    model: type[BaseModel] | None = Scenario
    for part in loc:
        if model is None or part not in model.model_fields:
            return None
        ann = model.model_fields[part].annotation
        nxt = None
        for cand in (ann, *typing.get_args(ann)):
            if isinstance(cand, type) and issubclass(cand, BaseModel):
                nxt = cand
        model = nxt
    return model


def _convert(exc: ValidationError, source: str) -> InputError:
    """First pydantic error -> one-line InputError with the dotted field."""
    errors = exc.errors(include_url=False)
    # A misspelt key also makes the right one "missing": report the unknown key first.
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    err = errors[0]
    loc = [str(p) for p in err["loc"] if p not in ("number", "periods", "[key]")]
    ctx = err.get("ctx") or {}
    kind = err["type"]
    value = err.get("input")
    if kind == "scenario_field":
        loc = str(ctx["field"]).split(".")
        problem = str(ctx["problem"])
    elif kind == "period_key":
        loc = loc + [str(ctx["key"])]
        problem = str(ctx["problem"])
    elif kind == "missing":
        problem = "required field is missing"
    elif kind == "extra_forbidden":
        model = _model_at(tuple(err["loc"][:-1]))
        allowed = list(model.model_fields) if model else []
        close = difflib.get_close_matches(loc[-1], allowed, n=1, cutoff=0.6) if allowed else []
        problem = "unknown field"
        if close:
            problem += f" (did you mean '{close[0]}'?)"
        if allowed:
            problem += f"; allowed here: {', '.join(allowed)}"
    elif kind in _TYPE_WORDS:
        problem = f"{_TYPE_WORDS[kind]}, got {_describe(value)}"
    elif kind == "growth_type":
        problem = f"must be a number (% per year) or periods like {{2021-2025: 7.5}}, got {_describe(value)}"
    elif kind == "finite_number":
        problem = f"must be a finite number, got {_describe(value)} (YAML .nan / .inf are not allowed)"
    elif kind in _LIMIT_WORDS:
        key, words = _LIMIT_WORDS[kind]
        limit = ctx.get(key)
        problem = f"{words} {limit:g}, got {_describe(value)}" if isinstance(limit, (int, float)) else err["msg"]
        if kind == "greater_than" and limit == _GROWTH_FLOOR:
            problem += " (a growth rate of -100% or below would leave nothing)"
        elif kind == "greater_than" and limit == 0:
            problem += " (a base level must be positive)"
    elif kind == "value_error":
        problem = str(err["msg"]).removeprefix("Value error, ")
    else:
        problem = str(err["msg"])
    if len(errors) > 1:
        problem += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return InputError(source, ".".join(loc) or None, problem)
