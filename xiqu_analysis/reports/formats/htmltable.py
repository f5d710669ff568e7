"""Tables as HTML a reader can print: years as plain integers, numbers right-aligned and
rounded for reading, text left-aligned, short labels kept on one line, every cell escaped.

:func:`html_table` is what :class:`~xiqu_analysis.reports.formats.artifacts.Report` shows for each
table (the CSV keeps full precision). Styles are inline, so the table reads the same in
JupyterLab, in the offline HTML report and in anything printed from it (A4: small type,
wrapping text columns, no fixed widths).
"""
from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from ..words.locales import get_locale
from ..words.text import column_header, has_key, t

__all__ = ["html_table", "format_cell", "column_kinds", "YEAR_HEADERS"]

#: data names and label keys of columns that hold years
YEAR_HEADERS = ("year", "from_year", "label.year", "column.year", "column.from_year", "label.doubling_year")
#: a text column whose longest cell is at most this many characters stays on one line
_SHORT_TEXT = 12

_STYLE_TABLE = "border-collapse:collapse;font-size:0.85em;max-width:100%"
_STYLE_CELL = "border-bottom:1px solid #ddd;padding:0.25em 0.5em;vertical-align:top"
_ALIGN = {"year": "right", "number": "right", "text": "left", "short": "left"}


def _year_headers(lang: str) -> set[str]:
    out = {h for h in YEAR_HEADERS if "." not in h}
    for key in YEAR_HEADERS:
        if "." in key and has_key(key, lang):
            out.add(t(key, lang))
    return out


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) or hasattr(x, "dtype") and getattr(x, "dtype").kind in "iuf"


def column_kinds(df: pd.DataFrame, lang: str = "en") -> list[str]:
    """``"year"``, ``"number"``, ``"text"`` (wraps) or ``"short"`` (one line) for each column of ``df``."""
    years = _year_headers(lang)
    kinds = []
    for name in df.columns:
        col = df[name]
        values = [v for v in col.tolist() if v is not None and not (isinstance(v, float) and math.isnan(v))]
        numeric = bool(values) and all(_is_number(v) for v in values)
        if numeric and str(name) in years and all(float(v) == int(float(v)) for v in values):
            kinds.append("year")
        elif numeric or (not values and pd.api.types.is_numeric_dtype(col)):
            kinds.append("number")
        else:
            longest = max((len(str(v)) for v in values), default=0)
            kinds.append("short" if longest <= _SHORT_TEXT else "text")
    return kinds


def format_cell(value: Any, kind: str, lang: str = "en") -> str:
    """The text of one cell: a year as ``2029``; whole numbers from 1,000 up (with thousands
    separators in English, none in Chinese), two decimals below (float noise such as
    7.499999999999996 reads 7.50), significant digits for tiny or huge values; missing values empty."""
    return get_locale(lang).cell(value, kind)


def html_table(df: pd.DataFrame, caption: str = "", lang: str = "en") -> str:
    """``df`` as an HTML ``<figure>`` with its caption; headers through :func:`~.text.column_header`."""
    frame = df.reset_index(drop=True)
    kinds = column_kinds(frame, lang)
    head = []
    for name, kind in zip(frame.columns, kinds):
        text = str(column_header(name, lang))
        nowrap = ";white-space:nowrap" if len(text) <= _SHORT_TEXT or kind in ("year", "short") else ""
        head.append(f'<th style="{_STYLE_CELL};text-align:{_ALIGN[kind]}{nowrap}">{html.escape(text)}</th>')
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for value, kind in zip(row, kinds):
            nowrap = ";white-space:nowrap" if kind in ("year", "number", "short") else ""
            cells.append(f'<td style="{_STYLE_CELL};text-align:{_ALIGN[kind]}{nowrap}">'
                         f"{html.escape(format_cell(value, kind, lang))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    table = (f'<table class="xiqu-table" style="{_STYLE_TABLE}"><thead><tr>{"".join(head)}</tr></thead>'
             f'<tbody>{"".join(body)}</tbody></table>')
    return (f'<figure class="xiqu-table" style="margin:0.5em 0 1em 0">'
            f'<figcaption style="font-size:0.9em;margin-bottom:0.3em">{html.escape(caption)}</figcaption>'
            f"{table}</figure>")
