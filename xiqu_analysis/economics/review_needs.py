"""The rows of actual figures an annual review needs, and those a bulletin file lacks.

An annual review of year ``Y`` sets the actuals against the region's plan
(:mod:`xiqu_analysis.economics.review`, :mod:`xiqu_analysis.economics.evaluation`).
Its rows are of two kinds:

* **required** -- the real growth rates of every average growth target of
  the plan (the sector floors; for Xiqu 工业, 服务业, 农业 2021-2025), one row a
  year from the target period's first year to ``min(Y, period end)``. The
  review chains them into the average growth so far, the growth the
  remaining years need and the verdict; a missing year leaves the average
  of the review year undefined (the chain would stop a year early without
  saying so). Without them the review is refused before any kernel starts
  (unless the user allows it).
* **optional** -- rows whose absence the review states: GDP's real growth
  (``gdp_growth``) of every year from the base year's next to ``Y`` (GDP
  against the floors, the scenarios' errors), GDP's current-price level of
  ``Y`` (the re-based outlook), and the rows of the plan's level and
  cumulative targets (a level target's figure of ``min(Y, target year)``; a
  cumulative target's yearly rates like a growth target's).

:func:`missing_rows` returns what is absent, as codes and years; the runner
refuses the required ones, the evaluation names every one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..inputs.indicators import indicator_registry
from ..inputs.regions import RegionData
from ..periods import parse_period

__all__ = ["NEEDS", "MissingRows", "missing_rows", "required_missing", "years_text"]

#: the kinds of need, in the order :func:`missing_rows` lists them
NEEDS = ("required", "optional")


@dataclass(frozen=True)
class MissingRows:
    """One indicator's rows a review needs and the actuals lack.

    Attributes
    ----------
    indicator : str
        The registry key (``industrial_va_growth``).
    years : tuple of int
        The years without a row, ascending.
    need : str
        ``"required"`` or ``"optional"`` (:data:`NEEDS`).
    unit, price_basis : str
        The unit and price basis the rows need (``%``, ``comparable``).
    target : str
        The id of the plan target the rows serve (empty for GDP's rows).
    """

    indicator: str
    years: tuple[int, ...]
    need: str
    unit: str = ""
    price_basis: str = ""
    target: str = ""


def years_text(years: tuple[int, ...]) -> str:
    """``2022, 2025`` (the codes' form; the reports write years in the reader's language)."""
    return ", ".join(str(y) for y in years)


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _present(actuals: pd.DataFrame, indicator: str, unit: str | None, price_basis: str | None) -> set[int]:
    rows = actuals[actuals["indicator"] == indicator]
    if unit:
        rows = rows[rows["unit"] == unit]
    if price_basis:
        rows = rows[rows["price_basis"] == price_basis]
    return {int(y) for y in rows["year"]}


def _target_kind(fig: dict, registry: dict) -> str:
    """``growth``, ``cumulative`` or ``level``: the same reading as :func:`~xiqu_analysis.economics.evaluation.evaluate_plan`."""
    period, unit = _text(fig.get("period")), _text(fig.get("unit"))
    spec = registry.get(str(fig["indicator"]))
    if period and unit == "%":
        if spec is not None and not spec.is_growth and spec.rule != "sectors":
            return "cumulative"
        return "growth"
    return "level"


def missing_rows(region: RegionData, actuals: pd.DataFrame | None, review_year: int) -> tuple[MissingRows, ...]:
    """The rows an annual review of ``review_year`` needs that ``actuals`` lacks (see the module docstring).

    Parameters
    ----------
    region : RegionData
        Its target figures, base year and registry.
    actuals : pandas.DataFrame or None
        Bulletin rows (:func:`~xiqu_analysis.inputs.bulletins.load_bulletin`); other regions' rows are ignored.
    review_year : int

    Returns
    -------
    tuple of MissingRows
        The required ones first (in the plan's order of its targets), then the optional ones; an indicator
        whose rows are all present is not listed.
    """
    registry = indicator_registry(region.indicators)
    cols = ["region", "indicator", "year", "value", "unit", "price_basis"]
    act = pd.DataFrame(columns=cols) if actuals is None else actuals
    act = act[act["region"] == region.key]
    year = int(review_year)
    base = int(region.info.base_year)
    figs = region.figures[(region.figures["region"].astype(str) == region.key)
                          & (region.figures["kind"].astype(str) == "target")]
    found: dict[str, list[MissingRows]] = {need: [] for need in NEEDS}
    seen: set[tuple[str, str, str]] = set()

    def need(indicator: str, years: range | list[int], kind: str, unit: str = "", basis: str = "",
             target: str = "") -> None:
        if (indicator, unit, basis) in seen:
            return
        seen.add((indicator, unit, basis))
        have = _present(act, indicator, unit or None, basis or None)
        lacking = tuple(y for y in years if y not in have)
        if lacking:
            found[kind].append(MissingRows(indicator, lacking, kind, unit, basis, target))

    ordered = sorted(figs.to_dict("records"), key=lambda f: _target_kind(f, registry) != "growth")
    for fig in ordered:
        kind = _target_kind(fig, registry)
        indicator, ident = str(fig["indicator"]), _text(fig.get("id"))
        if kind in ("growth", "cumulative"):
            first, end = parse_period(_text(fig["period"]))
            need(indicator, range(first, min(year, end) + 1), "required" if kind == "growth" else "optional",
                 "%", _text(fig.get("price_basis")) if kind == "growth" else "", ident)
        else:
            end = int(fig["year"]) if _text(fig.get("year")) else parse_period(_text(fig["period"]))[1]
            if min(year, end) > base:
                need(indicator, [min(year, end)], "optional", target=ident)
    need("gdp_growth", range(base + 1, year + 1), "optional", "%", "comparable")
    if year > base:
        need("gdp", [year], "optional", basis="current")
    return tuple(found["required"] + found["optional"])


def required_missing(region: RegionData, actuals: pd.DataFrame | None, review_year: int) -> tuple[MissingRows, ...]:
    """The required rows of :func:`missing_rows` alone."""
    return tuple(m for m in missing_rows(region, actuals, review_year) if m.need == "required")
