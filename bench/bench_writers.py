"""Benchmark: the CPU seconds of the Word and PDF writers, in one process, report by report.

One invocation makes the default suite's report folders once (``xiqu run --formats
html``, Chinese, or takes ``--run DIR``, a run folder), then renders every report's
DOCX (``docx_bytes``) and PDF (``pdf_bytes``) ``--rounds`` times in this process,
after one warm-up round (imports, fonts), and reports the CPU seconds of each
format for all the reports, minimum and median over the rounds. With ``--base
REV`` it also loads the writer modules of the git revision REV (``pdf_writer``,
``docx_writer``, ``docx_tables``, ``docx_styles`` as they were there) beside
the working tree's and times both in alternating order, so a shared, busy
machine slows both sides alike. The load average is recorded; results go to
``bench/results/bench_writers-<UTC time>.json`` (git-ignored).

Usage::

    .venv/bin/python bench/bench_writers.py [--run DIR] [--rounds N] [--base REV]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

from record import write_result

ROOT = Path(__file__).resolve().parent.parent
XIQU = str(Path(sys.executable).parent / "xiqu")
PACKAGE = "xiqu_analysis.reports.formats"


def _report_folders(run: Path | None, keep: Path) -> list[Path]:
    if run is None:
        proc = subprocess.run([XIQU, "run", "--language", "zh", "--formats", "html", "--out", str(keep)],
                              capture_output=True, text=True, cwd=ROOT)
        if proc.returncode:
            raise SystemExit(f"xiqu run failed ({proc.returncode}): {proc.stderr[-2000:]}")
        run = Path(proc.stdout.strip().splitlines()[-1]).parent
    return sorted(p for p in run.iterdir() if (p / "document.json").is_file())


def _module_at(rev: str, name: str, *deps: types.ModuleType) -> types.ModuleType:
    """The module ``formats/<name>.py`` as it is at ``rev``; the public names it imports from the modules
    ``deps`` (modules of the same revision) are theirs, not the working tree's."""
    source = subprocess.run(["git", "show", f"{rev}:xiqu_analysis/reports/formats/{name}.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    module = types.ModuleType(f"{PACKAGE}.{name}@{rev}")
    module.__package__ = PACKAGE
    exec(compile(source, f"{name}.py@{rev}", "exec"), module.__dict__)  # noqa: S102 - the project's own code
    for dep in deps:
        for attr in getattr(dep, "__all__", []):
            if attr in module.__dict__:
                module.__dict__[attr] = dep.__dict__[attr]
    return module


def _writers_at(rev: str) -> dict[str, object]:
    """``{"docx": docx_bytes, "pdf": pdf_bytes}`` of revision ``rev`` (with its styles and tables modules)."""
    styles = _module_at(rev, "docx_styles")
    tables = _module_at(rev, "docx_tables", styles)
    docx = _module_at(rev, "docx_writer", styles, tables)
    pdf = _module_at(rev, "pdf_writer")
    return {"docx": docx.docx_bytes, "pdf": pdf.pdf_bytes}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--run", type=Path, help="a run folder (default: a new zh run, HTML only)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--base", help="a git revision whose writers are timed beside the working tree's")
    args = ap.parse_args(argv)

    from xiqu_analysis.reports.formats.docx_writer import docx_bytes
    from xiqu_analysis.reports.formats.document import load_document
    from xiqu_analysis.reports.formats.pdf_writer import pdf_bytes

    sides = {"now": {"docx": docx_bytes, "pdf": pdf_bytes}}
    if args.base:
        sides[args.base] = _writers_at(args.base)
    with tempfile.TemporaryDirectory(prefix="bench-writers-") as tmp:
        folders = _report_folders(args.run, Path(tmp))
        documents = [(f, load_document(f)) for f in folders]
        load_before = os.getloadavg()
        times: dict[str, dict[str, list[float]]] = {s: {"docx": [], "pdf": []} for s in sides}
        for n in range(args.rounds + 1):
            for side, writers in sides.items():
                for fmt, write in writers.items():
                    cpu = time.process_time()
                    for folder, document in documents:
                        write(document, folder)
                    if n:  # the first round warms up
                        times[side][fmt].append(time.process_time() - cpu)
        load_after = os.getloadavg()
    result = {
        "reports": [f.name for f in folders],
        "rounds": args.rounds,
        "cpu_s_all_reports": {side: {fmt: {"min": round(min(xs), 2), "median": round(statistics.median(xs), 2)}
                                     for fmt, xs in fmts.items()} for side, fmts in times.items()},
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "python": platform.python_version(),
    }
    path = write_result("bench_writers", result)
    for side, fmts in result["cpu_s_all_reports"].items():
        print(f"{side}: " + "; ".join(f"{fmt} {v['median']:.2f} CPU s (min {v['min']:.2f})" for fmt, v in fmts.items())
              + f" for {len(folders)} reports")
    print(f"load {load_before[0]:.1f} -> {load_after[0]:.1f}; {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
