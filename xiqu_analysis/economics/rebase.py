"""Re-basing a scenario on the latest actual year: the step from one plan cycle to the next.

:func:`rebase_scenario` builds the fields of a new scenario whose base year is
``L``, the latest year (up to the year asked for) with an actual GDP level of
the scenario's region:

* **levels of L from the actuals, sourced** -- ``gdp_base`` (GDP, 亿元 at
  current prices), ``population.base``, ``urban_income.base`` and
  ``fiscal_revenue.base`` cite their actuals rows
  (``sources: {gdp_base: "actuals:xiqu.gdp.2025"}`` and the file in the
  scenario's ``actuals`` field, checked on every load);
* **sector shares of L** -- from the actual current-price value added of the
  three sectors in L when all three are given (shares of their sum: derived
  from actual figures, recorded as such), else the old scenario's projected
  shares in L (carried over);
* a level the actuals lack -- the old scenario's projection for L, **carried
  over** (an assumption);
* **the population's change during L** (``population.base_year_growth_pct``,
  which sets L's average population, the denominator of L's per-capita GDP)
  -- L is observed, so every scenario re-based on the same actuals shares it:
  from the actual populations of L-1 and L when the actuals give both
  (``actual_change``, derived from actual figures); else the average annual
  change from the latest earlier actual population to L's
  (``interpolated_change``, an assumption: the years between are not
  observed); else no change during L, L's year-end population as its average
  (``no_change``, an assumption). Only when the actuals lack L's population
  does a scenario keep its own path (its projected population and its rate
  for L, carried over);
* **growth from the old scenario's remaining path, carried over** -- each
  growth input restricted to the growth years ``L+1 .. end_year`` (periods cut
  at L; a period entirely before L dropped), the fiscal buoyancy and the
  uncertainty settings as they were: every one an assumption, whatever its
  status in the old scenario (a 2021-2025 floor applied to the years of the
  period that remain is the old scenario's choice, not a figure).

The result holds numbers and codes (:class:`Origin`); the words of titles and
assumption reasons are written by :mod:`xiqu_analysis.reports.words.review_text`, and
the file by ``xiqu rebase`` (:mod:`xiqu_analysis.cli.rebase`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import InputError
from ..inputs.regions import RegionData
from ..inputs.scenario import ACTUALS_PREFIX, SECTORS, Scenario
from ..periods import parse_period, period_text
from .actuals import actual_levels
from .projection import project

__all__ = ["Origin", "Rebase", "rebase_scenario", "latest_level_year", "base_year_population_change",
           "ORIGIN_CODES"]

#: codes of :attr:`Origin.code`
ORIGIN_CODES = ("actual", "actual_shares", "projected_level", "projected_shares", "carried_growth", "carried",
                "actual_change", "interpolated_change", "no_change")

#: scenario level input -> projection column
_LEVEL_INPUTS = {"gdp_base": "gdp_nominal", "population.base": "population", "urban_income.base": "urban_income",
                 "fiscal_revenue.base": "fiscal_revenue"}


@dataclass(frozen=True)
class Origin:
    """Where one input of a re-based scenario comes from.

    Attributes
    ----------
    code : str
        One of :data:`ORIGIN_CODES`: ``actual`` (an actuals row, sourced),
        ``actual_shares`` (shares of the actual sector value added),
        ``projected_level`` / ``projected_shares`` (the old projection's value
        in the new base year), ``carried_growth`` (a growth input's remaining
        path), ``carried`` (buoyancy, uncertainty: kept as they were);
        for ``population.base_year_growth_pct``: ``actual_change`` (the actual
        populations of L-1 and L), ``interpolated_change`` (the average change
        from an earlier actual population, ``old_period`` its years, e.g.
        ``"2023-2025"``), ``no_change`` (no earlier actual population).
    figure_ids : tuple of str
        Actuals rows used (``<region>.<indicator>.<year>``).
    old_period : str
        The old period a carried growth rate came from (``"2021-2025"``), or "".
    old_value : float or None
        The old value (growth rate, projected level).
    old_status : str
        ``sourced``/``assumed`` in the old scenario ("" for projected values).
    old_source : str
        The old figure id (sourced) or the old scenario file's own reason (assumed).
    """

    code: str
    figure_ids: tuple[str, ...] = ()
    old_period: str = ""
    old_value: float | None = None
    old_status: str = ""
    old_source: str = ""


@dataclass(frozen=True)
class Rebase:
    """Result of :func:`rebase_scenario`.

    Attributes
    ----------
    old : Scenario
    base_year : int
        The new base year L.
    data : dict
        The new scenario's fields (numbers, ``sources``, ``actuals``, ``uncertainty``);
        ``title``, ``description``, ``reasoning`` and the ``assumptions`` reasons
        are left to the caller (words).
    origins : dict of str to Origin
        Input path (as in ``sources``/``assumptions``) -> its origin.
    """

    old: Scenario
    base_year: int
    data: dict = field(repr=False)
    origins: dict[str, Origin] = field(repr=False)


def latest_level_year(actuals: pd.DataFrame | None, region: RegionData, column: str, after: int, up_to: int) -> int | None:
    """Latest year in ``after+1 .. up_to`` with an actual level of ``column`` (None: none)."""
    levels = actual_levels(actuals, region)
    years = levels.loc[(levels["column"] == column) & (levels["year"] > after) & (levels["year"] <= up_to), "year"]
    return int(years.max()) if not years.empty else None


def base_year_population_change(levels: pd.DataFrame, year: int) -> tuple[float, Origin]:
    """The population's change during ``year``, per cent, from actual populations (:func:`actual_levels` rows).

    The actual population of ``year - 1`` and ``year``: ``100 (P_L / P_{L-1} - 1)`` (``actual_change``);
    else the latest earlier actual population ``P_K``: ``100 ((P_L / P_K)^(1 / (L - K)) - 1)``, the average
    annual change (``interpolated_change``); else 0, the year-end population as the year's average
    (``no_change``). ``year``'s population must be in ``levels``.
    """
    pop = levels[levels["column"] == "population"].drop_duplicates("year").set_index("year")
    p_l, id_l = float(pop.loc[year, "value"]), str(pop.loc[year, "figure_id"])
    earlier = [int(y) for y in pop.index if int(y) < year]
    if not earlier:
        return 0.0, Origin("no_change", (id_l,), old_value=0.0)
    k = max(earlier)
    p_k, id_k = float(pop.loc[k, "value"]), str(pop.loc[k, "figure_id"])
    change = float(100.0 * ((p_l / p_k) ** (1.0 / (year - k)) - 1.0))
    if k == year - 1:
        return change, Origin("actual_change", (id_k, id_l), old_value=change)
    return change, Origin("interpolated_change", (id_k, id_l), old_period=period_text(k, year), old_value=change)


def _clip(spec: Any, first: int, last: int) -> Any:
    """A growth spec restricted to growth years first..last (a number stays a number)."""
    if not isinstance(spec, dict):
        return spec
    out = {}
    for key, value in spec.items():
        a, b = parse_period(key)
        a, b = max(a, first), min(b, last)
        if a <= b:
            out[period_text(a, b)] = value
    return out


def _old_provenance(old: Scenario, path: str) -> tuple[str, str]:
    st = old.input_status(path)
    return st.status, (st.figure_id or "") if st.status == "sourced" else (st.reason or "")


def rebase_scenario(scenario: Scenario, actuals: pd.DataFrame | None, year: int, region: RegionData, *,
                    actuals_ref: str, source: str = "actuals") -> Rebase:
    """Build the fields of ``scenario`` re-based on the latest actual year up to ``year`` (module docstring).

    Parameters
    ----------
    scenario : Scenario
        The old scenario (must be projectable).
    actuals : pandas.DataFrame
        A loaded bulletin (:func:`~xiqu_analysis.inputs.bulletins.load_bulletin`).
    year : int
        Actuals after this year are not used.
    region : RegionData
        The scenario's region.
    actuals_ref : str
        The ``actuals`` field of the new scenario (the bulletin's path as the new file will name it).
    source : str
        Names the actuals in errors (their file).

    Raises
    ------
    InputError
        ``(source, "year", ...)`` when the actuals hold no GDP level of the
        region after the scenario's base year up to ``year``, or the latest one
        is at or after the scenario's end year.
    """
    if region.key != scenario.region:
        raise InputError(source, "region", "the scenario is of region {region!r}, the region given is {key!r}",
                         region=scenario.region, key=region.key)
    if int(year) <= scenario.base_year:
        raise InputError(source, "year",
                         "{year} is not after the scenario's base year {base_year}: nothing to re-base on", year=year,
                         base_year=scenario.base_year)
    L = latest_level_year(actuals, region, "gdp_nominal", scenario.base_year, int(year))
    if L is None:
        raise InputError(source, "year",
                         "no actual GDP level (indicator gdp, 亿元 at current prices) of region {key!r} in "
                         "{first}-{year}: nothing to re-base on",
                         key=region.key, first=scenario.base_year + 1, year=year)
    if L >= scenario.end_year:
        raise InputError(source, "year",
                         "the latest actual GDP level is of {latest}, not before the scenario's end year {end_year}: "
                         "no projected years would remain",
                         latest=L, end_year=scenario.end_year)
    levels = actual_levels(actuals, region)
    at_L = levels[levels["year"] == L].drop_duplicates("column").set_index("column")
    projection = project(scenario)
    origins: dict[str, Origin] = {}
    sources: dict[str, str] = {}
    data: dict[str, Any] = {"name": f"{scenario.name[:48]}_rebased_{L}", "region": scenario.region,
                            "base_year": L, "end_year": scenario.end_year, "actuals": actuals_ref}
    values: dict[str, float] = {}
    for path, column in _LEVEL_INPUTS.items():
        if column in at_L.index:
            row = at_L.loc[column]
            values[path] = float(row["value"])
            sources[path] = ACTUALS_PREFIX + str(row["figure_id"])
            origins[path] = Origin("actual", (str(row["figure_id"]),))
        else:
            values[path] = projection.at(L, column)
            origins[path] = Origin("projected_level", old_value=values[path])
    sectors = [f"{s}_nominal" for s in SECTORS]
    if all(c in at_L.index for c in sectors):
        va = [float(at_L.loc[c, "value"]) for c in sectors]
        shares = [v / sum(va) for v in va]
        origins["sector_shares"] = Origin("actual_shares", tuple(str(at_L.loc[c, "figure_id"]) for c in sectors))
    else:
        shares = [projection.at(L, f"{s}_share") for s in SECTORS]
        origins["sector_shares"] = Origin("projected_shares")
    shares[-1] = 1.0 - shares[0] - shares[1]  # exact sum of 1 (the schema allows 1e-6)
    data["gdp_base"] = values["gdp_base"]
    data["sector_shares"] = dict(zip(SECTORS, shares))

    growth: dict[str, Any] = {}
    for path in scenario.growth_fields():
        spec = scenario.value_at(path)
        clipped = _clip(spec, L + 1, scenario.end_year)
        growth[path] = clipped
        if isinstance(clipped, dict):
            for key in clipped:
                old_key = next(k for k in spec if parse_period(k)[0] <= parse_period(key)[0] <= parse_period(k)[1])
                status, src = _old_provenance(scenario, f"{path}.{old_key}")
                origins[f"{path}.{key}"] = Origin("carried_growth", old_period=old_key, old_value=float(spec[old_key]),
                                                  old_status=status, old_source=src)
        else:
            status, src = _old_provenance(scenario, path)
            origins[path] = Origin("carried_growth", old_value=float(spec), old_status=status, old_source=src)
    data["real_growth_pct"] = {s: growth[f"real_growth_pct.{s}"] for s in SECTORS}
    data["deflator_pct"] = growth["deflator_pct"]
    for s_ in SECTORS:  # a sector's own deflator, where the old scenario gives one
        if f"sector_deflator_pct.{s_}" in growth:
            data.setdefault("sector_deflator_pct", {})[s_] = growth[f"sector_deflator_pct.{s_}"]
    # the population's change during the new base year (its average population): from the actuals, the same
    # for every scenario, when they give L's population; else the old path's rate for L (carried over, assumed)
    if origins["population.base"].code == "actual":
        base_growth, origins["population.base_year_growth_pct"] = base_year_population_change(levels, L)
    else:
        base_growth = float(scenario.population_growth_path_pct()[L - scenario.base_year - 1])
        origins["population.base_year_growth_pct"] = Origin("carried", old_value=base_growth, old_status="assumed",
                                                            old_source="population.growth_pct")
    data["population"] = {"base": values["population.base"], "growth_pct": growth["population.growth_pct"],
                          "base_year_growth_pct": base_growth}
    data["urban_income"] = {"base": values["urban_income.base"], "growth_pct": growth["urban_income.growth_pct"]}
    data["fiscal_revenue"] = {"base": values["fiscal_revenue.base"], "buoyancy": float(scenario.fiscal_revenue.buoyancy)}
    status, src = _old_provenance(scenario, "fiscal_revenue.buoyancy")
    origins["fiscal_revenue.buoyancy"] = Origin("carried", old_value=float(scenario.fiscal_revenue.buoyancy),
                                                old_status=status, old_source=src)
    for key, given in scenario.indicators.items():  # further indicators (registry rules): level at L, rate carried
        rule = scenario.indicator_rules[key]
        path = f"indicators.{key}.base"
        if rule.column in at_L.index and str(at_L.loc[rule.column, "unit"]) == rule.unit:
            row = at_L.loc[rule.column]
            base_value = float(row["value"])
            sources[path] = ACTUALS_PREFIX + str(row["figure_id"])
            origins[path] = Origin("actual", (str(row["figure_id"]),))
        else:
            base_value = projection.at(L, rule.column)
            origins[path] = Origin("projected_level", old_value=base_value)
        entry: dict[str, Any] = {"base": base_value}
        if given.growth_pct is not None:
            entry["growth_pct"] = growth[f"indicators.{key}.growth_pct"]
        if given.buoyancy is not None:
            entry["buoyancy"] = float(given.buoyancy)
            status, src = _old_provenance(scenario, f"indicators.{key}.buoyancy")
            origins[f"indicators.{key}.buoyancy"] = Origin("carried", old_value=float(given.buoyancy),
                                                           old_status=status, old_source=src)
        data.setdefault("indicators", {})[key] = entry
    if scenario.indicators:
        data["indicator_rules"] = {k: r.model_dump(mode="json") for k, r in scenario.indicator_rules.items()}
    data["sources"] = sources
    if "uncertainty" in scenario.model_fields_set:
        data["uncertainty"] = scenario.uncertainty.model_dump(mode="json")
        reason = scenario.assumptions.get("uncertainty", "")
        origins["uncertainty"] = Origin("carried", old_status="assumed", old_source=reason)
    return Rebase(old=scenario, base_year=L, data=data, origins=origins)
