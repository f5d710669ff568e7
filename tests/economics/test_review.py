"""economics.review on synthetic actuals (tests/fixtures, labelled SYNTHETIC): the plan comparison, the growth
still required, scores, re-based paths, calibration; what the review's opening words say about the actuals.

Expected numbers are computed by hand from the fixture and the plan floors
(plan ch.2 §4.2: industry 7.5 %, services 8.5 %, agriculture 3.5 % a year).
"""
from __future__ import annotations


import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiqu_analysis.economics import review
from xiqu_analysis.economics.projection import project
from xiqu_analysis.inputs.scenario import UNCERTAINTY_DEFAULTS
from xiqu_analysis.reports.sections import annual_review as report
from tests.helpers.actuals import SYNTHETIC, load_actuals, open_review



# --------------------------------------------------------------------------- no actuals
def test_no_actuals_says_so(review_without_actuals, tmp_path):
    empty = review_without_actuals
    assert not empty.has_actuals and empty.latest_year is None and empty.base_year == 2020
    assert empty.scenario_scores.empty and empty.rebased.empty and empty.plan_comparison.empty
    # with nothing observed the growth required is the floor itself
    req = empty.required.set_index("column")
    assert req.loc["secondary", "required_pct"] == pytest.approx(7.5)
    assert req.loc["tertiary", "required_pct"] == pytest.approx(8.5)
    assert req.loc["primary", "required_pct"] == pytest.approx(3.5)
    assert (req["years_left"] == 5).all()
    assert (req["chained_indicator"] == "").all() and not req["period_over"].any() and (req["outcome"] == "").all()
    run = open_review(tmp_path)
    assert run.review.latest_year is None
    summary = report.summary_text(run)
    assert summary.startswith("No actual figures after 2020 were supplied for the review of 2025")
    assert "No actuals file was given" in summary


def test_actuals_up_to_2020_only_count_as_none(tmp_path, region):
    path = tmp_path / "a.csv"
    path.write_text("region,indicator,year,value,unit,price_basis,source\nxiqu,gdp,2020,82.91,亿元,current,plan\n",
                    encoding="utf-8")
    r = review.annual_review(2025, load_actuals(region, path), [], region, n_paths=100)
    assert r.latest_year is None and len(r.actuals) == 1
    run = open_review(tmp_path / "out", actuals=path, scenarios=())
    assert report.summary_text(run).startswith("No actual figures after 2020")


# --------------------------------------------------------------------------- synthetic actuals
def test_calibration_with_short_actuals_shows_defaults(review_of_synthetic):
    cal = review_of_synthetic.calibration.set_index("field")
    assert cal["too_short"].all()
    assert cal.loc["ar1", "value"] == UNCERTAINTY_DEFAULTS["ar1"]
    assert cal.loc["sd_pct.secondary", "value"] == UNCERTAINTY_DEFAULTS["sd_pct"]["secondary"]


def test_latest_year(review_of_synthetic, tmp_path):
    assert review_of_synthetic.latest_year == 2023
    run = open_review(tmp_path, actuals=SYNTHETIC)
    summary = report.summary_text(run)
    assert summary.startswith("Latest actual year: 2023 (review year 2025); 15 actual figures after 2020")  # 5 indicators x 2021-2023
    assert "Actuals read from actuals\\_synthetic.csv." in summary  # the file's name, escaped for Markdown


def test_plan_comparison_hand_computed(review_of_synthetic):
    pc = review_of_synthetic.plan_comparison.set_index(["indicator", "year"])
    row = pc.loc[("services_va_growth", 2022)]
    assert row["actual_index"] == pytest.approx(1.07 * 1.05)
    assert row["floor_index"] == pytest.approx(1.085**2)
    assert row["gap_pp"] == pytest.approx(5.0 - 8.5)
    assert row["index_gap_pct"] == pytest.approx(100 * (1.07 * 1.05 / 1.085**2 - 1))
    assert pc.loc[("industrial_va_growth", 2023), "actual_index"] == pytest.approx(1.09 * 1.03 * 1.06)


def test_required_growth_hand_computed(review_of_synthetic):
    req = review_of_synthetic.required.set_index("column")
    expected = ((1.075**5 / (1.09 * 1.03 * 1.06)) ** 0.5 - 1) * 100  # 9.8339 % a year in 2024-2025
    assert req.loc["secondary", "required_pct"] == pytest.approx(expected)
    assert req.loc["secondary", "required_pct"] == pytest.approx(9.8339, abs=1e-4)
    assert req.loc["secondary", "years_left"] == 2
    assert req.loc["secondary", "achieved_avg_pct"] == pytest.approx(((1.09 * 1.03 * 1.06) ** (1 / 3) - 1) * 100)
    assert req.loc["primary", "required_pct"] == pytest.approx(((1.035**5 / (1.04 * 1.03 * 1.02)) ** 0.5 - 1) * 100)
    # codes, not words: the report writes the note
    assert req.loc["secondary", "chained_indicator"] == "industrial_va_growth"
    assert req.loc["secondary", "from_year"] == 2023 and req.loc["secondary", "period"] == "2021-2025"
    assert not req["period_over"].any() and (req["outcome"] == "").all()
    assert "note" not in review_of_synthetic.required.columns


def test_rebased_projection_hand_computed(review_of_synthetic, plan):
    proj = project(plan).column("gdp_nominal")
    rb = review_of_synthetic.rebased[(review_of_synthetic.rebased["scenario"] == "plan_targets")
                           & (review_of_synthetic.rebased["column"] == "gdp_nominal")].set_index("year")
    assert rb.index.min() == 2023 and rb.index.max() == 2035
    assert rb.loc[2023, "rebased"] == pytest.approx(100.0)  # the latest synthetic actual, 亿元
    assert rb.loc[2025, "rebased"] == pytest.approx(100.0 * proj.loc[2025] / proj.loc[2023])
    # same growth path as the projection from 2023 on
    growth_rb = rb["rebased"].pct_change().dropna()
    growth_pr = rb["projected"].pct_change().dropna()
    pd.testing.assert_series_equal(growth_rb, growth_pr, check_names=False)


def test_scores_hand_computed(review_of_synthetic, plan):
    proj = project(plan)
    sc = review_of_synthetic.scenario_scores.set_index(["indicator", "year"])
    lvl = sc.loc[("gdp", 2021)]
    assert lvl["kind"] == "level" and lvl["unit"] == "亿元"
    assert lvl["error"] == pytest.approx(90.0 - proj.at(2021, "gdp_nominal"))
    assert lvl["error_pct"] == pytest.approx(100 * (90.0 / proj.at(2021, "gdp_nominal") - 1))
    gr = sc.loc[("industrial_va_growth", 2022)]
    assert gr["kind"] == "growth" and gr["projected"] == pytest.approx(7.5)  # the scenario grows at the floor
    assert gr["error"] == pytest.approx(3.0 - 7.5)
    assert set(sc["band"]) <= set(review.BANDS)
    # real growth is compared with the projection's real growth, never with nominal levels
    assert sc.loc[("gdp_growth", 2021), "column"] == "gdp_real"


def test_actuals_after_review_year_ignored(region, tmp_path):
    r = review.annual_review(2022, load_actuals(region), [], region, n_paths=100)
    assert r.latest_year == 2022
    assert r.actuals["year"].max() == 2022
    run = open_review(tmp_path, review_year=2022, actuals=SYNTHETIC, scenarios=())
    assert run.review.latest_year == 2022
    assert "No scenario files" in report.summary_text(run)


def test_actuals_of_other_regions_are_ignored(region, tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(SYNTHETIC.read_text("utf-8") + "panzhihua,gdp,2024,1200,亿元,current,SYNTHETIC test value\n",
                    encoding="utf-8")
    r = review.annual_review(2025, load_actuals(region, path), [], region, n_paths=100)
    assert set(r.actuals["region"]) == {"xiqu"} and r.latest_year == 2023


# --------------------------------------------------------------------------- helpers
def test_fan_band_edges():
    q = [1, 2, 3, 4, 5, 6, 7]
    assert review.fan_band(0.5, q) == "below p5"
    assert review.fan_band(4, q) == "p50-p75"
    assert review.fan_band(3.5, q) == "p25-p50"
    assert review.fan_band(9, q) == "above p95"
    assert review.fan_band(float("nan"), q) == "n/a"


def test_rebase_path_simple():
    s = pd.Series([100.0, 110.0, 121.0, 133.1], index=[2020, 2021, 2022, 2023])
    out = review.rebase_path(s, 2021, 55.0)
    assert list(out.index) == [2021, 2022, 2023]
    assert out.to_numpy() == pytest.approx([55.0, 60.5, 66.55])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-20, 30), min_size=2, max_size=10), st.floats(1.0, 1e4), st.data())
def test_rebase_keeps_growth_and_hits_the_actual(growth, actual, data):
    years = list(range(2020, 2021 + len(growth)))
    levels = 82.91 * np.cumprod([1.0] + [1 + g / 100 for g in growth])
    path = pd.Series(levels, index=years)
    year = data.draw(st.sampled_from(years))
    out = review.rebase_path(path, year, actual)
    assert out.loc[year] == pytest.approx(actual)
    np.testing.assert_allclose(out.to_numpy() / out.iloc[0], path.loc[year:].to_numpy() / path.loc[year], rtol=1e-12)


def test_scenario_that_cannot_be_projected_is_listed_not_fatal(region, plan):
    bad = plan.with_changes(**{"fiscal_revenue.buoyancy": -20.0})  # revenue growth below -100 %: project() refuses
    r = review.annual_review(2025, load_actuals(region), [bad, plan], region, n_paths=100)
    assert len(r.scenario_errors) == 1 and "fiscal_revenue.buoyancy" in r.scenario_errors[0]
    assert set(r.scenario_scores["scenario"]) == {"plan_targets"}
