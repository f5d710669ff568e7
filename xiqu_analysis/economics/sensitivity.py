"""One-at-a-time sensitivity of the projection to every scenario input (tornado).

For each numeric input of a scenario (``Scenario.input_paths()``, periods
expanded, the Monte Carlo settings ``uncertainty.*`` excepted because the
deterministic projection does not use them), the input is moved down and up by
a stated step, the scenario is rebuilt with :meth:`Scenario.with_changes` and
projected (the numbers of :func:`xiqu_analysis.economics.projection.project`'s
table, computed by its array core), everything else held at its scenario value.
The change in real GDP, nominal GDP, per-capita GDP and fiscal revenue in the
region's plan-end and long-range years (2025 and 2035 for Xiqu) is reported.

Steps: one standard deviation of each input's uncertainty
----------------------------------------------------------
A ranking of inputs means something only if every input is moved by a
comparable amount. Each input is therefore moved down and up by **one standard
deviation of its uncertainty** (``step``, with ``step_basis`` saying where that
sd comes from):

* ``monte_carlo`` - a growth input the Monte Carlo shocks (the scenario's
  ``uncertainty`` section, :mod:`.shocks`): the sd of the input's *average*
  over its years under that shock process. Real growth of sector ``s`` over
  ``n`` years with AR(1) shocks (innovation sd ``sd_s``, persistence ``phi``,
  stationary start): ``sd_s * sqrt(sum_ij phi^|i-j| / (n^2 (1 - phi^2)))``;
  the deflator (and a sector's own deflator, moved by the same price shock)
  with iid shocks: ``deflator_sd / sqrt(n)``; population growth likewise with
  ``population_sd`` when it is above 0.
* ``assumed`` - an input the scenario gives no uncertainty for: a documented
  assumed sd (:data:`DEFAULT_STEPS`): growth rates 1 percentage point (pp),
  sector shares 0.05, the revenue buoyancy 0.1, base levels 5 % of their value.
* ``given`` - a step the caller passes with ``steps=`` (one per kind).

``population.base_year_growth_pct`` is base data that only sets the base
year's average population; it is not moved.

Shares: moving sector *i*'s share to ``s_i' = s_i ± step`` re-normalises the
other two **proportionally**, ``s_j' = s_j * (1 - s_i') / (1 - s_i)``, so their
ratio is kept and the three still sum to 1. A move that would leave ``[0, 1]``
is not made: its output is NaN and the ``note`` says why (a code). Base GDP is unchanged,
so a share move shifts value added between sectors growing at different rates.

Urban income (``urban_income.*``) feeds none of the four outputs; it is listed
with its computed effect, which is exactly zero, rather than silently dropped.

A changed scenario that fails validation (e.g. a buoyancy that would cut
revenue by 100 % in some year) is reported with NaN, the code ``low_invalid``
or ``high_invalid`` in ``note`` and the validation message in ``problem``.

Columns of the result: ``input`` (dotted path), ``input_value``, ``kind``,
``step``, ``unit_of_step`` (``pp``, ``share (0-1)``, ``ratio``, ``% of base``),
``step_basis`` (``monte_carlo``, ``assumed``, ``given``), ``output``, ``unit`` (of the output), ``year``, ``base``, ``low`` (output with
the input moved *down* by the step), ``high`` (input moved *up*), ``swing``
(``|high - low|``, in the output's unit), ``note`` (codes of :data:`NOTES`,
joined by ``;``: ``low_invalid``/``high_invalid`` the moved scenario is
invalid, ``low_outside_unit_interval``/``high_outside_unit_interval`` a share
would leave [0, 1], ``no_effect`` the input feeds none of the outputs;
empty when none applies), ``problem`` (the validation message of an invalid
move). Rows are sorted for a tornado chart: by output, year, then swing
(largest first), then input.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..inputs.regions import RegionData
from ..inputs.scenario import SECTORS, Scenario
from .columns import COLUMN_UNITS
from .projection import check_projection, project_arrays, scenario_inputs
from .shocks import UncertaintySpec

__all__ = [
    "DEFAULT_STEPS",
    "STEP_UNITS",
    "STEP_BASES",
    "average_shock_sd",
    "OUTPUTS",
    "default_years",
    "SENSITIVITY_COLUMNS",
    "NOTES",
    "SensitivityInput",
    "sensitivity_inputs",
    "shifted_shares",
    "changed_scenario",
    "sensitivity",
]

#: Assumed sd per input kind, the step of an input the scenario states no uncertainty for: growth
#: rates in pp, shares as a share (0-1), buoyancy as a ratio, levels in per cent of their base value.
DEFAULT_STEPS: dict[str, float] = {"growth": 1.0, "share": 0.05, "buoyancy": 0.1, "level": 5.0}
#: where a step comes from (module docstring)
STEP_BASES: tuple[str, ...] = ("monte_carlo", "assumed", "given")
#: Unit of the step per kind.
STEP_UNITS: dict[str, str] = {"growth": "pp", "share": "share (0-1)", "buoyancy": "ratio", "level": "% of base"}
#: Outputs (projection columns) whose sensitivity is reported.
OUTPUTS: tuple[str, ...] = ("gdp_real", "gdp_nominal", "gdp_per_capita", "fiscal_revenue")
SENSITIVITY_COLUMNS: tuple[str, ...] = (
    "input",
    "input_value",
    "kind",
    "step",
    "unit_of_step",
    "step_basis",
    "output",
    "unit",
    "year",
    "base",
    "low",
    "high",
    "swing",
    "note",
    "problem",
)
#: codes of the ``note`` column
NOTES: tuple[str, ...] = ("low_invalid", "high_invalid", "low_outside_unit_interval", "high_outside_unit_interval",
                          "no_effect")

_LEVELS = ("gdp_base", "population.base", "urban_income.base", "fiscal_revenue.base")
_GROWTH_PREFIXES = ("real_growth_pct.", "deflator_pct", "sector_deflator_pct.", "population.growth_pct",
                    "urban_income.growth_pct")
#: inputs that feed none of :data:`OUTPUTS` (their effect is computed: zero)
_NO_EFFECT = ("urban_income",)


@dataclass(frozen=True)
class SensitivityInput:
    """One input moved by :func:`sensitivity`.

    Attributes
    ----------
    path : str
        Dotted input path (``"real_growth_pct.secondary.2021-2025"``).
    kind : str
        ``growth``, ``share``, ``buoyancy`` or ``level``.
    value : float
        The scenario's value (unit of the input: %, share, ratio, 亿元, persons, 元).
    step : float
        Step in :data:`STEP_UNITS` of the kind: one sd of the input's uncertainty.
    basis : str
        Where the step comes from, one of :data:`STEP_BASES`.
    """

    path: str
    kind: str
    value: float
    step: float
    basis: str = "assumed"

    @property
    def unit_of_step(self) -> str:
        """Unit of :attr:`step`."""
        return STEP_UNITS[self.kind]


def _kind(path: str) -> str | None:
    if path == "population.base_year_growth_pct":
        return None  # base data for the base year's average population only
    if path in _LEVELS:
        return "level"
    if path.startswith("sector_shares."):
        return "share"
    if path == "fiscal_revenue.buoyancy":
        return "buoyancy"
    if path.startswith(_GROWTH_PREFIXES):
        return "growth"
    return None  # uncertainty.* and anything the projection does not read


def _steps(steps: Mapping[str, float] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in (steps or {}).items():
        if key not in DEFAULT_STEPS:
            raise InputError("sensitivity", f"steps.{key}", "unknown kind; one of {items}",
                             items=', '.join(DEFAULT_STEPS))
        value = float(value)
        if not (math.isfinite(value) and value > 0):
            raise InputError("sensitivity", f"steps.{key}", "step must be a finite number > 0, got {value}",
                             value=value)
        out[key] = value
    return out


def average_shock_sd(sd: float, ar1: float, n: int) -> float:
    """sd of the average of ``n`` consecutive stationary AR(1) shocks with innovation sd ``sd``, pp.

    ``sd * sqrt(sum_{i,j<n} ar1^|i-j| / (n^2 (1 - ar1^2)))``; iid shocks (``ar1 = 0``) give
    ``sd / sqrt(n)``. This is how far a period's average growth plausibly strays
    from the scenario's rate under the Monte Carlo's shock process.
    """
    lags = np.arange(n)
    weights = ar1 ** np.abs(lags[:, None] - lags[None, :])
    return float(sd * math.sqrt(weights.sum() / (n * n * (1.0 - ar1 * ar1))))


def _monte_carlo_sd(scenario: Any, spec: UncertaintySpec, path: str) -> float:
    """One sd of a growth input's average under the scenario's shocks; 0 when the Monte Carlo does not shock it."""
    years = scenario.input_years(path)
    if years is None:
        return 0.0
    n = years[1] - years[0] + 1
    if path.startswith("real_growth_pct."):
        sector = path.split(".")[1]
        return average_shock_sd(spec.sd_pct[SECTORS.index(sector)], spec.ar1, n)
    if path.startswith(("deflator_pct", "sector_deflator_pct.")):
        return average_shock_sd(spec.deflator_sd_pct, 0.0, n)
    if path.startswith("population.growth_pct"):
        return average_shock_sd(spec.population_sd_pct, 0.0, n)
    return 0.0


def sensitivity_inputs(scenario: Any, steps: Mapping[str, float] | None = None) -> list[SensitivityInput]:
    """The inputs :func:`sensitivity` moves, in the scenario's order, each with one sd as its step.

    Parameters
    ----------
    scenario : Scenario
    steps : mapping kind -> step, optional
        A step for every input of a kind (``{"growth": 0.5}``), replacing the
        sd (basis ``given``).
    """
    given = _steps(steps)
    spec = UncertaintySpec.from_scenario(scenario)
    out = []
    for path in scenario.input_paths():
        kind = _kind(path)
        if kind is None:
            continue
        if kind in given:
            step, basis = given[kind], "given"
        else:
            sd = _monte_carlo_sd(scenario, spec, path) if kind == "growth" else 0.0
            step, basis = (sd, "monte_carlo") if sd > 0 else (DEFAULT_STEPS[kind], "assumed")
        out.append(SensitivityInput(path, kind, float(scenario.value_at(path)), step, basis))
    return out


def shifted_shares(shares: Mapping[str, float], sector: str, delta: float) -> dict[str, float] | None:
    """Move one sector's share by ``delta`` and re-normalise the others proportionally.

    Parameters
    ----------
    shares : mapping sector -> share (0-1, summing to 1)
    sector : str
        The sector moved.
    delta : float
        Change of its share (share units, e.g. 0.05).

    Returns
    -------
    dict or None
        New shares summing to 1, the others keeping their ratio
        (``s_j' = s_j * (1 - s_i') / (1 - s_i)``); None when ``s_i + delta``
        leaves [0, 1] or the others are all zero (nothing to re-normalise).

    Examples
    --------
    >>> shifted_shares({"primary": 0.1, "secondary": 0.6, "tertiary": 0.3}, "primary", 0.1)
    {'primary': 0.2, 'secondary': 0.5333333333333333, 'tertiary': 0.26666666666666666}
    """
    old = float(shares[sector])
    new = old + float(delta)
    # the others' own sum (= 1 - s_i for valid shares), not 1 - s_i: no cancellation when s_i is near 1
    rest = sum(float(shares[s]) for s in SECTORS if s != sector)
    if not (0.0 <= new <= 1.0) or rest <= 0.0:
        return None
    # each other's part of the rest first (a ratio in [0, 1]), then times what is left: a tiny but
    # non-zero rest (2.2e-311) would make (1 - s_i') / rest overflow to inf and the shares inf or nan
    return {s: (new if s == sector else (1.0 - new) * (float(shares[s]) / rest)) for s in SECTORS}


def default_years(scenario: Scenario, region: RegionData | None = None) -> list[int]:
    """Years reported by default: the region's plan end and long-range year inside the projection, else the end year."""
    wanted = (region.info.plan_end_year, region.info.long_range_year) if region is not None else ()
    return [y for y in wanted if y is not None and scenario.base_year < y <= scenario.end_year] or [scenario.end_year]


def changed_scenario(scenario: Any, item: SensitivityInput, direction: int) -> Any:
    """The scenario with ``item`` moved by ``direction * step`` (direction -1 or +1).

    Returns None when the move is impossible (a share leaving [0, 1]).

    Raises
    ------
    InputError
        When the changed scenario fails validation or cannot be projected
        (:func:`~xiqu_analysis.economics.projection.check_projection`).
    """
    d = float(direction) * item.step
    if item.kind == "share":
        sector = item.path.split(".", 1)[1]
        current = {s: float(scenario.value_at(f"sector_shares.{s}")) for s in SECTORS}
        new = shifted_shares(current, sector, d)
        if new is None:
            return None
        changed = scenario.with_changes(**{f"sector_shares.{s}": v for s, v in new.items()})
    else:
        if item.kind == "level":
            value = item.value * (1.0 + d / 100.0)
        else:  # growth (pp) and buoyancy (ratio) move additively
            value = item.value + d
        changed = scenario.with_changes(**{item.path: value})
    check_projection(changed)
    return changed


def _outputs_at(scenario: Any, years: Sequence[int]) -> dict[tuple[str, int], float]:
    """Outputs of ``projection.project(scenario).table`` in the given years.

    Calls the projection's array core directly (what ``project`` computes its
    table from), skipping the table and checks of ``project``; the numbers are identical
    (``tests/economics/test_sensitivity.py`` checks that).
    """
    arrays = project_arrays(**scenario_inputs(scenario))
    index = {int(y): i for i, y in enumerate(range(int(scenario.base_year), int(scenario.end_year) + 1))}
    return {(o, y): float(arrays[o][index[y]]) for o in OUTPUTS for y in years}


def sensitivity(
    scenario: Scenario,
    region: RegionData | None = None,
    steps: Mapping[str, float] | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity of four outputs to every scenario input.

    Parameters
    ----------
    scenario : xiqu_analysis.inputs.scenario.Scenario
    region : RegionData, optional
        The scenario's region, for the default years (:func:`default_years`).
    steps : mapping kind -> step, optional
        Overrides of :data:`DEFAULT_STEPS` (``{"growth": 0.5}`` moves every
        growth rate by 0.5 pp).
    years : sequence of int, optional
        Years reported (default :func:`default_years`: the plan's end and the
        long-range year inside the projection, else the end year).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SENSITIVITY_COLUMNS` (see the module docstring), one row
        per input x output x year, sorted for a tornado. Outputs: ``gdp_real``
        (亿元, constant base-year prices), ``gdp_nominal`` and ``fiscal_revenue``
        (亿元, current), ``gdp_per_capita`` (元, current).
    """
    first, last = int(scenario.base_year), int(scenario.end_year)
    if years is None:
        chosen = default_years(scenario, region)
    else:
        chosen = [int(y) for y in years]
        bad = [y for y in chosen if not first <= y <= last]
        if bad:
            raise InputError("sensitivity", "years", "{bad} outside the projection {first}-{last}", bad=bad,
                             first=first, last=last)
    check_projection(scenario)
    base = _outputs_at(scenario, chosen)
    rows = []
    for item in sensitivity_inputs(scenario, steps):
        results: dict[int, dict[tuple[str, int], float] | None] = {}
        notes, problems = [], []
        for direction in (-1, 1):
            side = "low" if direction < 0 else "high"
            try:
                changed = changed_scenario(scenario, item, direction)
            except InputError as exc:
                changed = None
                notes.append(f"{side}_invalid")
                problems.append(str(exc.problem))
            else:
                if changed is None:
                    notes.append(f"{side}_outside_unit_interval")
            results[direction] = _outputs_at(changed, chosen) if changed is not None else None
        if item.path.split(".")[0] in _NO_EFFECT:
            notes.append("no_effect")
        note = ";".join(notes)
        problem = "; ".join(dict.fromkeys(problems))
        for output in OUTPUTS:
            for year in chosen:
                low = results[-1][(output, year)] if results[-1] else math.nan
                high = results[1][(output, year)] if results[1] else math.nan
                rows.append(
                    (
                        item.path,
                        item.value,
                        item.kind,
                        item.step,
                        item.unit_of_step,
                        item.basis,
                        output,
                        COLUMN_UNITS[output],
                        year,
                        base[(output, year)],
                        low,
                        high,
                        abs(high - low),
                        note,
                        problem,
                    )
                )
    df = pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))
    df = df.astype({"year": "int64", "input_value": float, "step": float, "base": float, "low": float, "high": float, "swing": float})
    order = {o: i for i, o in enumerate(OUTPUTS)}
    df["_o"] = df["output"].map(order)
    df["_s"] = -df["swing"].fillna(-np.inf)
    df = df.sort_values(["_o", "year", "_s", "input"], kind="mergesort").drop(columns=["_o", "_s"])
    return df.reset_index(drop=True)
