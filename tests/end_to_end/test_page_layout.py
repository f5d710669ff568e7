"""The pages of a Chinese run's Word and PDF versions, as a reader gets them, fit to send.

The PDFs (WeasyPrint) and the Word files laid out by LibreOffice (``soffice --headless --convert-to pdf``, as an
office opens them) of every report of one Chinese run of the annual review suite (the scenario reports, their
comparison, the data audit and the review) are read back with pdfplumber (:mod:`tests.helpers.pages`): no page
ends on a heading or a table caption, none is empty or holds a heading alone, landscape pages hold wide tables
only, every heading and caption is on a page, and no number of a Word table cell is broken across lines.
"""
from __future__ import annotations

import json

import pytest

from tests.helpers.pages import layout_problems, libreoffice_pdfs, read_pages

pytestmark = pytest.mark.notebook

REPORTS = {"annual_review-2024", "data_audit", "scenario_comparison", "scenario_report-plan_targets",
           "scenario_report-trend", "scenario_report-low", "scenario_report-high"}


@pytest.fixture(scope="module")
def reports(zh_review_run):
    folders = {p.name: p for p in zh_review_run.iterdir() if (p / "document.json").is_file()}
    assert set(folders) == REPORTS
    entries = json.loads((zh_review_run / "manifest.json").read_text("utf-8"))["notebooks"]
    return {name: (json.loads((f / "document.json").read_text("utf-8")), zh_review_run / entries[name]["docx"],
                   zh_review_run / entries[name]["pdf"])
            for name, f in sorted(folders.items())}


def test_pdf_pages_fit_to_send(reports):
    """Every page of the seven PDFs (about 90 pages: a few seconds each to read)."""
    problems, landscape = [], 0
    for name, (document, docx, pdf) in reports.items():
        pages = read_pages(pdf)
        landscape += sum(p.landscape for p in pages)
        problems += layout_problems(pages, document, docx, f"{name}.pdf")
    assert problems == []
    assert landscape >= 1  # the data audit's table of checks needs a landscape page


def test_word_pages_laid_out_by_libreoffice_fit_to_send(reports, tmp_path):
    """Every page of the seven Word files as LibreOffice lays them out (one soffice for all: about a minute)."""
    laid_out = libreoffice_pdfs([docx for _, docx, _ in reports.values()], tmp_path)
    problems, pages_of = [], {}
    for name, (document, docx, _) in reports.items():
        pages = read_pages(laid_out[docx])
        pages_of[name] = pages
        problems += layout_problems(pages, document, docx, f"{name}.docx")
    assert problems == []
    review = pages_of["annual_review-2024"]
    assert len(review) <= 12 and sum(p.landscape for p in review) <= 2  # its small tables stay portrait
