"""The runner's side of a worker process: start it, hand it jobs, notice results, stop it.

A worker (:mod:`xiqu_analysis.runner.worker`) runs in a session of its own,
reads one job spec path per line on its stdin (a pipe from the runner) and
writes each result to the spec's ``result`` file. Closing the pipe tells an
idle worker to exit; if the runner dies, the pipe closes by itself and the
worker stops its kernels and exits, so no notebook outlives its runner's
time limits.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Mapping, Sequence

from .manifest import atomic_write_json
from .processes import identity, kill_tree

__all__ = ["WorkerProcess", "worker_env"]


def worker_env(runtime_dir: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment of the workers (and so of their kernels): ``base`` (default this process's) and the run's."""
    env = dict(os.environ if base is None else base)
    pkg_parent = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join([pkg_parent, *filter(None, [env.get("PYTHONPATH")])])
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiets debugpy's frozen-modules warning
    env["PYTHONUNBUFFERED"] = "1"
    # connection files (with the kernels' signing keys) in the run's private folder, removed at the end
    env["JUPYTER_RUNTIME_DIR"] = str(runtime_dir)
    # nbformat validates every save of the executed notebook: fastjsonschema is the quick validator
    env.setdefault("NBFORMAT_VALIDATOR", "fastjsonschema")
    return env


class WorkerProcess:
    """One worker process of a run.

    Attributes
    ----------
    number : int
        1, 2, ... in the order the run started them.
    proc : subprocess.Popen
    job : object or None
        The job state it executes, None while idle.
    t0 : float
        ``time.monotonic()`` when the current job was handed over.
    """

    def __init__(self, number: int, internal: Path, env: Mapping[str, str], kernel_name: str, cwd: Path,
                 formats: Sequence[str] = ("html",)):
        self.number = number
        self.internal = Path(internal)
        self.kernels_record = self.internal / f"worker-{number}.kernels.json"
        config = self.internal / f"worker-{number}.json"
        kernel_cwd = self.internal / "kernel-cwd"
        kernel_cwd.mkdir(exist_ok=True)
        atomic_write_json(config, {"kernel_name": kernel_name, "kernel_cwd": str(kernel_cwd),
                                   "kernels_record": str(self.kernels_record), "formats": list(formats)})
        self.log_fh = open(self.internal / f"worker-{number}.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "xiqu_analysis.runner.worker", str(config)],
            cwd=cwd, env=dict(env), stdin=subprocess.PIPE, stdout=self.log_fh, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.identity = identity(self.proc.pid) or {"pid": self.proc.pid, "create_time": None}
        self.job: Any = None
        self.t0 = 0.0
        self.result_path: Path | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def assign(self, job: Any, spec_path: Path, result_path: Path) -> bool:
        """Hand over a job; False when the worker has already gone (its pipe is closed)."""
        self.job, self.result_path, self.t0 = job, Path(result_path), time.monotonic()
        try:
            self.proc.stdin.write(f"{spec_path}\n".encode())
            self.proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError, ValueError):
            return False

    def result(self) -> dict | None:
        """The current job's result once written (atomically), else None."""
        if self.result_path is None or not self.result_path.is_file():
            return None
        try:
            return json.loads(self.result_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        """The current job is recorded: the worker is idle."""
        self.job, self.result_path = None, None

    def close(self) -> None:
        """No more jobs: the worker stops its kernels and exits."""
        try:
            self.proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    def exited(self) -> bool:
        return self.proc.poll() is not None

    def kill(self, grace_s: float = 3.0) -> None:
        """Stop the worker and everything it started (kernels, their subprocesses); returns when all are gone."""
        self.close()
        kill_tree(self.proc, grace_s=grace_s)
        self.close_log()

    def close_log(self) -> None:
        if self.log_fh is not None and not self.log_fh.closed:
            self.log_fh.close()
