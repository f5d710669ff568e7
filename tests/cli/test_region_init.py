"""``xiqu region init``: a new region drafted from its plan (an invented county and plan)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from xiqu_analysis.cli import main
from xiqu_analysis.errors import EXIT_BAD_INPUT

from tests.helpers.invented_plan import PLAN

ROOT = Path(__file__).resolve().parents[2]



@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "indicators.csv", data / "indicators.csv")
    shutil.copytree(ROOT / "data" / "extract", data / "extract")
    (data / "regions").mkdir()
    monkeypatch.setenv("XIQU_DATA_DIR", str(data))
    return data


def test_init_writes_a_region_that_loads_and_projects(data_dir, tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    assert main(["region", "init", "liuping", "--name-zh", "柳坪县", "--name-en", "Liuping county",
                 "--plan", str(plan)]) == 0
    folder = data_dir / "regions" / "liuping"
    region = yaml.safe_load((folder / "region.yaml").read_text(encoding="utf-8"))
    assert (region["base_year"], region["plan_end_year"], region["long_range_year"]) == (2025, 2030, 2040)
    trend = yaml.safe_load((folder / "scenarios" / "liuping_trend.yaml").read_text(encoding="utf-8"))
    assert trend["gdp_base"] == 104.0 and trend["sector_shares"] == {"primary": 0.12, "secondary": 0.41,
                                                                      "tertiary": 0.47}
    assert trend["real_growth_pct"]["primary"] == {"2026-2030": 5.4, "2031-2040": 5.4}
    assert "GDP per capita" in trend["assumptions"]["population.base"]["en"]  # said so, in each language
    assert "人均地区生产总值" in trend["assumptions"]["population.base"]["zh"]
    plan_targets = yaml.safe_load((folder / "scenarios" / "liuping_plan_targets.yaml").read_text(encoding="utf-8"))
    assert plan_targets["real_growth_pct"]["secondary"]["2026-2030"] == 7.0
    assert plan_targets["sources"]["real_growth_pct.secondary.2026-2030"] == \
        "liuping.industrial_va_growth.2026-2030.target"
    assert "liuping_trend.yaml" in capsys.readouterr().out


def test_a_missing_input_is_named_and_nothing_is_written(data_dir, tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN.replace("一般公共预算收入从4.00亿元增长到5.20亿元，年均增长5.4%。", ""), encoding="utf-8")
    assert main(["region", "init", "liuping", "--name-zh", "柳坪县", "--name-en", "Liuping county",
                 "--plan", str(plan)]) == EXIT_BAD_INPUT
    assert "general_budget_revenue: the 2025 general budget revenue" in capsys.readouterr().err
    assert not (data_dir / "regions" / "liuping").exists()


def test_an_existing_region_is_never_overwritten(data_dir, tmp_path, capsys):
    (data_dir / "regions" / "liuping").mkdir()
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    assert main(["region", "init", "liuping", "--name-zh", "柳坪县", "--name-en", "Liuping county",
                 "--plan", str(plan)]) == EXIT_BAD_INPUT
    assert "exists already" in capsys.readouterr().err


def test_run_region_needs_the_regions_scenarios(data_dir, tmp_path, capsys):
    assert main(["run", "--region", "liuping", "--out", str(tmp_path / "runs")]) == EXIT_BAD_INPUT
    assert "no scenario of region 'liuping'" in capsys.readouterr().err
    assert main(["run", "x.yaml", "--region", "liuping", "--out", str(tmp_path / "runs")]) == EXIT_BAD_INPUT
    assert "not both" in capsys.readouterr().err
