"""Benchmark: a worker's kernel start, forked from its kernel template against a new process.

One invocation starts ``--kernels`` kernels one after another each way, as a
worker starts them (:class:`xiqu_analysis.runner.kernels.Kernels`: the suite's
warm imports as ``exec_lines``), alternating forked and plain, and measures for
each the wall time from the start request to the kernel's first
``kernel_info_reply`` and the CPU seconds of the kernel process by then. The
template's own start (its imports, paid once per worker) is reported apart:
wall time to "ready" and its CPU seconds. The load average is recorded before
and after; results go to ``bench/results/bench_kernels-<UTC time>.json``
(git-ignored).

Usage::

    .venv/bin/python bench/bench_kernels.py [--kernels N]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import psutil

from record import write_result  # bench/record.py (the script's folder is first on sys.path)

ROOT = Path(__file__).resolve().parent.parent


def _cpu_s(pid: int) -> float:
    t = psutil.Process(pid).cpu_times()
    return t.user + t.system


def one_kernel(kernels) -> dict:
    """Start a kernel, wait for its kernel_info_reply; wall and CPU seconds; stop it."""
    from jupyter_client import BlockingKernelClient

    t0 = time.perf_counter()
    km = kernels.start()
    kc = BlockingKernelClient(connection_file=km.connection_file)
    kc.load_connection_file()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)  # a kernel_info request answered
        wall = time.perf_counter() - t0
        cpu = _cpu_s(km.provisioner.process.pid)
    finally:
        kc.stop_channels()
        kernels.stop(km)
    return {"s": round(wall, 3), "cpu_s": round(cpu, 3)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kernels", type=int, default=6, help="kernels started each way (default 6)")
    args, _ = ap.parse_known_args(argv)

    sys.path.insert(0, str(ROOT))
    from xiqu_analysis.runner.kernels import Kernels

    work = Path(tempfile.mkdtemp(prefix="xiqu-bench-kernels-"))
    (work / "runtime").mkdir()
    os.environ["JUPYTER_RUNTIME_DIR"] = str(work / "runtime")
    load_before = os.getloadavg()
    forked = Kernels("python3", work, work / "forked.json", fork=True)
    plain = Kernels("python3", work, work / "plain.json", fork=False)
    t0 = time.perf_counter()
    forked.open()
    forked.template._wait_ready()
    template = {"ready_s": round(time.perf_counter() - t0, 3), "cpu_s": round(_cpu_s(forked.template.proc.pid), 3),
                "threads": forked.template.info.get("threads")}
    rows: dict[str, list[dict]] = {"forked": [], "plain": []}
    try:
        for _ in range(args.kernels):
            rows["forked"].append(one_kernel(forked))
            rows["plain"].append(one_kernel(plain))
    finally:
        forked.stop_all()
        plain.stop_all()
    load_after = os.getloadavg()
    summary = {way: {"median_s": statistics.median(r["s"] for r in rs),
                     "median_cpu_s": statistics.median(r["cpu_s"] for r in rs)} for way, rs in rows.items()}
    result = {
        "benchmark": "bench_kernels",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "kernels_each_way": args.kernels,
        "template": template,
        "summary": summary,
        "kernels": rows,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }
    path = write_result("bench_kernels", result)
    print(json.dumps(result, indent=2))
    f, p = summary["forked"], summary["plain"]
    print(f"{args.kernels} kernels each way, load {load_before[0]:.1f}: to kernel_info_reply, median "
          f"forked {f['median_s']:.2f} s ({f['median_cpu_s']:.2f} CPU s) / plain {p['median_s']:.2f} s "
          f"({p['median_cpu_s']:.2f} CPU s); the template, once: {template['ready_s']:.2f} s, "
          f"{template['cpu_s']:.2f} CPU s -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
