"""The ``Report`` helper the notebooks use to show and save tables and figures.

A notebook creates ``Report(output_dir, language)``; each section then calls
:meth:`Report.heading`, :meth:`Report.markdown`, :meth:`Report.table` and
:meth:`Report.figure`. Everything shown is also written to ``output_dir``::

    tables/<name>.csv      one CSV per table (UTF-8, stable float format,
                           byte-identical for identical inputs)
    figures/<name>.png     one PNG per figure (no timestamps)
    text.md                every paragraph of report text, in order
    tables.xlsx            every table, one sheet each (written by finish())
    artifacts.json         {"tables": [...], "figures": [...], "complete": ...}

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd

from . import config
from .errors import InputError
from .text import LANGUAGES, Narrative, esc, t

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
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


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
    ``../scenarios/x.yaml`` works whatever the working directory); in the
    scenarios folder by file name; ``<scenarios>/<value>.yaml``.

    Raises
    ------
    InputError
        If no file is found.
    """
    _check_str(field_name, value, allow_empty=False)
    raw = Path(value).expanduser()
    candidates = [raw]
    if not raw.is_absolute():
        candidates += [config.notebook_dir() / raw, config.scenario_dir() / raw.name]
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

    ``n_paths`` must be 100..1,000,000 simulated paths; ``seed`` a
    non-negative integer below 2**63.
    """
    path = resolve_scenario_path(scenario_path)
    return ReportParameters(
        scenario_path=path,
        output_dir=_output("scenario_report", output_dir, path.stem),
        language=_check_language(language),
        n_paths=_check_int("n_paths", n_paths, 100, 1_000_000),
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
        return f"{x:,.2f}" if abs(x) < 1e15 else f"{x:.4g}"

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

    def table(self, df: pd.DataFrame, name: str, caption: str = "") -> Path:
        """Show ``df`` as an HTML table (cells escaped) and write ``tables/<name>.csv``.

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
            _display(HTML(_html_table(frame, caption)))
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
        return {
            "notebook": self.notebook,
            "language": self.language,
            "parameters": self.parameters,
            "tables": [vars(i) for i in self._tables],
            "figures": [vars(i) for i in self._figures],
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
        _atomic_write_bytes(self.output_dir / "tables.xlsx", buf.getvalue())

    def finish(self) -> Path:
        """Write ``text.md``, ``tables.xlsx`` and finally ``artifacts.json`` with ``"complete": true``.

        Returns the path of ``artifacts.json``.
        """
        _atomic_write_bytes(self.output_dir / "text.md", ("\n\n".join(self._text) + "\n").encode("utf-8"))
        self._write_xlsx()
        self._write_manifest(complete=True)
        self._finished = True
        path = self.output_dir / "artifacts.json"
        _display_text = t("report.finished", self.language, path=str(self.output_dir))
        self._show_markdown(esc(_display_text))
        return path


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
