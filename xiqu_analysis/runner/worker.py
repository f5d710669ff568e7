"""Child process of :mod:`xiqu_analysis.runner.execute`: execute ONE notebook, check it, render it.

Run as ``python -P -m xiqu_analysis.runner.worker SPEC.json``. The parent starts
each worker in its own session (process group), with the job's folder as the
working directory, and enforces the wall-clock limit by killing the worker
and its kernel; this module never changes directory itself.

The worker

1. executes the notebook with :func:`papermill.execute_notebook` (input and
   output given as absolute paths with ``{``/``}`` doubled, because papermill
   runs ``str.format(**parameters)`` on both paths);
2. retries the kernel start (up to ``kernel_attempts`` times) when it failed
   with a port collision ("Address already in use", "Kernel died before
   replying to kernel_info", papermill #511) and no cell had started;
3. classifies the outcome: ``ok``, ``failed`` (a raising cell; papermill
   adds its error banner), ``kernel_died`` (:class:`nbclient.exceptions.DeadKernelError`),
   ``timeout`` (a per-cell :class:`nbclient.exceptions.CellTimeoutError`);
4. :func:`finalize`: an ``ok`` notebook whose ``artifacts.json`` is missing or
   not complete becomes ``failed`` ("incomplete artifacts", the ``sys.exit(0)``
   case); a notebook that did not finish gets a banner cell naming the reason;
   the HTML report is rendered without code and, for a finished report, its
   Word and PDF versions (``spec["formats"]``, :func:`.render.render_formats`);
5. writes ``result.json`` (atomically) for the parent.

SPEC.json keys: ``name``, ``title``, ``notebook``, ``job_dir``, ``executed``,
``html``, ``parameters``, ``kernel_name``, ``start_timeout``,
``kernel_attempts``, ``result``, ``formats`` (default all of
:data:`.render.FORMATS`), ``docx_template`` (optional).
"""
from __future__ import annotations

import json
import logging
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any, Mapping

from .manifest import atomic_write_json

log = logging.getLogger("xiqu_analysis.runner.worker")

#: messages of a kernel that failed to start because of a port race (papermill #511)
KERNEL_START_FAILURE = re.compile(
    r"Address already in use|Kernel died before replying to kernel_info|"
    r"Kernel didn't respond in \d+ seconds|ZMQError",
)


def literal_path(path: str | Path) -> str:
    """``path`` with ``{`` and ``}`` doubled, so papermill's ``path.format(**parameters)`` returns it unchanged."""
    return str(path).replace("{", "{{").replace("}", "}}")


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
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def execute(spec: Mapping[str, Any]) -> tuple[str, str | None, int]:
    """Execute the notebook of ``spec`` with papermill; return ``(status, error, attempts)``."""
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    executed = Path(spec["executed"])
    attempts = int(spec.get("kernel_attempts", 3))
    for attempt in range(1, attempts + 1):
        try:
            pm.execute_notebook(
                literal_path(spec["notebook"]),
                literal_path(executed),
                parameters=dict(spec["parameters"]),
                kernel_name=spec.get("kernel_name") or None,
                progress_bar=False,
                log_output=True,
                start_timeout=int(spec.get("start_timeout", 60)),
            )
            return "ok", None, attempt
        except PapermillExecutionError as exc:
            where = f" (cell In [{exc.exec_count}])" if exc.exec_count is not None else ""
            return "failed", _one_line(f"{exc.ename}: {exc.evalue}{where}"), attempt
        except CellTimeoutError as exc:
            return "timeout", _one_line(f"a cell exceeded its time limit: {exc}"), attempt
        except DeadKernelError as exc:
            if attempt < attempts and is_kernel_start_failure(exc, executed):
                log.warning("kernel start failed (attempt %d of %d): %s", attempt, attempts, exc)
                time.sleep(0.5 * attempt)
                continue
            return "kernel_died", _one_line(f"the kernel died (DeadKernelError: {exc})"), attempt
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none escapes
            if is_kernel_start_failure(exc, executed):
                if attempt < attempts:
                    log.warning("kernel start failed (attempt %d of %d): %s: %s",
                                attempt, attempts, type(exc).__name__, exc)
                    time.sleep(0.5 * attempt)
                    continue
                return "failed", _one_line(
                    f"the kernel did not start after {attempts} attempt{'s' if attempts != 1 else ''}: "
                    f"{type(exc).__name__}: {exc}"
                ), attempt
            log.exception("notebook execution failed")
            return "failed", _one_line(f"{type(exc).__name__}: {exc}"), attempt
    raise AssertionError("unreachable")  # pragma: no cover


def finalize(spec: Mapping[str, Any], status: str, error: str | None) -> dict[str, Any]:
    """Check artifacts, mark an unfinished notebook, render the HTML; return the job result.

    Used by the worker after :func:`execute` and by the parent for a job whose
    worker it had to kill (timeout) or that died without a result. Paths in the
    result are relative to the job folder.
    """
    import nbformat

    from .render import FORMATS, check_artifacts, mark_notebook, render_formats, render_html

    job_dir = Path(spec["job_dir"])
    executed = Path(spec["executed"])
    html_path = Path(spec["html"])
    problem, tables, figures = check_artifacts(job_dir)
    if status == "ok" and problem:
        status, error = "failed", problem

    nb = None
    if executed.is_file():
        try:
            nb = nbformat.read(executed, as_version=4)
        except Exception as exc:  # noqa: BLE001 - e.g. truncated by a kill mid-write
            error = f"{error or status}; the executed notebook could not be read ({_one_line(exc, 200)})"
    if nb is None:
        nb = nbformat.v4.new_notebook()
        if status == "ok":  # pragma: no cover - papermill always writes it
            status, error = "failed", "no executed notebook was saved"
    if status != "ok":
        mark_notebook(nb, status, error or status)
        try:
            from ..fileio import atomic_write_text

            atomic_write_text(executed, nbformat.writes(nb))
        except OSError as exc:  # pragma: no cover
            log.warning("could not save the marked notebook: %s", exc)
    formats = tuple(spec.get("formats") or FORMATS)
    html_rel: str | None = None
    if "html" in formats or status != "ok":  # a report that did not finish always gets its page
        html_rel = html_path.name
        try:
            render_html(nb, html_path, spec.get("title") or spec["name"])
        except Exception as exc:  # noqa: BLE001
            log.exception("HTML rendering failed")
            html_rel = None
            if status == "ok":
                status, error = "failed", _one_line(f"HTML rendering failed: {type(exc).__name__}: {exc}")
    versions: dict[str, str | None] = {"docx": None, "pdf": None}
    if status == "ok":
        t0 = time.monotonic()
        try:
            versions = render_formats(job_dir, spec["name"], formats, spec.get("docx_template"))
        except Exception as exc:  # noqa: BLE001 - a report asked for in Word or PDF and not made is a failure
            log.exception("Word/PDF rendering failed")
            status, error = "failed", _one_line(f"Word/PDF rendering failed: {type(exc).__name__}: {exc}")
        else:
            if any(versions.values()):
                log.info("Word/PDF versions written in %.1f s", time.monotonic() - t0)
    return {
        "status": status,
        "error": error,
        "tables": tables,
        "figures": figures,
        "xlsx": "tables.xlsx" if (job_dir / "tables.xlsx").is_file() else None,
        "html": html_rel,
        "docx": versions.get("docx"),
        "pdf": versions.get("pdf"),
        "executed": executed.name if executed.is_file() else None,
    }


def _raise_interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt(f"signal {signum}")


def skip_iri_format_checks() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in this process.

    jsonschema (imported by nbformat) imports rfc3987_syntax when it is
    installed, which compiles a Lark grammar at import time: about 2 s of CPU
    in every process, only to check "iri" string formats that notebook
    validation never uses. Called by processes that exist only to run this
    package (a worker, the ``xiqu`` command, the test session), never by the
    library itself, so a user's own session keeps every format check.
    """
    sys.modules.setdefault("rfc3987_syntax", None)


def main(argv: list[str] | None = None) -> int:
    """Entry point: execute the job described by the SPEC.json path in ``argv[0]``."""
    argv = sys.argv[1:] if argv is None else argv
    skip_iri_format_checks()
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # SIGTERM from the parent (timeout, interrupted run): unwind so papermill
    # shuts the kernel down; the parent SIGKILLs whatever is left afterwards.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    t0 = time.monotonic()
    try:
        status, error, attempts = execute(spec)
        result = finalize(spec, status, error)
    except KeyboardInterrupt:
        log.warning("worker interrupted")
        return 130
    result["attempts"] = attempts
    result["duration_s"] = round(time.monotonic() - t0, 3)
    atomic_write_json(Path(spec["result"]), result)
    log.info("job %s: %s%s", spec["name"], result["status"],
             f" ({result['error']})" if result["error"] else "")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
