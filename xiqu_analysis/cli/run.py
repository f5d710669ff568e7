"""``xiqu run``: execute the report suite in parallel (see :mod:`xiqu_analysis.runner`).

Examples::

    xiqu run                                   # every scenarios/*.yaml + comparison + data audit
    xiqu run scenarios/baseline.yaml --jobs 2  # one scenario report (+ data audit)
    xiqu run --suite annual-review --year 2025 --actuals data/bulletins/xiqu_actuals.csv
    xiqu run --suite annual-review --year 2025 --final --target "gdp_nominal 200 by 2030"
    xiqu run --compare-with latest             # and a page of what changed since the last complete run
    xiqu run --formats html,pdf                # no Word version (default: html,docx,pdf)
    xiqu run --language zh --file-names zh     # 情景报告_<title>.docx, 年度评估_2024.pdf, ... (default: ASCII names)
    xiqu run --executor dask                   # on a Dask LocalCluster (127.0.0.1; the 'dask' extra)
    xiqu run --executor dask --scheduler tcp://HOST:8786   # on a Dask cluster (shared storage)

Every input is checked before a kernel starts (scenario files, data files,
notebooks and their parameters, the output folder); a bad one is reported on
one line with exit status 2 and nothing is created. A report whose inputs,
notebook, code and packages are unchanged since the latest complete run is
reused from it (``--fresh`` executes everything). The last line on stdout is
the absolute path of the run's ``index.html``; stderr gets one line. Exit
status: 0 every report ok, 1 some failed or timed out (or the run failed: a
full disk), 2 bad input, 130 interrupted (Ctrl-C, SIGTERM, SIGHUP).
"""
from __future__ import annotations

import argparse
import os
import re
import sys

from ..reports.words.locales import languages
from ..errors import InputError, Message
from .argtypes import open_interval, type_error, whole_number
from .words import CommandWords

_positive_int = whole_number(minimum=1)
_seconds = open_interval(0.0, what=Message("a number of seconds"))


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu run``."""
    from ..inputs.scenario import MAX_SEED
    from ..reports.parameters import MAX_PATHS, REVIEW_YEARS
    from ..runner.execute import DEFAULT_TIMEOUT_S
    from ..runner.render import FORMATS
    from ..runner.suites import DEFAULT_N_PATHS, FILE_NAMES

    w = CommandWords("run")
    p = subparsers.add_parser("run", help=w("help"), description=w.plain("description"), epilog=w.plain("epilog"))
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO.yaml", help=w("opt.scenarios"))
    p.add_argument("--jobs", "-j", type=_positive_int, default=None, metavar="N",
                   help=w("opt.jobs", cpus=os.cpu_count()))
    p.add_argument("--out", type=_folder, default=None, metavar="DIR", help=w("opt.out"))
    p.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT_S, metavar="S",
                   help=w("opt.timeout", default=f"{DEFAULT_TIMEOUT_S:g}"))
    p.add_argument("--seed", type=whole_number(0, MAX_SEED), default=None, metavar="S", help=w("opt.seed"))
    p.add_argument("--paths", type=whole_number(1, MAX_PATHS), default=DEFAULT_N_PATHS, metavar="N",
                   help=w("opt.paths", max=f"{MAX_PATHS:,}", default=f"{DEFAULT_N_PATHS:,}"))
    p.add_argument("--language", choices=languages(), default="en", help=w("opt.language"))
    p.add_argument("--suite", choices=("default", "annual-review"), default="default", help=w("opt.suite"))
    p.add_argument("--year", type=_year, default=None, metavar="YYYY",
                   help=w("opt.year", first=REVIEW_YEARS[0], last=REVIEW_YEARS[1]))
    p.add_argument("--formats", type=_formats, default=FORMATS, metavar="LIST",
                   help=w("opt.formats", formats=",".join(FORMATS)))
    p.add_argument("--file-names", choices=(FILE_NAMES, *languages()), default=FILE_NAMES, metavar="LANG",
                   help=w("opt.file_names", default=FILE_NAMES))
    p.add_argument("--docx-template", default=None, metavar="FILE.docx", help=w("opt.docx_template"))
    p.add_argument("--actuals", default=None, metavar="FILE", help=w("opt.actuals"))
    p.add_argument("--region", default=None, metavar="KEY", help=w("opt.region"))
    p.add_argument("--actuals-from", nargs="+", default=None, metavar="DOCUMENT", help=w("opt.actuals_from"))
    p.add_argument("--executor", choices=("local", "dask"), default="local", help=w("opt.executor"))
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT", help=w("opt.scheduler"))
    p.add_argument("--allow-empty", action="store_true", help=w("opt.allow_empty"))
    p.add_argument("--final", action="store_true", help=w("opt.final"))
    p.add_argument("--target", action="append", default=[], metavar="TARGET", dest="targets",
                   help=w("opt.target", examples="'gdp_real x2 from 2020 by 2035' or 'gdp_nominal 200 by 2030'"))
    p.add_argument("--compare-with", default=None, metavar="RUN", help=w("opt.compare_with"))
    p.add_argument("--fresh", action="store_true", help=w("opt.fresh"))
    return p


def _formats(text: str) -> tuple[str, ...]:
    from ..errors import InputError
    from ..runner.render import parse_formats

    try:
        return parse_formats(text)
    except InputError as exc:
        raise type_error(exc.message) from None


def _command_line(args: argparse.Namespace) -> list[str]:
    """The ``xiqu run`` command equivalent to ``args`` (recorded in the manifest)."""
    cmd = ["xiqu", "run", *([] if getattr(args, "region", None) else args.scenarios)]
    for opt, value in (("--jobs", args.jobs), ("--out", args.out), ("--timeout", args.timeout),
                       ("--seed", args.seed), ("--paths", args.paths), ("--language", args.language),
                       ("--suite", args.suite), ("--year", args.year),
                       ("--formats", ",".join(args.formats)), ("--docx-template", args.docx_template),
                       ("--file-names", None if getattr(args, "file_names", "ascii") == "ascii" else args.file_names),
                       ("--actuals", args.actuals), ("--compare-with", args.compare_with),
                       ("--executor", None if args.executor == "local" else args.executor),
                       ("--scheduler", args.scheduler)):
        if value is not None:
            cmd += [opt, f"{value:g}" if isinstance(value, float) else str(value)]
    if getattr(args, "actuals_from", None):
        cmd += ["--actuals-from", *args.actuals_from]
    if getattr(args, "region", None):
        cmd += ["--region", args.region]
    cmd += ["--allow-empty"] * bool(args.allow_empty) + ["--final"] * bool(args.final)
    for target in args.targets:
        cmd += ["--target", target]
    cmd += ["--fresh"] * bool(args.fresh)
    return cmd


def summary(result) -> str:
    """The one line ``xiqu run`` prints on stderr: the run, its status, and why or what was reused."""
    line = f"xiqu: run {result.run_id} {result.status}"
    if result.status == "complete":
        n = len(result.jobs)
        if result.reused:
            line += f": {n} report(s), {len(result.reused)} reused from " + \
                    ", ".join(sorted(set(result.reused.values())))
        return line
    bad = [f"{name} {status}" for name, status in result.jobs.items() if status != "ok"]
    line += f": {result.reason}" if result.reason else ""
    if bad and result.status == "failed" and "did not finish" in (result.reason or ""):
        line += f" ({'; '.join(bad)})"
    return line


def _year(text: str) -> int:
    """``--year``: a whole number within the review notebook's limits (its model's ``review_year``)."""
    from ..reports.parameters import REVIEW_YEARS

    value = whole_number()(text)
    if not REVIEW_YEARS[0] <= value <= REVIEW_YEARS[1]:
        raise type_error("must be a year from {first} to {last}, got {value}", first=REVIEW_YEARS[0],
                         last=REVIEW_YEARS[1], value=value)
    return value


def _folder(text: str) -> str:
    """``--out``: a folder name without control characters (a newline would split the run's record)."""
    bad = next((c for c in text if ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u2028\u2029"), None)
    if bad is not None:
        raise type_error("contains a control character (U+{code}); choose a folder name without one",
                         code=f"{ord(bad):04X}")
    if not text:
        raise type_error("is empty")
    return text


#: the review notebook's parameters that ``xiqu run`` sets from a flag: an error names the flag
_REVIEW_FLAGS = {"review_year": "--year", "final": "--final"}


def _naming_the_flag(exc: InputError) -> InputError:
    """An error of the review notebook's parameter that a flag sets, as an error of that flag; an error
    naming the option that runs the review regardless (its ``allow`` parameter) names ``--allow-empty``."""
    if exc.params.get("allow") == "allow_empty":
        return InputError(exc.source, exc.field, exc.template, **{**exc.params, "allow": "--allow-empty"})
    if str(exc.source or "").endswith("annual_review.ipynb") and exc.field in _REVIEW_FLAGS:
        problem = exc.message
        if "review_year" in problem.template:  # the flag's name, not the notebook parameter's
            problem = Message(re.sub(r"(?<![{\w])review_year(?![\w}!:])", "--year", problem.template), **problem.params)
        return InputError("command line", None, "argument {flag}: {problem} (see 'xiqu run --help')",
                          flag=_REVIEW_FLAGS[exc.field], problem=problem)
    return exc


def _region_scenarios(region: str, given: list[str]) -> list[str]:
    """The scenario files of ``data/regions/<region>/scenarios/`` (``--region``)."""
    from .. import config

    if given:
        raise InputError("command line", "--region", "give scenario files or --region, not both")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", region):
        raise InputError("command line", "--region", "{region!r} is not a region key (a-z, 0-9, _)", region=region)
    folder = config.data_dir() / "regions" / region / "scenarios"
    found = sorted(str(p) for p in folder.glob("*.yaml")) if folder.is_dir() else []
    if not found:
        raise InputError(folder, "--region", "no scenario of region {region!r} here (xiqu region init writes them)",
                         region=region)
    return found


def _plan(args: argparse.Namespace, loaded: dict, plan_suite):
    """The jobs of the suite ``args`` asks for (:func:`xiqu_analysis.runner.suites.plan_suite`)."""
    return plan_suite(
        args.scenarios or None,
        suite=args.suite,
        year=args.year,
        language=args.language,
        n_paths=args.paths,
        seed=args.seed,
        actuals=args.actuals,
        allow_empty=args.allow_empty,
        final=args.final,
        targets=args.targets,
        loaded=loaded,
        file_names=getattr(args, "file_names", "ascii"),
    )


def run(args: argparse.Namespace) -> int:
    """Plan, validate and execute the suite; print the index path last. Returns the exit status."""
    try:
        return _run(args)
    except InputError as exc:
        raise _naming_the_flag(exc) from None


def _run(args: argparse.Namespace) -> int:
    from ..runner.execute import run_jobs
    from ..runner.render import check_docx_template
    from ..runner.suites import plan_suite, run_workbook_name

    if args.scheduler is not None and args.executor != "dask":
        raise InputError("command line", None, "argument --scheduler: only applies with --executor dask "
                         "(see 'xiqu run --help')")
    check_docx_template(args.docx_template)  # before any scenario is loaded
    if getattr(args, "region", None):
        args.scenarios = _region_scenarios(args.region, args.scenarios)
    extracted = None
    fresh_extract = False
    if args.actuals_from:
        from .. import config
        from .extract import actuals_from

        if args.actuals:
            raise InputError("command line", "--actuals-from", "give --actuals or --actuals-from, not both")
        from pathlib import Path

        root = Path(args.out) if args.out else config.output_dir()
        created = [f for f in (root / "extracted", root) if not f.exists()]
        extracted, actuals_path, fresh_extract = actuals_from(args.actuals_from, config.DEFAULT_REGION, root,
                                                              args.language)
        args.actuals = str(actuals_path)
    loaded: dict = {}  # what plan_suite reads and checks, validate_jobs does not read again
    try:
        jobs = _plan(args, loaded, plan_suite)
    except InputError as exc:
        if extracted is None:
            raise
        if fresh_extract:  # bad input: nothing written
            import shutil

            shutil.rmtree(extracted, ignore_errors=True)
            for folder in created:
                try:
                    folder.rmdir()
                except OSError:
                    pass
        if str(exc.source) == str(args.actuals):
            raise InputError(" ".join(args.actuals_from), "--actuals-from",
                             "the figures extracted from it: {problem}", problem=_naming_the_flag(exc).message) from None
        raise
    earlier = None
    if args.compare_with:  # (the comparison reads tables with pandas, which a run needs for nothing else)
        from ..runner.compare import find_run

        earlier = find_run(args.compare_with, args.out, latest_may_be_missing=True)
    if args.compare_with and earlier is None:
        print("xiqu: no earlier complete run to compare with (latest): the run goes on without compare.html",
              file=sys.stderr)
    review = next((j for j in jobs if j.notebook.stem == "annual_review"), None)
    options = {
        "scenarios": [str(j.inputs[0]) for j in jobs if j.name.startswith("scenario_report-")],
        "suite": args.suite,
        "year": args.year,
        "language": args.language,
        "n_paths": args.paths,
        "seed": args.seed,
        "out": args.out,
        "file_names": getattr(args, "file_names", "ascii"),
    }
    if review is not None:
        options.update(actuals=review.parameters["actuals_path"] or "no actuals", allow_empty=args.allow_empty,
                       final=args.final, targets=list(args.targets), review=review.title)
    if earlier is not None:
        from ..reports.words.text import t

        options["compare_with"] = {"run": str(earlier), "page": "compare.html",
                                   "label": t("diff.index_link", args.language, run=earlier.name)}
    result = run_jobs(
        jobs,
        args.out,
        max_jobs=args.jobs,
        timeout=args.timeout,
        command=_command_line(args),
        options=options,
        formats=args.formats,
        docx_template=args.docx_template,
        fresh=args.fresh,
        loaded=loaded,
        executor=args.executor,
        scheduler=args.scheduler,
        workbook_name=run_workbook_name(getattr(args, "file_names", "ascii")),
    )
    if extracted is not None and getattr(result, "run_dir", None) is not None:
        import shutil

        try:  # the proposals beside the run that used them
            shutil.copytree(extracted, result.run_dir / "extracted", dirs_exist_ok=True)
        except OSError as exc:
            print(f"xiqu: the extracted proposals stay in {extracted}: {exc}", file=sys.stderr)
    if earlier is not None:
        from ..runner.compare import compare_runs, write_compare_page

        try:
            write_compare_page(result.run_dir / "compare.html", compare_runs(earlier, result.run_dir), args.language)
        except (OSError, InputError) as exc:  # the run itself is complete and recorded; only the page is missing
            print(f"xiqu: compare.html not written: {exc}", file=sys.stderr)
    try:  # after SIGHUP the terminal may be gone: the record is written, the exit status stands
        print(summary(result), file=sys.stderr, flush=True)
        print(result.index_path, flush=True)
    except OSError:
        pass
    return result.exit_code
