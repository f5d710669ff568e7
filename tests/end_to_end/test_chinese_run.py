"""``xiqu run --language zh`` with real kernels: no run of English words in anything a reader sees."""
from __future__ import annotations

import json

import pytest

from tests.helpers.english_runs import english_runs, visible_text
from tests.helpers.shared_runs import ZH_DEFAULT_SUITE, shared_run

SHIPPED = ["plan_targets", "trend", "low", "high"]


@pytest.mark.notebook
def test_xiqu_run_in_chinese_has_no_english(tmp_path_factory):
    """``xiqu run --language zh`` with real kernels: every HTML page (its visible text, commands and file
    names in <code> aside), text.md, CSV and caption of every report, and the index, hold no run of four
    English words; each page ends with the 附注.

    Over 20 s: the run of the six notebooks of the default suite, HTML, Word and PDF (about 30 s on 2 cores),
    made once for this test and test_formats_notebooks.py."""
    run = shared_run(tmp_path_factory, ZH_DEFAULT_SUITE)
    assert run.returncode == 0, run.stderr[-3000:]
    run_dir = run.run_dir
    assert [p.name for p in run_dir.parent.iterdir() if p.is_dir() and p.name != "latest"] == [run_dir.name]
    pages = sorted(run_dir.glob("*/*.html"))
    assert len(pages) == len(SHIPPED) + 2
    found = {}
    for path in [*pages, run_dir / "index.html"]:
        text = visible_text(path.read_text("utf-8"), skip_code=True)
        if path.name != "index.html":
            assert "附注" in text and "No description" not in text, path
        found[str(path.relative_to(run_dir))] = english_runs(text)
    for folder in {p.parent for p in pages}:
        csvs = [] if folder.name == "data_audit" else sorted((folder / "tables").glob("*.csv"))  # audit: data exports
        for path in [folder / "text.md", *csvs]:
            found[str(path.relative_to(run_dir))] = english_runs(path.read_text("utf-8"))
        captions = json.loads((folder / "artifacts.json").read_text("utf-8"))["captions"]
        found[f"{folder.name}/captions"] = english_runs("\n".join(captions.values()))
    assert {k: v for k, v in found.items() if v} == {}
