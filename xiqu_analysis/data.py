"""Load and validate the sourced tables under ``data/``.

Every figure the package uses is a row of ``data/regions/<region>/figures.csv``
with its unit, price basis, kind, source, quote and trust level (format:
ARCHITECTURE.md and ``data/README.md``). This module reads those tables,
checks them and returns them as pandas DataFrames or frozen records.

Validation happens on every load and stops at the first problem with an
:class:`~xiqu_analysis.errors.InputError` whose field is ``row N, column C``,
where N is the line number in the file (the header is line 1), so a user can
go straight to the cell. :func:`validate_table` is the reusable part: other
modules use it for user-supplied CSV files (bulletin series, actuals).

The functions are pure: nothing is cached, each call reads the files again
(the tables are a few kB), so an edited file is always seen.

Units: values stay in the unit written in the file (亿元, 万人, 元, %, ...);
:meth:`Figure.value_in` and :mod:`xiqu_analysis.units` convert.
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import math
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import pandas as pd
import yaml

from . import config
from .errors import InputError
from .units import KNOWN_UNITS, UNIT_FACTORS, convert

__all__ = [
    "Column",
    "FIGURE_COLUMNS",
    "PROJECT_COLUMNS",
    "INDICATOR_COLUMNS",
    "KINDS",
    "PRICE_BASES",
    "TRUST_LEVELS",
    "Figure",
    "Region",
    "read_csv_table",
    "validate_table",
    "load_figures",
    "load_all_figures",
    "load_projects",
    "load_region",
    "load_indicators",
    "list_regions",
    "figure",
    "figures_from_frame",
    "project_investment_total",
    "data_files",
    "file_hashes",
]

#: what a figure is: a measured level or rate, a goal, an average or a
#: cumulative change stated over a period, a census count, an estimate.
KINDS = ("actual", "target", "stated_average", "stated_change", "census", "estimate")
#: ``current``: current prices (levels, nominal rates); ``comparable``: constant
#: (real) prices; ``not_applicable``: persons, areas, shares of counts, ...
PRICE_BASES = ("current", "comparable", "not_applicable")
#: from the plan itself (``primary``) to weak copies (``low``)
TRUST_LEVELS = ("primary", "high", "medium-high", "medium", "medium-low", "low-medium", "low")
#: base units an indicator's ``unit_family`` may name
UNIT_FAMILIES = tuple(sorted({base for base, _ in UNIT_FACTORS.values()}))

_YEAR_MIN, _YEAR_MAX = 1900, 2100
_PERIOD_RE = re.compile(r"^(\d{4})-(\d{4})$")
_SNAKE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_REGION_RE = re.compile(r"^[a-z][a-z0-9_]*$")


# --------------------------------------------------------------------------
# generic table validation
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """Specification of one column of a CSV table.

    Parameters
    ----------
    dtype : {"str", "int", "float", "bool"}
        Type the text is converted to. ``int`` columns that may be empty become
        pandas ``Int64``; empty ``float`` cells become NaN; ``bool`` accepts
        true/false/yes/no/1/0 (any case).
    required : bool
        The column must be present in the header.
    nullable : bool
        Cells may be empty.
    choices : tuple of str, optional
        Allowed values (after stripping).
    pattern : str, optional
        Regular expression the whole (non-empty) cell must match.
    minimum, maximum : float, optional
        Inclusive bounds for numeric columns.
    check : callable, optional
        ``check(value) -> str | None`` on the converted non-empty value; a
        returned string is the problem.
    """

    dtype: str = "str"
    required: bool = True
    nullable: bool = False
    choices: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    check: Callable[[Any], str | None] | None = None


_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


def read_csv_table(path: str | Path) -> pd.DataFrame:
    """Read a UTF-8 CSV file as text, keeping each row's line number.

    Every cell is a ``str`` (empty cells are ``""``, nothing becomes NaN), the
    header is stripped of spaces and a BOM, and the column ``_line`` holds the
    line in the file where the row starts (the header is line 1), so that
    errors can point at the exact cell even when quoted cells hold line breaks.

    Raises
    ------
    InputError
        The file is missing, not UTF-8, empty, has duplicate or empty column
        names, or a row with more cells than the header.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(path, None, "empty file: expected a header row") from None
    except csv.Error as exc:
        raise InputError(path, "row 1", f"cannot parse CSV: {exc}") from None
    header = [h.strip() for h in header]
    for i, name in enumerate(header, start=1):
        if not name:
            raise InputError(path, "row 1", f"column {i} of the header has no name")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise InputError(path, "row 1", f"duplicate column name(s): {', '.join(dupes)}")
    records: list[list[str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(path, f"row {start}", f"cannot parse CSV: {exc}") from None
        if not row or all(not c.strip() for c in row):  # blank line
            start = reader.line_num + 1
            continue
        if len(row) > len(header):
            raise InputError(
                path,
                f"row {start}",
                f"{len(row)} cells but the header has {len(header)} columns "
                "(a comma inside a cell needs double quotes)",
            )
        row = row + [""] * (len(header) - len(row))
        records.append(row)
        lines.append(start)
        start = reader.line_num + 1
    df = pd.DataFrame(records, columns=header, dtype=object) if records else pd.DataFrame(
        {h: pd.Series([], dtype=object) for h in header}
    )
    df["_line"] = lines
    return df


class _Row(dict):
    """A record whose keys read as attributes (``row.id``, ``row._line``)."""

    __getattr__ = dict.__getitem__


def _fail(path, line, column, problem):
    raise InputError(path, f"row {line}, column {column}", problem)


def validate_table(
    df: pd.DataFrame,
    spec: Mapping[str, Column],
    path: str | Path,
    *,
    allow_extra: bool = False,
) -> pd.DataFrame:
    """Check a text table against ``spec`` and convert its columns.

    Parameters
    ----------
    df : DataFrame
        Text cells as read by :func:`read_csv_table` (a ``_line`` column with
        file line numbers is used for messages; without it row N is the
        0-based position + 2, as for a file with a one-line header).
    spec : mapping of column name -> :class:`Column`
        Column order of the result follows ``spec``; extra columns follow.
    path : str or Path
        File named in error messages.
    allow_extra : bool
        Accept columns not in ``spec`` (kept as text).

    Returns
    -------
    DataFrame
        A new frame with converted columns (``str``, ``int``/``Int64``,
        ``float64``, ``bool``), optional missing columns added as empty, and
        the ``_line`` column kept last.

    Raises
    ------
    InputError
        First problem found, as ``<path>: field 'row N, column C': <problem>``
        (or ``field 'column C'`` for a missing column).
    """
    df = df.copy()
    if "_line" not in df.columns:
        df["_line"] = list(range(2, len(df) + 2))
    present = [c for c in df.columns if c != "_line"]
    missing = [name for name, col in spec.items() if col.required and name not in present]
    if missing:
        raise InputError(
            path, f"column {missing[0]}",
            f"required column missing (header has: {', '.join(present) or 'nothing'}; "
            f"missing: {', '.join(missing)})",
        )
    extra = [c for c in present if c not in spec]
    if extra and not allow_extra:
        hint = difflib.get_close_matches(extra[0], list(spec), n=1)
        raise InputError(
            path, f"column {extra[0]}",
            "unknown column" + (f" (did you mean '{hint[0]}'?)" if hint else "")
            + f"; allowed: {', '.join(spec)}",
        )
    out: dict[str, Any] = {}
    lines = [int(x) for x in df["_line"]]
    for name, col in spec.items():
        if name in df.columns:
            cells = ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip()
                     for v in df[name].tolist()]
        else:
            cells = [""] * len(df)
        values: list[Any] = []
        for line, cell in zip(lines, cells):
            if cell == "":
                if not col.nullable:
                    _fail(path, line, name, "empty cell: a value is required")
                values.append(None)
                continue
            value = _convert_cell(path, line, name, col, cell)
            values.append(value)
        out[name] = _to_series(values, col.dtype, df.index)
    for name in extra:
        out[name] = df[name].astype(object).where(df[name].notna(), "").astype(str)
    out["_line"] = pd.Series(lines, index=df.index, dtype="int64")
    return pd.DataFrame(out, index=df.index).reset_index(drop=True)


def _convert_cell(path, line, name, col: Column, cell: str):
    if col.dtype == "str":
        value: Any = cell
    elif col.dtype == "int":
        if not re.fullmatch(r"[+-]?\d+", cell):
            _fail(path, line, name, f"expected a whole number, got {cell!r}")
        value = int(cell)
    elif col.dtype == "float":
        try:
            value = float(cell.replace("_", "x"))  # no 1_000 forms
        except ValueError:
            _fail(path, line, name, f"expected a number, got {cell!r}")
        if not math.isfinite(value):
            _fail(path, line, name, f"expected a finite number, got {cell!r}")
    elif col.dtype == "bool":
        low = cell.lower()
        if low not in _TRUE | _FALSE:
            _fail(path, line, name, f"expected true or false, got {cell!r}")
        value = low in _TRUE
    else:  # pragma: no cover - programming error in a spec
        raise ValueError(f"unknown dtype {col.dtype!r}")
    if col.choices is not None and str(cell) not in col.choices:
        hint = difflib.get_close_matches(cell, list(col.choices), n=1)
        _fail(path, line, name, f"{cell!r} is not allowed"
              + (f" (did you mean {hint[0]!r}?)" if hint else "")
              + f"; allowed: {', '.join(col.choices)}")
    if col.pattern is not None and not re.fullmatch(col.pattern, cell):
        _fail(path, line, name, f"{cell!r} does not match the pattern {col.pattern}")
    if col.minimum is not None and value < col.minimum:
        _fail(path, line, name, f"{cell} is below the minimum {col.minimum:g}")
    if col.maximum is not None and value > col.maximum:
        _fail(path, line, name, f"{cell} is above the maximum {col.maximum:g}")
    if col.check is not None:
        problem = col.check(value)
        if problem:
            _fail(path, line, name, problem)
    return value


def _to_series(values: list, dtype: str, index) -> pd.Series:
    if dtype == "int":
        if any(v is None for v in values):
            return pd.Series(values, index=index, dtype="Int64")
        return pd.Series(values, index=index, dtype="int64")
    if dtype == "float":
        return pd.Series([math.nan if v is None else v for v in values], index=index, dtype="float64")
    if dtype == "bool":
        return pd.Series([bool(v) for v in values], index=index, dtype="bool")
    return pd.Series(["" if v is None else v for v in values], index=index, dtype=object)


# --------------------------------------------------------------------------
# table specifications
# --------------------------------------------------------------------------
def _unit_check(unit: str) -> str | None:
    if unit in KNOWN_UNITS:
        return None
    hint = difflib.get_close_matches(unit, sorted(KNOWN_UNITS), n=1)
    return (f"unknown unit {unit!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
            + f"; known units: {', '.join(sorted(KNOWN_UNITS))}")


def _period_check(text: str) -> str | None:
    m = _PERIOD_RE.match(text)
    if not m:
        return f"period must be YYYY-YYYY (e.g. 2016-2020), got {text!r}"
    a, b = int(m.group(1)), int(m.group(2))
    if not (_YEAR_MIN <= a <= _YEAR_MAX and _YEAR_MIN <= b <= _YEAR_MAX):
        return f"period {text!r} outside {_YEAR_MIN}-{_YEAR_MAX}"
    if a > b:
        return f"period {text!r} ends before it starts"
    return None


FIGURE_COLUMNS: dict[str, Column] = {
    "id": Column(pattern=r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.\d{4}(-\d{4})?(\.[A-Za-z0-9_-]+)?"),
    "indicator": Column(pattern=_SNAKE_RE.pattern[1:-1]),
    "region": Column(pattern=_REGION_RE.pattern[1:-1]),
    "year": Column("int", nullable=True, minimum=_YEAR_MIN, maximum=_YEAR_MAX),
    "period": Column(nullable=True, check=_period_check),
    "value": Column("float"),
    "unit": Column(check=_unit_check),
    "price_basis": Column(choices=PRICE_BASES),
    "kind": Column(choices=KINDS),
    "source": Column(),
    "quote": Column(),
    "trust": Column(choices=TRUST_LEVELS),
    "note": Column(nullable=True),
}
"""Columns of ``figures.csv`` (ARCHITECTURE.md, data/)."""

INDICATOR_COLUMNS: dict[str, Column] = {
    "indicator": Column(pattern=_SNAKE_RE.pattern[1:-1]),
    "label_en": Column(),
    "label_zh": Column(),
    "unit_family": Column(choices=UNIT_FAMILIES),
    "level_of": Column(nullable=True, pattern=_SNAKE_RE.pattern[1:-1]),
    "per_capita_of": Column(nullable=True, pattern=_SNAKE_RE.pattern[1:-1]),
    "population_like": Column("bool"),
    "projection_column": Column(nullable=True, pattern=r"[a-z][a-z0-9_]*"),
    "mapping_note": Column(nullable=True),
}
"""Columns of ``data/indicators.csv``."""


def _optional_unit(unit: str) -> str | None:
    return _unit_check(unit)


PROJECT_COLUMNS: dict[str, Column] = {
    "id": Column(pattern=r"[A-Za-z0-9_.-]+"),
    "name": Column(),
    "column": Column(pattern=r"专栏\d+"),
    "theme": Column(),
    "total_investment": Column("float", nullable=True, minimum=0),
    "investment_unit": Column(nullable=True, check=_optional_unit),
    "area": Column("float", nullable=True, minimum=0),
    "area_unit": Column(nullable=True, check=_optional_unit),
    "capacity": Column("float", nullable=True, minimum=0),
    "capacity_unit": Column(nullable=True, check=_optional_unit),
    "output_value": Column("float", nullable=True, minimum=0),
    "output_unit": Column(nullable=True, check=_optional_unit),
    "source": Column(),
    "quote": Column(),
    "note": Column(nullable=True),
    "duplicate_of": Column(required=False, nullable=True),
}
"""Columns of ``projects.csv``; ``duplicate_of`` (optional) names the row a
project repeats, so that totals count it once."""


# --------------------------------------------------------------------------
# records
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """One sourced figure (a row of ``figures.csv``).

    ``value`` is in ``unit`` (亿元, 万人, 元, %, ...). ``year`` is set for a
    point in time, ``period`` ("2016-2020": growth years, i.e. from 2015 to
    2020) for averages, changes and multi-year targets; exactly one is set.
    ``decimals`` is the number of decimals written in the file (its stated
    precision: half a unit of the last digit is the rounding).
    """

    id: str
    indicator: str
    region: str
    year: int | None
    period: str | None
    value: float
    unit: str
    price_basis: str
    kind: str
    source: str
    quote: str
    trust: str
    note: str = ""
    decimals: int = 0

    def value_in(self, unit: str) -> float:
        """The value converted to ``unit`` (``value_in("元")`` of 82.91 亿元 is 8.291e9).

        Raises
        ------
        ValueError
            ``unit`` is unknown or of another base (yuan vs persons).
        """
        if unit not in UNIT_FACTORS:
            raise ValueError(f"unknown unit {unit!r}; known units: {', '.join(sorted(KNOWN_UNITS))}")
        return convert(self.value, self.unit, unit)

    @property
    def rounding(self) -> float:
        """Half a unit of the last stated digit, in ``unit`` (82.91 -> 0.005)."""
        return 0.5 * 10.0 ** (-self.decimals)

    @property
    def years(self) -> tuple[int, int]:
        """First and last year covered: ``(2020, 2020)`` or ``(2016, 2020)`` for a period."""
        if self.period:
            a, b = self.period.split("-")
            return int(a), int(b)
        assert self.year is not None
        return int(self.year), int(self.year)

    @property
    def when(self) -> str:
        """The year or the period as text."""
        return self.period if self.period else str(self.year)


@dataclass(frozen=True)
class Region:
    """A region's ``region.yaml``: key, statistical code, names, parent,
    benchmark region (compared in the audit) and base year."""

    key: str
    code: str
    name_en: str
    name_zh: str
    parent: str | None
    benchmark_region: str | None
    base_year: int


# --------------------------------------------------------------------------
# loaders
# --------------------------------------------------------------------------
def _root(data_dir: str | Path | None) -> Path:
    return Path(data_dir) if data_dir is not None else config.data_dir()


def list_regions(data_dir: str | Path | None = None) -> list[str]:
    """Region keys: folders of ``data/regions/`` holding a ``figures.csv``, sorted."""
    base = _root(data_dir) / "regions"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / "figures.csv").is_file())


def _decimals(text: str) -> int:
    text = text.strip().lower()
    mantissa, _, exp = text.partition("e")
    dec = len(mantissa.split(".", 1)[1]) if "." in mantissa else 0
    return dec - int(exp or 0)


def load_indicators(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The data dictionary ``data/indicators.csv``, validated.

    Checks: columns, unique snake_case names, ``unit_family`` a base unit of
    :mod:`xiqu_analysis.units`, ``level_of``/``per_capita_of`` naming defined
    indicators, ``population_like`` boolean. Returns one row per indicator
    (index 0..n-1) plus ``_line``.
    """
    path = _root(data_dir) / "indicators.csv"
    df = validate_table(read_csv_table(path), INDICATOR_COLUMNS, path)
    seen: dict[str, int] = {}
    for line, name in zip(df["_line"], df["indicator"]):
        if name in seen:
            _fail(path, line, "indicator", f"duplicate indicator {name!r} (first on row {seen[name]})")
        seen[name] = line
    for col in ("level_of", "per_capita_of"):
        for line, name, ref in zip(df["_line"], df["indicator"], df[col]):
            if ref and ref not in seen:
                _fail(path, line, col, f"{ref!r} is not an indicator defined in this file")
            if ref == name:
                _fail(path, line, col, f"{name!r} cannot refer to itself")
    families = dict(zip(df["indicator"], df["unit_family"]))
    for line, name, level, agg in zip(df["_line"], df["indicator"], df["level_of"], df["per_capita_of"]):
        if level and families[name] != "percent":
            _fail(path, line, "unit_family", f"{name!r} states the growth of {level!r}, so its unit family "
                  f"must be percent, not {families[name]!r}")
        if agg and families[name] != families[agg]:
            _fail(path, line, "unit_family", f"{name!r} is per capita of {agg!r}: unit family "
                  f"{families[name]!r} differs from {families[agg]!r}")
    return df


def load_figures(region: str = config.DEFAULT_REGION, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Validated ``data/regions/<region>/figures.csv``.

    Parameters
    ----------
    region : str
        Folder name under ``data/regions/`` (default ``"xiqu"``).
    data_dir : path, optional
        Data folder; default :func:`xiqu_analysis.config.data_dir` (env
        ``XIQU_DATA_DIR``).

    Returns
    -------
    DataFrame
        Columns of :data:`FIGURE_COLUMNS` (``year`` as ``Int64``, ``value``
        float in ``unit``; empty ``period``/``note`` are ``""``), then
        ``decimals`` (decimals written in the file) and ``_line``.

    Raises
    ------
    InputError
        ``<file>: field 'row N, column C': <problem>`` for missing columns,
        bad types, unknown units, kinds, price bases or trust levels,
        duplicate ids, both or neither of year and period, a bad period, an
        indicator not defined in ``data/indicators.csv``, a unit not of the
        indicator's unit family, a region other than the folder, or an id not
        of the form ``<region>.<indicator>.<year or period>[.<qualifier>]``.
    """
    root = _root(data_dir)
    if not _REGION_RE.match(region or ""):
        raise InputError("command line" , "region", f"bad region key {region!r}")
    path = root / "regions" / region / "figures.csv"
    if not path.is_file():
        known = list_regions(root)
        raise InputError(path, None, f"no figures for region {region!r}; known regions: "
                         f"{', '.join(known) or 'none'}")
    indicators = load_indicators(root)
    families = dict(zip(indicators["indicator"], indicators["unit_family"]))
    raw = read_csv_table(path)
    df = validate_table(raw, FIGURE_COLUMNS, path)
    decimals = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(df.to_dict("records")):
        row = _Row(rec)
        line = row._line
        has_year = not pd.isna(row.year)
        if has_year == bool(row.period):
            _fail(path, line, "year" if not has_year else "period",
                  "give exactly one of year and period" + (" (both are set)" if has_year else " (both are empty)"))
        if row.id in seen:
            _fail(path, line, "id", f"duplicate id {row.id!r} (first on row {seen[row.id]})")
        seen[row.id] = line
        if row.region != region:
            _fail(path, line, "region", f"{row.region!r} in the file of region {region!r}")
        if row.indicator not in families:
            hint = difflib.get_close_matches(row.indicator, list(families), n=1)
            _fail(path, line, "indicator", f"{row.indicator!r} is not defined in data/indicators.csv"
                  + (f" (did you mean {hint[0]!r}?)" if hint else ""))
        when = row.period if row.period else str(int(row.year))
        prefix = f"{region}.{row.indicator}.{when}"
        if not (row.id == prefix or row.id.startswith(prefix + ".")):
            _fail(path, line, "id", f"{row.id!r} should be {prefix!r} or {prefix}.<qualifier>")
        family = families[row.indicator]
        if UNIT_FACTORS[row.unit][0] != family:
            _fail(path, line, "unit", f"unit {row.unit!r} is not a {family} unit, as indicator "
                  f"{row.indicator!r} requires")
        decimals.append(_decimals(str(raw.iloc[i]["value"])))
    out = df.drop(columns="_line")
    out["period"] = out["period"].astype(object)
    out["decimals"] = pd.Series(decimals, dtype="int64")
    out["_line"] = df["_line"]
    return out


def load_all_figures(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Figures of every region under ``data/regions/``, concatenated (region order sorted)."""
    root = _root(data_dir)
    frames = [load_figures(r, root) for r in list_regions(root)]
    if not frames:
        raise InputError(root / "regions", None, "no region folder with a figures.csv")
    return pd.concat(frames, ignore_index=True)


def load_projects(region: str = config.DEFAULT_REGION, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Validated ``data/regions/<region>/projects.csv`` (plan 专栏 projects).

    Amounts stay in their own units (``investment_unit`` 亿元 or 万元, ...);
    a value needs a unit and a unit needs a value; ids are unique and
    ``duplicate_of`` names another row. A region without the file gives an
    empty frame with the columns.
    """
    path = _root(data_dir) / "regions" / region / "projects.csv"
    if not path.is_file():
        empty = validate_table(pd.DataFrame({c: [] for c in PROJECT_COLUMNS}), PROJECT_COLUMNS, path)
        return empty
    df = validate_table(read_csv_table(path), PROJECT_COLUMNS, path)
    ids: dict[str, int] = {}
    for row in map(_Row, df.to_dict("records")):
        if row.id in ids:
            _fail(path, row._line, "id", f"duplicate id {row.id!r} (first on row {ids[row.id]})")
        ids[row.id] = row._line
    pairs = (("total_investment", "investment_unit", "yuan"), ("area", "area_unit", None),
             ("capacity", "capacity_unit", None), ("output_value", "output_unit", "yuan"))
    for row in df.to_dict("records"):
        for vcol, ucol, family in pairs:
            has_v, unit = not pd.isna(row[vcol]), row[ucol]
            if has_v and not unit:
                _fail(path, row["_line"], ucol, f"{vcol} {row[vcol]:g} has no unit")
            if unit and not has_v:
                _fail(path, row["_line"], vcol, f"{ucol} {unit!r} given without a value")
            if unit and family and UNIT_FACTORS[unit][0] != family:
                _fail(path, row["_line"], ucol, f"{unit!r} is not a money unit")
        dup = row["duplicate_of"]
        if dup and (dup not in ids or dup == row["id"]):
            _fail(path, row["_line"], "duplicate_of", f"{dup!r} is not the id of another project")
    return df


def project_investment_total(projects: pd.DataFrame, unit: str = "亿元") -> float:
    """Sum of ``total_investment`` in ``unit``, counting each project once.

    Rows whose ``duplicate_of`` is set repeat another row and are left out;
    rows without an investment add nothing. (Overlaps the plan does not state,
    noted in the ``note`` column, are not removed.)
    """
    total = 0.0
    for row in projects.to_dict("records"):
        if row.get("duplicate_of") or pd.isna(row["total_investment"]):
            continue
        total += convert(row["total_investment"], row["investment_unit"], unit)
    return float(f"{total:.12g}")


def load_region(region: str = config.DEFAULT_REGION, data_dir: str | Path | None = None) -> Region:
    """The region's ``region.yaml`` as a frozen :class:`Region`.

    ``code`` is kept as text (``"510403"``); ``parent`` and
    ``benchmark_region`` may be null; ``key`` must equal the folder name.
    """
    path = _root(data_dir) / "regions" / region / "region.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, None, "file not found") from None
    except yaml.YAMLError as exc:
        raise InputError(path, None, f"not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(raw, dict):
        raise InputError(path, None, "expected a mapping of keys")
    names = [f.name for f in fields(Region)]
    unknown = sorted(set(raw) - set(names))
    if unknown:
        raise InputError(path, unknown[0], f"unknown key; allowed: {', '.join(names)}")
    for key in ("key", "code", "name_en", "name_zh", "base_year"):
        if raw.get(key) in (None, ""):
            raise InputError(path, key, "missing")
    if raw["key"] != region:
        raise InputError(path, "key", f"{raw['key']!r} differs from the folder name {region!r}")
    code = str(raw["code"])
    if not re.fullmatch(r"\d{6}", code):
        raise InputError(path, "code", f"expected a 6-digit administrative code, got {code!r}")
    base_year = raw["base_year"]
    if isinstance(base_year, bool) or not isinstance(base_year, int) or not _YEAR_MIN <= base_year <= _YEAR_MAX:
        raise InputError(path, "base_year", f"expected a year, got {base_year!r}")
    return Region(
        key=region, code=code, name_en=str(raw["name_en"]), name_zh=str(raw["name_zh"]),
        parent=raw.get("parent") or None, benchmark_region=raw.get("benchmark_region") or None,
        base_year=base_year,
    )


def figures_from_frame(df: pd.DataFrame) -> list[Figure]:
    """Rows of a figures frame as :class:`Figure` records."""
    out = []
    for row in df.to_dict("records"):
        year = None if pd.isna(row["year"]) else int(row["year"])
        out.append(Figure(
            id=row["id"], indicator=row["indicator"], region=row["region"], year=year,
            period=row["period"] or None, value=float(row["value"]), unit=row["unit"],
            price_basis=row["price_basis"], kind=row["kind"], source=row["source"],
            quote=row["quote"], trust=row["trust"], note=row["note"] or "",
            decimals=int(row.get("decimals", 0) or 0),
        ))
    return out


def figure(figure_id: str, data_dir: str | Path | None = None) -> Figure:
    """The figure with id ``figure_id`` (``"xiqu.gdp.2020"``) as a frozen :class:`Figure`.

    Raises
    ------
    InputError
        No such region or no such id (the message suggests close ids).
    """
    region = figure_id.split(".", 1)[0]
    root = _root(data_dir)
    if region not in list_regions(root):
        raise InputError(root / "regions", "id", f"no region {region!r} for figure id {figure_id!r}; "
                         f"known regions: {', '.join(list_regions(root)) or 'none'}")
    df = load_figures(region, root)
    match = df[df["id"] == figure_id]
    if match.empty:
        hint = difflib.get_close_matches(figure_id, df["id"].tolist(), n=3)
        raise InputError(root / "regions" / region / "figures.csv", "id",
                         f"no figure with id {figure_id!r}" + (f" (close: {', '.join(hint)})" if hint else ""))
    return figures_from_frame(match)[0]


def data_files(data_dir: str | Path | None = None) -> list[Path]:
    """Every data file (``indicators.csv`` and the files of each region), sorted."""
    root = _root(data_dir)
    files = [root / "indicators.csv"] if (root / "indicators.csv").is_file() else []
    regions = root / "regions"
    if regions.is_dir():
        files += sorted(p for p in regions.rglob("*") if p.is_file() and p.suffix in {".csv", ".yaml", ".yml"})
    return files


def file_hashes(paths: Iterable[str | Path]) -> dict[str, str]:
    """SHA-256 (hex) of each file's bytes, keyed by the path as given (for run manifests).

    Raises
    ------
    InputError
        A path is not a readable file.
    """
    out: dict[str, str] = {}
    for p in paths:
        path = Path(p)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            raise InputError(path, None, f"cannot hash: {exc.strerror or exc}") from None
        out[str(p)] = digest
    return out
