"""Kernels forked from a worker's kernel template (runner.kernel_template, runner.forked_kernels), real kernels.

A forked kernel must be what ``python -m ipykernel_launcher`` started by
jupyter_client would be: its own session, folder, environment, signal
dispositions, descriptors; interruptible; killed with what it started; gone
when its worker is SIGKILLed. When the template is gone the next kernels start
the plain way; ``XIQU_FORK_KERNELS=0`` turns forking off.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import psutil
import pytest

from xiqu_analysis.runner.forked_kernels import ForkedKernel
from xiqu_analysis.runner.kernels import Kernels
from xiqu_analysis.runner.pool import WorkerProcess, worker_env

from tests.helpers.runs import running

pytestmark = pytest.mark.notebook

#: what a kernel reports of itself (one JSON line)
PROBE = r'''
import json, os, signal, sys, threading, numpy
a = numpy.random.default_rng(3).random((300, 300))
print(json.dumps({
    "cwd": os.getcwd(), "leads_session": os.getsid(0) == os.getpid() == os.getpgid(0),
    "env": {k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"},
    "parent_pid_env": os.environ.get("JPY_PARENT_PID"),
    "path": sys.path, "argv0": os.path.basename(sys.argv[0]),
    "signals": [str(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE)],
    "fds": sorted(int(fd) for fd in os.listdir("/proc/self/fd")) [:3], "stdin": os.readlink("/proc/self/fd/0"),
    "threads": threading.active_count(), "main": sys.modules["__main__"].__name__,
    "blas": float((a @ a).sum()), "legacy_random": float(numpy.random.random()),
}))
'''


@pytest.fixture
def runtime(tmp_path, monkeypatch):
    rt = tmp_path / "runtime"
    rt.mkdir()
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(rt))
    return tmp_path


def _client(km):
    from jupyter_client import BlockingKernelClient

    kc = BlockingKernelClient(connection_file=km.connection_file)
    kc.load_connection_file()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return kc


def _run(kc, code: str, timeout: float = 60) -> tuple[str, dict]:
    out: list[str] = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=hook)
    return "".join(out), reply["content"]


def _probe(kernels: Kernels) -> tuple[dict, int]:
    km = kernels.start()
    kc = _client(km)
    try:
        text, reply = _run(kc, PROBE)
        assert reply["status"] == "ok", reply
        return json.loads(text), km.provisioner.process
    finally:
        kc.stop_channels()
        kernels.stop(km)


def test_a_forked_kernel_is_the_kernel_jupyter_client_would_start(runtime):
    """Two forked kernels and a plain one report the same folder, session, environment, path, signals,
    descriptors, threads and BLAS result; the legacy numpy generator is seeded anew in each."""
    forked = Kernels("python3", runtime, runtime / "forked.json", fork=True)
    plain = Kernels("python3", runtime, runtime / "plain.json", fork=False)
    try:
        (a, proc_a), (b, proc_b) = _probe(forked), _probe(forked)
        (c, proc_c) = _probe(plain)
        assert isinstance(proc_a, ForkedKernel) and isinstance(proc_b, ForkedKernel)
        assert isinstance(proc_c, subprocess.Popen)
        assert forked.template.info["python_threads"] == 1  # nothing but the main thread when it forks
        assert a["leads_session"] and a["cwd"] == str(runtime) and a["stdin"] == os.devnull
        assert a["parent_pid_env"] == c["parent_pid_env"] == str(os.getpid())  # jupyter_client's JPY_PARENT_PID
        # SIGINT: Python's handler; SIGTERM, SIGHUP: default (0); SIGPIPE: ignored (1), as Python starts
        assert a["signals"] == ["<built-in function default_int_handler>", "0", "0", "1"]
        # (stdin: /dev/null; a plain kernel's is a pipe jupyter_client closed at once: both read as empty)
        for key in ("cwd", "leads_session", "env", "path", "argv0", "signals", "fds", "threads", "main", "blas"):
            assert a[key] == b[key] == c[key], key
        assert len({a["legacy_random"], b["legacy_random"], c["legacy_random"]}) == 3
        # each kernel is recorded (pid and start time) as a plain one is
        assert [k["pid"] for k in json.loads((runtime / "forked.json").read_text())["kernels"]] == \
            [proc_a.pid, proc_b.pid]
    finally:
        forked.stop_all()
        plain.stop_all()
    assert forked.template.proc.returncode == 0  # the template ended with its worker's kernels


def test_interrupt_and_kill_of_a_forked_kernel(runtime):
    """Interrupt (SIGINT to the kernel's group) stops a cell; stopping the kernel kills what it started too."""
    kernels = Kernels("python3", runtime, runtime / "k.json", fork=True)
    try:
        km = kernels.start()
        assert isinstance(km.provisioner.process, ForkedKernel)
        kc = _client(km)
        kc.execute("import time\ntime.sleep(60)", stop_on_error=False)  # the next request is not aborted
        time.sleep(1.0)
        from jupyter_core.utils import run_sync

        run_sync(km.interrupt_kernel)()
        reply = kc.get_shell_msg(timeout=20)["content"]
        assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
        pid_file = runtime / "child.pid"  # a file, not the cell's output: read whatever iopub delivers when
        _, rep = _run(kc, "import pathlib, subprocess, sys\n"
                          "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
                          f"pathlib.Path({str(pid_file)!r}).write_text(str(child.pid))")
        assert rep["status"] == "ok", rep
        child, pid = int(pid_file.read_text()), km.provisioner.process.pid
        assert running(child) and run_sync(km.is_alive)()
        kc.stop_channels()
        kernels.stop(km)  # SIGKILL to the kernel's process group, as for a timeout
        end = time.monotonic() + 10
        while time.monotonic() < end and (running(pid) or running(child)):
            time.sleep(0.05)
        assert not running(pid) and not running(child)
        assert km.provisioner is None or km.provisioner.process is None or \
            km.provisioner.process.poll() == -signal.SIGKILL
    finally:
        kernels.stop_all()


def test_a_kernel_that_dies_is_seen_dead_with_its_status(runtime):
    kernels = Kernels("python3", runtime, runtime / "k.json", fork=True)
    try:
        km = kernels.start()
        proc = km.provisioner.process
        kc = _client(km)
        kc.execute("import os\nos._exit(7)")
        assert proc.wait(timeout=20) == 7  # reaped by the template, the status passed on
        from jupyter_core.utils import run_sync

        assert not run_sync(km.is_alive)()
        proc.signal_group(signal.SIGKILL)  # reaped: nothing is signalled (and nothing raises)
        kc.stop_channels()
    finally:
        kernels.stop_all()


def test_kernels_start_the_plain_way_when_the_template_is_gone(runtime, caplog):
    kernels = Kernels("python3", runtime, runtime / "k.json", fork=True)
    try:
        first = kernels.start()
        assert isinstance(first.provisioner.process, ForkedKernel)
        template = kernels.template.proc
        template.kill()
        template.wait()
        # the kernel it had forked is still a kernel of this worker's (its pidfd) and is stopped
        second = kernels.start()
        assert isinstance(second.provisioner.process, subprocess.Popen)
        assert "kernels start the plain way" in caplog.text
        kc = _client(second)
        assert _run(kc, "print(6 * 7)")[0] == "42\n"
        kc.stop_channels()
        pid = first.provisioner.process.pid
        kernels.stop(first)
        end = time.monotonic() + 10
        while time.monotonic() < end and running(pid):
            time.sleep(0.05)
        assert not running(pid)
    finally:
        kernels.stop_all()


def test_the_switch_turns_forking_off(runtime, monkeypatch):
    monkeypatch.setenv("XIQU_FORK_KERNELS", "0")
    kernels = Kernels("python3", runtime, runtime / "k.json")
    try:
        assert kernels.template is None
        km = kernels.start()
        assert isinstance(km.provisioner.process, subprocess.Popen)
        assert km.provisioner.process.args[1:3] == ["-m", "ipykernel_launcher"]
    finally:
        kernels.stop_all()


def test_a_sigkilled_worker_leaves_no_template_and_no_kernel(tmp_path):
    """A real worker process prestarts a forked kernel; SIGKILL of the worker: the template notices (its
    socket closes), kills the kernel's group and exits."""
    internal = tmp_path / ".runner"
    internal.mkdir()
    (tmp_path / "runtime").mkdir()
    worker = WorkerProcess(1, internal, worker_env(tmp_path / "runtime"), "python3", tmp_path)
    try:
        end = time.monotonic() + 120
        record = worker.kernels_record

        def recorded() -> dict:  # the template is recorded when it starts, the kernel when it is forked
            return json.loads(record.read_text()) if record.is_file() else {}

        while time.monotonic() < end and not recorded().get("kernels"):
            time.sleep(0.1)
        kernel = recorded()["kernels"][0]["pid"]
        kernel_proc = psutil.Process(kernel)
        template = kernel_proc.parent()
        assert template.parent().pid == worker.pid and "kernel_template" in " ".join(template.cmdline())
        assert [t["pid"] for t in recorded()["templates"]] == [template.pid]
        os.kill(worker.pid, signal.SIGKILL)
        worker.proc.wait()
        end = time.monotonic() + 20
        while time.monotonic() < end and (running(template.pid) or running(kernel)):
            time.sleep(0.05)
        assert not running(template.pid) and not running(kernel)
    finally:
        worker.kill(grace_s=0.5)
