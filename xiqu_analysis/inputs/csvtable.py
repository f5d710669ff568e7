"""One CSV validator for every table the package reads.

Data files (``figures.csv``, ``projects.csv``, ``indicators.csv``) and
user-supplied files (bulletin series, actuals) are read by
:func:`read_csv_table` as text and checked by :func:`validate_table` against a
specification of :class:`Column` records. The first problem is raised as an
:class:`~xiqu_analysis.errors.InputError` whose field is ``row N, column C``,
where N is the line in the file (the header is line 1; comment and blank lines
count), so a user can go straight to the cell.
"""
from __future__ import annotations

import csv
import difflib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

import pandas as pd

from ..errors import InputError, Message
from ..fileio import read_text_limited
from ..units import KNOWN_UNITS

__all__ = ["Column", "Row", "read_csv_table", "validate_table", "fail", "unit_check"]

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
    thousands : bool
        A ``float`` cell may group digits with commas (``"1,234.5"``, quoted
        in the file), as bulletins print them.
    """

    dtype: str = "str"
    required: bool = True
    nullable: bool = False
    choices: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    check: Callable[[Any], "str | Message | None"] | None = None
    thousands: bool = False


_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


def read_csv_table(path: str | Path, *, comments: bool = False) -> pd.DataFrame:
    """Read a UTF-8 CSV file as text, keeping each row's line number.

    Every cell is a ``str`` (empty cells are ``""``, nothing becomes NaN), the
    header is stripped of spaces and a BOM, and the column ``_line`` holds the
    line in the file where the row starts (the header is line 1), so that
    errors can point at the exact cell even when quoted cells hold line breaks.

    Parameters
    ----------
    path : str or Path
        A regular file of at most :data:`xiqu_analysis.fileio.MAX_INPUT_BYTES`.
    comments : bool, default False
        Skip lines whose first non-blank character is ``#`` (user files such
        as bulletin series carry comments); line numbers still count them.

    Raises
    ------
    InputError
        The file is missing, not a regular file, too large, not UTF-8, empty,
        has duplicate or empty column names, or a row with more cells than the
        header.
    """
    path = Path(path)
    text = read_text_limited(path)
    # Lines end at \n, \r\n or \r only (as csv expects, newline=""): str.splitlines would also
    # break at U+2028, NEL or a form feed inside a cell and make two rows of one.
    lines_in = list(io.StringIO(text, newline=""))
    skipped = 0  # blank or comment lines before the header
    if comments:  # a comment becomes an empty line (skipped below), so line numbers still count it
        lines_in = _blank_comments(lines_in)
        while lines_in and not lines_in[0].strip():
            lines_in, skipped = lines_in[1:], skipped + 1
    reader = csv.reader(lines_in)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(path, None, "empty file: expected a header row") from None
    except csv.Error as exc:
        raise InputError(path, f"row {skipped + 1}", "cannot parse CSV: {exc}", exc=exc) from None
    header = [h.strip() for h in header]
    for i, name in enumerate(header, start=1):
        if not name:
            raise InputError(path, f"row {skipped + 1}", "column {i} of the header has no name", i=i)
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise InputError(path, f"row {skipped + 1}", "duplicate column name(s): {items}", items=', '.join(dupes))
    records: list[list[str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(path, f"row {start + skipped}", "cannot parse CSV: {exc}", exc=exc) from None
        if not row or all(not c.strip() for c in row):  # blank line
            start = reader.line_num + 1
            continue
        if len(row) > len(header):
            raise InputError(
                path,
                f"row {start + skipped}",
                "{n_row} cells but the header has {n_header} columns (a comma inside a cell needs double quotes)",
                n_row=len(row), n_header=len(header),
            )
        row = row + [""] * (len(header) - len(row))
        records.append(row)
        lines.append(start + skipped)
        start = reader.line_num + 1
    df = pd.DataFrame(records, columns=header, dtype=object) if records else pd.DataFrame(
        {h: pd.Series([], dtype=object) for h in header}
    )
    df["_line"] = lines
    return df


def _blank_comments(lines: list[str]) -> list[str]:
    """``lines`` with each comment line (first non-blank character ``#``) replaced by an empty line.

    A line that continues a quoted cell is never a comment: the quoting state
    is followed as :mod:`csv` reads it (a ``"`` opens a quoted cell only at the
    start of a cell; ``""`` inside one is a quote).
    """
    out: list[str] = []
    quoted = False  # inside a quoted cell at the start of the line
    for line in lines:
        if not quoted and line.lstrip().startswith("#"):
            out.append("\n")
            continue
        out.append(line)
        cell_start = not quoted
        i = 0
        while i < len(line):
            c = line[i]
            if quoted:
                if c == '"':
                    if line[i + 1:i + 2] == '"':
                        i += 1  # an escaped quote
                    else:
                        quoted = False  # what follows the closing quote is literal, up to the delimiter
            elif c == '"' and cell_start:
                quoted = True
            if not quoted:
                cell_start = c == ","
            i += 1
    return out


class Row(dict):
    """A record whose keys read as attributes (``row.id``, ``row._line``)."""

    __getattr__ = dict.__getitem__


def fail(path, line, column, problem, /, **params):
    """Raise the :class:`InputError` of a cell: ``row N, column C`` and the problem (a template and its values)."""
    raise InputError(path, f"row {line}, column {column}", problem, **params)


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
            "required column missing (header has: {present}; missing: {items})", present=', '.join(present) or 'nothing',
            items=', '.join(missing),
        )
    extra = [c for c in present if c not in spec]
    if extra and not allow_extra:
        hint = difflib.get_close_matches(extra[0], list(spec), n=1)
        raise InputError(
            path, f"column {extra[0]}",
            Message("unknown column (did you mean '{close}'?); allowed: {allowed}", close=hint[0],
                    allowed=", ".join(spec))
            if hint else Message("unknown column; allowed: {allowed}", allowed=", ".join(spec)),
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
                    fail(path, line, name, "empty cell: a value is required")
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
            fail(path, line, name, "expected a whole number, got {cell!r}", cell=cell)
        value = int(cell)
    elif col.dtype == "float":
        text = cell.replace(",", "") if col.thousands and re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", cell) else cell
        try:
            value = float(text.replace("_", "x"))  # no 1_000 forms
        except ValueError:
            fail(path, line, name, "expected a number, got {cell!r}", cell=cell)
        if not math.isfinite(value):
            fail(path, line, name, "expected a finite number, got {cell!r}", cell=cell)
    elif col.dtype == "bool":
        low = cell.lower()
        if low not in _TRUE | _FALSE:
            fail(path, line, name, "expected true or false, got {cell!r}", cell=cell)
        value = low in _TRUE
    else:  # pragma: no cover - programming error in a spec
        raise ValueError(f"unknown dtype {col.dtype!r}")
    if col.choices is not None and str(cell) not in col.choices:
        hint = difflib.get_close_matches(cell, list(col.choices), n=1)
        fail(path, line, name, Message("{cell!r} is not allowed (did you mean {close!r}?); allowed: {allowed}",
                                       cell=cell,
                                       close=hint[0], allowed=", ".join(col.choices)) if hint else
             Message("{cell!r} is not allowed; allowed: {allowed}", cell=cell, allowed=", ".join(col.choices)))
    if col.pattern is not None and not re.fullmatch(col.pattern, cell):
        fail(path, line, name, "{cell!r} does not match the pattern {pattern}", cell=cell, pattern=col.pattern)
    if col.minimum is not None and value < col.minimum:
        fail(path, line, name, "{cell} is below the minimum {minimum:g}", cell=cell, minimum=col.minimum)
    if col.maximum is not None and value > col.maximum:
        fail(path, line, name, "{cell} is above the maximum {maximum:g}", cell=cell, maximum=col.maximum)
    if col.check is not None:
        problem = col.check(value)
        if problem:
            fail(path, line, name, problem)
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
# checks shared by table specifications
# --------------------------------------------------------------------------
def unit_check(unit: str) -> Message | None:
    if unit in KNOWN_UNITS:
        return None
    hint = difflib.get_close_matches(unit, sorted(KNOWN_UNITS), n=1)
    known = ", ".join(sorted(KNOWN_UNITS))
    if hint:
        return Message("unknown unit {unit!r} (did you mean {close!r}?); known units: {known}", unit=unit,
                       close=hint[0], known=known)
    return Message("unknown unit {unit!r}; known units: {known}", unit=unit, known=known)
