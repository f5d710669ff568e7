"""One run of :func:`xiqu_analysis.runner.execute.run_jobs`: its folder, record, workers and the loop.

:class:`RunSession` creates the run folder, holds the jobs' states, reuses
what an earlier run already made, hands the rest to worker processes
through an executor (:mod:`xiqu_analysis.runner.executors`: the warm local
pool by default), enforces time limits, and writes
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
from .executors import Executor, LocalPool, Outcome, RunContext, Task
from .processes import stop_recorded
from .record import (RESERVE_BASE_BYTES, RESERVE_PER_JOB_BYTES, RUNTIME_PREFIX, JobState, QuietFileHandler,
                     Reserve, index_rows, is_disk_full, kernel_records, runner_identity, sweep_abandoned)
from .render import render_index
from .reuse import copy_job_folder, folder_hashes, reusable_workbook, workbook_key
from .suites import Job
from .worker import finalize

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


class _SignalsBlocked:
    """Hold the stop signals back (raised on exit) while one job's bookkeeping runs in the main thread.

    Python runs signal handlers in the main thread; while a block is open the
    handler only notes the signal, and the block's end raises it. No signal
    mask is changed, so a worker or cluster process started meanwhile gets the
    default signal handling, and a signal delivered to another thread (a
    cluster client's event loop) is held back all the same.
    """

    def __init__(self, active: bool):
        self.active = active
        self.depth = 0
        self.pending: str | None = None

    def handler(self, signum, frame):  # noqa: ARG002 - signal handler signature
        name = signal.Signals(signum).name
        if self.active and self.depth:
            self.pending = self.pending or name
            return
        raise _Stop(name)

    def __enter__(self):
        self.depth += 1
        return self

    def __exit__(self, *exc):
        self.depth -= 1
        if self.depth == 0 and self.pending is not None:
            name, self.pending = self.pending, None
            raise _Stop(name)
        return False


class RunSession:
    """One run: its folder, record, workers and the loop that drives them."""

    def __init__(self, jobs: Sequence[Job], root: Path, *, max_jobs: int, timeout: float, kernel_name: str,
                 start_timeout: int, kernel_attempts: int, docx_template: Path | None = None,
                 executor: Executor | None = None, workbook_name: str = "tables.xlsx"):
        self.root, self.max_jobs, self.timeout, self.kernel_name = root, max_jobs, timeout, kernel_name
        self.workbook_name = workbook_name
        self.executor = executor if executor is not None else LocalPool(max_jobs)
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
        self.running: dict[str, JobState] = {}
        self.reserve: Reserve | None = None
        self.runtime_dir: Path | None = None
        self.manifest_path, self.index_path = self.run_dir / "manifest.json", self.run_dir / "index.html"
        self.manifest: dict[str, Any] = {
            "run_id": self.run_id, "status": "running", "reason": None, "run_dir": str(self.run_dir),
            "started": utc_now(), "finished": None, "runner": runner_identity(), "runtime_dir": None,
            "executor": self.executor.describe(),
            "processes": {"workers": [], "templates": [], "kernels": []}, "workbook": None, "notebooks": {},
            "notes": "parameters are as injected; output_dir is the job's folder while it ran "
                     "('<job>.partial', for a reused job in the run it was reused from), renamed to "
                     "'folder' when the job ended.",
        }

    # ------------------------------------------------------------------ record
    def save(self, index: bool = True) -> None:
        """Write manifest (and index) atomically; a full disk raises :class:`_DiskFull`."""
        self.manifest["notebooks"] = {st.job.name: st.manifest_entry() for st in self.states}
        self.manifest["processes"] = {"workers": list(self.executor.processes()),
                                      "templates": kernel_records(self.internal, "templates"),
                                      "kernels": kernel_records(self.internal)}
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
            "html": str(job_dir / f"{st.job.file_stem or stem}.html"), "file_stem": st.job.file_stem or None,
            "formats": list(st.job.formats or ()),
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

    # ------------------------------------------------------------------ the executor
    def record(self, st: JobState, outcome: Outcome) -> None:
        """Record a job the executor reports ended: its result, or why it has none."""
        if outcome.worker is not None:
            st.worker = outcome.worker
        if outcome.result is not None:
            self.finish(st, outcome.result)
            if outcome.result.get("disk_full"):
                raise _DiskFull(f"the disk is full (while {st.job.name} ran)")
        elif outcome.disk_full:
            self.finish(st, status="failed", error=outcome.failure, render=False)
            raise _DiskFull(f"the disk is full (while {st.job.name} ran)")
        else:
            self.finish(st, status="failed", error=outcome.failure)
        self.save()

    def loop(self, pending: deque, bar: Any, blocked: _SignalsBlocked) -> None:
        ex = self.executor
        while pending or self.running:
            handed = [pending.popleft() for _ in range(min(ex.slots(), len(pending)))]
            for i, st in enumerate(handed):  # prefetch a kernel only where a next job is certain
                with blocked:
                    more = len(pending) > i
                    spec_path = self.spec(st, prefetch=more)
                    st.status, st.started, st.t0 = "running", utc_now(), time.monotonic()
                    self.running[st.job.name] = st
                    st.worker = ex.submit(Task(st.job.name, st.spec, spec_path, Path(st.spec["result"])), more=more)
                    where = f"worker pid {st.worker}" if st.worker is not None else f"{ex.name} executor"
                    log.info("start %s (%s), %s", st.job.name, st.job.notebook.name, where)
                    self.save()
            if not pending:
                ex.release_idle()
            for outcome in ex.poll(0.05):
                st = self.running.pop(outcome.name, None)
                if st is None:
                    continue
                with blocked:  # bookkeeping of one job is not cut in half by a signal
                    self.record(st, outcome)
                bar.update(1)
            now = time.monotonic()
            for st in [st for st in self.running.values() if now - st.t0 > st.timeout_s]:
                with blocked:
                    log.warning("timeout %s after %g s: stopping %s", st.job.name, st.timeout_s,
                                f"worker {st.worker}" if st.worker is not None else "its task")
                    ex.cancel(st.job.name)
                    del self.running[st.job.name]
                    self.finish(st, status="timeout", error=f"stopped after exceeding the time limit of "
                                f"{st.timeout_s:g} s")
                    self.save()
                bar.update(1)

    def stop_workers(self, grace_s: float = 1.0, wait_s: float = 0.0) -> None:
        """Stop every worker and what it started (:meth:`Executor.shutdown`), then any kernel template the
        workers recorded that still runs: one whose worker exited first is in no worker's tree any more (it
        would end by itself at the end of its socket; the run ends only once it has)."""
        self.executor.shutdown(grace_s=grace_s, wait_s=wait_s)
        stop_recorded(kernel_records(self.internal, "templates"), grace_s=grace_s)

    def write_workbook(self, reusable: Mapping[str, Any]) -> None:
        """The run's workbook of every finished report (``tables.xlsx``, or its name in the language of the
        file names); copied when the run every job was reused from made the same one (same reports, same
        files, same code), else written anew."""
        from .render import write_run_workbook

        done = [st for st in self.states if st.status == "ok" and st.folder]
        key = workbook_key([(st.job.name, st.folder, st.files or {}) for st in done],
                           self.manifest.get("source_sha256", ""), self.manifest.get("versions_sha256", ""))
        earlier = {source.folder.parent for source in reusable.values()}
        same = reusable_workbook(earlier.pop(), key) if len(earlier) == 1 else None
        try:
            if same is not None:
                shutil.copy2(same, self.run_dir / self.workbook_name)
                workbook = self.workbook_name
            else:
                workbook = write_run_workbook(self.run_dir, [(st.job.name, st.folder) for st in done],
                                              self.workbook_name)
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
        blocked = _SignalsBlocked(in_main)
        old = {s: signal.signal(s, blocked.handler) for s in STOP_SIGNALS
               if signal.getsignal(s) is not signal.SIG_IGN} if in_main else {}
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
            if pending:  # a run that reuses every report starts no worker
                formats = tuple(sorted({f for st in self.states for f in (st.job.formats or ())}))
                self.executor.start(RunContext(self.run_id, self.internal, self.runtime_dir, self.kernel_name,
                                               formats, self.max_jobs))
                self.manifest["executor"] = self.executor.describe()
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
            log.warning("run %s stopping: %s; stopping the %s executor's workers", self.run_id, reason,
                        self.executor.name)
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
