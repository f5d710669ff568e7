"""Everything checked before a kernel starts: jobs, notebooks, parameter values, the output folder.

Papermill only warns about unknown parameters, guesses types and writes names
into code; here every name must be a Python identifier declared by the
notebook, every value a plain JSON value of the declared type and, for the
suite's notebooks, valid for the notebook's pydantic model (ranges, seeds,
years, languages, files). A problem is one :class:`~xiqu_analysis.errors.InputError`
and nothing is created.
"""
from __future__ import annotations

import ast
import json
import keyword
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import InputError
from ..reports.parameters import NOTEBOOKS, SOURCE, check_parameters, resolve
from .suites import Job
from .worker import literal_path

__all__ = ["notebook_parameters", "validate_parameters", "validate_jobs", "check_output_root"]

_JOB_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_JSON_TYPES = {"int": int, "float": float, "str": str, "bool": bool, "list": list, "dict": dict}


def _json_problem(value: Any, where: str) -> str | None:
    """Why ``value`` is not a plain JSON value (exact types), or None."""
    t = type(value)
    if value is None or t in (bool, int, str):
        return None
    if t is float:
        return None if math.isfinite(value) else f"{where} is {value!r}, not a finite number"
    if t is list:
        for i, v in enumerate(value):
            problem = _json_problem(v, f"{where}[{i}]")
            if problem:
                return problem
        return None
    if t is dict:
        for k, v in value.items():
            if type(k) is not str:
                return f"{where} has a non-string key {k!r}"
            problem = _json_problem(v, f"{where}[{k!r}]")
            if problem:
                return problem
        return None
    return f"{where} is a {t.__module__}.{t.__qualname__} ({value!r}), not a JSON value " \
           "(null, true/false, number, string, list, object)"


def _declared_type(param: Mapping[str, Any]) -> type | None:
    """The type a notebook declares for a parameter: annotation, else the default literal's type."""
    name = str(param.get("inferred_type_name") or "None").strip().lower()
    for key, t in _JSON_TYPES.items():
        if name == key or name.startswith(key + "["):
            return t
    try:
        default = ast.literal_eval(str(param.get("default", "")))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return _JSON_TYPES.get(type(default).__name__) if type(default) in _JSON_TYPES.values() else None


def _type_matches(value: Any, expected: type | None) -> bool:
    if expected is None or value is None:
        return True
    if expected is float:
        return type(value) in (int, float)
    return type(value) is expected


def notebook_parameters(notebook: Path) -> dict[str, dict[str, Any]]:
    """Parameters declared in ``notebook``'s ``parameters`` cell (``papermill.inspect_notebook``).

    Raises
    ------
    InputError
        Missing or unreadable notebook, or no cell tagged ``parameters``.
    """
    import nbformat
    import papermill as pm

    notebook = Path(notebook)
    if not notebook.is_file():
        raise InputError(notebook, None, "notebook not found")
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any parse error is the user's file
        raise InputError(notebook, None, f"not a readable notebook ({type(exc).__name__}: {exc})") from None
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        raise InputError(notebook, None, "no cell is tagged 'parameters' (papermill would inject "
                         "values at the top and later assignments would silently win)")
    return pm.inspect_notebook(literal_path(notebook))


def validate_parameters(notebook: Path, parameters: Mapping[str, Any],
                        declared: Mapping[str, Mapping[str, Any]] | None = None) -> None:
    """Check ``parameters`` against ``notebook`` before any kernel starts.

    Every name must be a Python identifier (not a keyword) declared in the
    notebook's parameters cell; every value a plain JSON value that survives a
    JSON round trip and matches the declared default's type.

    Raises
    ------
    InputError
        ``(notebook, "parameter <name>", problem)``.
    """
    declared = notebook_parameters(notebook) if declared is None else declared
    for name, value in parameters.items():
        fieldname = f"parameter {name}"
        if type(name) is not str or not name.isidentifier() or keyword.iskeyword(name):
            raise InputError(notebook, fieldname, f"{name!r} is not a Python identifier; papermill "
                             "would write it into the notebook as code")
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise InputError(notebook, fieldname, f"not declared in the notebook's parameters cell "
                             f"(declared: {known})")
        problem = _json_problem(value, "value")
        if problem:
            raise InputError(notebook, fieldname, problem)
        try:
            same = json.loads(json.dumps(value, allow_nan=False)) == value
        except (TypeError, ValueError) as exc:
            same, problem = False, str(exc)
        if not same:
            raise InputError(notebook, fieldname, f"value {value!r} does not survive a JSON round trip "
                             f"{problem or ''}".strip())
        expected = _declared_type(declared[name])
        if not _type_matches(value, expected):
            raise InputError(notebook, fieldname, f"the notebook declares a {expected.__name__} "
                             f"(default {declared[name].get('default')}), got {type(value).__name__} {value!r}")


def validate_jobs(jobs: Sequence[Job]) -> None:
    """Validate every job (names, notebooks, parameters) before anything runs.

    Parameters of a registered notebook (:data:`~xiqu_analysis.reports.parameters.NOTEBOOKS`)
    are checked against its pydantic model, with every limit the notebook
    itself enforces, and the files they name are resolved; any other notebook's
    against the types its parameters cell declares.

    Raises
    ------
    InputError
        The first problem found.
    """
    if not jobs:
        raise InputError("command line", None, "nothing to run")
    seen = set()
    cache: dict[Path, dict] = {}
    for job in jobs:
        if not _JOB_NAME.match(job.name):
            raise InputError(job.notebook, "job name", f"{job.name!r} must match [A-Za-z0-9][A-Za-z0-9_-]*")
        if job.name in seen:
            raise InputError(job.notebook, "job name", f"{job.name!r} is used twice in one run")
        seen.add(job.name)
        if "output_dir" in job.parameters:
            raise InputError(job.notebook, "parameter output_dir", "is set by the runner (the job's folder)")
        if job.notebook not in cache:
            cache[job.notebook] = notebook_parameters(job.notebook)
        params = dict(job.parameters, output_dir="/validated/by/the/runner")
        validate_parameters(job.notebook, params, cache[job.notebook])
        if job.notebook.stem in NOTEBOOKS:
            checked = check_parameters(job.notebook.stem, job.notebook, **params)
            try:
                resolve(checked)
            except InputError as exc:  # name the notebook, as for every other parameter problem
                if exc.source != SOURCE:
                    raise
                raise InputError(job.notebook, exc.field, exc.problem) from None
        for p in job.inputs:
            if not p.is_file():
                raise InputError(p, None, "input file not found")
        t = job.timeout_s
        if t is not None and not (type(t) in (int, float) and math.isfinite(t) and t > 0):
            raise InputError(job.notebook, "timeout", f"must be a number of seconds > 0, got {t!r}")


def check_output_root(root: str | os.PathLike) -> Path:
    """Check that the folder of run folders exists and is writable, or can be created.

    Nothing is created; in the folder itself (or its nearest existing parent)
    a temporary probe file is created and removed, because permission bits do
    not tell the whole truth (read-only mounts, root).

    Returns
    -------
    Path
        ``root`` made absolute.

    Raises
    ------
    InputError
        ``(root, "out", problem)``.
    """
    root = Path(root).expanduser().absolute()
    existing = root
    while not existing.exists():
        if existing.is_symlink():
            raise InputError(root, "out", f"{existing} is a broken symbolic link")
        if existing.parent == existing:  # pragma: no cover - '/' always exists
            break
        existing = existing.parent
    if not existing.is_dir():
        what = "is not a folder" if existing == root else f"cannot be created: {existing} is not a folder"
        raise InputError(root, "out", what)
    verb = "is not writable" if existing == root else f"cannot be created: {existing} is not writable"
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(root, "out", verb)
    try:
        fd, probe = tempfile.mkstemp(prefix=".xiqu-write-probe-", dir=existing)
    except OSError as exc:
        raise InputError(root, "out", f"{verb} ({exc.strerror or exc})") from None
    os.close(fd)
    os.unlink(probe)
    return root
