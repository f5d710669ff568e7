"""What the explorer computes, without a widget: the inputs, their last valid state, the views, saving.

:class:`ExplorerState` holds a starting scenario (loaded once with its
region), the value of every control (:mod:`.schema`), and the last
*valid* scenario those values made. :meth:`ExplorerState.set` changes one
input (a share rescales the rest of its group); a combination the schema or
the projection refuses keeps the last valid scenario and reports the
schema's one-line message with the input it names. :func:`compute_views`
turns a scenario into what the explorer shows (headline table, projection,
target analysis, fan percentiles); :meth:`ExplorerState.save` writes the
current scenario as a YAML file that ``xiqu run`` accepts.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ... import config
from ...economics.projection import ProjectionResult, project
from ...economics.targets import TargetAnalysis, analyse_targets
from ...economics.uncertainty import simulate
from ...errors import InputError
from ...inputs.regions import RegionData
from ...inputs.scenario import (Scenario, actuals_file, check_sources, load_scenario, load_scenario_with_region,
                               scenario_from_dict, write_scenario)
from .schema import ControlSpec, control_specs, share_groups
from ..tables.scenario import benchmark_per_capita, gap_chart_rows, headline_table, headline_years
from ..words.messages import problem_text
from ..words.text import fmt_number, scenario_text, t

__all__ = ["FAN_INDICATOR", "Problem", "Views", "ExplorerState", "compute_views", "shipped_scenarios", "shipped_titles",
           "SAVE_SOURCE"]

#: the simulated indicator of the explorer's fan chart
FAN_INDICATOR = "gdp_real"
#: the source named in messages about saving
SAVE_SOURCE = "explorer"


@dataclass(frozen=True)
class Problem:
    """Why the inputs cannot be used: the schema's (or the projection's) one-line message.

    Attributes
    ----------
    field : str or None
        The input the message names (dotted path), as the schema gives it.
    control : str or None
        The control the message is shown beside: the input itself, the
        changed input of its group, or None when it names no input.
    message : str
        The problem, one line (English).
    error : InputError or None
        The schema's error itself, to show the message in the explorer's language (:meth:`text`).
    """

    field: str | None
    control: str | None
    message: str
    error: InputError | None = None

    def text(self, lang: str = "en") -> str:
        """The problem in ``lang``."""
        return problem_text(self.error, lang) if self.error is not None else self.message

    def line(self, lang: str = "en") -> str:
        """``field: message`` (or the message alone), the message in ``lang``."""
        return f"{self.field}: {self.text(lang)}" if self.field else self.text(lang)


@dataclass(frozen=True)
class Views:
    """Everything the explorer shows about one scenario.

    Attributes
    ----------
    scenario : Scenario
    projection : ProjectionResult
        :func:`~xiqu_analysis.economics.projection.project` of the scenario.
    analysis : TargetAnalysis
    headline : pandas.DataFrame
        :func:`~xiqu_analysis.reports.tables.scenario.headline_table` in the explorer's language.
    gaps : pandas.DataFrame
        :func:`~xiqu_analysis.reports.tables.scenario.gap_chart_rows`: label, gap (pp a year).
    fan : pandas.DataFrame or None
        Percentiles of :data:`FAN_INDICATOR` (``year``, ``p5`` .. ``p95``); None without a fan.
    """

    scenario: Scenario
    projection: ProjectionResult
    analysis: TargetAnalysis
    headline: pd.DataFrame
    gaps: pd.DataFrame
    fan: pd.DataFrame | None = None
    years: list[int] = field(default_factory=list)


def compute_views(scenario: Scenario, region: RegionData, lang: str, n_paths: int = 0,
                  projection: ProjectionResult | None = None) -> Views:
    """Project ``scenario``, set it against the region's targets, simulate ``n_paths`` paths (0: no fan).

    ``projection`` is ``project(scenario)`` when the caller has it already.

    Raises
    ------
    InputError
        The scenario cannot be projected (:func:`~xiqu_analysis.economics.projection.check_projection`).
    """
    if projection is None or projection.scenario is not scenario:
        projection = project(scenario)
    analysis = analyse_targets(scenario, region, result=projection)
    years = headline_years(projection, region)
    fan = None
    if n_paths > 0:
        sim = simulate(scenario, region, n_paths=int(n_paths), targets=())
        pct = sim.percentiles
        fan = pct[pct["indicator"] == FAN_INDICATOR].reset_index(drop=True)
    return Views(scenario, projection, analysis, headline_table(projection, lang, years), gap_chart_rows(analysis, lang),
                 fan, years)


def shipped_scenarios() -> dict[str, Path]:
    """The shipped scenario files by name (file stem), sorted."""
    return {p.stem: p.resolve() for p in sorted(config.scenario_dir().glob("*.yaml"))}


def shipped_titles(lang: str) -> dict[str, str]:
    """The shipped scenarios' titles in ``lang`` by name (the title as written when the file gives none
    in ``lang``; a file that does not load is left out: the page shows its name)."""
    out = {}
    for name, path in shipped_scenarios().items():
        try:
            title = _titles(path, path.stat().st_mtime_ns)
        except (InputError, OSError):
            continue
        out[name] = scenario_text(title, lang)[0]
    return out


@functools.lru_cache(maxsize=64)
def _titles(path: Path, mtime_ns: int):
    return load_scenario(path).title


def _same(a: Any, b: Any) -> bool:
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return a == b


class ExplorerState:
    """Inputs, last valid scenario and views of one exploration.

    Parameters
    ----------
    scenario : Scenario
        The starting scenario (its ``source_path`` is named in saved files).
    region : RegionData
        Its region, loaded once.
    """

    def __init__(self, scenario: Scenario, region: RegionData):
        self.start = scenario
        self.region = region
        self.specs: list[ControlSpec] = control_specs(scenario)
        self.by_path = {s.path: s for s in self.specs}
        self.groups = share_groups(self.specs)
        self.start_values: dict[str, float | int] = {s.path: s.value for s in self.specs}
        self.values: dict[str, float | int] = dict(self.start_values)
        self.valid_values: dict[str, float | int] = dict(self.start_values)
        self.current: Scenario = scenario
        self.current_projection: ProjectionResult | None = None
        self.problem: Problem | None = None
        self.benchmark = benchmark_per_capita(region, scenario.base_year)

    @classmethod
    def from_path(cls, path: str | Path, regions: dict[str, RegionData] | None = None) -> "ExplorerState":
        """Load a scenario file and its region (sources checked).

        Raises
        ------
        InputError
            The file is not a valid scenario.
        """
        scenario, region = load_scenario_with_region(path, regions)
        return cls(scenario, region)

    # -- changing inputs ---------------------------------------------------------------
    def changes(self, values: dict[str, Any] | None = None) -> dict[str, Any]:
        """Inputs whose value differs from the starting scenario (path -> value)."""
        values = self.valid_values if values is None else values
        return {p: v for p, v in values.items() if not _same(v, self.start_values[p])}

    def group_of(self, path: str) -> list[str] | None:
        spec = self.by_path[path]
        return self.groups.get(spec.group) if spec.group else None

    def set(self, path: str, value: Any) -> dict[str, Any]:
        """Set one input; a share moves the rest of its group so that the group sums to 1.

        Returns
        -------
        dict
            Inputs whose shown value changed as a consequence (the other shares of a group).
            After the call, :attr:`problem` is None when the inputs make a
            valid scenario (then :attr:`current` is it) and the schema's
            message otherwise (then :attr:`current` keeps the last valid scenario).

        Raises
        ------
        KeyError
            ``path`` is not an input of the scenario (a programming error).
        """
        from .schema import rebalance

        spec = self.by_path[path]
        if spec.kind == "int" and isinstance(value, float) and value.is_integer():
            value = int(value)
        new = dict(self.values)
        members = self.group_of(path)
        moved: dict[str, Any] = {}
        if members and isinstance(value, (int, float)) and math.isfinite(value):
            balanced = rebalance(new, members, path, float(value))
            moved = {p: v for p, v in balanced.items() if p != path and not _same(v, new[p])}
            new.update(balanced)
        else:
            new[path] = value
        self.values = new
        self._validate(path)
        return moved

    def _validate(self, changed: str | None) -> None:
        try:
            scenario = self.build(self.values)
            projection = project(scenario)  # what cannot be projected is refused like a schema error
        except InputError as exc:
            self.problem = Problem(exc.field, self._control_for(exc.field, changed), exc.problem, exc)
            return
        self.current, self.current_projection = scenario, projection
        self.valid_values = dict(self.values)
        self.problem = None

    def _control_for(self, field: str | None, changed: str | None) -> str | None:
        """The control a message about ``field`` is shown beside."""
        if field in self.by_path:
            return field
        if changed is not None and field and (changed.startswith(field + ".") or field.startswith(changed + ".")):
            return changed
        inside = [p for p in self.by_path if field and p.startswith(field + ".")]
        return inside[0] if inside else changed

    def build(self, values: dict[str, Any]) -> Scenario:
        """The starting scenario with ``values`` (only those that differ are changed).

        Raises
        ------
        InputError
            The schema refuses the combination (field and one-line problem).
        """
        changes = self.changes(values)
        return self.start.with_changes(**changes) if changes else self.start

    def reset(self) -> None:
        """Back to the starting scenario."""
        self.values = dict(self.start_values)
        self.valid_values = dict(self.start_values)
        self.current = self.start
        self.current_projection = None
        self.problem = None

    # -- saving ------------------------------------------------------------------------
    def save(self, folder: str | Path, name: str, reason: str, lang: str = "en", title: str = "",
             replace: bool = False) -> Path:
        """Write the current (last valid) scenario as ``<folder>/<name>.yaml``.

        Every changed input moves to ``assumptions`` with ``reason`` (and the
        value it replaces); unchanged sourced inputs keep their sources.

        Raises
        ------
        InputError
            ``(explorer, field, problem)``: an empty reason, a name the schema
            refuses, a shipped scenario's file, an existing file without
            ``replace``, inputs that are not valid.
        """
        if self.problem is not None:
            raise InputError(SAVE_SOURCE, self.problem.field, "the inputs are not valid: {problem}",
                             problem=self.problem.error.message if self.problem.error else self.problem.message)
        if not reason.strip():
            raise InputError(SAVE_SOURCE, "reason", "a reason is needed: type why the changed inputs have their values")
        data = self.scenario_data(name.strip(), reason.strip(), lang, title.strip())
        scenario = scenario_from_dict(data, source=SAVE_SOURCE)  # the schema's check, before any file is touched
        check_sources(scenario, self.region, SAVE_SOURCE)
        path = (Path(folder).expanduser() / f"{scenario.name}.yaml").absolute()
        shipped = {p.resolve() for p in shipped_scenarios().values()}
        if path.resolve() in shipped:
            raise InputError(SAVE_SOURCE, "name", "'{name}' is a shipped scenario; choose another name",
                             name=scenario.name)
        if path.exists() and not replace:
            raise InputError(SAVE_SOURCE, "name", "{path} exists; choose another name or tick Replace", path=str(path))
        write_scenario(path, data, _header(self.start, lang), make_parents=True)
        load_scenario(path, self.region)  # what was written reads back (and passes the source check)
        return path

    def scenario_data(self, name: str, reason: str, lang: str = "en", title: str = "") -> dict[str, Any]:
        """The saved file's content: the current scenario, changed inputs under ``assumptions`` with ``reason``."""
        changes = self.changes()
        scenario = self.current
        data = scenario.model_dump(mode="json", exclude_none=True)
        data.pop("indicator_rules", None)  # read from the registry when the file is loaded
        if not data.get("indicators"):
            data.pop("indicators", None)
        data["name"] = name
        data["title"] = title or t("explorer.save.default_title", lang, title=_plain(self.start.title, lang))
        # a reason given in two languages stays a mapping in the file (LocalText.to_data)
        assumptions = {k: (v.to_data() if hasattr(v, "to_data") else v) for k, v in self.start.assumptions.items()}
        sources = dict(self.start.sources)
        for path in changes:
            was = self.start_values[path]
            figure = next((sources.pop(k) for k in list(sources) if k == path or k.startswith(path + ".")), None)
            note = t("explorer.save.was_sourced" if figure else "explorer.save.was", lang,
                     value=_number(was), scenario=self.start.name, figure=figure or "")
            for key in [k for k in assumptions if k.startswith(path + ".")]:
                del assumptions[key]
            assumptions[path] = f"{reason} {note}"
        data["sources"] = sources
        data["assumptions"] = assumptions
        cited = actuals_file(self.start)
        if cited is not None:  # a re-based scenario's actuals file, wherever the new file is saved
            data["actuals"] = str(cited.absolute())
        if changes:
            listed = ", ".join(f"{p} {_number(self.start_values[p])} -> {_number(v)}" for p, v in changes.items())
            data["description"] = t("explorer.save.description", lang, scenario=self.start.name, changes=listed)
        return data


def _plain(text: Any, lang: str = "en") -> str:
    """A scenario text field as one string, in ``lang`` when the scenario gives it (else as written)."""
    if isinstance(text, dict):
        return str(text.get(lang) or next(iter(text.values()), ""))
    return scenario_text(text, lang)[0]


def _number(value: Any) -> str:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    v = float(value)
    return f"{v:.10g}" if math.isfinite(v) else str(v)


def _header(start: Scenario, lang: str) -> str:
    """The comment at the top of a saved scenario."""
    return t("explorer.save.header", lang, scenario=start.name)


def format_value(value: float, unit: str) -> str:
    """A number for a table cell: 亿元 two decimals, persons and yuan whole, % one decimal."""
    decimals = {"亿元": 2, "persons": 0, "yuan": 0, "元": 0}.get(unit, 1)
    return fmt_number(value, decimals)
