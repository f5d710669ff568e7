"""``xiqu run``: execute the report suite in parallel (see :mod:`xiqu_analysis.runner`).

Examples::

    xiqu run                                   # every scenarios/*.yaml + comparison + data audit
    xiqu run scenarios/baseline.yaml --jobs 2  # one scenario report (+ data audit)
    xiqu run --suite annual-review --year 2025
    xiqu run --formats html,pdf                # no Word version (default: html,docx,pdf)

Every input is checked before a kernel starts (scenario files, notebooks and
their parameters, the output folder); a bad one is reported on one line with
exit status 2 and nothing is created. The last line on stdout is the absolute
path of the run's ``index.html``. Exit status: 0 every report ok, 1 some
failed or timed out, 2 bad input, 130 interrupted (Ctrl-C / SIGTERM).
"""
from __future__ import annotations

import argparse
import os
import sys

from .argtypes import open_interval, whole_number

_positive_int = whole_number(minimum=1)
_non_negative_int = whole_number(minimum=0)
_seconds = open_interval(0.0, what="a number of seconds")


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu run``."""
    from ..runner.execute import DEFAULT_TIMEOUT_S
    from ..runner.render import FORMATS
    from ..runner.suites import DEFAULT_N_PATHS

    p = subparsers.add_parser(
        "run",
        help="run the report notebooks in parallel (HTML reports, tables, index, manifest)",
        description="Execute the report suite with papermill in parallel processes: one "
        "scenario_report per scenario, a scenario_comparison over all of them and the "
        "data_audit (plus annual_review with --suite annual-review). Writes "
        "OUT/<run-id>/ with every report in HTML, Word (DOCX) and PDF, CSV/XLSX tables, "
        "PNG figures, one workbook of every table (tables.xlsx), index.html and manifest.json, "
        "and prints the path of index.html.",
        epilog="Exit codes: 0 all reports ok; 1 some failed or timed out; 2 bad input "
        "(nothing ran); 130 interrupted.",
    )
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO.yaml",
                   help="scenario files (default: every *.yaml in the scenario folder)")
    p.add_argument("--jobs", "-j", type=_positive_int, default=None, metavar="N",
                   help=f"notebooks executed at once (default: CPU count, here {os.cpu_count()})")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="folder of run folders (default: outputs/ or $XIQU_OUTPUT_DIR)")
    p.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT_S, metavar="S",
                   help=f"wall-clock limit per notebook in seconds (default {DEFAULT_TIMEOUT_S:g})")
    p.add_argument("--seed", type=_non_negative_int, default=None, metavar="S",
                   help="random seed of every scenario report (default: each scenario's "
                   "uncertainty.seed)")
    p.add_argument("--paths", type=_positive_int, default=DEFAULT_N_PATHS, metavar="N",
                   help=f"Monte Carlo paths per scenario (default {DEFAULT_N_PATHS})")
    p.add_argument("--language", choices=("en", "zh"), default="en", help="report language")
    p.add_argument("--suite", choices=("default", "annual-review"), default="default",
                   help="annual-review adds the annual review (needs --year) to the default suite")
    p.add_argument("--year", type=int, default=None, metavar="YYYY",
                   help="review year for --suite annual-review")
    p.add_argument("--formats", type=_formats, default=FORMATS, metavar="LIST",
                   help=f"versions of each report, comma-separated from {','.join(FORMATS)} "
                   f"(default: all; DOCX and PDF are made from what the report records)")
    p.add_argument("--docx-template", default=None, metavar="FILE.docx",
                   help="Word file whose styles, fonts and page set-up the DOCX reports use "
                   "(default: A4, 宋体/黑体 for Chinese)")
    return p


def _formats(text: str) -> tuple[str, ...]:
    from ..errors import InputError
    from ..runner.render import parse_formats

    try:
        return parse_formats(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.problem) from None


def _command_line(args: argparse.Namespace) -> list[str]:
    """The ``xiqu run`` command equivalent to ``args`` (recorded in the manifest)."""
    cmd = ["xiqu", "run", *args.scenarios]
    for opt, value in (("--jobs", args.jobs), ("--out", args.out), ("--timeout", args.timeout),
                       ("--seed", args.seed), ("--paths", args.paths), ("--language", args.language),
                       ("--suite", args.suite), ("--year", args.year),
                       ("--formats", ",".join(args.formats)), ("--docx-template", args.docx_template)):
        if value is not None:
            cmd += [opt, f"{value:g}" if isinstance(value, float) else str(value)]
    return cmd


def run(args: argparse.Namespace) -> int:
    """Plan, validate and execute the suite; print the index path last. Returns the exit status."""
    from ..runner.execute import run_jobs
    from ..runner.render import check_docx_template
    from ..runner.suites import plan_suite

    check_docx_template(args.docx_template)  # before any scenario is loaded
    jobs = plan_suite(
        args.scenarios or None,
        suite=args.suite,
        year=args.year,
        language=args.language,
        n_paths=args.paths,
        seed=args.seed,
    )
    options = {
        "scenarios": [str(j.inputs[0]) for j in jobs if j.name.startswith("scenario_report-")],
        "suite": args.suite,
        "year": args.year,
        "language": args.language,
        "n_paths": args.paths,
        "seed": args.seed,
        "out": args.out,
    }
    result = run_jobs(
        jobs,
        args.out,
        max_jobs=args.jobs,
        timeout=args.timeout,
        command=_command_line(args),
        options=options,
        formats=args.formats,
        docx_template=args.docx_template,
    )
    for name, status in result.jobs.items():
        if status != "ok":
            print(f"xiqu: {name}: {status}", file=sys.stderr)
    print(f"xiqu: run {result.run_id} {result.status}", file=sys.stderr)
    print(result.index_path, flush=True)
    return result.exit_code
