"""Rendering for :mod:`xiqu_analysis.runner`: per-notebook HTML, artifact checks, the run index.

* :func:`render_html` turns an executed notebook into an offline HTML report with
  every code cell's input hidden (``exclude_input``), prompts hidden, the
  ``parameters`` and papermill's ``injected-parameters`` cells removed, figures
  embedded as ``data:`` URIs and no network resource (template
  ``templates/report.html.j2``; a Content-Security-Policy blocks any script).
* :func:`check_artifacts` is the runner's answer to ``sys.exit(0)`` and other
  silent early stops: a notebook only counts as done when its
  ``artifacts.json`` says ``"complete": true`` and every file it lists exists.
* :func:`mark_notebook` puts a visible banner at the top of an executed
  notebook that did not finish (kernel death and timeouts get no banner from
  papermill).
* :func:`render_index` writes ``index.html`` with jinja2 autoescaping, so a
  scenario title such as ``<script>`` is shown as text.
"""
from __future__ import annotations

import html
import json
from pathlib import Path, PurePosixPath
from typing import Any, Mapping, Sequence

from ..fileio import atomic_write_text

__all__ = [
    "TEMPLATE_DIR",
    "REPORT_TEMPLATE",
    "STATUS_TAG",
    "check_artifacts",
    "mark_notebook",
    "render_html",
    "render_index",
]

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "reports" / "templates"
#: nbconvert template (extends ``lab``) used for every report
REPORT_TEMPLATE = TEMPLATE_DIR / "report.html.j2"
#: tag of the banner cell the runner inserts into a notebook that did not finish
STATUS_TAG = "xiqu-runner-status"
#: cells removed from the HTML report (the values are in manifest.json instead)
HIDDEN_CELL_TAGS = frozenset({"parameters", "injected-parameters"})

STATUS_TEXT = {
    "failed": "failed",
    "timeout": "stopped: time limit exceeded",
    "kernel_died": "stopped: the kernel died",
    "interrupted": "stopped: the run was interrupted",
}


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
    if tables and not (output_dir / "tables.xlsx").is_file():
        return prefix + "tables.xlsx was not written", tables, figures
    return None, tables, figures


def mark_notebook(nb: Any, status: str, error: str) -> Any:
    """Insert (or replace) a red banner cell at the top of ``nb`` saying why it did not finish.

    The error text is HTML-escaped: it may quote user input.
    """
    import nbformat

    text = STATUS_TEXT.get(status, status)
    source = (
        '<div style="border:2px solid #c62828;padding:0.6em 1em;color:#c62828;">'
        f"<strong>This report did not finish ({html.escape(text)}).</strong><br>"
        f"{html.escape(error)}</div>"
    )
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["tags"] = [STATUS_TAG]
    nb.cells = [c for c in nb.cells if STATUS_TAG not in c.get("metadata", {}).get("tags", [])]
    nb.cells.insert(0, cell)
    return nb


def _exporter():
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

    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    atomic_write_text(Path(html_path), body)


def _index_environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,  # every value is escaped: titles come from scenario files
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_index(path: Path, manifest: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> None:
    """Write the run's ``index.html`` (jinja2, autoescaped) atomically.

    Parameters
    ----------
    path : Path
        Where to write (``<run>/index.html``).
    manifest : mapping
        The run's manifest (run_id, status, started, finished, command, ...).
    rows : sequence of mapping
        One per notebook job: name, title, notebook, status, error, duration_s,
        folder, html, executed, tables, figures, xlsx (paths relative to the run).
    """
    template = _index_environment().get_template("index.html.j2")
    atomic_write_text(Path(path), template.render(run=manifest, rows=list(rows)))
