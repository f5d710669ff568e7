"""Benchmark of the command line's start-up: ``xiqu project`` against ``python -c "import pandas"``.

Both sides are fresh processes of the same Python (the project's venv), run
alternately in one invocation so that the machine's load falls on both alike:

* **baseline**: ``python -c "import pandas"``, the least any command that
  prints a pandas table pays;
* ``xiqu project scenarios/plan_targets.yaml`` (validate the scenario and its
  region's files, project, print the table), through the installed ``xiqu``
  entry point;
* ``xiqu project --help`` (the parser and its help text alone).

The children run without ``PYTHONDONTWRITEBYTECODE`` (``--keep-env`` keeps the
caller's environment as it is): pandas' modules were byte-compiled when pip
installed them, while the package's own modules (an editable install) are
compiled at their first import and cached in ``__pycache__`` as on any normal
installation; with that variable set they would be compiled again at every
start (about 50 ms here) and the two sides would not be alike.

It reports the medians of the wall times, their ratio to the baseline (aim:
``xiqu project`` at most 1.3x), the CPU seconds of each child, the load
average, and which heavy packages the command imported (none of pandas,
matplotlib, statsmodels, scipy, nbformat or papermill should be on this path:
the table is printed from the projection's arrays).

Usage::

    .venv/bin/python bench/bench_startup.py [--repeat 11] [--keep-env]

Writes ``bench/results/bench_startup-<UTC time>.json`` (git-ignored); exit 0
(speed is reported, not tested). Unknown arguments (``bench/run_all.py``
passes the same ones to every benchmark) are ignored.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from record import write_result  # bench/record.py (the script's folder is first on sys.path)

ROOT = Path(__file__).resolve().parent.parent

#: packages that must not be imported by ``xiqu project``
HEAVY = ("pandas", "matplotlib", "statsmodels", "scipy", "nbformat", "papermill", "openpyxl", "docx", "weasyprint", "IPython")

PROBE = """
import io, contextlib, sys
sys.argv = ["xiqu", "project", {scenario!r}]
from xiqu_analysis.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
print(" ".join(sorted({{m.split(".")[0] for m in sys.modules}})))
"""


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the child) of one run; the child must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--scenario", default="scenarios/plan_targets.yaml")
    parser.add_argument("--keep-env", action="store_true",
                        help="run the children in this environment as it is (PYTHONDONTWRITEBYTECODE kept)")
    args, _unknown = parser.parse_known_args(argv)

    python = sys.executable
    xiqu = shutil.which("xiqu", path=str(Path(python).parent)) or shutil.which("xiqu")
    if xiqu is None:
        print("bench_startup: the xiqu command is not installed beside this Python", file=sys.stderr)
        return 1
    sides = {
        "baseline: python -c 'import pandas'": [python, "-c", "import pandas"],
        "xiqu project": [xiqu, "project", args.scenario],
        "xiqu project --help": [xiqu, "project", "--help"],
    }
    env = dict(os.environ)
    no_bytecode = bool(env.get("PYTHONDONTWRITEBYTECODE"))
    if not args.keep_env:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    bytecode = "cached" if not env.get("PYTHONDONTWRITEBYTECODE") else "compiled at every start"
    load_before = os.getloadavg()[0]
    for argv_ in sides.values():  # warm the file cache once (and write the package's bytecode)
        _run(argv_, env)
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in sides}
    for _ in range(args.repeat):
        for name, argv_ in sides.items():
            times[name].append(_run(argv_, env))
    load_after = os.getloadavg()[0]
    imported = subprocess.run([python, "-c", PROBE.format(scenario=args.scenario)], cwd=ROOT, check=True,
                              capture_output=True, text=True, env=env).stdout.split()
    heavy = sorted(set(HEAVY) & set(imported))

    base = statistics.median(w for w, _ in times[next(iter(sides))])
    print(f"Start-up benchmark, {args.repeat} alternating runs of each side")
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}")
    rows = {}
    for name, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        rows[name] = {"median_wall_s": round(wall, 4), "median_cpu_s": round(cpu, 4),
                      "ratio_to_baseline": round(wall / base, 3)}
        print(f"  {name:<38} {wall:7.3f} s wall  {cpu:7.3f} s CPU  {wall / base:5.2f} x baseline")
    print(f"  heavy packages imported by xiqu project: {', '.join(heavy) or 'none'}")
    print(f"  the package's bytecode: {bytecode}"
          + (" (PYTHONDONTWRITEBYTECODE was set here; removed for the children)" if no_bytecode and not args.keep_env
             else ""))
    print(f"  load average (1 min): {load_before:.2f} before, {load_after:.2f} after, on {os.cpu_count()} CPUs")

    now = datetime.now(timezone.utc)
    result = {"benchmark": "bench_startup", "when": now.isoformat(timespec="seconds"), "repeat": args.repeat,
              "cpu_count": os.cpu_count(), "python": platform.python_version(), "sides": rows,
              "heavy_imported": heavy, "modules_imported": len(imported), "package_bytecode": bytecode,
              "load_average_1min": [round(load_before, 2), round(load_after, 2)]}
    path = write_result("bench_startup", result, now)
    print(f"  wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
