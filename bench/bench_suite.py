"""Benchmark: ``xiqu run`` against plain papermill + nbconvert one by one; reuse; scaling with the scenario count.

One invocation measures, on the same notebooks with the same parameters:

* **baseline**: every notebook of the default suite (one ``scenario_report``
  per ``scenarios/*.yaml``, ``scenario_comparison``, ``data_audit``) executed
  one after another with the plain ``papermill`` command line, each followed
  by ``jupyter nbconvert --to html --no-input`` (subprocesses), as a user
  without the runner would make the same reports.
* **cold**: ``xiqu run --fresh --jobs <cores> --formats html`` (validation of
  every input, warm workers, HTML, index, manifest; the same HTML reports as
  the baseline, no Word or PDF versions: ``bench_formats.py`` measures those). The headline figure is cold /
  baseline wall time (aim: 0.25 or less).
* **cold, default formats** (``--formats html,docx,pdf``): the same cold run
  with the Word and PDF versions the default suite makes, against the same
  HTML-only baseline (aim: 0.33 or less).
* **rerun**: ``xiqu run --jobs <cores>`` again with nothing changed: every
  report is reused from the cold run. Figure: rerun / cold (aim: under 0.10).
* **forked or not** (``--fork-pairs N``): N more pairs of cold runs, one
  with the kernels forked from each worker's kernel template (the default),
  one with ``XIQU_FORK_KERNELS=0`` (every kernel a new ``python -m
  ipykernel_launcher``), in alternating order; the medians of each side.
* **CPU**: the CPU seconds of each side's processes (papermill, nbconvert and
  their kernels; the runner, its workers and their kernels): on an idle
  machine the cold/baseline wall ratio tends to this CPU ratio divided by the
  parallel jobs, whatever the load was when the wall times were taken.
* **scaling**: cold runs over 1, 4, 16 and 64 scenarios (copies of the
  shipped ones under new names, same numbers): wall time and the peak memory
  of the run's whole process tree (runner, workers, kernels; RSS summed,
  sampled every 0.1 s, so shared pages count more than once: an upper bound).

The order of the baseline and the cold run alternates with ``--order``; the
machine's load average is recorded before and after. Results go to
``bench/results/bench_suite-<UTC time>.json`` (git-ignored); the figures and
the command are in ``bench/README.md``.

Usage::

    .venv/bin/python bench/bench_suite.py [--paths N] [--jobs N] [--order base-first|cold-first]
                                          [--scaling 1,4,16,64 | --scaling none] [--fork-pairs N]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else (shutil.which(name) or name)


class PeakMemory:
    """Peak of the summed RSS of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int, every_s: float = 0.1):
        self.pid, self.every_s, self.peak = pid, every_s, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            for p in procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.every_s)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _children_cpu_s() -> float:
    """CPU seconds of every finished child process (and, through them, of theirs: workers, kernels)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def baseline(jobs, work: Path) -> tuple[float, dict[str, int]]:
    """Each job with the ``papermill`` CLI, then ``jupyter nbconvert --to html --no-input``; one by one."""
    codes = {}
    t0 = time.perf_counter()
    for job in jobs:
        out_dir = work / job.name
        out_dir.mkdir(parents=True)
        pfile = work / f"{job.name}.params.json"  # JSON is YAML: no -p type guessing
        pfile.write_text(json.dumps(dict(job.parameters, output_dir=str(out_dir))), encoding="utf-8")
        executed = out_dir / job.notebook.name
        res = subprocess.run([_tool("papermill"), str(job.notebook), str(executed), "-f", str(pfile),
                              "-k", "python3", "--no-progress-bar"],
                             cwd=out_dir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if res.returncode == 0:
            res = subprocess.run([_tool("jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                                 cwd=out_dir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        codes[job.name] = res.returncode
        if res.returncode:
            print(f"baseline {job.name}: exit {res.returncode}\n{res.stderr[-2000:]}", file=sys.stderr)
    return time.perf_counter() - t0, codes


def xiqu_run(scenarios, out: Path, jobs_n: int, n_paths: int | None, fresh: bool, env: dict | None = None,
             formats: str = "html") -> dict:
    """``xiqu run`` over ``scenarios``; wall time, exit code, peak memory, reused count."""
    # HTML only by default, as the baseline makes (--formats html,docx,pdf: the default suite's own formats)
    cmd = [_tool("xiqu"), "run", *map(str, scenarios), "--jobs", str(jobs_n), "--out", str(out), "--formats", formats]
    if n_paths is not None:
        cmd += ["--paths", str(n_paths)]
    if fresh:
        cmd.append("--fresh")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=None if env is None else dict(os.environ, **env))
    mem = PeakMemory(proc.pid)
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - t0
    peak = mem.stop()
    if proc.returncode:
        print(f"xiqu run: exit {proc.returncode}\n{stderr[-2000:]}", file=sys.stderr)
    index = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    reused = n = None
    if index:
        manifest = json.loads((Path(index).parent / "manifest.json").read_text(encoding="utf-8"))
        n = len(manifest["notebooks"])
        reused = sum(1 for e in manifest["notebooks"].values() if e.get("reused_from"))
    return {"s": round(seconds, 2), "exit": proc.returncode, "peak_rss_mb": round(peak / 2**20, 1),
            "notebooks": n, "reused": reused, "stderr": stderr.strip()}


def scenario_copies(n: int, folder: Path) -> list[Path]:
    """``n`` scenario files: the shipped ones in turn, each under a new name (same numbers)."""
    shipped = sorted((ROOT / "scenarios").glob("*.yaml"))
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = shipped[i % len(shipped)]
        text = src.read_text(encoding="utf-8").replace(f"name: {src.stem}", f"name: s{i:02d}_{src.stem}", 1)
        path = folder / f"s{i:02d}_{src.stem}.yaml"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--paths", type=int, default=None, help="Monte Carlo paths per scenario (default: xiqu run's)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel notebooks (default: cores)")
    ap.add_argument("--order", choices=("base-first", "cold-first"), default="base-first")
    ap.add_argument("--scaling", default="1,4,16,64", help="scenario counts of the scaling table, or 'none'")
    ap.add_argument("--keep", action="store_true", help="keep the outputs (printed)")
    ap.add_argument("--formats", default="html",
                    help="formats of the cold run and the rerun (default html, as the baseline; html,docx,pdf: the "
                         "default formats against the same HTML-only baseline)")
    ap.add_argument("--fork-pairs", type=int, default=0,
                    help="N more pairs of cold runs, kernels forked and XIQU_FORK_KERNELS=0, in alternating order")
    # arguments meant for other benchmarks (bench/run_all.py passes the same to all) are ignored
    args, _ = ap.parse_known_args(argv)

    sys.path.insert(0, str(ROOT))
    from xiqu_analysis import config
    from xiqu_analysis.runner.suites import DEFAULT_N_PATHS, plan_suite

    scenarios = sorted(config.scenario_dir().glob("*.yaml"))
    n_paths = args.paths if args.paths is not None else DEFAULT_N_PATHS
    jobs = plan_suite(scenarios, n_paths=n_paths)
    work = Path(tempfile.mkdtemp(prefix="xiqu-bench-"))
    load_before = os.getloadavg()
    t, cpu = {}, {}

    def measure(key, fn, *a, **kw):
        c0 = _children_cpu_s()
        t[key] = fn(*a, **kw)
        cpu[key] = round(_children_cpu_s() - c0, 1)

    if args.order == "base-first":
        measure("baseline", baseline, jobs, work / "baseline")
        measure("cold", xiqu_run, scenarios, work / "xiqu", args.jobs, args.paths, fresh=True, formats=args.formats)
    else:
        measure("cold", xiqu_run, scenarios, work / "xiqu", args.jobs, args.paths, fresh=True, formats=args.formats)
        measure("baseline", baseline, jobs, work / "baseline")
    pairs = []
    for i in range(args.fork_pairs):  # forked first in even pairs, plain first in odd ones: drift cancels out
        ways = [("forked", None), ("fork_off", {"XIQU_FORK_KERNELS": "0"})]
        for way, env in ways if i % 2 == 0 else ways[::-1]:
            c0 = _children_cpu_s()
            row = xiqu_run(scenarios, work / f"pair-{i}-{way}", args.jobs, args.paths, fresh=True, env=env)
            row.update(way=way, pair=i, cpu_s=round(_children_cpu_s() - c0, 1), stderr=None)
            pairs.append(row)
    fork = {way: {"median_s": statistics.median(r["s"] for r in pairs if r["way"] == way),
                  "median_cpu_s": statistics.median(r["cpu_s"] for r in pairs if r["way"] == way)}
            for way in ("forked", "fork_off")} if pairs else None
    measure("rerun", xiqu_run, scenarios, work / "xiqu", args.jobs, args.paths, fresh=False, formats=args.formats)
    load_after = os.getloadavg()
    base_s, base_codes = t["baseline"]
    cold, rerun = t["cold"], t["rerun"]
    scaling = []
    if args.scaling != "none":
        for n in [int(x) for x in args.scaling.split(",")]:
            files = scenario_copies(n, work / f"scaling-{n}")
            row = xiqu_run(files, work / f"scaling-out-{n}", args.jobs, args.paths, fresh=True)
            row.update(scenarios=n, load_average=round(os.getloadavg()[0], 2))
            scaling.append(row)
            print(f"scaling {n:>3} scenarios: {row['notebooks']} notebooks, {row['s']:.1f} s, "
                  f"peak {row['peak_rss_mb']:.0f} MB, exit {row['exit']}", flush=True)
    result = {
        "benchmark": "bench_suite",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "jobs": args.jobs,
        "n_paths": n_paths,
        "formats": args.formats,
        "notebooks": [j.name for j in jobs],
        "baseline_papermill_nbconvert_s": round(base_s, 2),
        "baseline_exit_codes": base_codes,
        "cold_xiqu_run": cold,
        "rerun_xiqu_run": rerun,
        "ratio_cold_over_baseline": round(cold["s"] / base_s, 3),
        "ratio_rerun_over_cold": round(rerun["s"] / cold["s"], 3),
        "cpu_s": cpu,
        "ratio_cpu_cold_over_baseline": round(cpu["cold"] / cpu["baseline"], 3) if cpu["baseline"] else None,
        "scaling": scaling,
        "fork_pairs": pairs,
        "fork_pairs_median": fork,
        "order": args.order,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"bench_suite-{stamp}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"{len(jobs)} notebooks, {os.cpu_count()} cores, load {load_before[0]:.1f}: "
          f"papermill + nbconvert one by one {base_s:.1f} s; xiqu run --jobs {args.jobs} (cold) {cold['s']:.1f} s, "
          f"ratio {cold['s'] / base_s:.2f} (CPU s {cpu['baseline']} / {cpu['cold']}); rerun with nothing changed {rerun['s']:.1f} s "
          f"({rerun['reused']} of {rerun['notebooks']} reused), {100 * rerun['s'] / cold['s']:.1f} % of the cold run "
          f"-> {path}")
    if fork:
        f, o = fork["forked"], fork["fork_off"]
        print(f"{args.fork_pairs} pair(s) of cold runs, median: kernels forked {f['median_s']:.1f} s, "
              f"{f['median_cpu_s']:.1f} CPU s; XIQU_FORK_KERNELS=0 {o['median_s']:.1f} s, {o['median_cpu_s']:.1f} CPU s")
    if args.keep:
        print(f"outputs kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    ok = cold["exit"] == 0 and rerun["exit"] == 0 and not any(base_codes.values()) and \
        all(r["exit"] == 0 for r in pairs) and \
        all(r["exit"] == 0 for r in scaling)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
