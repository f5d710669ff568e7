"""The suites: which notebooks a run executes, with which parameters.

:func:`plan_suite` turns scenario files and options into :class:`Job` records:
one ``scenario_report`` per scenario, a ``scenario_comparison`` of all of
them, the ``data_audit`` and, for the annual-review suite, the
``annual_review``. Every scenario is loaded, source-checked and projected here,
before any kernel starts; the notebooks and their parameter models come from
the registry (:data:`xiqu_analysis.reports.parameters.NOTEBOOKS`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from .. import config
from ..economics.projection import check_projection
from ..errors import InputError
from ..inputs.scenario import load_scenario_with_region
from ..reports.parameters import NOTEBOOKS

__all__ = ["Job", "SUITES", "DEFAULT_N_PATHS", "plan_suite"]

#: the suites ``xiqu run --suite`` offers
SUITES = ("default", "annual-review")
#: Monte Carlo paths per scenario report in a run
DEFAULT_N_PATHS = 10_000


@dataclass(frozen=True)
class Job:
    """One notebook execution of a run.

    Attributes
    ----------
    name : str
        Folder name of the job in the run (``[A-Za-z0-9][A-Za-z0-9_-]*``), unique in a run.
    notebook : Path
        The ``.ipynb`` to execute (made absolute).
    parameters : mapping
        JSON values to inject. ``output_dir`` is added by the runner (the job's folder).
    title : str
        Shown in ``index.html`` (escaped) and as the HTML report's title.
    inputs : tuple of Path
        Files the job reads besides the data folder (scenario files, an actuals
        file), hashed into the manifest and into the job's reuse key.
    timeout_s : float, optional
        Wall-clock limit of this job, seconds; default the run's ``timeout``.
    formats : tuple of str, optional
        Versions of the report the worker makes (:data:`xiqu_analysis.runner.render.FORMATS`);
        default None: the run's (``run_jobs(formats=...)``, ``xiqu run --formats``).
        Part of the reuse key.
    """

    name: str
    notebook: Path
    parameters: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    inputs: tuple[Path, ...] = ()
    timeout_s: float | None = None
    formats: tuple[str, ...] | None = None

    def __post_init__(self):
        object.__setattr__(self, "notebook", Path(self.notebook).absolute())
        object.__setattr__(self, "inputs", tuple(Path(p).absolute() for p in self.inputs))
        object.__setattr__(self, "parameters", dict(self.parameters))
        if self.formats is not None:
            object.__setattr__(self, "formats", tuple(self.formats))


def plan_suite(
    scenario_files: Sequence[str | os.PathLike] | None = None,
    *,
    suite: str = "default",
    year: int | None = None,
    language: str = "en",
    n_paths: int = DEFAULT_N_PATHS,
    seed: int | None = None,
    notebook_dir: str | os.PathLike | None = None,
    region: str | None = None,
    loaded: dict | None = None,
) -> list[Job]:
    """The jobs of a suite: one ``scenario_report`` per scenario, a comparison, the data audit.

    Parameters
    ----------
    scenario_files : sequence of path, optional
        Scenario YAML files; default every ``*.yaml`` in :func:`config.scenario_dir`.
        Each is loaded with its region
        (:func:`xiqu_analysis.inputs.scenario.load_scenario_with_region`) and
        projected (:func:`xiqu_analysis.economics.projection.check_projection`).
    suite : {"default", "annual-review"}
        ``annual-review`` adds ``annual_review`` for ``year`` to the default suite.
    year : int, optional
        Review year (required by, and only allowed with, ``annual-review``).
    language : str
        Report language.
    n_paths : int
        Monte Carlo paths per scenario report.
    seed : int, optional
        Random seed for every scenario report; default each scenario's
        ``uncertainty.seed``.
    notebook_dir : path, optional
        Folder of the notebooks; default :func:`config.notebook_dir`.
    region : str, optional
        Region of the data audit and the annual review; default the region the
        scenarios name (the first scenario's, when they name several).
    loaded : dict, optional
        Filled with the regions and the (projected) scenarios read here, for
        :func:`~xiqu_analysis.runner.validate.validate_jobs` to reuse
        (``{"regions": {key: RegionData}, "scenarios": {resolved path: Scenario}}``).

    The values of ``year``, ``language``, ``n_paths``, ``seed`` and ``region``
    are not range-checked here: :func:`~xiqu_analysis.runner.validate.validate_jobs`
    checks every job's parameters with its notebook's model
    (:data:`xiqu_analysis.reports.parameters.NOTEBOOKS`) before anything runs.

    Returns
    -------
    list of Job
        ``scenario_report-<name>`` per scenario, ``scenario_comparison`` (when
        there are at least two scenarios), ``data_audit`` and, with
        ``annual-review``, ``annual_review-<year>``.

    Raises
    ------
    InputError
        Unknown suite, ``year`` missing or not allowed, missing or invalid
        scenario file, duplicate scenario name.
    """
    cli = "command line"
    if suite not in SUITES:
        raise InputError(cli, "suite", f"must be one of {', '.join(SUITES)}, got {suite!r}")
    if suite == "annual-review":
        if year is None:
            raise InputError(cli, "year", "is required by the annual-review suite")
    elif year is not None:
        raise InputError(cli, "year", "only applies to the annual-review suite")

    if scenario_files is None:
        sdir = config.scenario_dir()
        scenario_files = sorted(sdir.glob("*.yaml")) if sdir.is_dir() else []
        if not scenario_files:
            raise InputError(sdir, None, "no scenario files (*.yaml) found")
    paths = [Path(p).absolute() for p in scenario_files]
    if not paths:
        raise InputError(cli, "SCENARIO", "no scenario files given")
    scenarios = []
    loaded = {} if loaded is None else loaded
    regions: dict = loaded.setdefault("regions", {})
    checked: dict = loaded.setdefault("scenarios", {})
    seen: dict[str, Path] = {}
    for p in paths:
        if not p.exists():  # a folder, device or FIFO is refused by the loader's bounded read
            raise InputError(p, None, "scenario file not found")
        sc = load_scenario_with_region(p, regions)[0]
        if sc.name in seen:
            raise InputError(p, "name", f"scenario name {sc.name!r} is also used by {seen[sc.name]}")
        seen[sc.name] = p
        scenarios.append(sc)

    nbdir = Path(notebook_dir).absolute() if notebook_dir else config.notebook_dir()
    nb = {name: nbdir / f"{name}.ipynb" for name in NOTEBOOKS}
    all_paths = [str(p) for p in paths]
    for p, sc in zip(paths, scenarios):
        check_projection(sc)
        checked[p.resolve()] = sc
    jobs = [
        Job(
            name=f"scenario_report-{sc.name}",
            notebook=nb["scenario_report"],
            parameters={"scenario_path": str(p), "language": language, "n_paths": n_paths,
                        "seed": sc.uncertainty.seed if seed is None else seed},
            title=str(sc.title),
            inputs=(p,),
        )
        for p, sc in zip(paths, scenarios)
    ]
    if len(paths) >= 2:
        jobs.append(Job("scenario_comparison", nb["scenario_comparison"],
                        {"scenario_paths": all_paths, "language": language},
                        title="Scenario comparison", inputs=tuple(paths)))
    if region is None:
        region = scenarios[0].region if scenarios else config.DEFAULT_REGION
    jobs.append(Job("data_audit", nb["data_audit"], {"region": region, "language": language},
                    title=f"Data audit ({region})"))
    if suite == "annual-review":
        jobs.append(Job(f"annual_review-{year}", nb["annual_review"],
                        {"review_year": year, "region": region, "actuals_path": "", "scenario_paths": all_paths,
                         "language": language},
                        title=f"Annual review {year}", inputs=tuple(paths)))
    return jobs
