"""``xiqu forecast`` on the SYNTHETIC bulletin (tests/fixtures): the table, the CSV, an unknown indicator."""
from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from xiqu_analysis.cli import main
from tests.helpers import FIXTURES

FIXTURE = FIXTURES / "actuals_synthetic.csv"


# --------------------------------------------------------------------------- CLI
def test_cli_forecast_table(capsys):
    assert main(["forecast", str(FIXTURE), "--indicator", "gdp", "--horizon", "2"]) == 0
    out = capsys.readouterr().out
    # 4 points: the average-growth model (drift, 3+ points) is the only one short enough; no fallback needed
    assert "method: drift (selection: only_candidate)" in out and "fallback reason: none" in out
    assert "2024" in out and "2025" in out


def test_cli_forecast_csv(capsys):
    assert main(["forecast", str(FIXTURE), "--indicator", "gdp_growth", "--format", "csv", "--horizon", "3"]) == 0
    frame = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert list(frame["year"]) == [2024, 2025, 2026]
    assert frame["point"].to_numpy() == pytest.approx(np.full(3, (5.0 + 4.0 + 8.0) / 3))
    assert (frame["method"] == "mean").all()


def test_cli_forecast_bad_indicator_exit_2(capsys):
    assert main(["forecast", str(FIXTURE), "--indicator", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no rows for 'nope'" in err
