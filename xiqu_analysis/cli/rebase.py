"""``xiqu rebase SCENARIO.yaml --actuals FILE --year YYYY``: a scenario re-based on the latest actual year.

Writes a new scenario file whose base year is the latest year up to ``--year``
with an actual GDP level in FILE: that year's levels come from the actuals and
are cited in ``sources`` (``actuals:<region>.<indicator>.<year>``, the file in
the new scenario's ``actuals`` field, relative to the new file); the growth
after it is the old scenario's remaining path, carried over and marked as an
assumption (:func:`xiqu_analysis.economics.rebase.rebase_scenario`). The file
is validated as every scenario is (schema, sources against the actuals, a
projection) before it is moved into place; it runs with ``xiqu run``.
"""
from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path

from ..reports.words.locales import languages
from ..errors import EXIT_OK, InputError

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu rebase``."""
    p = subparsers.add_parser(
        "rebase",
        help="write a scenario re-based on the latest actual year (levels from the actuals, growth carried over)",
        description="Re-base SCENARIO.yaml on the actual figures of FILE: the new base year is the latest year up "
        "to --year with an actual GDP level; that year's GDP, population, urban income and budget revenue come "
        "from the actuals (sourced; the old projection for any the actuals lack, as an assumption), the sector "
        "shares from the actual sector value added when all three are given; every growth rate after it is the "
        "old scenario's remaining path, carried over as an assumption. Prints the new file's path.",
        epilog="Exit codes: 0 written; 2 bad input (one line: file, field, problem; nothing written).",
    )
    p.add_argument("scenario", metavar="SCENARIO.yaml", help="the scenario to re-base")
    p.add_argument("--actuals", required=True, metavar="FILE", help="bulletin CSV of actual figures "
                   "(format: data/bulletins/README.md)")
    p.add_argument("--year", required=True, type=int, metavar="YYYY",
                   help="actual figures after this year are not used; the new base year is the latest year up to "
                   "it with an actual GDP level")
    p.add_argument("--output", metavar="FILE", default=None,
                   help="the new scenario file (default: <name>_rebased_<base year>.yaml next to SCENARIO.yaml)")
    p.add_argument("--force", action="store_true", help="replace an existing output file")
    p.add_argument("--language", choices=languages(), default="en",
                   help="language of the title, description and assumption reasons written")
    return p


def _relative(target: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(target.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive
        return str(target.resolve())


def run(args: argparse.Namespace) -> int:
    """Load, re-base, validate, write; print the new file's path. Returns the exit status."""
    from ..economics.rebase import rebase_scenario
    from ..inputs.bulletins import load_bulletin
    from ..inputs.scenario import load_scenario_with_region, write_scenario
    from ..reports.words.review_text import rebase_document

    src = Path(args.scenario)
    scenario, region = load_scenario_with_region(src)
    actuals_path = Path(args.actuals)
    if not actuals_path.is_file():
        raise InputError(actuals_path, "actuals", "file not found")
    actuals = load_bulletin(actuals_path, indicators=region.indicators)
    out = Path(args.output) if args.output else None
    folder = (out.parent if out is not None else src.parent).absolute()
    if not folder.is_dir():
        raise InputError("command line", "--output", f"folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError("command line", "--output", f"folder {folder} is not writable")
    rb = rebase_scenario(scenario, actuals, args.year, region, actuals_ref=_relative(actuals_path, folder),
                         source=str(actuals_path))
    if out is None:
        out = folder / f"{rb.data['name']}.yaml"
    if out.exists() and not args.force:
        raise InputError(out, None, "exists already; choose another --output or pass --force to replace it")
    data = rebase_document(rb, args.language, file_name=actuals_path.name, old_file=src.name)
    tmp = folder / f".{out.name}.{secrets.token_hex(4)}.tmp.yaml"
    try:
        write_scenario(tmp, data)
        from ..economics.projection import check_projection

        try:
            written, _ = load_scenario_with_region(tmp, {region.key: region})  # schema and every source
            check_projection(written)
        except InputError as exc:  # named as the file it would have become
            raise InputError(out, exc.field, exc.problem) from None
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    print(out.absolute(), flush=True)
    return EXIT_OK
