"""Benchmark: the default report suite with ``xiqu run --jobs <cores>`` vs plain sequential papermill.

One invocation measures both, on the same notebooks with the same parameters:

* **sequential**: every notebook of the default suite (one ``scenario_report``
  per ``scenarios/*.yaml``, ``scenario_comparison``, ``data_audit``) executed
  one after another with the plain ``papermill`` command line (subprocess), as
  a user without the runner would. papermill writes executed notebooks only.
* **parallel**: ``xiqu run --jobs <cores>``, which also validates every input
  first, renders every HTML report and writes index.html and manifest.json.

The headline ratio is parallel / sequential wall time (the issue's aim: 0.5 or
less on 2 cores); its inverse, the speed-up, is reported too. The runner does
more work than the sequential side (HTML, index, manifest), so the comparison
favours papermill.
Results go to ``bench/results/bench_suite-<UTC time>.json`` (git-ignored);
the figure and how to reproduce it are in ``bench/README.md``.

Usage::

    .venv/bin/python bench/bench_suite.py [--paths N] [--jobs N] [--order seq-first|par-first]
"""
from __future__ import annotations

import argparse
import json
import resource
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else (shutil.which(name) or name)


def _children_cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def sequential_papermill(jobs, work: Path) -> tuple[float, dict[str, int]]:
    """Execute ``jobs`` one after another with the ``papermill`` CLI; return (seconds, exit codes)."""
    codes = {}
    t0 = time.perf_counter()
    for job in jobs:
        out_dir = work / job.name
        out_dir.mkdir(parents=True)
        params = dict(job.parameters, output_dir=str(out_dir))
        pfile = work / f"{job.name}.params.json"  # JSON is YAML: no -p type guessing
        pfile.write_text(json.dumps(params), encoding="utf-8")
        res = subprocess.run(
            [_tool("papermill"), str(job.notebook), str(out_dir / job.notebook.name),
             "-f", str(pfile), "-k", "python3", "--no-progress-bar"],
            cwd=out_dir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        codes[job.name] = res.returncode
        if res.returncode:
            print(f"papermill {job.name}: exit {res.returncode}\n{res.stderr[-2000:]}", file=sys.stderr)
    return time.perf_counter() - t0, codes


def parallel_xiqu(scenarios, jobs_n: int, n_paths: int | None, out: Path) -> tuple[float, int, str]:
    """``xiqu run --jobs jobs_n`` over ``scenarios``; return (seconds, exit code, index path)."""
    cmd = [_tool("xiqu"), "run", *map(str, scenarios), "--jobs", str(jobs_n), "--out", str(out)]
    if n_paths is not None:
        cmd += ["--paths", str(n_paths)]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t0
    if res.returncode:
        print(f"xiqu run: exit {res.returncode}\n{res.stderr[-2000:]}", file=sys.stderr)
    return seconds, res.returncode, res.stdout.strip().splitlines()[-1] if res.stdout.strip() else ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--paths", type=int, default=None,
                    help="Monte Carlo paths per scenario (default: xiqu run's default)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel notebooks (default: cores)")
    ap.add_argument("--order", choices=("seq-first", "par-first"), default="seq-first")
    ap.add_argument("--keep", action="store_true", help="keep the outputs (printed)")
    # arguments meant for other benchmarks (bench/run_all.py passes the same to all) are ignored
    args, _ = ap.parse_known_args(argv)

    sys.path.insert(0, str(ROOT))
    from xiqu_analysis import config
    from xiqu_analysis.runner.suites import DEFAULT_N_PATHS, plan_suite

    scenarios = sorted(config.scenario_dir().glob("*.yaml"))
    n_paths = args.paths if args.paths is not None else DEFAULT_N_PATHS
    jobs = plan_suite(scenarios, n_paths=n_paths)
    notebooks_exist = {j.notebook.stem: j.notebook.is_file() for j in jobs}
    work = Path(tempfile.mkdtemp(prefix="xiqu-bench-"))
    load_before = os.getloadavg()
    timings, cpu = {}, {}

    def measure(key, fn, *a):
        c0 = _children_cpu_s()  # CPU of finished children (workers and kernels are reaped)
        timings[key] = fn(*a)
        cpu[key] = round(_children_cpu_s() - c0, 1)

    if args.order == "seq-first":
        measure("sequential", sequential_papermill, jobs, work / "papermill")
        measure("parallel", parallel_xiqu, scenarios, args.jobs, args.paths, work / "xiqu")
    else:
        measure("parallel", parallel_xiqu, scenarios, args.jobs, args.paths, work / "xiqu")
        measure("sequential", sequential_papermill, jobs, work / "papermill")
    load_after = os.getloadavg()
    seq_s, seq_codes = timings["sequential"]
    par_s, par_code, index = timings["parallel"]
    result = {
        "benchmark": "bench_suite",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "jobs": args.jobs,
        "n_paths": n_paths,
        "notebooks": [j.name for j in jobs],
        "notebook_files_exist": notebooks_exist,
        "sequential_papermill_s": round(seq_s, 2),
        "sequential_exit_codes": seq_codes,
        "parallel_xiqu_run_s": round(par_s, 2),
        "parallel_exit_code": par_code,
        "ratio_parallel_over_sequential": round(par_s / seq_s, 3) if seq_s else None,
        "speedup_sequential_over_parallel": round(seq_s / par_s, 3) if par_s else None,
        "cpu_s_sequential_children": cpu["sequential"],
        "cpu_s_parallel_children": cpu["parallel"],
        "order": args.order,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"bench_suite-{stamp}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(f"{len(jobs)} notebooks, {os.cpu_count()} cores: sequential papermill {seq_s:.1f} s, "
          f"xiqu run --jobs {args.jobs} {par_s:.1f} s, ratio parallel/sequential {par_s / seq_s:.2f} "
          f"(speed-up {seq_s / par_s:.2f}x) -> {path}")
    if args.keep:
        print(f"outputs kept in {work} (index: {index})")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if par_code == 0 and not any(seq_codes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
