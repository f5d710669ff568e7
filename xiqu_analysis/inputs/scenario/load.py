"""Reading a scenario file, checking its sources against the data, and its inputs' provenance."""
from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import InputError, Message
from ...units import convert
from ..figures import list_regions
from ..indicators import check_indicators, data_root, indicator_registry
from ..regions import RegionData, load_region
from ..validation import describe
from ..yamlfile import read_yaml
from .model import ACTUALS_PREFIX, Scenario, scenario_from_dict

if TYPE_CHECKING:  # reading and checking a scenario needs no pandas
    import pandas as pd

__all__ = ["load_scenario", "load_scenario_with_region", "check_sources", "provenance", "PROVENANCE_COLUMNS",
           "actuals_file"]

#: unit each sourced input is compared in
_COMPARE_UNIT = {"亿元": "亿元", "yuan": "元", "persons": "人", "%": "%", "ratio": "ratio"}
_LEVELS = ("gdp_base", "fiscal_revenue.base", "urban_income.base")

#: columns of :func:`provenance`
PROVENANCE_COLUMNS = ("input", "value", "unit", "status", "origin", "figure_id", "reason")


def load_scenario(path: str | Path, region: RegionData | None = None, *, check: bool = True,
                  data_dir: str | Path | None = None) -> Scenario:
    """Read, validate and return the scenario in ``path``.

    Parameters
    ----------
    path : str or Path
        A YAML scenario file (format: ``scenarios/README.md``).
    region : RegionData, optional
        The scenario's region, already loaded (:func:`~xiqu_analysis.inputs.regions.load_region`);
        loaded from the data folder when None and ``check`` is True.
    check : bool, default True
        Check every ``sources`` entry against the region's figures (the
        figure exists and its value agrees after unit conversion).
    data_dir : path, optional
        Data folder whose registry of indicators resolves the ``indicators``
        section when ``region`` is None (default: the configured one).

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
        got = Message("an empty file") if data is None else describe(data)
        raise InputError(path, None, "top level must be a mapping of fields (name: ..., base_year: ...), got {got}",
                         got=got)
    if "indicator_rules" in data:
        raise InputError(path, "indicator_rules", "is not written in a scenario file: each indicator's rule comes "
                         "from the registry (data/indicators.csv); give its inputs under 'indicators'")
    registry = None
    if isinstance(data.get("indicators"), dict) and data["indicators"]:
        table = region.tables.get("indicators") if region is not None else check_indicators(data_dir)
        registry = indicator_registry(region.indicators if table is None else table)
    scenario = scenario_from_dict(data, source=str(path), registry=registry, path=path)
    if check and scenario.sources:
        if region is None or region.key != scenario.region:
            region = _region_of(scenario, path, data_dir)
        check_sources(scenario, region, str(path))
    return scenario


def load_scenario_with_region(path: str | Path, regions: dict[str, RegionData] | None = None,
                              data_dir: str | Path | None = None) -> tuple[Scenario, RegionData]:
    """Read a scenario, load the region it names (once per region), check its sources.

    Parameters
    ----------
    path : str or Path
        A scenario file.
    regions : dict, optional
        Regions already loaded, by key; a newly loaded region is added, so a
        comparison of many scenarios reads each region's files once.
    data_dir : path, optional
        Data folder (default :func:`xiqu_analysis.config.data_dir`).

    Returns
    -------
    (Scenario, RegionData)

    Raises
    ------
    InputError
        The scenario, its region's files or a source check fail; a region
        with no folder under ``data/regions/`` is reported as the scenario
        file's field ``region``.
    """
    scenario = load_scenario(path, check=False, data_dir=data_dir)
    cache = regions if regions is not None else {}
    if scenario.region not in cache:
        cache[scenario.region] = _region_of(scenario, path, data_dir)
    region = cache[scenario.region]
    check_sources(scenario, region, str(path))
    return scenario, region


def _region_of(scenario: Scenario, source: str | Path, data_dir: str | Path | None) -> RegionData:
    """Load the region a scenario names; an unknown region is the scenario file's problem."""
    root = data_root(data_dir)
    known = list_regions(root)
    if scenario.region not in known:
        raise InputError(source, "region", "no region '{region}' under {folder}; known regions: {known}",
                         region=scenario.region, folder=root / 'regions', known=', '.join(known) or 'none')
    return load_region(scenario.region, root)


def actuals_file(scenario: Scenario) -> Path | None:
    """The scenario's ``actuals`` file (a relative path is relative to the scenario file's folder), or None."""
    if not (scenario.actuals or "").strip():
        return None
    path = Path(scenario.actuals).expanduser()
    if not path.is_absolute() and scenario.source_path is not None:
        path = Path(scenario.source_path).parent / path
    return path


def _cited_actual(scenario: Scenario, region: RegionData, figure_id: str, source: str):
    """The actuals row ``actuals:<region>.<indicator>.<year>`` cites (a _Cited), or the reason it is missing."""
    from ..bulletins import load_bulletin

    parts = figure_id[len(ACTUALS_PREFIX):].split(".")
    if len(parts) != 3 or not parts[2].isdigit():
        return Message("'{figure_id}' is not '{prefix}<region>.<indicator>.<year>'", figure_id=figure_id,
                       prefix=ACTUALS_PREFIX)
    key, indicator, year = parts[0], parts[1], int(parts[2])
    if key != region.key:
        return Message("'{figure_id}' is not of the scenario's region '{region}'", figure_id=figure_id,
                       region=region.key)
    path = actuals_file(scenario)
    # read once per scenario; a bad file is its own one-line error naming file, row and column
    frame = scenario.actuals_table(path, lambda p: load_bulletin(p, indicators=region.indicators))
    rows = frame[(frame["region"] == key) & (frame["indicator"] == indicator) & (frame["year"] == year)]
    if rows.empty:
        return Message("no row {key}, {indicator}, {year} in the actuals file {path}", key=key, indicator=indicator,
                       year=year, path=path)
    row = rows.iloc[0]
    return _Cited(figure_id, float(row["value"]), str(row["unit"]), str(row["price_basis"]),
                  f"{path.name}: {row['source']}")


class _Cited:
    """An actuals row as :func:`check_sources` compares it (the fields of a Figure it needs)."""

    def __init__(self, id: str, value: float, unit: str, price_basis: str, source: str):
        self.id, self.value, self.unit, self.price_basis, self.source = id, value, unit, price_basis, source
        self.quote = ""


def _lookup(region: RegionData, figure_id: str):
    """The figure record of ``figure_id``, or the reason it is missing (a str)."""
    key = figure_id.split(".", 1)[0]
    known_regions = {region.key} | ({region.benchmark.key} if region.benchmark is not None else set())
    if key not in known_regions:
        return Message("figure id '{figure_id}' is not of region '{region}' or its benchmark ({regions})",
                       figure_id=figure_id, region=region.key, regions=", ".join(sorted(known_regions)))
    if region.has_figure(figure_id):
        return region.figure(figure_id)
    ids = [f.id for f in region.records()]
    if region.benchmark is not None:
        ids += [f.id for f in region.benchmark.records()]
    hint = difflib.get_close_matches(figure_id, ids, n=2)
    if hint:
        return Message("no figure with id '{figure_id}' in data/ (close: {close})", figure_id=figure_id,
                       close=", ".join(hint))
    return Message("no figure with id '{figure_id}' in data/", figure_id=figure_id)


def check_sources(scenario: Scenario, region: RegionData, source: str = "<scenario>") -> None:
    """Check that every ``sources`` entry names a figure of the region whose value agrees.

    Levels must not be sourced from comparable-price figures, real growth
    rates not from current-price ones.

    Raises
    ------
    InputError
        ``(source, "sources.<path>", problem)``.
    """
    for path, figure_id in scenario.sources.items():
        field = f"sources.{path}"
        if figure_id.startswith(ACTUALS_PREFIX):
            fig = _cited_actual(scenario, region, figure_id, source)
            if not isinstance(fig, Message):
                scenario.remember_cited_actual(figure_id, fig)
        else:
            fig = _lookup(region, figure_id)
        if isinstance(fig, Message):
            raise InputError(source, field, fig)
        value = float(scenario.value_at(path))
        unit = scenario.input_unit(path)
        target = _COMPARE_UNIT.get(unit, unit)
        try:
            if target == "ratio" and fig.unit == "%":
                converted = fig.value / 100.0
            elif target == "ratio":
                converted = fig.value if fig.unit == "ratio" else None
            else:
                converted = convert(fig.value, fig.unit, target)
        except (KeyError, ValueError):
            converted = None
        if converted is None:
            raise InputError(source, field, "figure '{figure_id}' is in {unit}, which cannot be compared with {unit2}",
                             figure_id=figure_id, unit=fig.unit, unit2=unit)
        if not math.isclose(value, converted, rel_tol=1e-9, abs_tol=1e-9):
            raise InputError(
                source,
                path,
                Message("value {value:g} {unit} disagrees with figure '{figure_id}' = {figure:g} {figure_unit} "
                        "(= {converted:g} {unit})", value=value, unit=unit, figure_id=figure_id, figure=fig.value,
                        figure_unit=fig.unit, converted=converted) if fig.unit != target else
                Message("value {value:g} {unit} disagrees with figure '{figure_id}' = {figure:g} {figure_unit}",
                        value=value, unit=unit, figure_id=figure_id, figure=fig.value, figure_unit=fig.unit),
            )
        if path.startswith("real_growth_pct") and fig.price_basis == "current":
            raise InputError(source, field, "figure '{figure_id}' is at current prices; real growth needs a "
                             "comparable-price figure", figure_id=figure_id)
        if (path in _LEVELS or (path.startswith("indicators.") and path.endswith(".base"))) \
                and fig.price_basis == "comparable":
            raise InputError(source, field, "figure '{figure_id}' is at comparable prices; a base level must be at "
                             "current prices", figure_id=figure_id)


def provenance(scenario: Scenario, include_uncertainty: bool = True) -> pd.DataFrame:
    """Every numeric input with its unit and where its value comes from.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PROVENANCE_COLUMNS`: ``input`` (dotted path),
        ``value`` (float), ``unit``, ``status`` (``sourced``/``assumed``),
        ``origin`` (``sources``, ``assumptions``, ``default``, ``unstated``;
        see :meth:`Scenario.input_status`), ``figure_id`` (sourced inputs)
        and ``reason`` (the scenario file's words; empty otherwise). The
        reports turn figure ids into citations and codes into sentences.
    """
    rows: list[dict[str, Any]] = []
    for path in scenario.input_paths():
        if path.startswith("uncertainty.") and not include_uncertainty:
            continue
        st = scenario.input_status(path)
        rows.append({"input": path, "value": float(scenario.value_at(path)), "unit": scenario.input_unit(path),
                     "status": st.status, "origin": st.origin, "figure_id": st.figure_id or "",
                     "reason": st.reason or ""})
    import pandas as pd

    return pd.DataFrame(rows, columns=list(PROVENANCE_COLUMNS))
