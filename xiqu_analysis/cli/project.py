"""``xiqu project SCENARIO.yaml``: the yearly projection table of one scenario.

Also holds the small output helpers shared by the ``targets`` command:
checking an ``--output`` path before anything is computed, stable number
formatting (identical inputs give byte-identical CSV) and atomic writes.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pandas is imported only for --format csv (the printed table is made without it)
    import pandas as pd


from ..errors import EXIT_OK, InputError
from ..fileio import atomic_write_text
from .words import CommandWords, RawDescriptionHelpFormatter

#: columns of the human-readable table (CSV has every projection column)
TABLE_VIEW = (
    "year",
    "gdp_nominal",
    "gdp_real",
    "gdp_growth",
    "primary",
    "secondary",
    "tertiary",
    "population",
    "gdp_per_capita",
    "urban_income",
    "fiscal_revenue",
)

def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu project``."""
    w = CommandWords("project")
    p = subparsers.add_parser("project", help=w("help"), description=w.plain("description"), epilog=w.plain("epilog"),
                              formatter_class=RawDescriptionHelpFormatter)
    p.add_argument("scenario", metavar="SCENARIO.yaml", help=w("opt.scenario"))
    add_format_options(p, w.plain("format"))
    return p


def add_format_options(p: argparse.ArgumentParser, format_help: str) -> None:
    """``--format table|csv`` and ``--output FILE`` (shared with ``targets``)."""
    w = CommandWords("output")
    p.add_argument("--format", choices=("table", "csv"), default="table", help=w("format", format_help=format_help))
    p.add_argument("--output", metavar="FILE", help=w("output"))


def check_output_path(path: str | None) -> Path | None:
    """Check an ``--output`` path before anything is computed.

    Raises
    ------
    InputError
        ``(path, "--output", problem)`` when the folder does not exist, is
        not a folder or not writable, or the path is a folder.
    """
    if path is None:
        return None
    if not str(path).strip():
        raise InputError("command line", "--output", "empty file name")
    out = Path(path)
    if out.is_dir():
        raise InputError(path, "--output", "is a folder; give a file name")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.exists():
        raise InputError(path, "--output", "folder '{folder}' does not exist", folder=folder)
    if not folder.is_dir():
        raise InputError(path, "--output", "'{folder}' is not a folder", folder=folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(path, "--output", "folder '{folder}' is not writable", folder=folder)
    if out.exists() and not os.access(out, os.W_OK):
        raise InputError(path, "--output", "file exists and is not writable")
    return out


def write_atomic(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically (see :mod:`xiqu_analysis.fileio`)."""
    atomic_write_text(path, text)


def format_number(x: object, decimals: int = 6) -> str:
    """Stable text for one CSV cell: rounded to ``decimals``, trailing zeros dropped, NaN empty.

    ``-0`` is written ``0``; integers stay integers; text passes through.
    """
    if x is None or type(x).__name__ == "NAType" or (isinstance(x, (float, np.floating)) and math.isnan(x)):
        return ""
    if isinstance(x, (bool, np.bool_)):
        return "true" if x else "false"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        v = float(x)
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        r = round(v, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
        s = f"{r:.{decimals}f}".rstrip("0").rstrip(".")
        return "0" if s in ("", "-0") else s
    return str(x)


def to_csv_text(df: pd.DataFrame, decimals: int = 6) -> str:
    """DataFrame -> CSV text with :func:`format_number` cells and ``\\n`` line ends (byte-stable)."""
    import pandas as pd

    cells = pd.DataFrame(
        {c: [format_number(v, decimals) for v in df[c].tolist()] for c in df.columns}, columns=list(df.columns), dtype=object
    )
    return cells.to_csv(index=False, lineterminator="\n")


def emit(text: str, output: Path | None, what: str) -> None:
    """Print ``text`` or write it atomically to ``output`` (then say where)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    write_atomic(output, text if text.endswith("\n") else text + "\n")
    print(f"wrote {what} to {output}")


def _cell(value: float, unit: str) -> str:
    """One cell of the printed table: persons and yuan whole, the rest with two decimals, grouped; NaN empty."""
    v = float(value)
    if math.isnan(v):
        return ""
    return f"{v:,.0f}" if unit in ("persons", "元", "yuan") else f"{v:,.2f}"


def _table_text(result) -> str:
    """The projection as the printed table (columns right-aligned under their headers, one space between),
    from the result's arrays: no pandas."""
    s = result.scenario
    cols = [c for c in (*TABLE_VIEW, *result.indicator_columns) if c in result.columns]
    columns = []
    for c in cols:
        if c == "year":
            columns.append(["year", *(f"{int(v)}" for v in result.arrays["year"])])
            continue
        unit = result.unit(c)
        mark = "*" if c in getattr(result, "assumed_columns", ()) else ""
        columns.append([f"{c}{mark} [{unit}]", *(_cell(v, unit) for v in result.arrays[c])])
    widths = [max(map(len, column)) for column in columns]
    body = "\n".join(" ".join(cell.rjust(w) for cell, w in zip(row, widths)) for row in zip(*columns))
    lines = [
        f"Scenario {s.name}: {s.title}",
        f"{s.base_year}-{s.end_year}; 亿元 = 1e8 yuan; real = constant {s.base_year} prices; growth % per year, real.",
        body,
    ]
    assumed = [c for c in cols if c in getattr(result, "assumed_columns", ())]
    if assumed:
        lines.append("* rests on at least one assumed input (see the scenario's sources and assumptions).")
    lines.append("All columns and their units: xiqu project --format csv; xiqu project --help.")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Validate, project, print or write. Returns the exit status."""
    output = check_output_path(args.output)
    from ..inputs.scenario import load_scenario_with_region  # here: --help and bad options read no files

    scenario, _region = load_scenario_with_region(args.scenario)
    from ..economics.projection import project

    result = project(scenario)
    if args.format == "csv":
        text = to_csv_text(result.table)
    else:
        text = _table_text(result)
    emit(text, output, f"projection of '{scenario.name}' ({len(result.years)} rows)")
    return EXIT_OK
