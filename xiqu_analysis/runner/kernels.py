"""Kernels of a worker: started ahead of their job, warmed with the heavy imports, always cleaned up.

A worker (:mod:`xiqu_analysis.runner.worker`) executes one notebook after
another, each in a kernel of its own. Starting a kernel and importing numpy,
pandas, matplotlib and the report modules into it takes seconds; a worker
therefore starts the kernel of its *next* job while the current one
executes (:meth:`Kernels.prestart`), with those imports done at start-up
(``IPKernelApp.exec_lines``; nothing is bound in the notebook's namespace:
``import a.b as _w; del _w``). Each notebook still gets a fresh kernel and a
fresh namespace; only ``sys.modules`` is warm, as if the notebook's first cell
had already imported the same modules.

Connection files (they hold the kernel's signing key) are written to
``JUPYTER_RUNTIME_DIR``, which the runner points at a private folder of the
run and removes when the run ends, however it ends. Every kernel a worker
starts is recorded (pid and start time) in ``<worker record>.json``, so a
later run can stop the kernels of a runner that was killed
(:func:`xiqu_analysis.runner.record.sweep_abandoned`).

A plain ipykernel kernel of the worker's own Python is not started as a new
``python -m ipykernel_launcher`` but forked from the worker's kernel template,
a process that has done the imports once
(:mod:`xiqu_analysis.runner.forked_kernels`; ``XIQU_FORK_KERNELS=0`` turns
it off): the imports then cost nothing per kernel.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import threading
import uuid
from pathlib import Path
from typing import Any, Iterable

from ..fileio import atomic_write_text
from .forked_kernels import KernelTemplate, fork_enabled, provisioner_class, spec_is_plain

__all__ = ["WARM_IMPORTS", "Kernels", "warm_up_arguments"]

log = logging.getLogger("xiqu_analysis.runner.kernels")

#: modules imported into a kernel while it starts (what the suite's notebooks import first)
WARM_IMPORTS = (
    "numpy",
    "pandas",
    "matplotlib.pyplot",
    "xiqu_analysis.reports.sections.scenario_report",
    "xiqu_analysis.reports.sections.comparison",
    "xiqu_analysis.reports.sections.data_audit",
    "xiqu_analysis.reports.sections.annual_review",
)


def warm_up_arguments(modules: Iterable[str] = WARM_IMPORTS) -> list[str]:
    """Extra ipykernel arguments: an in-memory history, and ``modules`` imported at start-up.

    The history database is kept in memory (as nbclient does for the kernels it
    starts), so parallel kernels never share ``history.sqlite``. An import that
    fails is only logged by the kernel; the notebook then imports it itself.
    """
    lines = [f"import {m} as _xiqu_warm; del _xiqu_warm" for m in modules]
    return ["--HistoryManager.hist_file=:memory:", f"--IPKernelApp.exec_lines={json.dumps(lines)}"]


class Kernels:
    """The kernels of one worker process: start, hand over, stop; recorded on disk.

    Parameters
    ----------
    kernel_name : str
        Kernel spec to start.
    cwd : Path
        Working directory of every kernel (notebooks use absolute paths).
    record : Path
        JSON file listing ``{"pid", "create_time"}`` of every kernel started
        (``"kernels"``) and of the kernel template (``"templates"``), for a later
        run to stop what a killed run left (a template that outlived its worker is
        no longer in the worker's tree).
    fork : bool, optional
        Fork plain ipykernel kernels from a template process (default:
        :func:`~.forked_kernels.fork_enabled`, ``XIQU_FORK_KERNELS``).
    """

    def __init__(self, kernel_name: str, cwd: Path, record: Path, fork: bool | None = None):
        self.kernel_name = kernel_name
        self.cwd = Path(cwd)
        self.record = Path(record)
        self._lock = threading.Lock()
        self._live: list[Any] = []  # KernelManagers started and not yet stopped
        self._procs: dict[int, Any] = {}  # id(KernelManager) -> the kernel's Popen
        self._started: list[dict[str, float]] = []
        self._templates: list[dict[str, float]] = []
        self._next: Any = None
        self.template: KernelTemplate | None = KernelTemplate() if (fork_enabled() if fork is None else fork) \
            else None

    def open(self) -> None:
        """Start the kernel template, if kernels are forked (it imports while the worker loads its own modules).

        Not for a kernel spec that would not be forked (another Python, another kernel): no template then.
        """
        if self.template is not None and self.template.proc is None and self.template.ready is None:
            if spec_is_plain(self.kernel_name):
                self.template.start()
                if self.template.proc is not None:
                    pid = self.template.proc.pid
                    with self._lock:
                        self._templates.append({"pid": pid, "create_time": _create_time(pid)})
                        self._write_record()
            else:
                self.template = None

    # ---------------------------------------------------------------- start
    def start(self) -> Any:
        """Launch a kernel (returns once its process runs, without waiting for it to be ready)."""
        from jupyter_core.utils import run_sync

        km = _manager_class()(kernel_name=self.kernel_name)
        # jupyter_client would otherwise write the connection file (the kernel's signing key) to a
        # mkstemp name in the system's temporary folder, where a killed process leaves it behind
        from jupyter_core.paths import jupyter_runtime_dir

        km.connection_file = os.path.join(jupyter_runtime_dir(), f"kernel-{uuid.uuid4()}.json")
        if self.template is not None:
            self.open()
            if self.template.usable:
                km.xiqu_template = self.template
        extra = warm_up_arguments() if km.ipykernel else []
        run_sync(km.start_kernel)(extra_arguments=extra, cwd=str(self.cwd))
        with self._lock:
            self._live.append(km)
            proc = getattr(getattr(km, "provisioner", None), "process", None)
            pid = getattr(proc, "pid", None)
            if pid is not None:
                self._procs[id(km)] = proc
                self._started.append({"pid": pid, "create_time": _create_time(pid)})
                self._write_record()
        return km

    def _write_record(self) -> None:
        """The record file, whole (called with the lock held)."""
        atomic_write_text(self.record, json.dumps({"kernels": self._started, "templates": self._templates}) + "\n",
                          durable=False)

    def prestart(self) -> None:
        """Start the kernel of the next job now (it boots while the current job executes)."""
        if self._next is None:
            try:
                self._next = self.start()
            except Exception as exc:  # noqa: BLE001 - the next job starts its own kernel instead
                log.warning("could not start a kernel ahead of time: %s: %s", type(exc).__name__, exc)

    def take(self) -> Any:
        """The kernel started ahead of time, or a new one."""
        km, self._next = self._next, None
        return km if km is not None else self.start()

    # ---------------------------------------------------------------- stop
    def stop(self, km: Any) -> None:
        """Stop ``km``'s kernel at once and remove its connection file (nothing to save in it)."""
        from jupyter_core.utils import run_sync

        if km is None:
            return
        for kc in getattr(km, "xiqu_clients", []):  # the client nbclient made: its sockets close now
            try:
                kc.stop_channels()
                kc.context.destroy(linger=0)
            except Exception:  # noqa: BLE001
                pass
        try:
            # now=True: SIGKILL to the kernel's process group (its children too), then reaped
            run_sync(km.shutdown_kernel)(now=True)
        except Exception as exc:  # noqa: BLE001 - e.g. it had already died: killed here (not yet reaped)
            log.warning("kernel shutdown: %s: %s", type(exc).__name__, exc)
            _kill_kernel_group(self._procs.get(id(km)))
        try:
            km.cleanup_connection_file()
        except Exception:  # noqa: BLE001
            pass
        with self._lock:
            if km in self._live:
                self._live.remove(km)
            self._procs.pop(id(km), None)
        if km is self._next:
            self._next = None

    def stop_all(self) -> None:
        """Stop every kernel of this worker (the one started ahead of time included), then the template."""
        for km in list(self._live):
            self.stop(km)
        if self.template is not None:
            self.template.close()

    def kill_all_now(self) -> None:
        """From any thread, when the worker must end at once: SIGKILL every kernel, remove connection files."""
        with self._lock:
            live = list(self._live)
        for km in live:
            _kill_kernel_group(self._procs.get(id(km)))
            try:
                Path(km.connection_file).unlink(missing_ok=True)
            except Exception:  # noqa: BLE001
                pass


_MANAGER_CLASS: Any = None


def _manager_class() -> Any:
    """An AsyncKernelManager that remembers the clients made for it (nbclient makes one per notebook).

    nbclient stops the client of a kernel it started itself, not of one it was
    handed; :meth:`Kernels.stop` stops them instead.
    """
    global _MANAGER_CLASS
    if _MANAGER_CLASS is None:
        from jupyter_client.manager import AsyncKernelManager

        class TrackingKernelManager(AsyncKernelManager):
            async def _async_pre_start_kernel(self, **kw: Any) -> Any:
                # a plain kernel spec of this Python is forked from the worker's template (the provisioner
                # decides at launch; a spec that names its own provisioner keeps it)
                if getattr(self, "xiqu_template", None) is not None and self.provisioner is None \
                        and not self.kernel_spec.metadata.get("kernel_provisioner"):
                    self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                    self.provisioner = provisioner_class()(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                           parent=self)
                return await super()._async_pre_start_kernel(**kw)

            def client(self, **kwargs: Any) -> Any:
                kc = super().client(**kwargs)
                self.__dict__.setdefault("xiqu_clients", []).append(kc)
                return kc

        _MANAGER_CLASS = TrackingKernelManager
    return _MANAGER_CLASS


def _create_time(pid: int) -> float | None:
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def _kill_kernel_group(proc: Any) -> None:
    """SIGKILL a kernel's process group (a kernel leads a session of its own: its children too).

    ``proc`` is the kernel's :class:`subprocess.Popen`, or the
    :class:`~.forked_kernels.ForkedKernel` of a kernel forked from the
    template. Only a kernel that has not been reaped is signalled: until it is
    reaped (by this process, or by the template, which the kernel's pidfd
    tells), its pid (and so its group id) cannot name another process.
    """
    if hasattr(proc, "signal_group"):  # a forked kernel: through its pidfd, only if not reaped
        proc.signal_group(signal.SIGKILL)
        return
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            proc.kill()
        except OSError:
            pass
