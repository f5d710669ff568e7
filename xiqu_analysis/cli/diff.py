"""``xiqu diff RUN_A RUN_B``: what changed between two runs of ``xiqu run``.

RUN_A and RUN_B are run folders (``outputs/<run-id>``), run ids under
``--out`` (default ``outputs/``) or ``latest``. Prints the reports and their
status, the data and scenario files whose hashes differ, the options,
parameters and package versions that differ, and every headline result and
target probability that changed (:mod:`xiqu_analysis.runner.compare`);
``--html FILE`` also writes the page ``xiqu run --compare-with`` adds to a run.
"""
from __future__ import annotations

import argparse

from ..reports.words.locales import languages
from ..errors import EXIT_OK
from .words import CommandWords

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu diff``."""
    w = CommandWords("diff")
    p = subparsers.add_parser("diff", help=w("help"), description=w.plain("description"), epilog=w.plain("epilog"))
    p.add_argument("run_a", metavar="RUN_A", help=w("opt.run_a"))
    p.add_argument("run_b", metavar="RUN_B", help=w("opt.run_b"))
    p.add_argument("--out", default=None, metavar="DIR", help=w("opt.out"))
    p.add_argument("--language", choices=languages(), default="en", help=w("opt.language"))
    p.add_argument("--html", default=None, metavar="FILE", help=w("opt.html"))
    return p


def run(args: argparse.Namespace) -> int:
    """Find both runs, compare, print (and write the page). Returns the exit status."""
    from pathlib import Path

    from ..runner.compare import compare_runs, diff_text, find_run, write_compare_page
    from .project import check_output_path

    html = check_output_path(args.html) if args.html else None
    a = find_run(args.run_a, args.out, field="RUN_A")
    b = find_run(args.run_b, args.out, field="RUN_B")
    diff = compare_runs(a, b)
    print(diff_text(diff, args.language), end="", flush=True)
    if html is not None:
        write_compare_page(Path(html), diff, args.language)
    return EXIT_OK
