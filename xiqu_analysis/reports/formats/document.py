"""What a report says, in order: the record the Word and PDF versions are built from.

:class:`~xiqu_analysis.reports.formats.artifacts.Report` records every heading,
paragraph, table and figure it shows into a :class:`DocumentRecorder`; its
``finish()`` writes the record as ``document.json`` beside the report's other
files. :mod:`.docx_writer` and :mod:`.pdf_writer` read that file only, so the
DOCX and the PDF carry the same words, numbers and captions as the HTML page,
in the report's language, whatever the sections wrote.

``document.json``::

    {"version": 1, "language": "zh", "title": "...", "notebook": "scenario_report",
     "blocks": [
        {"kind": "heading", "level": 1, "text": "..."},                 # plain text
        {"kind": "text", "markdown": "..."},                            # Markdown (escaped user text)
        {"kind": "narrative", "paragraphs": ["... 82.91亿元 [1] ..."],   # Markdown with tags [n] / [a]
         "notes": ["plan ch.1 §3.2"], "legend": ["[a] ..."]},          # notes[n-1] is the source of [n]
        {"kind": "table", "name": "headline", "file": "tables/headline.csv", "caption": "...",
         "columns": ["指标", ...], "rows": [["实际地区生产总值", "82.91", ...]], "numeric": [false, true, ...]},
        {"kind": "figure", "name": "gdp_paths", "file": "figures/gdp_paths.png", "caption": "..."}
     ]}

Table cells are stored as the reader sees them (:func:`format_cell`, the same
rule as the HTML page); the CSV and the workbook keep the numbers.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from ..words.locales import LARGE, SMALL, WHOLE_FROM
from ..words.text import is_missing

__all__ = [
    "DOCUMENT_FILE",
    "DocumentRecorder",
    "display_width",
    "format_float",
    "format_cell",
    "load_document",
    "split_tags",
    "TAG",
]

#: the record's file name in a report folder
DOCUMENT_FILE = "document.json"
#: a provenance tag of a narrative number: " [3]" (source note 3) or " [a]" (assumption)
TAG = re.compile(r" ?\[(\d+|a)\]")


def format_float(x: float) -> str:
    """A float as a report table shows it: whole numbers from 1,000 up (yuan, persons), two
    decimals below (亿元, %), significant digits for tiny or huge values, empty for NaN."""
    if x != x:
        return ""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if abs(x) >= LARGE or (x != 0 and abs(x) < SMALL):
        return f"{x:.4g}"
    return f"{x:,.0f}" if abs(x) >= WHOLE_FROM else f"{x:,.2f}"


def format_cell(value: Any) -> str:
    """Any table cell as text: floats by :func:`format_float`, missing values empty, the rest ``str``."""
    if value is None:
        return ""
    if isinstance(value, (float,)) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") == "f"):
        return format_float(float(value))
    if is_missing(value):
        return ""
    if hasattr(value, "item"):
        value = value.item()
    return str(value)


def display_width(text: str) -> int:
    """Width of ``text`` in half-width characters (a Chinese character counts two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class DocumentRecorder:
    """Collects the blocks of one report in the order they are shown."""

    def __init__(self, language: str, notebook: str = ""):
        self.language = language
        self.notebook = notebook
        self.blocks: list[dict[str, Any]] = []
        #: codes of the report's tables and the words a reader reads for them (scenario key -> title)
        self.cell_words: dict[str, str] = {}

    def heading(self, text: str, level: int) -> None:
        self.blocks.append({"kind": "heading", "level": int(level), "text": str(text)})

    def text(self, markdown: str, role: str | None = None) -> None:
        block = {"kind": "text", "markdown": str(markdown)}
        if role:
            block["role"] = role
        self.blocks.append(block)

    def narrative(self, paragraphs: list[str], notes: list[str], legend: list[str]) -> None:
        self.blocks.append({"kind": "narrative", "paragraphs": list(paragraphs), "notes": list(notes),
                            "legend": list(legend)})

    def table(self, name: str, file: str, caption: str, shown: pd.DataFrame) -> None:
        # the cells as the HTML page shows them (reports.formats.htmltable): years plain, numbers in the
        # report language's way (no thousands separator in Chinese), text as it is
        from .htmltable import column_kinds
        from .htmltable import format_cell as shown_cell

        kinds = column_kinds(shown, self.language)
        self.blocks.append({
            "kind": "table",
            "name": name,
            "file": file,
            "caption": str(caption),
            "columns": [format_cell(c) for c in shown.columns],
            "rows": [[shown_cell(v, k, self.language) for v, k in zip(row, kinds)]
                     for row in shown.itertuples(index=False)],
            "numeric": [k in ("number", "year") for k in kinds],
        })

    def figure(self, name: str, file: str, caption: str) -> None:
        self.blocks.append({"kind": "figure", "name": name, "file": file, "caption": str(caption)})

    @property
    def title(self) -> str:
        """The first level-1 heading (the report's title), or the notebook's name."""
        return next((b["text"] for b in self.blocks if b["kind"] == "heading" and b["level"] == 1), self.notebook)

    def as_dict(self) -> dict[str, Any]:
        out = {"version": 1, "language": self.language, "title": self.title, "notebook": self.notebook,
               "blocks": self.blocks}
        if self.cell_words:
            out["cell_words"] = dict(sorted(self.cell_words.items()))
        return out

    def to_bytes(self) -> bytes:
        return (json.dumps(self.as_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def load_document(folder: str | Path) -> dict[str, Any]:
    """The ``document.json`` of a report folder (raises ``OSError``/``ValueError`` when unreadable)."""
    data = json.loads((Path(folder) / DOCUMENT_FILE).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("blocks"), list):
        raise ValueError(f"{DOCUMENT_FILE} has no list of blocks")
    return data


def split_tags(markdown: str) -> Iterator[tuple[str, str | None]]:
    """``"a 82.91亿元 [1] b"`` -> ``("a 82.91亿元", "1"), (" b", None)``: text pieces and the tag after each.

    Escaped brackets (``\\[1]``, user text) are not tags.
    """
    pos = 0
    for m in TAG.finditer(markdown):
        start = m.start()
        if m.group(0).startswith("[") and start > 0 and markdown[start - 1] == "\\":
            continue
        yield markdown[pos:start], m.group(1)
        pos = m.end()
    if pos < len(markdown):
        yield markdown[pos:], None
