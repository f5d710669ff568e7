"""Render report: ``xiqu run`` on a saved scenario in a subprocess, with its progress and its files.

The explorer never runs the report notebooks in its own kernel: it starts
``python -m xiqu_analysis run <scenario> --language <lang> --out <runs>`` as
a child process (the runner checks every input before a kernel starts, as
for any run), follows the new run folder's ``manifest.json`` for progress,
and when the run ends lists the files a reader opens: the run's
``index.html`` and, for each report, its HTML, Word, PDF and Excel files.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ... import config

__all__ = ["READER_SUFFIXES", "RenderProgress", "RenderJob", "reader_files", "file_url"]

#: files a reader opens, in the order they are listed
READER_SUFFIXES = (".html", ".docx", ".pdf", ".xlsx")
#: seconds between two looks at the manifest
POLL_S = 0.5


@dataclass
class RenderProgress:
    """What a render has done so far.

    Attributes
    ----------
    state : {"starting", "running", "done", "failed"}
    done, total : int
        Reports finished and planned (from the run's manifest).
    run_dir : Path or None
    exit_code : int or None
    last_line : str
        The last line the command printed (the error on a refused input).
    run_status : str
        The manifest's status (``running``, ``complete``, ``failed``, ``incomplete``).
    files : list of (title, Path)
        The reader files of the finished run (:func:`reader_files`).
    """

    state: str = "starting"
    done: int = 0
    total: int = 0
    run_dir: Path | None = None
    exit_code: int | None = None
    last_line: str = ""
    run_status: str = ""
    files: list[tuple[str, Path]] = field(default_factory=list)


def reader_files(run_dir: Path) -> list[tuple[str, Path]]:
    """(title, path) of the run's index and each report's reader files, from its manifest."""
    out: list[tuple[str, Path]] = []
    index = run_dir / "index.html"
    if index.is_file():
        out.append(("index", index))
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return out
    for name, entry in (manifest.get("notebooks") or {}).items():
        folder = entry.get("folder")
        if not folder or not (run_dir / folder).is_dir():
            continue
        title = entry.get("title") or name
        found = sorted((p for p in (run_dir / folder).iterdir() if p.suffix in READER_SUFFIXES and p.is_file()),
                       key=lambda p: (READER_SUFFIXES.index(p.suffix), p.name))
        out += [(str(title), p) for p in found]
    return out


def file_url(path: Path, env: dict[str, str] | None = None) -> str | None:
    """A link to ``path`` that works where the explorer is shown, or None.

    Under Voilà (``SERVER_SOFTWARE`` starts with ``voila/``), files below the
    project folder are served at ``voila/files/<path>`` (``make explore``
    allows the outputs folder); in JupyterLab, a path relative to the
    notebook's folder (the kernel's working directory) opens the file in Lab.
    """
    env = os.environ if env is None else env
    path = Path(path).resolve()
    if str(env.get("SERVER_SOFTWARE", "")).startswith("voila/"):
        try:
            rel = path.relative_to(config.PROJECT_ROOT)
        except ValueError:
            return None
        return "voila/files/" + rel.as_posix()
    try:
        return Path(os.path.relpath(path, Path.cwd())).as_posix()
    except ValueError:
        return None


class RenderJob:
    """One ``xiqu run`` of a saved scenario in a child process.

    Parameters
    ----------
    scenario : Path
        The saved scenario file.
    out_root : Path
        Folder of run folders (``--out``).
    language : str
    on_progress : callable, optional
        Called with the :class:`RenderProgress` whenever it changes (from a
        background thread).
    extra_args : list of str, optional
        More ``xiqu run`` options (``["--paths", "1000"]``).
    """

    def __init__(self, scenario: Path, out_root: Path, language: str = "en",
                 on_progress: Callable[[RenderProgress], None] | None = None, extra_args: list[str] | None = None):
        self.scenario = Path(scenario)
        self.out_root = Path(out_root)
        self.language = language
        self.on_progress = on_progress
        self.extra_args = list(extra_args or [])
        self.progress = RenderProgress()
        self.proc: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None

    def command(self) -> list[str]:
        return [sys.executable, "-m", "xiqu_analysis", "run", str(self.scenario), "--language", self.language,
                "--out", str(self.out_root), *self.extra_args]

    def start(self) -> "RenderJob":
        """Start the child process and the thread that follows it."""
        self.out_root.mkdir(parents=True, exist_ok=True)
        before = {p.name for p in self.out_root.iterdir()}
        env = dict(os.environ)
        for key in ("SERVER_SOFTWARE", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING"):  # the run is no web request
            env.pop(key, None)
        self.proc = subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, text=True, encoding="utf-8", errors="replace",
                                     cwd=str(config.PROJECT_ROOT), env=env)
        self._thread = threading.Thread(target=self._follow, args=(before,), daemon=True)
        self._thread.start()
        return self

    def wait(self, timeout: float | None = None) -> RenderProgress:
        """Wait for the run and the thread following it (``timeout`` seconds at most)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.progress

    def stop(self) -> None:
        """Interrupt the run (the runner keeps what finished and marks the rest)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()

    def _notify(self) -> None:
        if self.on_progress is not None:
            try:
                self.on_progress(self.progress)
            except Exception:  # noqa: BLE001 - a display problem must not stop following the run
                pass

    def _follow(self, before: set[str]) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(self.proc.stdout), daemon=True)
        reader.start()
        self.progress.state = "running"
        self._notify()
        while self.proc.poll() is None:
            self._look(before)
            time.sleep(POLL_S)
        reader.join(10)
        self._look(before)
        text = [line.rstrip("\n") for line in lines if line.strip()]
        self.progress.last_line = text[-1] if text else ""
        self.progress.exit_code = self.proc.returncode
        if self.progress.run_dir is not None:
            self.progress.files = reader_files(self.progress.run_dir)
        self.progress.state = "done" if self.proc.returncode in (0, 1) and self.progress.run_dir else "failed"
        self._notify()

    def _look(self, before: set[str]) -> None:
        """Find the new run folder and count finished reports in its manifest."""
        if self.progress.run_dir is None:
            new = sorted(p for p in self.out_root.iterdir() if p.name not in before and p.is_dir()
                         and not p.is_symlink() and (p / "manifest.json").is_file())
            if not new:
                return
            self.progress.run_dir = new[-1]
        try:
            manifest = json.loads((self.progress.run_dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # being replaced: read it next time
        self.progress.run_status = str(manifest.get("status") or "")
        jobs = (manifest.get("notebooks") or {}).values()
        done = sum(1 for j in jobs if j.get("status") not in ("pending", "running"))
        if (done, len(jobs)) != (self.progress.done, self.progress.total):
            self.progress.done, self.progress.total = done, len(jobs)
            self._notify()
