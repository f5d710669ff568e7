"""Benchmark of the Monte Carlo (xiqu_analysis.economics.uncertainty.simulate).

Times ``simulate(scenario, region, n_paths=100_000)`` (15 years x 3 sectors, the
shipped ``plan_targets`` scenario with its region's targets) against a baseline measured in the same
invocation: a naive per-path loop (draw one path's shocks, run the projection
core on it, keep its outputs) on fewer paths, extrapolated linearly to the
same number of paths. Also prints the deterministic projection core's time per
call, so that the vectorised cost per path can be read against it.

Machine noise (other processes, first-touch memory of a virtual machine) moves
absolute times a lot; the ratio against the baseline measured in the same run
is the stable figure. The first call is reported separately (it pays for
fresh memory pages), then the best and the median of the repeats.

Usage::

    .venv/bin/python bench/bench_montecarlo.py [--paths 100000] [--repeat 5] [--naive-paths 2000]

Prints a small report and writes it to
``bench/results/bench_montecarlo-<UTC time>.json`` (git-ignored); exit status
0 (no timed assertion: speed is reported, not tested). Arguments it does not
know (``bench/run_all.py`` passes the same extra arguments to every
benchmark) are ignored.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from record import write_result  # bench/record.py (the script's folder is first on sys.path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xiqu_analysis.economics import projection, shocks, uncertainty  # noqa: E402
from xiqu_analysis.inputs.scenario import load_scenario_with_region  # noqa: E402


def _time(fn, repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls."""
    return [t for t, _ in _time_both(fn, repeat)]


def _time_both(fn, repeat: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of ``repeat`` calls; CPU time is this process's only."""
    out = []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - w0, time.process_time() - c0))
    return out


def naive_per_path(scenario, n_paths: int, seed: int) -> dict[str, np.ndarray]:
    """Reference: one path at a time through the projection core (same model, same columns)."""
    spec = shocks.UncertaintySpec.from_scenario(scenario)
    rng = np.random.default_rng(seed)
    inputs = projection.scenario_inputs(scenario)
    growth, deflator = inputs["growth_pct"], inputs["deflator_pct"]
    T = growth.shape[0]
    outs = {k: np.empty((n_paths, T + 1)) for k in uncertainty.INDICATOR_UNITS}
    for i in range(n_paths):
        drawn = shocks.draw_shocks(spec, 1, T, rng)
        kw = dict(inputs)
        kw["growth_pct"] = np.maximum(growth + drawn.sector[0], shocks.GROWTH_FLOOR_PCT)
        kw["deflator_pct"] = np.maximum(deflator + drawn.deflator[0], shocks.GROWTH_FLOOR_PCT)
        arrays = projection.project_arrays(**kw, columns=uncertainty.SIMULATED_COLUMNS)
        for k in outs:
            outs[k][i] = arrays[k]
    for k, v in outs.items():
        np.percentile(v, uncertainty.PERCENTILES, axis=0)
    return outs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paths", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--naive-paths", type=int, default=2_000)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "plan_targets.yaml"))
    args, _unknown = parser.parse_known_args(argv)

    scenario, region = load_scenario_with_region(args.scenario)  # the region's files read once, here
    T = scenario.end_year - scenario.base_year

    def simulate():
        return uncertainty.simulate(scenario, region, args.paths, random_state=1)

    first = _time(simulate, 1)[0]
    both = _time_both(simulate, args.repeat)
    times = [w for w, _ in both]
    best, median = min(times), statistics.median(times)
    cpu_median = statistics.median(c for _, c in both)

    naive = _time(lambda: naive_per_path(scenario, args.naive_paths, 1), 1)[0]
    naive_extrapolated = naive / args.naive_paths * args.paths

    inputs = projection.scenario_inputs(scenario)
    core = min(_time(lambda: projection.project_arrays(**inputs), 200))

    print(f"Monte Carlo benchmark: {scenario.name}, {args.paths:,} paths x {T} years x 3 sectors")
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}, numpy {np.__version__}")
    print(f"  simulate, first call          {first:8.3f} s")
    print(f"  simulate, best of {args.repeat:<2d}          {best:8.3f} s")
    print(f"  simulate, median of {args.repeat:<2d}        {median:8.3f} s  (CPU {cpu_median:.3f} s)")
    print(f"  naive per-path loop           {naive:8.3f} s for {args.naive_paths:,} paths "
          f"-> {naive_extrapolated:8.1f} s for {args.paths:,} (extrapolated)")
    print(f"  deterministic core, one path  {core * 1e3:8.3f} ms -> x {args.paths:,} = {core * args.paths:8.1f} s")
    print(f"  speed-up vs naive loop        {naive_extrapolated / median:8.0f} x (median)")
    print(f"  vectorised cost per path      {median / args.paths * 1e6:8.2f} us "
          f"= {median / args.paths / core:6.3f} deterministic projections")
    verdict = "yes" if median < 1.0 else "NO"
    print(f"  median under 1 s: {verdict}")
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    busy = load > (os.cpu_count() or 1)
    print(f"  load average (1 min) at the end: {load:.2f} on {os.cpu_count()} CPUs"
          + ("  -- busy machine: trust the ratio, not the seconds" if busy else ""))

    now = datetime.now(timezone.utc)
    result = {
        "benchmark": "bench_montecarlo",
        "when": now.isoformat(timespec="seconds"),
        "scenario": scenario.name,
        "n_paths": args.paths,
        "years": T,
        "cpu_count": os.cpu_count(),
        "numpy": np.__version__,
        "simulate_first_s": round(first, 4),
        "simulate_best_s": round(best, 4),
        "simulate_median_s": round(median, 4),
        "simulate_median_cpu_s": round(cpu_median, 4),
        "repeat": args.repeat,
        "naive_paths": args.naive_paths,
        "naive_s": round(naive, 4),
        "naive_extrapolated_s": round(naive_extrapolated, 2),
        "deterministic_core_ms": round(core * 1e3, 4),
        "speedup_vs_naive": round(naive_extrapolated / median, 1),
        "load_average_1min": round(load, 2),
    }
    path = write_result("bench_montecarlo", result, now)
    print(f"  wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
