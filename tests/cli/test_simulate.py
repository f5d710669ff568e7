"""``xiqu simulate``: byte-identical CSV for a seed across processes, one-line refusals, the table format."""
from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from xiqu_analysis import config
from xiqu_analysis.economics.uncertainty import simulate
from xiqu_analysis.inputs.scenario import load_scenario


# --------------------------------------------------------------------------- CLI
def _xiqu(*args, cwd=None):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "xiqu_analysis", *args], capture_output=True, cwd=cwd, timeout=120
    )


@pytest.mark.process
def test_cli_same_seed_gives_byte_identical_csv(tmp_path):
    from xiqu_analysis.cli import main

    scen = str(config.scenario_dir() / "plan_targets.yaml")
    args = ("simulate", scen, "--paths", "500", "--seed", "42", "--format", "csv")
    first = _xiqu(*args)  # two separate processes: nothing carried over in memory
    second = _xiqu(*args)
    assert first.returncode == 0, first.stderr.decode()
    assert first.stdout == second.stdout
    lines = first.stdout.decode("utf-8").splitlines()
    assert lines[0] == "year,indicator,unit,p5,p10,p25,p50,p75,p90,p95"
    assert len(lines) == 1 + 4 * 16
    out, other = tmp_path / "sim.csv", tmp_path / "other.csv"
    assert main([*args, "--output", str(out)]) == 0
    assert out.read_bytes() == first.stdout
    assert main([*args[:5], "43", "--format", "csv", "--output", str(other)]) == 0
    assert other.read_bytes() != first.stdout
    # the CSV holds the library's numbers, rounded to 6 decimals
    lib = simulate(load_scenario(scen), n_paths=500, random_state=42).percentiles
    frame = pd.read_csv(out)
    np.testing.assert_allclose(frame["p50"].to_numpy(), lib["p50"].to_numpy(), atol=5e-7)


@pytest.mark.parametrize(
    "args, needle",
    [(["--paths", "0"], "--paths"), (["--paths", "-3"], "--paths"), (["--seed", "-1"], "--seed"), (["--paths", "ten"], "--paths")],
)
def test_cli_bad_arguments_exit_2_with_one_line(args, needle, capsys):
    from xiqu_analysis.cli import main

    assert main(["simulate", str(config.scenario_dir() / "trend.yaml"), *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and needle in captured.err and "Traceback" not in captured.err


def test_cli_table_format_lists_probabilities(capsys):
    from xiqu_analysis.cli import main

    assert main(["simulate", str(config.scenario_dir() / "trend.yaml"), "--paths", "500"]) == 0
    text = capsys.readouterr().out
    assert "gdp_per_capita [元]" in text and "not a target of the plan" in text and "seed 20210801" in text
