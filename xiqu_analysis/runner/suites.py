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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from .. import config
from ..economics.projection import check_projection
from ..errors import InputError
from ..inputs.regions import load_region_info
from ..inputs.scenario import actuals_file, load_scenario_with_region
from ..reports.parameters import NOTEBOOKS, REVIEW_YEARS, default_actuals_path
from ..reports.words.text import LANGUAGES, scenario_text, t

__all__ = ["Job", "SUITES", "DEFAULT_N_PATHS", "plan_suite", "ReviewActuals", "review_actuals", "natural_key"]

#: the suites ``xiqu run --suite`` offers
SUITES = ("default", "annual-review")
#: Monte Carlo paths per scenario report in a run
DEFAULT_N_PATHS = 10_000


def natural_key(path: str | os.PathLike) -> tuple:
    """Sort key of a file name in natural order: ``s2.yaml`` before ``s10.yaml`` (not s1, s10, s11, ..., s2)."""
    name = Path(path).name
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower())
                 for part in re.split(r"(\d+)", name) if part) + (name,)


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


@dataclass(frozen=True)
class ReviewActuals:
    """The actuals of an annual review, checked before any kernel starts.

    Attributes
    ----------
    path : Path or None
        The bulletin file (None: none given and no default file).
    status : str
        ``"ok"`` (a figure of the review year), ``"no actuals"`` (none after the
        base year) or ``"no actuals for <year>"`` (earlier years only); the last
        two only with ``allow_empty``.
    latest : int or None
        Latest year after the base year with a figure of the region.
    """

    path: Path | None
    status: str
    latest: int | None = None


def review_actuals(region: str, year: int, actuals: str | os.PathLike | None = None, *,
                   allow_empty: bool = False) -> ReviewActuals:
    """Find and validate the actuals of the annual review of ``year`` (every check before a kernel starts).

    ``actuals`` is the bulletin file; when None, ``data/bulletins/<region>_actuals.csv``
    if it exists. The file is loaded and validated whole
    (:func:`~xiqu_analysis.inputs.bulletins.load_bulletin`), and it must hold
    at least one figure of the region for the review year itself.

    Raises
    ------
    InputError
        A bad file (one line: file, row, column, problem); a missing file; no
        file at all, or no figure of the review year, unless ``allow_empty``
        (the message names the file to fill in).
    """
    from ..inputs.bulletins import load_bulletin
    from ..inputs.indicators import load_indicators
    from ..inputs.regions import load_region_info

    info = load_region_info(region)
    fill = "(format: data/bulletins/README.md; copy data/bulletins/TEMPLATE.csv)"
    if actuals is not None:
        path = Path(actuals).expanduser().absolute()
        if not path.is_file():
            raise InputError(path, "actuals", "file not found")
    else:
        default = default_actuals_path(region)
        if not default.is_file():
            if allow_empty:
                return ReviewActuals(None, "no actuals")
            raise InputError(default, "actuals",
                             "no actuals file: enter the bulletin figures of {region} up to {year} in this file "
                             "{fill}, or give another file (actuals), or allow a review without actuals (allow_empty)",
                             region=region, year=year, fill=fill)
        path = default
    frame = load_bulletin(path, indicators=load_indicators())
    mine = frame[(frame["region"] == region) & (frame["year"] > info.base_year) & (frame["year"] <= int(year))]
    latest = int(mine["year"].max()) if not mine.empty else None
    if latest == int(year):
        return ReviewActuals(path, "ok", latest)
    if not allow_empty:
        have = f"the latest is of {latest}" if latest is not None else f"none after {info.base_year}"
        raise InputError(path, "year",
                         "no actual figure of {region} for the review year {year} ({have}): fill in the {year} "
                         "bulletin figures in this file {fill}, or allow a review without them (allow_empty)",
                         region=region, year=year, have=have, fill=fill)
    return ReviewActuals(path, "no actuals" if latest is None else f"no actuals for {year}", latest)


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
    actuals: str | os.PathLike | None = None,
    allow_empty: bool = False,
    final: bool = False,
    targets: Sequence[str] = (),
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
    actuals : path, optional
        Bulletin file of the annual review (default ``data/bulletins/<region>_actuals.csv``);
        validated here, with :func:`review_actuals`.
    allow_empty : bool
        Run the review even without a figure of the review year (its title
        then says "no actuals").
    final : bool
        Final review of the plan period (``review_year`` at or after the
        region's ``plan_end_year``).
    targets : sequence of str
        Targets the review solves (:func:`xiqu_analysis.economics.solver.parse_target`).
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
        raise InputError(cli, "suite", "must be one of {items}, got {suite!r}", items=', '.join(SUITES), suite=suite)
    if suite == "annual-review":
        if year is None:
            raise InputError(cli, "year", "is required by the annual-review suite")
    else:
        for name, value in (("year", year), ("actuals", actuals), ("allow_empty", allow_empty or None),
                            ("final", final or None), ("targets", list(targets) or None)):
            if value is not None:
                raise InputError(cli, name, "only applies to the annual-review suite")

    if scenario_files is None:
        sdir = config.scenario_dir()
        scenario_files = sorted(sdir.glob("*.yaml"), key=natural_key) if sdir.is_dir() else []
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
            raise InputError(p, "name", "scenario name {name!r} is also used by {seen}", name=sc.name,
                             seen=seen[sc.name])
        seen[sc.name] = p
        scenarios.append(sc)

    words = language if language in LANGUAGES else "en"  # an unknown language is refused by validate_jobs

    def region_name(key: str) -> str:
        if key in regions:
            return regions[key].info.name(words)
        try:
            return load_region_info(key).name(words)
        except InputError:  # an unknown region is refused, with its reason, by validate_jobs
            return key

    nbdir = Path(notebook_dir).absolute() if notebook_dir else config.notebook_dir()
    nb = {name: nbdir / f"{name}.ipynb" for name in NOTEBOOKS}
    all_paths = [str(p) for p in paths]
    for p, sc in zip(paths, scenarios):
        check_projection(sc)
        checked[p.resolve()] = sc
    # a re-based scenario cites its actuals file: hashed with the scenario
    cited = {p: tuple(f.absolute() for f in [actuals_file(sc)] if f is not None) for p, sc in zip(paths, scenarios)}
    jobs = [
        Job(
            name=f"scenario_report-{sc.name}",
            notebook=nb["scenario_report"],
            parameters={"scenario_path": str(p), "language": language, "n_paths": n_paths,
                        "seed": sc.uncertainty.seed if seed is None else seed},
            title=t("index.job.scenario_report", words, title=scenario_text(sc.title, words)[0]),
            inputs=(p, *cited[p]),
        )
        for p, sc in zip(paths, scenarios)
    ]
    if len(paths) >= 2:
        compared = t("unit.list_separator", words).join(dict.fromkeys(region_name(sc.region) for sc in scenarios))
        jobs.append(Job("scenario_comparison", nb["scenario_comparison"],
                        {"scenario_paths": all_paths, "language": language},
                        title=t("index.job.scenario_comparison", words, region=compared), inputs=tuple(paths)))
    if region is None:
        region = scenarios[0].region if scenarios else config.DEFAULT_REGION
    jobs.append(Job("data_audit", nb["data_audit"], {"region": region, "language": language},
                    title=t("index.job.data_audit", words, region=region_name(region))))
    if suite == "annual-review":
        # a year out of range or an unknown region is reported by validate_jobs, with the notebook's name
        checkable = (type(year) is int and REVIEW_YEARS[0] <= year <= REVIEW_YEARS[1]
                     and (config.data_dir() / "regions" / str(region)).is_dir())
        found = review_actuals(region, year, actuals, allow_empty=allow_empty) if checkable else None
        params = {"review_year": year, "region": region,
                  "actuals_path": str(found.path) if found and found.path else "", "scenario_paths": all_paths,
                  "language": language}
        if final:
            params["final"] = True
        if targets:
            params["targets"] = list(targets)
        title = t("index.job.final_review" if final else "index.job.annual_review", words, year=year,
                  region=region_name(region))
        if found is not None and found.status != "ok":
            title += t("index.job.no_actuals" if found.latest is None else "index.job.no_actuals_for", words,
                       year=year)
        extra = (found.path,) if found and found.path else ()
        jobs.append(Job(f"annual_review-{year}" + ("-final" if final else ""), nb["annual_review"], params,
                        title=title, inputs=tuple(dict.fromkeys([*paths, *(p for c in cited.values() for p in c),
                                                                 *extra]))))
    return jobs
