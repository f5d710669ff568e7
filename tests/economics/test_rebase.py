"""economics.rebase on INVENTED actuals (tests/fixtures): a scenario re-based on the latest actual year.

Hand-computed: the invented file's 2025 levels are GDP 128.00 亿元, sector value
added 2.56 / 74.24 / 51.20 亿元 (shares 0.02 / 0.58 / 0.40 of their sum),
12.50 万人 = 125,000 persons, urban income 58,000 元, budget revenue 2.60 亿元.
``xiqu rebase`` and the actuals sources of the scenario it writes: tests/cli/test_rebase.py.
"""
from __future__ import annotations


import pandas as pd
import pytest

from xiqu_analysis.economics.projection import project
from xiqu_analysis.economics.rebase import rebase_scenario
from xiqu_analysis.economics.review_scores import rebase_path
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.bulletins import load_bulletin
from tests.helpers import FIXTURES

INVENTED = FIXTURES / "actuals_invented_2021_2025.csv"


@pytest.fixture(scope="module")
def actuals(region):
    return load_bulletin(INVENTED, indicators=region.indicators)


def test_levels_of_the_latest_year_from_the_actuals(plan, actuals, region):
    rb = rebase_scenario(plan, actuals, 2025, region, actuals_ref="a.csv")
    d = rb.data
    assert rb.base_year == 2025 and d["base_year"] == 2025 and d["end_year"] == 2035
    assert d["gdp_base"] == 128.0 and d["population"]["base"] == 125000.0
    assert d["urban_income"]["base"] == 58000.0 and d["fiscal_revenue"]["base"] == pytest.approx(2.6)
    assert d["sources"] == {"gdp_base": "actuals:xiqu.gdp.2025", "population.base": "actuals:xiqu.resident_population.2025",
                            "urban_income.base": "actuals:xiqu.urban_disposable_income.2025",
                            "fiscal_revenue.base": "actuals:xiqu.general_budget_revenue.2025"}
    assert d["sector_shares"] == pytest.approx({"primary": 0.02, "secondary": 0.58, "tertiary": 0.40}, abs=1e-15)
    assert sum(d["sector_shares"].values()) == pytest.approx(1.0, abs=1e-15)
    assert rb.origins["sector_shares"].code == "actual_shares"
    # growth: the old scenario's remaining path, every part an assumption carried over
    assert d["real_growth_pct"] == {"primary": {"2026-2035": 3.0}, "secondary": {"2026-2035": 5.0},
                                    "tertiary": {"2026-2035": 6.0}}
    # plan_targets: population flat to 2023 (the end-2023 count), then -0.5 % a year
    assert d["deflator_pct"] == 2.0 and d["population"]["growth_pct"] == {"2026-2035": -0.5}
    # the new base year's own change (for its average population): the actuals hold no population before 2025,
    # so none is assumed, the same for every scenario (tests/economics/test_rebase_population.py)
    assert d["population"]["base_year_growth_pct"] == 0.0
    assert rb.origins["population.base_year_growth_pct"].code == "no_change"
    carried = rb.origins["real_growth_pct.secondary.2026-2035"]
    assert (carried.code, carried.old_period, carried.old_value, carried.old_status) == ("carried_growth", "2026-2035",
                                                                                         5.0, "assumed")
    assert "2.5 points below" in carried.old_source  # the old file's own reason


def test_an_earlier_year_cuts_the_periods_and_carries_the_projection(plan, actuals, region):
    rb = rebase_scenario(plan, actuals, 2023, region, actuals_ref="a.csv")
    d = rb.data
    assert rb.base_year == 2023 and d["gdp_base"] == 107.0
    assert d["real_growth_pct"]["secondary"] == {"2024-2025": 7.5, "2026-2035": 5.0}
    floor = rb.origins["real_growth_pct.secondary.2024-2025"]
    assert (floor.old_period, floor.old_status, floor.old_source) == ("2021-2025", "sourced",
                                                                     "xiqu.industrial_va_growth.2021-2025")
    old = project(plan)
    # no population, income, revenue or sector value added in 2023: the old projection's, carried over
    assert rb.origins["population.base"].code == "projected_level"
    assert d["population"]["base"] == pytest.approx(old.at(2023, "population"), rel=1e-15)
    assert rb.origins["sector_shares"].code == "projected_shares"
    assert d["sector_shares"]["secondary"] == pytest.approx(old.at(2023, "secondary_share"), rel=1e-12)
    assert list(d["sources"]) == ["gdp_base"]


def test_with_the_projected_shares_nominal_gdp_is_the_rebased_path(plan, actuals, region):
    """Re-based on 2023 with the old shares, the new scenario's nominal GDP is the old path moved onto 107 亿元."""
    from xiqu_analysis.inputs.scenario import scenario_from_dict

    rb = rebase_scenario(plan, actuals, 2023, region, actuals_ref="a.csv")
    new = project(scenario_from_dict({**rb.data, "title": "x"})).column("gdp_nominal")
    moved = rebase_path(project(plan).column("gdp_nominal"), 2023, 107.0)
    pd.testing.assert_series_equal(new, moved, check_names=False, rtol=1e-12)


def test_no_gdp_level_is_refused(plan, region, tmp_path):
    path = tmp_path / "growth_only.csv"
    path.write_text("# INVENTED\nregion,indicator,year,value,unit,price_basis,source\n"
                    "xiqu,gdp_growth,2021,7,%,comparable,INVENTED\n", encoding="utf-8")
    frame = load_bulletin(path, indicators=region.indicators)
    with pytest.raises(InputError) as exc:
        rebase_scenario(plan, frame, 2025, region, actuals_ref="x", source=str(path))
    assert exc.value.source == str(path) and exc.value.field == "year"
    assert "no actual GDP level" in exc.value.problem and "2021-2025" in exc.value.problem
    with pytest.raises(InputError, match="2020 is not after the scenario's base year 2020"):
        rebase_scenario(plan, frame, 2020, region, actuals_ref="x", source=str(path))
