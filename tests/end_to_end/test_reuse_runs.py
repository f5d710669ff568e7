"""Reruns that reuse, with real kernels: what changed runs again, nothing else; warm kernels change no result.

Fixture notebooks keep the reuse rows quick; the last test executes the real
``scenario_report`` through the runner (warm worker, kernel started ahead
with the heavy imports) and with the plain ``papermill`` command line, and
compares every table byte for byte.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.helpers.runs import notebook_dir, scenario_copy, tree

pytestmark = pytest.mark.notebook


def _run(*argv: str, env: dict) -> tuple[int, str, dict, Path]:
    proc = subprocess.run([sys.executable, "-m", "xiqu_analysis", "run", *argv], capture_output=True, text=True,
                          env=env, timeout=900)
    run_dir = Path(proc.stdout.strip().splitlines()[-1]).parent
    return proc.returncode, proc.stderr, json.loads((run_dir / "manifest.json").read_text()), run_dir


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_rerun_reuses_what_did_not_change(tmp_path):
    """Over 20 s (about 20 s on 2 cores): six runs of the command, one after the other, each a new process;
    the cold (four notebooks), the changed (two), the fresh (two) and the moved-data (two) runs start workers
    and kernels."""
    out = tmp_path / "out"
    a, b = scenario_copy(tmp_path, "a", "A"), scenario_copy(tmp_path, "b", "B", source="high")
    env = dict(os.environ, XIQU_NOTEBOOK_DIR=str(notebook_dir(tmp_path)), XIQU_OUTPUT_DIR=str(out))
    code, err, cold, cold_dir = _run(str(a), str(b), "--jobs", "1", env=env)
    assert code == 0 and cold["status"] == "complete", err
    assert all(e["reused_from"] is None for e in cold["notebooks"].values())
    snapshot = tree(cold_dir)

    # nothing changed: every report is reused, byte for byte, and says so
    code, err, again, again_dir = _run(str(a), str(b), "--jobs", "1", env=env)
    assert code == 0 and again["status"] == "complete", err
    assert err == f"xiqu: run {again['run_id']} complete: 4 report(s), 4 reused from {cold['run_id']}\n"
    index = (again_dir / "index.html").read_text(encoding="utf-8")
    for name, entry in again["notebooks"].items():
        assert entry["status"] == "ok" and entry["reused_from"] == cold["run_id"], name
        assert entry["reuse_key"] == cold["notebooks"][name]["reuse_key"]
        assert entry["files"] == cold["notebooks"][name]["files"]
        assert entry["parameters"] == cold["notebooks"][name]["parameters"]  # as they were injected
        for rel, digest in entry["files"].items():
            assert _sha(again_dir / name / rel) == digest
    assert index.count(f"reused from {cold['run_id']}") == 4
    assert not list(again_dir.glob(".runner/worker-*.log"))  # no worker, no kernel was started
    assert tree(cold_dir) == snapshot  # reuse only reads the earlier run
    assert (out / "LATEST").read_text().strip() == again["run_id"]

    # one scenario changed: its report and the comparison run again; the run they come from
    # is still the one that executed them
    b.write_text(b.read_text(encoding="utf-8").replace("deflator_pct: 2.0", "deflator_pct: 2.5"), encoding="utf-8")
    code, err, third, _ = _run(str(a), str(b), "--jobs", "1", env=env)
    assert code == 0, err
    assert {k: v["reused_from"] for k, v in third["notebooks"].items()} == {
        "scenario_report-a": cold["run_id"], "scenario_report-b": None,
        "scenario_comparison": None, "data_audit": cold["run_id"]}

    # --fresh: everything runs. Scenario a alone (its report and the audit, two notebooks) shows it: the same
    # command without --fresh reuses both, with --fresh both run
    code, err, alone, _ = _run(str(a), "--jobs", "1", env=env)
    assert code == 0 and {k: v["reused_from"] for k, v in alone["notebooks"].items()} == {
        "scenario_report-a": cold["run_id"], "data_audit": cold["run_id"]}, err
    code, err, fresh, _ = _run(str(a), "--jobs", "1", "--fresh", env=env)
    assert code == 0 and set(fresh["notebooks"]) == set(alone["notebooks"]), err
    assert all(e["reused_from"] is None and e["status"] == "ok" for e in fresh["notebooks"].values())
    assert fresh["options"]["fresh"] is True

    # another data folder: everything depends on the data folder (both would be reused from the fresh run)
    data = tmp_path / "data"
    subprocess.run(["cp", "-r", str(ROOT / "data"), str(data)], check=True)
    code, err, moved, _ = _run(str(a), "--jobs", "1", env=dict(env, XIQU_DATA_DIR=str(data)))
    assert code == 0 and set(moved["notebooks"]) == set(alone["notebooks"]), err
    assert all(e["reused_from"] is None and e["status"] == "ok" for e in moved["notebooks"].values())


def test_a_warm_kernel_gives_the_same_tables_as_plain_papermill(tmp_path):
    """The runner's warm worker and prestarted kernel, both forked from the worker's kernel template,
    against `papermill` on the command line, whose kernel is a new process (tables only: HTML, no Word or
    PDF version; 100 paths)."""
    sc = ROOT / "scenarios" / "plan_targets.yaml"
    params = {"scenario_path": str(sc), "n_paths": 100, "seed": 7, "language": "zh"}
    plain = tmp_path / "plain"
    plain.mkdir()
    pfile = tmp_path / "params.json"
    pfile.write_text(json.dumps(dict(params, output_dir=str(plain))), encoding="utf-8")
    res = subprocess.run([str(Path(sys.executable).parent / "papermill"), str(ROOT / "notebooks" / "scenario_report.ipynb"),
                          str(plain / "executed.ipynb"), "-f", str(pfile), "-k", "python3", "--no-progress-bar"],
                         capture_output=True, text=True, cwd=plain, timeout=900)
    assert res.returncode == 0, res.stderr[-3000:]

    from xiqu_analysis.runner.execute import run_jobs
    from xiqu_analysis.runner.suites import Job

    jobs = [Job("scenario_report-plan_targets", ROOT / "notebooks" / "scenario_report.ipynb", params, title="P"),
            Job("scenario_report-again", ROOT / "notebooks" / "scenario_report.ipynb", params, title="P")]
    result = run_jobs(jobs, tmp_path / "out", max_jobs=1, timeout=900, data_dir=ROOT / "data", fresh=True,
                      formats=("html",))
    assert result.status == "complete", result.jobs
    worker_log = (result.run_dir / ".runner" / "worker-1.log").read_text(encoding="utf-8")
    assert worker_log.count("kernel forked from the template") >= 2 and "the plain way" not in worker_log
    plain_tables = {p.relative_to(plain).as_posix(): _sha(p) for p in sorted((plain / "tables").glob("*.csv"))}
    assert len(plain_tables) >= 5
    for name in ("scenario_report-plan_targets", "scenario_report-again"):  # the second ran in a prestarted kernel
        folder = result.run_dir / name
        assert {p.relative_to(folder).as_posix(): _sha(p) for p in sorted((folder / "tables").glob("*.csv"))} \
            == plain_tables
