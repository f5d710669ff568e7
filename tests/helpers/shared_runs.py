"""Runs of ``xiqu run`` made once per test session and read by every test that needs the same run.

Several modules assert different things about the same run (a Chinese run of the annual review suite: no
English on its pages, its Word and PDF versions and their layout, its workbook; an English run of two scenarios:
its record, and the same tables from the Dask executor). :func:`shared_run` makes the run the first time a
test asks for it, in a folder of the session's temporary directory named by the run's arguments, under a
file lock: a test on another xdist worker that asks for the same run waits for it and reads the same files.
A test that only reads a shared run may use it as it is; a test that changes files copies the run first.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Mapping, Sequence

from . import FIXTURES, ROOT

__all__ = ["SharedRun", "XIQU", "ZH_REVIEW_SUITE", "EN_TWO_SCENARIOS_REVIEW", "shared_run"]

#: the installed ``xiqu`` command, which makes the shared runs (a run that is to reuse a shared run's reports is
#: made the same way: ``python -m xiqu_analysis`` from the repository's root has the root on ``sys.path``, whose
#: egg-info then enters the reuse key's list of installed distributions)
XIQU = Path(sys.executable).parent / "xiqu"

#: the Chinese run of the annual review suite of 2024 on the INVENTED actuals: every shipped scenario's report,
#: their comparison, the data audit and the review (HTML, Word, PDF, Excel; files named in Chinese), which
#: test_chinese_run.py, test_formats_notebooks.py, test_page_layout.py and test_index_names_runs.py read (the
#: default suite and the review in one run)
ZH_REVIEW_SUITE = ("--suite", "annual-review", "--year", "2024", "--language", "zh", "--actuals",
                   str(FIXTURES / "actuals_invented_2021_2025.csv"), "--file-names", "zh",
                   "--paths", "200", "--jobs", "2")

#: the English run of the annual review suite of 2025 of two shipped scenarios, without actuals
#: (--allow-empty), HTML only, 100 paths: every kind of report notebook once, which
#: test_runner_notebooks.py checks and test_dask_executor.py compares with the Dask executor's run
EN_TWO_SCENARIOS_REVIEW = (str(ROOT / "scenarios" / "trend.yaml"), str(ROOT / "scenarios" / "plan_targets.yaml"),
                           "--paths", "100", "--jobs", "2", "--formats", "html", "--timeout", "300",
                           "--suite", "annual-review", "--year", "2025", "--allow-empty")


class SharedRun:
    """A finished ``xiqu run``: its exit status, stdout and stderr, its run folder and manifest."""

    def __init__(self, record: dict):
        self.returncode: int = record["returncode"]
        self.stdout: str = record["stdout"]
        self.stderr: str = record["stderr"]

    @property
    def run_dir(self) -> Path:
        assert self.returncode == 0, self.stderr[-3000:]
        return Path(self.stdout.strip().splitlines()[-1]).parent

    @property
    def manifest(self) -> dict:
        return json.loads((self.run_dir / "manifest.json").read_text("utf-8"))


def _session_dir(tmp_path_factory) -> Path:
    """The session's temporary folder, the same on every xdist worker (each worker's own is a folder in it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def shared_run(tmp_path_factory, argv: Sequence[str], env: Mapping[str, str] | None = None,
               timeout: float = 900) -> SharedRun:
    """``xiqu run ARGV --out <folder>`` (from the repository's root, with ``env`` added to the environment),
    made once per session for these arguments; every later call, on any worker, returns the same run."""
    extra = dict(env or {})
    key = hashlib.sha256(json.dumps([list(argv), sorted(extra.items())]).encode()).hexdigest()[:16]
    folder = _session_dir(tmp_path_factory) / "shared-runs" / key
    folder.mkdir(parents=True, exist_ok=True)
    record_path = folder / "run.json"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if this process dies
        if not record_path.is_file():
            proc = subprocess.run([str(XIQU), "run", *argv, "--out", str(folder / "out")],
                                  capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                                  env={**os.environ, **extra})
            record = {"argv": list(argv), "env": extra, "returncode": proc.returncode, "stdout": proc.stdout,
                      "stderr": proc.stderr}
            tmp = record_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(record), encoding="utf-8")
            tmp.rename(record_path)
    return SharedRun(json.loads(record_path.read_text("utf-8")))
