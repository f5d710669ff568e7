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
from ..inputs.regions import RegionData, load_region_info
from ..inputs.scenario import actuals_file, load_scenario_with_region
from ..reports.parameters import NOTEBOOKS, REVIEW_YEARS, default_actuals_path
from ..reports.words.text import LANGUAGES, scenario_text, t

__all__ = ["Job", "SUITES", "DEFAULT_N_PATHS", "FILE_NAMES", "plan_suite", "ReviewActuals", "review_actuals",
           "natural_key", "safe_file_stem", "run_workbook_name"]

#: the suites ``xiqu run --suite`` offers
SUITES = ("default", "annual-review")
#: Monte Carlo paths per scenario report in a run
DEFAULT_N_PATHS = 10_000
#: ``xiqu run --file-names``: the default ASCII names (``<notebook>.html``, ``<job>.docx``), or a language's
FILE_NAMES = "ascii"
#: the longest name a report file gets (characters, without its extension): short paths on Windows and in zips
MAX_STEM = 40
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u2028\u2029]+')
_WINDOWS_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?", re.IGNORECASE)


def safe_file_stem(text: str, limit: int = MAX_STEM) -> str:
    """``text`` as a file name stem safe on Windows (WPS included), in zips and on the web.

    Characters Windows refuses (``/ \\ : * ? " < > |``) and control characters become ``_``,
    runs of white space one ``_``; at most ``limit`` characters; no leading or trailing dot,
    space or ``_``; a name Windows reserves (``CON``, ``NUL``, ``COM1`` ...) gets a ``_``.
    The same text always gives the same name.
    """
    stem = _UNSAFE.sub("_", str(text))
    stem = re.sub(r"\s+", "_", stem)
    stem = re.sub(r"_{2,}", "_", stem)
    if len(stem) > limit:  # cut at a word's end where the words are spaced (English), else at the limit
        cut = stem[:limit + 1].rfind("_")
        stem = stem[:cut] if cut > limit // 2 else stem[:limit]
    stem = stem.strip(" ._").rstrip(" ._,;(（，；、")
    if not stem:
        return "_"
    return stem + "_" if _WINDOWS_RESERVED.fullmatch(stem) else stem


def run_workbook_name(file_names: str = FILE_NAMES) -> str:
    """The file name of a run's workbook of every table: ``tables.xlsx``, or in the language of ``file_names``."""
    if file_names == FILE_NAMES:
        return "tables.xlsx"
    return safe_file_stem(t("index.file.run_workbook", file_names)) + ".xlsx"


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
    description : str
        One sentence for the readers of ``index.html``: what the report tells them.
    file_stem : str
        The name of the report's files without extension (``情景报告_…`` for ``.html``, ``.docx``,
        ``.pdf``, ``.xlsx``; :func:`safe_file_stem`); empty: the ASCII names ``<notebook>.html``,
        ``<job>.docx``, ``tables.xlsx``. Part of the reuse key.
    """

    name: str
    notebook: Path
    parameters: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    inputs: tuple[Path, ...] = ()
    timeout_s: float | None = None
    formats: tuple[str, ...] | None = None
    description: str = ""
    file_stem: str = ""

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
        ``"ok"`` (a figure of the review year and every required row), ``"missing rows"``
        (required rows missing), ``"no actuals"`` (none after the base year) or
        ``"no actuals for <year>"`` (earlier years only); all but the first only with ``allow_empty``.
    latest : int or None
        Latest year after the base year with a figure of the region.
    missing : tuple of str
        The indicators whose required rows are missing (``"missing rows"``).
    """

    path: Path | None
    status: str
    latest: int | None = None
    missing: tuple[str, ...] = ()


def review_actuals(region: str, year: int, actuals: str | os.PathLike | None = None, *,
                   allow_empty: bool = False, region_data: RegionData | None = None) -> ReviewActuals:
    """Find and validate the actuals of the annual review of ``year`` (every check before a kernel starts).

    ``actuals`` is the bulletin file; when None, ``data/bulletins/<region>_actuals.csv``
    if it exists. The file is loaded and validated whole
    (:func:`~xiqu_analysis.inputs.bulletins.load_bulletin`); it must hold
    at least one figure of the region for the review year itself, and every
    row the review cannot do without: the real growth of each of the plan's
    average growth targets in every year of its period up to the review year
    (:func:`~xiqu_analysis.economics.review_needs.missing_rows`; the rows whose
    absence the review states are left to it).

    ``region_data`` is the region's data when the caller has loaded it (else loaded here).
    Messages name the option that runs the review regardless as the ``allow`` parameter
    (``allow_empty``; the command line shows its flag).

    Raises
    ------
    InputError
        A bad file (one line: file, row, column, problem); a missing file; no
        file at all, no figure of the review year or a required row missing,
        unless ``allow_empty`` (the message names the file and the rows to fill in).
    """
    from ..economics.review_needs import required_missing, years_text
    from ..inputs.bulletins import load_bulletin
    from ..inputs.regions import load_region

    data = region_data if region_data is not None else load_region(region)
    info = data.info
    if actuals is not None:
        path = Path(actuals).expanduser().absolute()
        if not path.is_file():
            raise InputError(path, "actuals", "file not found")
    else:
        default = default_actuals_path(region)
        if not default.is_file():
            if allow_empty:
                return ReviewActuals(None, "no actuals")
            raise InputError(default, "actuals", "no actuals file: enter the bulletin figures of {region} up to "
                             "{year} in this file (format: data/bulletins/README.md; copy data/bulletins/TEMPLATE.csv), "
                             "or give another file (actuals), or allow a review without actuals ({allow})",
                             region=region, year=year, allow="allow_empty")
        path = default
    frame = load_bulletin(path, indicators=data.indicators)
    mine = frame[(frame["region"] == region) & (frame["year"] > info.base_year) & (frame["year"] <= int(year))]
    latest = int(mine["year"].max()) if not mine.empty else None
    if latest != int(year):
        if not allow_empty:
            values = dict(region=region, year=year, allow="allow_empty")
            if latest is not None:
                raise InputError(path, "year", "no actual figure of {region} for the review year {year} (the latest "
                                 "is of {latest}): fill in the {year} bulletin figures in this file (format: "
                                 "data/bulletins/README.md; copy data/bulletins/TEMPLATE.csv), or allow a review "
                                 "without them ({allow})", latest=latest, **values)
            raise InputError(path, "year", "no actual figure of {region} for the review year {year} (none after "
                             "{base}): fill in the {year} bulletin figures in this file (format: "
                             "data/bulletins/README.md; copy data/bulletins/TEMPLATE.csv), or allow a review "
                             "without them ({allow})", base=info.base_year, **values)
        return ReviewActuals(path, "no actuals" if latest is None else f"no actuals for {year}", latest)
    lacking = required_missing(data, frame, int(year))
    if lacking and not allow_empty:
        rows = "; ".join(f"{m.indicator} {years_text(m.years)}" for m in lacking)
        raise InputError(path, "indicator", "the annual review of {year} needs rows of {region} this file lacks "
                         "(indicator and years: {rows}): fill in these rows of this file (format: "
                         "data/bulletins/README.md), or run the review regardless ({allow})",
                         year=year, region=region, rows=rows, allow="allow_empty")
    return ReviewActuals(path, "missing rows" if lacking else "ok", latest, tuple(m.indicator for m in lacking))


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
    file_names: str = FILE_NAMES,
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
    file_names : str
        ``"ascii"`` (the default names) or a report language: each report's files named in
        that language's words (``情景报告_<scenario title>``, ``年度评估_2024``; :attr:`Job.file_stem`).
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
        scenario file, duplicate scenario name, unknown ``file_names``.
    """
    cli = "command line"
    if suite not in SUITES:
        raise InputError(cli, "suite", "must be one of {items}, got {suite!r}", items=', '.join(SUITES), suite=suite)
    if file_names != FILE_NAMES and file_names not in LANGUAGES:
        raise InputError(cli, "file_names", "must be {ascii} or a report language ({choices}), got {value}",
                         ascii=FILE_NAMES, choices=", ".join(LANGUAGES), value=repr(file_names))
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
    def stem(kind: str, **values: Any) -> str:  # the report's file names in the words of ``file_names``
        if file_names == FILE_NAMES:
            return ""
        return safe_file_stem(t(f"index.file.{kind}", file_names, **values))

    jobs = [
        Job(
            name=f"scenario_report-{sc.name}",
            notebook=nb["scenario_report"],
            parameters={"scenario_path": str(p), "language": language, "n_paths": n_paths,
                        "seed": sc.uncertainty.seed if seed is None else seed},
            title=t("index.job.scenario_report", words, title=scenario_text(sc.title, words)[0]),
            inputs=(p, *cited[p]),
            description=t("index.about.scenario_report", words, region=region_name(sc.region), base=sc.base_year,
                          end=sc.end_year),
            file_stem=stem("scenario_report", title=scenario_text(sc.title, file_names)[0] if file_names in LANGUAGES
                           else sc.name),
        )
        for p, sc in zip(paths, scenarios)
    ]
    if len(paths) >= 2:
        compared = t("unit.list_separator", words).join(dict.fromkeys(region_name(sc.region) for sc in scenarios))
        jobs.append(Job("scenario_comparison", nb["scenario_comparison"],
                        {"scenario_paths": all_paths, "language": language},
                        title=t("index.job.scenario_comparison", words, region=compared), inputs=tuple(paths),
                        description=t("index.about.scenario_comparison", words, n=len(scenarios),
                                      end=max(sc.end_year for sc in scenarios)),
                        file_stem=stem("scenario_comparison")))
    if region is None:
        region = scenarios[0].region if scenarios else config.DEFAULT_REGION
    jobs.append(Job("data_audit", nb["data_audit"], {"region": region, "language": language},
                    title=t("index.job.data_audit", words, region=region_name(region)),
                    description=t("index.about.data_audit", words), file_stem=stem("data_audit")))
    if suite == "annual-review":
        # a year out of range or an unknown region is reported by validate_jobs, with the notebook's name
        checkable = (type(year) is int and REVIEW_YEARS[0] <= year <= REVIEW_YEARS[1]
                     and (config.data_dir() / "regions" / str(region)).is_dir())
        found = review_actuals(region, year, actuals, allow_empty=allow_empty,
                               region_data=regions.get(region)) if checkable else None
        params = {"review_year": year, "region": region,
                  "actuals_path": str(found.path) if found and found.path else "", "scenario_paths": all_paths,
                  "language": language}
        if final:
            params["final"] = True
        if targets:
            params["targets"] = list(targets)
        title = t("index.job.final_review" if final else "index.job.annual_review", words, year=year,
                  region=region_name(region))
        if found is not None and found.status == "missing rows":
            title += t("index.job.missing_rows", words)
        elif found is not None and found.status != "ok":
            title += t("index.job.no_actuals" if found.latest is None else "index.job.no_actuals_for", words,
                       year=year)
        extra = (found.path,) if found and found.path else ()
        kind = "final_review" if final else "annual_review"
        jobs.append(Job(f"annual_review-{year}" + ("-final" if final else ""), nb["annual_review"], params,
                        title=title, inputs=tuple(dict.fromkeys([*paths, *(p for c in cited.values() for p in c),
                                                                 *extra])),
                        description=t(f"index.about.{kind}", words, year=year, region=region_name(region)),
                        file_stem=stem(kind, year=year)))
    return jobs
