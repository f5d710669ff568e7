"""Reruns that reuse: a job's outputs are copied from the latest complete run when nothing it depends on changed.

A job's *reuse key* is the SHA-256 of everything that decides its outputs
(:func:`job_key`): the notebook, the package's own source (every file of
``xiqu_analysis/``), the data folder, the files the job reads (scenarios,
actuals), its parameters, its title and output formats, the kernel, and the
versions of Python and of every installed distribution. The key is recorded
with each job in ``manifest.json``, with the SHA-256 of every file in the job's
folder.

:func:`find_reusable` looks at the latest complete run (``<out>/LATEST``): a
job of the new run whose name and key match an ``ok`` job there, and whose
files there are still exactly those recorded, is *reused*: its folder is
copied into the new run (the earlier run is only read) and the manifest and
index say "reused from <run-id>" (the run that executed it). ``xiqu run
--fresh`` executes every job.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..fileio import sha256_file

__all__ = ["Reusable", "source_digest", "versions_digest", "job_key", "folder_hashes", "find_reusable",
           "copy_job_folder", "workbook_key", "reusable_workbook"]

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                          .encode("utf-8")).hexdigest()


def source_digest(package_dir: Path = PACKAGE_DIR) -> str:
    """SHA-256 over every file of the package (code, templates, locale files), by relative path."""
    files = {}
    for p in sorted(package_dir.rglob("*")):
        rel = p.relative_to(package_dir)
        if "__pycache__" in rel.parts or any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        files[rel.as_posix()] = sha256_file(p)
    return _digest(files)


def versions_digest() -> str:
    """SHA-256 over the Python version, the platform and every installed distribution's name and version.

    The distributions are read from the names of the ``*.dist-info`` and
    ``*.egg-info`` entries on ``sys.path`` (``numpy-2.1.3.dist-info``): the
    same information as :func:`importlib.metadata.distributions`, without
    opening a file per package.
    """
    dists = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        dists.update((entry, n) for n in names if n.endswith((".dist-info", ".egg-info")))
    return _digest({"python": sys.version, "machine": platform.machine(), "distributions": sorted(dists)})


def job_key(job: Any, *, notebook_sha256: str, source: str, versions: str, data: Mapping[str, str],
            inputs: Mapping[str, str], kernel_name: str) -> str:
    """The reuse key of ``job`` (a :class:`~xiqu_analysis.runner.suites.Job`).

    ``data`` and ``inputs`` are ``{path: sha256}`` of every file of the data
    folder and of the files the job itself reads (:func:`digests_of`).
    """
    return _digest({
        "notebook": notebook_sha256,
        "source": source,
        "versions": versions,
        "data": dict(data),
        "inputs": dict(inputs),
        "parameters": dict(job.parameters),
        "title": job.title,
        "formats": list(job.formats or ()),
        "file_stem": job.file_stem,
        "kernel": kernel_name,
    })


def folder_hashes(folder: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every regular file under ``folder`` (symbolic links are not followed)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if p.is_file() and not p.is_symlink():
                out[p.relative_to(folder).as_posix()] = sha256_file(p)
    return out


@dataclass(frozen=True)
class Reusable:
    """A job of an earlier run whose outputs can be reused.

    Attributes
    ----------
    run_id : str
        The run that executed the job (``reused_from`` there, if it was itself reused).
    folder : Path
        The job's folder in the run it is copied from.
    entry : dict
        The job's manifest entry there.
    """

    run_id: str
    folder: Path
    entry: Mapping[str, Any]


def _latest_complete(root: Path) -> tuple[str, Path, dict] | None:
    try:
        run_id = (root / "LATEST").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not run_id or "/" in run_id or run_id.startswith("."):
        return None
    run_dir = root / run_id
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("status") != "complete":
        return None
    return run_id, run_dir, manifest


def find_reusable(root: Path, keys: Mapping[str, str]) -> dict[str, Reusable]:
    """Jobs (by name) of the latest complete run under ``root`` whose reuse key is ``keys[name]``.

    A job qualifies only if it was ``ok`` there and every file its entry
    lists (``files``) is still in its folder with the same SHA-256, and no
    other file is (nobody edited the earlier report).
    """
    latest = _latest_complete(Path(root))
    if latest is None:
        return {}
    run_id, run_dir, manifest = latest
    found = {}
    for name, key in keys.items():
        entry = (manifest.get("notebooks") or {}).get(name)
        if not isinstance(entry, dict) or entry.get("status") != "ok" or entry.get("reuse_key") != key:
            continue
        folder = run_dir / str(entry.get("folder") or "")
        files = entry.get("files")
        if entry.get("folder") != name or not isinstance(files, dict) or not folder.is_dir():
            continue
        try:
            if folder_hashes(folder) != files:
                continue
        except Exception:  # noqa: BLE001 - unreadable: run it again
            continue
        found[name] = Reusable(str(entry.get("reused_from") or run_id), folder, entry)
    return found


def copy_job_folder(source: Path, target: Path) -> None:
    """Copy a job folder (files and their times; never links into the earlier run)."""
    shutil.copytree(source, target, symlinks=True, copy_function=shutil.copy2)


def digests_of(paths: Iterable[Path], hashes: Mapping[str, str]) -> dict[str, str]:
    """The hashes of ``paths`` out of a ``{path: sha256}`` map (paths resolved as in :func:`~xiqu_analysis.fileio.hash_files`)."""
    return {str(Path(p).resolve()): hashes[str(Path(p).resolve())] for p in paths}


def workbook_key(jobs: Iterable[tuple[str, str, Mapping[str, str]]], source: str, versions: str) -> str:
    """The key of a run's ``tables.xlsx``: the finished jobs it is made of (name, folder, file hashes) and the code."""
    return _digest({"jobs": sorted([name, folder, dict(files)] for name, folder, files in jobs),
                    "source": source, "versions": versions})


def reusable_workbook(run_dir: Path, key: str) -> Path | None:
    """The run workbook of ``run_dir`` if it was made with ``key`` and is unchanged since, else None."""
    try:
        manifest = json.loads((Path(run_dir) / "manifest.json").read_text(encoding="utf-8"))
        name, digest = manifest.get("workbook"), manifest.get("workbook_sha256")
        if manifest.get("workbook_key") != key or not name or "/" in name or not digest:
            return None
        path = Path(run_dir) / name
        return path if path.is_file() and sha256_file(path) == digest else None
    except Exception:  # noqa: BLE001 - unreadable: write it anew
        return None
