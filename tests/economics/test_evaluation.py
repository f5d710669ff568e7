"""The plan evaluation (中期评估 / 总结评估): every target's progress against time and its verdict, by hand.

An invented county (base 2018, plan 2019-2023) with four targets:

* industry average growth at least 7.5 % a year 2019-2023 (预期性); actuals
  8, 8, 8: average 8.0, gap +0.5 pp -> ahead; the two remaining years need
  ``(1.075^5 / 1.08^3)^(1/2) - 1`` = 6.7543 % a year;
* services at least 8.5 %; actuals 7, 7, 7 -> 1.5 pp behind -> behind;
* urbanisation rate 70 % in 2023 from 60 % in 2018 (约束性); 65 % in 2021:
  task progress (65 - 60) / (70 - 60) = 50 % against time progress 3/5 = 60 %
  -> within 10 points -> on track; it needs (70 - 65) / 2 = 2.5 points a year;
* energy use per unit of GDP down 13.5 % over 2019-2023 (下降, 约束性); yearly
  falls 3, 3, 2.5: achieved 1 - 0.97 x 0.97 x 0.975 = 8.2623 %, progress
  61.2 % against 60 % -> on track; the remaining two years need a fall of
  1 - ((1 - 0.135) / 0.917378)^(1/2) = 2.8966 % a year.
"""
from __future__ import annotations

import math
import shutil

import pandas as pd
import pytest

from xiqu_analysis.economics.evaluation import (
    evaluate_plan,
    required_average_growth_pct,
    time_progress_pct,
)
from xiqu_analysis.inputs.bulletins import load_bulletin
from xiqu_analysis.inputs.regions import load_region

from tests.helpers import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "fictional"
TARGETS = """\
ostland.urbanisation_rate.2018,urbanisation_rate,ostland,2018,,60.0,%,not_applicable,actual,invented plan ch.1,-,low,invented for tests
ostland.urbanisation_rate.2023,urbanisation_rate,ostland,2023,,70.0,%,not_applicable,target,invented plan ch.2,常住人口城镇化率达到70%（约束性）,low,invented for tests
ostland.energy_intensity_reduction.2019-2023,energy_intensity_reduction,ostland,,2019-2023,13.5,%,not_applicable,target,invented plan ch.2,单位地区生产总值能耗累计下降13.5%（约束性）,low,invented for tests
"""
ACTUALS = """\
region,indicator,year,value,unit,price_basis,source
ostland,industrial_va_growth,2019,8.0,%,comparable,INVENTED
ostland,industrial_va_growth,2020,8.0,%,comparable,INVENTED
ostland,industrial_va_growth,2021,8.0,%,comparable,INVENTED
ostland,services_va_growth,2019,7.0,%,comparable,INVENTED
ostland,services_va_growth,2020,7.0,%,comparable,INVENTED
ostland,services_va_growth,2021,7.0,%,comparable,INVENTED
ostland,urbanisation_rate,2021,65.0,%,not_applicable,INVENTED
ostland,energy_intensity_reduction,2019,3.0,%,not_applicable,INVENTED
ostland,energy_intensity_reduction,2020,3.0,%,not_applicable,INVENTED
ostland,energy_intensity_reduction,2021,2.5,%,not_applicable,INVENTED
ostland,industrial_va_growth,2022,7.0,%,comparable,INVENTED
ostland,industrial_va_growth,2023,7.0,%,comparable,INVENTED
ostland,urbanisation_rate,2023,70.5,%,not_applicable,INVENTED
"""


@pytest.fixture
def county(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE / "data", data)
    shutil.copy(ROOT / "data" / "indicators.csv", data / "indicators.csv")
    figures = data / "regions" / "ostland" / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    text = text.replace("2019-2023,6.0,%,comparable,target", "2019-2023,7.5,%,comparable,target")  # industry
    text = text.replace("2019-2023,7.0,%,comparable,target", "2019-2023,8.5,%,comparable,target")  # services
    figures.write_text(text + TARGETS, encoding="utf-8")
    (tmp_path / "actuals.csv").write_text(ACTUALS, encoding="utf-8")
    region = load_region("ostland", data)
    return region, load_bulletin(tmp_path / "actuals.csv", indicators=region.indicators)


def _rows(region, actuals, year) -> pd.DataFrame:
    return evaluate_plan(region, actuals, year).table.set_index("indicator")


def test_time_progress_and_required_growth_by_hand():
    assert time_progress_pct(2023, 2020, 2025) == 60.0
    assert time_progress_pct(2019, 2020, 2025) == 0.0 and time_progress_pct(2030, 2020, 2025) == 100.0
    assert required_average_growth_pct(7.5, 5, 1.08**3, 2) == pytest.approx(
        100 * ((1.075**5 / 1.08**3) ** 0.5 - 1), rel=1e-12)


def test_mid_term_verdicts_by_hand(county):
    region, actuals = county
    t = _rows(region, actuals, 2021)
    ind = t.loc["industrial_va_growth"]
    assert (ind["target_type"], ind["verdict"], ind["latest_year"]) == ("growth", "ahead", 2021)
    assert ind["average_pct"] == pytest.approx(8.0) and ind["gap_pp"] == pytest.approx(0.5)
    assert ind["required"] == pytest.approx(6.7543, abs=1e-4) and ind["required_kind"] == "average"
    assert ind["time_progress_pct"] == 60.0
    assert t.loc["services_va_growth", "verdict"] == "behind"
    assert t.loc["services_va_growth", "gap_pp"] == pytest.approx(-1.5)
    urban = t.loc["urbanisation_rate"]
    assert (urban["target_type"], urban["attribute"], urban["verdict"]) == ("level", "binding", "on_track")
    assert urban["base_value"] == 60.0 and urban["progress_pct"] == pytest.approx(50.0)
    assert (urban["required"], urban["required_unit"]) == (pytest.approx(2.5), "pp")
    energy = t.loc["energy_intensity_reduction"]
    assert (energy["target_type"], energy["attribute"], energy["verdict"]) == ("cumulative", "binding", "on_track")
    assert energy["latest_value"] == pytest.approx(100 * (1 - 0.97 * 0.97 * 0.975))
    assert energy["progress_pct"] == pytest.approx(100 * 100 * (1 - 0.97 * 0.97 * 0.975) / 13.5)  # 61.2 %
    assert energy["required"] == pytest.approx(100 * (1 - ((1 - 0.135) / (0.97 * 0.97 * 0.975)) ** 0.5))
    # the region's own growth targets without 属性 in their words have none
    assert t.loc["industrial_va_growth", "attribute"] == ""


def test_one_remaining_year_is_that_years_growth(county):
    region, actuals = county
    t = _rows(region, actuals, 2022)
    ind = t.loc["industrial_va_growth"]
    assert ind["required_kind"] == "single_year" and ind["remaining_years"] == 1
    assert ind["required"] == pytest.approx(100 * (1.075**5 / (1.08**3 * 1.07) - 1), rel=1e-12)


def test_final_review_and_a_target_reached_early(county):
    region, actuals = county
    t = _rows(region, actuals, 2023)
    assert t.loc["industrial_va_growth", "verdict"] == "achieved"  # (1.08^3 x 1.07^2)^(1/5) = 7.60 % >= 7.5
    assert t.loc["industrial_va_growth", "average_pct"] == pytest.approx(100 * ((1.08**3 * 1.07**2) ** 0.2 - 1))
    assert t.loc["services_va_growth", "verdict"] == "behind"  # its actuals stop at 2021: still behind
    assert t.loc["agriculture_va_growth", "verdict"] == "no_data"  # no actual figure: said, not hidden
    assert t.loc["urbanisation_rate", "verdict"] == "achieved"
    ev = evaluate_plan(region, actuals, 2023)
    assert ev.final is True and ev.counts() == {"achieved": 2, "behind": 1, "on_track": 1, "no_data": 1}
    early = _rows(region, actuals[~((actuals["indicator"] == "urbanisation_rate") & (actuals["year"] == 2021))]
                  .assign(year=lambda f: f["year"].where(f["indicator"] != "urbanisation_rate", 2022)), 2022)
    assert early.loc["urbanisation_rate", "verdict"] == "achieved_early"  # 70.5 % in 2022 > 70 %


def test_missing_data_is_said(county):
    region, actuals = county
    t = _rows(region, actuals.iloc[0:0], 2021)
    assert set(t["verdict"]) == {"no_data"}
    assert t["time_progress_pct"].eq(60.0).all()


def test_gdp_growth_against_what_the_floors_imply(county):
    from xiqu_analysis.economics.evaluation import gdp_against_floors

    region, actuals = county
    extra = pd.DataFrame([dict(region="ostland", indicator="gdp_growth", year=y, value=v, unit="%",
                               price_basis="comparable", source="INVENTED") for y, v in ((2019, 6.0), (2020, 6.5))]
                         + [dict(region="ostland", indicator=f"{s}_va", year=2018, value=v, unit="亿元",
                                 price_basis="current", source="INVENTED")
                            for s, v in (("primary", 5.0), ("secondary", 25.0), ("tertiary", 20.0))])
    both = pd.concat([actuals, extra], ignore_index=True)
    check = gdp_against_floors(region, both, 2021)
    # shares 0.1 / 0.5 / 0.4 of the 2018 actual levels; floors 3.0 / 7.5 / 8.5 (agriculture's is the fixture's)
    assert check.shares_from == "actuals" and check.shares == pytest.approx((0.1, 0.5, 0.4))
    total = [0.1 * 1.03**t + 0.5 * 1.075**t + 0.4 * 1.085**t for t in range(6)]
    assert check.implied_pct == pytest.approx(100 * ((total[5] / total[0]) ** 0.2 - 1), rel=1e-12)
    assert check.through_year == 2020 and check.average_pct == pytest.approx(100 * ((1.06 * 1.065) ** 0.5 - 1))
    assert check.gap_pp == pytest.approx(check.average_pct - check.implied_pct)
    assumed = gdp_against_floors(region, actuals, 2021, scenario_shares=(0.2, 0.5, 0.3))
    assert assumed.shares_from == "scenarios" and math.isnan(assumed.average_pct)  # no GDP growth: said as NaN
