"""economics.contributions: the sectors' average growth, 拉动 and 贡献率 over a period."""
from __future__ import annotations

import numpy as np
import pytest

from xiqu_analysis.economics.contributions import SECTOR_PERIOD_COLUMNS, TOTAL, sector_period, sector_periods
from xiqu_analysis.economics.growth import average_growth_pct
from xiqu_analysis.economics.projection import project
from xiqu_analysis import config
from xiqu_analysis.inputs.scenario import SECTORS, load_scenario


@pytest.fixture(scope="module")
def result():
    return project(load_scenario(config.scenario_dir() / "plan_targets.yaml"))


def test_pulls_add_up_to_gdp_growth_and_contributions_to_100(result):
    frame = sector_period(result, 2020, 2025)
    assert tuple(frame.columns) == SECTOR_PERIOD_COLUMNS
    assert frame["part"].tolist() == [*SECTORS, TOTAL]
    parts, total = frame[frame["part"] != TOTAL], frame[frame["part"] == TOTAL].iloc[0]
    gdp = result.table.set_index("year")["gdp_real"]
    assert total["growth_pct"] == pytest.approx(average_growth_pct(gdp[2020], gdp[2025], 5))
    assert parts["pull_pp"].sum() == pytest.approx(total["growth_pct"])
    assert total["pull_pp"] == pytest.approx(total["growth_pct"])
    assert parts["contribution_pct"].sum() == pytest.approx(100.0)
    assert total["contribution_pct"] == 100.0
    secondary = parts.set_index("part").loc["secondary"]
    va = result.table.set_index("year")["secondary"]
    assert secondary["growth_pct"] == pytest.approx(average_growth_pct(va[2020], va[2025], 5))
    assert secondary["pull_pp"] == pytest.approx(total["growth_pct"] * secondary["contribution_pct"] / 100.0)


def test_periods_one_after_another(result):
    frame = sector_periods(result, [(2020, 2025), (2025, 2035)])
    assert len(frame) == 2 * (len(SECTORS) + 1)
    assert frame[["start_year", "end_year"]].drop_duplicates().values.tolist() == [[2020, 2025], [2025, 2035]]
    assert np.isfinite(frame["pull_pp"]).all()
