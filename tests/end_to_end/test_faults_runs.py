"""The fault suite, part 2 (real kernels): every fault of a started run leaves a true record.

Each row starts ``xiqu run`` (a subprocess, as a user or cron would) on an
output folder that already holds a complete earlier run, with fixture
notebooks that fail in one way each, and does to the run what the fault
needs (a signal, a full disk, a broken record, SIGKILL). Each row asserts the
exit status, exactly one line on stderr, the manifest's final status and
reason, that no process of the run is left and no kernel connection file
either, and that the earlier run is byte for byte as it was.

A full disk is a real one: a small tmpfs mounted for the test (root only;
without the right to mount, that row is skipped and says why), filled with a
file until only the run's reserve and a little more are free.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import psutil
import pytest

from tests.helpers.runs import as_from_a_terminal, notebook_dir, scenario_copy, template_pids, tree

pytestmark = pytest.mark.notebook

LIMIT_S = 240.0


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


_STARTED: list[subprocess.Popen] = []


def _xiqu(*argv: str, env: dict) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "xiqu_analysis", "run", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, preexec_fn=as_from_a_terminal)
    _STARTED.append(proc)
    return proc


@pytest.fixture(autouse=True)
def _no_run_outlives_its_test():
    """A row that fails half-way must not leave its run (and its sleeping notebook) behind."""
    yield
    while _STARTED:
        proc = _STARTED.pop()
        if proc.poll() is None:
            proc.terminate()  # the runner's own clean-up: workers, kernels, record
            try:
                proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()


def _env(nbdir: Path, out: Path) -> dict:
    return dict(os.environ, XIQU_NOTEBOOK_DIR=str(nbdir), XIQU_OUTPUT_DIR=str(out))


@pytest.fixture(scope="module")
def earlier_template(tmp_path_factory) -> Path:
    """A folder of runs holding one real complete run (fixture notebooks), copied into each row's folder."""
    base = tmp_path_factory.mktemp("earlier")
    out = base / "out"
    sc = scenario_copy(base, name="earlier", title="Earlier")
    proc = _xiqu(str(sc), "--jobs", "1", "--timeout", str(LIMIT_S), env=_env(notebook_dir(base), out))
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr
    return out


def _wait_for(predicate: Callable[[], bool], what: str, proc: subprocess.Popen, limit: float = LIMIT_S) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if predicate():
            return
        if proc.poll() is not None:
            pytest.fail(f"the run ended before {what}: {proc.communicate()[1]}")
        time.sleep(0.1)
    proc.kill()
    pytest.fail(f"timed out waiting for {what}")


def _new_run(out: Path, earlier: set[str]) -> Path | None:
    runs = [p for p in out.iterdir() if p.is_dir() and not p.is_symlink() and p.name not in earlier]
    return runs[0] if runs else None


def _wait_gone(pid: int, limit: float = 30) -> bool:
    """True once ``pid`` no longer runs (within ``limit`` seconds)."""
    end = time.monotonic() + limit
    while time.monotonic() < end and _running(pid):
        time.sleep(0.1)
    return not _running(pid)


def _sleeper_pids(run: Path) -> dict[str, int]:
    folder = next(run.glob("data_audit.*"))
    return {name: int((folder / f"{name}.pid").read_text()) for name in ("worker", "kernel", "child")}


# --------------------------------------------------------------------------- actions during a run
def _sleeping(run: Path) -> bool:
    return any(run.glob("data_audit.partial/kernel.pid"))


def _send(sig: int) -> Callable:
    def act(proc: subprocess.Popen, run: Path, ctx: dict) -> None:
        _wait_for(lambda: _sleeping(run), "the sleeping notebook", proc)
        ctx["pids"] = _sleeper_pids(run)
        runtime = Path(json.loads((run / "manifest.json").read_text())["runtime_dir"])
        ctx["connection_files"] = list(runtime.glob("kernel-*.json"))  # the keys are in the private folder
        assert ctx["connection_files"]
        proc.send_signal(sig)
    return act


def _break_the_index(proc: subprocess.Popen, run: Path, ctx: dict) -> None:
    """Something outside the runner makes index.html unwritable: the next record write fails."""
    _wait_for(lambda: _sleeping(run), "the sleeping notebook", proc)
    ctx["pids"] = _sleeper_pids(run)
    (run / "index.html").unlink()
    (run / "index.html").mkdir()


@dataclass
class RunFault:
    id: str
    notebooks: dict[str, str]  # notebook -> fixture (default ok)
    code: int
    stderr: str  # regex of the one line
    status: str  # the manifest's final status
    jobs: dict[str, str]  # job -> final status
    args: tuple[str, ...] = ()
    act: Callable | None = None
    reason: str | None = None
    extra: dict = field(default_factory=dict)


RUN_FAULTS = [
    RunFault("raising-cell", {"data_audit": "raising"}, 1,
             r"xiqu: run \S+ failed: 1 of 2 report\(s\) did not finish \(data_audit failed\)", "failed",
             {"scenario_report-case": "ok", "data_audit": "failed"}),
    RunFault("sys-exit-0", {"data_audit": "exit_early"}, 1, r"xiqu: run \S+ failed: .*\(data_audit failed\)",
             "failed", {"scenario_report-case": "ok", "data_audit": "failed"}),
    RunFault("kernel-death", {"data_audit": "kill_kernel"}, 1, r"xiqu: run \S+ failed: .*\(data_audit kernel_died\)",
             "failed", {"scenario_report-case": "ok", "data_audit": "kernel_died"}),
    RunFault("timeout", {"data_audit": "sleeping"}, 1, r"xiqu: run \S+ failed: .*\(data_audit timeout\)", "failed",
             {"scenario_report-case": "ok", "data_audit": "timeout"}, args=("--timeout", "10")),
    RunFault("sigint", {"data_audit": "sleeping"}, 130, r"xiqu: run \S+ incomplete: interrupted by Ctrl-C \(SIGINT\)",
             "incomplete", {"data_audit": "interrupted"}, act=_send(signal.SIGINT)),
    RunFault("sigterm", {"data_audit": "sleeping"}, 130, r"xiqu: run \S+ incomplete: stopped by SIGTERM",
             "incomplete", {"data_audit": "interrupted"}, act=_send(signal.SIGTERM)),
    RunFault("sighup", {"data_audit": "sleeping"}, 130,
             r"xiqu: run \S+ incomplete: stopped by SIGHUP \(the terminal or connection closed\)",
             "incomplete", {"data_audit": "interrupted"}, act=_send(signal.SIGHUP)),
    RunFault("runner-error", {"data_audit": "sleeping"}, 1,
             r"xiqu: run \S+ failed: error in the runner: IsADirectoryError: .*index\.html'", "failed",
             {"data_audit": "failed"}, args=("--timeout", "12", "--jobs", "2"), act=_break_the_index),
    # (two workers: the scenario report ends while the audit sleeps, and its record is the write that fails)
]


def _prepare(tmp_path: Path, template: Path, fault_notebooks: dict[str, str], out: Path | None = None):
    out = out or tmp_path / "out"
    shutil.copytree(template, out, symlinks=True, dirs_exist_ok=True)
    earlier = {p.name for p in out.iterdir()}
    nbdir = notebook_dir(tmp_path, **fault_notebooks)
    return out, earlier, tree(out), _env(nbdir, out)


def _check_record(out: Path, earlier: set[str], before: dict, stdout: str, stderr: str, proc, fault) -> dict:
    assert proc.returncode == fault.code, stderr
    assert stderr.count("\n") == 1 and re.fullmatch(fault.stderr + r"\n", stderr), stderr
    run = _new_run(out, earlier)
    assert run is not None and Path(stdout.strip().splitlines()[-1]) == run / "index.html"
    m = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == fault.status and m["finished"], m["status"]
    if fault.status != "complete":
        assert m["reason"] and m["reason"] in stderr
    for job, status in fault.jobs.items():
        entry = m["notebooks"][job]
        assert entry["status"] == status, entry
        assert (run / entry["folder"]).is_dir() and entry["folder"].endswith(status if status != "ok" else job)
    if (run / "index.html").is_file():  # (the runner-error row made it a folder)
        assert m["status"] in (run / "index.html").read_text(encoding="utf-8")
    # the run's private folder of kernel connection files is gone, whatever happened
    assert m["runtime_dir"] and not Path(m["runtime_dir"]).exists()
    # no worker or kernel of the run is left
    recorded = [*m["processes"]["workers"], *m["processes"]["templates"], *m["processes"]["kernels"]]
    assert recorded and not [p["pid"] for p in recorded if _running(p["pid"])
                             and abs(psutil.Process(p["pid"]).create_time() - p["create_time"]) < 0.05]
    # the earlier run is as it was; nothing but the new run was added
    after = tree(out)
    assert {k: v for k, v in after.items() if not k.startswith(run.name)} == before
    assert (out / "LATEST").read_text().strip() == sorted(earlier - {"LATEST", "latest"})[0]
    return m


@pytest.mark.parametrize("fault", RUN_FAULTS, ids=[f.id for f in RUN_FAULTS])
def test_a_fault_in_a_run_leaves_a_true_record(fault, tmp_path, earlier_template):
    out, earlier, before, env = _prepare(tmp_path, earlier_template, fault.notebooks)
    sc = scenario_copy(tmp_path, name="case", title="Case")
    proc = _xiqu(str(sc), "--jobs", "1", "--fresh", "--timeout", str(LIMIT_S), *fault.args, env=env)
    ctx: dict = {}
    if fault.act is not None:
        _wait_for(lambda: _new_run(out, earlier) is not None, "the run folder", proc)
        fault.act(proc, _new_run(out, earlier), ctx)
    stdout, stderr = proc.communicate(timeout=600)
    _check_record(out, earlier, before, stdout, stderr, proc, fault)
    for name, pid in ctx.get("pids", {}).items():  # the sleeping notebook's worker, kernel and its child
        assert not _running(pid), f"{name} {pid} still runs"
    assert not [p for p in ctx.get("connection_files", []) if p.exists()]


# --------------------------------------------------------------------------- a full disk
@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs at ``tmp_path/out`` (unmounted afterwards)."""
    mnt = tmp_path / "out"
    mnt.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", str(mnt)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"a real full disk needs a tmpfs, and mounting one is not allowed here: {res.stderr.strip()}")
    try:
        yield mnt
    finally:
        if subprocess.run(["umount", str(mnt)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _fill(folder: Path, leave: int) -> None:
    """Write a file that leaves only ``leave`` bytes free on ``folder``'s file system."""
    st = os.statvfs(folder)
    size = st.f_bavail * st.f_frsize - leave
    with open(folder / "filler", "wb") as fh:
        fh.write(b"\0" * size)


def test_a_full_disk_stops_the_run_with_a_true_record(tmp_path, earlier_template, small_disk):
    from xiqu_analysis.runner.record import RESERVE_BASE_BYTES, RESERVE_PER_JOB_BYTES

    out, earlier, _, env = _prepare(tmp_path, earlier_template, {}, out=small_disk)
    # room for the run's reserve and its first records, not for a report (an HTML page is ~270 KB)
    _fill(out, RESERVE_BASE_BYTES + 2 * RESERVE_PER_JOB_BYTES + 150 * 1024)
    earlier.add("filler")
    before = tree(out)
    sc = scenario_copy(tmp_path, name="case", title="Case")
    proc = _xiqu(str(sc), "--jobs", "1", "--fresh", "--timeout", str(LIMIT_S), env=env)
    stdout, stderr = proc.communicate(timeout=600)
    fault = RunFault("disk-full", {}, 1, r"xiqu: run \S+ failed: the disk is full \((while|writing) .*\)", "failed",
                     {})
    m = _check_record(out, earlier, before, stdout, stderr, proc, fault)
    statuses = {k: v["status"] for k, v in m["notebooks"].items()}
    assert set(statuses.values()) == {"failed"}, statuses
    assert any("the disk is full" in (v["error"] or "") for v in m["notebooks"].values())
    # no truncated file: every executed notebook left is whole JSON (papermill's saves are atomic)
    for nb in _new_run(out, earlier).glob("*/*.ipynb"):
        json.loads(nb.read_text(encoding="utf-8"))
    assert not list(_new_run(out, earlier).glob("*.partial"))


# --------------------------------------------------------------------------- SIGKILL of the runner
def test_a_killed_runner_is_found_by_the_next_run(tmp_path, earlier_template):
    """SIGKILL: the workers stop their kernels by themselves; the next run marks the manifest abandoned.

    About 25 s on 2 cores (fixture notebooks): four runs one after the other, the first three each until its
    sleeping notebook has started.

    The second time the worker is frozen (SIGSTOP) before the runner is killed, so it cannot
    notice: the next run must stop the recorded worker and kernel (and the kernel's child) itself.
    The third time the kernel template is frozen and the worker killed with the runner (as the kernel
    OOM killer might): the template, no longer in any worker's tree, is found by its own record.
    """
    out, earlier, before, env = _prepare(tmp_path, earlier_template, {"data_audit": "sleeping"})
    sc = scenario_copy(tmp_path, name="case", title="Case")
    killed, left = [], {}
    for freeze in (None, "worker", "template"):
        proc = _xiqu(str(sc), "--jobs", "1", "--fresh", env=env)
        _wait_for(lambda: any(r.name not in earlier and r.name not in killed and _sleeping(r)
                              for r in out.iterdir() if r.is_dir()), "the sleeping notebook", proc)
        run = next(r for r in out.iterdir() if r.is_dir() and r.name not in earlier and r.name not in killed)
        pids = _sleeper_pids(run)
        pids.update({f"template-{i}": pid for i, pid in enumerate(template_pids(run))})
        assert len(pids) == 4  # worker, kernel, child and the worker's kernel template
        if freeze == "worker":
            os.kill(pids["worker"], signal.SIGSTOP)
        elif freeze == "template":
            os.kill(pids["template-0"], signal.SIGSTOP)
            os.kill(pids["worker"], signal.SIGKILL)
        proc.kill()
        proc.communicate()
        killed.append(run.name)
        if freeze is None:  # the worker saw its stdin close: it stops its kernel and itself
            # and the worker's kernel template ends with its worker
            end = time.monotonic() + 30
            while time.monotonic() < end and any(_running(p) for p in pids.values()):
                time.sleep(0.1)
            assert not [n for n, p in pids.items() if _running(p)]
        else:
            if freeze == "template":
                assert _wait_gone(pids.pop("worker"))
            assert all(_running(p) for p in pids.values()), {n: _running(p) for n, p in pids.items()}  # left behind
            left.update({f"{freeze} frozen: {n}": p for n, p in pids.items()})
        m = json.loads((run / "manifest.json").read_text())
        assert m["status"] == "running" and Path(m["runtime_dir"]).exists()
        earlier.add(run.name)
    # the next run (nothing wrong with it) finds all three
    (tmp_path / "ok").mkdir()
    ok_env = dict(env, XIQU_NOTEBOOK_DIR=str(notebook_dir(tmp_path / "ok")))
    proc = _xiqu(str(sc), "--jobs", "1", "--fresh", env=ok_env)
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0 and stderr.count("\n") == 1, stderr
    try:
        for name in killed:
            m = json.loads((out / name / "manifest.json").read_text())
            assert m["status"] == "abandoned" and "marked abandoned by run" in m["reason"]
            assert m["notebooks"]["data_audit"]["status"] == "abandoned"
            assert (out / name / "data_audit.abandoned").is_dir()
            assert not Path(m["runtime_dir"]).exists()
        # the worker, its kernel template, the kernel and the kernel's child; then the template, the kernel and
        # its child
        assert "stopped 4 process(es)" in json.loads((out / killed[1] / "manifest.json").read_text())["reason"]
        assert "stopped 3 process(es)" in json.loads((out / killed[2] / "manifest.json").read_text())["reason"]
        assert not [n for n, p in left.items() if _running(p)]
    finally:
        for p in left.values():
            if _running(p):
                os.kill(p, signal.SIGKILL)
    # the complete earlier run is as it was (the pointers moved to the new, complete run)
    kept = {k.split("/")[0] for k in before} - {"LATEST", "latest"}
    assert {k: v for k, v in tree(out).items() if k.split("/")[0] in kept} == \
        {k: v for k, v in before.items() if k.split("/")[0] in kept}


def test_nohup_keeps_the_run_going_when_the_terminal_closes(tmp_path):
    """`nohup xiqu run`: SIGHUP is ignored by the caller's choice, and stays ignored."""
    out = tmp_path / "out"
    env = _env(notebook_dir(tmp_path), out)
    sc = scenario_copy(tmp_path, name="case", title="Case")
    proc = subprocess.Popen([sys.executable, "-m", "xiqu_analysis", "run", str(sc), "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    _STARTED.append(proc)
    _wait_for(lambda: out.is_dir() and any(out.glob("*/.runner/worker-1.json")), "the first worker", proc)
    proc.send_signal(signal.SIGHUP)
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0 and stderr.count("\n") == 1, stderr
    assert json.loads((Path(stdout.strip().splitlines()[-1]).parent / "manifest.json").read_text())["status"] \
        == "complete"
