"""``xiqu sensitivity``: the CSV holds the library's table; the table format; a bad step is refused."""
from __future__ import annotations


import numpy as np
import pandas as pd

from xiqu_analysis import config
from xiqu_analysis.cli import main
from xiqu_analysis.economics.sensitivity import SENSITIVITY_COLUMNS, sensitivity


def test_cli_csv_and_table(tmp_path, capsys, plan, region):
    plan_table = sensitivity(plan, region)  # the library's table of the same scenario
    scen = str(config.scenario_dir() / "plan_targets.yaml")
    out = tmp_path / "sens.csv"
    assert main(["sensitivity", scen, "--format", "csv", "--output", str(out)]) == 0
    frame = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert list(frame.columns) == list(SENSITIVITY_COLUMNS)
    assert len(frame) == len(plan_table)
    np.testing.assert_allclose(frame["swing"].to_numpy(float), plan_table["swing"].to_numpy(), atol=5e-7)
    capsys.readouterr()
    assert main(["sensitivity", scen]) == 0
    text = capsys.readouterr().out
    assert "gdp_real 2035 [亿元]" in text and "re-normalises" in text
    assert main(["sensitivity", scen, "--growth-step", "-1"]) == 2
    assert "--growth-step" in capsys.readouterr().err
