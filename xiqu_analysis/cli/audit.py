"""``xiqu audit``: recompute what the sourced figures imply about each other.

Runs :func:`xiqu_analysis.economics.audit.audit_region` on the region's data (``data/``, or
``XIQU_DATA_DIR``) and prints one row per check with its verdict. The audit
reports findings; finding an inconsistency is not a failure, so the exit
status is 0 whenever the audit ran (2 for bad input, e.g. a broken data file).
"""
from __future__ import annotations

import argparse
import math
import sys
import textwrap

import pandas as pd

from .. import config
from ..economics.audit import AUDIT_COLUMNS, audit_region, summarise
from ..inputs.regions import load_region
from ..errors import EXIT_OK
from ..fileio import atomic_write_text
from .project import check_output_path

EPILOG = """\
checks:
  growth_from_levels         a stated growth rate recomputed from its level's start and end figures
  growth_from_stated_change  a stated average rate recomputed from a stated cumulative change
  per_capita                 a per-capita figure against aggregate / each population of the year
  same_figure_other_source   one indicator and year from two sources of the region
  benchmark                  the region's figure against the benchmark region's (context only)
verdicts: consistent, inconsistent, not_checkable, not_comparable, context.
  Tolerance: the rounding of the published digits (half a unit in the last digit) of the
  stated figure and of the figures it is recomputed from.
units: stated, recomputed and difference in the row's unit (%: growth in per cent, difference in
  percentage points); difference_pct in per cent of recomputed; implied_population in persons.
exit codes: 0 the audit ran (whatever it found); 2 bad input (one line on stderr)."""

#: columns of the terminal table (CSV has all of AUDIT_COLUMNS)
TABLE_VIEW = ("check", "indicator", "year", "stated", "recomputed", "difference", "unit", "verdict")


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu audit``."""
    p = subparsers.add_parser(
        "audit",
        help="source audit: recompute stated growth rates, per-capita figures and cross-source figures",
        description="Check the figures under data/ (or $XIQU_DATA_DIR) against each other: stated "
        "average growth against its level endpoints, per-capita figures against aggregate and "
        "population, one figure from two sources, and the benchmark region.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--region", default=config.DEFAULT_REGION,
                   help=f"region folder under data/regions/ (default {config.DEFAULT_REGION})")
    p.add_argument("--format", choices=("table", "csv"), default="table",
                   help="table: readable in a terminal, explanations below; csv: every column (default table)")
    p.add_argument("--output", metavar="FILE",
                   help="write to FILE (atomically: a temporary file, then renamed) instead of standard "
                   "output; its folder must exist")
    return p


def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:,.1f}"
    return f"{x:.4g}" if abs(x) < 1 else f"{x:.2f}"


def render_table(table: pd.DataFrame, region: str) -> str:
    """Terminal text: a numbered table of checks, then each check's explanation and sources."""
    if table.empty:
        return f"Source audit of {region}: no checks apply to its figures.\n"
    view = pd.DataFrame({c: table[c] for c in TABLE_VIEW})
    for c in ("stated", "recomputed", "difference"):
        view[c] = [_fmt(v) for v in table[c]]
    view.index = range(1, len(view) + 1)
    counts = ", ".join(f"{r.checks} {r.verdict}" for r in summarise(table).itertuples() if r.checks)
    lines = [f"Source audit of {region}: {len(table)} checks ({counts})", "",
             view.to_string(), "", "Explanations:"]
    wrap = textwrap.TextWrapper(width=100, subsequent_indent="     ")
    for i, row in enumerate(table.itertuples(index=False), start=1):
        lines.append(wrap.fill(f"{i:>3}. [{row.verdict}] {row.explanation}"))
        lines.append(wrap.fill(f"     sources: {row.sources}"))
    return "\n".join(lines) + "\n"


def render_csv(table: pd.DataFrame) -> str:
    """CSV text with every column of :data:`~xiqu_analysis.economics.audit.AUDIT_COLUMNS` (numbers to 6 decimals)."""
    return table.reindex(columns=AUDIT_COLUMNS).to_csv(index=False, float_format="%.6f", lineterminator="\n")


def run(args: argparse.Namespace) -> int:
    """Run the audit and print or write it; returns the exit status."""
    out_path = check_output_path(args.output)
    table = audit_region(load_region(args.region))
    text = render_csv(table) if args.format == "csv" else render_table(table, args.region)
    if out_path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        atomic_write_text(out_path, text)
    return EXIT_OK
