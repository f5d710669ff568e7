"""Where a run's jobs execute: one small interface, the warm local pool by default.

:class:`~xiqu_analysis.runner.session.RunSession` schedules through an
:class:`Executor` and never starts a process itself:

* :meth:`Executor.start` once, before the first job (a pool, a cluster client);
* :meth:`Executor.slots`: how many more jobs can start now;
* :meth:`Executor.submit`: start one job (its spec is the worker's ``SPEC.json``,
  :mod:`xiqu_analysis.runner.worker`);
* :meth:`Executor.poll`: the jobs that ended since the last call, each an
  :class:`Outcome`: the worker's result, or why there is none (a lost worker,
  a full disk);
* :meth:`Executor.cancel`: stop one job now (its time limit is past); returns
  when nothing it started runs any more;
* :meth:`Executor.release_idle` (no job is waiting) and :meth:`Executor.shutdown`
  (the run ends, however it ends).

Time limits, signals, the disk reserve, reuse and the record stay in the
session, so every executor gets them alike. :class:`LocalPool` is the warm
worker processes of :mod:`xiqu_analysis.runner.pool` on this machine;
:class:`xiqu_analysis.runner.dask_executor.DaskExecutor` runs the same worker
on the workers of a Dask distributed cluster (``xiqu run --executor dask``).
"""
from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .pool import WorkerProcess, worker_env
from .processes import kill_pids
from .worker import EXIT_DISK_FULL

__all__ = ["EXECUTORS", "Executor", "LocalPool", "Outcome", "RunContext", "Task", "make_executor"]

log = logging.getLogger("xiqu_analysis.runner")

#: the executors ``xiqu run --executor`` offers
EXECUTORS = ("local", "dask")


@dataclass(frozen=True)
class RunContext:
    """What an executor needs to know about the run it serves.

    Attributes
    ----------
    run_id : str
    internal : Path
        The run's ``.runner`` folder: job specs, results, worker configs and logs.
    runtime_dir : Path
        The run's private folder of kernel connection files (on this machine).
    kernel_name : str
    formats : tuple of str
        Every report format of the run (a worker loads their writers before its first job).
    max_jobs : int or None
        Jobs at once (None: as many as the executor has room for).
    """

    run_id: str
    internal: Path
    runtime_dir: Path
    kernel_name: str
    formats: tuple[str, ...]
    max_jobs: int | None


@dataclass(frozen=True)
class Task:
    """One job handed to an executor: its name, the spec the worker reads, where it writes its result."""

    name: str
    spec: Mapping[str, Any]
    spec_path: Path
    result_path: Path


@dataclass(frozen=True)
class Outcome:
    """A job that ended: the worker's ``result``, or ``failure`` (why there is none).

    ``disk_full``: no result because the disk is full (the run stops).
    ``worker``: pid of the worker process that ran it, when known.
    """

    name: str
    result: Mapping[str, Any] | None = None
    failure: str | None = None
    disk_full: bool = False
    worker: int | None = None


class Executor(ABC):
    """Runs jobs somewhere; the session decides what, when, and for how long."""

    #: name shown in the log and the manifest
    name: str = ""

    @abstractmethod
    def start(self, ctx: RunContext) -> None:
        """Get ready to take jobs (called once, in the main thread, with stop signals handled)."""

    @abstractmethod
    def slots(self) -> int:
        """How many more jobs can start now."""

    @abstractmethod
    def submit(self, task: Task, *, more: bool) -> int | None:
        """Start ``task`` now; ``more``: another job will follow it (a worker may start a kernel ahead).

        Returns the pid of the worker process that runs it, when known.
        """

    @abstractmethod
    def poll(self, wait_s: float) -> list[Outcome]:
        """The jobs that ended since the last call (waits up to ``wait_s`` seconds for one)."""

    @abstractmethod
    def cancel(self, name: str) -> None:
        """Stop the job ``name`` now; return when nothing it started runs any more. No outcome follows."""

    def release_idle(self) -> None:  # noqa: B027 - optional
        """No job is waiting: idle capacity may go."""

    @abstractmethod
    def shutdown(self, *, grace_s: float = 1.0, wait_s: float = 0.0) -> None:
        """Stop everything the executor started (idle workers get ``wait_s`` seconds to exit by themselves,
        then SIGTERM, SIGKILL ``grace_s`` seconds later); callable more than once."""

    def processes(self) -> list[dict]:
        """``{"pid", "create_time"}`` of the processes it started on this machine (the manifest's record)."""
        return []

    def describe(self) -> dict[str, Any]:
        """What the manifest says about the executor."""
        return {"name": self.name}


class LocalPool(Executor):
    """Warm worker processes on this machine (:class:`~xiqu_analysis.runner.pool.WorkerProcess`).

    A worker is started when a job finds none idle (up to ``max_jobs``),
    executes jobs one after another, and is closed when no job is waiting. A
    worker that exits without a result fails its job with its exit status; one
    whose job is cancelled is stopped with its whole tree and replaced by a new
    one for the next job.
    """

    name = "local"

    def __init__(self, max_jobs: int):
        self.max_jobs = max_jobs
        self.ctx: RunContext | None = None
        self.env: dict[str, str] = {}
        self.workers: list[WorkerProcess] = []
        self.identities: list[dict] = []
        self._count = 0

    def start(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.env = worker_env(ctx.runtime_dir)

    def _gone_idle(self) -> None:
        for w in [w for w in self.workers if w.job is None and w.exited()]:
            self.workers.remove(w)  # gone between jobs: another one takes its place
            w.close_log()

    def slots(self) -> int:
        self._gone_idle()
        return max(0, self.max_jobs - sum(w.job is not None for w in self.workers))

    def _new_worker(self) -> WorkerProcess:
        assert self.ctx is not None
        self._count += 1
        w = WorkerProcess(self._count, self.ctx.internal, self.env, self.ctx.kernel_name, self.ctx.internal,
                          list(self.ctx.formats))
        self.workers.append(w)
        self.identities.append(w.identity)
        log.info("worker %d started, pid %d", w.number, w.pid)
        return w

    def submit(self, task: Task, *, more: bool) -> int | None:
        self._gone_idle()
        w = next((w for w in self.workers if w.job is None), None) or self._new_worker()
        if not w.assign(task.name, task.spec_path, task.result_path):
            log.warning("worker %d had gone before %s was handed over", w.pid, task.name)
        return w.pid

    def poll(self, wait_s: float) -> list[Outcome]:
        time.sleep(wait_s)
        out = []
        for w in [w for w in self.workers if w.job is not None]:
            result = w.result()
            if result is not None:
                out.append(Outcome(w.job, result=result, worker=w.pid))
                w.release()
            elif w.exited():
                rc = w.proc.returncode
                self.workers.remove(w)
                w.close_log()
                if rc == EXIT_DISK_FULL:
                    out.append(Outcome(w.job, failure="the disk is full: the worker could not write its result",
                                       disk_full=True, worker=w.pid))
                else:
                    out.append(Outcome(w.job, failure=f"the worker process exited with status {rc} without a "
                                       "result (see job.log)", worker=w.pid))
        return out

    def cancel(self, name: str) -> None:
        for w in [w for w in self.workers if w.job == name]:
            w.kill()
            self.workers.remove(w)

    def release_idle(self) -> None:
        for w in [w for w in self.workers if w.job is None]:
            w.close()  # no more jobs: it stops its kernels and exits

    def shutdown(self, *, grace_s: float = 1.0, wait_s: float = 0.0) -> None:
        """Stop every worker and what it started, all at once; reap them.

        Closing its stdin asks a worker to stop its kernels and exit; after
        ``wait_s`` seconds, SIGTERM and ``grace_s`` seconds later SIGKILL stop
        whatever is left (:func:`~xiqu_analysis.runner.processes.kill_pids`).
        """
        for w in self.workers:
            w.close()
        end = time.monotonic() + wait_s
        while time.monotonic() < end and not all(w.exited() for w in self.workers):
            time.sleep(0.02)
        kill_pids([w.pid for w in self.workers if not w.exited()], grace_s=grace_s)
        for w in self.workers:
            try:
                w.proc.wait(timeout=10)
            except Exception:  # noqa: BLE001 - recorded as stopped all the same
                pass
            w.close_log()

    def processes(self) -> list[dict]:
        return self.identities


def make_executor(name: str = "local", *, max_jobs: int | None = None, scheduler: str | None = None,
                  cpu_count: int | None = None) -> Executor:
    """The executor ``xiqu run --executor NAME`` means.

    ``local``: :class:`LocalPool` of ``max_jobs`` workers (default ``cpu_count``).
    ``dask``: :class:`~xiqu_analysis.runner.dask_executor.DaskExecutor` on the
    cluster at ``scheduler`` (``tcp://HOST:PORT``), or a LocalCluster on
    127.0.0.1 of ``max_jobs`` single-threaded workers when None.
    """
    if name == "local":
        return LocalPool(max_jobs or cpu_count or 1)
    if name == "dask":
        from .dask_executor import DaskExecutor

        return DaskExecutor(scheduler, max_jobs=max_jobs, n_workers=max_jobs or cpu_count or 1)
    raise ValueError(f"unknown executor {name!r}")
