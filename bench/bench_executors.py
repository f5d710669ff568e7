"""The Dask executor (a LocalCluster on 127.0.0.1) against the local warm pool, on the same suite.

One invocation runs ``xiqu run --fresh --formats html --jobs N`` with
``--executor local`` and ``--executor dask`` in turn (the order alternating
between repetitions), over the default suite or over copies of the shipped
scenarios (``--scenarios 16``: 16 scenario reports, the comparison and the
audit). It prints the median wall time of each, their ratio, the notebooks an
hour that makes on this machine, and the load average before and after; the
JSON goes to ``bench/results/bench_executors-<UTC time>.json`` (git-ignored).

    .venv/bin/python bench/bench_executors.py [--repeat 3] [--jobs 2] [--scenarios 0] [--paths N]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_suite import scenario_copies  # noqa: E402


def _tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else shutil.which(name) or name


def run(executor: str, scenarios: list[Path], out: Path, jobs: int, paths: int | None) -> dict:
    cmd = [_tool("xiqu"), "run", *map(str, scenarios), "--fresh", "--formats", "html", "--jobs", str(jobs),
           "--executor", executor, "--out", str(out)]
    if paths is not None:
        cmd += ["--paths", str(paths)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode:
        print(f"xiqu run --executor {executor}: exit {proc.returncode}\n{proc.stderr[-2000:]}", file=sys.stderr)
    manifest = json.loads((Path(proc.stdout.strip().splitlines()[-1]).parent / "manifest.json").read_text())
    durations = [e["duration_s"] for e in manifest["notebooks"].values()]
    return {"s": round(seconds, 2), "exit": proc.returncode, "notebooks": len(durations),
            "notebook_s_sum": round(sum(durations), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--scenarios", type=int, default=0, help="copies of the shipped scenarios (0: the default suite)")
    ap.add_argument("--paths", type=int, default=None)
    args, _ = ap.parse_known_args(argv)

    work = Path(tempfile.mkdtemp(prefix="xiqu-bench-executors-"))
    try:
        scenarios = scenario_copies(args.scenarios, work / "scenarios") if args.scenarios else \
            sorted((ROOT / "scenarios").glob("*.yaml"))
        load_before = os.getloadavg()
        runs: dict[str, list[dict]] = {"local": [], "dask": []}
        for i in range(args.repeat):
            for executor in (("local", "dask") if i % 2 == 0 else ("dask", "local")):
                r = run(executor, scenarios, work / f"{executor}-{i}", args.jobs, args.paths)
                runs[executor].append(r)
                print(f"{executor:5} rep {i + 1}: {r['s']:.1f} s, {r['notebooks']} notebooks, exit {r['exit']}",
                      flush=True)
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    med = {k: statistics.median(r["s"] for r in v) for k, v in runs.items()}
    n = runs["local"][0]["notebooks"]
    result = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "cores": os.cpu_count(),
        "jobs": args.jobs, "scenarios": args.scenarios or len(scenarios), "notebooks": n, "paths": args.paths,
        "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in load_after],
        "median_s": med, "dask_over_local": round(med["dask"] / med["local"], 2),
        "notebooks_per_hour": {k: round(n / s * 3600) for k, s in med.items()}, "runs": runs,
    }
    print(f"median: local {med['local']:.1f} s, dask {med['dask']:.1f} s, dask/local {result['dask_over_local']}; "
          f"notebooks an hour: {result['notebooks_per_hour']}; load {load_before[0]:.1f} -> {load_after[0]:.1f}")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    (out / f"bench_executors-{stamp}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if all(r["exit"] == 0 for v in runs.values() for r in v) else 1


if __name__ == "__main__":
    sys.exit(main())
