"""Benchmark of the scenario explorer's update (xiqu_analysis.reports.explorer), in a real kernel.

Budget: an update without the fan chart redraws in <= 150 ms, with
a 1,000-path fan in <= 400 ms, on a 2-core machine. Measured here, in a
Jupyter kernel started for the purpose (so every widget change is really
serialised and sent on the kernel's iopub channel, as in JupyterLab or Voilà):

* **update, no fan**: setting the secondary sector's 2021-2025 growth (7.5 ->
  5.0, alternating with nearby values so each update is new) in the value box,
  as a user would, until the headline table, the structure table and the five
  charts hold the new scenario: schema check, projection, targets, tables as
  HTML, new arrays for the bqplot marks;
* **update, fan**: the same with the 1,000-path Monte Carlo fan chart;
* **baseline, same kernel, same invocation**: what the report notebooks do to
  show the same scenario again: ``project``, ``analyse_targets``, the
  headline table, and the matplotlib figures of the same views
  (``reports.charts.plots``: GDP paths, sector structure, contributions, per-capita,
  target gaps, and a 1,000-path fan chart) rendered to PNG.

Reported: median and best of each (ms) and the ratios explorer / baseline.
The browser's own drawing (bqplot/d3, a few ms) is not in these figures; the
browser test records the end-to-end time from typing to the new table
(``outputs/test-artifacts/explorer.json``).

Usage::

    .venv/bin/python bench/bench_explorer.py [--repeat 20] [--paths 1000]

Writes ``bench/results/bench_explorer-<UTC time>.json`` (git-ignored). No
timed assertion; exit status 0 unless the kernel fails. Unknown arguments
(``bench/run_all.py`` passes the same to every benchmark) are ignored.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"

KERNEL_CODE = r'''
import json, statistics, tempfile, time
import numpy as np
from xiqu_analysis.reports.explorer import Explorer
from xiqu_analysis.reports.charts import plots
from xiqu_analysis.reports.tables.scenario import gap_chart_rows, headline_table, headline_years, benchmark_per_capita
from xiqu_analysis.economics.projection import project
from xiqu_analysis.economics.targets import analyse_targets
from xiqu_analysis.economics.uncertainty import simulate

REPEAT, PATHS = {repeat}, {paths}
PATH = "real_growth_pct.secondary.2021-2025"
app = Explorer("plan_targets", "en", PATHS, tempfile.mkdtemp(), debounce=0)
values = [5.0 + 0.01 * (i % 7) for i in range(REPEAT + 2)]

def timed_updates(fan):
    app.fan_on.value = fan
    out = []
    for v in values:
        t0 = time.perf_counter()
        app.set_value(PATH, v)
        out.append((time.perf_counter() - t0) * 1000.0)
    assert app.state.problem is None and app.views.projection.table is not None
    return out[2:]  # the first two warm caches

def baseline(scenario, region):
    t0 = time.perf_counter()
    p = project(scenario)
    a = analyse_targets(scenario, region, result=p)
    years = headline_years(p, region)
    headline_table(p, "en", years)
    bench = benchmark_per_capita(region, p.base_year)
    figs = [plots.gdp_paths(p.table, "en", p.assumed_columns), plots.sector_structure(p.table, "en", p.assumed_columns),
            plots.contributions(p.table, "en", p.assumed_columns),
            plots.per_capita_vs_benchmark(p.table, bench.value_yuan, bench.year, "en", p.assumed_columns),
            plots.target_gaps(gap_chart_rows(a, "en"), "en")]
    sim = simulate(scenario, region, n_paths=PATHS, targets=())
    figs.append(plots.fan_chart(sim.percentiles, "gdp_real", "en", deterministic=p.table))
    for f in figs:
        plots.png_bytes(f)
    return (time.perf_counter() - t0) * 1000.0

no_fan = timed_updates(False)
fan = timed_updates(True)
scenario, region = app.state.current, app.state.region
base = [baseline(scenario, region) for _ in range(max(3, REPEAT // 4))]
print("RESULT " + json.dumps({{"no_fan_ms": no_fan, "fan_ms": fan, "baseline_ms": base}}))
'''


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--paths", type=int, default=1000)
    args, _unknown = parser.parse_known_args(argv)

    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT / "notebooks"))
    lines: list[str] = []
    try:
        def hook(msg):
            if msg["msg_type"] == "stream":
                lines.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                lines.append("\n".join(msg["content"]["traceback"]))

        reply = kc.execute_interactive(KERNEL_CODE.format(repeat=args.repeat, paths=args.paths), timeout=1800,
                                       output_hook=hook)
        if reply["content"]["status"] != "ok":
            print("".join(lines), file=sys.stderr)
            return 1
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    text = "".join(lines)
    data = json.loads(text.split("RESULT ", 1)[1].splitlines()[0])

    def med(xs):
        xs = sorted(xs)
        n = len(xs)
        return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2

    report = {
        "benchmark": "bench_explorer",
        "time_utc": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "repeat": args.repeat,
        "paths": args.paths,
        "update_no_fan_ms": {"median": med(data["no_fan_ms"]), "best": min(data["no_fan_ms"])},
        "update_fan_ms": {"median": med(data["fan_ms"]), "best": min(data["fan_ms"])},
        "baseline_report_redraw_ms": {"median": med(data["baseline_ms"]), "best": min(data["baseline_ms"])},
        "budget_ms": {"no_fan": 150, "fan": 400},
        "raw": data,
    }
    report["ratio_no_fan_to_baseline"] = report["update_no_fan_ms"]["median"] / report["baseline_report_redraw_ms"]["median"]
    report["ratio_fan_to_baseline"] = report["update_fan_ms"]["median"] / report["baseline_report_redraw_ms"]["median"]
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bench_explorer-{datetime.now(timezone.utc).strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"explorer update, no fan:        median {report['update_no_fan_ms']['median']:.0f} ms, "
          f"best {report['update_no_fan_ms']['best']:.0f} ms (budget 150)")
    print(f"explorer update, {args.paths}-path fan: median {report['update_fan_ms']['median']:.0f} ms, "
          f"best {report['update_fan_ms']['best']:.0f} ms (budget 400)")
    print(f"baseline (report route, matplotlib PNGs): median {report['baseline_report_redraw_ms']['median']:.0f} ms")
    print(f"ratios explorer/baseline: no fan {report['ratio_no_fan_to_baseline']:.2f}, "
          f"fan {report['ratio_fan_to_baseline']:.2f}; load average {report['load_average'][0]:.1f}")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
