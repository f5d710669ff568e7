"""Runs built from fixtures: a notebook folder of fixture notebooks, a renamed scenario, a folder's contents."""
from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path

from xiqu_analysis.reports.parameters import NOTEBOOKS

from . import FIXTURES, ROOT, SCENARIO_DIR

__all__ = ["as_from_a_terminal", "run_cli", "running", "tree_pids", "template_pids", "NOTEBOOK_FIXTURES", "OK", "EVIL", "REAL", "notebook_dir",
           "scenario_copy", "tree"]

#: notebooks that succeed, raise, exit early, kill their kernel or sleep past their time limit
NOTEBOOK_FIXTURES = FIXTURES / "notebooks"
OK = NOTEBOOK_FIXTURES / "ok.ipynb"
#: a title that would run as script if a page did not escape it
EVIL = "<script>alert(1)</script>"
#: in :func:`notebook_dir`: the shipped notebook, not a fixture
REAL = "real"


def as_from_a_terminal() -> None:
    """``preexec_fn`` of a run that a test signals: SIGINT and SIGHUP as a terminal's command gets them.

    A shell without job control starts a background command (``make test &``) with SIGINT ignored, and
    ``nohup`` ignores SIGHUP; the run inherits what pytest inherited and rightly keeps ignoring them, so a test
    of Ctrl-C or a closed terminal resets both for the run it starts."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def notebook_dir(tmp_path: Path, **which: str) -> Path:
    """A notebook folder whose four report notebooks are copies of fixtures (default ``ok``); ``REAL`` for a
    notebook copies the shipped one (a run whose point is one notebook need not run the others for real)."""
    d = tmp_path / "notebooks"
    d.mkdir(exist_ok=True)
    for name in NOTEBOOKS:
        fixture = which.get(name, "ok")
        source = ROOT / "notebooks" / f"{name}.ipynb" if fixture == REAL else NOTEBOOK_FIXTURES / f"{fixture}.ipynb"
        shutil.copy(source, d / f"{name}.ipynb")
    return d


def scenario_copy(tmp_path: Path, name: str = "evil", title: str = EVIL, source: str = "trend") -> Path:
    """A valid scenario file: a shipped one with another name and title."""
    text = (SCENARIO_DIR / f"{source}.yaml").read_text(encoding="utf-8")
    lines = []
    in_title = False
    for line in text.splitlines():
        if in_title and line.startswith(" "):  # the en/zh lines of the shipped title
            continue
        in_title = False
        if line.startswith("name:"):
            line = f"name: {name}"
        elif line.startswith("title:"):
            line, in_title = f"title: {json.dumps(title)}", True
        lines.append(line)
    path = tmp_path / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: file bytes, link targets, folders."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_file():
            out[rel] = p.read_bytes().hex()
        else:
            out[rel] = "dir"
    return out


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """``xiqu run ARGV`` in this process: (exit status, stdout, stderr)."""
    from xiqu_analysis.cli import main

    code = main(["run", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def running(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, waiting for a parent that does not reap it, has stopped)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def tree_pids(job_dir: Path) -> dict[str, int]:
    """The pids the ``sleeping`` notebook fixture recorded: its worker, its kernel and the kernel's child."""
    return {name: int((job_dir / f"{name}.pid").read_text()) for name in ("worker", "kernel", "child")}


def template_pids(run_dir: Path) -> list[int]:
    """The pids of the kernel templates the run's workers started (each worker logs its template's)."""
    import re

    return [int(pid) for log in sorted((run_dir / ".runner").glob("worker-*.log"))
            for pid in re.findall(r"kernel template ready \(pid (\d+)", log.read_text(encoding="utf-8"))]
