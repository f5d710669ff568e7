"""The Dask executor (``xiqu run --executor dask``) on a LocalCluster of 2 workers on 127.0.0.1.

The annual review suite of two scenarios (HTML only) gives the same tables,
byte for byte, as the local executor; and the runner's fault tests that apply to a cluster: a job
past its time limit, a lost Dask worker (its process killed), SIGTERM to the
runner. Each run starts its own LocalCluster and closes it; every process a
test starts is stopped by the test. The review suite and SIGTERM run on two
Dask workers; a fault test whose point is one job (the one past its limit,
the one whose Dask worker is killed, the one Ctrl-C interrupts) runs its jobs
one after the other on one, as ``--jobs 1`` does: each Dask worker is a
process importing distributed (its nanny lives in the runner), and each runs
a worker process with a kernel template of its own.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

import distributed  # noqa: F401  (the dask extra: make test installs it; its absence fails here)

from tests.helpers import ROOT
from tests.helpers.runs import NOTEBOOK_FIXTURES as FIXTURES, running, tree_pids
from tests.helpers.runs import as_from_a_terminal, notebook_dir, scenario_copy
from tests.helpers.shared_runs import EN_TWO_SCENARIOS_REVIEW, shared_run

from xiqu_analysis.runner.execute import run_jobs  # noqa: E402
from xiqu_analysis.runner.suites import Job  # noqa: E402

pytestmark = [pytest.mark.notebook, pytest.mark.process]

LIMIT_S = 300.0
SLEEP_LIMIT_S = 15.0






def _tables(run_dir: Path) -> dict[str, str]:
    return {p.relative_to(run_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(run_dir.glob("*/tables/*.csv"))}


def _xiqu(*argv: str, env: dict | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "xiqu_analysis", "run", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, preexec_fn=as_from_a_terminal, **kw)


def _wait_for_sleeper(out: Path, proc: subprocess.Popen) -> Path:
    """The run folder once the scenario report is done and the sleeping notebook runs."""
    end = time.monotonic() + LIMIT_S
    while time.monotonic() < end:
        for found in out.glob("*/manifest.json"):
            try:
                nbs = json.loads(found.read_text())["notebooks"]
            except (ValueError, KeyError):
                continue
            # kernel.pid is the last of the three pid files the sleeping notebook writes
            if nbs["scenario_report-one"]["status"] == "ok" and \
                    (found.parent / "data_audit.partial" / "kernel.pid").is_file():
                return found.parent
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.kill()
    pytest.fail(f"the run did not reach the expected state: {proc.communicate()[1][-2000:]}")


def _stop(pids) -> list[str]:
    """Kill whatever of ``pids`` still runs; their command lines."""
    left = []
    for pid in pids:
        if running(pid):
            try:
                left.append(" ".join(psutil.Process(pid).cmdline())[:200])
            except psutil.Error:
                left.append(str(pid))
            os.kill(pid, signal.SIGKILL)
    return left


def test_the_review_suite_gives_the_local_executors_tables_byte_for_byte(tmp_path, tmp_path_factory):
    """The annual review suite of two shipped scenarios (HTML only, 100 paths: the number of paths is not what is
    compared): the run of the local executor that test_runner_notebooks.py checks too (a shared run), and the
    same command with ``--executor dask``. Every kind of report notebook runs: two scenario reports, their
    comparison, the data audit, the review.

    About 20 s on 2 cores (35 s when this test is the first to ask for the shared run): the five notebooks of
    the Dask run, cold, are what is compared.
    """
    local = shared_run(tmp_path_factory, EN_TWO_SCENARIOS_REVIEW)
    assert local.returncode == 0, local.stderr[-3000:]
    env = dict(os.environ)
    env.pop("XIQU_NOTEBOOK_DIR", None)
    res = subprocess.run([sys.executable, "-m", "xiqu_analysis", "run", *EN_TWO_SCENARIOS_REVIEW, "--fresh",
                          "--executor", "dask", "--out", str(tmp_path / "dask")], capture_output=True, text=True,
                         env=env, timeout=1800, cwd=ROOT)
    assert res.returncode == 0, res.stderr[-3000:]
    runs = {"local": local.run_dir, "dask": Path(res.stdout.strip().splitlines()[-1]).parent}
    for executor, run_dir in runs.items():
        manifest = json.loads((run_dir / "manifest.json").read_text())
        assert manifest["status"] == "complete" and manifest["options"]["executor"] == executor
        assert manifest["executor"]["name"] == executor
        assert set(manifest["notebooks"]) == {"scenario_report-trend", "scenario_report-plan_targets",
                                              "scenario_comparison", "data_audit", "annual_review-2025"}
    assert json.loads((runs["dask"] / "manifest.json").read_text())["executor"]["cluster"] == \
        "LocalCluster on 127.0.0.1"
    local_tables, dask_tables = _tables(runs["local"]), _tables(runs["dask"])
    assert len(local_tables) >= 20 and local_tables == dask_tables
    assert {name.split("/")[0] for name in local_tables} == set(
        json.loads((runs["local"] / "manifest.json").read_text())["notebooks"])  # tables of every notebook


def test_a_job_past_its_time_limit_is_stopped_with_its_processes(tmp_path):
    """Over 20 s: the sleeping notebook must outlive its time limit (15 s) before it is stopped.

    A LocalCluster of one Dask worker (``max_jobs=1``): the two jobs run one after the other on it, and the
    job beside the stopped one runs to its end all the same."""
    jobs = [Job("ok", FIXTURES / "ok.ipynb", {"seed": 7}, title="OK"),
            Job("sleeping", FIXTURES / "sleeping.ipynb", title="Sleeping", timeout_s=SLEEP_LIMIT_S)]
    result = run_jobs(jobs, tmp_path / "out", max_jobs=1, timeout=LIMIT_S, data_dir=ROOT / "data",
                      executor="dask", formats=("html",))
    m = json.loads(result.manifest_path.read_text())
    assert result.exit_code == 1 and m["status"] == "failed"
    assert m["notebooks"]["ok"]["status"] == "ok"
    entry = m["notebooks"]["sleeping"]
    assert entry["status"] == "timeout" and f"time limit of {SLEEP_LIMIT_S:g} s" in entry["error"]
    assert SLEEP_LIMIT_S <= entry["duration_s"] < SLEEP_LIMIT_S + 60
    pids = tree_pids(result.run_dir / "sleeping.timeout")
    assert _stop(pids.values()) == []
    assert (result.run_dir / "sleeping.timeout" / "sleeping.html").is_file()
    assert m["executor"]["name"] == "dask" and m["options"]["executor"] == "dask"


def test_a_lost_dask_worker_fails_its_job_and_the_others_go_on(tmp_path):
    """SIGKILL to the Dask worker process running the sleeping notebook: that job fails, saying why.

    One Dask worker (``--jobs 1``) runs the scenario report, then the sleeping data audit: the report done
    before the kill is kept, the run ends with the failed job recorded."""
    nbdir = notebook_dir(tmp_path, data_audit="sleeping")
    env = dict(os.environ, XIQU_NOTEBOOK_DIR=str(nbdir))
    out = tmp_path / "out"
    proc = _xiqu(str(scenario_copy(tmp_path, name="one", title="One")), "--out", str(out), "--jobs", "1",
                 "--formats", "html", "--timeout", str(LIMIT_S), "--executor", "dask", env=env)
    try:
        run_dir = _wait_for_sleeper(out, proc)
        pids = tree_pids(run_dir / "data_audit.partial")
        dask_worker = psutil.Process(pids["worker"]).parent()
        assert "xiqu_analysis.runner.worker" not in " ".join(dask_worker.cmdline())
        dask_worker.kill()
        stdout, stderr = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, stderr
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["status"] == "failed"
    assert m["notebooks"]["scenario_report-one"]["status"] == "ok"
    entry = m["notebooks"]["data_audit"]
    assert entry["status"] == "failed" and "Dask worker" in entry["error"] and "lost" in entry["error"], entry
    assert (run_dir / "data_audit.failed" / "data_audit.html").is_file()
    # the worker process notices its Dask worker is gone and stops its kernel
    end = time.monotonic() + 30
    while time.monotonic() < end and any(running(p) for p in pids.values()):
        time.sleep(0.2)
    assert _stop(pids.values()) == []


@pytest.mark.parametrize("how, jobs", [("SIGTERM", "2"), ("Ctrl-C", "1")], ids=["SIGTERM", "Ctrl-C"])
def test_sigterm_stops_the_cluster_and_marks_the_run_incomplete(tmp_path, how, jobs):
    """SIGTERM to the runner; Ctrl-C: SIGINT to the runner's whole process group (the LocalCluster's too).

    SIGTERM reaches the runner alone, which must stop every process of the cluster: two Dask workers, so
    that the worker process left idle by the finished report (on the other Dask worker, as the scheduler
    spreads the two jobs) is among them. Ctrl-C reaches every process of the group at once: one Dask
    worker (``--jobs 1``) suffices."""
    nbdir = notebook_dir(tmp_path, data_audit="sleeping")
    env = dict(os.environ, XIQU_NOTEBOOK_DIR=str(nbdir))
    out = tmp_path / "out"
    proc = _xiqu(str(scenario_copy(tmp_path, name="one", title="One")), "--out", str(out), "--jobs", jobs,
                 "--formats", "html", "--timeout", str(LIMIT_S), "--executor", "dask", env=env,
                 start_new_session=True)
    try:
        run_dir = _wait_for_sleeper(out, proc)
        pids = tree_pids(run_dir / "data_audit.partial")
        cluster = {p.pid: " ".join(p.cmdline())[:150] for p in psutil.Process(proc.pid).children(recursive=True)}
        if how == "SIGTERM":
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["status"] == "incomplete"
    assert m["reason"] == ("stopped by SIGTERM" if how == "SIGTERM" else "interrupted by Ctrl-C (SIGINT)")
    assert m["notebooks"]["scenario_report-one"]["status"] == "ok"
    assert m["notebooks"]["data_audit"]["status"] == "interrupted"
    assert (run_dir / "data_audit.interrupted").is_dir()
    assert _stop(pids.values()) == [], "processes of the interrupted notebook still running"
    # multiprocessing's resource tracker exits once the runner (its last holder) has: give it a moment
    end = time.monotonic() + 10
    while time.monotonic() < end and any(running(p) for p in cluster):
        time.sleep(0.1)
    left = [cluster[p] for p in cluster if running(p)]
    assert _stop(cluster) == [], f"processes of the LocalCluster still running: {left}"


# --------------------------------------------------------------------------- a cluster of its own (--scheduler)
def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cluster(tmp_path):
    """``dask scheduler`` and two ``dask worker --no-nanny`` on 127.0.0.1 (the commands a cluster runs); stopped
    after. Without a nanny each Dask worker is one process (``--nworkers 2`` is three: the nannies' process and
    a worker process each), and a worker killed stays gone: the scheduler retries its task on the other one."""
    import shutil

    dask = shutil.which("dask", path=str(Path(sys.executable).parent)) or "dask"
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = open(tmp_path / "cluster.log", "wb")
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)]
    for _ in range(2):
        procs.append(subprocess.Popen([dask, "worker", address, "--no-nanny", "--nthreads", "1", "--host",
                                       "127.0.0.1", "--no-dashboard", "--memory-limit", "0"],
                                      stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    try:
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        tree = [p.pid for proc in procs if running(proc.pid)
                for p in [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]]
        for proc in procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        end = time.monotonic() + 15
        while time.monotonic() < end and any(running(p) for p in tree):
            time.sleep(0.1)
        _stop(tree)
        log.close()


def test_a_scheduler_of_its_own_runs_the_jobs_and_a_lost_worker_fails_only_its_job(tmp_path, cluster):
    """On a scheduler that retries a task whose worker died, the retry finds the job's claim and fails it.

    About 10-20 s: a scheduler and two Dask workers start (their imports), then three notebooks run.
    """
    import threading

    jobs = [Job("ok", FIXTURES / "ok.ipynb", {"seed": 7}, title="OK"),
            Job("sleeping", FIXTURES / "sleeping.ipynb", title="Sleeping"),
            Job("after", FIXTURES / "ok.ipynb", {"seed": 8}, title="After")]
    out = tmp_path / "out"
    killed: dict[str, int] = {}

    def kill_the_sleepers_dask_worker() -> None:
        end = time.monotonic() + LIMIT_S
        while time.monotonic() < end:
            found = list(out.glob("*/sleeping.partial/kernel.pid"))  # the last pid file written
            if found:
                killed.update(tree_pids(found[0].parent))
                psutil.Process(killed["worker"]).parent().kill()
                return
            time.sleep(0.2)

    watcher = threading.Thread(target=kill_the_sleepers_dask_worker, daemon=True)
    watcher.start()
    result = run_jobs(jobs, out, max_jobs=2, timeout=LIMIT_S, data_dir=ROOT / "data", executor="dask",
                      scheduler=cluster, formats=("html",))
    watcher.join(5)
    m = json.loads(result.manifest_path.read_text())
    assert killed, "the sleeping job never ran"
    assert m["executor"]["cluster"] == "external" and m["executor"]["scheduler"] == cluster
    assert m["options"]["scheduler"] == cluster
    assert m["notebooks"]["ok"]["status"] == "ok" and m["notebooks"]["after"]["status"] == "ok"
    entry = m["notebooks"]["sleeping"]
    # the scheduler started the task again elsewhere (allowed-failures: 3 by default): the claim says it ran
    assert entry["status"] == "failed" and entry["error"].startswith("the Dask worker that ran it (host "), entry
    assert entry["error"].endswith("was lost before it finished")
    end = time.monotonic() + 30
    while time.monotonic() < end and any(running(p) for p in killed.values()):
        time.sleep(0.2)
    assert _stop(killed.values()) == []
