"""``xiqu targets --solve TARGET ... [SCENARIO.yaml ...]``: the constant growth that reaches a target exactly.

For each target (:func:`xiqu_analysis.economics.solver.parse_target`) and
each scenario: the constant growth over the target's years that reaches it
exactly, of every sector alike, of each sector alone with the others held at
the scenario's paths, or of the input that drives the indicator (urban income,
population); the scenario's own average of the same growth; and the year the
scenario as it stands reaches the target (:func:`xiqu_analysis.economics.solver.solve`).
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

import pandas as pd

from .. import config
from ..errors import EXIT_OK, InputError
from ..inputs.scenario import load_scenario_with_region
from .project import emit, to_csv_text

__all__ = ["solve_command", "solve_text"]

_VIEW = ("scenario", "target_level", "unit", "lever", "first_year", "last_year", "required_pct", "scenario_pct", "gap_pp", "status",
         "year_reached")


def _cell(value, decimals: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{round(value, decimals) + 0.0:,.{decimals}f}"
    return str(value)


def solve_text(table: pd.DataFrame) -> str:
    """Human-readable text: per target a heading and one line per scenario and lever."""
    lines = []
    for target, grp in table.groupby("target", sort=False):
        lines.append(f"Target: {target}")
        view = grp[list(_VIEW)].copy()
        view["target_level"] = [_cell(v, 4) for v in grp["target_level"]]
        for c in ("required_pct", "scenario_pct", "gap_pp"):
            view[c] = [_cell(v) for v in grp[c]]
        for c in ("first_year", "last_year", "year_reached"):
            view[c] = [_cell(v) for v in grp[c]]
        view["year_reached"] = [v or "not by end" for v in view["year_reached"]]
        lines.append(view.to_string(index=False))
        lines.append("")
    lines += [
        "target_level: the target as a level of each scenario (a multiple: of that scenario's 'from' year level).",
        "required_pct: the constant growth (% a year) over first_year-last_year that reaches the target exactly in its",
        "  year: 'all_sectors' = every sector's real growth alike; 'primary'/'secondary'/'tertiary' = that sector's",
        "  real growth alone, the others at the scenario's paths; 'urban_income.growth_pct' nominal; the deflator",
        "  and every other input at the scenario's paths. scenario_pct: the scenario's own average of the same",
        "  growth (real GDP growth for all_sectors); gap_pp = scenario_pct - required_pct. year_reached: the first",
        "  year the scenario as it stands reaches the target level. A target of a real level is at constant",
        "  prices of each scenario's base year: its multiple of the 'from' year's level is what is compared.",
    ]
    return "\n".join(lines) + "\n"


def solve_command(scenario_files: Sequence[str], targets: Sequence[str], fmt: str, output: Path | None) -> int:
    """Load the scenarios, solve every target on each, print or write. Returns the exit status."""
    from ..economics.solver import is_phrase, parse_target, solve_table

    coded = [parse_target(text, "command line", "solve") for text in targets if not is_phrase(text)]
    if scenario_files:
        paths = [Path(p) for p in scenario_files]
    else:
        paths = sorted(config.scenario_dir().glob("*.yaml"))
        if not paths:
            raise InputError(config.scenario_dir(), None, "no scenario files (*.yaml) found")
    regions: dict = {}
    loaded = [load_scenario_with_region(p, regions) for p in paths]
    scenarios = [s for s, _ in loaded]
    # a target in the plan's words is read with the (first) scenario's region: its registry and years
    parsed = [parse_target(text, "command line", "solve", loaded[0][1]) if is_phrase(text) else coded.pop(0)
              for text in targets]
    table = solve_table(scenarios, parsed)
    outside = table[table["status"] == "outside"]
    if len(outside) == len(table):
        first = outside.iloc[0]
        raise InputError("command line", "solve",
                         "target {target!r} lies outside every scenario's projected years (or its 'from' year is "
                         "before their base years)",
                         target=first['target'])
    text = to_csv_text(table) if fmt == "csv" else solve_text(table)
    emit(text, output, "solved targets")
    return EXIT_OK
