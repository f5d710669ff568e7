"""A language made of files only renders a whole run: ``xiqu run --language en-XA`` with a real kernel.

``en-XA`` is written into a temporary folder from the English locale files by
``tests/fixtures/locale/make_pseudo.py`` (every word bracketed and lengthened by about a
third) and made a report language by ``XIQU_LOCALE_DIRS`` alone: no Python names it. The
scenario report's HTML, its Word file (re-opened with python-docx) and its PDF (text read
with pypdf) show bracketed labels, and the run index is written in it.
"""
from __future__ import annotations

import json
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.notebook

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "plan_targets.yaml"
MAKE_PSEUDO = ROOT / "tests" / "fixtures" / "locale" / "make_pseudo.py"
JOB = "scenario_report-plan_targets"
#: a label of the pseudo-language: "[Real GDP ~~~]" (the brackets, the words, the padding)
BRACKETED = re.compile(r"\[[A-Z][^\[\]~]*? ~+(?: ~+)*\]")


@pytest.fixture(scope="module")
def pseudo_run(tmp_path_factory):
    locales = tmp_path_factory.mktemp("locales")
    runpy.run_path(str(MAKE_PSEUDO))["write"](locales)
    out = tmp_path_factory.mktemp("pseudo_run")
    env = {**os.environ, "XIQU_LOCALE_DIRS": str(locales)}
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "xiqu"), "run", str(SCENARIO), "--language", "en-XA", "--paths", "300",
         "--jobs", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=900, cwd=ROOT, env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    run_dir = Path(proc.stdout.strip().splitlines()[-1]).parent
    return run_dir, json.loads((run_dir / "manifest.json").read_text("utf-8"))


def test_the_run_and_its_index_are_in_the_pseudo_language(pseudo_run):
    run_dir, manifest = pseudo_run
    assert manifest["options"]["language"] == "en-XA"
    assert {n: j["status"] for n, j in manifest["notebooks"].items()} == {n: "ok" for n in manifest["notebooks"]}
    index = (run_dir / "index.html").read_text("utf-8")
    assert '<html lang="en-XA">' in index
    assert len(BRACKETED.findall(index)) >= 5, index[:2000]


def test_scenario_report_html_shows_bracketed_labels(pseudo_run):
    run_dir, _ = pseudo_run
    html = (run_dir / JOB / "scenario_report.html").read_text("utf-8")
    assert '<html lang="en">' in html  # nbconvert's page takes the tag's primary language
    assert re.search(r"\[Real GDP ~+\]", html)
    assert len(BRACKETED.findall(html)) >= 30
    # the scenario's English texts count as given: en-XA declares English its fallback
    text = (run_dir / JOB / "text.md").read_text("utf-8")
    assert "Chinese only" not in text


def test_scenario_report_docx_reopens_with_bracketed_labels(pseudo_run):
    import docx

    run_dir, _ = pseudo_run
    doc = docx.Document(str(run_dir / JOB / f"{JOB}.docx"))
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for table in doc.tables for row in table.rows for c in row.cells)
    assert len(BRACKETED.findall(paragraphs)) >= 20
    assert BRACKETED.search(cells), "no bracketed table header"
    assert doc.tables and doc.core_properties.language == "en-GB"  # English's settings, the fallback's


def test_scenario_report_pdf_text_shows_bracketed_labels(pseudo_run):
    from pypdf import PdfReader

    run_dir, _ = pseudo_run
    reader = PdfReader(str(run_dir / JOB / f"{JOB}.pdf"))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert len(reader.pages) >= 2
    flat = " ".join(text.split())
    assert len(re.findall(r"\[[A-Z][^\[\]]*?~~", flat)) >= 20, flat[:2000]
