"""The artefact writer: :class:`Report` shows and saves a notebook's tables, figures and text.

A notebook creates ``Report(output_dir, language)``; each section then calls
:meth:`Report.heading`, :meth:`Report.markdown`, :meth:`Report.table` and
:meth:`Report.figure`. Everything shown is also written to ``output_dir``::

    tables/<name>.csv      one CSV per table (UTF-8, stable float format,
                           byte-identical for identical inputs)
    figures/<name>.png     one PNG per figure (no timestamps)
    text.md                every paragraph of report text, in order
    tables.xlsx            every table, one sheet each, headers in the report's language,
                           number formats, widths, frozen header (written by finish(),
                           :mod:`.workbook`)
    document.json          every heading, paragraph, table and figure in order, the record the
                           Word and PDF versions are built from (:mod:`.document`)
    artifacts.json         {"tables": ["tables/<name>.csv", ...], "figures": ["figures/<name>.png", ...],
                            "captions": {path: caption}, "document": "document.json", "complete": ...}

``artifacts.json`` says ``"complete": false`` from the start of a run and
``true`` only after :meth:`Report.finish`, so a run that stopped half-way
(a raising cell, a killed kernel, ``sys.exit`` in a cell) is visible as such.
Every file is written to a temporary name and renamed into place.
"""
from __future__ import annotations

import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ...errors import InputError
from ...fileio import atomic_write_bytes
from .document import DOCUMENT_FILE, DocumentRecorder
from ..words.narrative import Narrative
from ..words.locales import get_locale
from ..words.text import LANGUAGES, column_header, esc, has_key, t
from .workbook import Sheet, write_workbook

__all__ = ["Report", "write_csv_bytes", "CSV_FLOAT_FORMAT"]

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
#: float format of every CSV the reports write (stable across runs and platforms)
CSV_FLOAT_FORMAT = "%.10g"


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




# --------------------------------------------------------------------------- display
def _display(obj: Any) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - ipykernel is a dependency
        return
    if get_ipython() is not None:
        display(obj)


def _html_table(df: pd.DataFrame, caption: str, lang: str = "en") -> str:
    # display only (the CSV keeps full precision): see reports.formats.htmltable
    from .htmltable import html_table

    return html_table(df, caption, lang)


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
    language : str
        Report language (used for the default texts of this class).
    notebook : str, optional
        Name of the notebook, recorded in ``artifacts.json``.
    parameters : dict, optional
        Parameters of the run, recorded in ``artifacts.json`` (JSON types only).
    """

    def __init__(self, output_dir: str | os.PathLike, language: str = "en", *, notebook: str = "",
                 parameters: dict[str, Any] | None = None):
        if language not in LANGUAGES:
            raise InputError("notebook parameters", "language", "unknown language {language!r}", language=language)
        self.output_dir = Path(output_dir)
        self.language = language
        self.notebook = notebook
        self.parameters = {k: (str(v) if isinstance(v, Path) else v) for k, v in (parameters or {}).items()}
        self._tables: list[_Item] = []
        self._figures: list[_Item] = []
        self._frames: dict[str, pd.DataFrame] = {}
        self._text: list[str] = []
        self._document = DocumentRecorder(language, notebook)
        self._finished = False
        (self.output_dir / "tables").mkdir(parents=True, exist_ok=True)
        (self.output_dir / "figures").mkdir(parents=True, exist_ok=True)
        self._write_manifest(complete=False)

    # -- content -------------------------------------------------------------------------
    def heading(self, text: str, level: int = 2) -> str:
        """Show a Markdown heading (``text`` is escaped)."""
        md = f"{'#' * int(level)} {esc(text)}"
        self._document.heading(text, level)
        self._show_markdown(md)
        return md

    def markdown(self, text: str | Narrative) -> str:
        """Show Markdown text (a :class:`~xiqu_analysis.reports.words.narrative.Narrative` or a string built by
        :mod:`xiqu_analysis.reports.words.text`, whose user-supplied parts are already escaped)."""
        md = text.markdown() if isinstance(text, Narrative) else str(text)
        if isinstance(text, Narrative):
            legend = []
            if any(q.status == "assumed" for q in text.quantities) and has_key("narrative.tag_assumed", "en"):
                legend.append(t("narrative.tag_assumed", text.lang))
            self._document.narrative(list(text.paragraphs), [esc(n) for n in text.notes], legend)
        else:
            self._document.text(md)
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

    def table(self, df: pd.DataFrame, name: str, caption: str = "", *, show: pd.DataFrame | None = None,
              display: bool = True) -> Path:
        """Show ``df`` as an HTML table (cells escaped) and write ``tables/<name>.csv``.

        ``show``, if given, is what the reader sees instead (e.g. a few years of a long
        table); the CSV and the workbook always hold the whole of ``df``. With
        ``display=False`` the table is written (CSV, workbook) but not shown: a long
        table whose summary the report shows. Returns the CSV path.
        """
        self._check_name(name, self._tables)
        frame = df.reset_index(drop=True).copy()
        path = self.output_dir / "tables" / f"{name}.csv"
        _atomic_write_bytes(path, write_csv_bytes(frame))
        self._tables.append(_Item(name, f"tables/{name}.csv", caption))
        self._frames[name] = frame
        shown = frame if show is None else show.reset_index(drop=True)
        shown = shown.rename(columns=lambda c: column_header(c, self.language))
        if display:  # a table written but not shown is in no version of the report (HTML, Word, PDF)
            self._document.table(name, f"tables/{name}.csv", caption, shown)
        try:
            from IPython.display import HTML
        except ImportError:  # pragma: no cover
            HTML = None
        if HTML is not None and display:
            _display(HTML(_html_table(shown, caption, self.language)))
        self._write_manifest(complete=False)
        return path

    def figure(self, fig, name: str, caption: str = "") -> Path:
        """Save ``fig`` as ``figures/<name>.png`` (deterministic bytes), show it, close it.

        Returns the PNG path.
        """
        from ..charts.plots import png_bytes

        self._check_name(name, self._figures)
        data = png_bytes(fig, fonts=get_locale(self.language).figure_fonts())
        path = self.output_dir / "figures" / f"{name}.png"
        _atomic_write_bytes(path, data)
        self._figures.append(_Item(name, f"figures/{name}.png", caption))
        self._document.figure(name, f"figures/{name}.png", caption)
        try:
            from IPython.display import Image
        except ImportError:  # pragma: no cover
            Image = None
        if Image is not None:
            _display(Image(data=data, format="png", metadata={"alt": caption}))  # the caption is the alt text
        if caption:
            self._show_markdown(f"*{esc(caption)}*")
        fig.clear()
        self._write_manifest(complete=False)
        return path

    def name_codes(self, words: dict[str, str]) -> None:
        """Words for codes of this report's tables that only the report knows (a scenario's key -> its
        title): a workbook in a language that does not show the data's names shows these words
        (:mod:`.workbook_cells`); the CSV files keep the codes."""
        self._document.cell_words.update({str(k): str(v) for k, v in words.items()})

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
        folder (the runner checks each exists, see :func:`xiqu_analysis.runner.render.check_artifacts`)."""
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
            "document": DOCUMENT_FILE if complete else None,
            "complete": bool(complete),
        }

    def _write_manifest(self, complete: bool) -> None:
        data = json.dumps(self._manifest(complete), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        _atomic_write_bytes(self.output_dir / "artifacts.json", data.encode("utf-8"))

    def _write_xlsx(self) -> None:
        sheets = [Sheet(item.name, self._frames[item.name], item.caption, self._document.title, item.file,
                        self._document.cell_words) for item in self._tables]
        write_workbook(self.output_dir / "tables.xlsx", sheets, self.language)

    def finish(self) -> Path:
        """Close the report: a last line saying where its files are (relative to the report), then
        ``text.md``, ``tables.xlsx``, ``document.json`` and finally ``artifacts.json`` with
        ``"complete": true``.

        Returns the path of ``artifacts.json``.
        """
        finished = esc(t("report.finished", self.language))
        self._document.text(finished, role="files")
        self._show_markdown(finished)
        _atomic_write_bytes(self.output_dir / "text.md", ("\n\n".join(self._text) + "\n").encode("utf-8"))
        self._write_xlsx()
        _atomic_write_bytes(self.output_dir / DOCUMENT_FILE, self._document.to_bytes())
        self._write_manifest(complete=True)
        self._finished = True
        return self.output_dir / "artifacts.json"
