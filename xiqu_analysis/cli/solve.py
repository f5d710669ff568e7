"""``xiqu targets --solve TARGET ... [SCENARIO.yaml ...]``: the constant growth that reaches a target exactly.

For each target (:func:`xiqu_analysis.economics.solver.parse_target`) and
each scenario: the constant growth over the target's years that reaches it
exactly, of every sector alike, of each sector alone with the others held at
the scenario's paths, or of the input that drives the indicator (urban income,
population); the scenario's own average of the same growth; and the year the
scenario as it stands reaches the target (:func:`xiqu_analysis.economics.solver.solve`).
The text is lines in the reader's language (``--language``,
:func:`xiqu_analysis.reports.words.solve_text.solve_lines`); ``--format csv`` the codes and numbers.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .. import config
from ..errors import EXIT_OK, InputError
from ..inputs.scenario import load_scenario_with_region
from .project import emit, to_csv_text

__all__ = ["solve_command"]

def solve_command(scenario_files: Sequence[str], targets: Sequence[str], fmt: str, output: Path | None,
                  language: str = "en") -> int:
    """Load the scenarios, solve every target on each, print (lines in ``language``, or CSV codes) or write.
    Returns the exit status."""
    from ..economics.solver import is_phrase, parse_target, solve_table
    from ..reports.words.solve_text import solve_lines

    for text in targets:  # a malformed coded target is refused before any scenario is read
        if not is_phrase(text):
            parse_target(text, "command line", "solve")
    if scenario_files:
        paths = [Path(p) for p in scenario_files]
    else:
        paths = sorted(config.scenario_dir().glob("*.yaml"))
        if not paths:
            raise InputError(config.scenario_dir(), None, "no scenario files (*.yaml) found")
    regions: dict = {}
    loaded = [load_scenario_with_region(p, regions) for p in paths]
    scenarios = [s for s, _ in loaded]
    # every target is read with the (first) scenario's region: its registry (which indicators are better lower)
    # and, for a target in the plan's words, its years
    parsed = [parse_target(text, "command line", "solve", loaded[0][1]) for text in targets]
    table = solve_table(scenarios, parsed)
    outside = table[table["status"] == "outside"]
    if len(outside) == len(table):
        first = outside.iloc[0]
        raise InputError("command line", "solve",
                         "target {target!r} lies outside every scenario's projected years (or its 'from' year is "
                         "before their base years)",
                         target=first['target'])
    text = to_csv_text(table) if fmt == "csv" else solve_lines(table, parsed, language,
                                                                  {sc.name: sc.base_year for sc in scenarios})
    emit(text, output, "solved targets")
    return EXIT_OK
