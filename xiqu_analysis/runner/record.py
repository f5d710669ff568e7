"""The true record of a run: manifest and index on every exit path, a full disk, runs left behind.

* :class:`Reserve`: a few hundred KiB taken on the run's disk at the start and
  given back when the disk fills up, so the final ``manifest.json`` and
  ``index.html`` can still be written when nothing else can.
* :class:`QuietFileHandler`: ``run.log`` without logging's multi-line
  "--- Logging error ---" report on stderr when the disk is full.
* :func:`runner_identity` and :func:`sweep_abandoned`: a run records the
  runner's pid and start time; a later ``xiqu run`` finds a manifest still
  ``running`` whose runner no longer runs (killed with SIGKILL, machine
  reset), marks it ``abandoned``, stops the workers and kernels it recorded
  if they still run, and removes its kernel connection files.
* :func:`index_rows`: the rows of ``index.html``, read from the manifest's
  job entries (the same for a finished run and an abandoned one).
"""
from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .manifest import atomic_write_json, utc_now
from .processes import identity, same_process, stop_recorded
from .render import render_index

__all__ = ["STATUSES", "JobState", "RESERVE_BASE_BYTES", "RESERVE_PER_JOB_BYTES", "Reserve", "QuietFileHandler", "runner_identity",
           "is_disk_full", "index_rows", "kernel_records", "sweep_abandoned", "RUNTIME_PREFIX"]

log = logging.getLogger("xiqu_analysis.runner")

#: bytes kept in reserve for the final manifest and index: a base, plus a share per job
RESERVE_BASE_BYTES = 256 * 1024
RESERVE_PER_JOB_BYTES = 16 * 1024
#: name prefix of a run's private folder of kernel connection files (in the system's temporary folder)
RUNTIME_PREFIX = "xiqu-kernels-"
_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})

#: final statuses of a notebook job (``abandoned``: its runner was killed, found by a later run)
STATUSES = ("ok", "failed", "timeout", "kernel_died", "interrupted", "abandoned")


@dataclass
class JobState:
    """What the runner knows about one job of the run; :meth:`manifest_entry` is its record.

    Paths (``html``, ``executed``, ``tables`` ...) are relative to the job's
    folder; the manifest gives them relative to the run folder.
    """

    job: Any
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
    reuse_key: str = ""
    reused_from: str | None = None
    files: dict[str, str] | None = None
    reads: tuple[Path, ...] = ()
    worker: int | None = None
    spec: dict[str, Any] = field(default_factory=dict)
    t0: float = 0.0

    def _rel(self, p: str | None) -> str | None:
        return None if p is None or self.folder is None else f"{self.folder}/{p}"

    def manifest_entry(self) -> dict[str, Any]:
        return {
            "notebook": str(self.job.notebook),
            "notebook_sha256": self.notebook_sha256,
            "title": self.job.title,
            "description": self.job.description,
            "file_stem": self.job.file_stem or None,
            "parameters": self.parameters,
            "formats": list(self.job.formats or ()),
            "inputs": [str(p) for p in (self.reads or self.job.inputs)],
            "timeout_s": self.timeout_s,
            "status": self.status,
            "error": self.error,
            "reused_from": self.reused_from,
            "reuse_key": self.reuse_key,
            "started": self.started,
            "finished": self.finished,
            "duration_s": self.duration_s,
            "kernel_start_attempts": self.attempts,
            "worker_pid": self.worker,
            "folder": self.folder,
            "html": self._rel(self.html),
            "docx": self._rel(self.docx),
            "pdf": self._rel(self.pdf),
            "executed_notebook": self._rel(self.executed),
            "tables": [self._rel(t) for t in self.tables],
            "tables_xlsx": self._rel(self.xlsx),
            "figures": [self._rel(f) for f in self.figures],
            "files": self.files,
        }

    def take_result(self, result: Mapping[str, Any]) -> None:
        """Fill in a worker's (or a reused entry's) result: status, error, files (relative to the job folder)."""
        self.status = result.get("status") or "failed"
        self.error = result.get("error")
        self.attempts = int(result.get("attempts", 0) or 0)
        self.html, self.executed, self.xlsx = result.get("html"), result.get("executed"), result.get("xlsx")
        self.docx, self.pdf = result.get("docx"), result.get("pdf")
        self.tables, self.figures = list(result.get("tables", [])), list(result.get("figures", []))


def is_disk_full(exc: BaseException | None) -> bool:
    """True when ``exc`` (or an exception it came from) is an OSError for a full disk or quota."""
    for _ in range(10):
        if exc is None:
            return False
        if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class Reserve:
    """Space held on the run's disk (a file of ``size`` bytes), released when the disk is full."""

    def __init__(self, path: Path, size: int):
        self.path = Path(path)
        self.size = int(size)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            try:
                os.posix_fallocate(fd, 0, self.size)
            except (AttributeError, OSError) as exc:
                if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
                    raise
                os.ftruncate(fd, 0)  # no fallocate here: write the bytes
                chunk = b"\0" * 65536
                left = self.size
                while left > 0:
                    left -= os.write(fd, chunk[: min(left, len(chunk))])
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            self.path.unlink(missing_ok=True)
            raise
        os.close(fd)

    def release(self) -> bool:
        """Give the space back; True if there was any to give."""
        try:
            self.path.unlink()
            return True
        except FileNotFoundError:
            return False


class QuietFileHandler(logging.FileHandler):
    """A log file that stops, silently, when it cannot be written (a full disk): the run's record goes on."""

    failed: BaseException | None = None

    def handleError(self, record):  # noqa: N802 - logging API
        import sys

        self.failed = sys.exc_info()[1]


def runner_identity() -> dict[str, Any]:
    """What identifies this runner process for a later run: pid, start time, host."""
    ident = identity(os.getpid()) or {"pid": os.getpid(), "create_time": None}
    return {**ident, "host": socket.gethostname()}


def kernel_records(internal: Path, kind: str = "kernels") -> list[dict]:
    """Every kernel (``kind="kernels"``) or kernel template (``"templates"``) the run's workers recorded
    (``.runner/worker-*.kernels.json``)."""
    out = []
    for path in sorted(Path(internal).glob("worker-*.kernels.json")):
        try:
            out.extend(json.loads(path.read_text(encoding="utf-8")).get(kind, []))
        except (OSError, ValueError, AttributeError):
            continue
    return out


def index_rows(manifest: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Rows of ``index.html``, one per job entry of ``manifest``."""
    rows = []
    for name, e in (manifest.get("notebooks") or {}).items():
        rows.append({
            "name": name,
            "title": e.get("title") or name,
            "description": e.get("description") or "",
            "kind": Path(str(e.get("notebook", ""))).stem,
            "notebook": Path(str(e.get("notebook", ""))).name,
            "status": e.get("status"),
            "error": e.get("error"),
            "duration_s": e.get("duration_s"),
            "html": e.get("html"),
            "docx": e.get("docx"),
            "pdf": e.get("pdf"),
            "executed": e.get("executed_notebook"),
            "tables": list(e.get("tables") or []),
            "figures": list(e.get("figures") or []),
            "xlsx": e.get("tables_xlsx"),
            "reused_from": e.get("reused_from"),
        })
    return rows


def _remove_runtime_dir(path: str | None) -> None:
    """Remove a run's private connection-file folder (only one this project made: name and owner checked)."""
    if not path:
        return
    p = Path(path)
    try:
        if p.name.startswith(RUNTIME_PREFIX) and p.is_dir() and not p.is_symlink() \
                and p.stat().st_uid == os.getuid():
            shutil.rmtree(p, ignore_errors=True)
    except OSError:
        pass


def sweep_abandoned(root: Path, by_run: str) -> list[str]:
    """Mark runs under ``root`` left ``running`` by a runner that is gone as ``abandoned``; one line per run.

    A run counts as left behind when its manifest says ``running`` and the
    runner it records (pid and start time, on this host) no longer runs. Its
    workers, kernel templates and kernels (and their subprocesses) are stopped if they still
    run, its kernel connection files removed, its unfinished jobs marked
    ``abandoned``, and its manifest and index rewritten. Nothing else of that
    run is touched; a run of another host or of a runner still alive is left
    alone.
    """
    messages = []
    host = socket.gethostname()
    for manifest_path in sorted(Path(root).glob("*/manifest.json")):
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(manifest, dict) or manifest.get("status") != "running":
            continue
        runner = manifest.get("runner") or {}
        if runner.get("host") != host or same_process(runner) is not None:
            continue  # another machine's run, or its runner still works on it
        run_dir = manifest_path.parent
        procs = manifest.get("processes") or {}
        kernels = [*procs.get("kernels", []), *kernel_records(run_dir / ".runner")]
        templates = [*procs.get("templates", []), *kernel_records(run_dir / ".runner", "templates")]
        stopped = stop_recorded([*procs.get("workers", []), *templates], kernels)
        _remove_runtime_dir(manifest.get("runtime_dir"))
        for name, entry in (manifest.get("notebooks") or {}).items():
            if entry.get("status") not in ("running", "pending"):
                continue
            if entry["status"] == "running":
                partial = run_dir / f"{name}.partial"
                if partial.is_dir() and not (run_dir / f"{name}.abandoned").exists():
                    try:
                        os.rename(partial, run_dir / f"{name}.abandoned")
                        entry["folder"] = f"{name}.abandoned"
                    except OSError:
                        pass
            entry["error"] = ("not started" if entry["status"] == "pending" else "not finished") + \
                ": the runner was killed (found by a later run)"
            entry["status"] = "abandoned"
        manifest["status"] = "abandoned"
        manifest["finished"] = utc_now()
        manifest["reason_code"] = {"code": "abandoned", "run": by_run}
        manifest["reason"] = (f"the runner (pid {runner.get('pid')}) stopped without finishing its record; "
                              f"marked abandoned by run {by_run}"
                              + (f", which stopped {len(stopped)} process(es) it had left" if stopped else ""))
        try:
            atomic_write_json(manifest_path, manifest)
            render_index(run_dir / "index.html", manifest, index_rows(manifest))
        except OSError as exc:
            messages.append(f"run {manifest.get('run_id')}: could not mark it abandoned: {exc}")
            continue
        messages.append(f"run {manifest.get('run_id')} was left running by a runner that is gone: "
                        f"marked abandoned{f', {len(stopped)} process(es) stopped' if stopped else ''}")
    return messages
