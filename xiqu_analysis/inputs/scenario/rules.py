"""A scenario's further indicators resolved against the registry: how the projection computes each.

The scenario file gives inputs per indicator (``indicators: {retail_sales:
{base: 40.2, growth_pct: 6.5}}``); the registry (``data/indicators.csv``,
:func:`xiqu_analysis.inputs.indicators.indicator_registry`) says how each is
projected. :func:`indicator_rules` turns the two into
:class:`~.fields.IndicatorRule` records that the scenario carries, so the
economics needs no file: the indicators given with inputs of their own
(``own_growth``, ``buoyancy``), then every ``per_capita`` or ``share``
indicator of the registry whose inputs are all projected and one of them is
an indicator given here.

Urban disposable income and budget revenue keep the sections they have always
had (``urban_income``, ``fiscal_revenue``): the registry's
``urban_disposable_income`` (own growth) and ``general_budget_revenue``
(buoyancy on nominal GDP) are projected from those and cannot be given twice.
"""
from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from ...units import UNIT_FACTORS
from ..indicators import DERIVED_RULES, INPUT_RULES, IndicatorSpec
from ..validation import field_problem

__all__ = ["SECTION_OF", "CHAIN_RULES", "indicator_rules"]

#: registry indicators whose inputs have a section of their own in every scenario
SECTION_OF = {"urban_disposable_income": "urban_income", "general_budget_revenue": "fiscal_revenue"}
#: rules of the GDP chain: their columns are always projected
CHAIN_RULES = ("sectors", "level_path", "per_capita")


def _always_projected(registry: Mapping[str, IndicatorSpec]) -> set[str]:
    """Columns every projection has: the chain's levels and the indicators with sections of their own."""
    def chain(s: IndicatorSpec) -> bool:
        if s.rule == "per_capita":  # per-capita GDP is the chain's; a per-capita figure of another level is not
            agg = registry.get(s.per_capita_of or "")
            return agg is not None and agg.rule in CHAIN_RULES
        return s.rule in CHAIN_RULES

    return {s.column for s in registry.values() if s.column and not s.is_growth and (chain(s) or s.key in SECTION_OF)}


def _unit_factor(numerator: str | None, result: str | None) -> float:
    """Factor from a per-capita figure's aggregate unit to its own (亿元 over persons -> 元: 1e8)."""
    try:
        return UNIT_FACTORS[numerator][1] / UNIT_FACTORS[result][1]
    except KeyError:
        return 1.0


def indicator_rules(given: Mapping[str, Any], registry: Mapping[str, IndicatorSpec]) -> dict[str, dict]:
    """The rules of the indicators a scenario gives, and of those derived from them.

    Parameters
    ----------
    given : mapping
        The scenario's ``indicators`` section (keys are indicator keys).
    registry : mapping of str to IndicatorSpec

    Returns
    -------
    dict of str to dict
        ``{key: {"rule", "column", "unit", "price_basis", "driver", "of", "factor", "names", "short"}}``,
        fields of :class:`~.fields.IndicatorRule`, in computation order.

    Raises
    ------
    InputError
        (through :func:`~..validation.field_problem`) naming ``indicators.<key>``: not an indicator of
        the registry, the growth of a level, one with a section of its own, or one no scenario input projects.
    """
    out: dict[str, dict] = {}
    for key in given:
        spec = registry.get(key)
        where = f"indicators.{key}"
        if spec is None:
            close = difflib.get_close_matches(str(key), [k for k, s in registry.items() if s.rule in INPUT_RULES], n=1)
            if close:
                raise field_problem(where, "'{key}' is not an indicator of the registry (data/indicators.csv) (did you "
                                    "mean '{close}'?)", key=key, close=close[0])
            raise field_problem(where, "'{key}' is not an indicator of the registry (data/indicators.csv)", key=key)
        if spec.is_growth:
            raise field_problem(where, "'{key}' is the growth of '{level_of}': give the inputs under "
                                "indicators.{level_of}", key=key, level_of=spec.level_of)
        if key in SECTION_OF:
            raise field_problem(where, "'{key}' is given in the section '{section}'", key=key, section=SECTION_OF[key])
        if spec.rule not in INPUT_RULES:
            raise field_problem(where, "'{key}' is projected by the rule '{rule}', which takes no inputs of its own "
                                "(rules with inputs: {items})", key=key, rule=spec.rule, items=', '.join(INPUT_RULES))
        driver = registry[spec.driver].column if spec.rule == "buoyancy" and spec.driver in registry else None
        out[key] = _record(spec, driver=driver)
    if not out:
        return out
    projected = _always_projected(registry) | {r["column"] for r in out.values()}
    own = {r["column"] for r in out.values()}
    changed = True
    while changed:  # derived indicators, each once its inputs are projected
        changed = False
        for key, spec in registry.items():
            if key in out or spec.is_growth or spec.rule not in DERIVED_RULES or not spec.column:
                continue
            if spec.rule == "per_capita":
                agg = registry.get(spec.per_capita_of or "")
                parts = (agg.column if agg else None,)
                extra = dict(driver=parts[0], factor=_unit_factor(agg.unit if agg else None, spec.unit))
            else:
                num, whole = registry.get(spec.driver or ""), registry.get(spec.part_of or "")
                parts = (num.column if num else None, whole.column if whole else None)
                extra = dict(driver=parts[0], of=parts[1])
            if all(p in projected for p in parts) and any(p in own for p in parts) and spec.column not in projected:
                out[key] = _record(spec, **extra)
                projected.add(spec.column)
                own.add(spec.column)
                changed = True
    return out


def _record(spec: IndicatorSpec, **extra: Any) -> dict:
    return dict(rule=spec.rule, column=spec.column, unit=spec.unit or "",
                price_basis=spec.price_basis or "not_applicable", names=dict(spec.labels),
                short=dict(spec.short_labels), **{"driver": None, "of": None, "factor": 1.0, **extra})
