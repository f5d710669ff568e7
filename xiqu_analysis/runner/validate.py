"""Everything checked before a kernel starts: jobs, notebooks, parameter values, input files, the output folder.

Papermill only warns about unknown parameters, guesses types and writes names
into code; here every name must be a Python identifier declared by the
notebook, every value a plain JSON value of the declared type and, for the
suite's notebooks, valid for the notebook's pydantic model in the registry
(:data:`xiqu_analysis.reports.parameters.NOTEBOOKS`: ranges, seeds, years,
languages), so the runner and the notebooks cannot disagree about a limit.
Then every file a job will read is read here with the loaders the notebook
uses (:func:`preflight`): scenario files (projected to their end year:
every path must stay finite), the region's data and its benchmark's, the
actuals of a review (UTF-8, every row valid). A problem is one
:class:`~xiqu_analysis.errors.InputError` and nothing is created.
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

from ..errors import InputError, Message
from ..fileio import read_bytes_limited, read_text_limited
from ..reports.parameters import (NOTEBOOKS, SOURCE, AnnualReviewParameters, AuditParameters, Resolved,
                                  check_parameters, resolve)
from .suites import Job
from .worker import literal_path

__all__ = ["notebook_parameters", "validate_parameters", "validate_jobs", "preflight", "check_output_root",
           "MAX_NOTEBOOK_BYTES"]

#: largest notebook file the runner reads, bytes (the suite's are a few KiB without outputs)
MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024

_JOB_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_JSON_TYPES = {"int": int, "float": float, "str": str, "bool": bool, "list": list, "dict": dict}


def _json_problem(value: Any, where: str) -> Message | None:
    """Why ``value`` is not a plain JSON value (exact types), or None."""
    t = type(value)
    if value is None or t in (bool, int, str):
        return None
    if t is float:
        return None if math.isfinite(value) else Message("{where} is {value!r}, not a finite number", where=where,
                                                                value=value)
    if t is list:
        for i, v in enumerate(value):
            problem = _json_problem(v, f"{where}[{i}]")
            if problem:
                return problem
        return None
    if t is dict:
        for k, v in value.items():
            if type(k) is not str:
                return Message("{where} has a non-string key {key!r}", where=where, key=k)
            problem = _json_problem(v, f"{where}[{k!r}]")
            if problem:
                return problem
        return None
    return Message("{where} is a {type} ({value!r}), not a JSON value (null, true/false, number, string, list, object)",
                   where=where, type=f"{t.__module__}.{t.__qualname__}", value=value)


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


def _declared(source: str) -> dict[str, dict[str, Any]] | None:
    """Names assigned at the top level of a parameters cell, as ``papermill.inspect_notebook`` reports them.

    ``{name: {"name", "inferred_type_name", "default", "help"}}`` from the
    cell's syntax tree: the annotation (``"None"`` when there is none), the
    default's source text and the comment ending its line. None when the
    cell is not plain Python (a magic).
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    lines = source.splitlines()

    def entry(name: str, annotation: Any, value: Any) -> dict[str, Any]:
        line = lines[value.end_lineno - 1] if value is not None else ""
        comment = line[value.end_col_offset:].partition("#")[2].strip() if value is not None else ""
        return {"name": name, "inferred_type_name": ast.unparse(annotation) if annotation is not None else "None",
                "default": ast.get_source_segment(source, value) if value is not None else "None", "help": comment}

    out: dict[str, dict[str, Any]] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = entry(node.target.id, node.annotation, node.value)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = entry(target.id, None, node.value)
    return out


def notebook_parameters(notebook: Path) -> dict[str, dict[str, Any]]:
    """Parameters declared in ``notebook``'s ``parameters`` cell.

    Read from the cell's syntax tree (the same names, annotations and defaults
    ``papermill.inspect_notebook`` reports, without loading papermill and
    nbformat into the runner: a rerun that reuses every report starts no
    worker and should not pay for them); a cell that is not plain Python is
    inspected by papermill itself.

    Raises
    ------
    InputError
        Missing or unreadable notebook, not a version 4 notebook, or no cell
        tagged ``parameters``.
    """
    notebook = Path(notebook)
    if not notebook.exists():
        raise InputError(notebook, None, "notebook not found")
    text = read_text_limited(notebook, MAX_NOTEBOOK_BYTES)  # a folder, a device, a FIFO: refused here
    try:
        nb = json.loads(text)
    except ValueError as exc:
        raise InputError(notebook, None, "not a readable notebook (not JSON: {exc})", exc=exc) from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list) or nb.get("nbformat") != 4:
        raise InputError(notebook, None, "not a readable notebook (nbformat 4 with a list of cells)")
    tagged = [c for c in cells if isinstance(c, dict) and "parameters" in (c.get("metadata") or {}).get("tags", [])]
    if not tagged:
        raise InputError(notebook, None, "no cell is tagged 'parameters' (papermill would inject "
                         "values at the top and later assignments would silently win)")
    source = tagged[0].get("source", "")
    declared = _declared("".join(source) if isinstance(source, list) else str(source))
    if declared is None:
        import papermill as pm

        declared = pm.inspect_notebook(literal_path(notebook))
    return declared


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
            raise InputError(notebook, fieldname, "{name!r} is not a Python identifier; papermill would write it into "
                             "the notebook as code", name=name)
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise InputError(notebook, fieldname, "not declared in the notebook's parameters cell (declared: {known})",
                             known=known)
        problem = _json_problem(value, "value")
        if problem:
            raise InputError(notebook, fieldname, problem)
        try:
            same = json.loads(json.dumps(value, allow_nan=False)) == value
        except (TypeError, ValueError) as exc:
            same, problem = False, str(exc)
        if not same:
            raise InputError(notebook, fieldname, "value {value!r} does not survive a JSON round trip {problem}",
                             value=value, problem=problem or "")
        expected = _declared_type(declared[name])
        if not _type_matches(value, expected):
            raise InputError(notebook, fieldname, "the notebook declares a {expected} (default {default}), got {type} "
                             "{value!r}", expected=expected.__name__, default=declared[name].get('default'),
                             type=type(value).__name__, value=value)


def preflight(resolved: Resolved, regions: dict | None = None, scenarios: dict | None = None) -> tuple[Path, ...]:
    """Read every file a registered notebook will read, as it will read it; return the files besides data/.

    Scenario files are loaded with their region and source checks and
    projected to their end year (:func:`xiqu_analysis.economics.projection.check_projection`:
    a path that overflows or revenue at -100 % or below is refused, naming the
    field); the audit's and the review's region is loaded with its benchmark;
    a review's actuals file is loaded with the region's data dictionary
    (UTF-8 only: a GBK file is refused here, not in the kernel). ``regions``
    and ``scenarios`` are caches shared by the jobs of one run.

    The annual review lists a scenario it cannot read and goes on, so here
    its scenarios are not refused (``xiqu run`` has checked them already).

    Raises
    ------
    InputError
        Naming the file, the field (or row and column) and the problem.
    """
    from ..economics.projection import check_projection
    from ..inputs.bulletins import load_bulletin
    from ..inputs.regions import load_region
    from ..inputs.scenario import load_scenario_with_region

    regions = {} if regions is None else regions
    scenarios = {} if scenarios is None else scenarios
    params = resolved.parameters
    if isinstance(params, (AuditParameters, AnnualReviewParameters)):
        if params.region not in regions:
            regions[params.region] = load_region(params.region)
        if resolved.actuals_path is not None:
            load_bulletin(resolved.actuals_path, indicators=regions[params.region].indicators)
    if not isinstance(params, AnnualReviewParameters):
        for path in resolved.scenario_files:
            if path not in scenarios:
                scenarios[path] = load_scenario_with_region(path, regions)[0]
                check_projection(scenarios[path])
    return tuple(resolved.scenario_files) + ((resolved.actuals_path,) if resolved.actuals_path else ())


def validate_jobs(jobs: Sequence[Job], loaded: dict | None = None) -> dict[str, tuple[Path, ...]]:
    """Validate every job (names, notebooks, parameters, input files) before anything runs.

    Parameters of a registered notebook (:data:`~xiqu_analysis.reports.parameters.NOTEBOOKS`)
    are checked against its pydantic model, with every limit the notebook
    itself enforces, and every file they name is read and checked
    (:func:`preflight`); any other notebook's against the types its
    parameters cell declares. ``loaded`` holds regions and scenarios
    :func:`~xiqu_analysis.runner.suites.plan_suite` has read and checked
    already (they are not read twice).

    Returns
    -------
    dict
        Job name -> the files outside the data folder it reads (its
        ``inputs`` and those its parameters name), for the record and the reuse keys.

    Raises
    ------
    InputError
        The first problem found.
    """
    if not jobs:
        raise InputError("command line", None, "nothing to run")
    seen = set()
    cache: dict[Path, dict] = {}
    loaded = {} if loaded is None else loaded
    regions: dict = loaded.setdefault("regions", {})
    scenarios: dict = loaded.setdefault("scenarios", {})
    reads: dict[str, tuple[Path, ...]] = {}
    for job in jobs:
        if not _JOB_NAME.match(job.name):
            raise InputError(job.notebook, "job name", "{name!r} must match [A-Za-z0-9][A-Za-z0-9_-]*", name=job.name)
        if job.name in seen:
            raise InputError(job.notebook, "job name", "{name!r} is used twice in one run", name=job.name)
        seen.add(job.name)
        if "output_dir" in job.parameters:
            raise InputError(job.notebook, "parameter output_dir", "is set by the runner (the job's folder)")
        if job.notebook not in cache:
            cache[job.notebook] = notebook_parameters(job.notebook)
        params = dict(job.parameters, output_dir="/validated/by/the/runner")
        validate_parameters(job.notebook, params, cache[job.notebook])
        read: tuple[Path, ...] = ()
        if job.notebook.stem in NOTEBOOKS:
            checked = check_parameters(job.notebook.stem, job.notebook, **params)
            try:
                resolved = resolve(checked)
            except InputError as exc:  # name the notebook, as for every other parameter problem
                if exc.source != SOURCE:
                    raise
                raise InputError(job.notebook, exc.field, exc.message) from None
            read = preflight(resolved, regions, scenarios)
        for p in job.inputs:
            if not p.exists():
                raise InputError(p, None, "input file not found")
            read_bytes_limited(p)  # a folder, device or FIFO, or a file too large: refused
        reads[job.name] = tuple(dict.fromkeys([*job.inputs, *(Path(p).absolute() for p in read)]))
        t = job.timeout_s
        if t is not None and not (type(t) in (int, float) and math.isfinite(t) and t > 0):
            raise InputError(job.notebook, "timeout", "must be a number of seconds > 0, got {t!r}", t=t)
        if job.formats is not None:
            from .render import parse_formats

            parse_formats(job.formats, str(job.notebook))
    return reads


def _run_folder(folder: Path) -> str | None:
    """The run id if ``folder`` is a run folder (it holds a manifest.json of that run id), else None."""
    try:
        manifest = json.loads(read_text_limited(folder / "manifest.json", 64 * 1024 * 1024))
    except (InputError, ValueError):
        return None
    run_id = manifest.get("run_id") if isinstance(manifest, dict) else None
    return run_id if run_id == folder.name else None


def check_output_root(root: str | os.PathLike) -> Path:
    """Check that the folder of run folders exists and is writable, or can be created, outside any run.

    A name with a control character (a newline, a tab, ...) is refused: it would
    split the run's log and record. A folder inside an earlier run (``outputs/latest/nested``, followed
    through symbolic links) is refused: a new run must never write into
    another run's record. Nothing is created; in the folder itself (or its
    nearest existing parent) a temporary probe file is created and removed,
    because permission bits do not tell the whole truth (read-only mounts, root).

    Returns
    -------
    Path
        ``root`` made absolute.

    Raises
    ------
    InputError
        ``(root, "out", problem)``.
    """
    bad = next((c for c in os.fspath(root) if ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u2028\u2029"), None)
    if bad is not None:
        raise InputError(root, "out", "contains a control character (U+{ord:04X}); choose a folder name without one",
                         ord=ord(bad))
    root = Path(root).expanduser().absolute()
    real = Path(os.path.realpath(root))
    for folder in (real, *real.parents):
        run_id = _run_folder(folder)
        if run_id is not None:
            if folder == real:
                raise InputError(root, "out",
                                 "is the folder of run {run_id}; choose a folder outside any run (runs are "
                                 "never written into)", run_id=run_id)
            raise InputError(root, "out",
                             "is inside the folder {folder} of run {run_id}; choose a folder outside any run "
                             "(runs are never written into)", folder=folder, run_id=run_id)
    existing = root
    while not existing.exists():
        if existing.is_symlink():
            raise InputError(root, "out", "{existing} is a broken symbolic link", existing=existing)
        if existing.parent == existing:  # pragma: no cover - '/' always exists
            break
        existing = existing.parent
    if not existing.is_dir():
        if existing == root:
            raise InputError(root, "out", "is not a folder")
        raise InputError(root, "out", "cannot be created: {existing} is not a folder", existing=existing)
    verb = Message("is not writable") if existing == root else \
        Message("cannot be created: {existing} is not writable", existing=existing)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(root, "out", verb)
    try:
        fd, probe = tempfile.mkstemp(prefix=".xiqu-write-probe-", dir=existing)
    except OSError as exc:
        raise InputError(root, "out", "{verb} ({reason})", verb=verb, reason=exc.strerror or exc) from None
    os.close(fd)
    os.unlink(probe)
    return root
