"""Tests of economics/targets.py: closed-form answers, boundary rules, gaps against the plan's targets."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from tests.helpers.reference_projection import toy_scenario
from xiqu_analysis import config
from xiqu_analysis.cli.targets import SUMMARY_COLUMNS, summary_table
from xiqu_analysis.economics.growth import compound_index
from xiqu_analysis.economics.projection import project
from xiqu_analysis.economics.targets import (
    GAP_COLUMNS,
    analyse_targets,
    column_average_growth_pct,
    doubling_year,
    implied_aggregate_growth_pct,
    required_growth_pct,
    target_gaps,
    year_reached,
)
from xiqu_analysis.inputs.scenario import load_scenario
from xiqu_analysis.periods import parse_period


def toy(growth=(3.5, 7.5, 8.5), years=15, shares=(0.02, 0.58, 0.40), deflator=2.0, assumed=()):
    """82.91 亿元 in 2020, constant sector growth for ``years`` years; inputs sourced unless ``assumed``."""
    return toy_scenario(
        base_year=2020,
        end_year=2020 + years,
        gdp_base=82.91,
        shares=shares,
        growth=growth,
        deflator=deflator,
        population=(129_406.0, 0.0),
        urban_income=(41_794.0, 7.0),
        fiscal_revenue=(1.85, 1.0),
        assumed=assumed,
    )


# --------------------------------------------------------------------------- required growth
def test_doubling_in_15_years_needs_4_729_pct():
    # 2 ** (1/15) = 1.0472941228...
    assert required_growth_pct(1.0, 2.0, 15) == pytest.approx(4.7294122820626, abs=1e-10)
    assert round(required_growth_pct(82.91, 165.82, 15), 3) == 4.729


def test_required_growth_round_trips_and_known_answers():
    assert required_growth_pct(100, 121, 2) == pytest.approx(10.0, rel=1e-13)
    assert required_growth_pct(100, 100, 7) == 0.0
    assert required_growth_pct(100, 50, 1) == pytest.approx(-50.0)
    r = required_growth_pct(28905, 41794, 5)  # plan ch.1 §3.2 urban income 2015 -> 2020
    assert r == pytest.approx(7.65, abs=0.01)  # the plan states 8.9 %: its figures disagree
    assert 28905 * (1 + r / 100) ** 5 == pytest.approx(41794, rel=1e-12)
    for bad in [(0, 1, 1), (1, -1, 1), (1, 2, 0)]:
        with pytest.raises(ValueError):
            required_growth_pct(*bad)


# --------------------------------------------------------------------------- year reached
def test_year_reached_boundaries():
    years = [2020, 2021, 2022]
    assert year_reached(years, [1.0, 2.0, 3.0], 2.0) == 2021  # equality counts as reached
    assert year_reached(years, [1.0, 2.0, 3.0], 2.0 + 1e-9) == 2022
    assert year_reached(years, [1.0, 2.0, 3.0], 1.0) == 2020  # already there in the first year
    assert year_reached(years, [1.0, 2.0, 3.0], 3.5) is None
    assert year_reached(years, [np.nan, np.nan, 5.0], 0.0) == 2022  # NaN never reaches
    assert year_reached(years, [1.0, 2.0 * (1 - 1e-13), 3.0], 2.0) == 2021  # within rtol
    assert year_reached(years, [1.0, 2.0 * (1 - 1e-13), 3.0], 2.0, rtol=0) == 2022  # strict
    with pytest.raises(ValueError):
        year_reached([2020, 2021], [1.0], 1.0)


def test_path_at_exactly_required_growth_reaches_in_the_intended_year():
    rate = required_growth_pct(1.0, 2.0, 15)
    path = compound_index(np.full(15, rate))
    assert abs(path[-1] - 2.0) < 1e-13
    assert year_reached(np.arange(2020, 2036), path, 2.0) == 2035


def test_doubling_year_of_ten_pct_growth():
    # 1.1**7 = 1.9487 < 2 <= 1.1**8 = 2.1436: doubles in the 8th year, 2028
    result = project(toy(growth=(10.0, 10.0, 10.0), years=10))
    assert doubling_year(result) == 2028
    assert doubling_year(project(toy(growth=(1.0, 1.0, 1.0), years=10))) is None
    # nominal GDP with 2 % deflator: 1.122**6 = 1.996, 1.122**7 = 2.240 -> 2027
    assert doubling_year(result, "gdp_nominal") == 2027


# --------------------------------------------------------------------------- implied aggregate
def test_implied_aggregate_of_the_plan_floors_by_hand():
    # Floors (plan ch.2 §4.2): primary 3.5, secondary 7.5, tertiary 8.5 % a year, 2021-2025;
    # shares 0.02 / 0.58 / 0.40 (scenarios/plan_targets.yaml).
    # Year 1: 0.02*3.5 + 0.58*7.5 + 0.40*8.5 = 0.07 + 4.35 + 3.40 = 7.82 %.
    # Year 2: levels 0.0207, 0.6235, 0.434 (total 1.0782);
    #   (0.0207*3.5 + 0.6235*7.5 + 0.434*8.5) / 1.0782 = 8.4377 / 1.0782 = 7.825728 %.
    # Five years: 1.035**5 = 1.187686305646875, 1.075**5 = 1.435629326171875,
    #   1.085**5 = 1.503656690178125; total 0.02*1.18769 + 0.58*1.43563 + 0.40*1.50366
    #   = 0.0237537 + 0.8326650 + 0.6014627 = 1.4578814; 1.4578814**(1/5) = 1.078312 -> 7.8312 %.
    out = implied_aggregate_growth_pct([0.02, 0.58, 0.40], np.tile([3.5, 7.5, 8.5], (5, 1)))
    assert out.annual_pct.shape == (5,)
    assert out.annual_pct[0] == pytest.approx(7.82, abs=1e-12)
    assert out.annual_pct[1] == pytest.approx(8.4377 / 1.0782, abs=1e-12)
    assert out.average_pct == pytest.approx(7.8312, abs=5e-5)
    total5 = 0.02 * 1.187686305646875 + 0.58 * 1.435629326171875 + 0.40 * 1.503656690178125
    assert out.average_pct == pytest.approx((total5**0.2 - 1) * 100, rel=1e-12)
    assert np.all(np.diff(out.annual_pct) > 0)  # faster sectors gain weight
    assert_allclose(out.shares.sum(axis=-1), 1.0, rtol=1e-14)
    assert_allclose(out.shares[1], [0.0207 / 1.0782, 0.6235 / 1.0782, 0.434 / 1.0782], rtol=1e-12)


def test_implied_aggregate_broadcasts_over_paths():
    g = np.tile([3.5, 7.5, 8.5], (5, 1))
    paths = np.stack([g, g + 1.0])  # (2, 5, 3); +1 pp in every sector adds ~1 pp
    out = implied_aggregate_growth_pct([0.02, 0.58, 0.40], paths)
    assert out.annual_pct.shape == (2, 5) and out.average_pct.shape == (2,)
    assert out.average_pct[0] == implied_aggregate_growth_pct([0.02, 0.58, 0.40], g).average_pct
    assert out.annual_pct[1, 0] == pytest.approx(8.82, abs=1e-12)


def test_analysis_is_frozen(toy_region):
    ta = analyse_targets(toy(), toy_region)
    with pytest.raises(AttributeError):
        ta.gaps = None  # type: ignore[misc]


def test_implied_aggregate_single_year_vector():
    out = implied_aggregate_growth_pct([1, 1, 2], [4.0, 8.0, 2.0])  # shares normalised: .25 .25 .5
    assert out.annual_pct.tolist() == pytest.approx([4.0])
    assert out.average_pct == pytest.approx(4.0)


@given(
    shares=st.lists(st.floats(0.01, 1.0), min_size=3, max_size=3),
    g=st.lists(st.floats(-10, 20), min_size=3, max_size=3),
    T=st.integers(1, 10),
)
def test_implied_aggregate_lies_between_sector_rates_and_matches_projection(shares, g, T):
    out = implied_aggregate_growth_pct(shares, np.tile(g, (T, 1)))
    assert np.all(out.annual_pct >= min(g) - 1e-9) and np.all(out.annual_pct <= max(g) + 1e-9)
    w = np.array(shares) / sum(shares)
    sc = toy(growth=tuple(g), years=T, shares=tuple(w))
    proj = project(sc).table
    assert_allclose(out.annual_pct, proj["gdp_growth"][1:], rtol=1e-9, atol=1e-9)
    same = implied_aggregate_growth_pct(shares, np.full((T, 3), g[0]))
    assert same.average_pct == pytest.approx(g[0], abs=1e-9)


# --------------------------------------------------------------------------- gaps
def _figures(rows):
    cols = ["id", "indicator", "region", "year", "period", "value", "unit", "price_basis", "kind", "source", "quote", "trust", "note"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


INDICATORS = pd.DataFrame(
    [
        ("industrial_va_growth", "industrial value added growth", "工业增加值增速", "percent", "industrial_va", "secondary", "industry ~ secondary: an assumption"),
        ("services_va_growth", "services value added growth", "服务业增加值增速", "percent", "services_va", "tertiary", "services = tertiary"),
        ("agriculture_va_growth", "agriculture value added growth", "农业增加值增速", "percent", "agriculture_va", "primary", "农业 ~ primary"),
        ("gdp", "GDP", "地区生产总值", "yuan", "", "gdp_nominal", "level at current prices"),
        ("rehab_park_output", "park gross output", "康复器具产业园总产值", "yuan", "", "", "gross output value: not value added"),
        ("coal_share", "coal share", "煤炭占比", "percent", "", "", ""),
    ],
    columns=["indicator", "label_en", "label_zh", "unit_family", "level_of", "projection_column", "mapping_note"],
)

FIGURES = _figures(
    [
        ("x.ind", "industrial_va_growth", "xiqu", None, "2021-2025", 7.5, "%", "comparable", "target", "plan ch.2 §4.2", "不低于7.5%", "primary", "floor"),
        ("x.srv", "services_va_growth", "xiqu", None, "2021-2025", 8.5, "%", "comparable", "target", "plan ch.2 §4.2", "不低于8.5%", "primary", "floor"),
        ("x.agr", "agriculture_va_growth", "xiqu", None, "2021-2025", 3.5, "%", "comparable", "target", "plan ch.2 §4.2", "不低于3.5%", "primary", "floor"),
        ("x.park", "rehab_park_output", "xiqu", 2025, None, 50, "亿元", "current", "target", "plan 专栏1", "50亿元以上", "primary", "gross output"),
        ("x.gdp", "gdp", "xiqu", 2025, None, 1.2e10, "元", "current", "target", "made up", "-", "low", "test only"),
        ("x.gdp.cap", "gdp", "xiqu", 2025, None, 1.0e12, "元", "current", "target", "made up", "不超过", "low", "ceiling, test only"),
        ("x.late", "services_va_growth", "xiqu", None, "2031-2040", 8.5, "%", "comparable", "target", "made up", "-", "low", "beyond horizon"),
        ("x.actual", "gdp", "xiqu", 2020, None, 82.91, "亿元", "current", "actual", "plan ch.1 §3.2", "-", "primary", "not a target"),
        ("other.ind", "industrial_va_growth", "other", None, "2021-2025", 99.0, "%", "comparable", "target", "made up", "-", "low", "other region"),
    ]
)


def _with(region, figures, indicators=INDICATORS):
    """``region`` (a loaded RegionData) holding the given figures and data dictionary instead of its own."""
    return dataclasses.replace(region, figures=figures, indicators=indicators)


@pytest.fixture(scope="module")
def toy_region(region):
    """Xiqu's record (key, long-range year 2035) with the made-up figures and dictionary above."""
    return _with(region, FIGURES)


def test_target_gaps_growth_floors(toy_region):
    # secondary grows 7.0 % a year (misses 7.5 by 0.5 pp), tertiary 9 % (beats 8.5 by 0.5),
    # primary exactly 3.5 (met: equality meets a floor, up to rounding).
    result = project(toy(growth=(3.5, 7.0, 9.0), years=15, assumed=("real_growth_pct.secondary",)))
    gaps = target_gaps(result, toy_region).set_index("id")
    assert list(target_gaps(result, toy_region).columns) == list(GAP_COLUMNS)
    assert "x.actual" not in gaps.index and "other.ind" not in gaps.index
    ind = gaps.loc["x.ind"]
    assert ind["target_type"] == "growth" and ind["projection_column"] == "secondary"
    assert ind["projected"] == pytest.approx(7.0, abs=1e-10)
    assert ind["gap"] == pytest.approx(-0.5, abs=1e-10) and ind["gap_unit"] == "pp"
    assert not ind["met"] and ind["status"] == "missed"
    assert ind["assumed"] and not gaps.loc["x.srv", "assumed"]
    assert ind["source"] == "plan ch.2 §4.2" and "assumption" in ind["mapping_note"]
    srv = gaps.loc["x.srv"]
    assert srv["gap"] == pytest.approx(0.5, abs=1e-10) and srv["met"] and srv["status"] == "met"
    assert gaps.loc["x.agr", "projected"] == pytest.approx(3.5, abs=1e-10)
    assert gaps.loc["x.agr", "met"] and gaps.loc["x.agr", "status"] == "met"  # at the floor, within 1e-9 pp
    assert gaps.loc["x.late", "status"] == "outside projection" and pd.isna(gaps.loc["x.late", "met"])
    # a sector's growth does not depend on the shares or the GDP level: assumed shares do not mark it
    shares_assumed = project(toy(growth=(3.5, 7.0, 9.0), assumed=("sector_shares.secondary", "gdp_base")))
    assert not target_gaps(shares_assumed, toy_region).set_index("id").loc["x.ind", "assumed"]
    assert shares_assumed.is_assumed("secondary")


def test_target_gaps_level_targets(toy_region):
    result = project(toy(growth=(3.5, 7.0, 9.0), years=15))
    gaps = target_gaps(result, toy_region).set_index("id")
    park = gaps.loc["x.park"]
    assert park["status"] == "not projected" and pd.isna(park["met"]) and math.isnan(park["projected"])
    assert park["reason"] == "no_projection_column" and "gross output" in park["mapping_note"]
    g = gaps.loc["x.gdp"]
    assert g["unit"] == "亿元" and g["target"] == pytest.approx(120.0)  # 1.2e10 元 = 120 亿元
    assert g["projected"] == pytest.approx(result.at(2025, "gdp_nominal"))
    assert g["gap"] == pytest.approx(result.at(2025, "gdp_nominal") - 120.0)
    assert bool(g["met"]) == (result.at(2025, "gdp_nominal") >= 120.0)
    cap = gaps.loc["x.gdp.cap"]
    assert cap["direction"] == "at_most" and cap["met"] and cap["status"] == "met"  # 10,000 亿元 ceiling


def test_analyse_targets_on_toy_data(toy_region):
    sc = toy(growth=(3.5, 7.5, 8.5), years=15)
    ta = analyse_targets(sc, toy_region)
    (ia,) = ta.implied_aggregate
    assert ia.period == "2021-2025"
    assert ia.shares == pytest.approx({"primary": 0.02, "secondary": 0.58, "tertiary": 0.40})
    assert ia.first_year_pct == pytest.approx(7.82, abs=1e-12)
    assert ia.average_pct == pytest.approx(7.8312, abs=5e-5)
    # the scenario grows each sector at exactly its floor: its GDP growth equals the implied one
    assert ia.scenario_average_pct == pytest.approx(ia.average_pct, abs=1e-10)
    assert ia.figure_ids == {"primary": "x.agr", "secondary": "x.ind", "tertiary": "x.srv"}
    d = ta.doubling
    # doubling_by defaults to the region's long_range_year (region.yaml: 2035)
    assert toy_region.info.long_range_year == 2035
    assert d.by_year == 2035 and d.required_pct == pytest.approx(4.7294122820626, abs=1e-10)
    # real GDP at ~7.8-8 % a year doubles within 10 years: 1.0783**9 < 2 <= 1.0783**10
    assert d.year == doubling_year(ta.projection) and 2029 <= d.year <= 2030
    assert d.scenario_average_pct > d.required_pct
    req = ta.required.set_index("id")
    assert list(req.index) == ["x.gdp", "x.gdp.cap"]
    assert req.loc["x.gdp", "required_pct"] == pytest.approx(required_growth_pct(82.91, 120.0, 5))
    assert req.loc["x.gdp", "price_basis"] == "current"
    assert ta.table is ta.gaps  # the main table is the gaps; the CLI's summary is cli.targets.summary_table
    table = summary_table(ta, toy_region.info.long_range_year)
    assert list(table.columns) == list(SUMMARY_COLUMNS)
    assert set(table["section"]) == {"target", "implied", "doubling", "required"}
    implied_rows = table[table["section"] == "implied"]
    assert implied_rows["value"].iloc[0] == pytest.approx(ia.average_pct)


def test_implied_aggregate_needs_all_three_floors(region):
    ta = analyse_targets(toy(), _with(region, FIGURES[FIGURES["id"] != "x.agr"]))
    assert ta.implied_aggregate == ()


def test_column_average_growth_pct_and_periods():
    result = project(toy(growth=(10.0, 10.0, 10.0), years=6))
    assert column_average_growth_pct(result, "gdp_real", "2021-2025") == pytest.approx(10.0)
    assert column_average_growth_pct(result, "secondary_growth", "2022-2026") == pytest.approx(10.0)
    assert parse_period("2021-2025") == (2021, 2025)
    with pytest.raises(ValueError):
        parse_period("2025-2021")
    with pytest.raises(KeyError):
        column_average_growth_pct(result, "gdp_real", "2021-2030")


# --------------------------------------------------------------------------- the shipped data
def test_target_gaps_on_the_shipped_plan_targets(region):
    result = project(toy(growth=(3.5, 7.5, 8.5), years=15))
    gaps = target_gaps(result, region).set_index("id")
    floors = gaps.loc[["xiqu.agriculture_va_growth.2021-2025", "xiqu.industrial_va_growth.2021-2025", "xiqu.services_va_growth.2021-2025"]]
    assert floors["projection_column"].tolist() == ["primary", "secondary", "tertiary"]
    assert floors["target"].tolist() == [3.5, 7.5, 8.5]
    assert floors["projected"].to_numpy() == pytest.approx([3.5, 7.5, 8.5], abs=1e-10)
    assert (floors["source"] == "plan ch.2 §4.2").all()
    park = gaps.loc["xiqu.rehab_park_output.2025"]
    assert park["status"] == "not projected" and park["reason"] == "no_projection_column"
    assert "value added" in park["mapping_note"]


def test_analyse_targets_plan_targets_scenario(region):
    sc = load_scenario(config.scenario_dir() / "plan_targets.yaml", region)
    ta = analyse_targets(sc, region)
    gaps = ta.gaps.set_index("id")
    floors = gaps[gaps["target_type"] == "growth"]
    # the scenario grows each sector exactly at its floor 2021-2025: all met with ~0 gap
    assert len(floors) == 3 and floors["met"].all() and (floors["status"] == "met").all()
    assert np.abs(floors["gap"].to_numpy()).max() < 1e-9
    assert gaps.loc["xiqu.rehab_park_output.2025", "status"] == "not projected"
    (ia,) = ta.implied_aggregate
    assert ia.average_pct == pytest.approx(7.8312, abs=5e-5)  # computed by hand above
    # real GDP 2031 = 165.60 < 2 * 82.91 = 165.82 <= 174.55 in 2032
    assert ta.doubling.year == 2032
    assert ta.projection.at(2031, "gdp_real") < 165.82 <= ta.projection.at(2032, "gdp_real")
    assert ta.required.empty  # the plan's only level target (the park's gross output) is not projected
    table = summary_table(ta, region.info.long_range_year)
    assert (table.loc[table["section"] == "target", "source"].iloc[:3] == "plan ch.2 §4.2").all()


# --------------------------------------------------------------------------- what the region's data decide
def test_a_region_without_target_figures_has_no_targets(region):
    # the targets come from the region's figures (kind "target") only: no figures, no targets, nothing made up
    figures = region.figures[region.figures["kind"].astype(str) != "target"]
    assert len(figures) < len(region.figures)
    no_targets = dataclasses.replace(region, figures=figures)
    result = project(toy())
    gaps = target_gaps(result, no_targets)
    assert gaps.empty and list(gaps.columns) == list(GAP_COLUMNS)
    ta = analyse_targets(toy(), no_targets, result=result)
    assert ta.implied_aggregate == () and ta.required.empty and ta.projection is result
    assert ta.doubling.by_year == 2035  # the doubling benchmark is not a target: still computed


def test_doubling_year_comes_from_the_region_or_the_caller(region):
    sc = toy(growth=(4.0, 4.0, 4.0), years=12)  # to 2032
    assert analyse_targets(sc, region).doubling.by_year == 2035  # region.yaml long_range_year
    d = analyse_targets(sc, region, doubling_by=2030).doubling
    assert d.by_year == 2030 and d.required_pct == pytest.approx(required_growth_pct(1.0, 2.0, 10))
    assert d.scenario_average_pct == pytest.approx(4.0, abs=1e-10)
    # a region without a long-range year: the scenario's end year
    no_long_range = dataclasses.replace(region, info=region.info.model_copy(update={"long_range_year": None}))
    d = analyse_targets(sc, no_long_range).doubling
    assert d.by_year == 2032 and d.required_pct == pytest.approx(required_growth_pct(1.0, 2.0, 12))
    # 1.04 ** 17 = 1.948 < 2 <= 1.04 ** 18: not doubled by 2032
    assert d.year is None
