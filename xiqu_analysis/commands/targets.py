"""``xiqu targets SCENARIO.yaml``: the plan's targets against one scenario.

Prints :meth:`xiqu_analysis.targets.TargetAnalysis.table`: each target of the
plan in ``data/`` (growth floors of ch.2 §4.2, level targets of the 专栏) with
the scenario's value, the gap and met/missed; the real GDP growth the sector
floors imply; when real GDP doubles; the growth each level target requires.
"""
from __future__ import annotations

import argparse
import math


from ..errors import EXIT_OK
from ..scenario import load_scenario
from .project import add_format_options, check_output_path, emit, to_csv_text

UNITS_HELP = """\
columns:
  section   target (one row per plan target in data/), implied (real GDP growth the
            sector floors imply), doubling (when real GDP doubles), required (constant
            growth needed to reach a level target)
  value     the scenario's figure; target: the plan's figure; gap = value - target
  unit      % a year for growth (real unless marked current), 亿元 (1 亿 = 1e8 yuan),
            yuan (元), persons, or year; growth gaps are in percentage points
  status    met / missed / implied / reached / not projected (with the reason in note)
  Targets that are floors (不低于, 以上) are met at or above the target.
  Industry's floor is compared with the secondary sector, services' with tertiary and
  agriculture's with primary: those mappings are assumptions (see data/indicators.csv).

exit codes: 0 success; 2 bad input (one line on stderr: file, field, problem; nothing ran)."""

_VIEW = ("section", "item", "period", "value", "target", "unit", "gap", "status")


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu targets``."""
    p = subparsers.add_parser(
        "targets",
        help="the plan's targets against one scenario: gaps, implied GDP growth, years reached",
        description="Validate SCENARIO.yaml and set its projection against every target of the "
        "plan recorded in data/ (growth floors 2021-2025 of ch.2 §4.2; level targets).",
        epilog=UNITS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("scenario", metavar="SCENARIO.yaml", help="scenario file, e.g. scenarios/plan_targets.yaml")
    add_format_options(p, "table: main columns, notes below, for reading; csv: every column, 6 decimals")
    return p


def _fmt(v: object, unit: str) -> str:
    """Two decimals (years as whole numbers), no ``-0.00``, NaN blank."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float):
        if unit == "year":
            return f"{v:.0f}"
        r = round(v, 2) + 0.0
        return f"{r:,.2f}"
    return str(v)


def table_text(analysis) -> str:
    """Human-readable text of a :class:`TargetAnalysis` (main columns, then numbered notes)."""
    df = analysis.table()
    s = analysis.scenario
    view = df[[c for c in _VIEW if c in df.columns]].copy()
    for c in ("value", "target", "gap"):
        unit = df["unit"].astype(str).tolist()
        view[c] = [_fmt(v, u) for v, u in zip(df[c].tolist(), unit)]
    notes = []
    marks = []
    for i, r in enumerate(df.to_dict("records")):
        text = "; ".join(str(x) for x in (r.get("note"), r.get("source")) if x and not (isinstance(x, float) and math.isnan(x)))
        if text:
            notes.append(f"[{len(notes) + 1}] {text}")
            marks.append(f"[{len(notes)}]")
        else:
            marks.append("")
    view.insert(len(view.columns), "see", marks)
    body = view.to_string(index=False, na_rep="")
    lines = [f"Scenario {s.name}: {s.title}", "Plan targets against the scenario (gap = value - target).", body]
    if notes:
        lines += ["", "Notes and sources:", *notes]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Validate, analyse, print or write. Returns the exit status."""
    output = check_output_path(getattr(args, "output", None))
    scenario = load_scenario(args.scenario)
    from ..targets import analyse_targets

    analysis = analyse_targets(scenario)
    if args.format == "csv":
        table = analysis.table()
        text = to_csv_text(table)
    else:
        text = table_text(analysis)
    emit(text, output, f"targets of '{scenario.name}'")
    return EXIT_OK
