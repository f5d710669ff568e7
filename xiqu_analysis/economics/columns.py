"""The projection table's columns: their order, units, price bases and the inputs behind each.

Every table the economics produces for a scenario uses these names; the
reports look up each column's label and unit in the locale files.
"""
from __future__ import annotations

from ..inputs.scenario import SECTORS, Scenario
from .indicators import indicator_inputs

__all__ = ["TABLE_COLUMNS", "COLUMN_UNITS", "COLUMN_PRICE_BASIS", "COLUMN_INPUTS", "WITH_SECTOR_DEFLATORS",
           "GROWTH_TO_LEVEL", "LEVEL_TO_GROWTH", "assumed_columns", "column_unit", "column_price_basis",
           "column_inputs", "registry_columns"]

_S = SECTORS
#: Columns of :attr:`ProjectionResult.table`, in order (ARCHITECTURE.md, Projection).
TABLE_COLUMNS: tuple[str, ...] = (
    "year",
    "gdp_real",
    "gdp_nominal",
    *_S,
    *(f"{s}_nominal" for s in _S),
    "gdp_growth",
    *(f"{s}_growth" for s in _S),
    *(f"{s}_pull" for s in _S),
    *(f"{s}_contribution" for s in _S),
    "deflator_index",
    "nominal_growth",
    *(f"{s}_share" for s in _S),
    "population",
    "population_avg",
    "gdp_per_capita",
    "gdp_per_capita_real",
    "urban_income",
    "fiscal_revenue",
    "revenue_to_gdp",
)

#: Unit of every table column (keys of :data:`xiqu_analysis.units.UNIT_FACTORS`
#: where one applies). ``"pp"`` = percentage points, ``"index"`` = 1 at the base.
COLUMN_UNITS: dict[str, str] = {
    "year": "year",
    "gdp_real": "亿元",
    "gdp_nominal": "亿元",
    **{s: "亿元" for s in _S},
    **{f"{s}_nominal": "亿元" for s in _S},
    "gdp_growth": "%",
    **{f"{s}_growth": "%" for s in _S},
    **{f"{s}_pull": "pp" for s in _S},
    **{f"{s}_contribution": "%" for s in _S},
    "deflator_index": "index",
    "nominal_growth": "%",
    **{f"{s}_share": "ratio" for s in _S},
    "population": "persons",
    "population_avg": "persons",
    "gdp_per_capita": "元",
    "gdp_per_capita_real": "元",
    "urban_income": "元",
    "fiscal_revenue": "亿元",
    "revenue_to_gdp": "%",
}

#: Price basis of every column: ``constant`` (base-year prices), ``current``,
#: ``comparable`` (a real growth rate) or ``not_applicable``.
COLUMN_PRICE_BASIS: dict[str, str] = {
    c: (
        "constant"
        if c in ("gdp_real", *_S, "gdp_per_capita_real")
        else "current"
        if c in ("gdp_nominal", *(f"{s}_nominal" for s in _S), "gdp_per_capita", "urban_income", "fiscal_revenue")
        else "comparable"
        if c in ("gdp_growth", *(f"{s}_growth" for s in _S), *(f"{s}_pull" for s in _S))
        else "not_applicable"
    )
    for c in TABLE_COLUMNS
}

# Scenario inputs (dotted field paths) each column depends on.
_G = "gdp_base"
#: the GDP deflator and every sector's own (optional) deflator
_D = ("deflator_pct", *(f"sector_deflator_pct.{s}" for s in _S))
_SH = tuple(f"sector_shares.{s}" for s in _S)
_GR = tuple(f"real_growth_pct.{s}" for s in _S)
_POP = ("population.base", "population.growth_pct")
#: the base year's average population also rests on the population's change during the base year
_POP_AVG = (*_POP, "population.base_year_growth_pct")
_REAL_GDP = (_G, *_SH, *_GR)
_NOMINAL_GROWTH = (*_SH, *_GR, *_D)  # nominal GDP growth does not depend on the level
#: Scenario inputs (dotted field paths) that each table column depends on;
#: used to mark columns resting on assumptions.
COLUMN_INPUTS: dict[str, tuple[str, ...]] = {
    "year": (),
    "gdp_real": _REAL_GDP,
    "gdp_nominal": (*_REAL_GDP, *_D),
    **{s: (_G, f"sector_shares.{s}", f"real_growth_pct.{s}") for s in _S},
    **{f"{s}_nominal": (_G, f"sector_shares.{s}", f"real_growth_pct.{s}", "deflator_pct",
                        f"sector_deflator_pct.{s}") for s in _S},
    "gdp_growth": (*_SH, *_GR),
    **{f"{s}_growth": (f"real_growth_pct.{s}",) for s in _S},
    **{f"{s}_pull": (*_SH, *_GR) for s in _S},
    **{f"{s}_contribution": (*_SH, *_GR) for s in _S},
    "deflator_index": _D,
    "nominal_growth": _NOMINAL_GROWTH,
    **{f"{s}_share": (*_SH, *_GR, *(f"sector_deflator_pct.{x}" for x in _S)) for s in _S},
    "population": _POP,
    "population_avg": _POP_AVG,
    "gdp_per_capita": (*_REAL_GDP, *_D, *_POP_AVG),
    "gdp_per_capita_real": (*_REAL_GDP, *_POP_AVG),
    "urban_income": ("urban_income.base", "urban_income.growth_pct"),
    "fiscal_revenue": ("fiscal_revenue.base", "fiscal_revenue.buoyancy", *_NOMINAL_GROWTH),
    "revenue_to_gdp": ("fiscal_revenue.base", "fiscal_revenue.buoyancy", *_REAL_GDP, *_D),
}


#: further inputs a column rests on when the scenario gives ``sector_deflator_pct``: the GDP
#: deflator is then implicit (nominal / real GDP) and weighs the sectors' prices by their real value added
WITH_SECTOR_DEFLATORS: dict[str, tuple[str, ...]] = {"deflator_index": (*_SH, *_GR),
                                                     **{f"{s}_share": ("deflator_pct",) for s in _S}}

#: growth column -> the level whose growth it is
GROWTH_TO_LEVEL: dict[str, str] = {"gdp_growth": "gdp_real", "nominal_growth": "gdp_nominal",
                                   **{f"{s}_growth": s for s in SECTORS}}
#: level column -> its growth column (growth depends on fewer inputs than the level)
LEVEL_TO_GROWTH: dict[str, str] = {v: k for k, v in GROWTH_TO_LEVEL.items()}


def _field_matches(input_path: str, dependency: str) -> bool:
    """True if an input path covers, or is covered by, a dependency path."""
    p, d = input_path.strip(), dependency
    return p == d or p.startswith(d + ".") or d.startswith(p + ".")


def assumed_columns(scenario: Scenario) -> frozenset[str]:
    """Projection columns that depend on at least one assumed input of ``scenario``.

    Returns
    -------
    frozenset of str
        Columns of :data:`TABLE_COLUMNS` depending (per :data:`COLUMN_INPUTS`, and :data:`WITH_SECTOR_DEFLATORS` when the scenario gives sectors' own deflators)
        on an input whose status is not ``"sourced"``
        (:meth:`~xiqu_analysis.inputs.scenario.Scenario.status_of`). Inputs the
        projection does not use (``uncertainty.*``) are ignored.
    """
    assumed = [p for p in scenario.input_paths() if scenario.status_of(p) != "sourced"]
    extra = WITH_SECTOR_DEFLATORS if scenario.sector_deflator_matrix_pct() is not None else {}
    return frozenset(
        col for col, deps in column_inputs(scenario).items()
        if any(_field_matches(a, d) for a in assumed for d in (*deps, *extra.get(col, ())))
    )


def column_inputs(scenario: Scenario | None = None) -> dict[str, tuple[str, ...]]:
    """:data:`COLUMN_INPUTS`, and the inputs of each further indicator's column of ``scenario``."""
    if scenario is None or not scenario.indicator_rules:
        return COLUMN_INPUTS
    return {**COLUMN_INPUTS, **indicator_inputs(scenario, COLUMN_INPUTS)}


def column_unit(column: str, scenario: Scenario | None = None) -> str:
    """Unit of a projection column: :data:`COLUMN_UNITS`, or a further indicator's registry unit.

    Raises
    ------
    KeyError
        A column neither of the table nor of the scenario's indicators.
    """
    if column in COLUMN_UNITS:
        return COLUMN_UNITS[column]
    return registry_columns(scenario)[column].unit


def column_price_basis(column: str, scenario: Scenario | None = None) -> str:
    """Price basis of a projection column (``constant``, ``current``, ``comparable``, ``not_applicable``)."""
    if column in COLUMN_PRICE_BASIS:
        return COLUMN_PRICE_BASIS[column]
    return registry_columns(scenario)[column].price_basis


def registry_columns(scenario: Scenario | None) -> dict:
    """Column -> :class:`~xiqu_analysis.inputs.scenario.IndicatorRule` of the scenario's further indicators."""
    if scenario is None:
        return {}
    return {r.column: r for r in scenario.indicator_rules.values()}
