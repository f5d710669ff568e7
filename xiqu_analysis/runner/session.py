"""One run of :func:`xiqu_analysis.runner.execute.run_jobs`: its folder, record, workers and the loop.

:class:`RunSession` creates the run folder, holds the jobs' states, reuses
what an earlier run already made, hands the rest to warm worker processes
(:mod:`xiqu_analysis.runner.pool`), enforces time limits, and writes
``manifest.json`` and ``index.html`` after every change and on every exit
path: stop signals (SIGINT, SIGTERM, SIGHUP), a full disk, or any error of
the runner itself (:mod:`xiqu_analysis.runner.record`).
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, printable
from ..fileio import sha256_file
from .manifest import atomic_write_json, create_run_dir, update_latest, utc_now
from .pool import WorkerProcess, worker_env
from .processes import kill_pids
from .record import (RESERVE_BASE_BYTES, RESERVE_PER_JOB_BYTES, RUNTIME_PREFIX, JobState, QuietFileHandler,
                     Reserve, index_rows, is_disk_full, kernel_records, runner_identity, sweep_abandoned)
from .render import render_index
from .reuse import copy_job_folder, folder_hashes, reusable_workbook, workbook_key
from .suites import Job
from .worker import EXIT_DISK_FULL, finalize

__all__ = ["RunResult", "RunSession", "STOP_SIGNALS"]

log = logging.getLogger("xiqu_analysis.runner")

#: signals that stop a run (manifest ``incomplete``, exit 130)
STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))
_SIGNAL_REASON = {"SIGINT": "interrupted by Ctrl-C (SIGINT)", "SIGTERM": "stopped by SIGTERM",
                  "SIGHUP": "stopped by SIGHUP (the terminal or connection closed)"}


@dataclass(frozen=True)
class RunResult:
    """What :func:`run_jobs` did.

    Attributes
    ----------
    run_id, run_dir, index_path, manifest_path
    status : str
        ``complete`` (every notebook ok), ``failed`` or ``incomplete`` (stopped by a signal).
    exit_code : int
        0, 1 or 130.
    jobs : dict
        Job name -> final status.
    reason : str or None
        Why the run stopped early (a signal, a full disk, an error of the runner).
    reused : dict
        Job name -> the run whose outputs it reused.
    """

    run_id: str
    run_dir: Path
    index_path: Path
    manifest_path: Path
    status: str
    exit_code: int
    jobs: dict[str, str]
    reason: str | None = None
    reused: dict[str, str] = field(default_factory=dict)


class _Stop(KeyboardInterrupt):
    """Raised in the main thread by a stop signal."""

    def __init__(self, signame: str):
        super().__init__(signame)
        self.signame = signame


class _DiskFull(Exception):
    """The run's disk is full: the run stops."""


def _raise_stop(signum, frame):  # noqa: ARG001
    raise _Stop(signal.Signals(signum).name)


class _SignalsBlocked:
    """Hold the stop signals back (delivered on exit) in the main thread."""

    def __init__(self, active: bool):
        self.active = active and hasattr(signal, "pthread_sigmask")

    def __enter__(self):
        if self.active:
            signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        return self

    def __exit__(self, *exc):
        if self.active:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        return False


class RunSession:
    """One run: its folder, record, workers and the loop that drives them."""

    def __init__(self, jobs: Sequence[Job], root: Path, *, max_jobs: int, timeout: float, kernel_name: str,
                 start_timeout: int, kernel_attempts: int, docx_template: Path | None = None):
        self.root, self.max_jobs, self.timeout, self.kernel_name = root, max_jobs, timeout, kernel_name
        self.docx_template = docx_template
        self.start_timeout, self.kernel_attempts = start_timeout, kernel_attempts
        self.run_id, self.run_dir = create_run_dir(root)
        self.internal = self.run_dir / ".runner"
        self.internal.mkdir()
        self.handler = QuietFileHandler(self.run_dir / "run.log", encoding="utf-8")
        self.handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(self.handler)
        log.setLevel(logging.INFO)
        log.propagate = False
        self.states = [JobState(job) for job in jobs]
        for st in self.states:
            st.parameters = dict(st.job.parameters, output_dir=str(self.run_dir / f"{st.job.name}.partial"))
            st.timeout_s = st.job.timeout_s or timeout
        self.workers: list[WorkerProcess] = []
        self.worker_ids: list[dict] = []
        self.reserve: Reserve | None = None
        self.runtime_dir: Path | None = None
        self.manifest_path, self.index_path = self.run_dir / "manifest.json", self.run_dir / "index.html"
        self.manifest: dict[str, Any] = {
            "run_id": self.run_id, "status": "running", "reason": None, "run_dir": str(self.run_dir),
            "started": utc_now(), "finished": None, "runner": runner_identity(), "runtime_dir": None,
            "processes": {"workers": [], "kernels": []}, "workbook": None, "notebooks": {},
            "notes": "parameters are as injected; output_dir is the job's folder while it ran "
                     "('<job>.partial', for a reused job in the run it was reused from), renamed to "
                     "'folder' when the job ended.",
        }

    # ------------------------------------------------------------------ record
    def save(self, index: bool = True) -> None:
        """Write manifest (and index) atomically; a full disk raises :class:`_DiskFull`."""
        self.manifest["notebooks"] = {st.job.name: st.manifest_entry() for st in self.states}
        self.manifest["processes"] = {"workers": self.worker_ids, "kernels": kernel_records(self.internal)}
        try:
            atomic_write_json(self.manifest_path, self.manifest)
            if index:
                render_index(self.index_path, self.manifest, index_rows(self.manifest))
        except OSError as exc:
            if is_disk_full(exc):
                raise _DiskFull(f"the disk is full (writing {printable(exc.filename or self.manifest_path)})") \
                    from exc
            raise

    def save_final(self) -> bool:
        """The last write of the record: with the reserve given back if the disk is full. False if it failed."""
        for attempt in range(2):
            try:
                self.save()
                return True
            except _DiskFull:
                if attempt == 0 and self.reserve is not None and self.reserve.release():
                    continue
            except OSError as exc:
                log.error("could not write the run's record: %s", exc)
            break
        log.error("the manifest of run %s could not be finished (the disk is full)", self.run_id)
        return False

    # ------------------------------------------------------------------ jobs
    def reuse(self, st: JobState, source: Any) -> None:
        """Copy a job's folder from an earlier run (which is only read) and record it as reused."""
        st.started, t0 = utc_now(), time.monotonic()
        partial = self.run_dir / f"{st.job.name}.partial"
        try:
            copy_job_folder(source.folder, partial)
            os.rename(partial, self.run_dir / st.job.name)
        except OSError as exc:
            if is_disk_full(exc):
                raise _DiskFull(f"the disk is full (copying {st.job.name} from run {source.run_id})") from exc
            raise
        entry = source.entry

        def rel(path: str | None) -> str | None:  # relative to the run there -> to the job's folder
            return path.split("/", 1)[1] if path and "/" in path else None

        st.take_result({"status": "ok", "html": rel(entry.get("html")), "docx": rel(entry.get("docx")),
                        "pdf": rel(entry.get("pdf")),
                        "executed": rel(entry.get("executed_notebook")), "xlsx": rel(entry.get("tables_xlsx")),
                        "tables": [rel(t) for t in entry.get("tables", [])],
                        "figures": [rel(f) for f in entry.get("figures", [])],
                        "attempts": entry.get("kernel_start_attempts", 0)})
        st.parameters, st.files, st.reused_from = dict(entry.get("parameters") or {}), dict(entry["files"]), \
            source.run_id
        st.folder, st.finished, st.duration_s = st.job.name, utc_now(), round(time.monotonic() - t0, 3)
        log.info("reused %s from run %s", st.job.name, source.run_id)

    def spec(self, st: JobState, prefetch: bool) -> Path:
        job_dir = self.run_dir / f"{st.job.name}.partial"
        job_dir.mkdir()
        stem = st.job.notebook.stem
        st.spec = {
            "name": st.job.name, "title": st.job.title or st.job.name, "notebook": str(st.job.notebook),
            "job_dir": str(job_dir), "executed": str(job_dir / f"{stem}.ipynb"),
            "html": str(job_dir / f"{stem}.html"), "formats": list(st.job.formats or ()),
            "docx_template": str(self.docx_template) if self.docx_template else None, "parameters": st.parameters,
            "kernel_name": self.kernel_name, "start_timeout": self.start_timeout,
            "kernel_attempts": self.kernel_attempts, "prefetch": prefetch,
            "result": str(self.internal / f"{st.job.name}.result.json"),
        }
        path = self.internal / f"{st.job.name}.spec.json"
        atomic_write_json(path, st.spec)
        return path

    def finish(self, st: JobState, result: Mapping[str, Any] | None = None, status: str | None = None,
               error: str | None = None, render: bool = True) -> None:
        """Record a job's outcome: the worker's ``result``, or ``status`` when the runner stopped it."""
        st.duration_s = round(time.monotonic() - st.t0, 3)
        st.finished = utc_now()
        if result is None and render and st.spec:
            try:
                result = finalize(st.spec, status or "failed", error)
            except Exception as exc:  # noqa: BLE001 - the run goes on
                log.exception("could not finalize %s", st.job.name)
                result = {"status": status, "error": f"{error}; finalizing failed: {exc}"}
        st.take_result(result or {"status": status or "failed", "error": error})
        job_dir = self.run_dir / f"{st.job.name}.partial"
        target = st.job.name if st.status == "ok" else f"{st.job.name}.{st.status}"
        if job_dir.is_dir():
            try:
                os.rename(job_dir, self.run_dir / target)
                st.folder = target
            except OSError as exc:
                log.error("could not rename %s to %s: %s", job_dir.name, target, exc)
                st.folder = job_dir.name
        if st.status == "ok":
            st.files = folder_hashes(self.run_dir / st.folder)
        log_path = self.run_dir / str(st.folder) / "job.log"
        if st.folder and log_path.is_file():
            text = log_path.read_text(encoding="utf-8", errors="replace")
            log.info("---- %s: job log ----\n%s---- end of %s ----", st.job.name, text, st.job.name)
        log.log(logging.INFO if st.status == "ok" else logging.WARNING, "done %s: %s in %.1f s%s",
                st.job.name, st.status, st.duration_s, f": {st.error}" if st.error else "")

    # ------------------------------------------------------------------ workers
    def new_worker(self, env: Mapping[str, str]) -> WorkerProcess:
        formats = sorted({f for st in self.states for f in (st.job.formats or ())})
        w = WorkerProcess(len(self.worker_ids) + 1, self.internal, env, self.kernel_name, self.internal, formats)
        self.workers.append(w)
        self.worker_ids.append(w.identity)
        log.info("worker %d started, pid %d", w.number, w.pid)
        return w

    def poll_worker(self, w: WorkerProcess, blocked: _SignalsBlocked) -> bool:
        """Record the worker's job if it ended (result, death, time limit); True if it did."""
        st = w.job
        result = w.result()
        dead = result is None and w.exited()
        over = result is None and not dead and time.monotonic() - w.t0 > st.timeout_s
        if result is None and not dead and not over:
            return False
        with blocked:  # bookkeeping of one job is not cut in half by a signal
            if result is not None:
                self.finish(st, result)
                w.release()
                if result.get("disk_full"):
                    raise _DiskFull(f"the disk is full (while {st.job.name} ran)")
            elif dead:
                rc = w.proc.returncode
                self.workers.remove(w)
                w.close_log()
                if rc == EXIT_DISK_FULL:
                    self.finish(st, status="failed", error="the disk is full: the worker could not write its "
                                "result", render=False)
                    raise _DiskFull(f"the disk is full (while {st.job.name} ran)")
                self.finish(st, status="failed", error=f"the worker process exited with status {rc} "
                            "without a result (see job.log)")
            else:
                log.warning("timeout %s after %g s: stopping worker %d", st.job.name, st.timeout_s, w.pid)
                w.kill()
                self.workers.remove(w)
                self.finish(st, status="timeout", error=f"stopped after exceeding the time limit of "
                            f"{st.timeout_s:g} s")
            self.save()
        return True

    def loop(self, pending: deque, bar: Any, blocked: _SignalsBlocked) -> None:
        env = worker_env(self.runtime_dir)
        while pending or any(w.job is not None for w in self.workers):
            for w in [w for w in self.workers if w.job is None and w.exited()]:
                self.workers.remove(w)  # gone between jobs: another one takes its place
                w.close_log()
            idle = [w for w in self.workers if w.job is None]
            missing = min(self.max_jobs - len(self.workers), len(pending) - len(idle))
            for _ in range(max(0, missing)):  # not under `blocked`: a child would inherit the mask
                idle.append(self.new_worker(env))
            handed = []
            for w in idle:
                if not pending:
                    break
                handed.append((w, pending.popleft()))
            for i, (w, st) in enumerate(handed):  # prefetch a kernel only where a next job is certain
                with blocked:
                    spec_path = self.spec(st, prefetch=len(pending) > i)
                    st.status, st.started, st.t0, st.worker = "running", utc_now(), time.monotonic(), w.pid
                    if not w.assign(st, spec_path, Path(st.spec["result"])):
                        log.warning("worker %d had gone before %s was handed over", w.pid, st.job.name)
                    log.info("start %s (%s), worker pid %d", st.job.name, st.job.notebook.name, w.pid)
                    self.save()
            if not pending:
                for w in [w for w in self.workers if w.job is None]:
                    w.close()  # no more jobs: it stops its kernels and exits
            time.sleep(0.05)
            for w in [w for w in self.workers if w.job is not None]:
                if self.poll_worker(w, blocked):
                    bar.update(1)

    def stop_workers(self, grace_s: float = 1.0, wait_s: float = 0.0) -> None:
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

    def write_workbook(self, reusable: Mapping[str, Any]) -> None:
        """The run's ``tables.xlsx`` of every finished report; copied when the run every job was reused
        from made the same one (same reports, same files, same code), else written anew."""
        from .render import RUN_WORKBOOK, write_run_workbook

        done = [st for st in self.states if st.status == "ok" and st.folder]
        key = workbook_key([(st.job.name, st.folder, st.files or {}) for st in done],
                           self.manifest.get("source_sha256", ""), self.manifest.get("versions_sha256", ""))
        earlier = {source.folder.parent for source in reusable.values()}
        same = reusable_workbook(earlier.pop(), key) if len(earlier) == 1 else None
        try:
            if same is not None:
                shutil.copy2(same, self.run_dir / RUN_WORKBOOK)
                workbook = RUN_WORKBOOK
            else:
                workbook = write_run_workbook(self.run_dir, [(st.job.name, st.folder) for st in done])
        except OSError as exc:
            if is_disk_full(exc):
                raise
            log.error("could not write the run's workbook: %s", exc)
            workbook = None
        self.manifest["workbook"] = workbook
        self.manifest["workbook_key"] = key if workbook else None
        self.manifest["workbook_sha256"] = sha256_file(self.run_dir / workbook) if workbook else None

    # ------------------------------------------------------------------ the run
    def execute(self, reusable: Mapping[str, Any], progress: bool | None) -> RunResult:
        from tqdm import tqdm

        in_main = threading.current_thread() is threading.main_thread()
        # a signal the caller ignores stays ignored: `nohup xiqu run` survives a closed terminal
        old = {s: signal.signal(s, _raise_stop) for s in STOP_SIGNALS
               if signal.getsignal(s) is not signal.SIG_IGN} if in_main else {}
        blocked = _SignalsBlocked(in_main)
        bar = tqdm(total=len(self.states), desc="xiqu run", unit="notebook", file=sys.stderr,
                   disable=(None if progress is None else not progress), dynamic_ncols=True)
        overall, code, reason = "complete", EXIT_OK, None
        why: dict[str, Any] = {}
        try:
            try:
                for line in sweep_abandoned(self.root, self.run_id):
                    log.warning("%s", line)
                self.reserve = Reserve(self.internal / "reserve",
                                       RESERVE_BASE_BYTES + RESERVE_PER_JOB_BYTES * len(self.states))
                self.runtime_dir = Path(tempfile.mkdtemp(prefix=RUNTIME_PREFIX))
                self.manifest["runtime_dir"] = str(self.runtime_dir)
                self.save()
            except OSError as exc:
                if is_disk_full(exc):
                    raise _DiskFull("the disk is full (as the run started)") from exc
                raise
            log.info("run %s: %d notebook(s), %d reused, %d at a time, timeout %g s, output %s", self.run_id,
                     len(self.states), len(reusable), self.max_jobs, self.timeout, self.run_dir)
            pending = deque()
            for st in self.states:
                if st.job.name in reusable:
                    with blocked:
                        self.reuse(st, reusable[st.job.name])
                        bar.update(1)
                else:
                    pending.append(st)
            self.save()
            self.loop(pending, bar, blocked)
        except BaseException as exc:  # noqa: BLE001 - every exit path leaves a true record
            for s in old:
                signal.signal(s, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
            if isinstance(exc, KeyboardInterrupt):
                name = exc.signame if isinstance(exc, _Stop) else "SIGINT"
                overall, code, reason = "incomplete", EXIT_INTERRUPTED, _SIGNAL_REASON.get(name, f"stopped by {name}")
                job_status, why = "interrupted", {"code": f"signal.{name}"}
            elif isinstance(exc, _DiskFull):
                overall, code, reason, job_status = "failed", EXIT_FAILED, str(exc), "failed"
                why = {"code": "disk_full"}
                if self.reserve is not None:
                    self.reserve.release()
            else:
                overall, code, job_status = "failed", EXIT_FAILED, "failed"
                reason = printable(f"error in the runner: {type(exc).__name__}: {exc}")
                why = {"code": "runner_error"}
                log.error("%s", reason, exc_info=True)
            log.warning("run %s stopping: %s; stopping %d worker(s)", self.run_id, reason, len(self.workers))
            self.stop_workers()
            for st in self.states:
                if st.status == "running":
                    self.finish(st, status=job_status, error=f"not finished, the run stopped: {reason}",
                                render=False)
                elif st.status == "pending":
                    st.status, st.error = job_status, f"not started, the run stopped: {reason}"
        finally:
            bar.close()
            for s in old:  # the run is being recorded: a signal now changes nothing
                signal.signal(s, signal.SIG_IGN)
        self.stop_workers(wait_s=10.0)  # idle workers exit by themselves; any left are stopped
        statuses = {st.job.name: st.status for st in self.states}
        if reason is None and any(s != "ok" for s in statuses.values()):
            overall, code = "failed", EXIT_FAILED
            reason = f"{sum(s != 'ok' for s in statuses.values())} of {len(statuses)} report(s) did not finish"
            why = {"code": "not_finished", "n": sum(s != "ok" for s in statuses.values()), "total": len(statuses)}
        if any(st.status == "ok" for st in self.states):
            self.write_workbook(reusable)
        # reason: English, for logs and stderr; reason_code: the same in codes, for the index in the report's language
        self.manifest.update(status=overall, finished=utc_now(), reason=reason, reason_code=why if reason else None)
        if self.runtime_dir is not None:
            shutil.rmtree(self.runtime_dir, ignore_errors=True)  # connection files, whatever happened
        saved = self.save_final()
        if overall == "complete" and saved:
            try:
                update_latest(self.root, self.run_id)
            except OSError as exc:
                log.error("could not move the latest pointer: %s", exc)
        if self.reserve is not None:
            self.reserve.release()
        log.info("run %s %s%s: %s", self.run_id, overall, f" ({reason})" if reason else "",
                 ", ".join(f"{k}={v}" for k, v in statuses.items()))
        log.removeHandler(self.handler)
        self.handler.close()
        for s, handler in old.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)
        reused = {st.job.name: st.reused_from for st in self.states if st.reused_from}
        return RunResult(self.run_id, self.run_dir, self.index_path, self.manifest_path, overall, code,
                         statuses, reason, reused)
