"""One CSV validator for every table the package reads.

Data files (``figures.csv``, ``projects.csv``, ``indicators.csv``) and
user-supplied files (bulletin series, actuals) are read by
:func:`read_csv_rows` as text and checked by :func:`check_rows` against a
specification of :class:`Column` records, without pandas: a :class:`Table` of
converted columns, whose :meth:`Table.frame` is the pandas DataFrame
(:func:`read_csv_table` and :func:`validate_table` give frames directly).
The first problem is raised as an
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
from typing import TYPE_CHECKING, Any, Callable, Mapping

from ..errors import InputError, Message
from ..fileio import read_text_limited
from ..units import KNOWN_UNITS

if TYPE_CHECKING:  # pandas is imported when a frame is made (Table.frame), not to read and check a file
    import pandas as pd

__all__ = ["Column", "Row", "Table", "read_csv_rows", "read_csv_table", "check_rows", "validate_table", "fail",
           "unit_check", "is_empty"]

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


class Table:
    """A table read or checked without pandas: columns of values by name (in order), each column's dtype
    (``str``, ``int``, ``float``, ``bool`` as :class:`Column`; ``text``: an extra column of a checked table,
    pandas' string dtype in :meth:`frame`), and each row's line in its file.

    A ``str`` cell is ``""`` when empty, a ``float`` one NaN, an ``int`` one None, a ``bool`` one False
    (as in :meth:`frame`). Treat as read-only.
    """

    def __init__(self, columns: dict[str, list], dtypes: Mapping[str, str], lines: list[int]):
        self.columns, self.dtypes, self.lines = columns, dict(dtypes), lines

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, name: str) -> list:
        return self.lines if name == "_line" else self.columns[name]

    def __contains__(self, name: str) -> bool:
        return name == "_line" or name in self.columns

    def records(self) -> list[Row]:
        """The rows as :class:`Row` records (with ``_line``), as ``frame().to_dict("records")`` gives them
        (an empty ``int`` cell is None)."""
        names = list(self.columns)
        return [Row(zip([*names, "_line"], values)) for values in zip(*self.columns.values(), self.lines)] \
            if names else [Row(_line=line) for line in self.lines]

    def frame(self) -> pd.DataFrame:
        """The table as a pandas DataFrame: ``int`` columns ``int64`` (``Int64`` when a cell is empty),
        ``float`` ``float64``, ``bool`` ``bool``, ``str`` object; then ``_line`` (``int64``)."""
        import pandas as pd

        index = pd.RangeIndex(len(self.lines))
        out = {name: _to_series(values, self.dtypes[name], index) for name, values in self.columns.items()}
        out["_line"] = pd.Series(self.lines, index=index, dtype="int64")
        return pd.DataFrame(out, index=index)


def read_csv_table(path: str | Path, *, comments: bool = False) -> pd.DataFrame:
    """:func:`read_csv_rows` as a pandas DataFrame: every column ``object`` (text), then ``_line``."""
    import pandas as pd

    table = read_csv_rows(path, comments=comments)
    df = pd.DataFrame(list(map(list, zip(*table.columns.values()))), columns=list(table.columns), dtype=object) \
        if len(table) else pd.DataFrame({h: pd.Series([], dtype=object) for h in table.columns})
    df["_line"] = table.lines
    return df


def read_csv_rows(path: str | Path, *, comments: bool = False) -> Table:
    """Read a UTF-8 CSV file as text, keeping each row's line number.

    Every cell is a ``str`` (empty cells are ``""``, nothing becomes NaN), the
    header is stripped of spaces and a BOM, and :attr:`Table.lines` holds the
    line in the file where each row starts (the header is line 1), so that
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
    return Table({h: [r[i] for r in records] for i, h in enumerate(header)}, dict.fromkeys(header, "str"), lines)


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
    """:func:`check_rows` of a frame of text cells (as :func:`read_csv_table` gives them; a ``_line``
    column with file line numbers is used for messages, without it row N is the 0-based position + 2, as
    for a file with a one-line header), as a new frame (:meth:`Table.frame`)."""
    names = [c for c in df.columns if c != "_line"]
    lines = [int(x) for x in df["_line"]] if "_line" in df.columns else list(range(2, len(df) + 2))
    cells = {name: ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
                    for v in df[name].tolist()] for name in names}
    return check_rows(Table(cells, dict.fromkeys(names, "str"), lines), spec, path, allow_extra=allow_extra).frame()


def check_rows(raw: Table, spec: Mapping[str, Column], path: str | Path, *, allow_extra: bool = False) -> Table:
    """Check a text table against ``spec`` and convert its columns.

    Parameters
    ----------
    raw : Table
        Text cells as read by :func:`read_csv_rows` (its lines are used for messages).
    spec : mapping of column name -> :class:`Column`
        Column order of the result follows ``spec``; extra columns follow.
    path : str or Path
        File named in error messages.
    allow_extra : bool
        Accept columns not in ``spec`` (kept as text).

    Returns
    -------
    Table
        Converted columns (``str``, ``int``, ``float``, ``bool``: :class:`Table`), optional missing
        columns added as empty.

    Raises
    ------
    InputError
        First problem found, as ``<path>: field 'row N, column C': <problem>``
        (or ``field 'column C'`` for a missing column).
    """
    present = list(raw.columns)
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
    out: dict[str, list] = {}
    lines = raw.lines
    for name, col in spec.items():
        cells = [c.strip() for c in raw.columns[name]] if name in raw.columns else [""] * len(lines)
        values: list[Any] = []
        for line, cell in zip(lines, cells):
            if cell == "":
                if not col.nullable:
                    fail(path, line, name, "empty cell: a value is required")
                values.append(None)
                continue
            value = _convert_cell(path, line, name, col, cell)
            values.append(value)
        out[name] = _normalised(values, col.dtype)
    for name in extra:
        out[name] = list(raw.columns[name])
    return Table(out, {**{name: col.dtype for name, col in spec.items()}, **dict.fromkeys(extra, "text")}, list(lines))


def _normalised(values: list, dtype: str) -> list:
    """Converted cells as the frame holds them: an empty ``str`` cell ``""``, ``float`` NaN, ``bool`` False."""
    if dtype == "float":
        return [math.nan if v is None else v for v in values]
    if dtype == "bool":
        return [bool(v) for v in values]
    if dtype == "str":
        return ["" if v is None else v for v in values]
    return values


def is_empty(value: Any) -> bool:
    """True for an empty cell of a checked table or frame: None, NaN or pandas' NA."""
    return value is None or type(value).__name__ == "NAType" or (isinstance(value, float) and math.isnan(value))


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
    import pandas as pd

    if dtype == "int":
        if any(v is None for v in values):
            return pd.Series(values, index=index, dtype="Int64")
        return pd.Series(values, index=index, dtype="int64")
    if dtype == "float":
        return pd.Series([math.nan if v is None else v for v in values], index=index, dtype="float64")
    if dtype == "bool":
        return pd.Series([bool(v) for v in values], index=index, dtype="bool")
    if dtype == "text":  # an extra column kept as text: pandas' string dtype
        return pd.Series(values, index=index, dtype=object).astype(str)
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
