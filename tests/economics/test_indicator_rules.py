"""The registry's projection rules: the file, the scenario's ``indicators`` section and the arithmetic.

Hand-computed numbers: retail sales of 40 亿元 growing 6 % a year are 42.4
亿元 after a year; a tax growing with buoyancy 1.2 on nominal GDP growth of
g % grows 1.2 g %; a share is part / whole x 100; a per-capita figure in 元 of
an aggregate in 亿元 is aggregate x 1e8 / average population.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from xiqu_analysis.economics.indicators import buoyancy_path, own_growth_path, per_capita_path, share_path
from xiqu_analysis.economics.projection import project, scenario_inputs
from xiqu_analysis.economics.uncertainty import simulate_paths
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.scenario import load_scenario, scenario_from_dict

from tests.helpers import ROOT
from tests.helpers.registry import data_with as _data_with

PLAN = ROOT / "scenarios" / "plan_targets.yaml"

#: rows a region might add: a buoyant tax, retail sales per resident and retail sales over GDP
EXTRA_ROWS = [
    dict(indicator="local_tax", label_en="local tax revenue", label_zh="地方税收收入", unit_family="yuan",
         population_like="false", projection_column="local_tax", unit="亿元", price_basis="current",
         rule="buoyancy", driver="gdp"),
    dict(indicator="retail_sales_per_capita", label_en="retail sales per resident", label_zh="人均社会消费品零售额",
         unit_family="yuan", per_capita_of="retail_sales", population_like="false",
         projection_column="retail_per_capita", unit="元", price_basis="current", rule="per_capita"),
    dict(indicator="retail_to_gdp", label_en="retail sales to GDP", label_zh="社会消费品零售总额相当于地区生产总值比重",
         unit_family="percent", population_like="false", projection_column="retail_to_gdp", unit="%",
         price_basis="current", rule="share", driver="retail_sales", part_of="gdp"),
]


def _scenario(tmp_path: Path, indicators: str, data: Path | None = None):
    path = tmp_path / "s.yaml"
    path.write_text(PLAN.read_text(encoding="utf-8") + "\nindicators:\n" + indicators, encoding="utf-8")
    return load_scenario(path, check=False, data_dir=data)


# --------------------------------------------------------------------------- the arithmetic

def test_rules_by_hand():
    assert_allclose(own_growth_path(40.0, [6.0, 6.0]), [40.0, 42.4, 44.944], rtol=1e-15)
    assert_allclose(buoyancy_path(2.0, 1.2, [10.0, 5.0]), [2.0, 2.24, 2.24 * 1.06], rtol=1e-15)
    assert_allclose(share_path([1.0, 3.0], [4.0, 4.0]), [25.0, 75.0])
    assert_allclose(per_capita_path([1.2], [120_000.0], 1e8), [1000.0])


@settings(max_examples=60, deadline=None)
@given(base=st.floats(0.01, 1e6), rates=st.lists(st.floats(-50, 50), min_size=1, max_size=30))
def test_own_growth_is_the_loop_of_a_careful_clerk(base, rates):
    expected = [base]
    for r in rates:
        expected.append(expected[-1] * (1 + r / 100))
    assert_allclose(own_growth_path(base, rates), expected, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(driver=st.lists(st.floats(1, 1e4), min_size=2, max_size=20))
def test_unit_buoyancy_keeps_the_ratio_to_its_driver(driver):
    d = np.asarray(driver)
    growth = (d[1:] / d[:-1] - 1) * 100
    path = buoyancy_path(0.5 * d[0], 1.0, growth)
    assert_allclose(path / d, 0.5, rtol=1e-9)


# --------------------------------------------------------------------------- scenarios

def test_further_indicators_are_projected_by_their_rules(tmp_path):
    data = _data_with(tmp_path, EXTRA_ROWS)
    s = _scenario(tmp_path, "  retail_sales: {base: 40.0, growth_pct: 6.0}\n"
                            "  local_tax: {base: 1.0, buoyancy: 1.2}\n", data)
    assert list(s.indicator_rules) == ["retail_sales", "local_tax", "retail_sales_per_capita", "retail_to_gdp"]
    r = project(s)
    tab = r.table.set_index("year")
    assert r.indicator_columns == ("retail_sales", "local_tax", "retail_per_capita", "retail_to_gdp")
    assert list(r.table.columns[-4:]) == list(r.indicator_columns)
    assert tab.at[2021, "retail_sales"] == pytest.approx(42.4, rel=1e-14)
    g2021 = tab.at[2021, "nominal_growth"]
    assert tab.at[2021, "local_tax"] == pytest.approx(1.0 * (1 + 1.2 * g2021 / 100), rel=1e-14)
    assert tab.at[2021, "retail_per_capita"] == pytest.approx(42.4e8 / tab.at[2021, "population_avg"], rel=1e-14)
    assert tab.at[2021, "retail_to_gdp"] == pytest.approx(42.4 / tab.at[2021, "gdp_nominal"] * 100, rel=1e-14)
    assert (r.unit("retail_sales"), r.unit("retail_per_capita"), r.unit("retail_to_gdp")) == ("亿元", "元", "%")
    # every further column rests on an assumed input (the scenario sources none of them)
    assert set(r.indicator_columns) <= r.assumed_columns


def test_the_monte_carlo_runs_through_the_same_evaluation(tmp_path):
    data = _data_with(tmp_path, EXTRA_ROWS)
    s = _scenario(tmp_path, "  retail_sales: {base: 40.0, growth_pct: 6.0}\n"
                            "  local_tax: {base: 1.0, buoyancy: 1.2}\n", data)
    inputs = scenario_inputs(s)
    n = 3
    paths = simulate_paths(inputs, np.broadcast_to(inputs["growth_pct"], (n, *inputs["growth_pct"].shape)).copy(),
                           np.tile(inputs["deflator_pct"], (n, 1)))
    table = project(s).table
    for col in ("retail_sales", "local_tax", "retail_per_capita", "retail_to_gdp"):
        for i in range(n):  # zero shocks: the deterministic numbers, bit for bit
            assert_array_equal(paths[col][i], table[col].to_numpy())


def test_an_indicator_section_survives_a_round_trip_through_parameters(tmp_path):
    s = _scenario(tmp_path, "  retail_sales: {base: 40.0, growth_pct: {2021-2025: 6.0, 2026-2035: 5.0}}\n")
    again = scenario_from_dict(s.to_parameters())
    assert again == s
    changed = s.with_changes(**{"indicators.retail_sales.growth_pct.2021-2025": 7.0})
    assert project(changed).at(2021, "retail_sales") == pytest.approx(42.8)
    assert "indicators.retail_sales.growth_pct.2021-2025" in changed.assumptions


def test_a_scenario_without_further_indicators_dumps_as_before():
    s = load_scenario(PLAN, check=False)
    assert "indicators" not in s.to_parameters() and "indicator_rules" not in s.to_parameters()


@pytest.mark.parametrize("entry, field, words", [
    ("  retail_sale: {base: 1.0, growth_pct: 5.0}\n", "indicators.retail_sale", "did you mean 'retail_sales'"),
    ("  retail_sales_growth: {base: 1.0, growth_pct: 5.0}\n", "indicators.retail_sales_growth",
     "growth of 'retail_sales'"),
    ("  urban_disposable_income: {base: 1.0, growth_pct: 5.0}\n", "indicators.urban_disposable_income",
     "section 'urban_income'"),
    ("  urbanisation_rate: {base: 60.0, growth_pct: 1.0}\n", "indicators.urbanisation_rate", "rule 'tracked'"),
    ("  retail_sales: {base: 1.0}\n", "indicators.retail_sales.growth_pct", "needs growth_pct"),
    ("  retail_sales: {base: 1.0, growth_pct: 5.0, buoyancy: 1.0}\n", "indicators.retail_sales.buoyancy",
     "not used"),
    ("  retail_sales: {base: 1.0, growth_pct: {2021-2025: 5.0}}\n", "indicators.retail_sales.growth_pct",
     "gap: no growth rate for 2026-2035"),
])
def test_bad_indicator_inputs_are_one_line_naming_the_field(tmp_path, entry, field, words):
    with pytest.raises(InputError) as err:
        _scenario(tmp_path, entry)
    assert err.value.field == field
    assert words in str(err.value)
    assert "\n" not in str(err.value)


def test_rules_are_never_written_in_a_file(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(PLAN.read_text(encoding="utf-8") + "\nindicator_rules: {}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_scenario(path, check=False)
    assert err.value.field == "indicator_rules"
