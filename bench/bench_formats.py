"""Benchmark: what the Word and PDF versions add to ``xiqu run``.

One invocation runs the default suite twice, in Chinese, with the same
parameters: ``xiqu run --formats html`` (the baseline: HTML pages, CSV and
workbooks) and ``xiqu run`` (HTML, DOCX and PDF for every report). It
reports both wall times, their ratio (all formats / html only), the CPU
seconds of each side's child processes, the seconds each report's worker
spent on its Word and PDF versions (from the job logs) and the machine's load
average. Results go to ``bench/results/bench_formats-<UTC time>.json``
(git-ignored); the figures are in ``bench/README.md``.

Usage::

    .venv/bin/python bench/bench_formats.py [--paths N] [--jobs N] [--order html-first|all-first]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
XIQU = str(Path(sys.executable).parent / "xiqu")
RENDER_LOG = re.compile(r"Word/PDF versions written in ([0-9.]+) s")


def _children_cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def one_run(out: Path, formats: str, paths: int, jobs: int) -> dict:
    cpu0, t0 = _children_cpu_s(), time.perf_counter()
    proc = subprocess.run([XIQU, "run", "--language", "zh", "--formats", formats, "--paths", str(paths),
                           "--jobs", str(jobs), "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    wall, cpu = time.perf_counter() - t0, _children_cpu_s() - cpu0
    if proc.returncode:
        raise SystemExit(f"xiqu run --formats {formats} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    run_dir = Path(proc.stdout.strip().splitlines()[-1]).parent
    render = {}
    for log in sorted(run_dir.glob("*/job.log")):
        found = RENDER_LOG.findall(log.read_text(encoding="utf-8", errors="replace"))
        if found:
            render[log.parent.name] = float(found[-1])
    return {"formats": formats, "wall_s": round(wall, 2), "children_cpu_s": round(cpu, 2),
            "render_s_per_report": render}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--paths", type=int, default=10_000, help="Monte Carlo paths per scenario report")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--order", choices=("html-first", "all-first"), default="html-first")
    args, _ = ap.parse_known_args(argv)
    order = ["html", "html,docx,pdf"] if args.order == "html-first" else ["html,docx,pdf", "html"]
    load_before = os.getloadavg()
    runs = {}
    with tempfile.TemporaryDirectory(prefix="bench_formats-") as tmp:
        for formats in order:
            runs[formats] = one_run(Path(tmp) / formats.replace(",", "_"), formats, args.paths, args.jobs)
    base, full = runs["html"], runs["html,docx,pdf"]
    result = {
        "benchmark": "bench_formats",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpu_count": os.cpu_count(), "python": platform.python_version(), "system": platform.system(),
                    "load_avg_before": load_before, "load_avg_after": os.getloadavg()},
        "parameters": {"paths": args.paths, "jobs": args.jobs, "order": args.order, "language": "zh"},
        "html_only": base,
        "all_formats": full,
        "ratio_wall_all_over_html": round(full["wall_s"] / base["wall_s"], 3),
        "added_wall_s": round(full["wall_s"] - base["wall_s"], 2),
        "added_children_cpu_s": round(full["children_cpu_s"] - base["children_cpu_s"], 2),
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"bench_formats-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
