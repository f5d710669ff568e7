"""Target solver: the constant growth that reaches a target exactly, and the year a scenario reaches it.

A **target** (:class:`SolveTarget`) is a level of a projected indicator by a
year, written as text (:func:`parse_target`)::

    gdp_real x2 from 2020 by 2035        twice the 2020 level in 2035 (doubling)
    gdp_real 5% from 2025 by 2030        5 % a year on average from the 2025 level to 2030
    gdp_nominal 150 by 2030              150 亿元 (the column's unit) in 2030
    urban_income 60000 元 by 2030        a level with its unit (converted to the column's)

The indicator is any level column of the projection
(:data:`xiqu_analysis.economics.columns.COLUMN_UNITS`). A level target needs a
current-price or physical column: a level of ``gdp_real`` is at constant
prices of each scenario's own base year, so real targets are written as a
multiple or an average growth.

For one scenario, :func:`solve` answers, for each **lever** that moves the
indicator:

* ``all_sectors`` -- the one constant real growth rate of every sector
  (deflator, population, income and revenue inputs held at the scenario's
  paths) that makes the indicator hit the target in the target year exactly;
  for real GDP this is the closed form ``multiple ** (1 / n) - 1``;
* ``primary`` / ``secondary`` / ``tertiary`` -- the constant real growth of that
  sector alone, the other two held at the scenario's paths;
* ``urban_income.growth_pct`` / ``population.growth_pct`` -- for the indicators
  those inputs drive (a nominal rate for income);

over the growth years from ``max(from year, base year) + 1`` to the target
year, and the year the scenario as it stands first reaches the target level
(:func:`xiqu_analysis.economics.growth.year_reached`).

**Direction.** A target is a floor (``at_least``: the level or more) unless
the indicator is one where lower is better (``higher_is_better`` false in the
registry, :func:`target_direction`) or the plan's words cap it (不高于, 不超过,
控制在, 以下, 以内): then a ceiling (``at_most``), reached when the path falls to
the level. Each lever's solved rate is then a lower or an upper bound of
that lever (``bound``): a floor target and a lever that raises the level
(sector growth, income) give a ``floor`` rate; a lever that lowers it
(population growth for a per-capita level) or a ceiling target give a
``ceiling`` rate (a negative one is a fall the lever needs, at least that
steep). ``gap_pp`` is the scenario's margin on the favourable side: its own
rate minus the required one for a floor, the required minus its own for a
ceiling; positive means the scenario as it stands is on course.

Each root is found with :func:`scipy.optimize.brentq` on the projection itself
(:func:`xiqu_analysis.economics.projection.project_arrays`), then checked: the
projected level with the solved rate equals the target to a relative
:data:`CHECK_RTOL`. A lever that cannot reach the target with a rate in
:data:`RATE_BOUNDS_PCT` is ``unreachable``. Results are codes and numbers.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..inputs.indicators import indicator_registry
from ..inputs.regions import RegionData
from ..inputs.scenario import SECTORS, Scenario
from ..inputs.target_phrases import has_cjk, read_target_phrase
from ..units import convert
from .columns import COLUMN_INPUTS, COLUMN_PRICE_BASIS, COLUMN_UNITS
from .growth import average_growth_pct, year_reached
from .projection import project_arrays, scenario_inputs

__all__ = [
    "LEVEL_COLUMNS",
    "LEVERS",
    "RATE_BOUNDS_PCT",
    "CHECK_RTOL",
    "SOLVE_COLUMNS",
    "DIRECTIONS",
    "CEILING_WORDS",
    "SolveTarget",
    "target_direction",
    "is_phrase",
    "parse_target",
    "levers_for",
    "solve",
    "solve_table",
]

#: projection columns a target may name: the level columns (growth, shares, pulls excluded)
LEVEL_COLUMNS: tuple[str, ...] = (
    "gdp_real", "gdp_nominal", *SECTORS, *(f"{s}_nominal" for s in SECTORS), "population", "gdp_per_capita",
    "urban_income", "fiscal_revenue",
)  # fmt: skip
#: every lever :func:`solve` may move, in the order results are listed
LEVERS: tuple[str, ...] = ("all_sectors", *SECTORS, "urban_income.growth_pct", "population.growth_pct")
#: the constant rates searched, % a year (a root outside is reported as unreachable)
RATE_BOUNDS_PCT = (-90.0, 500.0)
#: relative tolerance of the check that the solved rate reaches the target
CHECK_RTOL = 1e-9
#: columns of :func:`solve_table`
SOLVE_COLUMNS = ("scenario", "target", "column", "unit", "from_year", "year", "target_level", "lever",
                 "first_year", "last_year", "required_pct", "scenario_pct", "gap_pp", "status", "year_reached",
                 "direction", "bound")
#: the target's directions: reach the level or more (a floor), or fall to it or below (a ceiling)
DIRECTIONS = ("at_least", "at_most")
#: the plan's words that cap a target (a ceiling)
CEILING_WORDS = ("不高于", "不超过", "控制在", "以下", "以内")

_SPEC = re.compile(
    r"^\s*(?P<column>[a-z_]+)\s+"
    r"(?:x\s*(?P<multiple>[0-9.eE+]+)|(?P<growth>[-+]?[0-9.eE+]+)\s*%|(?P<level>[0-9.eE+,]+)\s*(?P<unit>[^\s\d]\S*)?)"
    r"\s+(?:from\s+(?P<from>\d{4})\s+)?by\s+(?P<year>\d{4})\s*$"
)


@dataclass(frozen=True)
class SolveTarget:
    """A target of a projected level (see the module docstring for the text form).

    Attributes
    ----------
    column : str
        Level column of the projection (one of :data:`LEVEL_COLUMNS`).
    year : int
        Target year.
    from_year : int or None
        Year of the reference level (multiples and average growth); None for a level.
    level : float or None
        Target level in the column's unit (:data:`COLUMN_UNITS`).
    multiple : float or None
        Target level / level in ``from_year``.
    growth_pct : float or None
        Average annual growth over the growth years ``from_year + 1 .. year``, per cent.
    text : str
        The target as written.
    direction : {"at_least", "at_most"}
        A floor (the level or more) or a ceiling (the level or less: lower is better).
    """

    column: str
    year: int
    from_year: int | None = None
    level: float | None = None
    multiple: float | None = None
    growth_pct: float | None = None
    text: str = ""
    direction: str = "at_least"

    @property
    def kind(self) -> str:
        """``"level"``, ``"multiple"`` or ``"growth"``."""
        return "level" if self.level is not None else "multiple" if self.multiple is not None else "growth"

    @property
    def ratio(self) -> float | None:
        """Target level / level of ``from_year`` (None for a level target)."""
        if self.multiple is not None:
            return float(self.multiple)
        if self.growth_pct is not None and self.from_year is not None:
            return (1.0 + self.growth_pct / 100.0) ** (self.year - self.from_year)
        return None

    @property
    def unit(self) -> str:
        """Unit of the column (and of :attr:`level`)."""
        return COLUMN_UNITS[self.column]


def target_direction(column: str, region: RegionData | None, text: str = "") -> str:
    """``at_most`` when the plan's words cap the target (:data:`CEILING_WORDS`) or the registry says lower is
    better for the indicator projected in ``column`` (``higher_is_better`` false); else ``at_least``."""
    if any(word in str(text) for word in CEILING_WORDS):
        return "at_most"
    if region is None:
        return "at_least"
    flags = [spec.higher_is_better for spec in indicator_registry(region.indicators).values()
             if spec.column == column and spec.higher_is_better is not None]
    return "at_most" if flags and flags[0] is False else "at_least"


def is_phrase(text: str) -> bool:
    """True for a target in the plan's words (Chinese, not the coded ``COLUMN ... by YEAR`` form)."""
    return has_cjk(text) and not _SPEC.match(str(text))


def parse_target(text: str, source: str = "command line", field: str = "solve",
                 region: RegionData | None = None) -> SolveTarget:
    """Read a target written as ``COLUMN AMOUNT [from YEAR] by YEAR`` (module docstring), or as the plan
    writes it (``工业增加值年均增长不低于7.5%``, ``地区生产总值2035年比2020年翻一番``, ``人均地区生产总值达到10万元``:
    :func:`xiqu_analysis.inputs.target_phrases.read_target_phrase`, with ``region``'s registry and years).

    Raises
    ------
    InputError
        ``(source, field, problem)``: not of that form, an unknown column, a
        level target of a constant-price column, a multiple or growth without
        ``from``, a level with ``from``, a target year not after ``from``, a
        unit that does not fit the column, a non-positive level or multiple; a
        phrase without a region, or naming no indicator or no target.
    """
    if is_phrase(text):
        if region is None:
            raise InputError(source, field, "{text!r}: a target in the plan's words is read with a region's registry "
                             "and years; none was given", text=text)
        end = region.info.plan_end_year or region.info.long_range_year or region.info.base_year + 5
        coded = read_target_phrase(text, indicator_registry(region.indicators), region.info.base_year, end,
                                   source, field)
        target = parse_target(coded, source, field)
        return SolveTarget(target.column, target.year, from_year=target.from_year, level=target.level,
                           multiple=target.multiple, growth_pct=target.growth_pct, text=str(text).strip(),
                           direction=target_direction(target.column, region, text))
    m = _SPEC.match(str(text))
    if not m:
        raise InputError(source, field, "{text!r} is not a target; write {multiple}, {growth} or {level} (e.g. "
                         "{example})",
                         text=text, multiple="'COLUMN xN from YEAR by YEAR'", growth="'COLUMN N% from YEAR by YEAR'",
                         level="'COLUMN LEVEL [UNIT] by YEAR'", example="'gdp_real x2 from 2020 by 2035'")
    column = m["column"]
    if column not in LEVEL_COLUMNS:
        raise InputError(source, field, "{column!r} is not a projected level; one of {items}", column=column,
                         items=', '.join(LEVEL_COLUMNS))
    year = int(m["year"])
    start = int(m["from"]) if m["from"] else None
    try:
        number = float((m["multiple"] or m["growth"] or m["level"]).replace(",", ""))
    except ValueError:
        raise InputError(source, field, "{text!r}: the amount is not a number", text=text) from None
    if not math.isfinite(number):
        raise InputError(source, field, "{text!r}: the amount must be a finite number", text=text)
    if m["level"] is not None:
        if start is not None:
            raise InputError(source, field, "{text!r}: a level target has no 'from' year (write 'x{number:g}' for a "
                             "multiple of a year's level)", text=text, number=number)
        if COLUMN_PRICE_BASIS[column] == "constant":
            raise InputError(source, field, "{text!r}: {column} is at constant prices of each scenario's base year, so "
                             "a level of it means different things in different scenarios; give a multiple ('{column} "
                             "x2 from 2020 by {year}') or an average growth ('{column} 5% from ... by {year}')",
                             text=text, column=column, year=year)
        unit = COLUMN_UNITS[column]
        given = m["unit"] or unit
        try:
            level = convert(number, given, unit) if given != unit else number
        except (KeyError, ValueError):
            raise InputError(source, field, "{text!r}: unit {given!r} does not fit {column} ({unit})", text=text,
                             given=given, column=column, unit=unit) from None
        if not level > 0:
            raise InputError(source, field, "{text!r}: a level must be above 0", text=text)
        return SolveTarget(column, year, level=level, text=str(text).strip(),
                           direction=target_direction(column, region))
    if start is None:
        raise InputError(source, field, "{text!r}: a multiple or an average growth needs 'from YEAR'", text=text)
    if year <= start:
        raise InputError(source, field, "{text!r}: the target year {year} must be after the 'from' year {start}",
                         text=text, year=year, start=start)
    if m["multiple"] is not None:
        if not number > 0:
            raise InputError(source, field, "{text!r}: a multiple must be above 0", text=text)
        return SolveTarget(column, year, from_year=start, multiple=number, text=str(text).strip(),
                           direction=target_direction(column, region))
    if not number > -100:
        raise InputError(source, field, "{text!r}: an average growth must be above -100%", text=text)
    return SolveTarget(column, year, from_year=start, growth_pct=number, text=str(text).strip(),
                       direction=target_direction(column, region))


def levers_for(column: str) -> tuple[str, ...]:
    """The levers (:data:`LEVERS`) that move ``column``, from :data:`COLUMN_INPUTS`."""
    deps = COLUMN_INPUTS[column]
    sectors = [s for s in SECTORS if f"real_growth_pct.{s}" in deps]
    out = (("all_sectors",) if sectors else ()) + tuple(sectors)
    return out + tuple(p for p in ("urban_income.growth_pct", "population.growth_pct") if p in deps)


# --------------------------------------------------------------------------- solving
def _with_lever(inputs: dict, lever: str, rate_pct: float, first: int, last: int) -> dict:
    """``inputs`` (of :func:`scenario_inputs`) with ``lever`` at ``rate_pct`` in growth steps first..last (0-based)."""
    out = dict(inputs)
    if lever in ("all_sectors", *SECTORS):
        growth = np.array(inputs["growth_pct"], dtype=float)
        cols = list(range(3)) if lever == "all_sectors" else [SECTORS.index(lever)]
        growth[first:last + 1, cols] = rate_pct
        out["growth_pct"] = growth
    else:
        key = "urban_income_growth_pct" if lever == "urban_income.growth_pct" else "population_growth_pct"
        path = np.array(np.broadcast_to(inputs[key], (len(inputs["deflator_pct"]),)), dtype=float)
        path[first:last + 1] = rate_pct
        out[key] = path
    return out


def _level(inputs: dict, column: str, index: int) -> float:
    with np.errstate(all="ignore"):
        return float(project_arrays(**inputs, columns=[column])[column][index])


def _scenario_rate(inputs: dict, lever: str, first: int, last: int) -> float:
    """The scenario's own average rate of a lever over growth steps first..last (geometric mean, per cent)."""
    if lever == "all_sectors":  # uniform sector growth = real GDP growth: compare with the scenario's real GDP
        gdp = project_arrays(**inputs, columns=["gdp_real"])["gdp_real"]
        return average_growth_pct(gdp[first], gdp[last + 1], last - first + 1)
    if lever in SECTORS:
        rates = np.asarray(inputs["growth_pct"], dtype=float)[first:last + 1, SECTORS.index(lever)]
    else:
        key = "urban_income_growth_pct" if lever == "urban_income.growth_pct" else "population_growth_pct"
        rates = np.broadcast_to(inputs[key], (len(inputs["deflator_pct"]),))[first:last + 1]
    return (float(np.prod(1.0 + np.asarray(rates) / 100.0)) ** (1.0 / len(rates)) - 1.0) * 100.0


def _held_down_from(years, path, level: float) -> int | None:
    """First year from which ``path`` stays at or below ``level`` to its end (a ceiling kept), or None."""
    above = [y for y, v in zip(years, path) if not v <= level + 1e-12 * abs(level)]
    if not above:
        return int(years[0])
    later = [int(y) for y in years if y > above[-1]]
    return later[0] if later else None


def target_level(scenario: Scenario, target: SolveTarget, history: Mapping[int, float] | None = None) -> float:
    """The target as a level of the scenario's column (its unit; constant prices of its base year if real).

    Parameters
    ----------
    history : mapping of int to float, optional
        Levels of the column in years before the scenario's base year, in the
        scenario's units (for a re-based scenario: the actual path moved onto
        its base; :func:`xiqu_analysis.economics.review` supplies it).

    Raises
    ------
    InputError
        The target year is outside the scenario, or its ``from`` year is
        before the base year and not in ``history``.
    """
    src = str(scenario.source_path or scenario.name)
    if not scenario.base_year < target.year <= scenario.end_year:
        raise InputError(src, "end_year", "target {text!r}: {year} is outside the projected years {first}-{end_year}",
                         text=target.text, year=target.year, first=scenario.base_year + 1, end_year=scenario.end_year)
    if target.level is not None:
        return float(target.level)
    start = int(target.from_year)
    if start >= scenario.base_year:
        anchor = _level(scenario_inputs(scenario), target.column, start - scenario.base_year)
    elif history is not None and start in history:
        anchor = float(history[start])
    else:
        raise InputError(src, "base_year",
                         "target {text!r}: the scenario starts in {base_year}, after {start}, and its {start} level is "
                         "not known",
                         text=target.text, base_year=scenario.base_year, start=start)
    return anchor * float(target.ratio)


def solve(scenario: Scenario, target: SolveTarget, *, history: Mapping[int, float] | None = None,
          levers: Sequence[str] | None = None) -> list[dict]:
    """Solve ``target`` on one scenario for each lever; rows with the keys of :data:`SOLVE_COLUMNS`.

    ``status`` is ``solved`` or ``unreachable`` (no rate in :data:`RATE_BOUNDS_PCT`
    reaches the target); ``required_pct`` is the constant rate (real for the
    sector levers, nominal for urban income), ``scenario_pct`` the scenario's
    own average of the same lever over the same years (real GDP growth for
    ``all_sectors``); ``bound`` says whether the required rate is the lever's
    least (``floor``) or most (``ceiling``) and ``gap_pp`` is the scenario's
    margin on the favourable side (``scenario_pct - required_pct`` for a floor,
    ``required_pct - scenario_pct`` for a ceiling: positive is on course);
    ``year_reached`` is the first year the scenario as it stands reaches the
    target level (at or above it; for an ``at_most`` target the first year from
    which it stays at or below it; None: not by its end year).

    Raises
    ------
    InputError
        See :func:`target_level`.
    """
    from scipy.optimize import brentq

    level = target_level(scenario, target, history)
    base = scenario.base_year
    start = max(target.from_year if target.from_year is not None else base, base)
    first, last = start - base, target.year - base - 1  # growth steps (0 = base+1)
    inputs = scenario_inputs(scenario)
    index = target.year - base
    with np.errstate(all="ignore"):
        path = project_arrays(**inputs, columns=[target.column])[target.column]
    ceiling = target.direction == "at_most"
    reached = _held_down_from(scenario.years, path, level) if ceiling else year_reached(scenario.years, path, level)
    rows = []
    for lever in (levers or levers_for(target.column)):
        def gap(rate: float) -> float:
            value = _level(_with_lever(inputs, lever, rate, first, last), target.column, index)
            return value / level - 1.0 if math.isfinite(value) else math.inf

        lo, hi = RATE_BOUNDS_PCT
        f_lo, f_hi = gap(lo), gap(hi)
        rate, status = math.nan, "unreachable"
        if math.isfinite(f_lo) and math.isfinite(f_hi) and f_lo * f_hi <= 0:
            rate = float(brentq(gap, lo, hi, xtol=1e-13, rtol=4 * np.finfo(float).eps, maxiter=500))
            status = "solved" if abs(gap(rate)) <= CHECK_RTOL else "unreachable"
            rate = rate if status == "solved" else math.nan
        own = _scenario_rate(inputs, lever, first, last)
        raises = not (math.isfinite(f_lo) and math.isfinite(f_hi)) or f_hi >= f_lo  # the lever lifts the level
        bound = "floor" if raises != ceiling else "ceiling"
        rows.append(dict(scenario=scenario.name, target=target.text, column=target.column, unit=target.unit,
                         from_year=target.from_year, year=target.year, target_level=level, lever=lever,
                         first_year=start + 1, last_year=target.year, required_pct=rate, scenario_pct=own,
                         gap_pp=own - rate if bound == "floor" else rate - own, status=status, year_reached=reached,
                         direction=target.direction, bound=bound))
    return rows


def solve_table(scenarios: Sequence[Scenario], targets: Sequence[SolveTarget],
                histories: Mapping[str, Mapping[str, Mapping[int, float]]] | None = None) -> pd.DataFrame:
    """:func:`solve` for every scenario and target: one row per scenario, target and lever.

    ``histories[scenario name][column]`` gives levels before a scenario's base
    year (see :func:`target_level`). A target a scenario cannot answer (year
    outside it, unknown ``from`` level) gives one row with status ``outside``.
    """
    rows: list[dict] = []
    for target in targets:
        for sc in scenarios:
            hist = ((histories or {}).get(sc.name) or {}).get(target.column)
            try:
                rows += solve(sc, target, history=hist)
            except InputError:
                rows.append(dict(scenario=sc.name, target=target.text, column=target.column, unit=target.unit,
                                 from_year=target.from_year, year=target.year, target_level=math.nan, lever="",
                                 first_year=None, last_year=None, required_pct=math.nan, scenario_pct=math.nan,
                                 gap_pp=math.nan, status="outside", year_reached=None, direction=target.direction,
                                 bound=""))
    out = pd.DataFrame(rows, columns=list(SOLVE_COLUMNS))
    for c in ("from_year", "first_year", "last_year", "year_reached"):
        out[c] = out[c].astype("Int64")
    return out
