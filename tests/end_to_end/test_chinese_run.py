"""``xiqu run --language zh`` with real kernels: no run of English words in anything a reader sees.

The run is the shared Chinese run of the annual review suite (tests/end_to_end/conftest.py): the default
suite's six notebooks (every shipped scenario's report, the comparison, the audit) and the review of 2024.
"""
from __future__ import annotations

import json

import pytest

from tests.helpers.english_runs import english_runs, visible_text

SHIPPED = ["plan_targets", "trend", "low", "high"]


@pytest.mark.notebook
def test_xiqu_run_in_chinese_has_no_english(zh_review_run):
    """``xiqu run --language zh`` with real kernels: every HTML page (its visible text, commands and file
    names in <code> aside), text.md, CSV and caption of every report, and the index, hold no run of four
    English words; each page of the default suite ends with the 附注.

    Over 20 s when it is the first to ask for the shared run (seven notebooks, HTML, Word and PDF: about 45 s
    on 2 cores), made once for this test, test_formats_notebooks.py, test_page_layout.py and
    test_index_names_runs.py."""
    run_dir = zh_review_run
    assert [p.name for p in run_dir.parent.iterdir() if p.is_dir() and p.name != "latest"] == [run_dir.name]
    pages = sorted(run_dir.glob("*/*.html"))
    assert {p.parent.name for p in pages} == {*(f"scenario_report-{s}" for s in SHIPPED), "scenario_comparison",
                                              "data_audit", "annual_review-2024"}
    assert len(pages) == len(SHIPPED) + 3
    found = {}
    for path in [*pages, run_dir / "index.html"]:
        text = visible_text(path.read_text("utf-8"), skip_code=True)
        if path.name != "index.html":
            assert "No description" not in text, path
        if path.parent.name != "annual_review-2024" and path.name != "index.html":  # the default suite's pages
            assert "附注" in text, path
        found[str(path.relative_to(run_dir))] = english_runs(text)
    for folder in {p.parent for p in pages}:
        # the audit's and the review's CSVs are data exports (codes as headers and values, for machines)
        csvs = [] if folder.name in ("data_audit", "annual_review-2024") else sorted((folder / "tables").glob("*.csv"))
        for path in [folder / "text.md", *csvs]:
            found[str(path.relative_to(run_dir))] = english_runs(path.read_text("utf-8"))
        captions = json.loads((folder / "artifacts.json").read_text("utf-8"))["captions"]
        found[f"{folder.name}/captions"] = english_runs("\n".join(captions.values()))
    assert {k: v for k, v in found.items() if v} == {}
