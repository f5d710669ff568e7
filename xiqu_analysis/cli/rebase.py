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
from .words import CommandWords

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu rebase``."""
    w = CommandWords("rebase")
    p = subparsers.add_parser("rebase", help=w("help"), description=w.plain("description"), epilog=w.plain("epilog"))
    p.add_argument("scenario", metavar="SCENARIO.yaml", help=w("opt.scenario"))
    p.add_argument("--actuals", required=True, metavar="FILE", help=w("opt.actuals"))
    p.add_argument("--year", required=True, type=int, metavar="YYYY", help=w("opt.year"))
    p.add_argument("--output", metavar="FILE", default=None, help=w("opt.output"))
    p.add_argument("--force", action="store_true", help=w("opt.force"))
    p.add_argument("--language", choices=languages(), default="en", help=w("opt.language"))
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
        raise InputError("command line", "--output", "folder {folder} does not exist", folder=folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError("command line", "--output", "folder {folder} is not writable", folder=folder)
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
            raise InputError(out, exc.field, exc.message) from None
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    print(out.absolute(), flush=True)
    return EXIT_OK
