"""notebooks/annual_review executed with papermill in a real kernel: without actuals, and on synthetic actuals
(tests/fixtures, labelled SYNTHETIC)."""
from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import ROOT
from tests.helpers.actuals import PLAN_FILE, SYNTHETIC


def _run_notebook(tmp_path, **params):
    import papermill

    out = tmp_path / "out"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "annual_review.ipynb"), str(tmp_path / "executed.ipynb"),
        parameters=dict(output_dir=str(out), scenario_paths=[str(PLAN_FILE)], **params),
        cwd=str(ROOT / "notebooks"), kernel_name="python3", progress_bar=False, execution_timeout=600,
    )
    manifest = json.loads((out / "artifacts.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True
    for item in manifest["tables"] + manifest["figures"]:  # paths relative to the output folder
        assert (out / item).is_file()
    assert (out / "tables.xlsx").is_file()
    return out, manifest


@pytest.mark.notebook
def test_notebook_no_actuals(tmp_path, monkeypatch):
    # a data folder without a default bulletin file (the kernel inherits the environment)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "bulletins" / "xiqu_actuals.csv").unlink(missing_ok=True)
    monkeypatch.setenv("XIQU_DATA_DIR", str(data))
    out, manifest = _run_notebook(tmp_path, review_year=2025, actuals_path="")
    assert "No actual figures after 2020" in (out / "text.md").read_text(encoding="utf-8")
    req = pd.read_csv(out / "tables" / "required_growth.csv")
    assert sorted(req["required_pct"].round(6)) == [3.5, 7.5, 8.5]
    assert [Path(f).stem for f in manifest["figures"]] == ["real_growth_vs_floors"]  # floors and scenarios, no dots


@pytest.mark.notebook
def test_notebook_synthetic_actuals(tmp_path):
    out, manifest = _run_notebook(tmp_path, review_year=2025, actuals_path=str(SYNTHETIC), language="zh")
    names = {Path(t).stem for t in manifest["tables"]}
    assert {"actuals", "plan_comparison", "scenario_scores", "rebased", "required_growth", "calibration",
            "tracking", "scenario_summary", "outlook", "scorecard", "targets_ahead"} <= names
    assert [Path(f).stem for f in manifest["figures"]] == ["real_growth_vs_floors", "gdp_rebased"]
    rb = pd.read_csv(out / "tables" / "rebased.csv")
    assert math.isclose(rb.loc[rb["year"] == 2023, "rebased"].iloc[0], 100.0, rel_tol=1e-9)
    req = pd.read_csv(out / "tables" / "required_growth.csv").set_index("column")
    assert req.loc["secondary", "note"] == "工业增加值增速 2021—2023年逐年连乘累计"  # the indicator's label
    text = (out / "text.md").read_text(encoding="utf-8")
    assert text.startswith("# 2025年度规划实施评估") and "本评估将统计公报文件提供的攀枝花市西区实际数据" in text
    assert manifest["captions"]["tables/actuals.csv"] == "所用实际数据（统计公报文件；攀枝花市西区，截至评估年份）"
