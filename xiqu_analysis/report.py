"""The ``Report`` helper the notebooks use to show and save tables and figures.

A notebook creates ``Report(output_dir, language)``; each section then calls
:meth:`Report.heading`, :meth:`Report.markdown`, :meth:`Report.table` and
:meth:`Report.figure`. Everything shown is also written to ``output_dir``::

    tables/<name>.csv      one CSV per table (UTF-8, stable float format,
                           byte-identical for identical inputs)
    figures/<name>.png     one PNG per figure (no timestamps)
    text.md                every paragraph of report text, in order
    tables.xlsx            every table, one sheet each (written by finish())
    artifacts.json         {"tables": ["tables/<name>.csv", ...], "figures": ["figures/<name>.png", ...],
                            "captions": {path: caption}, "complete": ...}

``artifacts.json`` says ``"complete": false`` from the start of a run and
``true`` only after :meth:`Report.finish`, so a run that stopped half-way
(a raising cell, a killed kernel, ``sys.exit`` in a cell) is visible as such.
Every file is written to a temporary name and renamed into place.

Parameter checks
----------------
papermill only warns about unknown parameters and guesses the types of
``-p`` values; each notebook therefore validates its parameters first with
:func:`check_parameters`, which raises
:class:`~xiqu_analysis.errors.InputError` naming the bad parameter.

Default output folder: when ``output_dir`` is ``""`` the report goes to
``<outputs>/notebooks/<notebook>-<key>/`` where ``<outputs>`` is
:func:`xiqu_analysis.config.output_dir` (``./outputs`` of the project, or
``$XIQU_OUTPUT_DIR``) and ``<key>`` is the scenario file's stem, ``comparison``
or the region.
"""
from __future__ import annotations

import html
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from . import config
from .fileio import atomic_write_bytes
from .errors import InputError
from .text import LANGUAGES, Narrative, column_header, esc, t

__all__ = [
    "Report",
    "ReportParameters",
    "ComparisonParameters",
    "AuditParameters",
    "check_parameters",
    "check_report_parameters",
    "check_comparison_parameters",
    "check_audit_parameters",
    "resolve_scenario_path",
    "default_output_dir",
    "write_csv_bytes",
    "NOTEBOOKS",
]

#: notebooks this module checks parameters for
NOTEBOOKS = ("scenario_report", "scenario_comparison", "data_audit")

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_SOURCE = "notebook parameters"
#: float format of every CSV the reports write (stable across runs and platforms)
CSV_FLOAT_FORMAT = "%.10g"
_XLSX_BAD = re.compile(r"[\[\]:*?/\\]")


# --------------------------------------------------------------------------- atomic writes
def _atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write_bytes(path, data, make_parents=True)


def write_csv_bytes(df: pd.DataFrame) -> bytes:
    """The CSV bytes :meth:`Report.table` writes for ``df``.

    UTF-8, ``\\n`` line ends, no index, floats as ``%.10g``, NaN as empty.
    """
    buf = io.StringIO()
    df.to_csv(buf, index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n", na_rep="")
    return buf.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- parameters
def _type_error(name: str, expected: str, value: Any) -> InputError:
    return InputError(_SOURCE, name, f"expected {expected}, got {value!r} ({type(value).__name__})")


def _check_str(name: str, value: Any, *, allow_empty: bool = True) -> str:
    if not isinstance(value, str):
        raise _type_error(name, "a string", value)
    if not allow_empty and not value.strip():
        raise InputError(_SOURCE, name, "must not be empty")
    return value


def _check_int(name: str, value: Any, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        # papermill -p passes "5000" through as an int already; accept digit strings too
        if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
            value = int(value)
        else:
            raise _type_error(name, "an integer", value)
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise InputError(_SOURCE, name, f"must be {bound}, got {value}")
    return int(value)


def _check_language(value: Any) -> str:
    _check_str("language", value, allow_empty=False)
    if value not in LANGUAGES:
        raise InputError(_SOURCE, "language", f"unknown language {value!r}; choose one of {', '.join(LANGUAGES)}")
    return value


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
    _check_str(field_name, value, allow_empty=False)
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
    raise InputError(_SOURCE, field_name, f"scenario file {value!r} not found (looked in the current directory, "
                     f"{config.notebook_dir()} and {config.scenario_dir()})")


def default_output_dir(notebook: str, key: str) -> Path:
    """``<outputs>/notebooks/<notebook>-<key>`` (see the module docstring)."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", key) or "default"
    return config.output_dir() / "notebooks" / f"{notebook}-{safe}"


def _output(notebook: str, value: Any, key: str) -> Path:
    _check_str("output_dir", value)
    return Path(value).expanduser().resolve() if value.strip() else default_output_dir(notebook, key)


@dataclass(frozen=True)
class ReportParameters:
    """Checked parameters of ``scenario_report``."""

    scenario_path: Path
    output_dir: Path
    language: str
    n_paths: int
    seed: int


@dataclass(frozen=True)
class ComparisonParameters:
    """Checked parameters of ``scenario_comparison``."""

    scenario_paths: tuple[Path, ...]
    output_dir: Path
    language: str


@dataclass(frozen=True)
class AuditParameters:
    """Checked parameters of ``data_audit``."""

    region: str
    output_dir: Path
    language: str


def check_report_parameters(scenario_path: Any, output_dir: Any, language: Any, n_paths: Any, seed: Any) -> ReportParameters:
    """Validate the parameters of ``scenario_report`` (see the notebook's parameters cell).

    ``n_paths`` must be 1..1,000,000 simulated paths (as the runner allows; 500+ for
    readable fan charts); ``seed`` a
    non-negative integer below 2**63.
    """
    path = resolve_scenario_path(scenario_path)
    return ReportParameters(
        scenario_path=path,
        output_dir=_output("scenario_report", output_dir, path.stem),
        language=_check_language(language),
        n_paths=_check_int("n_paths", n_paths, 1, 1_000_000),
        seed=_check_int("seed", seed, 0, 2**63 - 1),
    )


def _as_path_list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        items = list(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            items = []
        elif text.startswith("["):  # papermill -p passes '[a.yaml, b.yaml]' as a string
            import yaml

            try:
                items = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                raise InputError(_SOURCE, "scenario_paths", f"cannot read {value!r} as a list: {exc}") from None
            if not isinstance(items, list):
                raise _type_error("scenario_paths", "a list of file paths", value)
        else:  # comma-separated
            items = [part.strip() for part in text.split(",") if part.strip()]
    else:
        raise _type_error("scenario_paths", "a list of file paths", value)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise _type_error(f"scenario_paths[{i}]", "a string", item)
    return items


def check_comparison_parameters(scenario_paths: Any, output_dir: Any, language: Any) -> ComparisonParameters:
    """Validate the parameters of ``scenario_comparison``.

    ``scenario_paths`` is a list of paths (or a string ``"[a, b]"`` /
    ``"a,b"`` as ``papermill -p`` passes it); empty means every
    ``scenarios/*.yaml``. At least two distinct files are required.
    """
    items = _as_path_list(scenario_paths)
    if not items:
        paths = sorted(config.scenario_dir().glob("*.yaml"))
    else:
        paths = [resolve_scenario_path(p, f"scenario_paths[{i}]") for i, p in enumerate(items)]
    unique = list(dict.fromkeys(p.resolve() for p in paths))
    if len(unique) < 2:
        raise InputError(_SOURCE, "scenario_paths", f"need at least two scenario files to compare, got {len(unique)}")
    return ComparisonParameters(tuple(unique), _output("scenario_comparison", output_dir, "comparison"), _check_language(language))


def check_audit_parameters(region: Any, output_dir: Any, language: Any) -> AuditParameters:
    """Validate the parameters of ``data_audit``: ``region`` must be a folder of ``data/regions``."""
    _check_str("region", region, allow_empty=False)
    if not _NAME.match(region):
        raise InputError(_SOURCE, "region", f"{region!r} is not a region key (letters, digits, _ and - only)")
    regions_dir = config.data_dir() / "regions"
    if not (regions_dir / region).is_dir():
        known = sorted(p.name for p in regions_dir.iterdir() if p.is_dir()) if regions_dir.is_dir() else []
        raise InputError(_SOURCE, "region", f"unknown region {region!r}; known: {', '.join(known) or 'none'}")
    return AuditParameters(region, _output("data_audit", output_dir, region), _check_language(language))


def check_parameters(notebook: str, **params: Any):
    """Validate the parameters of one of :data:`NOTEBOOKS`; unknown or missing names are errors."""
    checks = {
        "scenario_report": check_report_parameters,
        "scenario_comparison": check_comparison_parameters,
        "data_audit": check_audit_parameters,
    }
    if notebook not in checks:
        raise ValueError(f"unknown notebook {notebook!r}")
    import inspect

    expected = list(inspect.signature(checks[notebook]).parameters)
    unknown = sorted(set(params) - set(expected))
    missing = [p for p in expected if p not in params]
    if unknown:
        raise InputError(_SOURCE, unknown[0], f"unknown parameter for {notebook}; expected {', '.join(expected)}")
    if missing:
        raise InputError(_SOURCE, missing[0], f"missing parameter for {notebook}")
    return checks[notebook](**params)


# --------------------------------------------------------------------------- display
def _display(obj: Any) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - ipykernel is a dependency
        return
    if get_ipython() is not None:
        display(obj)


def _html_table(df: pd.DataFrame, caption: str) -> str:
    def fmt(x: float) -> str:
        # display only (the CSV keeps full precision): whole numbers from 1,000 up (yuan, persons),
        # two decimals below (亿元, %), significant digits for tiny or huge values
        if x != x:
            return ""
        if abs(x) >= 1e15 or (x != 0 and abs(x) < 0.005):
            return f"{x:.4g}"
        return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:,.2f}"

    body = df.to_html(index=False, escape=True, na_rep="", float_format=fmt, border=0, classes="xiqu-table")
    return f"<figure class=\"xiqu-table\"><figcaption>{html.escape(caption)}</figcaption>{body}</figure>"


@dataclass
class _Item:
    name: str
    file: str
    caption: str


class Report:
    """Shows and saves the tables, figures and text of one notebook run.

    Parameters
    ----------
    output_dir : str or Path
        Folder of this run (created; existing files of the same names are replaced).
    language : {"en", "zh"}
        Report language (used for the default texts of this class).
    notebook : str, optional
        Name of the notebook, recorded in ``artifacts.json``.
    parameters : dict, optional
        Parameters of the run, recorded in ``artifacts.json`` (JSON types only).
    """

    def __init__(self, output_dir: str | os.PathLike, language: str = "en", *, notebook: str = "",
                 parameters: dict[str, Any] | None = None):
        if language not in LANGUAGES:
            raise InputError(_SOURCE, "language", f"unknown language {language!r}")
        self.output_dir = Path(output_dir)
        self.language = language
        self.notebook = notebook
        self.parameters = {k: (str(v) if isinstance(v, Path) else v) for k, v in (parameters or {}).items()}
        self._tables: list[_Item] = []
        self._figures: list[_Item] = []
        self._frames: dict[str, pd.DataFrame] = {}
        self._text: list[str] = []
        self._finished = False
        (self.output_dir / "tables").mkdir(parents=True, exist_ok=True)
        (self.output_dir / "figures").mkdir(parents=True, exist_ok=True)
        self._write_manifest(complete=False)

    # -- content -------------------------------------------------------------------------
    def heading(self, text: str, level: int = 2) -> str:
        """Show a Markdown heading (``text`` is escaped)."""
        md = f"{'#' * int(level)} {esc(text)}"
        self._show_markdown(md)
        return md

    def markdown(self, text: str | Narrative) -> str:
        """Show Markdown text (a :class:`~xiqu_analysis.text.Narrative` or a string built by
        :mod:`xiqu_analysis.text`, whose user-supplied parts are already escaped)."""
        md = text.markdown() if isinstance(text, Narrative) else str(text)
        self._show_markdown(md)
        return md

    def _show_markdown(self, md: str) -> None:
        self._text.append(md)
        try:
            from IPython.display import Markdown
        except ImportError:  # pragma: no cover
            return
        _display(Markdown(md))

    def _check_name(self, name: str, kind: list[_Item]) -> None:
        if not _NAME.match(name):
            raise ValueError(f"artifact name {name!r} must match [A-Za-z0-9_-]+")
        if any(item.name == name for item in kind):
            raise ValueError(f"artifact name {name!r} used twice")

    def table(self, df: pd.DataFrame, name: str, caption: str = "", *, show: pd.DataFrame | None = None) -> Path:
        """Show ``df`` as an HTML table (cells escaped) and write ``tables/<name>.csv``.

        ``show``, if given, is what the reader sees instead (e.g. a few years of a long
        table); the CSV and the workbook always hold the whole of ``df``.
        Returns the CSV path.
        """
        self._check_name(name, self._tables)
        frame = df.reset_index(drop=True).copy()
        path = self.output_dir / "tables" / f"{name}.csv"
        _atomic_write_bytes(path, write_csv_bytes(frame))
        self._tables.append(_Item(name, f"tables/{name}.csv", caption))
        self._frames[name] = frame
        try:
            from IPython.display import HTML
        except ImportError:  # pragma: no cover
            HTML = None
        if HTML is not None:
            shown = frame if show is None else show.reset_index(drop=True)
            shown = shown.rename(columns=lambda c: column_header(c, self.language))
            _display(HTML(_html_table(shown, caption)))
        self._write_manifest(complete=False)
        return path

    def figure(self, fig, name: str, caption: str = "") -> Path:
        """Save ``fig`` as ``figures/<name>.png`` (deterministic bytes), show it, close it.

        Returns the PNG path.
        """
        from .plots import png_bytes

        self._check_name(name, self._figures)
        data = png_bytes(fig)
        path = self.output_dir / "figures" / f"{name}.png"
        _atomic_write_bytes(path, data)
        self._figures.append(_Item(name, f"figures/{name}.png", caption))
        try:
            from IPython.display import Image
        except ImportError:  # pragma: no cover
            Image = None
        if Image is not None:
            _display(Image(data=data, format="png"))
        if caption:
            self._show_markdown(f"*{esc(caption)}*")
        fig.clear()
        self._write_manifest(complete=False)
        return path

    # -- outputs -------------------------------------------------------------------------
    @property
    def tables(self) -> list[str]:
        """Names of the tables written so far."""
        return [i.name for i in self._tables]

    @property
    def figures(self) -> list[str]:
        """Names of the figures written so far."""
        return [i.name for i in self._figures]

    def _manifest(self, complete: bool) -> dict[str, Any]:
        """``artifacts.json``: ``tables``/``figures`` are lists of paths relative to the output
        folder (the runner checks each exists, see :func:`xiqu_analysis.runner_report.check_artifacts`)."""
        items = self._tables + self._figures
        return {
            "notebook": self.notebook,
            "language": self.language,
            "parameters": self.parameters,
            "tables": [i.file for i in self._tables],
            "figures": [i.file for i in self._figures],
            "captions": {i.file: i.caption for i in items},
            "text": "text.md" if complete else None,
            "workbook": "tables.xlsx" if complete else None,
            "complete": bool(complete),
        }

    def _write_manifest(self, complete: bool) -> None:
        data = json.dumps(self._manifest(complete), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        _atomic_write_bytes(self.output_dir / "artifacts.json", data.encode("utf-8"))

    def _write_xlsx(self) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        used: set[str] = set()
        for item in self._tables:
            frame = self._frames[item.name]
            sheet = _sheet_name(item.name, used)
            used.add(sheet.lower())
            ws = wb.create_sheet(sheet)
            ws.append([str(c) for c in frame.columns])
            for row in frame.itertuples(index=False):
                ws.append([_cell(v) for v in row])
        if not self._tables:
            wb.create_sheet("empty")
        fixed = pd.Timestamp("2021-08-01").to_pydatetime()  # plan date: no run timestamp in the file
        wb.properties.created = fixed
        wb.properties.modified = fixed
        buf = io.BytesIO()
        wb.save(buf)
        _atomic_write_bytes(self.output_dir / "tables.xlsx", _deterministic_zip(buf.getvalue()))

    def finish(self) -> Path:
        """Write ``text.md``, ``tables.xlsx`` and finally ``artifacts.json`` with ``"complete": true``.

        Returns the path of ``artifacts.json``.
        """
        _atomic_write_bytes(self.output_dir / "text.md", ("\n\n".join(self._text) + "\n").encode("utf-8"))
        self._write_xlsx()
        self._write_manifest(complete=True)
        self._finished = True
        path = self.output_dir / "artifacts.json"
        # The batch runner executes into "<job>.partial" and renames it on success: name the final folder.
        shown = self.output_dir
        if shown.name.endswith(".partial"):
            shown = shown.with_name(shown.name[: -len(".partial")])
        _display_text = t("report.finished", self.language, path=str(shown))
        self._show_markdown(esc(_display_text))
        return path


_FIXED_ZIP_TIME = (2021, 8, 1, 0, 0, 0)  # the plan's date: no run time in the workbook
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite an .xlsx (zip) with fixed entry times and a fixed ``modified`` property.

    openpyxl stamps the save time into every zip entry and into
    ``docProps/core.xml``; without this, identical tables would give
    different workbook bytes.
    """
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _MODIFIED.sub(rb"\g<1>2021-08-01T00:00:00Z\g<2>", payload)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, payload)
    return out.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    base = _XLSX_BAD.sub("_", name)[:31] or "sheet"
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        suffix = f"~{n}"
        candidate = base[: 31 - len(suffix)] + suffix
    return candidate


def _cell(value: Any) -> Any:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    if isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


# =========================================================================== report sections
# One function per section of a notebook: heading, narrative, table(s), figure(s).
# The notebooks call these and hold no arithmetic.
import math  # noqa: E402

from . import plots  # noqa: E402
from . import text as _text  # noqa: E402

#: years of the headline table (base year, end of the plan period, 2035)
HEADLINE_YEARS = (2020, 2025, 2035)
#: projection columns of the headline table and the Quantity kind of each
HEADLINE_COLUMNS = (
    ("gdp_real", "yi"), ("gdp_nominal", "yi"), ("gdp_growth", "pct"), ("secondary_share", "pct"),
    ("tertiary_share", "pct"), ("population", "persons"), ("gdp_per_capita", "yuan"),
    ("urban_income", "yuan"), ("fiscal_revenue", "yi"), ("revenue_to_gdp", "pct"),
)  # fmt: skip
#: Panzhihua city per-capita GDP benchmark: GDP and census population figure ids
BENCHMARK_GDP_ID = "panzhihua.gdp.2020"
BENCHMARK_POPULATION_ID = "panzhihua.resident_population.2020.census"
#: the plan's own per-capita GDP for the base year (shown beside the projection)
REPORTED_PER_CAPITA_ID = "xiqu.gdp_per_capita.2020"


@dataclass(frozen=True)
class Benchmark:
    """Per-capita GDP of the benchmark city (yuan, current prices) with its citation."""

    value_yuan: float
    year: int
    citation: str
    gdp_yi: float
    population_persons: float


def _figure_citation(fig) -> str:
    return f"{fig.id}: {fig.source}"


def panzhihua_benchmark() -> Benchmark:
    """Panzhihua city per-capita GDP 2020 = GDP (亿元 -> yuan) / 7th-census resident population.

    1040.82 亿元 / 1,212,203 persons = 85,862 yuan; both figures from
    ``data/regions/panzhihua/figures.csv`` (see their sources there).
    """
    from .data import figure

    gdp = figure(BENCHMARK_GDP_ID)
    pop = figure(BENCHMARK_POPULATION_ID)
    gdp_yuan = gdp.value_in("元") if hasattr(gdp, "value_in") else float(gdp.value) * 1e8
    persons = pop.value_in("人") if hasattr(pop, "value_in") else float(pop.value)
    return Benchmark(
        value_yuan=gdp_yuan / persons,
        year=int(gdp.year),
        citation=f"{_figure_citation(gdp)} / {_figure_citation(pop)}",
        gdp_yi=float(gdp.value),
        population_persons=persons,
    )


def _reported_per_capita():
    from .data import figure

    try:
        fig = figure(REPORTED_PER_CAPITA_ID)
    except (KeyError, LookupError, InputError):
        return None
    return fig


def headline_table(projection, lang: str = "en", years: Sequence[int] = HEADLINE_YEARS) -> pd.DataFrame:
    """Headline figures in ``years`` (those inside the projection), one row per indicator.

    Columns: indicator, unit, price basis, one column per year, status
    (sourced / assumed: whether projected values depend on an assumption).
    Shares are in per cent.
    """
    from .projection import COLUMN_PRICE_BASIS

    have = [int(y) for y in years if int(y) in set(int(v) for v in projection.table["year"])]
    base = int(projection.table["year"].iloc[0])
    rows = []
    for col, kind in HEADLINE_COLUMNS:
        row = {t("label.indicator", lang): _text.label(col, lang),
               t("label.unit", lang): t(f"unit_name.{kind}", lang),
               t("label.basis", lang): t(f"basis.{COLUMN_PRICE_BASIS.get(col, 'not_applicable')}", lang, year=base)}
        for y in have:
            v = float(projection.table.loc[projection.table["year"] == y, col].iloc[0])
            row[str(y)] = v * 100.0 if col.endswith("_share") else v
        row[t("label.status_projected", lang)] = t("label.assumed" if projection.is_assumed(col) else "label.sourced", lang)
        rows.append(row)
    return pd.DataFrame(rows)


def inputs_table(provenance: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The scenario's provenance table with translated headers and status words."""
    out = provenance[["input", "value", "unit", "status", "citation_or_reason"]].copy()
    out["status"] = [t(f"label.{s}", lang) if s in ("sourced", "assumed") else s for s in out["status"]]
    return out.rename(columns={c: t(f"label.{c}", lang) for c in out.columns})


def _target_label(row: dict, lang: str) -> str:
    name = row.get("label_zh") if lang == "zh" and row.get("label_zh") else row.get("label_en")
    name = name or row.get("indicator") or row.get("id")
    when = row.get("period") or (str(row.get("year")) if row.get("year") is not None and not pd.isna(row.get("year")) else "")
    name = str(name)
    name = name[:1].upper() + name[1:]
    return f"{name} ({when})" if when else name


def target_rows(analysis, lang: str = "en") -> pd.DataFrame:
    """Evaluated plan targets for the narrative: label, projected, target, met, citation, unit, gap."""
    rows = []
    for g in analysis.gaps.to_dict("records"):
        if g["status"] not in ("met", "missed"):
            continue
        rows.append({"label": _target_label(g, lang), "projected": g["projected"], "target": g["target"],
                     "met": bool(g["met"]), "citation": f"{g['id']}: {g['source']}", "unit": g["gap_unit"],
                     "gap": g["gap"], "target_type": g["target_type"]})
    return pd.DataFrame(rows, columns=["label", "projected", "target", "met", "citation", "unit", "gap", "target_type"])


def targets_table(analysis, lang: str = "en") -> pd.DataFrame:
    """Every plan target (evaluated or not) with the projection, gap, status and source."""
    rows = []
    for g in analysis.gaps.to_dict("records"):
        rows.append({
            t("label.target", lang): _target_label(g, lang),
            t("label.value", lang): g["target"],
            t("label.projected", lang): g["projected"],
            t("label.gap", lang): g["gap"],
            t("label.unit", lang): t("unit_name.growth_gap", lang) if g["target_type"] == "growth" else g["unit"],
            t("label.status", lang): t(f"status.{g['status'].replace(' ', '_')}", lang) if g["status"] else "",
            t("label.source", lang): f"{g['source']} 「{g['quote']}」" if g.get("quote") else g["source"],
            t("label.note", lang): "; ".join(x for x in (g.get("mapping_note"), g.get("reason")) if x),
        })
    for ia in analysis.implied_aggregate:
        rows.append({
            t("label.target", lang): t("target.implied", lang, period=ia.period),
            t("label.value", lang): ia.average_pct,
            t("label.projected", lang): ia.scenario_average_pct,
            t("label.gap", lang): ia.scenario_average_pct - ia.average_pct,
            t("label.unit", lang): t("unit_name.growth_gap", lang),
            t("label.status", lang): t("status.implied", lang),
            t("label.source", lang): ", ".join(ia.figure_ids.values()),
            t("label.note", lang): t("target.implied_note", lang),
        })
    d = analysis.doubling
    if d is not None:
        rows.append({
            t("label.target", lang): t("target.doubling", lang, base_year=d.base_year, by_year=d.by_year),
            t("label.value", lang): d.required_pct,
            t("label.projected", lang): d.scenario_average_pct,
            t("label.gap", lang): d.scenario_average_pct - d.required_pct,
            t("label.unit", lang): t("unit_name.growth_gap", lang),
            t("label.status", lang): t("status.met" if d.scenario_average_pct >= d.required_pct - 1e-9 else "status.missed", lang),
            t("label.source", lang): t("target.doubling_source", lang),
            t("label.note", lang): t("target.doubling_note", lang, by_year=d.by_year),
        })
    return pd.DataFrame(rows)


def gap_chart_rows(analysis, lang: str = "en") -> pd.DataFrame:
    """Gaps in percentage points of annual growth: each growth target, the implied aggregate, doubling."""
    rows = []
    for g in analysis.gaps.to_dict("records"):
        if g["status"] in ("met", "missed") and g["target_type"] == "growth":
            rows.append({"label": _target_label(g, lang), "gap": g["gap"]})
    for ia in analysis.implied_aggregate:
        rows.append({"label": t("target.implied", lang, period=ia.period), "gap": ia.scenario_average_pct - ia.average_pct})
    d = analysis.doubling
    if d is not None and not math.isnan(d.scenario_average_pct):
        rows.append({"label": t("target.doubling", lang, base_year=d.base_year, by_year=d.by_year),
                     "gap": d.scenario_average_pct - d.required_pct})
    return pd.DataFrame(rows, columns=["label", "gap"])


def _implied(analysis, provenance: pd.DataFrame):
    """(implied %, status, citation) of the first implied aggregate, or Nones."""
    if not analysis.implied_aggregate:
        return None, "assumed", None
    ia = analysis.implied_aggregate[0]
    shares = provenance[provenance["input"].astype(str).str.startswith("sector_shares")]
    status = "sourced" if len(shares) and (shares["status"] == "sourced").all() else "assumed"
    return ia.average_pct, status, ", ".join(ia.figure_ids.values())


def probability_labels(analysis, lang: str = "en") -> dict[str, str]:
    """Readable names of the targets in the simulation's probability table (figure id -> label)."""
    labels = {g["id"]: _target_label(g, lang) for g in analysis.gaps.to_dict("records")}
    labels["gdp_real_doubles_2020_by_2035"] = t("target.doubling_probability", lang)
    return labels


def probabilities_table(simulation, analysis, lang: str = "en") -> pd.DataFrame:
    """The simulation's probabilities with readable target names."""
    labels = probability_labels(analysis, lang)
    p = simulation.probabilities
    return pd.DataFrame({
        t("label.target", lang): [labels.get(x, x) for x in p["target"]],
        t("label.probability", lang): p["probability"].astype(float),
        t("label.note", lang): p["note"].astype(str),
    })


# --------------------------------------------------------------------------- scenario_report sections
def section_intro(rep: Report, scenario) -> None:
    """Title and the scenario's own description (escaped)."""
    rep.heading(t("heading.scenario_report", rep.language, title=scenario.title), level=1)
    rep.markdown(_text.scenario_intro(scenario, rep.language))


def section_headline(rep: Report, projection, analysis) -> None:
    """Headline table (2020, 2025, 2035) and the growth narrative."""
    lang = rep.language
    rep.heading(t("heading.headline", lang))
    implied, status, cite = _implied(analysis, projection.scenario.provenance())
    rep.markdown(_text.growth_narrative(projection, lang, implied_pct=implied, implied_citation=cite,
                                        implied_status=status))
    years = [y for y in HEADLINE_YEARS if y in set(int(v) for v in projection.table["year"])]
    rep.table(headline_table(projection, lang), "headline",
              t("caption.headline", lang, years=", ".join(str(y) for y in years)))


def section_gdp(rep: Report, projection) -> None:
    lang = rep.language
    rep.heading(t("heading.gdp", lang))
    rep.figure(plots.gdp_paths(projection.table, lang, projection.assumed_columns), "gdp_paths",
               t("caption.gdp_paths", lang, year=projection.base_year))


def section_structure(rep: Report, projection) -> None:
    lang = rep.language
    rep.heading(t("heading.structure", lang))
    rep.markdown(_text.structure_narrative(projection, lang, year1=2025))
    rep.figure(plots.sector_structure(projection.table, lang, projection.assumed_columns), "sector_structure",
               t("caption.sector_structure", lang))
    rep.heading(t("heading.contributions", lang), level=3)
    rep.figure(plots.contributions(projection.table, lang, projection.assumed_columns), "contributions",
               t("caption.contributions", lang))


def section_per_capita(rep: Report, projection) -> None:
    lang = rep.language
    rep.heading(t("heading.per_capita", lang))
    bench = panzhihua_benchmark()
    fig = _reported_per_capita()
    reported = None
    reported_points = None
    if fig is not None and int(fig.year) == projection.base_year:
        reported = _text.sourced(float(fig.value), "yuan", _figure_citation(fig))
        reported_points = {int(fig.year): float(fig.value)}
    rep.markdown(_text.per_capita_narrative(projection, bench, lang, reported=reported))
    rep.figure(plots.per_capita_vs_benchmark(projection.table, bench.value_yuan, bench.year, lang,
                                             projection.assumed_columns, reported=reported_points),
               "per_capita", t("caption.per_capita", lang, year=bench.year))


def section_income_revenue(rep: Report, projection) -> None:
    lang = rep.language
    rep.heading(t("heading.income_revenue", lang))
    rep.markdown(_text.income_revenue_narrative(projection, lang))
    rep.figure(plots.income_and_revenue(projection.table, lang, projection.assumed_columns), "income_revenue",
               t("caption.income_revenue", lang))


def section_targets(rep: Report, analysis) -> None:
    lang = rep.language
    rep.heading(t("heading.targets", lang))
    rep.markdown(_text.targets_narrative(target_rows(analysis, lang), lang))
    rep.table(targets_table(analysis, lang), "targets", t("caption.target_table", lang))
    rows = gap_chart_rows(analysis, lang)
    if len(rows):
        rep.figure(plots.target_gaps(rows, lang, unit_label=t("plot.target_gaps.unit", lang)), "target_gaps",
                   t("caption.target_gaps", lang))


#: simulated indicators that get a fan chart
FAN_INDICATORS = ("gdp_real", "gdp_per_capita", "fiscal_revenue")


def section_uncertainty(rep: Report, simulation, projection, analysis) -> None:
    lang = rep.language
    rep.heading(t("heading.uncertainty", lang))
    rep.markdown(_text.uncertainty_narrative(simulation.percentiles, simulation.probabilities, lang,
                                             n_paths=simulation.n_paths, seed=simulation.seed,
                                             labels=probability_labels(analysis, lang)))
    d = analysis.doubling
    for ind in FAN_INDICATORS:
        target = None
        if ind == "gdp_real" and d is not None and d.by_year <= projection.end_year:
            target = (d.by_year, 2.0 * d.base_value, t("plot.fan.doubling", lang, year0=d.base_year, year=d.by_year))
        rep.figure(plots.fan_chart(simulation.percentiles, ind, lang, deterministic=projection.table, target=target),
                   f"fan_{ind}", t("caption.fan", lang, name=_text.label(ind, lang), n=_text.fmt_number(simulation.n_paths),
                                   seed=simulation.seed))
    rep.table(probabilities_table(simulation, analysis, lang), "probabilities",
              t("caption.probabilities", lang, n=_text.fmt_number(simulation.n_paths)))
    pct = simulation.percentiles
    shown_years = sorted({int(pct["year"].min()), *[y for y in HEADLINE_YEARS if y in set(pct["year"])],
                          int(pct["year"].max())})
    rep.table(pct, "percentiles", t("caption.percentiles", lang, years=", ".join(map(str, shown_years))),
              show=pct[pct["year"].isin(shown_years)])


def tornado_rows(sens: pd.DataFrame, output: str = "gdp_real", year: int | None = None) -> tuple[pd.DataFrame, int]:
    """Rows of a sensitivity table for one output and year (default: the last year), with a ``label``."""
    data = sens[sens["output"] == output] if "output" in sens else sens
    if "year" in data and len(data):
        year = int(year) if year is not None and int(year) in set(data["year"]) else int(data["year"].max())
        data = data[data["year"] == year]
    data = data.copy()
    if "label" not in data:
        unit = data["unit_of_step"].astype(str) if "unit_of_step" in data else ""
        step = data["step"].map(lambda x: f"{float(x):g}") if "step" in data else ""
        data["label"] = data["input"].astype(str) + " ± " + step + " " + unit if "step" in data else data["input"].astype(str)
    swing = (data["high"] - data["low"]).abs()
    data = data[swing.notna() & (swing > 0)]  # inputs that do not move this output are left out of the chart
    return data.reset_index(drop=True), year


def section_sensitivity(rep: Report, sens: pd.DataFrame, output: str = "gdp_real", year: int | None = None) -> None:
    lang = rep.language
    rep.heading(t("heading.sensitivity", lang))
    rows, year = tornado_rows(sens, output, year)
    name = _text.label(output, lang)
    rep.markdown(_text.sensitivity_narrative(rows, lang, output_label=_text.mid_sentence(name, lang), year=year))
    if len(rows):
        rep.figure(plots.tornado(rows, lang, unit_label=f"{name}, {year} ({t('plot.unit_yi', lang)})"), "tornado",
                   t("caption.tornado", lang, output=name, year=year))
    shown = rows.drop(columns=[c for c in ("label", "output", "unit", "year") if c in rows])
    rep.table(sens, "sensitivity", t("caption.sensitivity_table", lang, output=_text.mid_sentence(name, lang),
                                     year=year, end=int(sens["year"].max()) if "year" in sens and len(sens) else year),
              show=shown)


def section_inputs(rep: Report, scenario) -> None:
    lang = rep.language
    rep.heading(t("heading.inputs", lang))
    prov = scenario.provenance()
    rep.markdown(_text.inputs_narrative(prov, lang))
    rep.table(inputs_table(prov, lang), "inputs", t("caption.inputs", lang))


# --------------------------------------------------------------------------- scenario_comparison sections
#: columns overlaid in the comparison charts
COMPARISON_COLUMNS = ("gdp_real", "gdp_nominal", "gdp_per_capita", "fiscal_revenue")


@dataclass(frozen=True)
class Compared:
    """One scenario of a comparison: the scenario, its projection and target analysis."""

    scenario: Any
    projection: Any
    analysis: Any


def compare_scenarios(paths: Sequence[os.PathLike | str]) -> list[Compared]:
    """Load, project and analyse each scenario file (in the order given)."""
    from .projection import project
    from .scenario import load_scenario
    from .targets import analyse_targets

    out = []
    for path in paths:
        scenario = load_scenario(path)
        projection = project(scenario)
        out.append(Compared(scenario, projection, analyse_targets(scenario, result=projection)))
    return out


def _display_names(compared: Sequence[Compared]) -> list[str]:
    names = [str(c.scenario.name) for c in compared]
    return [f"{n} ({i + 1})" if names.count(n) > 1 else n for i, n in enumerate(names)]


def comparison_table(compared: Sequence[Compared], lang: str = "en", years: Sequence[int] = (2025, 2035)) -> pd.DataFrame:
    """Key results of each scenario: one row per scenario."""
    rows = []
    for name, c in zip(_display_names(compared), compared):
        p = c.projection
        row = {t("label.scenario", lang): name, t("label.title", lang): str(c.scenario.title)}
        for col in ("gdp_real", "gdp_per_capita", "fiscal_revenue"):
            for y in years:
                if y in set(int(v) for v in p.table["year"]):
                    row[f"{_text.label(col, lang)} {y}"] = p.at(y, col)
        rows_met = target_rows(c.analysis, lang)
        row[t("label.targets_met", lang)] = f"{int(rows_met['met'].sum())}/{len(rows_met)}"
        d = c.analysis.doubling
        row[t("label.doubling_year", lang)] = d.year if d is not None and d.year is not None else None
        rows.append(row)
    return pd.DataFrame(rows)


def comparison_gap_rows(compared: Sequence[Compared], lang: str = "en") -> pd.DataFrame:
    """Gap rows (pp of annual growth) of every scenario, with a ``scenario`` column."""
    frames = []
    for name, c in zip(_display_names(compared), compared):
        rows = gap_chart_rows(c.analysis, lang)
        rows.insert(0, "scenario", name)
        frames.append(rows)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["scenario", "label", "gap"])


def section_comparison(rep: Report, compared: Sequence[Compared]) -> None:
    """Intro, narrative and the side-by-side table."""
    lang = rep.language
    rep.heading(t("heading.comparison", lang), level=1)
    names = _display_names(compared)
    rep.markdown(_text.comparison_narrative({n: c.projection for n, c in zip(names, compared)}, lang))
    rep.markdown("\n".join(f"- **{esc(n)}**: {esc(c.scenario.title)}" for n, c in zip(names, compared)))
    rep.heading(t("heading.comparison_table", lang))
    rep.table(comparison_table(compared, lang), "comparison", t("caption.comparison_table", lang))


def section_comparison_charts(rep: Report, compared: Sequence[Compared]) -> None:
    lang = rep.language
    rep.heading(t("heading.comparison_charts", lang))
    tables = {n: c.projection.table for n, c in zip(_display_names(compared), compared)}
    rep.figure(plots.comparison_lines(tables, COMPARISON_COLUMNS, lang), "comparison_paths",
               t("caption.comparison_lines", lang))


def section_comparison_gaps(rep: Report, compared: Sequence[Compared]) -> None:
    lang = rep.language
    rep.heading(t("heading.comparison_gaps", lang))
    rows = comparison_gap_rows(compared, lang)
    if len(rows):
        rep.figure(plots.comparison_gaps(rows, lang), "comparison_gaps", t("caption.comparison_gaps", lang))
    rep.table(rows.rename(columns={"scenario": t("label.scenario", lang), "label": t("label.target", lang),
                                   "gap": t("label.gap_pp", lang)}), "comparison_gaps", t("caption.comparison_gaps", lang))


# --------------------------------------------------------------------------- data_audit sections
#: audit check names explained in the report (keys of ``audit_check.<name>`` in the locale)
AUDIT_CHECKS = ("growth_from_levels", "growth_from_stated_change", "per_capita", "same_figure_other_source", "benchmark")
AUDIT_VERDICTS = ("consistent", "inconsistent", "not_checkable", "not_comparable", "context")


def _audit_text(prefix: str, name: str, lang: str) -> str:
    """Explanation of an audit check or verdict; a name the locale does not know yet is shown as is."""
    key = f"{prefix}.{name}"
    return t(key, lang) if _text.has_key(key, "en") else t("audit_check_unknown", lang, name=name)


def section_audit(rep: Report, region: str, audit: pd.DataFrame) -> None:
    """The audit explained: checks, verdict counts, inconsistencies, full table."""
    from .audit import VERDICTS

    lang = rep.language
    checks_seen = list(dict.fromkeys([*AUDIT_CHECKS, *audit["check"].astype(str)]))
    verdicts_seen = list(dict.fromkeys([*VERDICTS, *audit["verdict"].astype(str)]))
    rep.heading(t("heading.audit", lang, region=region), level=1)
    rep.markdown(_text.audit_narrative(audit, lang, region=region))
    rep.heading(t("heading.audit_checks", lang))
    checks = pd.DataFrame({t("label.check", lang): checks_seen,
                           t("label.meaning", lang): [_audit_text("audit_check", c, lang) for c in checks_seen],
                           t("label.count", lang): [int((audit["check"] == c).sum()) for c in checks_seen]})
    rep.table(checks, "audit_checks", t("caption.audit_checks", lang))
    verdicts = pd.DataFrame({t("label.verdict", lang): verdicts_seen,
                             t("label.meaning", lang): [_audit_text("audit_verdict", v, lang) for v in verdicts_seen],
                             t("label.count", lang): [int((audit["verdict"] == v).sum()) for v in verdicts_seen]})
    rep.heading(t("heading.audit_verdicts", lang))
    rep.table(verdicts, "audit_verdicts", t("caption.audit_verdicts", lang))
    rep.heading(t("heading.audit_findings", lang))
    bad = audit[audit["verdict"] == "inconsistent"]
    cols = [c for c in ("indicator", "year", "stated", "recomputed", "difference", "unit", "explanation", "sources")
            if c in audit.columns]
    rep.markdown(_text.audit_findings_narrative(bad, lang))
    rep.table(bad[cols], "audit_inconsistent", t("caption.audit_findings", lang))
    rep.table(audit, "audit", t("caption.audit_all", lang))
