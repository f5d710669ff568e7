"""``xiqu actuals merge PROPOSALS --into FILE``: accepted figures of ``xiqu extract`` into an actuals file.

The rows of PROPOSALS (a proposals CSV of ``xiqu extract``) whose ``status``
is ``accepted`` and that an actuals file can hold (annual figures of registry
indicators, actual or preliminary) are added to FILE (the CSV ``xiqu run
--actuals`` reads; created when missing), each with its quote and location as
its source (:mod:`xiqu_analysis.inputs.extract.merge`). Merging the same
proposals again adds nothing. A value that differs from one already in FILE
(or from another accepted row) for the same region, indicator and year stops
the command with one line naming both sources (exit 2) and FILE is not touched.
"""
from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK, InputError
from .words import CommandWords

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu actuals`` and its sub-command ``merge``."""
    w = CommandWords("actuals")
    p = subparsers.add_parser("actuals", help=w("help"), description=w.plain("description"), epilog=w.plain("epilog"))
    sub = p.add_subparsers(dest="actuals_command", metavar="ACTION", parser_class=type(p))
    sub.required = True
    m = sub.add_parser("merge", help=w("merge.help"), description=w.plain("merge.description"))
    m.add_argument("proposals", metavar="PROPOSALS", help=w("merge.opt.proposals"))
    m.add_argument("--into", required=True, metavar="FILE", help=w("merge.opt.into"))
    return p


def run(args: argparse.Namespace) -> int:
    """Merge, validate the result as an actuals file, then write it. Returns the exit status."""
    import tempfile
    from pathlib import Path

    from ..fileio import atomic_write_text
    from ..inputs.bulletins import load_bulletin
    from ..inputs.extract.merge import merge_actuals
    from .project import check_output_path

    into = check_output_path(args.into)
    text, added = merge_actuals(args.proposals, into)
    if added == 0:
        print(f"xiqu actuals merge: nothing to add to {into} (no accepted row that is not already there)",
              file=sys.stderr)
        return EXIT_OK
    with tempfile.TemporaryDirectory() as tmp:
        check = Path(tmp) / into.name
        check.write_text(text, encoding="utf-8")
        try:
            load_bulletin(check)
        except InputError as exc:
            raise InputError(into, None, "the merged file would not be valid: {problem}", problem=exc.message) from None
    atomic_write_text(into, text)
    print(f"xiqu actuals merge: {added} row(s) added to {into}", file=sys.stderr)
    return EXIT_OK
