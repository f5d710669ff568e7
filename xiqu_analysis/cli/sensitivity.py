"""``xiqu sensitivity SCENARIO.yaml``: one-at-a-time sensitivity (tornado table)."""
from __future__ import annotations

import argparse

import pandas as pd

from ..errors import EXIT_OK, InputError
from ..inputs.scenario import load_scenario_with_region
from .project import add_format_options, check_output_path, emit, to_csv_text
from .words import CommandWords, RawDescriptionHelpFormatter, region_params

def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu sensitivity``."""
    w = CommandWords("sensitivity")
    p = subparsers.add_parser("sensitivity", help=w("help"), description=w.plain("description"),
                              epilog=w.plain("epilog", **region_params()), formatter_class=RawDescriptionHelpFormatter)
    p.add_argument("scenario", metavar="SCENARIO.yaml", help=w("opt.scenario"))
    p.add_argument("--growth-step", type=float, default=None, metavar="PP", help=w("opt.growth_step"))
    p.add_argument("--share-step", type=float, default=None, metavar="S", help=w("opt.share_step"))
    p.add_argument("--buoyancy-step", type=float, default=None, metavar="B", help=w("opt.buoyancy_step"))
    p.add_argument("--level-step", type=float, default=None, metavar="PCT", help=w("opt.level_step"))
    add_format_options(p, w.plain("format"))
    return p


def _steps(args: argparse.Namespace) -> dict[str, float]:
    steps = {}
    for kind in ("growth", "share", "buoyancy", "level"):
        value = getattr(args, f"{kind}_step")
        if value is None:
            continue
        if not (value > 0 and value != float("inf")):
            raise InputError("command line", f"--{kind}-step", "step must be a finite number > 0, got {value}",
                             value=value)
        steps[kind] = value
    return steps


def _fmt(value: float, unit: str) -> str:
    if pd.isna(value):
        return "n/a"
    return f"{value:,.0f}" if unit in ("元", "yuan") else f"{value:,.3f}"


def table_text(scenario, df: pd.DataFrame) -> str:
    """Human-readable tornado blocks of a :func:`~xiqu_analysis.economics.sensitivity.sensitivity` table."""
    lines = [
        f"Scenario {scenario.name}: {scenario.title}",
        "One-at-a-time sensitivity: each input moved by one sd of its uncertainty (basis: monte_carlo = the "
        "sd of its period average under the scenario's shocks, assumed = an assumed sd, given = a step "
        "passed on the command line); low = input minus the step, high = input plus the step; "
        "swing = |high - low|. 亿元 = 1e8 yuan.",
    ]
    for (output, year), rows in df.groupby(["output", "year"], sort=False):
        unit = rows["unit"].iloc[0]
        view = pd.DataFrame(
            {
                "input": rows["input"],
                "step": [f"{s:.3g} {u}" for s, u in zip(rows["step"], rows["unit_of_step"], strict=True)],
                "basis": rows["step_basis"],
                "low": [_fmt(v, unit) for v in rows["low"]],
                "high": [_fmt(v, unit) for v in rows["high"]],
                "swing": [_fmt(v, unit) for v in rows["swing"]],
            }
        )
        lines += ["", f"{output} {year} [{unit}], base {_fmt(rows['base'].iloc[0], unit)}", view.to_string(index=False)]
    from ..reports.words.codes import sensitivity_note

    notes = df.loc[df["note"] != "", ["input", "note", "problem"]].drop_duplicates()
    if len(notes):
        lines += ["", "Notes:"] + [f"  {r.input}: {sensitivity_note(r.note, 'en')}" + (f" ({r.problem})" if r.problem else "")
                                   for r in notes.itertuples()]
    lines.append("Shares: moving one share re-normalises the other two proportionally (their ratio is kept).")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Validate, compute, print or write. Returns the exit status."""
    steps = _steps(args)
    output = check_output_path(args.output)
    scenario, region = load_scenario_with_region(args.scenario)
    from ..economics.projection import check_projection
    from ..economics.sensitivity import sensitivity

    check_projection(scenario)  # the changed scenarios are checked one by one; the scenario itself here
    df = sensitivity(scenario, region, steps=steps)
    text = to_csv_text(df) if args.format == "csv" else table_text(scenario, df)
    emit(text, output, f"sensitivity of '{scenario.name}' ({len(df)} rows)")
    return EXIT_OK
