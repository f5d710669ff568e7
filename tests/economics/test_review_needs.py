"""The rows an annual review needs (economics/review_needs.py), and the review when some are missing.

Actuals: the INVENTED file of tests/fixtures (labelled so) with rows removed. Xiqu's plan has three average
growth targets 2021-2025 (industry, services, agriculture: their rows are required, every year of the
period up to the review year) and one level target (康复器具产业园总产值 50 亿元 in 2025: optional, as are GDP's
real growth of every year since 2020 and its level of the review year).
"""
from __future__ import annotations

import pytest

from xiqu_analysis.economics.calibration import calibration_from_bulletin
from xiqu_analysis.economics.evaluation import evaluate_plan
from xiqu_analysis.economics.review import annual_review
from xiqu_analysis.economics.review_needs import MissingRows, missing_rows, required_missing
from tests.helpers.actuals import INVENTED, load_actuals, without_rows

IND, SER = "xiqu.industrial_va_growth.2021-2025", "xiqu.services_va_growth.2021-2025"
PARK = MissingRows("rehab_park_output", (2025,), "optional", "", "", "xiqu.rehab_park_output.2025")


def test_a_complete_file_lacks_only_the_figure_no_bulletin_gives(region):
    # the park's output is in no bulletin: its absence is stated, never required
    assert missing_rows(region, load_actuals(region, INVENTED), 2025) == (PARK,)
    assert required_missing(region, load_actuals(region, INVENTED), 2025) == ()


def test_a_growth_target_needs_every_year_of_its_period_up_to_the_review_year(region, tmp_path):
    path = without_rows(tmp_path / "a.csv", "industrial_va_growth,2025", "services_va_growth,2022",
                        "services_va_growth,2023")
    actuals = load_actuals(region, path)
    assert required_missing(region, actuals, 2025) == (
        MissingRows("industrial_va_growth", (2025,), "required", "%", "comparable", IND),
        MissingRows("services_va_growth", (2022, 2023), "required", "%", "comparable", SER))
    # a review of 2024 needs nothing of 2025; of 2021, nothing after 2021
    assert required_missing(region, actuals, 2024) == (
        MissingRows("services_va_growth", (2022, 2023), "required", "%", "comparable", SER),)
    assert required_missing(region, actuals, 2021) == ()


def test_gdp_rows_are_optional(region, tmp_path):
    actuals = load_actuals(region, without_rows(tmp_path / "a.csv", "gdp_growth,2022", "gdp_growth,2025", "gdp,2025"))
    assert missing_rows(region, actuals, 2025) == (
        PARK, MissingRows("gdp_growth", (2022, 2025), "optional", "%", "comparable"),
        MissingRows("gdp", (2025,), "optional", "", "current"))
    assert required_missing(region, actuals, 2025) == ()


def test_no_actuals_at_all_lack_every_row(region):
    found = missing_rows(region, None, 2023)
    assert [(m.indicator, m.years, m.need) for m in found] == [
        ("industrial_va_growth", (2021, 2022, 2023), "required"),
        ("services_va_growth", (2021, 2022, 2023), "required"),
        ("agriculture_va_growth", (2021, 2022, 2023), "required"),
        ("rehab_park_output", (2023,), "optional"),
        ("gdp_growth", (2021, 2022, 2023), "optional"),
        ("gdp", (2023,), "optional")]


def test_the_evaluation_names_the_years_each_target_lacks(region, tmp_path):
    """Industry without 2025: its average runs 2021-2024 (8 % a year, 0.5 pp above 7.5 %), 2025 alone needs
    1.075^5 / 1.08^4 - 1 = 5.523 %, and the row says 2025 is missing; GDP growth without 2025 is listed."""
    actuals = load_actuals(region, without_rows(tmp_path / "a.csv", "industrial_va_growth,2025", "gdp_growth,2025"))
    ev = evaluate_plan(region, actuals, 2025)
    t = ev.table.set_index("indicator")
    ind = t.loc["industrial_va_growth"]
    assert (ind["latest_year"], ind["missing_years"], ind["verdict"]) == (2024, "2025", "ahead")
    assert ind["average_pct"] == pytest.approx(8.0) and ind["required"] == pytest.approx(100 * (1.075**5 / 1.08**4 - 1))
    assert t.loc["services_va_growth", "missing_years"] == "" and t.loc["rehab_park_output", "missing_years"] == "2025"
    assert [(m.indicator, m.years) for m in ev.missing] == [
        ("industrial_va_growth", (2025,)), ("rehab_park_output", (2025,)), ("gdp_growth", (2025,))]


def test_a_gap_in_a_sector_series_no_longer_stops_the_review(region, tmp_path, plan):
    """Services without 2022 (allowed to go on): the calibration estimates on 2023-2025, the review computes."""
    actuals = load_actuals(region, without_rows(tmp_path / "a.csv", "services_va_growth,2022"))
    cal = calibration_from_bulletin(actuals, region.indicators, "xiqu")
    assert cal.details["sd_pct.tertiary"]["first"] == 2023 and cal.details["sd_pct.tertiary"]["n"] == 3
    review = annual_review(2025, actuals, [plan], region, n_paths=50)
    row = review.evaluation.table.set_index("indicator").loc["services_va_growth"]
    assert (row["latest_year"], row["missing_years"]) == (2021, "2022")
