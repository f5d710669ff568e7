"""Excel workbooks of report tables: headers in the report's language, number formats, widths, frozen headers.

Two kinds, one writer (:func:`write_workbook`):

* ``<report>/tables.xlsx``: one report's tables (written by
  :meth:`~xiqu_analysis.reports.formats.artifacts.Report.finish`);
* ``<run>/tables.xlsx``: every report's tables of a run (written by the runner
  from each report's CSV files and ``document.json``, :func:`run_sheets`).

Each workbook opens on a contents sheet (sheet, report, caption, CSV file, each
sheet linked); each table sheet has its header in row 1 (frozen), numbers
stored to ten significant digits (the CSV's precision, no float noise such as
7.499999999999996) with the number format the report page shows them in
(years without a thousands separator, 亿元 and per cent with two decimals,
yuan and persons whole with separators), text left-aligned and wrapped, and
column widths fitted to the contents (a Chinese character counts double).
The bytes do not depend on the time of writing.
"""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from ...fileio import atomic_write_bytes
from .document import display_width
from .workbook_cells import reader_frame, sheet_title
from ..words.locales import LARGE, SMALL, WHOLE_FROM, get_locale
from ..words.text import column_header, is_missing, t

__all__ = ["Sheet", "write_workbook", "workbook_bytes", "number_format", "run_sheets", "deterministic_zip"]

_XLSX_BAD = re.compile(r"[\[\]:*?/\\]")
_YEAR_RANGE = (1900, 2200)
_MAX_WIDTH = 60
_FIXED_DATE = (2021, 8, 1, 0, 0, 0)  # the plan's date: no run time in the files
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


@dataclass(frozen=True)
class Sheet:
    """One table of a workbook.

    ``frame`` holds data names as columns (the CSV's); the workbook shows
    ``column_header(name, language)``. ``name`` is the wished sheet name
    (shortened and made unique when written). In a language that does not show
    the data's English names the sheet is named after its caption and its codes
    are words (:func:`.workbook_cells.reader_frame`; ``words``: codes only the
    report knows, such as scenario keys).
    """

    name: str
    frame: pd.DataFrame
    caption: str = ""
    report: str = ""
    file: str = ""
    words: Mapping[str, str] | None = None


def number_format(value: Any, year_column: bool = False, grouped: bool = True) -> str:
    """The Excel number format of one numeric cell (the rule of :meth:`.locales.Locale.cell`);
    ``grouped=False``: no thousands separator (a language that writes 41794)."""
    if year_column:
        return "0"
    if isinstance(value, bool):
        return "General"
    whole = "#,##0" if grouped else "0"
    if isinstance(value, int):
        return whole
    x = float(value)
    if not math.isfinite(x):
        return "General"
    if abs(x) >= LARGE or (x != 0 and abs(x) < SMALL):
        return "0.000E+00"
    return whole if abs(x) >= WHOLE_FROM else "#,##0.00"


def _is_year_column(name: Any, series: pd.Series) -> bool:
    """Whole numbers in 1900..2200 in a column whose data name says year (or that is all such integers)."""
    values = pd.to_numeric(series, errors="coerce").dropna()
    if not len(values) or len(values) != series.notna().sum():
        return False
    whole = bool(((values % 1) == 0).all() and values.between(*_YEAR_RANGE).all())
    return whole and ("year" in str(name).lower() or series.dtype.kind in "iu")


def _cell_value(value: Any) -> Any:
    if is_missing(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float):
        return float(f"{value:.10g}") if math.isfinite(value) else str(value)
    if isinstance(value, (int, str, bool)):
        return value
    return str(value)


def _sheet_name(name: str, used: set[str]) -> str:
    base = _XLSX_BAD.sub("_", name).strip("'")[:31] or "sheet"
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        suffix = f"~{n}"
        candidate = base[: 31 - len(suffix)] + suffix
    return candidate


def _write_table(ws, sheet: Sheet, lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    frame = reader_frame(sheet.frame, lang, sheet.words)
    headers = [str(column_header(c, lang)) for c in frame.columns]
    ws.append(headers)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F2F2F2")
    head_align = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = bold, fill, head_align
    widths = [display_width(h) for h in headers]
    grouped = bool(get_locale(lang).group_mark)
    text_align = Alignment(horizontal="left", vertical="top", wrap_text=True)
    for j, name in enumerate(frame.columns):
        series = frame.iloc[:, j]
        year = _is_year_column(name, series)
        for i, raw in enumerate(series.tolist(), start=2):
            value = _cell_value(raw)
            cell = ws.cell(row=i, column=j + 1, value=value)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.number_format = number_format(value, year, grouped)
                shown = len(f"{value:,.2f}") if not year else 4
            else:
                cell.alignment = text_align
                shown = display_width(str(value)) if value is not None else 0
            widths[j] = max(widths[j], shown)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(8, min(_MAX_WIDTH, w + 2))
    ws.freeze_panes = "A2"
    if len(frame):
        ws.auto_filter.ref = ws.dimensions


def _write_contents(ws, rows: list[tuple[str, Sheet]], lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws.append([t("workbook.title", lang)])
    ws["A1"].font = Font(bold=True, size=13)
    files = get_locale(lang).english_data  # the CSV files' paths: for readers of the data's names only
    headers = [t(f"workbook.{k}", lang) for k in ("sheet", "report", "table", "file")][:4 if files else 3]
    ws.append(headers)
    for cell in ws[2]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="F2F2F2")
    for name, sheet in rows:
        ws.append([name, sheet.report, sheet.caption, sheet.file][:4 if files else 3])
        link = ws.cell(row=ws.max_row, column=1)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{name}'!A1")  # inside the workbook
        link.font = Font(color="0563C1", underline="single")
    for letter, width in zip("ABCD", (28, 36, 70, 36)):
        ws.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = wrap
    ws.freeze_panes = "A3"


def workbook_bytes(sheets: Sequence[Sheet], lang: str) -> bytes:
    """The bytes of a workbook holding ``sheets`` after a contents sheet (deterministic)."""
    from openpyxl import Workbook

    wb = Workbook()
    contents = wb.active
    contents.title = _sheet_name(t("workbook.contents", lang), set())
    used = {contents.title.lower()}
    rows = []
    words = not get_locale(lang).english_data  # sheets named in words, numbered by report when there are several
    reports = list(dict.fromkeys(sheet.report for sheet in sheets))
    for sheet in sheets:
        wished = sheet.name
        if words:
            wished = sheet_title(sheet.caption, sheet.name)
            if len(reports) > 1:
                wished = f"{reports.index(sheet.report) + 1}-{wished}"
        name = _sheet_name(wished, used)
        used.add(name.lower())
        _write_table(wb.create_sheet(name), sheet, lang)
        rows.append((name, sheet))
    _write_contents(contents, rows, lang)
    fixed = pd.Timestamp("2021-08-01").to_pydatetime()
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "xiqu-analysis"
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_zip(buf.getvalue())


def write_workbook(path: str | Path, sheets: Sequence[Sheet], lang: str) -> Path:
    """Write :func:`workbook_bytes` to ``path`` atomically; returns the path."""
    path = Path(path)
    atomic_write_bytes(path, workbook_bytes(sheets, lang), make_parents=True)
    return path


def run_sheets(folder: Path, prefix: str, document: dict[str, Any]) -> list[Sheet]:
    """The sheets of one report folder for the run's workbook: each table block's CSV, read back.

    ``prefix`` (e.g. the scenario's name) starts each sheet name; paths are
    given relative to the run folder (``<folder name>/tables/x.csv``).
    """
    out = []
    title = str(document.get("title", ""))
    for block in document.get("blocks", []):
        if block.get("kind") != "table":
            continue
        frame = pd.read_csv(folder / block["file"], keep_default_na=False, na_values=[""])
        out.append(Sheet(f"{prefix}-{block['name']}", frame, block.get("caption", ""), title,
                         f"{folder.name}/{block['file']}", document.get("cell_words") or None))
    return out


def deterministic_zip(data: bytes) -> bytes:
    """Rewrite an Office file (a zip) with fixed entry times and a fixed ``modified`` property.

    openpyxl and python-docx stamp the save time into every zip entry and into
    ``docProps/core.xml``; without this, identical tables would give different bytes.
    """
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _MODIFIED.sub(rb"\g<1>2021-08-01T00:00:00Z\g<2>", payload)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, payload)
    return out.getvalue()
