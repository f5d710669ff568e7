"""The notebook registry: the suite's notebooks and a pydantic model of each one's parameters.

One place says which notebooks make up the suite and what each accepts. The
runner validates the values it will inject against these models before any
kernel starts; each notebook validates its own namespace against the same
model in its first cell (:func:`from_namespace`), so a plain ``papermill`` run
with an unknown or misspelt ``-p`` name stops with one line naming it before
any report is written; ``xiqu run --help`` and the tests read the models too.

Values are JSON types (what papermill injects); :meth:`NotebookParameters.resolve`
turns them into paths and records the notebook uses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Mapping

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator,
                      model_validator)

from .. import config
from ..errors import InputError
from ..inputs.figures import REGION_KEY
from ..inputs.scenario import MAX_PATHS, MAX_SEED
from ..inputs.validation import custom_error, input_error
from .words.text import LANGUAGES

__all__ = [
    "SOURCE",
    "MAX_PATHS",
    "NotebookParameters",
    "ScenarioReportParameters",
    "ComparisonParameters",
    "AuditParameters",
    "AnnualReviewParameters",
    "NOTEBOOKS",
    "ExploreParameters",
    "INTERACTIVE",
    "model_of",
    "check_parameters",
    "from_namespace",
    "resolve_scenario_path",
    "default_output_dir",
]

#: where a bad parameter value came from, in messages
SOURCE = "notebook parameters"
#: first and last year a review can be for
REVIEW_YEARS = (2021, 2100)


def _digits_to_int(value: Any) -> Any:
    """``papermill -p n_paths 5000`` passes an int, but ``-p n_paths "5000"`` a string: accept digits."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        return int(value)
    return value


def _path_list(value: Any) -> Any:
    """A list of paths, or ``"[a, b]"`` / ``"a,b"`` as ``papermill -p`` passes one."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        if text.startswith("["):
            from ..inputs.yamlfile import parse_yaml

            try:
                return parse_yaml(text, SOURCE)
            except InputError as exc:  # reported once, under the field's name
                raise custom_error("path_list", "not a list of paths: {problem}", problem=exc.message) from None
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


def _region_key(value: str) -> str:
    """A region key is a folder name under ``data/regions/``: the whole value must match, no path parts."""
    if not REGION_KEY.fullmatch(value):
        raise custom_error("region_key", "{value!r} is not a region key (lower-case letters, digits and _, e.g. xiqu)",
                           value=value)
    return value


def _text_list(value: Any) -> Any:
    """A list of texts, or ``"a; b"`` as ``papermill -p`` passes one (targets hold commas and spaces)."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _targets(value: list[str]) -> list[str]:
    """Each entry must be a solver target (:func:`xiqu_analysis.economics.solver.parse_target`)."""
    from ..economics.solver import is_phrase, parse_target

    for i, text in enumerate(value):
        if is_phrase(text):
            continue  # the plan's words: read with the region (AnnualReviewParameters checks them)
        try:
            parse_target(text)
        except InputError as exc:
            raise custom_error("target", "[{i}]: {problem}", i=i, problem=exc.message) from None
    return value


Language = Annotated[str, Field(json_schema_extra={"enum": list(LANGUAGES)})]
WholeNumber = Annotated[int, BeforeValidator(_digits_to_int)]
PathList = Annotated[list[str], BeforeValidator(_path_list)]
TargetList = Annotated[list[str], BeforeValidator(_text_list), AfterValidator(_targets)]
RegionKey = Annotated[str, AfterValidator(_region_key), Field(json_schema_extra={"pattern": f"^{REGION_KEY.pattern}$"})]


class NotebookParameters(BaseModel):
    """Parameters every notebook has: where to write and in which language."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    #: notebook file name (``notebooks/<notebook>.ipynb``)
    notebook: ClassVar[str] = ""

    output_dir: str = Field("", description="folder for the report's files; empty: outputs/notebooks/<notebook>-<key>/")
    language: Language = Field("en", description="report language: " + " or ".join(f'"{x}"' for x in LANGUAGES))

    @field_validator("language")
    @classmethod
    def _known_language(cls, v: str) -> str:
        if v not in LANGUAGES:
            raise custom_error("language", "unknown language {language!r}; choose one of {choices}", language=v,
                               choices=", ".join(LANGUAGES))
        return v

    def output_key(self) -> str:
        """What names the default output folder (scenario file stem, region, year)."""
        return "default"

    def output_path(self) -> Path:
        """The output folder: ``output_dir`` made absolute, or :func:`default_output_dir`."""
        if self.output_dir.strip():
            return Path(self.output_dir).expanduser().resolve()
        return default_output_dir(self.notebook, self.output_key())


class ScenarioReportParameters(NotebookParameters):
    """``scenario_report``: one scenario, its projection, targets, uncertainty and sensitivity."""

    notebook: ClassVar[str] = "scenario_report"

    scenario_path: str = Field("../scenarios/plan_targets.yaml",
                               description="scenario YAML file, or the name of a shipped scenario")
    n_paths: WholeNumber = Field(5000, ge=1, le=MAX_PATHS,
                                 description="Monte Carlo paths for fan charts and probabilities")
    seed: WholeNumber = Field(20210801, ge=0, le=MAX_SEED, description="random seed of the Monte Carlo")

    def output_key(self) -> str:
        return Path(self.scenario_path).stem


class ComparisonParameters(NotebookParameters):
    """``scenario_comparison``: several scenarios side by side (two or more files)."""

    notebook: ClassVar[str] = "scenario_comparison"

    scenario_paths: PathList = Field(default_factory=list, description="scenario files; empty: every scenarios/*.yaml")

    def output_key(self) -> str:
        return "comparison"


class AuditParameters(NotebookParameters):
    """``data_audit``: every figure of a region checked against the figures it should agree with."""

    notebook: ClassVar[str] = "data_audit"

    region: RegionKey = Field(config.DEFAULT_REGION, description="region key: a folder of data/regions/")

    def output_key(self) -> str:
        return self.region


class AnnualReviewParameters(NotebookParameters):
    """``annual_review``: actual figures against the plan and the scenarios."""

    notebook: ClassVar[str] = "annual_review"

    review_year: WholeNumber = Field(2025, ge=REVIEW_YEARS[0], le=REVIEW_YEARS[1], description="year under review")
    region: RegionKey = Field(config.DEFAULT_REGION, description="region reviewed: a folder of data/regions/")
    actuals_path: str = Field("", description="bulletin CSV of actual figures; empty: data/bulletins/<region>_actuals.csv "
                                              "if it exists, else no actuals")
    scenario_paths: PathList = Field(default_factory=list, description="scenario files; empty: every scenarios/*.yaml")
    final: bool = Field(False, description="final review of the plan period (base year + 1 to the region's "
                                           "plan_end_year); needs review_year >= plan_end_year")
    targets: TargetList = Field(default_factory=list, description="targets to solve on the re-based scenarios, "
                                "e.g. 'gdp_real x2 from 2020 by 2035' or 'gdp_nominal 150 by 2030'; empty: real GDP "
                                "doubling from the base year by the region's long_range_year")

    @model_validator(mode="after")
    def _phrases(self) -> "AnnualReviewParameters":
        """Targets in the plan's words are read with the reviewed region's registry and years."""
        from ..economics.solver import is_phrase, parse_target
        from ..inputs.regions import load_region

        phrases = [(i, x) for i, x in enumerate(self.targets) if is_phrase(x)]
        if phrases:
            region = load_region(self.region)
            for i, text in phrases:
                try:
                    parse_target(text, region=region)
                except InputError as exc:
                    raise custom_error("target", "targets[{i}]: {problem}", i=i, problem=exc.message)
        return self

    def output_key(self) -> str:
        return str(self.review_year) + ("-final" if self.final else "")


#: the suite's notebooks, by name (``notebooks/<name>.ipynb``)
NOTEBOOKS: dict[str, type[NotebookParameters]] = {
    m.notebook: m for m in (ScenarioReportParameters, ComparisonParameters, AuditParameters, AnnualReviewParameters)
}


class ExploreParameters(NotebookParameters):
    """``explore``: the interactive scenario explorer (JupyterLab, or a Voilà page with ``make explore``)."""

    notebook: ClassVar[str] = "explore"

    scenario_path: str = Field("../scenarios/plan_targets.yaml",
                               description="starting scenario: a YAML file, or the name of a shipped scenario")
    n_paths: WholeNumber = Field(1000, ge=0, le=20_000,
                                 description="Monte Carlo paths of the fan chart (0: no fan chart)")

    def output_path(self) -> Path:
        """Where saved scenarios (``scenarios/``) and rendered runs (``runs/``) go: ``output_dir``, or ``<outputs>/explorer``."""
        if self.output_dir.strip():
            return Path(self.output_dir).expanduser().resolve()
        return config.output_dir() / "explorer"


#: interactive notebooks: parameters checked like the suite's, never part of a batch run
INTERACTIVE: dict[str, type[NotebookParameters]] = {ExploreParameters.notebook: ExploreParameters}


def model_of(notebook: str) -> type[NotebookParameters]:
    """The parameter model of a registered notebook (the suite's or an interactive one).

    Raises
    ------
    KeyError
        The notebook is in neither :data:`NOTEBOOKS` nor :data:`INTERACTIVE`.
    """
    try:
        return NOTEBOOKS[notebook] if notebook in NOTEBOOKS else INTERACTIVE[notebook]
    except KeyError:
        raise KeyError(f"unknown notebook {notebook!r}; registered: {', '.join([*NOTEBOOKS, *INTERACTIVE])}") from None


def check_parameters(notebook: str, source: str | Path = SOURCE, /, **values: Any) -> NotebookParameters:
    """Validate ``values`` against the notebook's model.

    Raises
    ------
    InputError
        ``(source, parameter, problem)``: an unknown name (with a close match),
        a wrong type or a value out of range.
    """
    model = model_of(notebook)
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise input_error(exc, source, model) from None


#: names every IPython namespace holds besides the notebook's own variables
_IPYTHON_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "open"})
_PARAMETER_TYPES = (str, int, float, bool, list, dict, type(None))


def from_namespace(notebook: str, namespace: Mapping[str, Any]) -> NotebookParameters:
    """The notebook's parameters read from its namespace (``globals()`` in its first cell).

    Every plain value (text, number, list, ...) not starting with ``_`` must be
    a parameter of the notebook: papermill only warns about an unknown ``-p``
    name and injects it anyway, so a misspelt name would otherwise leave the
    default in force without a word.

    Raises
    ------
    InputError
        An unknown name (``scenario_pth``), or a value the model refuses.
    """
    model = model_of(notebook)
    fields = set(model.model_fields)
    values = {name: namespace[name] for name in fields if name in namespace}
    for name, value in namespace.items():
        if name.startswith("_") or name in _IPYTHON_NAMES or name in fields:
            continue
        if isinstance(value, _PARAMETER_TYPES):
            values[name] = value  # refused below as an unknown parameter, with a close match
    return check_parameters(notebook, SOURCE, **values)


def default_output_dir(notebook: str, key: str) -> Path:
    """``<outputs>/notebooks/<notebook>-<key>`` (outputs: :func:`xiqu_analysis.config.output_dir`)."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", key) or "default"
    return config.output_dir() / "notebooks" / f"{notebook}-{safe}"


def resolve_scenario_path(value: str, field_name: str = "scenario_path") -> Path:
    """Find a scenario file given as a path or as a shipped scenario's name.

    Tried in order: the path as given (absolute, or relative to the current
    directory); relative to the notebooks folder (so the notebooks' default
    ``../scenarios/x.yaml`` works whatever the working directory); and, for a
    bare name without folders, ``<scenarios>/<value>`` or ``<scenarios>/<value>.yaml``.

    Raises
    ------
    InputError
        If no file is found.
    """
    if not value.strip():
        raise InputError(SOURCE, field_name, "must not be empty")
    raw = Path(value).expanduser()
    candidates = [raw]
    if not raw.is_absolute():
        candidates.append(config.notebook_dir() / raw)
        if len(raw.parts) == 1:  # a bare name: a shipped scenario (never swap a mistyped folder for it)
            candidates.append(config.scenario_dir() / raw.name)
            if raw.suffix == "":
                candidates.append(config.scenario_dir() / f"{raw.name}.yaml")
    for cand in candidates:
        if cand.is_file():
            return cand.resolve()
    raise InputError(SOURCE, field_name, "scenario file {value!r} not found (looked in the current directory, "
                     "{notebook_dir} and {scenario_dir})", value=value, notebook_dir=config.notebook_dir(),
                     scenario_dir=config.scenario_dir())


def scenario_files(paths: list[str], field_name: str = "scenario_paths") -> tuple[Path, ...]:
    """Each path resolved (:func:`resolve_scenario_path`), duplicates dropped; empty: every shipped scenario."""
    if not paths:
        found = sorted(config.scenario_dir().glob("*.yaml"))
    else:
        found = [resolve_scenario_path(p, f"{field_name}[{i}]") for i, p in enumerate(paths)]
    return tuple(dict.fromkeys(p.resolve() for p in found))


@dataclass(frozen=True)
class Resolved:
    """A notebook's parameters with files found and the output folder fixed."""

    parameters: NotebookParameters
    output_dir: Path
    language: str
    scenario_files: tuple[Path, ...] = ()
    actuals_path: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON values for ``artifacts.json`` (paths as text; ``output_dir`` left out)."""
        out = self.parameters.model_dump(mode="json", exclude={"output_dir"})
        if self.scenario_files:
            key = "scenario_path" if "scenario_path" in out else "scenario_paths"
            out[key] = (str(self.scenario_files[0]) if key == "scenario_path"
                        else [str(p) for p in self.scenario_files])
        if "actuals_path" in out:
            out["actuals_path"] = str(self.actuals_path) if self.actuals_path else ""
        return out


def default_actuals_path(region: str = config.DEFAULT_REGION) -> Path:
    """``<data>/bulletins/<region>_actuals.csv``, read by the review when ``actuals_path`` is empty and it exists."""
    return config.data_dir() / "bulletins" / f"{region}_actuals.csv"


def _check_region(region: str) -> None:
    """Refuse a region key without a folder under ``<data>/regions/``."""
    regions_dir = config.data_dir() / "regions"
    if not (regions_dir / region).is_dir():
        known = sorted(p.name for p in regions_dir.iterdir() if p.is_dir()) if regions_dir.is_dir() else []
        raise InputError(SOURCE, "region", "unknown region {region!r}; known: {value}", region=region,
                         value=', '.join(known) or 'none')


def resolve(params: NotebookParameters) -> Resolved:
    """Find the files a notebook's parameters name.

    Raises
    ------
    InputError
        A scenario or actuals file that does not exist, a region without
        data (audit and review), or fewer than two scenarios to compare.
    """
    files: tuple[Path, ...] = ()
    actuals = None
    if isinstance(params, ScenarioReportParameters):
        files = (resolve_scenario_path(params.scenario_path),)
    elif isinstance(params, ComparisonParameters):
        files = scenario_files(params.scenario_paths)
        if len(files) < 2:
            raise InputError(SOURCE, "scenario_paths", "need at least two scenario files to compare, got {n_files}",
                             n_files=len(files))
    elif isinstance(params, AuditParameters):
        _check_region(params.region)
    elif isinstance(params, AnnualReviewParameters):
        _check_region(params.region)
        if params.final:
            from ..inputs.regions import load_region_info

            info = load_region_info(params.region)
            if info.plan_end_year is None:
                raise InputError(SOURCE, "final",
                                 "region {region!r} names no plan_end_year (region.yaml): there is no plan period to "
                                 "score",
                                 region=params.region)
            if params.review_year < info.plan_end_year:
                raise InputError(SOURCE, "final",
                                 "the final review scores the plan period {first}-{plan_end_year}: review_year must be "
                                 "{plan_end_year} or later, got {review_year}",
                                 first=info.base_year + 1, plan_end_year=info.plan_end_year,
                                 review_year=params.review_year)
        files = scenario_files(params.scenario_paths)
        if params.actuals_path.strip():
            path = Path(params.actuals_path).expanduser()
            if not path.is_absolute() and not path.exists():
                path = config.PROJECT_ROOT / path
            if not path.is_file():
                raise InputError(SOURCE, "actuals_path", "file {actuals_path!r} not found",
                                 actuals_path=params.actuals_path)
            actuals = path.resolve()
        elif default_actuals_path(params.region).is_file():
            actuals = default_actuals_path(params.region)
    return Resolved(params, params.output_path(), params.language, files, actuals)
