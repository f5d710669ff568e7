"""Paths, and nothing else (cookiecutter-data-science's ``config.py``).

The project root is found from this file; ``XIQU_DATA_DIR``,
``XIQU_SCENARIO_DIR``, ``XIQU_NOTEBOOK_DIR`` and ``XIQU_OUTPUT_DIR`` override
the defaults (used by tests and by users who keep their data elsewhere).
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).resolve() if value else default


def data_dir() -> Path:
    """Folder holding ``regions/<region>/`` and ``bulletins/``."""
    return _env_path("XIQU_DATA_DIR", PROJECT_ROOT / "data")


def data_root(folder: "str | Path | None" = None) -> Path:
    """``folder`` as a Path, or the configured data folder (:func:`data_dir`) when None."""
    return Path(folder) if folder is not None else data_dir()


def scenario_dir() -> Path:
    """Folder of the shipped scenario files (``*.yaml``)."""
    return _env_path("XIQU_SCENARIO_DIR", PROJECT_ROOT / "scenarios")


def notebook_dir() -> Path:
    """Folder of the report notebooks (committed without outputs)."""
    return _env_path("XIQU_NOTEBOOK_DIR", PROJECT_ROOT / "notebooks")


def output_dir() -> Path:
    """Parent folder of run folders (``outputs/<run-id>/``); ignored by git."""
    return _env_path("XIQU_OUTPUT_DIR", PROJECT_ROOT / "outputs")


DEFAULT_REGION = "xiqu"
