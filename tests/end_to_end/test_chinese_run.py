"""``xiqu run --language zh`` with real kernels: no run of English words in anything a reader sees."""
from __future__ import annotations

import json

import pytest

from tests.helpers.english_runs import english_runs, visible_text

SHIPPED = ["plan_targets", "trend", "low", "high"]


@pytest.mark.notebook
def test_xiqu_run_in_chinese_has_no_english(tmp_path, monkeypatch):
    """``xiqu run --language zh`` with real kernels: every HTML page (its visible text, commands and file
    names in <code> aside), text.md, CSV and caption of every report, and the index, hold no run of four
    English words; each page ends with the 附注."""
    from xiqu_analysis.cli import main

    monkeypatch.setenv("XIQU_OUTPUT_DIR", str(tmp_path))
    assert main(["run", "--language", "zh", "--paths", "200", "--jobs", "2"]) == 0
    (run_dir,) = [p for p in tmp_path.iterdir() if p.is_dir() and p.name != "latest"]
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
