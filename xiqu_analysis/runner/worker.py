"""Child process of :mod:`xiqu_analysis.runner.execute`: execute notebooks one after another, check, render.

Run as ``python -P -m xiqu_analysis.runner.worker CONFIG.json``. The parent
starts each worker in its own session (process group) and enforces every
wall-clock limit by killing the worker and its kernels; this module never
changes directory.

A worker is *warm*: papermill, nbconvert and one HTML exporter are loaded once,
its kernels are forked from a kernel template that has done the heavy imports
once (:mod:`xiqu_analysis.runner.forked_kernels`), and the kernel of the next
job starts (see :mod:`xiqu_analysis.runner.kernels`) while the current job
executes. Jobs
arrive on stdin, one ``SPEC.json`` path per line; for each the worker

1. executes the notebook with :func:`papermill.execute_notebook` in a fresh
   kernel (input and output given as absolute paths with ``{``/``}``
   doubled, because papermill runs ``str.format(**parameters)`` on both
   paths); every save of the executed notebook is atomic (a papermill I/O
   handler writes a temporary file and renames it), so a kill or a full disk
   leaves the previous save, never half a notebook;
2. retries the kernel start (up to ``kernel_attempts`` times) when it failed
   with a port collision ("Address already in use", "Kernel died before
   replying to kernel_info", papermill #511) and no cell had started;
3. classifies the outcome: ``ok``, ``failed`` (a raising cell; papermill
   adds its error banner), ``kernel_died`` (:class:`nbclient.exceptions.DeadKernelError`),
   ``timeout`` (a per-cell :class:`nbclient.exceptions.CellTimeoutError`);
   a full disk is ``failed`` with ``disk_full`` set, and the runner stops the run;
4. :func:`finalize`: an ``ok`` notebook whose ``artifacts.json`` is missing or
   not complete becomes ``failed`` ("incomplete artifacts", the ``sys.exit(0)``
   case); a notebook that did not finish gets a banner cell naming the reason;
   the HTML report is rendered without code and, for a finished report, its
   Word and PDF versions (``spec["formats"]``, :func:`.render.render_formats`);
5. writes ``result.json`` (atomically) for the parent.

End of stdin means "no more jobs": between jobs the worker stops its kernels
and exits 0. During a job it means the runner itself is gone (killed): the
worker kills its kernels, removes their connection files and exits at once
with :data:`EXIT_ORPHANED`, so nothing keeps running without a time limit.

CONFIG.json keys: ``kernel_name``, ``kernel_cwd``, ``kernels_record``, ``formats`` (whose
writers are loaded before the first job).
SPEC.json keys: ``name``, ``title``, ``notebook``, ``job_dir``, ``executed``,
``html``, ``parameters``, ``kernel_name``, ``start_timeout``,
``kernel_attempts``, ``result``, ``formats`` (default all of
:data:`.render.FORMATS`), ``docx_template`` (optional), ``prefetch`` (start
the next kernel now).
"""
from __future__ import annotations

import errno
import json
import logging
import os
import queue
import re
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any, Mapping

from ..fileio import atomic_write_text
from . import skip_iri_format_checks
from .manifest import atomic_write_json

log = logging.getLogger("xiqu_analysis.runner.worker")

#: exit status of a worker whose runner disappeared while it executed a job
EXIT_ORPHANED = 3
#: exit status of a worker that could not write its result because the disk is full
EXIT_DISK_FULL = 28
#: errno values meaning "no space left" (disk full, quota exceeded)
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})

#: messages of a kernel that failed to start because of a port race (papermill #511)
KERNEL_START_FAILURE = re.compile(
    r"Address already in use|Kernel died before replying to kernel_info|"
    r"Kernel didn't respond in \d+ seconds|ZMQError",
)


def literal_path(path: str | Path) -> str:
    """``path`` with ``{`` and ``}`` doubled, so papermill's ``path.format(**parameters)`` returns it unchanged."""
    return str(path).replace("{", "{{").replace("}", "}}")


def is_disk_full(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) is an OSError for a full disk or quota."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _cells_started(executed: Path) -> bool:
    """True when the saved output notebook shows that at least one code cell started."""
    import nbformat

    if not executed.is_file():
        return False
    try:
        nb = nbformat.read(executed, as_version=4)
    except Exception:  # noqa: BLE001 - unreadable: assume something ran
        return True
    # not papermill's "status": after a failed kernel start papermill marks every
    # cell "completed"; a cell that really started has a start time or a count
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        pm_meta = cell.get("metadata", {}).get("papermill", {})
        if pm_meta.get("start_time") or cell.get("execution_count") is not None or cell.get("outputs"):
            return True
    return False


def is_kernel_start_failure(exc: BaseException, executed: Path) -> bool:
    """Whether ``exc`` is a kernel-start failure worth retrying (pattern matched and no cell ran)."""
    text = f"{type(exc).__name__}: {exc}"
    cause = exc.__cause__ or exc.__context__
    if cause is not None:
        text += f" {type(cause).__name__}: {cause}"
    return bool(KERNEL_START_FAILURE.search(text)) and not _cells_started(executed)


def _one_line(text: Any, limit: int = 500) -> str:
    from ..errors import printable

    s = printable(" ".join(str(text).split()))
    return s if len(s) <= limit else s[: limit - 1] + "…"


class _AtomicLocalHandler:
    """papermill I/O handler for absolute local paths: every write is a temporary file renamed over the target.

    papermill saves the executed notebook at the start and after every cell,
    by truncating and rewriting it; a kill or a full disk in the middle left a
    truncated notebook. Registered for the scheme ``"/"`` (every absolute
    path, which is all the runner passes) in the worker process only.
    """

    def read(self, path):
        from papermill.iorw import LocalHandler

        return LocalHandler().read(path)

    def listdir(self, path):
        return [os.path.join(path, fn) for fn in os.listdir(path)]

    def write(self, buf, path):
        # not fsync'ed: papermill saves after every cell; the rename alone is what keeps
        # a reader, a kill or a full disk from seeing half a notebook
        atomic_write_text(path, buf, durable=False)

    def pretty_path(self, path):
        return path


def install_atomic_notebook_writes() -> None:
    """Make papermill write notebooks at absolute paths atomically (this process only)."""
    from papermill.iorw import papermill_io

    if not any(scheme == "/" for scheme, _ in papermill_io._handlers):
        papermill_io.register("/", _AtomicLocalHandler())


def execute(spec: Mapping[str, Any], kernels: Any) -> tuple[str, str | None, int, Any, bool]:
    """Execute the notebook of ``spec`` with papermill in a kernel of ``kernels``.

    Returns ``(status, error, attempts, executed notebook or None, disk_full)``.
    """
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    executed = Path(spec["executed"])
    attempts = int(spec.get("kernel_attempts", 3))
    for attempt in range(1, attempts + 1):
        km = kernels.take() if attempt == 1 else kernels.start()
        if attempt == 1 and spec.get("prefetch"):
            kernels.prestart()  # the next job's kernel boots while this one executes
        try:
            nb = pm.execute_notebook(
                literal_path(spec["notebook"]),
                literal_path(executed),
                parameters=dict(spec["parameters"]),
                kernel_name=spec.get("kernel_name") or None,
                progress_bar=False,
                log_output=True,
                start_timeout=int(spec.get("start_timeout", 60)),
                km=km,
            )
            return "ok", None, attempt, nb, False
        except PapermillExecutionError as exc:
            where = f" (cell In [{exc.exec_count}])" if exc.exec_count is not None else ""
            return "failed", _one_line(f"{exc.ename}: {exc.evalue}{where}"), attempt, None, False
        except CellTimeoutError as exc:
            return "timeout", _one_line(f"a cell exceeded its time limit: {exc}"), attempt, None, False
        except DeadKernelError as exc:
            if attempt < attempts and is_kernel_start_failure(exc, executed):
                log.warning("kernel start failed (attempt %d of %d): %s", attempt, attempts, exc)
                time.sleep(0.5 * attempt)
                continue
            return "kernel_died", _one_line(f"the kernel died (DeadKernelError: {exc})"), attempt, None, False
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none escapes
            if is_disk_full(exc):
                return "failed", _one_line(f"the disk is full: {exc}"), attempt, None, True
            if is_kernel_start_failure(exc, executed):
                if attempt < attempts:
                    log.warning("kernel start failed (attempt %d of %d): %s: %s",
                                attempt, attempts, type(exc).__name__, exc)
                    time.sleep(0.5 * attempt)
                    continue
                return "failed", _one_line(
                    f"the kernel did not start after {attempts} attempt{'s' if attempts != 1 else ''}: "
                    f"{type(exc).__name__}: {exc}"
                ), attempt, None, False
            log.exception("notebook execution failed")
            return "failed", _one_line(f"{type(exc).__name__}: {exc}"), attempt, None, False
        finally:
            kernels.stop(km)
    raise AssertionError("unreachable")  # pragma: no cover


def finalize(spec: Mapping[str, Any], status: str, error: str | None, nb: Any = None) -> dict[str, Any]:
    """Check artifacts, mark an unfinished notebook, render the report; return the job result.

    Used by the worker after :func:`execute` and by the parent for a job whose
    worker it had to kill (timeout) or that died without a result. ``nb`` is
    the executed notebook when the caller has it (else it is read from
    ``spec["executed"]``). Paths in the result are relative to the job folder.
    """
    import nbformat

    from .render import FORMATS, check_artifacts, mark_notebook, name_workbook, render_formats, render_html

    job_dir = Path(spec["job_dir"])
    executed = Path(spec["executed"])
    problem, tables, figures = check_artifacts(job_dir)
    if status == "ok" and problem:
        status, error = "failed", problem

    if nb is None and executed.is_file():
        try:
            nb = nbformat.read(executed, as_version=4)
        except Exception as exc:  # noqa: BLE001 - e.g. a notebook left by an older, non-atomic writer
            error = f"{error or status}; the executed notebook could not be read ({_one_line(exc, 200)})"
    if nb is None:
        nb = nbformat.v4.new_notebook()
        if status == "ok":  # pragma: no cover - papermill always writes it
            status, error = "failed", "no executed notebook was saved"
    disk_full = False
    if status != "ok":
        mark_notebook(nb, status, error or status)
        try:
            atomic_write_text(executed, nbformat.writes(nb))
        except OSError as exc:
            disk_full = disk_full or is_disk_full(exc)
            log.warning("could not save the marked notebook: %s", exc)
    formats = tuple(spec.get("formats") or FORMATS)
    html_path = Path(spec["html"])
    html_rel: str | None = None
    if "html" in formats or status != "ok":  # a report that did not finish always gets its page
        html_rel = html_path.name
        try:
            render_html(nb, html_path, spec.get("title") or spec["name"])
        except Exception as exc:  # noqa: BLE001
            log.exception("HTML rendering failed")
            disk_full = disk_full or is_disk_full(exc)
            html_rel = None
            if status == "ok":
                status, error = "failed", _one_line(f"HTML rendering failed: {type(exc).__name__}: {exc}")
    versions: dict[str, str | None] = {"docx": None, "pdf": None}
    if status == "ok":
        t0 = time.monotonic()
        try:
            versions = render_formats(job_dir, spec.get("file_stem") or spec["name"], formats, spec.get("docx_template"))
        except Exception as exc:  # noqa: BLE001 - a report asked for in Word or PDF and not made is a failure
            log.exception("Word/PDF rendering failed")
            disk_full = disk_full or is_disk_full(exc)
            status, error = "failed", _one_line(f"Word/PDF rendering failed: {type(exc).__name__}: {exc}")
        else:
            if any(versions.values()):
                log.info("Word/PDF versions written in %.1f s", time.monotonic() - t0)
    xlsx = "tables.xlsx" if (job_dir / "tables.xlsx").is_file() else None
    if xlsx and status == "ok" and spec.get("file_stem"):
        try:
            xlsx = name_workbook(job_dir, f"{spec['file_stem']}.xlsx")
        except OSError as exc:
            disk_full = disk_full or is_disk_full(exc)
            status, error = "failed", _one_line(f"the workbook could not be named {spec['file_stem']}.xlsx: {exc}")
    result = {
        "status": status,
        "error": error,
        "tables": tables,
        "figures": figures,
        "xlsx": xlsx,
        "html": html_rel,
        "docx": versions.get("docx"),
        "pdf": versions.get("pdf"),
        "executed": executed.name if executed.is_file() else None,
    }
    if disk_full:
        result["disk_full"] = True
    return result


def run_one(spec: Mapping[str, Any], kernels: Any) -> dict[str, Any]:
    """Execute, check and render one job; the result for the parent (not yet written)."""
    handler = logging.FileHandler(Path(spec["job_dir"]) / "job.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    t0 = time.monotonic()
    try:
        status, error, attempts, nb, disk_full = execute(spec, kernels)
        result = finalize(spec, status, error, nb)
        result["disk_full"] = bool(result.get("disk_full") or disk_full)
        result["attempts"] = attempts
        result["duration_s"] = round(time.monotonic() - t0, 3)
        log.info("job %s: %s%s", spec["name"], result["status"],
                 f" ({result['error']})" if result["error"] else "")
        return result
    finally:
        root.removeHandler(handler)
        handler.close()


def _raise_interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt(f"signal {signum}")




def serve(config: Mapping[str, Any], stdin=None) -> int:
    """Execute the jobs named on ``stdin`` (one SPEC.json path per line) until it ends."""
    from .kernels import Kernels

    stdin = sys.stdin if stdin is None else stdin
    kernels = Kernels(config.get("kernel_name") or "python3", Path(config["kernel_cwd"]),
                      Path(config["kernels_record"]))
    jobs: queue.Queue = queue.Queue()
    busy = threading.Event()

    def read_jobs() -> None:
        for line in stdin:
            if line.strip():
                busy.set()  # from the moment a job is handed over until its result is written
                jobs.put(line.strip())
        if busy.is_set():  # the runner is gone while a job runs: stop everything at once
            log.error("the runner took the job back (it stopped the run or has gone): stopping the kernels")
            kernels.kill_all_now()
            os._exit(EXIT_ORPHANED)
        jobs.put(None)

    signal.signal(signal.SIGTERM, _raise_interrupt)
    kernels.open()  # the kernel template imports while papermill and nbconvert load
    if kernels.template is None:
        kernels.prestart()  # the first job's kernel boots meanwhile instead
    install_atomic_notebook_writes()
    from .render import warm_renderers

    warm_renderers(config.get("formats") or ("html",))
    kernels.prestart()  # the first job's kernel
    threading.Thread(target=read_jobs, name="xiqu-jobs", daemon=True).start()
    try:
        while True:
            item = jobs.get()
            if item is None:
                return 0
            spec = json.loads(Path(item).read_text(encoding="utf-8"))
            result = run_one(spec, kernels)
            signal.signal(signal.SIGTERM, _raise_interrupt)  # nbclient's event loop resets it
            busy.clear()
            try:
                atomic_write_json(Path(spec["result"]), result)
            except OSError as exc:
                if is_disk_full(exc):
                    log.error("cannot write the result of %s: %s", spec["name"], exc)
                    return EXIT_DISK_FULL
                raise
    except KeyboardInterrupt:
        log.warning("worker interrupted")
        return 130
    finally:
        kernels.stop_all()


def main(argv: list[str] | None = None) -> int:
    """Entry point: serve jobs with the CONFIG.json in ``argv[0]``."""
    argv = sys.argv[1:] if argv is None else argv
    skip_iri_format_checks()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    return serve(config)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
