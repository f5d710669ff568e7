"""The scenario: one validated, frozen :class:`Scenario` and its derived copies.

A scenario is a YAML file in ``scenarios/`` (format: ``scenarios/README.md``;
field types and units: :mod:`.fields`). Every problem is raised *before
anything runs* as :class:`~xiqu_analysis.errors.InputError` ``(file, dotted
field, problem)``, which the CLI prints as one line and exits 2.

Strictness: types are strict (``"7.5"`` as text is not a number, ``true`` is
not a number, ``2020.0`` is not a year); NaN and infinity are rejected
everywhere; the YAML reader (:mod:`xiqu_analysis.inputs.yamlfile`) rejects
duplicate keys and ambiguous YAML 1.1 numbers.

Checks that need the projection (a path that overflows, revenue growth at or
below -100 %) belong to the economics:
:func:`xiqu_analysis.economics.projection.check_projection`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from pydantic import Field, PrivateAttr, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ...config import DEFAULT_REGION
from ...errors import InputError, Message
from ..figures import REGION_KEY
from ..validation import custom_error, describe, field_problem, input_error
from .paths import canonical_path, figure_covers, input_years, check_coverage, expand, unknown_path_message
from .localtext import LocalText, ScenarioText
from .rules import indicator_rules
from .fields import (
    GROWTH_FIELDS,
    SECTORS,
    FiscalRevenue,
    GrowthSpec,
    IndicatorInput,
    IndicatorRule,
    is_growth_field,
    Population,
    PositiveFloat,
    Section,
    SectorDeflator,
    SectorGrowth,
    SectorShares,
    Uncertainty,
    UrbanIncome,
    unit_of,
)

__all__ = ["Scenario", "InputStatus", "scenario_from_dict", "ACTUALS_PREFIX", "LocalText"]

#: prefix of a ``sources`` entry citing a row of the scenario's ``actuals`` file
ACTUALS_PREFIX = "actuals:"

_NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,63}")


@dataclass(frozen=True)
class InputStatus:
    """Where one input's value comes from.

    Attributes
    ----------
    status : {"sourced", "assumed"}
    origin : {"sources", "carried_forward", "assumptions", "default", "unstated"}
        ``carried_forward``: a growth input cited in ``sources`` from a figure
        of other years (the 2016-2020 average applied to 2021-2035): the
        figure is real, carrying it forward is an assumption.
    figure_id : str or None
        The figure cited in ``sources``.
    reason : LocalText or None
        The scenario file's own reason, from ``assumptions`` (in each language it gives).
    """

    status: str
    origin: str
    figure_id: str | None = None
    reason: LocalText | None = None


class Scenario(Section):
    """One validated, frozen scenario. Build it with :func:`load_scenario`.

    Levels are at current prices of each year; growth rates of value added are
    real (comparable prices); the two are never mixed. See the module docstring
    and ``scenarios/README.md`` for the meaning and unit of every field.

    The dict-valued growth periods must be treated as read-only; use
    :meth:`with_changes` to derive a changed scenario.
    """

    name: str
    title: ScenarioText
    region: str = DEFAULT_REGION
    description: ScenarioText | None = None
    base_year: Annotated[int, Field(ge=1949, le=2200)]
    end_year: Annotated[int, Field(ge=1950, le=2300)]
    gdp_base: PositiveFloat
    sector_shares: SectorShares
    real_growth_pct: SectorGrowth
    deflator_pct: GrowthSpec
    sector_deflator_pct: SectorDeflator | None = None
    population: Population
    urban_income: UrbanIncome
    fiscal_revenue: FiscalRevenue
    #: inputs of further registry indicators, by indicator key (``indicators.retail_sales.base`` ...)
    indicators: dict[str, IndicatorInput] = {}
    #: how each further indicator is projected: filled from the registry when the scenario is read
    #: (:func:`xiqu_analysis.inputs.scenario.rules.indicator_rules`), never written in a scenario file
    indicator_rules: dict[str, IndicatorRule] = Field(default={}, json_schema_extra={"derived": True})
    sources: dict[str, str] = {}
    assumptions: dict[str, ScenarioText] = {}
    reasoning: ScenarioText | None = None
    uncertainty: Uncertainty = Uncertainty()
    #: a bulletin CSV of actual figures (relative to the scenario file) whose rows ``sources``
    #: may cite as ``actuals:<region>.<indicator>.<year>`` (a re-based scenario, ``xiqu rebase``)
    actuals: str | None = None

    _source_path: Path | None = PrivateAttr(default=None)
    _cited_actuals: dict[str, Any] = PrivateAttr(default_factory=dict)
    _actuals_frame: Any = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        """Equal when every field is equal (the file a scenario came from does not count)."""
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    def __hash__(self) -> int:
        return hash(json.dumps(self.model_dump(mode="json"), sort_keys=True))

    # -- single-field checks ------------------------------------------------

    @field_validator("name")
    @classmethod
    def _safe_name(cls, v: str) -> str:
        if not _NAME_RE.fullmatch(v):
            raise custom_error("scenario_name", "'{name}' is not a safe file name: use 1-64 of A-Z a-z 0-9 _ - , "
                               "not starting with '-'", name=v)
        return v

    @field_validator("region")
    @classmethod
    def _region_key(cls, v: str) -> str:
        # a validator, not Field(pattern=...): pydantic patterns match anywhere in the text
        if not REGION_KEY.fullmatch(v):
            raise custom_error("region_key", "'{region}' is not a region key (a folder of data/regions/: a-z, 0-9, _)",
                               region=v)
        return v

    @field_validator("sources", "assumptions")
    @classmethod
    def _normalise_keys(cls, v: dict[str, Any]) -> dict[str, Any]:
        # blank text is refused by the field types (sources: here; text fields: localtext.parse_text)
        out: dict[str, Any] = {}
        for key, text in v.items():
            if isinstance(text, str) and not text.strip():
                raise custom_error("blank", "entry '{key}' is empty", key=key)
            out[canonical_path(key)] = text
        return out

    # -- cross-field checks -------------------------------------------------

    @model_validator(mode="after")
    def _cross_checks(self) -> "Scenario":
        if self.end_year <= self.base_year:
            raise field_problem("end_year", "end_year {end_year} must be after base_year {base_year}",
                                end_year=self.end_year, base_year=self.base_year)
        if self.end_year - self.base_year > 200:
            raise field_problem("end_year", "horizon of {years} years is longer than 200",
                                years=self.end_year - self.base_year)
        first, last = self.base_year + 1, self.end_year
        for path in self.growth_fields():
            spec = self._growth_spec(path)
            if isinstance(spec, dict):
                check_coverage(path, spec, first, last)
        for key, given in self.indicators.items():
            rule = self.indicator_rules.get(key)
            if rule is None:
                raise field_problem(f"indicators.{key}",
                                    "'{key}' has no rule: the scenario was not read with the registry of indicators "
                                    "(data/indicators.csv)",
                                    key=key)
            need, other = ("growth_pct", "buoyancy") if rule.rule == "own_growth" else ("buoyancy", "growth_pct")
            if getattr(given, need) is None:
                raise field_problem(f"indicators.{key}.{need}",
                                    "required: '{key}' is projected by its rule '{rule}', which needs {need}", key=key,
                                    rule=rule.rule, need=need)
            if getattr(given, other) is not None:
                raise field_problem(f"indicators.{key}.{other}",
                                    "not used: '{key}' is projected by its rule '{rule}', which takes {need} only",
                                    key=key, rule=rule.rule, need=need)
        leaves = set(self.input_paths())
        groups = {".".join(p.split(".")[:n]) for p in leaves for n in range(1, p.count(".") + 1)}
        for key in self.sources:
            if key not in leaves or key.startswith("uncertainty."):
                unknown = unknown_path_message(key, leaves, groups, sources=True)
                raise field_problem(f"sources.{key}", unknown)
        for key in self.assumptions:
            if key not in leaves and key not in groups:
                unknown = unknown_path_message(key, leaves, groups)
                raise field_problem(f"assumptions.{key}", unknown)
        for key, figure_id in self.sources.items():
            if figure_id.startswith(ACTUALS_PREFIX) and not (self.actuals or "").strip():
                raise field_problem(f"sources.{key}",
                                    "cites {figure_id!r} but the scenario names no actuals file (field 'actuals')",
                                    figure_id=figure_id)
        both = sorted(set(self.sources) & set(self.assumptions))
        if both:
            raise field_problem(f"assumptions.{both[0]}",
                                "is listed under sources too: an input is sourced or assumed, not both")
        return self


    # -- paths and values ---------------------------------------------------

    def _get(self, path: str) -> Any:
        obj: Any = self
        for part in path.split("."):
            obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
        return obj

    def _growth_spec(self, path: str) -> Any:
        """A growth input's number or periods; None for an optional one not given (a sector's own deflator)."""
        if path.startswith("sector_deflator_pct.") and self.sector_deflator_pct is None:
            return None
        return self._get(path)

    def growth_fields(self) -> tuple[str, ...]:
        """The growth inputs this scenario gives (:data:`GROWTH_FIELDS` without the optional ones left out,
        then each registry indicator's ``indicators.<key>.growth_pct``)."""
        return (*(p for p in GROWTH_FIELDS if self._growth_spec(p) is not None),
                *(f"indicators.{k}.growth_pct" for k, v in self.indicators.items() if v.growth_pct is not None))

    def input_unit(self, path: str) -> str:
        """Unit of an input path; a registry indicator's ``base`` is in the registry's unit."""
        parts = canonical_path(path).split(".")
        if parts[0] == "indicators" and len(parts) == 3 and parts[2] == "base" and parts[1] in self.indicator_rules:
            return self.indicator_rules[parts[1]].unit
        return unit_of(".".join(parts))

    def value_at(self, path: str) -> Any:
        """Value of a dotted input path (``"real_growth_pct.secondary"`` -> number or periods dict).

        Raises
        ------
        KeyError
            When the path names no field.
        """
        try:
            value = self._get(canonical_path(path))
        except (AttributeError, KeyError, TypeError):
            raise KeyError(path) from None
        return dict(value) if isinstance(value, dict) else value

    def input_paths(self) -> list[str]:
        """Dotted paths of every numeric input (periods expanded), in file order."""
        paths = ["gdp_base"] + [f"sector_shares.{s}" for s in SECTORS]
        growth = {p: self._growth_spec(p) for p in GROWTH_FIELDS}

        def expand(p: str) -> list[str]:
            spec = growth[p]
            if spec is None:
                return []
            return [f"{p}.{k}" for k in spec] if isinstance(spec, dict) else [p]

        for s in SECTORS:
            paths += expand(f"real_growth_pct.{s}")
        paths += expand("deflator_pct")
        for s in SECTORS:
            paths += expand(f"sector_deflator_pct.{s}")
        paths += ["population.base"]
        if self.population.base_year_growth_pct is not None:
            paths += ["population.base_year_growth_pct"]
        paths += expand("population.growth_pct")
        paths += ["urban_income.base"] + expand("urban_income.growth_pct")
        paths += ["fiscal_revenue.base", "fiscal_revenue.buoyancy"]
        for key, given in self.indicators.items():
            paths += [f"indicators.{key}.base"]
            if given.growth_pct is not None:
                spec = given.growth_pct
                paths += ([f"indicators.{key}.growth_pct.{k}" for k in spec] if isinstance(spec, dict)
                          else [f"indicators.{key}.growth_pct"])
            if given.buoyancy is not None:
                paths += [f"indicators.{key}.buoyancy"]
        paths += [f"uncertainty.sd_pct.{s}" for s in SECTORS]
        paths += ["uncertainty.ar1", "uncertainty.correlation", "uncertainty.deflator_sd_pct",
                  "uncertainty.population_sd_pct"]
        return paths

    @property
    def source_path(self) -> Path | None:
        """The file this scenario was read from (None when built from a dict)."""
        return self._source_path

    def cited_actual(self, figure_id: str) -> Any:
        """The actuals row a ``sources`` entry cites (checked on loading), or None."""
        return self._cited_actuals.get(figure_id)

    def remember_cited_actual(self, figure_id: str, row: Any) -> None:
        """Keep the actuals row a ``sources`` entry cites, found by the source check (:meth:`cited_actual`)."""
        self._cited_actuals[figure_id] = row

    def actuals_table(self, path: Path, read: Callable[[Path], Any]) -> Any:
        """The actuals file read once: ``read(path)`` the first time (or for another path), then the same."""
        if self._actuals_frame is None or self._actuals_frame[0] != str(path):
            self._actuals_frame = (str(path), read(path))
        return self._actuals_frame[1]

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
        if not is_growth_field(path):
            raise KeyError(f"{path!r} is not a growth input; one of {', '.join(GROWTH_FIELDS)}")
        spec = self._growth_spec(path)
        if spec is None:
            raise KeyError(f"{path!r} is not given in this scenario")
        return expand(spec, self.base_year, self.end_year)

    def growth_matrix_pct(self) -> np.ndarray:
        """Real value-added growth, % per year, shape (T, 3): rows years base+1..end, columns :data:`SECTORS`."""
        return np.column_stack([self.growth_path_pct(f"real_growth_pct.{s}") for s in SECTORS])

    def deflator_path_pct(self) -> np.ndarray:
        """GDP deflator growth, % per year, shape (T,) for years base+1..end."""
        return self.growth_path_pct("deflator_pct")

    def sector_deflator_matrix_pct(self) -> np.ndarray | None:
        """Each sector's deflator, % per year, shape (T, 3) (``deflator_pct`` for a sector without its own);
        None when the scenario gives no ``sector_deflator_pct`` (one GDP deflator for every sector)."""
        if self.sector_deflator_pct is None or all(
                getattr(self.sector_deflator_pct, s) is None for s in SECTORS):
            return None
        common = self.deflator_path_pct()
        return np.column_stack([
            self.growth_path_pct(f"sector_deflator_pct.{s}") if getattr(self.sector_deflator_pct, s) is not None
            else common for s in SECTORS])

    def population_base_year_growth_pct(self) -> float:
        """Population change during the base year, per cent (0 when not given: see :class:`.fields.Population`)."""
        value = self.population.base_year_growth_pct
        return 0.0 if value is None else float(value)

    def population_growth_path_pct(self) -> np.ndarray:
        """Population growth, % per year, shape (T,) for years base+1..end."""
        return self.growth_path_pct("population.growth_pct")

    def urban_income_growth_path_pct(self) -> np.ndarray:
        """Urban income growth (nominal), % per year, shape (T,) for years base+1..end."""
        return self.growth_path_pct("urban_income.growth_pct")

    # -- provenance -------------------------------------------------------

    def input_status(self, path: str) -> InputStatus:
        """Where an input's value comes from (codes and the file's own words, no prose of ours).

        ``origin`` is ``"sources"`` (a figure id in ``sources``),
        ``"assumptions"`` (a reason in ``assumptions``, for the input or a group
        containing it), ``"default"`` (an ``uncertainty`` setting left at its
        documented default) or ``"unstated"`` (assumed, no reason given).
        """
        path = canonical_path(path)
        if path in self.sources:
            figure_id = self.sources[path]
            if not self._figure_covers(path, figure_id):
                return InputStatus("assumed", "carried_forward", figure_id=figure_id)
            return InputStatus("sourced", "sources", figure_id=figure_id)
        parts = path.split(".")
        for n in range(len(parts), 0, -1):
            reason = self.assumptions.get(".".join(parts[:n]))
            if reason:
                return InputStatus("assumed", "assumptions", reason=reason)
        if path.startswith("uncertainty.") and "uncertainty" not in self.model_fields_set:
            return InputStatus("assumed", "default")
        return InputStatus("assumed", "unstated")

    def input_years(self, path: str) -> tuple[int, int] | None:
        """First and last growth year a growth input applies to (None for a level or a ratio):
        :func:`~.paths.input_years` over this scenario's growth inputs and years."""
        return input_years(path, self.growth_fields(), self.base_year, self.end_year)

    def _figure_covers(self, path: str, figure_id: str) -> bool:
        """False when a growth input cites a figure of other years (a past rate carried forward)."""
        return figure_covers(self.input_years(path), figure_id)

    def status_of(self, path: str) -> str:
        """``"sourced"`` or ``"assumed"`` for an input path."""
        return self.input_status(path).status

    # -- derived scenarios and export -------------------------------------

    def to_parameters(self) -> dict[str, Any]:
        """JSON-safe dict (only str, float, int, None, dict) that :func:`scenario_from_dict` reads back.

        Suitable as a papermill parameter value. ``indicators`` and ``indicator_rules`` are left
        out when empty, so a scenario without further indicators dumps as it always has.
        """
        data = self.model_dump(mode="json")
        for key in ("indicators", "indicator_rules"):
            if not data.get(key):
                data.pop(key, None)
        return data

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
        from .changes import changed_data

        data = changed_data(self, changes)
        label = f"{self._source_path or self.name} with_changes({', '.join(changes)})"
        return scenario_from_dict(data, source=label, path=self._source_path)


def scenario_from_dict(data: Mapping[str, Any], source: str | Path = "<scenario>",
                       registry: Mapping[str, Any] | None = None, *, path: str | Path | None = None) -> Scenario:
    """Validate a scenario given as a dict (e.g. :meth:`Scenario.to_parameters` output).

    ``path``: the file read (:attr:`Scenario.source_path`; None for a scenario built in memory).
    Sources are not checked against the data here (see :func:`xiqu_analysis.inputs.scenario.load_scenario`).

    ``registry`` (:func:`~xiqu_analysis.inputs.indicators.indicator_registry`) resolves the
    ``indicators`` section into ``indicator_rules``; without it, rules already in ``data`` (a
    scenario's own :meth:`~Scenario.to_parameters`) are kept, and otherwise the registry of the
    configured data folder is read.

    Raises
    ------
    InputError
        ``(source, dotted field, problem)``, one line.
    """
    if not isinstance(data, Mapping):
        raise InputError(source, None, "scenario must be a mapping, got {describe}", describe=describe(data))
    data = dict(data)
    given = data.get("indicators")
    if isinstance(given, Mapping) and given and (registry is not None or not data.get("indicator_rules")):
        if registry is None:
            from ..indicators import check_indicators, indicator_registry

            registry = indicator_registry(check_indicators())
        try:
            data["indicator_rules"] = indicator_rules(given, registry)
        except PydanticCustomError as exc:
            context = exc.context or {}
            problem = context.get("problem")
            problem = problem if isinstance(problem, Message) else Message("{problem}", problem=exc.message())
            raise InputError(source, context.get("field", "indicators"), problem) from None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc, str(source), Scenario) from None
    scenario._source_path = Path(path) if path is not None else None
    return scenario
