"""``xiqu targets --solve``: the constant growth each scenario needs for a target, in CSV and as a table;
refusals."""
from __future__ import annotations


import io

import pandas as pd

from xiqu_analysis.cli import main
from tests.helpers import SCENARIO_DIR


# --------------------------------------------------------------------------- xiqu targets --solve
def test_xiqu_targets_solve(capsys):
    root = SCENARIO_DIR
    plan, low = str(root / "plan_targets.yaml"), str(root / "low.yaml")
    assert main(["targets", "--solve", "gdp_real x2 from 2020 by 2035", plan, low, "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    every = table[table["lever"] == "all_sectors"].set_index("scenario")
    assert list(every.index) == ["plan_targets", "low"]
    assert every["required_pct"].round(6).tolist() == [round(100 * (2 ** (1 / 15) - 1), 6)] * 2
    assert main(["targets", "--solve", "urban_income 60000 元 by 2030", low]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Target: urban_income 60000 元 by 2030") and "urban_income.growth_pct" in text
    # (60000 / 41794) ** (1/10) - 1 = 3.68 % a year
    assert f"{100 * ((60000 / 41794) ** 0.1 - 1):.2f}" in text
    assert main(["targets", plan, low]) == 2
    assert "give one scenario file (got 2)" in capsys.readouterr().err
    assert main(["targets", "--solve", "gdp_real 150 by 2030", plan]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "field 'solve'" in err
