"""``xiqu audit``: the CSV in a subprocess, the table and an atomic output file, refusals, a new region that is
files only, and ``--scenario`` checks against the region's figures."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from xiqu_analysis.cli import main
from xiqu_analysis.economics.audit import AUDIT_COLUMNS
from tests.helpers import ROOT

PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(PYTHON) if PYTHON.exists() else sys.executable


# --------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------
def _cli(*args, env=None, cwd=ROOT):
    return subprocess.run([PYTHON, "-m", "xiqu_analysis", "audit", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


@pytest.mark.process
def test_cli_csv():
    proc = _cli("--format", "csv")
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(io.StringIO(proc.stdout))
    for col in ("check", "stated", "recomputed", "difference", "verdict"):
        assert col in table.columns
    revenue = table[(table["check"] == "growth_from_stated_change")].iloc[0]
    assert revenue.verdict == "inconsistent" and revenue.recomputed == pytest.approx(5.869, abs=1e-3)


def test_cli_table_and_atomic_output(tmp_path, capsys):
    assert main(["audit"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Source audit of xiqu:") and "Explanations:" in out
    assert re.search(r"growth_from_stated_change\s+general_budget_revenue_growth\s+2016-2020\s+8.24\s+5.87\s+2.37\s+%\s+inconsistent", out)
    out_file = tmp_path / "audit.csv"
    assert main(["audit", "--format", "csv", "--output", str(out_file)]) == 0
    assert capsys.readouterr().out == ""
    assert pd.read_csv(out_file).columns.tolist() == [*AUDIT_COLUMNS, "explanation"]
    assert [p.name for p in tmp_path.iterdir()] == ["audit.csv"]  # no temporary file left


def test_cli_bad_output_folder_is_one_line_exit_2(tmp_path, capsys):
    assert main(["audit", "--output", str(tmp_path / "missing" / "a.csv")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--output" in err and "does not exist" in err


def test_a_new_region_needs_files_only(tmp_path, monkeypatch, capsys):
    dst = tmp_path / "data"
    shutil.copytree(ROOT / "data", dst)
    demo = dst / "regions" / "demo"
    demo.mkdir()
    (demo / "region.yaml").write_text(
        "key: demo\ncode: \"510411\"\nname_en: Demo county\nname_zh: 示例县\nparent: panzhihua\n"
        "benchmark_region: panzhihua\nbase_year: 2020\n", encoding="utf-8")
    (demo / "figures.csv").write_text(
        "id,indicator,region,year,period,value,unit,price_basis,kind,source,quote,trust,note\n"
        "demo.urban_disposable_income.2015,urban_disposable_income,demo,2015,,30000,元,current,actual,bulletin 2015,-,high,\n"
        "demo.urban_disposable_income.2020,urban_disposable_income,demo,2020,,40000,元,current,actual,bulletin 2020,-,high,\n"
        "demo.urban_disposable_income_growth.2016-2020,urban_disposable_income_growth,demo,,2016-2020,5.9,%,current,"
        "stated_average,plan,-,primary,\n", encoding="utf-8")
    monkeypatch.setenv("XIQU_DATA_DIR", str(dst))
    assert main(["audit", "--region", "demo", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    growth = table[table["check"] == "growth_from_levels"].iloc[0]
    # (40000 / 30000) ** (1/5) - 1 = 5.92 % -> 5.9 stated to one decimal is consistent
    assert growth.verdict == "consistent" and growth.recomputed == pytest.approx(5.922, abs=1e-3)
    assert "benchmark" in set(table["check"])  # against Panzhihua's 2020 urban income


# --------------------------------------------------------------------------
# xiqu audit --scenario
# --------------------------------------------------------------------------
def test_cli_scenario_check_flags_a_large_gap(tmp_path, capsys):
    shipped = (ROOT / "scenarios" / "trend.yaml").read_text(encoding="utf-8")
    # the trend as it was before the 2023 count was taken into account: -2.25 % a year from 2021,
    # 129,406 * 0.9775**3 = 120,866 persons in 2023, 6.6 % below the 12.94万 observed
    old = shipped.replace("growth_pct: {2021-2023: 0.0, 2024-2035: -2.25}", "growth_pct: -2.25")
    assert old != shipped
    old = re.sub(r"  population\.growth_pct\.20\d\d-20\d\d:[^\n]*\n(    .*\n)+", "", old)  # (its en and zh lines)
    path = tmp_path / "old_trend.yaml"
    path.write_text(old, encoding="utf-8")
    assert main(["audit", "--scenario", str(path), "--scenario", str(ROOT / "scenarios" / "high.yaml")]) == 0
    out = capsys.readouterr().out
    block = out.split("Scenario trend against data observed after 2020:")[1].split("Scenario high")[0]
    assert "xiqu.resident_population.2023" in block and "LARGE GAP" in block and "-6.59" in block
    assert "within_rounding" in out.split("Scenario high against data observed after 2020:")[1]


def test_cli_scenario_bad_file_is_one_line_exit_2_and_no_output(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\n", encoding="utf-8")
    assert main(["audit", "--scenario", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1 and "bad.yaml" in captured.err
