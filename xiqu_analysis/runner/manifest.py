"""Run folders, manifests and the ``latest`` pointer of :mod:`xiqu_analysis.runner.execute`.

Everything here writes atomically (temporary name in the same folder, then
:func:`os.replace`), creates run folders exclusively (``os.mkdir`` fails on an
existing name, so two runs can never share or overwrite a folder) and never
deletes anything.
"""
from __future__ import annotations

import json
import os
import platform
import secrets
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..fileio import atomic_write_text

__all__ = [
    "PACKAGES",
    "atomic_write_json",
    "create_run_dir",
    "environment_info",
    "git_info",
    "package_versions",
    "update_latest",
    "utc_now",
]

#: distributions whose versions every manifest records
PACKAGES = (
    "numpy", "pandas", "statsmodels", "matplotlib", "papermill", "nbconvert",
    "nbclient", "ipykernel", "pydantic", "psutil", "xiqu-analysis",
)




def utc_now() -> str:
    """Current time as an ISO 8601 string in UTC, seconds precision (``...+00:00``)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def atomic_write_json(path: Path, data: Any) -> None:
    """Atomically write ``data`` as indented UTF-8 JSON (non-ASCII kept readable)."""
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


def new_run_id(now: float | None = None) -> str:
    """A run id ``YYYYMMDD-HHMMSS-xxxxxx``: UTC time plus 24 random bits (hex)."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
    return f"{stamp}-{secrets.token_hex(3)}"


def create_run_dir(root: Path) -> tuple[str, Path]:
    """Create a new, empty run folder ``root/<run-id>`` and return ``(run_id, path)``.

    ``os.mkdir`` is exclusive: if another run (another process, the same
    second, the same random suffix) already took the name, a new id is drawn.
    An existing folder is never reused.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for _ in range(100):
        run_id = new_run_id()
        path = root / run_id
        try:
            os.mkdir(path)
        except FileExistsError:
            continue
        return run_id, path
    raise RuntimeError(f"could not create a unique run folder in {root}")  # pragma: no cover



def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str | None]:
    """Installed version of each distribution (``None`` when not installed)."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_info(repo: Path) -> dict[str, Any]:
    """``{"commit": sha or None, "dirty": bool or None}`` of the git work tree at ``repo``.

    ``dirty`` counts modified, staged and untracked (not ignored) files, since any
    of them can change a report. ``None`` when git or the repository is missing.
    """
    def _git(*args: str) -> str | None:
        try:
            res = subprocess.run(["git", "-C", str(repo), *args], capture_output=True,
                                 text=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return res.stdout if res.returncode == 0 else None

    commit = _git("rev-parse", "HEAD")
    if commit is None:
        return {"commit": None, "dirty": None}
    status = _git("status", "--porcelain")
    return {"commit": commit.strip(), "dirty": None if status is None else bool(status.strip())}


def environment_info(repo: Path) -> dict[str, Any]:
    """Python, platform, cpu count, package versions and git state for a manifest."""
    return {
        "python": sys.version.split()[0],
        "python_executable": sys.executable,
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "packages": package_versions(),
        "git": git_info(repo),
    }


def update_latest(root: Path, run_id: str) -> None:
    """Point ``root/latest`` (symlink) and ``root/LATEST`` (text file) at ``run_id``.

    Both are replaced atomically: a temporary symlink (unique name) is created
    and moved over ``latest`` with :func:`os.replace`, so a reader following
    ``latest`` always finds a complete run. A ``latest`` that is a real folder
    (not a symlink) is left alone and only ``LATEST`` is written.
    """
    root = Path(root)
    atomic_write_text(root / "LATEST", run_id + "\n")
    link = root / "latest"
    if link.exists() and not link.is_symlink():
        return
    tmp = root / f".latest.{os.getpid()}.{secrets.token_hex(4)}"
    try:
        os.symlink(run_id, tmp, target_is_directory=True)
        os.replace(tmp, link)
    except OSError:  # e.g. a file system without symlinks: LATEST still says it
        if tmp.is_symlink():
            tmp.unlink()


def read_json(path: Path) -> Mapping[str, Any]:
    """Read a JSON file (UTF-8)."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
