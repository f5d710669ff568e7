"""One-at-a-time sensitivity (xiqu_analysis.economics.sensitivity): known answers, symmetry, tornado order."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xiqu_analysis.economics.projection import project
from xiqu_analysis.economics.sensitivity import (
    OUTPUTS,
    SENSITIVITY_COLUMNS,
    STEP_BASES,
    average_shock_sd,
    SensitivityInput,
    changed_scenario,
    default_years,
    sensitivity,
    sensitivity_inputs,
    shifted_shares,
)
from xiqu_analysis.economics.shocks import UncertaintySpec, draw_shocks
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.scenario import scenario_from_dict


@pytest.fixture(scope="module")
def plan_table(plan, region):
    return sensitivity(plan, region)


def _row(df, input_, output, year):
    rows = df[(df["input"] == input_) & (df["output"] == output) & (df["year"] == year)]
    assert len(rows) == 1, (input_, output, year)
    return rows.iloc[0]


def test_columns_and_coverage(plan, plan_table):
    df = plan_table
    assert list(df.columns) == list(SENSITIVITY_COLUMNS)
    # every input but the Monte Carlo settings and the base year's own population change (base data)
    expected_inputs = [p for p in plan.input_paths()
                       if not p.startswith("uncertainty.") and p != "population.base_year_growth_pct"]
    assert sorted(set(df["input"])) == sorted(expected_inputs)
    # every period of every sector is its own input
    assert {"real_growth_pct.secondary.2021-2025", "real_growth_pct.secondary.2026-2035"} <= set(df["input"])
    assert set(df["output"]) == set(OUTPUTS) and set(df["year"]) == {2025, 2035}
    assert len(df) == len(expected_inputs) * len(OUTPUTS) * 2


def test_base_equals_the_deterministic_projection(plan, plan_table):
    table = project(plan).table.set_index("year")
    for output in OUTPUTS:
        for year in (2025, 2035):
            assert (plan_table.query("output == @output and year == @year")["base"] == table.at[year, output]).all()


def test_high_equals_project_of_the_changed_scenario(plan, plan_table):
    # the fast path (array core) gives exactly project()'s numbers
    step = _row(plan_table, "real_growth_pct.tertiary.2026-2035", "gdp_real", 2035)["step"]
    changed = plan.with_changes(**{"real_growth_pct.tertiary.2026-2035": 6.0 + step})
    table = project(changed).table.set_index("year")
    for output in OUTPUTS:
        assert _row(plan_table, "real_growth_pct.tertiary.2026-2035", output, 2035)["high"] == table.at[2035, output]


def test_gdp_base_plus_five_percent_moves_gdp_by_five_percent(plan_table):
    for output in ("gdp_real", "gdp_nominal", "gdp_per_capita"):
        for year in (2025, 2035):
            r = _row(plan_table, "gdp_base", output, year)
            assert r["high"] == pytest.approx(1.05 * r["base"], rel=1e-12)
            assert r["low"] == pytest.approx(0.95 * r["base"], rel=1e-12)
            assert r["swing"] == pytest.approx(0.10 * r["base"], rel=1e-12)
    # revenue grows with nominal GDP *growth*, which a level shift leaves unchanged
    r = _row(plan_table, "gdp_base", "fiscal_revenue", 2035)
    assert r["high"] == pytest.approx(r["base"], rel=1e-12) and r["low"] == pytest.approx(r["base"], rel=1e-12)


def test_hand_computed_growth_step(trend):
    # trend: every sector at 4.9 % for 2021-2035 (one number); secondary moved by one sd of its 15-year average
    # under the shocks (innovation sd 3.5 pp, AR(1) 0.3): 3.5 * sqrt(sum_ij 0.3^|i-j| / (15^2 * 0.91)),
    # sum_ij 0.3^|i-j| = 15 + 2 * sum_k (15 - k) 0.3^k = 26.6327 -> 3.5 * sqrt(26.6327 / 204.75) = 1.2623 pp
    sd = 3.5 * math.sqrt((15 + 2 * sum((15 - k) * 0.3**k for k in range(1, 15))) / (225 * 0.91))
    assert sd == pytest.approx(1.2623, abs=1e-4)
    df = sensitivity(trend, years=[2025])
    r = _row(df, "real_growth_pct.secondary", "gdp_real", 2025)
    shares = {"primary": 0.02, "secondary": 0.58, "tertiary": 0.40}
    base = 82.91 * 1.049**5
    g_hi, g_lo = 1.049 + sd / 100, 1.049 - sd / 100
    high = 82.91 * (shares["primary"] * 1.049**5 + shares["secondary"] * g_hi**5 + shares["tertiary"] * 1.049**5)
    low = 82.91 * (shares["primary"] * 1.049**5 + shares["secondary"] * g_lo**5 + shares["tertiary"] * 1.049**5)
    assert r["base"] == pytest.approx(base, rel=1e-12)
    assert r["high"] == pytest.approx(high, rel=1e-12) and r["low"] == pytest.approx(low, rel=1e-12)
    assert r["step"] == pytest.approx(sd, rel=1e-12) and r["unit_of_step"] == "pp" and r["kind"] == "growth"
    assert r["step_basis"] == "monte_carlo"


def test_one_sd_step_is_the_sd_of_the_simulated_period_average():
    # the step of a growth input is the sd of its period average under the Monte Carlo's own shock process
    spec = UncertaintySpec()
    shocks = draw_shocks(spec, 40_000, 10, np.random.default_rng(5))
    simulated = shocks.sector[:, :, 1].mean(axis=1).std()  # secondary sector, 10-year averages
    assert average_shock_sd(3.5, 0.3, 10) == pytest.approx(simulated, rel=0.02)
    assert average_shock_sd(1.0, 0.0, 16) == pytest.approx(0.25, rel=1e-12)  # iid: sd / sqrt(n)
    assert average_shock_sd(2.0, 0.5, 1) == pytest.approx(2.0 / math.sqrt(0.75), rel=1e-12)  # one year: stationary sd


def test_steps_are_stated_with_their_basis(plan_table, plan):
    basis = plan_table.drop_duplicates("input").set_index("input")["step_basis"]
    assert set(basis) <= set(STEP_BASES)
    assert basis["real_growth_pct.secondary.2021-2025"] == basis["deflator_pct"] == "monte_carlo"
    # no uncertainty stated: assumed sd (income growth, shares, buoyancy, levels; population with sd 0)
    for path in ("urban_income.growth_pct", "sector_shares.primary", "fiscal_revenue.buoyancy", "gdp_base",
                 "population.growth_pct.2024-2035"):
        assert basis[path] == "assumed", path
    with_pop = plan.with_changes(**{"uncertainty.population_sd_pct": 0.5})
    item = {i.path: i for i in sensitivity_inputs(with_pop)}["population.growth_pct.2024-2035"]
    assert (item.basis, item.step) == ("monte_carlo", pytest.approx(0.5 / math.sqrt(12)))


def test_later_period_growth_does_not_move_2025(plan_table):
    r = _row(plan_table, "real_growth_pct.secondary.2026-2035", "gdp_real", 2025)
    assert r["low"] == r["base"] == r["high"] and r["swing"] == 0.0


def test_urban_income_listed_with_zero_effect(plan_table):
    rows = plan_table[plan_table["input"].str.startswith("urban_income.")]
    assert len(rows) == 2 * len(OUTPUTS) * 2
    assert (rows["swing"] == 0.0).all() and (rows["low"] == rows["base"]).all()
    assert (rows["note"] == "no_effect").all()  # a code; the reports and the CLI say it in words


def test_deflator_moves_nominal_not_real(plan_table):
    real = _row(plan_table, "deflator_pct", "gdp_real", 2035)
    nominal = _row(plan_table, "deflator_pct", "gdp_nominal", 2035)
    assert real["swing"] == 0.0
    step = 1.0 / math.sqrt(15)  # iid deflator shocks, sd 1 pp: the sd of a 15-year average
    assert nominal["step"] == pytest.approx(step, rel=1e-12)
    assert nominal["high"] == pytest.approx(nominal["base"] * ((1.02 + step / 100) / 1.02) ** 15, rel=1e-12)


def test_population_moves_only_per_capita(plan_table):
    for output in ("gdp_real", "gdp_nominal", "fiscal_revenue"):
        assert _row(plan_table, "population.base", output, 2035)["swing"] == 0.0
    r = _row(plan_table, "population.base", "gdp_per_capita", 2035)
    assert r["high"] == pytest.approx(r["base"] / 1.05, rel=1e-12)


def test_buoyancy_moves_only_revenue(plan_table):
    r = _row(plan_table, "fiscal_revenue.buoyancy", "fiscal_revenue", 2025)
    assert r["step"] == 0.1 and r["high"] > r["base"] > r["low"]
    assert _row(plan_table, "fiscal_revenue.buoyancy", "gdp_real", 2025)["swing"] == 0.0


def test_tornado_order(plan_table):
    for (output, year), rows in plan_table.groupby(["output", "year"], sort=False):
        swings = rows["swing"].to_numpy()
        finite = swings[~np.isnan(swings)]
        assert (np.diff(finite) <= 0).all(), (output, year)
        assert np.isnan(swings[len(finite):]).all()  # impossible moves last
    assert list(dict.fromkeys(plan_table["output"])) == list(OUTPUTS)


def test_impossible_share_move_is_reported(plan_table):
    # primary share 0.02 - 0.05 < 0: not made, NaN and a note; the up move is made
    r = _row(plan_table, "sector_shares.primary", "gdp_real", 2035)
    assert math.isnan(r["low"]) and math.isnan(r["swing"]) and not math.isnan(r["high"])
    assert r["note"] == "low_outside_unit_interval" and r["problem"] == ""


def test_share_move_renormalises_proportionally(plan):
    item = SensitivityInput("sector_shares.tertiary", "share", 0.40, 0.05)
    changed = changed_scenario(plan, item, +1)
    assert changed.sector_shares.tertiary == pytest.approx(0.45)
    # the other two keep their ratio 2:58 and fill the remaining 0.55
    assert changed.sector_shares.primary == pytest.approx(0.55 * 2 / 60)
    assert changed.sector_shares.secondary == pytest.approx(0.55 * 58 / 60)
    assert changed.gdp_base == plan.gdp_base


@given(
    shares=st.tuples(*(st.floats(0.0, 1.0) for _ in range(3))).filter(lambda t: sum(t) > 0.1),
    sector=st.sampled_from(["primary", "secondary", "tertiary"]),
    delta=st.floats(-0.3, 0.3),
)
# shares whose other two sum to a tiny but non-zero total (the failure hypothesis found on unchanged code:
# (1 - s_i') / rest overflowed and the shares came out inf and nan); pinned so no seed can miss them
@example(shares=(0.0, 1.0, 2.2e-311), sector="secondary", delta=-0.1)
@example(shares=(5e-324, 1.0, 1e-323), sector="secondary", delta=-0.25)
@example(shares=(1.0, 2.2e-311, 0.0), sector="primary", delta=0.0)
@example(shares=(1e-300, 1.0, 1e-300), sector="secondary", delta=-0.3)
def test_shifted_shares_property(shares, sector, delta):
    total = sum(shares)
    current = dict(zip(("primary", "secondary", "tertiary"), (s / total for s in shares), strict=True))
    new = shifted_shares(current, sector, delta)
    target = current[sector] + delta
    others_sum = sum(v for k, v in current.items() if k != sector)
    if not 0 <= target <= 1 or others_sum <= 0:
        assert new is None
        return
    assert new is not None
    assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in new.values()), new
    assert sum(new.values()) == pytest.approx(1.0, abs=1e-12)
    assert new[sector] == pytest.approx(target)
    others = [s for s in new if s != sector]
    a, b = others
    assert new[a] * current[b] == pytest.approx(new[b] * current[a], abs=1e-12)


@settings(max_examples=15, deadline=None)
@given(
    path=st.sampled_from(
        ["real_growth_pct.secondary.2021-2025", "real_growth_pct.tertiary.2026-2035", "deflator_pct",
         "population.growth_pct.2024-2035"]
    ),
)
def test_symmetry_for_small_steps(plan, region, path):
    df = sensitivity(plan, region, steps={"growth": 1e-4})
    for output in OUTPUTS:
        r = _row(df, path, output, 2035)
        up, down = r["high"] - r["base"], r["base"] - r["low"]
        if r["swing"] == 0:
            continue
        # first-order effects are equal; the second-order term is O(step) smaller
        assert up == pytest.approx(down, rel=1e-3), (path, output)


def test_step_overrides_and_validation(plan):
    items = {i.path: i for i in sensitivity_inputs(plan, {"growth": 0.5, "level": 1.0})}
    assert items["deflator_pct"].step == 0.5 and items["gdp_base"].step == 1.0
    assert items["sector_shares.primary"].step == 0.05 and items["fiscal_revenue.buoyancy"].step == 0.1
    assert not any(p.startswith("uncertainty.") for p in items)
    with pytest.raises(InputError):
        sensitivity_inputs(plan, {"growth": 0.0})
    with pytest.raises(InputError):
        sensitivity_inputs(plan, {"speed": 1.0})
    with pytest.raises(InputError, match="outside"):
        sensitivity(plan, years=[2040])


def test_invalid_changed_scenario_is_reported(plan):
    # buoyancy 1.0 - 12 = -11 x nominal growth of ~10 % cuts revenue by more than 100 %: the changed scenario
    # passes the schema but cannot be projected (check_projection)
    df = sensitivity(plan, steps={"buoyancy": 12.0}, years=[2025])
    r = _row(df, "fiscal_revenue.buoyancy", "fiscal_revenue", 2025)
    assert math.isnan(r["low"]) and not math.isnan(r["high"])
    assert "low_invalid" in r["note"].split(";") and "at or below -100%" in r["problem"]
    item = next(i for i in sensitivity_inputs(plan, {"buoyancy": 12.0}) if i.path == "fiscal_revenue.buoyancy")
    with pytest.raises(InputError) as info:
        changed_scenario(plan, item, -1)
    assert info.value.field == "fiscal_revenue.buoyancy"
    assert plan.with_changes(**{"fiscal_revenue.buoyancy": -11.0}).fiscal_revenue.buoyancy == -11.0  # the schema accepts it


def test_default_years_come_from_the_region(plan, trend, region):
    assert default_years(plan, region) == [2025, 2035]  # plan_end_year, long_range_year
    assert default_years(plan) == [2035]  # no region: the end year
    no_plan_end = dataclasses.replace(region, info=region.info.model_copy(update={"plan_end_year": None}))
    assert default_years(plan, no_plan_end) == [2035]
    neither = dataclasses.replace(region, info=region.info.model_copy(update={"plan_end_year": None, "long_range_year": None}))
    assert default_years(plan, neither) == [2035]
    # years outside the projection are left out: a scenario ending in 2030 reports 2025 only
    data = trend.to_parameters()
    data["end_year"] = 2030
    data["population"]["growth_pct"] = -1.0  # the trend's population periods reach 2035
    data["assumptions"] = {k: v for k, v in data["assumptions"].items() if not k.startswith("population.growth_pct")}
    short = scenario_from_dict(data)
    assert default_years(short, region) == [2025]
    assert set(sensitivity(short, region)["year"]) == {2025}
    assert set(sensitivity(plan)["year"]) == {2035}
    # ... and one ending before the plan's end reports its own end year
    data["end_year"] = 2023
    assert default_years(scenario_from_dict(data), region) == [2023]
