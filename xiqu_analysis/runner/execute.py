"""Parallel papermill batch runner: every report of a suite, with fault handling and a manifest.

Entry points: :func:`~xiqu_analysis.runner.suites.plan_suite` (scenario files
-> notebook jobs), :func:`~xiqu_analysis.runner.validate.validate_jobs` and
:func:`~xiqu_analysis.runner.validate.check_output_root` (all input checks,
before any kernel starts), :func:`run_jobs` (execute, render, index,
manifest). ``xiqu run`` (:mod:`xiqu_analysis.cli.run`) is a thin front over them.

Layout of one run::

    <out>/<run-id>/                 run-id = UTC YYYYMMDD-HHMMSS-<6 hex>, created exclusively
        manifest.json               written atomically at start and after every notebook
        run.log                     runner log + each worker's log (papermill, kernel output)
        index.html                  links to every report/table/figure, with status
        tables.xlsx                 every finished report's tables, one sheet each
        <job>/                      a notebook that succeeded (renamed from <job>.partial/)
            <notebook>.ipynb        executed notebook
            <notebook>.html         report without code, figures embedded, offline
            <job>.docx <job>.pdf    Word and PDF versions (xiqu run --formats), from document.json
            tables/*.csv figures/*.png tables.xlsx artifacts.json   (written by the notebook)
            job.log                 this job's worker log
        <job>.failed/ .timeout/ .kernel_died/ .interrupted/   kept, with the reason in a banner
        .runner/                    job specs and results exchanged with the workers
    <out>/latest -> <run-id>        symlink, moved only when a run completes (all ok)
    <out>/LATEST                    the same run id as text

Known papermill/nbclient/nbconvert pitfalls (``shared/reference/papermill-pitfalls.md``)
and the answer here (each has a test in ``tests/test_runner*.py``):

Parameters
    * No ``parameters``-tagged cell (papermill only warns; later assignments
      win): :func:`validate_jobs` refuses the notebook before anything runs.
    * Unknown / misspelled names (papermill only logs "Passed unknown
      parameter"): every name must be declared in the notebook's parameters
      cell (read with :func:`papermill.inspect_notebook`), else InputError.
    * Names injected verbatim: names must be Python identifiers (not keywords).
    * Values that are not JSON types fall back to ``str()``: every value must
      be ``None``/bool/int/finite float/str or lists/dicts of them (exact
      types; numpy scalars, Path, tuple, date, Decimal are refused) and survive
      a ``json`` round trip. A value whose type differs from the declared
      default's type (``n_paths = "10000"`` for ``n_paths = 2000``) is refused.
    * ``-p`` type guessing and YAML 1.1 surprises: the runner never goes
      through the papermill CLI or YAML; ``xiqu run`` parses options with
      argparse types (int), and values are passed as Python objects.
    * (Found in papermill's code) input and output paths go through
      ``str.format(**parameters)``: braces in a path are doubled before they
      are handed over (:func:`xiqu_analysis.runner.worker.literal_path`).
Failures
    * Raising cell: status ``failed``, papermill's error banner and traceback
      stay in the executed notebook and its HTML; the other notebooks go on;
      exit 1.
    * Kernel death: :class:`nbclient.exceptions.DeadKernelError` -> status
      ``kernel_died``; the runner adds the missing banner.
    * No whole-notebook timeout in papermill: each notebook runs in its own
      worker process (own session); past ``timeout`` seconds the runner sends
      SIGTERM, then SIGKILL, to the worker and every descendant (the kernel runs
      in a session of its own; :func:`~xiqu_analysis.runner.processes.kill_tree`)
      and records status ``timeout`` once none of them runs.
    * ``sys.exit(0)`` counts as success, failing ``!cmd`` is not an error:
      a notebook is ``ok`` only if ``artifacts.json`` says ``complete: true``
      and lists only files that exist; otherwise ``failed`` with reason
      "incomplete artifacts: ...".
    * Non-atomic output, a failed rerun destroying a good report: every run
      has its own new folder (exclusive ``mkdir``); each job is written to
      ``<job>.partial`` and renamed when done; manifest, index and pointers
      are written to temporary names and ``os.replace``-d; nothing of an
      earlier run is opened for writing or deleted.
Parallel runs
    * Port races at kernel start (papermill #511): the worker retries the
      kernel start up to 3 times when it fails with "Address already in use" /
      "Kernel died before replying to kernel_info" and no cell had started.
    * ``cwd=`` is process-wide (#578): no threads and no ``chdir``; each worker is
      a process started with ``cwd=`` its own job folder and only absolute paths.
    * Two runs at once: distinct run folders, unique temporary names, the
      ``latest`` symlink replaced atomically.
Reports
    * papermill writes no HTML: nbconvert's HTMLExporter with
      ``exclude_input`` and no prompts; the ``parameters`` and
      ``injected-parameters`` cells are removed (values are in manifest.json).
    * CDN require.js/MathJax: template ``templates/report.html.j2`` drops every
      network resource; a Content-Security-Policy blocks scripts and remote
      loads; figures are ``data:`` URIs.
    * nbconvert does not sanitise: the notebooks escape text they print
      (:mod:`xiqu_analysis.reports.artifacts`); the CSP keeps any script that slipped
      through from running; ``index.html`` is rendered with jinja2 autoescape.
    * A per-cell timeout, kernel death and a failed kernel start leave no
      papermill banner (after a failed start papermill even marks every cell
      "completed"): the runner inserts a banner cell naming the status and
      error at the top of the executed notebook and its HTML.
Interruption
    * Ctrl-C / SIGTERM: running workers and kernels are killed, finished
      reports kept, unfinished jobs marked ``interrupted``, manifest status
      ``incomplete``, exit 130; ``latest`` does not move. Job bookkeeping runs
      with SIGINT/SIGTERM held back, so a signal never leaves a job half recorded.
Not the runner's to answer
    * Figures under Agg and CJK fonts: :mod:`xiqu_analysis.reports.artifacts` displays every
      figure as PNG bytes and :mod:`xiqu_analysis.reports.plots` registers the CJK font;
      the runner's tests assert that reports embed ``data:image/png``.
    * statsmodels on short series: :mod:`xiqu_analysis.economics.forecasting`.
    * Testing notebooks: the runner's tests execute real notebooks with papermill
      into ``tmp_path`` with a real kernel (``tests/test_runner_notebooks.py``).
"""
from __future__ import annotations

import json
import logging
import math
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from .. import config
from ..errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, InputError
from ..fileio import hash_files, sha256_file
from ..inputs.regions import data_files
from .manifest import atomic_write_json, create_run_dir, environment_info, update_latest, utc_now
from .processes import kill_tree
from .render import FORMATS, check_docx_template, parse_formats, render_index, write_run_workbook
from .suites import Job
from .validate import check_output_root, validate_jobs
from .worker import finalize

__all__ = ["RunResult", "STATUSES", "DEFAULT_TIMEOUT_S", "run_jobs"]

log = logging.getLogger("xiqu_analysis.runner")

#: final statuses of a notebook job
STATUSES = ("ok", "failed", "timeout", "kernel_died", "interrupted")
#: wall-clock limit per notebook, seconds
DEFAULT_TIMEOUT_S = 1800.0


@dataclass(frozen=True)
class RunResult:
    """What :func:`run_jobs` did.

    Attributes
    ----------
    run_id : str
    run_dir : Path
    index_path, manifest_path : Path
    status : str
        ``complete`` (every notebook ok), ``failed`` or ``incomplete`` (interrupted).
    exit_code : int
        0, 1 or 130.
    jobs : dict
        Job name -> final status.
    """

    run_id: str
    run_dir: Path
    index_path: Path
    manifest_path: Path
    status: str
    exit_code: int
    jobs: dict[str, str]


# --------------------------------------------------------------------------- running
@dataclass
class _State:
    job: Job
    index: int
    status: str = "pending"
    error: str | None = None
    started: str | None = None
    finished: str | None = None
    duration_s: float | None = None
    attempts: int = 0
    folder: str | None = None
    html: str | None = None
    docx: str | None = None
    pdf: str | None = None
    executed: str | None = None
    xlsx: str | None = None
    tables: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    timeout_s: float | None = None
    notebook_sha256: str = ""
    proc: subprocess.Popen | None = None
    t0: float = 0.0
    spec: dict[str, Any] = field(default_factory=dict)
    log_fh: Any = None

    def manifest_entry(self, run_dir: Path) -> dict[str, Any]:
        def rel(p: str | None) -> str | None:
            return None if p is None or self.folder is None else f"{self.folder}/{p}"

        return {
            "notebook": str(self.job.notebook),
            "notebook_sha256": self.notebook_sha256,
            "title": self.job.title,
            "parameters": self.parameters,
            "timeout_s": self.timeout_s,
            "status": self.status,
            "error": self.error,
            "started": self.started,
            "finished": self.finished,
            "duration_s": self.duration_s,
            "kernel_start_attempts": self.attempts,
            "folder": self.folder,
            "html": rel(self.html),
            "docx": rel(self.docx),
            "pdf": rel(self.pdf),
            "executed_notebook": rel(self.executed),
            "tables": [rel(t) for t in self.tables],
            "tables_xlsx": rel(self.xlsx),
            "figures": [rel(f) for f in self.figures],
        }

    def index_row(self) -> dict[str, Any]:
        def rel(p: str | None) -> str | None:
            return None if p is None or self.folder is None else f"{self.folder}/{p}"

        return {
            "name": self.job.name,
            "title": self.job.title or self.job.name,
            "notebook": self.job.notebook.name,
            "status": self.status,
            "error": self.error,
            "duration_s": self.duration_s,
            "html": rel(self.html),
            "docx": rel(self.docx),
            "pdf": rel(self.pdf),
            "executed": rel(self.executed),
            "tables": [rel(t) for t in self.tables],
            "figures": [rel(f) for f in self.figures],
            "xlsx": rel(self.xlsx),
        }


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    pkg_parent = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join([pkg_parent, *filter(None, [env.get("PYTHONPATH")])])
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiets debugpy's frozen-modules warning
    env["PYTHONUNBUFFERED"] = "1"
    return env


class _SignalsBlocked:
    """Context manager holding SIGINT/SIGTERM back (delivered at exit) in the main thread."""

    _SIGNALS = {signal.SIGINT, signal.SIGTERM}

    def __init__(self, active: bool):
        self.active = active and hasattr(signal, "pthread_sigmask")

    def __enter__(self):
        if self.active:
            signal.pthread_sigmask(signal.SIG_BLOCK, self._SIGNALS)
        return self

    def __exit__(self, *exc):
        if self.active:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, self._SIGNALS)
        return False


class _Interrupt(KeyboardInterrupt):
    """Raised in the main thread by SIGTERM (Ctrl-C raises KeyboardInterrupt itself)."""


def _raise_interrupt(signum, frame):  # noqa: ARG001
    raise _Interrupt(f"signal {signum}")


def run_jobs(
    jobs: Sequence[Job],
    out_root: str | os.PathLike | None = None,
    *,
    max_jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    kernel_name: str = "python3",
    command: Sequence[str] | None = None,
    options: Mapping[str, Any] | None = None,
    data_dir: str | os.PathLike | None = None,
    progress: bool | None = None,
    start_timeout: int = 60,
    kernel_attempts: int = 3,
    formats: Sequence[str] = FORMATS,
    docx_template: str | os.PathLike | None = None,
) -> RunResult:
    """Validate, then execute ``jobs`` in parallel worker processes; write reports, index and manifest.

    Parameters
    ----------
    jobs : sequence of Job
    out_root : path, optional
        Folder of run folders; default :func:`config.output_dir`. Created if missing.
    max_jobs : int, optional
        Notebooks executed at once (default ``os.cpu_count()``).
    timeout : float
        Wall-clock limit per notebook, seconds (> 0).
    kernel_name : str
        Jupyter kernel to execute with.
    command : sequence of str, optional
        The command line recorded in the manifest (default ``sys.argv``).
    options : mapping, optional
        Options recorded in the manifest.
    data_dir : path, optional
        Folder whose files are hashed into the manifest; default :func:`config.data_dir`.
    progress : bool, optional
        tqdm progress bar on stderr; default only when stderr is a terminal.
    start_timeout : int
        Seconds to wait for a kernel to start.
    kernel_attempts : int
        Kernel start attempts on port collisions.
    formats : sequence of {"html", "docx", "pdf"}
        Versions of each report (default all); ``docx_template``: a Word file whose styles the DOCX uses.

    Returns
    -------
    RunResult

    Raises
    ------
    InputError
        Before anything is created or executed: bad job, parameter, notebook,
        option or output folder.
    """
    if max_jobs is None:
        max_jobs = os.cpu_count() or 1
    if type(max_jobs) is not int or max_jobs < 1:
        raise InputError("command line", "jobs", f"must be a whole number >= 1, got {max_jobs!r}")
    if not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and timeout > 0):
        raise InputError("command line", "timeout", f"must be a number of seconds > 0, got {timeout!r}")
    validate_jobs(jobs)
    formats, template = parse_formats(formats), check_docx_template(docx_template)
    root = check_output_root(out_root if out_root is not None else config.output_dir())
    ddir = Path(data_dir).absolute() if data_dir is not None else config.data_dir()
    scenario_inputs = sorted({p for job in jobs for p in job.inputs})
    input_hashes = hash_files(scenario_inputs)
    data_hashes = hash_files(data_files(ddir))
    env_info = environment_info(config.PROJECT_ROOT)

    # ---- from here on, things are written (only inside the new run folder and pointers)
    run_id, run_dir = create_run_dir(root)
    internal = run_dir / ".runner"
    internal.mkdir()
    handler = logging.FileHandler(run_dir / "run.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    states = [_State(job, i) for i, job in enumerate(jobs)]
    for st in states:
        st.parameters = dict(st.job.parameters, output_dir=str(run_dir / f"{st.job.name}.partial"))
        st.timeout_s = st.job.timeout_s or timeout
        st.notebook_sha256 = sha256_file(st.job.notebook)  # as executed, even if edited meanwhile
    manifest: dict[str, Any] = {
        "run_id": run_id,
        "status": "running",
        "command": list(command) if command is not None else [Path(sys.argv[0]).name, *sys.argv[1:]],
        "options": dict(options or {}, jobs=max_jobs, timeout_s=timeout, kernel=kernel_name,
                        formats=list(formats), docx_template=str(template) if template else None),
        "run_dir": str(run_dir),
        "started": utc_now(),
        "finished": None,
        "notebooks": {},
        "scenario_files": input_hashes,
        "data_dir": str(ddir),
        "data_files": data_hashes,
        "workbook": None,
        **env_info,
        "notes": "parameters are as injected; output_dir is the job's folder while it ran "
                 "('<job>.partial'), renamed to 'folder' when the job ended.",
    }
    manifest_path = run_dir / "manifest.json"
    index_path = run_dir / "index.html"

    def save_manifest() -> None:
        manifest["notebooks"] = {st.job.name: st.manifest_entry(run_dir) for st in states}
        atomic_write_json(manifest_path, manifest)

    def save_index() -> None:
        render_index(index_path, manifest, [st.index_row() for st in states])

    save_manifest()
    save_index()
    log.info("run %s: %d notebook(s), %d at a time, timeout %g s, output %s",
             run_id, len(jobs), max_jobs, timeout, run_dir)

    from tqdm import tqdm

    bar = tqdm(total=len(states), desc="xiqu run", unit="notebook", file=sys.stderr,
               disable=(None if progress is None else not progress), dynamic_ncols=True)
    env = _worker_env()
    pending = deque(states)
    running: list[_State] = []
    interrupted = False

    def start(st: _State) -> None:
        job_dir = run_dir / f"{st.job.name}.partial"
        job_dir.mkdir()
        stem = st.job.notebook.stem
        st.spec = {
            "name": st.job.name,
            "title": st.job.title or st.job.name,
            "notebook": str(st.job.notebook),
            "job_dir": str(job_dir),
            "executed": str(job_dir / f"{stem}.ipynb"),
            "html": str(job_dir / f"{stem}.html"),
            "parameters": st.parameters,
            "kernel_name": kernel_name,
            "start_timeout": start_timeout,
            "kernel_attempts": kernel_attempts,
            "result": str(internal / f"{st.job.name}.result.json"),
            "formats": list(formats),
            "docx_template": str(template) if template else None,
        }
        spec_path = internal / f"{st.job.name}.spec.json"
        atomic_write_json(spec_path, st.spec)
        st.log_fh = open(job_dir / "job.log", "ab")
        st.proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "xiqu_analysis.runner.worker", str(spec_path)],
            cwd=job_dir, env=env, stdin=subprocess.DEVNULL, stdout=st.log_fh,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        st.t0 = time.monotonic()
        st.started = utc_now()
        st.status = "running"
        log.info("start %s (%s), worker pid %d", st.job.name, st.job.notebook.name, st.proc.pid)

    def finish(st: _State, status: str | None = None, error: str | None = None, render: bool = True) -> None:
        """Record the outcome; ``status`` given = the parent stopped the worker."""
        if st.log_fh is not None:
            st.log_fh.close()
            st.log_fh = None
        st.duration_s = round(time.monotonic() - st.t0, 3)
        st.finished = utc_now()
        result_path = Path(st.spec["result"])
        result = None
        if status is None:
            if result_path.is_file():
                result = json.loads(result_path.read_text(encoding="utf-8"))
            else:
                rc = st.proc.returncode if st.proc else None
                status, error = "failed", f"the worker process exited with status {rc} without a " \
                                          "result (see job.log)"
        if result is None and render:
            try:
                result = finalize(st.spec, status, error)
            except Exception as exc:  # noqa: BLE001 - the run goes on
                log.exception("could not finalize %s", st.job.name)
                result = {"status": status, "error": f"{error}; finalizing failed: {exc}"}
        if result is None:
            result = {"status": status, "error": error}
        st.status = result.get("status") or status or "failed"
        st.error = result.get("error")
        st.attempts = int(result.get("attempts", 0))
        st.html, st.executed, st.xlsx = result.get("html"), result.get("executed"), result.get("xlsx")
        st.docx, st.pdf = result.get("docx"), result.get("pdf")
        st.tables, st.figures = list(result.get("tables", [])), list(result.get("figures", []))
        job_dir = Path(st.spec["job_dir"])
        target = st.job.name if st.status == "ok" else f"{st.job.name}.{st.status}"
        try:
            os.rename(job_dir, run_dir / target)
            st.folder = target
        except OSError as exc:
            log.error("could not rename %s to %s: %s", job_dir.name, target, exc)
            st.folder = job_dir.name
        log_path = run_dir / st.folder / "job.log"
        if log_path.is_file():
            text = log_path.read_text(encoding="utf-8", errors="replace")
            log.info("---- %s: worker log ----\n%s---- end of %s ----", st.job.name, text, st.job.name)
        level = logging.INFO if st.status == "ok" else logging.WARNING
        log.log(level, "done %s: %s in %.1f s%s", st.job.name, st.status, st.duration_s,
                f": {st.error}" if st.error else "")

    in_main = threading.current_thread() is threading.main_thread()
    old_term = signal.signal(signal.SIGTERM, _raise_interrupt) if in_main else None
    blocked = _SignalsBlocked(in_main)
    try:
        while pending or running:
            while pending and len(running) < max_jobs:
                # not under `blocked`: a child would inherit the blocked signal mask
                st = pending.popleft()
                running.append(st)  # tracked first, so an interrupt cannot orphan its worker
                start(st)
                save_manifest()
            time.sleep(0.1)
            for st in list(running):
                rc = st.proc.poll()
                limit = st.timeout_s
                if rc is None and time.monotonic() - st.t0 <= limit:
                    continue
                with blocked:  # bookkeeping of one job is not cut in half by Ctrl-C/SIGTERM
                    if rc is None:
                        log.warning("timeout %s after %g s: stopping worker %d",
                                    st.job.name, limit, st.proc.pid)
                        kill_tree(st.proc)
                        finish(st, "timeout", f"stopped after exceeding the time limit of {limit:g} s")
                    else:
                        finish(st)
                    running.remove(st)
                    bar.update(1)
                    save_manifest()
                    save_index()  # the index shows progress too
    except KeyboardInterrupt:
        interrupted = True
        if in_main:  # a second Ctrl-C must not cut the clean-up short
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        log.warning("interrupted: stopping %d running notebook(s)", len(running))
        for st in running:
            if st.proc is None:  # interrupted before its worker started
                st.status, st.error = "interrupted", "not started: the run was interrupted"
                continue
            if st.proc.poll() is None:
                kill_tree(st.proc, grace_s=1.0)
            finish(st, "interrupted", "the run was interrupted before this notebook finished",
                   render=False)
        for st in pending:
            st.status, st.error = "interrupted", "not started: the run was interrupted"
    finally:
        bar.close()
        if in_main:
            signal.signal(signal.SIGTERM, old_term if old_term is not None else signal.SIG_DFL)
            if interrupted:
                signal.signal(signal.SIGINT, signal.default_int_handler)

    statuses = {st.job.name: st.status for st in states}
    if interrupted:
        overall, code = "incomplete", EXIT_INTERRUPTED
    elif all(s == "ok" for s in statuses.values()):
        overall, code = "complete", EXIT_OK
    else:
        overall, code = "failed", EXIT_FAILED
    manifest["workbook"] = write_run_workbook(run_dir, [(st.job.name, st.folder) for st in states
                                                        if st.status == "ok" and st.folder])
    manifest["status"] = overall
    manifest["finished"] = utc_now()
    save_manifest()
    save_index()
    if overall == "complete":
        update_latest(root, run_id)
    log.info("run %s %s: %s", run_id, overall,
             ", ".join(f"{k}={v}" for k, v in statuses.items()))
    log.removeHandler(handler)
    handler.close()
    return RunResult(run_id, run_dir, index_path, manifest_path, overall, code, statuses)
