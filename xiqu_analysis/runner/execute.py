"""Parallel papermill batch runner: every report of a suite, with fault handling, reuse and a true record.

Entry points: :func:`~xiqu_analysis.runner.suites.plan_suite` (scenario files
-> notebook jobs), :func:`~xiqu_analysis.runner.validate.validate_jobs` and
:func:`~xiqu_analysis.runner.validate.check_output_root` (all input checks,
before any kernel starts), :func:`run_jobs` (reuse, execute, render, index,
manifest). ``xiqu run`` (:mod:`xiqu_analysis.cli.run`) is a thin front over them.

Layout of one run::

    <out>/<run-id>/                 run-id = UTC YYYYMMDD-HHMMSS-<6 hex>, created exclusively
        manifest.json               written atomically at start and after every notebook
        run.log                     runner log + each job's log (papermill, cell output)
        index.html                  links to every report/table/figure, with status
        tables.xlsx                 every finished report's tables, one sheet each
        <job>/                      a notebook that succeeded (renamed from <job>.partial/), or was reused
            <notebook>.ipynb        executed notebook (every save atomic)
            <notebook>.html         report without code, figures embedded, offline
            <job>.docx <job>.pdf    Word and PDF versions (xiqu run --formats), from document.json
            tables/*.csv figures/*.png tables.xlsx artifacts.json   (written by the notebook)
            job.log                 this job's log
        <job>.failed/ .timeout/ .kernel_died/ .interrupted/   kept, with the reason in a banner
        .runner/                    job specs, results, worker logs, the disk reserve
    <out>/latest -> <run-id>        symlink, moved only when a run completes (all ok)
    <out>/LATEST                    the same run id as text

Known papermill/nbclient/nbconvert pitfalls and the answer here (each has a test in ``tests/runner/`` or ``tests/end_to_end/``: the runner, faults and reuse tests):

Parameters
    * No ``parameters``-tagged cell (papermill only warns; later assignments
      win): :func:`validate_jobs` refuses the notebook before anything runs.
    * Unknown / misspelled names (papermill only logs "Passed unknown
      parameter"): every name must be declared in the notebook's parameters
      cell, else InputError; the suite's notebooks refuse unknown names
      themselves too (:func:`xiqu_analysis.reports.parameters.from_namespace`).
    * Names injected verbatim: names must be Python identifiers (not keywords).
      The plain ``papermill`` command is guarded too: papermill loads this
      package's engine entry point, which refuses a name that is not an
      identifier, or that a suite notebook does not declare, before any cell
      runs (:mod:`xiqu_analysis.runner.papermill_guard`).
    * Values that are not JSON types fall back to ``str()``: every value must
      be a plain JSON value of the declared type, and for the suite's
      notebooks valid for the registry's model (ranges, seeds, years); every
      file a job will read is loaded and checked (scenarios projected to the
      end, regions, actuals, encodings) before any kernel starts.
    * ``-p`` type guessing and YAML 1.1 surprises: the runner never goes
      through the papermill CLI or YAML; values are passed as Python objects.
    * (Found in papermill's code) input and output paths go through
      ``str.format(**parameters)``: braces in a path are doubled
      (:func:`xiqu_analysis.runner.worker.literal_path`).
Failures
    * Raising cell: status ``failed``, papermill's banner and traceback stay
      in the executed notebook and its HTML; the other notebooks go on; exit 1.
    * Kernel death: ``DeadKernelError`` -> ``kernel_died``; the runner adds the banner.
    * No whole-notebook timeout in papermill: past ``timeout`` seconds the
      runner stops the worker and every descendant (SIGTERM, then SIGKILL;
      :func:`~xiqu_analysis.runner.processes.kill_tree`) and records ``timeout``
      once none of them runs; a new worker takes the remaining jobs.
    * ``sys.exit(0)`` counts as success, failing ``!cmd`` is not an error: a
      notebook is ``ok`` only if ``artifacts.json`` says ``complete: true`` and
      lists only files that exist.
    * Non-atomic output: every run has its own new folder; each job is written
      to ``<job>.partial`` and renamed when done; papermill's saves of the
      executed notebook, manifest, index and pointers are written to temporary
      names and renamed; nothing of an earlier run is written or deleted
      (reuse only reads it; an abandoned run's manifest and index are the
      only exception: they are corrected).
Parallel runs
    * Port races at kernel start (papermill #511): up to 3 kernel starts when
      one fails with "Address already in use" / "Kernel died before replying
      to kernel_info" and no cell had started.
    * ``cwd=`` is process-wide (#578): no threads and no ``chdir``; workers
      and kernels are processes started with a working directory, and only
      absolute paths are passed.
    * Two runs at once: distinct run folders, unique temporary names, the
      ``latest`` symlink replaced atomically.
Reports
    * nbconvert's HTMLExporter (one per worker) with ``exclude_input``, no
      prompts, the ``parameters``/``injected-parameters`` cells removed;
      template ``templates/report.html.j2`` drops every network resource, a
      Content-Security-Policy blocks scripts and remote loads.
    * nbconvert does not sanitise: the notebooks escape text they show
      (:func:`xiqu_analysis.reports.words.text.esc`: no markup, no maths, no live
      links); ``index.html`` is rendered with jinja2 autoescape.
Every exit path (:mod:`xiqu_analysis.runner.record`)
    * SIGINT (Ctrl-C), SIGTERM, SIGHUP (terminal closed): workers and kernels
      stopped, finished reports kept, unfinished jobs ``interrupted``, manifest
      ``incomplete`` with the reason, exit 130. A full disk or any other error
      of the runner: the same, manifest ``failed`` with the reason, exit 1 (the
      space for the final record is held in reserve from the start). Kernel
      connection files live in a private folder removed on every one of these
      paths. SIGKILL of the runner: its workers notice (their stdin closes),
      stop their kernels and exit; the next ``xiqu run`` marks the manifest
      ``abandoned`` and stops whatever it recorded that still runs.
      Bookkeeping runs with these signals held back, so a signal never leaves
      a job half recorded.
"""
from __future__ import annotations

import dataclasses
import math
import os
import sys
from pathlib import Path
from typing import Any, Mapping, Sequence

from .. import config
from ..errors import InputError, Message
from ..fileio import hash_files, sha256_file
from ..inputs.regions import data_files
from .manifest import environment_info
from .record import STATUSES
from .render import FORMATS, check_docx_template, parse_formats
from .reuse import digests_of, find_reusable, job_key, source_digest, versions_digest
from .executors import EXECUTORS, Executor, make_executor
from .session import RunResult, RunSession
from .suites import Job
from .validate import check_output_root, validate_jobs

__all__ = ["RunResult", "STATUSES", "DEFAULT_TIMEOUT_S", "run_jobs"]

#: wall-clock limit per notebook, seconds
DEFAULT_TIMEOUT_S = 1800.0


def _check_options(max_jobs: Any, timeout: Any) -> None:
    if type(max_jobs) is not int or max_jobs < 1:
        raise InputError("command line", "jobs", "must be a whole number >= 1, got {max_jobs!r}", max_jobs=max_jobs)
    if not (type(timeout) in (int, float) and math.isfinite(timeout) and timeout > 0):
        raise InputError("command line", "timeout", "must be a number of seconds > 0, got {timeout!r}", timeout=timeout)


def _check_executor(executor: Any, scheduler: Any) -> None:
    """The executor and its scheduler: a known name, the extra installed, a scheduler that answers."""
    cli = "command line"
    if isinstance(executor, Executor):
        return
    if executor not in EXECUTORS:
        raise InputError(cli, "executor", "must be one of {items}, got {executor!r}", items=', '.join(EXECUTORS),
                         executor=executor)
    if scheduler is not None and executor != "dask":
        raise InputError(cli, "scheduler", "only applies to the dask executor")
    if executor != "dask":
        return
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise InputError(cli, "executor", "the dask executor needs the optional 'dask' extra: "
                         "pip install 'xiqu-analysis[dask]'") from None
    if scheduler is None:
        return
    import socket

    from .dask_executor import parse_scheduler

    try:
        _, host, port = parse_scheduler(scheduler)
    except ValueError as exc:
        problem = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else Message("{problem}",
                                                                                            problem=str(exc))
        raise InputError(cli, "scheduler", problem) from None
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as exc:
        raise InputError(cli, "scheduler", "no scheduler answers at {scheduler} ({reason})", scheduler=scheduler,
                         reason=exc.strerror or exc) from None


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
    fresh: bool = False,
    loaded: dict | None = None,
    formats: Sequence[str] = FORMATS,
    docx_template: str | os.PathLike | None = None,
    executor: str | Executor = "local",
    scheduler: str | None = None,
    workbook_name: str = "tables.xlsx",
) -> RunResult:
    """Validate, reuse what has not changed, execute the rest in warm worker processes; write the record.

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
        Folder whose files are hashed into the manifest and the reuse keys;
        default :func:`config.data_dir`.
    progress : bool, optional
        tqdm progress bar on stderr; default only when stderr is a terminal.
    start_timeout : int
        Seconds to wait for a kernel to start.
    kernel_attempts : int
        Kernel start attempts on port collisions.
    fresh : bool
        Execute every job, reusing nothing from earlier runs.
    loaded : dict, optional
        Regions and scenarios :func:`~xiqu_analysis.runner.suites.plan_suite`
        has read and checked (its ``loaded``), not read again.
    workbook_name : str
        File name of the run's workbook of every table (default ``tables.xlsx``;
        :func:`~xiqu_analysis.runner.suites.run_workbook_name` for names in a language).
    formats : sequence of {"html", "docx", "pdf"}
        Versions of each report (default all), for every job that names none
        itself; ``docx_template``: a Word file whose styles the DOCX uses
        (hashed into the reuse keys of the jobs that make a DOCX).
    executor : {"local", "dask"} or Executor
        Where the jobs execute (:mod:`xiqu_analysis.runner.executors`): the
        warm local pool (default), or a Dask distributed cluster (the optional
        ``dask`` extra): the one at ``scheduler`` (``tcp://HOST:PORT``, with
        storage shared at the same paths), else a LocalCluster on 127.0.0.1 of
        ``max_jobs`` workers. Not part of the reuse keys: a report is the same
        wherever it ran.

    Returns
    -------
    RunResult

    Raises
    ------
    InputError
        Before anything is created or executed: bad job, parameter, notebook,
        input file, option or output folder.
    """
    requested = max_jobs
    max_jobs = (os.cpu_count() or 1) if max_jobs is None else max_jobs
    _check_options(max_jobs, timeout)
    _check_executor(executor, scheduler)
    formats, template = parse_formats(formats), check_docx_template(docx_template)
    jobs = [job if job.formats is not None else dataclasses.replace(job, formats=formats) for job in jobs]
    reads = validate_jobs(jobs, loaded)
    if template is not None:  # the template shapes every DOCX: a changed template is a changed input
        reads = {job.name: reads[job.name] + ((template,) if "docx" in job.formats else ()) for job in jobs}
    root = check_output_root(out_root if out_root is not None else config.output_dir())
    ddir = Path(data_dir).absolute() if data_dir is not None else config.data_dir()
    input_hashes = hash_files({p for files in reads.values() for p in files})
    data_hashes = hash_files(data_files(ddir))
    notebook_hashes = {nb: sha256_file(nb) for nb in {job.notebook for job in jobs}}  # as executed
    source, versions = source_digest(), versions_digest()
    keys = {job.name: job_key(job, notebook_sha256=notebook_hashes[job.notebook], source=source,
                              versions=versions, data=data_hashes, inputs=digests_of(reads[job.name], input_hashes),
                              kernel_name=kernel_name) for job in jobs}
    env_info = environment_info(config.PROJECT_ROOT)

    # ---- from here on, things are written (only inside the new run folder and pointers)
    chosen = executor if isinstance(executor, Executor) else \
        make_executor(executor, max_jobs=requested, scheduler=scheduler, cpu_count=max_jobs)
    run = RunSession(jobs, root, max_jobs=max_jobs, timeout=timeout, kernel_name=kernel_name,
                     start_timeout=start_timeout, kernel_attempts=kernel_attempts, docx_template=template,
                     executor=chosen, workbook_name=workbook_name)
    for st in run.states:
        st.notebook_sha256, st.reuse_key = notebook_hashes[st.job.notebook], keys[st.job.name]
        st.reads = reads[st.job.name]
    run.manifest.update({
        "command": list(command) if command is not None else [Path(sys.argv[0]).name, *sys.argv[1:]],
        "options": dict(options or {}, jobs=max_jobs, timeout_s=timeout, kernel=kernel_name, fresh=fresh,
                        executor=chosen.name, scheduler=scheduler,
                        formats=list(formats), docx_template=str(template) if template else None),
        "scenario_files": input_hashes, "data_dir": str(ddir), "data_files": data_hashes,
        "source_sha256": source, "versions_sha256": versions, **env_info,
    })
    return run.execute(reusable={} if fresh else find_reusable(root, keys), progress=progress)


