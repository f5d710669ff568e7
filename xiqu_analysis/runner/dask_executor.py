"""The jobs of a run on a Dask distributed cluster (``xiqu run --executor dask``; the optional ``dask`` extra).

Each job is one Dask task. The task does not execute the notebook in the
Dask worker itself: it hands the job to a warm worker process of this package
(:mod:`xiqu_analysis.runner.worker`, the same program the local pool runs,
started by the task on the Dask worker's machine and kept there for the next
job of the run), waits for its result and returns it. So a job runs the same
code in the same kind of process as with the local executor, and its tables
are the same bytes.

Shared storage is assumed: the run folder (job specs, results, every report)
and the scenario, data and notebook files must be at the same absolute paths
on the runner's machine and every Dask worker's, and the package installed
in the same version there (``README.md``). Without ``--scheduler`` the run
starts a LocalCluster on 127.0.0.1 (one single-threaded worker process per
job at once) and closes it at the end.

What the session needs from an executor, here:

* time limits and cancellation (the runner's SIGINT/SIGTERM/SIGHUP, a job past
  its limit): the runner marks the job (or the whole run) cancelled on every
  Dask worker (:meth:`distributed.Client.run`); the task stops its worker
  process with the kernel and everything the kernel started, then returns,
  and only then is the job recorded;
* a lost Dask worker (its process killed, its machine gone): the job fails
  with the reason (a LocalCluster's scheduler does not retry it; on another
  scheduler a retry finds the job's claim file and fails at once), the other
  jobs go on; the job's worker process notices its stdin closing and stops
  its kernel (:func:`xiqu_analysis.runner.worker.serve`);
* the end of the run: idle worker processes stop their kernels and exit.
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import Message
from .executors import Executor, Outcome, RunContext, Task
from .worker import EXIT_DISK_FULL

__all__ = ["DaskExecutor", "run_job", "parse_scheduler"]

log = logging.getLogger("xiqu_analysis.runner")

#: seconds to wait for a cancelled task to stop its processes and return
CANCEL_WAIT_S = 60.0
#: seconds to wait for a scheduler's first worker
WORKER_WAIT_S = 60.0

_SCHEDULER = re.compile(r"^(tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$")


def parse_scheduler(address: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of ``tcp://HOST:PORT`` (or ``tls://``); ValueError with the reason otherwise."""
    m = _SCHEDULER.match(address or "")
    if not m:
        raise ValueError(Message("must be tcp://HOST:PORT (or tls://HOST:PORT), got {address!r}", address=address))
    port = int(m.group(3))
    if not 1 <= port <= 65535:
        raise ValueError(Message("port {port} is not between 1 and 65535", port=port))
    return m.group(1), m.group(2).strip("[]"), port


# --------------------------------------------------------------------------- in the Dask worker process
_LOCK = threading.Lock()
_HOSTED: dict[str, list[Any]] = {}  # run id -> this process's worker processes for that run
_RUNTIME: dict[str, str] = {}  # run id -> this machine's private folder of kernel connection files
_CANCELLED: set[tuple[str, str]] = set()
_ENDED: set[str] = set()
_COUNT = [0]


def _hosted_env(setup: dict, runtime_dir: str) -> dict[str, str]:
    from .pool import worker_env

    base = dict(setup["env"]) if setup.get("env_replace") else dict(os.environ, **setup.get("env", {}))
    return worker_env(Path(runtime_dir), base)


def _take(setup: dict) -> Any:
    """An idle worker process of this run in this Dask worker, or a new one; idle ones of other runs close."""
    from .pool import WorkerProcess
    from .record import RUNTIME_PREFIX

    run_id = setup["run_id"]
    with _LOCK:
        # idle worker processes of other runs close: a runner killed without ending its run leaves some
        # (a run still going starts new ones when it needs them)
        for other, procs in list(_HOSTED.items()):
            if other != run_id:
                for w in [w for w in procs if w.job is None]:
                    w.close()  # it stops its kernels and exits
                    w.close_log()
                    procs.remove(w)
        mine = _HOSTED.setdefault(run_id, [])
        for w in [w for w in mine if w.job is None and w.exited()]:
            mine.remove(w)
            w.close_log()
        idle = next((w for w in mine if w.job is None), None)
        if idle is not None:
            idle.job = "taken"
            return idle
        if run_id not in _RUNTIME:
            _RUNTIME[run_id] = tempfile.mkdtemp(prefix=RUNTIME_PREFIX)
        _COUNT[0] += 1
        number = f"dask-{socket.gethostname()}-{os.getpid()}-{_COUNT[0]}"
        w = WorkerProcess(number, Path(setup["internal"]), _hosted_env(setup, _RUNTIME[run_id]), setup["kernel_name"],
                          Path(setup["internal"]), list(setup["formats"]))
        w.job = "taken"
        mine.append(w)
        return w


def _drop(run_id: str, w: Any) -> None:
    with _LOCK:
        if w in _HOSTED.get(run_id, []):
            _HOSTED[run_id].remove(w)
    w.close_log()


def run_job(setup: dict, name: str, spec_path: str, result_path: str) -> dict:
    """The Dask task of one job: hand it to a warm worker process here, wait for its result, return it.

    Returns ``{"result": ...}``, ``{"exited": status}`` (the worker process
    ended without a result), ``{"lost": reason}`` (the job started before on a
    worker that was lost) or ``{"cancelled": True}``; each with ``worker`` (pid)
    and ``host``.
    """
    run_id, host = setup["run_id"], socket.gethostname()
    if run_id in _ENDED or (run_id, name) in _CANCELLED:
        return {"cancelled": True, "worker": None, "host": host}
    claim = Path(setup["internal"]) / f"{name}.claim"
    try:
        fd = os.open(claim, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        before = claim.read_text(encoding="utf-8", errors="replace").strip()
        return {"lost": f"the Dask worker that ran it ({before}) was lost before it finished", "worker": None,
                "host": host}
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"host {host}, pid {os.getpid()}\n")
    w = _take(setup)
    base = {"worker": w.pid, "host": host, "identity": dict(w.identity, host=host)}
    if not w.assign(name, Path(spec_path), Path(result_path)):
        log.warning("worker pid %d had gone before %s was handed over", w.pid, name)
    while True:
        if run_id in _ENDED or (run_id, name) in _CANCELLED:
            w.kill()  # the worker, its kernel and what the kernel started; returns when all are gone
            _drop(run_id, w)
            return dict(base, cancelled=True)
        result = w.result()
        if result is not None:
            w.release()
            return dict(base, result=result)
        if w.exited():
            _drop(run_id, w)
            return dict(base, exited=w.proc.returncode)
        time.sleep(0.05)


def _cancel(run_id: str, name: str | None = None) -> None:
    """On every Dask worker: the job ``name`` (or every job of the run) is cancelled."""
    if name is None:
        _ENDED.add(run_id)
    else:
        _CANCELLED.add((run_id, name))


async def _end_run(run_id: str, wait_s: float, grace_s: float) -> list[int]:
    """On every Dask worker: the run has ended; its idle worker processes stop their kernels and exit."""
    from .processes import kill_pids

    _ENDED.add(run_id)
    with _LOCK:
        procs = _HOSTED.pop(run_id, [])
    for w in procs:
        w.close()
    end = time.monotonic() + wait_s
    while time.monotonic() < end and not all(w.exited() for w in procs):
        await asyncio.sleep(0.05)
    left = [w.pid for w in procs if not w.exited()]
    if left:
        await asyncio.get_running_loop().run_in_executor(None, lambda: kill_pids(left, grace_s=grace_s))
    for w in procs:
        try:
            w.proc.wait(timeout=5)
        except Exception:  # noqa: BLE001
            pass
        w.close_log()
    runtime = _RUNTIME.pop(run_id, None)
    if runtime:
        shutil.rmtree(runtime, ignore_errors=True)
    return [w.pid for w in procs]


def _identity() -> dict | None:
    from .processes import identity

    found = identity(os.getpid())
    return dict(found, host=socket.gethostname()) if found else None


# --------------------------------------------------------------------------- in the runner
class DaskExecutor(Executor):
    """Jobs as tasks on a Dask distributed cluster: a scheduler's, or a LocalCluster on 127.0.0.1.

    Parameters
    ----------
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a running scheduler; None starts a LocalCluster
        of ``n_workers`` single-threaded worker processes on 127.0.0.1.
    max_jobs : int, optional
        Jobs at once; default: every thread of the cluster's workers.
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, *, max_jobs: int | None = None, n_workers: int = 1):
        self.scheduler, self.max_jobs, self.n_workers = scheduler, max_jobs, max(1, int(n_workers))
        self.cluster: Any = None
        self.client: Any = None
        self.ctx: RunContext | None = None
        self.setup: dict[str, Any] = {}
        self.futures: dict[str, Any] = {}
        self.identities: list[dict] = []
        self.address: str | None = None
        self._closed = False

    def start(self, ctx: RunContext) -> None:
        import dask
        from distributed import Client, LocalCluster

        self.ctx = ctx
        if self.scheduler is None:
            # no retry of a job whose worker died: it fails with the reason, the others go on; no sampling
            # profiler in the workers (every 10 ms it would take CPU from the kernels: a task only waits)
            with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                                  "distributed.worker.profile.enabled": False,
                                  "distributed.worker.daemon": True}):
                self.cluster = LocalCluster(n_workers=self.n_workers, threads_per_worker=1, processes=True,
                                            host="127.0.0.1", scheduler_port=0, dashboard_address=None,
                                            memory_limit=0, silence_logs=logging.ERROR)
            self.client = Client(self.cluster, set_as_default=False)
            env, replace = dict(os.environ), True  # the workers' processes get the runner's environment
        else:
            self.client = Client(self.scheduler, timeout=30, set_as_default=False)
            self.client.wait_for_workers(1, timeout=WORKER_WAIT_S)
            env, replace = {k: v for k, v in os.environ.items() if k.startswith("XIQU_")}, False
        self.address = self.client.scheduler.address
        if self.cluster is not None:
            found = self.client.run(_identity)
            self.identities = [i for i in found.values() if i]
        self.setup = {"run_id": ctx.run_id, "internal": str(ctx.internal), "kernel_name": ctx.kernel_name,
                      "formats": list(ctx.formats), "env": env, "env_replace": replace}
        log.info("dask executor: %s, scheduler %s, %d worker thread(s)",
                 "LocalCluster on 127.0.0.1" if self.cluster is not None else "cluster", self.address,
                 self._threads())

    def _threads(self) -> int:
        try:
            workers = self.client.scheduler_info().get("workers", {})
        except Exception:  # noqa: BLE001 - asked again at the next turn
            return 0
        return sum(int(w.get("nthreads", 1)) for w in workers.values())

    def slots(self) -> int:
        cap = self.n_workers if self.cluster is not None else self._threads()
        if self.max_jobs is not None:
            cap = min(cap, self.max_jobs)
        return max(0, cap - len(self.futures))

    def submit(self, task: Task, *, more: bool) -> int | None:  # noqa: ARG002 - the spec carries it
        assert self.ctx is not None
        self.futures[task.name] = self.client.submit(
            run_job, self.setup, task.name, str(task.spec_path), str(task.result_path),
            key=f"xiqu-{self.ctx.run_id}-{task.name}", pure=False, retries=0)
        return None

    def _outcome(self, name: str, fut: Any) -> Outcome:
        if fut.status == "finished":
            r = fut.result()
            worker = r.get("worker")
            ident = r.get("identity")
            if ident and ident.get("host") == socket.gethostname() and ident not in self.identities:
                self.identities.append(ident)
            if "result" in r:
                return Outcome(name, result=r["result"], worker=worker)
            if "lost" in r:
                return Outcome(name, failure=r["lost"], worker=worker)
            if "exited" in r:
                rc = r["exited"]
                if rc == EXIT_DISK_FULL:
                    return Outcome(name, failure="the disk is full: the worker could not write its result",
                                   disk_full=True, worker=worker)
                return Outcome(name, failure=f"the worker process exited with status {rc} without a result "
                               f"(see job.log; host {r.get('host')})", worker=worker)
            return Outcome(name, failure="cancelled on the Dask worker", worker=worker)
        if fut.status == "error":
            exc = fut.exception()
            if type(exc).__name__ == "KilledWorker":
                where = re.search(r"(tcp|tls)://[^\s.,;]+(?:\.[^\s.,;]+)*", str(exc))
                return Outcome(name, failure="the Dask worker running it was lost (its process ended"
                               + (f"; worker {where.group(0)})" if where else ")"))
            text = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            return Outcome(name, failure=f"the Dask task failed: {text}")
        return Outcome(name, failure=f"the Dask scheduler reported the task {fut.status}")

    def poll(self, wait_s: float) -> list[Outcome]:
        time.sleep(wait_s)
        out = []
        for name, fut in list(self.futures.items()):
            if fut.done():
                del self.futures[name]
                out.append(self._outcome(name, fut))
                fut.release()
        return out

    def _broadcast(self, fn: Any, *args: Any, limit_s: float = CANCEL_WAIT_S) -> None:
        """Run ``fn(*args)`` on every Dask worker; give up after ``limit_s`` seconds (a worker that hangs)."""
        failed: list[BaseException] = []

        def call() -> None:
            try:
                try:
                    self.client.run(fn, *args, on_error="ignore")
                except TypeError:  # an older distributed without on_error
                    self.client.run(fn, *args)
            except BaseException as exc:  # noqa: BLE001 - reported below
                failed.append(exc)

        t = threading.Thread(target=call, name="xiqu-dask-broadcast", daemon=True)
        t.start()
        t.join(limit_s)
        if t.is_alive():
            log.warning("the Dask workers did not all answer within %g s (%s)", limit_s, fn.__name__)
        elif failed:
            log.warning("the Dask workers: %s: %s: %s", fn.__name__, type(failed[0]).__name__, failed[0])

    def cancel(self, name: str) -> None:
        from distributed import wait

        assert self.ctx is not None
        fut = self.futures.pop(name, None)
        self._broadcast(_cancel, self.ctx.run_id, name)
        if fut is not None:
            try:
                wait([fut], timeout=CANCEL_WAIT_S)
            except Exception as exc:  # noqa: BLE001 - e.g. its worker was lost meanwhile
                log.warning("cancelling %s: %s: %s", name, type(exc).__name__, exc)
            fut.release()

    def shutdown(self, *, grace_s: float = 1.0, wait_s: float = 0.0) -> None:
        from distributed import wait

        if self.client is None or self._closed:
            return
        self._closed = True
        assert self.ctx is not None
        try:
            if self.futures:
                self._broadcast(_cancel, self.ctx.run_id)
                try:
                    wait(list(self.futures.values()), timeout=CANCEL_WAIT_S)
                except Exception as exc:  # noqa: BLE001
                    log.warning("stopping the run's tasks: %s: %s", type(exc).__name__, exc)
                for fut in self.futures.values():
                    fut.release()
                self.futures.clear()
            self._broadcast(_end_run, self.ctx.run_id, max(wait_s, 2.0), grace_s)
        except Exception as exc:  # noqa: BLE001 - the cluster is closed all the same
            log.warning("ending the run on the Dask workers: %s: %s", type(exc).__name__, exc)
        finally:
            try:
                self.client.close(timeout=30)
            except Exception:  # noqa: BLE001
                pass
            if self.cluster is not None:
                try:
                    self.cluster.close(timeout=30)
                except Exception:  # noqa: BLE001
                    pass

    def processes(self) -> list[dict]:
        return self.identities

    def describe(self) -> dict[str, Any]:
        from importlib import metadata

        out: dict[str, Any] = {"name": self.name, "scheduler": self.address or self.scheduler,
                               "cluster": "LocalCluster on 127.0.0.1" if self.scheduler is None else "external"}
        for dist in ("dask", "distributed"):
            try:
                out[dist] = metadata.version(dist)
            except metadata.PackageNotFoundError:
                pass
        return out
