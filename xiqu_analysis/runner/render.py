"""Rendering for :mod:`xiqu_analysis.runner`: per-notebook HTML, artifact checks, the run index.

* :func:`render_html` turns an executed notebook into an offline HTML report with
  every code cell's input hidden (``exclude_input``), prompts hidden, the
  ``parameters`` and papermill's ``injected-parameters`` cells removed, figures
  embedded as ``data:`` URIs and no network resource (template
  ``templates/report.html.j2``; a Content-Security-Policy blocks any script).
* :func:`check_artifacts` is the runner's answer to ``sys.exit(0)`` and other
  silent early stops: a notebook only counts as done when its
  ``artifacts.json`` says ``"complete": true``, every file it lists exists and
  no table holds an infinite number (an overflowed projection is a failure,
  never a complete report).
* :func:`mark_notebook` puts a visible banner at the top of an executed
  notebook that did not finish (kernel death and timeouts get no banner from
  papermill).
* :func:`render_formats` writes the Word and PDF versions of a finished report
  (``<job>.docx``, ``<job>.pdf``) from the ``document.json`` its notebook
  recorded (:mod:`xiqu_analysis.reports.formats.docx_writer`, :mod:`~xiqu_analysis.reports.formats.pdf_writer`);
  the worker calls it, so they are made in parallel with the other notebooks.
* :func:`write_run_workbook` writes the run's ``tables.xlsx``: every finished
  report's tables in one workbook (:mod:`xiqu_analysis.reports.formats.workbook`).
* :func:`render_index` writes ``index.html`` with jinja2 autoescaping, so a
  scenario title such as ``<script>`` is shown as text.
"""
from __future__ import annotations

import functools
import html
import json
import logging
import os
from pathlib import Path, PurePosixPath
from typing import Any, Mapping, Sequence

from ..fileio import atomic_write_text

__all__ = [
    "FORMATS",
    "parse_formats",
    "check_docx_template",
    "render_formats",
    "name_workbook",
    "write_run_workbook",
    "TEMPLATE_DIR",
    "index_environment",
    "REPORT_TEMPLATE",
    "STATUS_TAG",
    "check_artifacts",
    "mark_notebook",
    "render_html",
    "render_index",
    "warm_renderers",
]

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "reports" / "templates"
#: nbconvert template (extends ``lab``) used for every report
REPORT_TEMPLATE = TEMPLATE_DIR / "report.html.j2"
#: tag of the banner cell the runner inserts into a notebook that did not finish
STATUS_TAG = "xiqu-runner-status"
#: cells removed from the HTML report (the values are in manifest.json instead)
HIDDEN_CELL_TAGS = frozenset({"parameters", "injected-parameters"})

#: the formats of a report ``xiqu run --formats`` offers (all by default)
FORMATS = ("html", "docx", "pdf")
#: the run's workbook of every report's tables
RUN_WORKBOOK = "tables.xlsx"

#: statuses that have a banner text (``index.banner.<status>`` in the locale files)
BANNER_STATUSES = ("failed", "timeout", "kernel_died", "interrupted")


def _language(code: Any) -> str:
    from ..reports.words.text import LANGUAGES

    return code if isinstance(code, str) and code in LANGUAGES else "en"


def notebook_language(nb: Any) -> str:
    """The report language papermill injected into ``nb`` (``metadata.papermill.parameters.language``), else English."""
    params = (nb.get("metadata", {}).get("papermill", {}) or {}).get("parameters", {}) or {}
    return _language(params.get("language"))


def check_artifacts(output_dir: Path) -> tuple[str | None, list[str], list[str]]:
    """Check the artifacts a notebook promised in ``output_dir/artifacts.json``.

    Parameters
    ----------
    output_dir : Path
        The notebook's artifact folder.

    Returns
    -------
    problem : str or None
        ``None`` when complete, else a one-line reason starting with
        ``"incomplete artifacts: "``.
    tables, figures : list of str
        Relative paths listed by the notebook (also when incomplete).
    """
    output_dir = Path(output_dir)
    path = output_dir / "artifacts.json"
    prefix = "incomplete artifacts: "
    if not path.is_file():
        return prefix + "artifacts.json was not written (the notebook stopped early)", [], []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return prefix + f"artifacts.json is not valid JSON ({exc})", [], []
    if not isinstance(data, dict):
        return prefix + "artifacts.json is not a JSON object", [], []
    lists = {}
    for key in ("tables", "figures"):
        value = data.get(key, [])
        # entries are relative paths; {"file": path, ...} records are accepted too
        if isinstance(value, list):
            value = [v.get("file") if isinstance(v, dict) else v for v in value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return prefix + f"artifacts.json '{key}' is not a list of paths", [], []
        lists[key] = value
    tables, figures = lists["tables"], lists["figures"]
    if data.get("complete") is not True:
        return prefix + f"artifacts.json has complete={json.dumps(data.get('complete'))}", tables, figures
    for rel in tables + figures:
        p = PurePosixPath(rel)
        if p.is_absolute() or ".." in p.parts:
            return prefix + f"listed file {rel!r} is outside the output folder", tables, figures
        if not (output_dir / p).is_file():
            return prefix + f"listed file {rel!r} does not exist", tables, figures
    workbook = data.get("workbook") if isinstance(data.get("workbook"), str) else "tables.xlsx"
    if tables and ("/" in workbook or not (output_dir / workbook).is_file()):
        return prefix + f"{workbook} was not written", tables, figures
    document = data.get("document")
    if document is not None and (not isinstance(document, str) or PurePosixPath(document).is_absolute()
                                 or ".." in PurePosixPath(document).parts or not (output_dir / document).is_file()):
        return prefix + f"the document {document!r} it names was not written", tables, figures
    for rel in tables:
        problem = _non_finite_cell(output_dir / rel)
        if problem:
            return f"wrong results: table {rel!r} {problem}", tables, figures
    return None, tables, figures


_NON_FINITE = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})


def _non_finite_cell(path: Path) -> str | None:
    """Where a CSV table holds an infinite number (pandas writes ``inf``), or None.

    A projection that overflowed shows as ``inf``; a report with it must not
    count as complete. (Empty cells, pandas' NaN, are missing values, not errors.)
    """
    import csv

    if path.suffix.lower() != ".csv":
        return None
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for line, row in enumerate(csv.reader(fh), start=1):
                for cell in row:
                    if cell.strip().lower() in _NON_FINITE:
                        return f"holds an infinite number ({cell.strip()}) on line {line}"
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return f"cannot be read ({exc})"
    return None


def parse_formats(value: str | Sequence[str], source: str = "command line") -> tuple[str, ...]:
    """``"html,docx"`` (or a list) -> ``("html", "docx")`` in :data:`FORMATS` order; InputError if unknown or empty."""
    from ..errors import InputError

    items = value.split(",") if isinstance(value, str) else list(value)
    names = [str(v).strip().lower() for v in items if str(v).strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise InputError(source, "formats", "unknown format {unknown!r}; choose from {items}", unknown=unknown[0],
                         items=', '.join(FORMATS))
    if not names:
        raise InputError(source, "formats", "names no format; choose from {items}", items=', '.join(FORMATS))
    formats = tuple(f for f in FORMATS if f in names)
    if "pdf" in formats:
        import ctypes.util

        if not (ctypes.util.find_library("pango-1.0") and ctypes.util.find_library("pangoft2-1.0")):
            raise InputError(source, "formats", "pdf needs the pango library (Debian: apt-get install "
                             "libpango-1.0-0 libpangoft2-1.0-0; `make report` does it), or leave pdf out")
    return formats


def check_docx_template(path: str | Path | None, source: str = "command line") -> Path | None:
    """The Word template, made absolute, after checking python-docx can open it (InputError if not)."""
    from ..errors import InputError

    if path is None or str(path) == "":
        return None
    p = Path(path).absolute()
    if not p.is_file():
        raise InputError(source, "docx_template", "file not found: {p}", p=p)
    try:
        import docx

        docx.Document(str(p))
    except Exception as exc:  # noqa: BLE001 - any reason it cannot be read is the same mistake
        problem = " ".join(str(exc).split())[:200]
        raise InputError(p, "docx_template", "not a Word document python-docx can open ({problem})",
                         problem=problem) from None
    return p


def render_formats(job_dir: Path, name: str, formats: Sequence[str], docx_template: str | None = None
                   ) -> dict[str, str | None]:
    """Write ``<name>.docx`` / ``<name>.pdf`` in ``job_dir`` from its ``document.json``.

    Returns ``{"docx": file name or None, "pdf": ...}`` for the formats asked
    for (``html`` is rendered from the notebook by :func:`render_html`). A
    notebook whose ``artifacts.json`` names no document (not written with
    :class:`~xiqu_analysis.reports.formats.artifacts.Report`) gets none. Errors propagate.
    """
    job_dir = Path(job_dir)
    out: dict[str, str | None] = {"docx": None, "pdf": None}
    wanted = [f for f in ("docx", "pdf") if f in formats]
    try:
        promised = json.loads((job_dir / "artifacts.json").read_text(encoding="utf-8")).get("document")
    except (OSError, ValueError, AttributeError):
        promised = None
    if not wanted or not promised:
        return out
    from ..reports.formats.document import load_document

    document = load_document(job_dir)
    if "docx" in wanted:
        from ..reports.formats.docx_writer import write_docx

        out["docx"] = write_docx(document, job_dir, job_dir / f"{name}.docx", template=docx_template).name
    if "pdf" in wanted:
        from ..reports.formats.pdf_writer import write_pdf

        out["pdf"] = write_pdf(document, job_dir, job_dir / f"{name}.pdf").name
    return out


def name_workbook(job_dir: Path, name: str) -> str:
    """Give a finished report's workbook (``tables.xlsx``, written by its notebook) the file name ``name``
    (``xiqu run --file-names``) and record it in ``artifacts.json``; returns ``name``."""
    job_dir = Path(job_dir)
    if name == "tables.xlsx":
        return name
    os.replace(job_dir / "tables.xlsx", job_dir / name)
    path = job_dir / "artifacts.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["workbook"] = name
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
    return name


def _sheet_prefix(job_name: str) -> str:
    """``scenario_report-trend`` -> ``trend``; ``data_audit`` -> ``data_audit``."""
    return job_name.split("-", 1)[1] if "-" in job_name else job_name


def write_run_workbook(run_dir: Path, folders: Sequence[tuple[str, str]], name: str = RUN_WORKBOOK) -> str | None:
    """Write ``<run>/<name>`` (``tables.xlsx``) from the finished reports ``(job name, folder)``; returns ``name``.

    None when no report recorded a table, or when it could not be written (the
    run's log says why: the reports stand without it). The language of the
    headers is the first report's.
    """
    from ..reports.formats.document import load_document
    from ..reports.formats.workbook import run_sheets, write_workbook

    sheets, lang = [], None
    try:
        for job_name, folder in folders:
            try:
                document = load_document(run_dir / folder)
            except (OSError, ValueError):
                continue
            lang = lang or str(document.get("language", "en"))
            sheets += run_sheets(run_dir / folder, _sheet_prefix(job_name), document)
        if not sheets:
            return None
        write_workbook(run_dir / name, sheets, lang or "en")
    except Exception:  # noqa: BLE001
        logging.getLogger("xiqu_analysis.runner").exception("could not write the run's workbook")
        return None
    return name


def mark_notebook(nb: Any, status: str, error: str, lang: str | None = None) -> Any:
    """Insert (or replace) a red banner cell at the top of ``nb`` saying why it did not finish.

    The banner is in the report's language (``lang``, default the language
    papermill injected into the notebook). The error text is HTML-escaped: it
    may quote user input.
    """
    import nbformat

    from ..reports.words.text import t

    lang = _language(lang) if lang is not None else notebook_language(nb)
    text = t(f"index.banner.{status}", lang) if status in BANNER_STATUSES else status
    source = (
        '<div style="border:2px solid #c62828;padding:0.6em 1em;color:#c62828;">'
        f"<strong>{html.escape(t('index.banner.heading', lang, status=text))}</strong><br>"
        f"{html.escape(error)}</div>"
    )
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["tags"] = [STATUS_TAG]
    nb.cells = [c for c in nb.cells if STATUS_TAG not in c.get("metadata", {}).get("tags", [])]
    nb.cells.insert(0, cell)
    return nb


@functools.lru_cache(maxsize=1)
def _exporter():
    """The HTML exporter, built once per process (a worker renders many notebooks with it)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_CELL_TAGS)
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = True
    # an absolute template_file makes nbconvert add its folder to the template path
    return HTMLExporter(config=c, template_name="lab", template_file=str(REPORT_TEMPLATE))


def render_html(nb: Any, html_path: Path, title: str) -> None:
    """Write ``nb`` (a NotebookNode) as an offline HTML report without code to ``html_path``."""
    import copy

    from ..reports.words.locales import get_locale

    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    exporter = _exporter()
    # the page's language (nbconvert takes an ISO 639-1 code: the tag's primary language, zh of zh-CN)
    exporter.language_code = get_locale(notebook_language(nb)).html_lang.split("-")[0]
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    atomic_write_text(Path(html_path), body)


def warm_renderers(formats: Sequence[str] = ("html",)) -> None:
    """Build the exporter, compile its templates and load the Word/PDF writers ``formats`` need, now.

    A worker does this once, while its first kernel starts, instead of in every job.
    """
    import nbformat

    _exporter().from_notebook_node(nbformat.v4.new_notebook(), resources={"metadata": {"name": "warm-up"}})
    if "docx" in formats:
        from ..reports.formats import docx_writer  # noqa: F401
    if "pdf" in formats:
        from ..reports.formats import pdf_writer  # noqa: F401


@functools.lru_cache(maxsize=1)
def _index_template():
    return index_environment().get_template("index.html.j2")


def index_environment():
    """The Jinja environment of the run's pages (index, compare): the templates folder, every value escaped."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,  # every value is escaped: titles come from scenario files
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_index(path: Path, manifest: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> None:
    """Write the run's ``index.html`` (jinja2, autoescaped) atomically, in the run's report language
    (``manifest["options"]["language"]``; English when absent).

    Parameters
    ----------
    path : Path
        Where to write (``<run>/index.html``).
    manifest : mapping
        The run's manifest (run_id, status, started, finished, command, workbook, ...).
    rows : sequence of mapping
        One per notebook job: name, title, notebook, status, error, duration_s,
        folder, html, docx, pdf, executed, tables, figures, xlsx (paths relative to the run).
    """
    from ..reports.words.locales import get_locale
    from ..reports.words.text import has_key, t

    lang = _language((manifest.get("options") or {}).get("language"))

    def words(key: str, **values: Any) -> str:  # a status the locale does not know is shown as it is
        return t(f"index.{key}", lang, **values) if has_key(f"index.{key}", "en") else key.rsplit(".", 1)[-1]

    names = _artifact_names(Path(path).parent, rows)
    template = _index_template()  # parsed once per process
    rows = [{"docx": None, "pdf": None, "xlsx": None, "reused_from": None, "description": "", "kind": "", **row}
            for row in rows]
    run = {"workbook": None, "reason": None, **manifest}
    why = dict(manifest.get("reason_code") or {})
    code = why.pop("code", None)
    # the reason in the report's language when the locale knows its code; else as recorded (English)
    run["reason_words"] = words(f"reason.{code}", **why) if code and has_key(f"index.reason.{code}", lang) else None
    # for readers: the annual review first, then the suite's order
    readers = sorted(rows, key=lambda row: row["kind"] not in READERS_FIRST)
    atomic_write_text(Path(path), template.render(
        run=run, rows=rows, readers=readers, done=sum(row["status"] == "ok" for row in rows),
        made=_made(manifest.get("started"), words), t=words, lang=lang, html_lang=get_locale(lang).html_lang,
        name_of=lambda p: names.get(p) or str(p).rsplit("/", 1)[-1]))


#: the reports listed first for readers in ``index.html`` (by notebook)
READERS_FIRST = ("annual_review",)


def _made(started: Any, words) -> str:
    """The day a run was made, as the report's language writes a date (``2026年3月15日``); "" if unknown."""
    import re

    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(started or ""))
    return words("readers.date", year=int(m[1]), month=int(m[2]), day=int(m[3])) if m else ""


def _first_clause(text: str) -> str:
    """Text up to its first full stop, semicolon or colon outside brackets, without it."""
    depth = 0
    for i, ch in enumerate(text.strip()):
        depth += ch in "(（" and 1 or 0
        depth -= ch in ")）" and 1 or 0
        if depth <= 0 and (ch in "。；：" or ch in ".;:" and text.strip()[i + 1:i + 2] in (" ", "")):
            return text.strip()[:i]
    return text.strip().rstrip("。.")


def _artifact_names(run_dir: Path, rows: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Link text of each table and figure of the index: the first clause of its caption in the
    report (``artifacts.json``), else its file name."""
    names: dict[str, str] = {}
    for row in rows:
        for rel in [*(row.get("tables") or []), *(row.get("figures") or [])]:
            folder, _, inner = str(rel).partition("/")
            try:
                data = json.loads((run_dir / folder / "artifacts.json").read_text(encoding="utf-8"))
                caption = str((data.get("captions") or {}).get(inner) or "")
            except (OSError, ValueError, AttributeError):
                caption = ""
            head = _first_clause(caption)
            if head:
                names[str(rel)] = head
    return names
