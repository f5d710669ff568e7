"""Monte Carlo (xiqu_analysis.economics.uncertainty): exactness, reproducibility, shock moments, targets."""
from __future__ import annotations

import dataclasses
import math
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.reference_projection import per_year, reference_project
from xiqu_analysis import config
from xiqu_analysis.economics import shocks, uncertainty
from xiqu_analysis.economics.projection import project
from xiqu_analysis.economics.targets import column_average_growth_pct
from xiqu_analysis.economics.shocks import UncertaintySpec, draw_shocks
from xiqu_analysis.economics.uncertainty import (
    INDICATOR_UNITS,
    PERCENTILE_COLUMNS,
    PROBABILITY_COLUMNS,
    GrowthTarget,
    doubling_label,
    percentiles_of,
    plan_targets,
    simulate,
)
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.regions import load_region
from xiqu_analysis.inputs.scenario import DEFAULT_SEED, SECTORS, UNCERTAINTY_DEFAULTS, load_scenario, scenario_from_dict

SCENARIOS = ("trend", "plan_targets", "low", "high")
ZERO = UncertaintySpec(sd_pct=(0.0, 0.0, 0.0), deflator_sd_pct=0.0)
#: the doubling benchmark of the shipped region: base year 2020, long_range_year 2035 (region.yaml)
DOUBLING = "gdp_real_doubles_2020_by_2035"


def _scenario(name: str, region):
    return load_scenario(config.scenario_dir() / f"{name}.yaml", region)


# --------------------------------------------------------------------------- exactness
@pytest.mark.parametrize("name", SCENARIOS)
def test_zero_sd_reproduces_the_deterministic_projection_exactly(name, region):
    scenario = _scenario(name, region)
    table = project(scenario).table
    result = simulate(scenario, region, n_paths=257, random_state=1, spec=ZERO)
    assert list(result.years) == table["year"].tolist()
    for indicator in INDICATOR_UNITS:
        rows = result.percentiles[result.percentiles["indicator"] == indicator]
        assert rows["year"].tolist() == table["year"].tolist()
        expected = table[indicator].to_numpy()
        for col in PERCENTILE_COLUMNS:
            assert np.array_equal(rows[col].to_numpy(), expected), (indicator, col)
        assert (result.paths(indicator) == expected).all()


def test_zero_sd_via_the_scenario_section(plan):
    zero = plan.with_changes(
        **{
            "uncertainty.sd_pct.primary": 0.0,
            "uncertainty.sd_pct.secondary": 0.0,
            "uncertainty.sd_pct.tertiary": 0.0,
            "uncertainty.deflator_sd_pct": 0.0,
        }
    )
    result = simulate(zero, n_paths=10)
    assert result.spec.sd_pct == (0.0, 0.0, 0.0)
    table = project(zero).table
    p50 = result.percentiles.query("indicator == 'gdp_nominal'")["p50"].to_numpy()
    assert np.array_equal(p50, table["gdp_nominal"].to_numpy())


def test_population_shocks_widen_only_the_per_capita_fan(plan, region):
    # the default (no population uncertainty) draws nothing more: GDP paths are the same with and without
    # population shocks (drawn after every other shock), and per-capita GDP is exactly GDP / population
    base = simulate(plan, region, n_paths=3000, random_state=3)
    pop = simulate(plan.with_changes(**{"uncertainty.population_sd_pct": 1.0}), region, n_paths=3000, random_state=3)
    assert base.spec.population_sd_pct == 0.0
    for ind in ("gdp_real", "gdp_nominal", "fiscal_revenue"):
        assert np.array_equal(base.paths(ind), pop.paths(ind)), ind
    # per-capita 2035 fan: log variances add (the population shocks are independent of the rest); the 2035
    # average population is the mean of the 2034 and 2035 year-end counts, sums of 14 and 15 shocks of 1 pp:
    # var = (14 + 15 + 2 * 14) / 4 = 14.25 (pp)^2
    def width(result):
        pc = np.log(result.paths("gdp_per_capita")[:, -1])
        return float(np.std(pc))
    wide, narrow = width(pop), width(base)
    assert wide > narrow
    assert wide**2 - narrow**2 == pytest.approx((math.sqrt(14.25) * 0.01) ** 2, rel=0.15)
    # the base year's per-capita GDP is base data: the same on every path
    assert np.all(pop.paths("gdp_per_capita")[:, 0] == project(plan).table["gdp_per_capita"].iloc[0])


def test_sector_deflators_take_the_common_price_shock(plan, region):
    own = plan.with_changes(**{"sector_deflator_pct": {"secondary": 3.0}})
    result = simulate(own, region, n_paths=2000, random_state=4, spec=ZERO)
    table = project(own).table
    assert np.array_equal(result.paths("gdp_nominal")[0], table["gdp_nominal"].to_numpy())
    shocked = simulate(own, region, n_paths=2000, random_state=4)
    assert shocked.paths("gdp_nominal").std(axis=0)[-1] > 0


# --------------------------------------------------------------------------- reproducibility
def test_same_seed_identical_different_seed_different(trend):
    a = simulate(trend, n_paths=2000, random_state=7)
    b = simulate(trend, n_paths=2000, random_state=7)
    c = simulate(trend, n_paths=2000, random_state=8)
    pd.testing.assert_frame_equal(a.percentiles, b.percentiles, check_exact=True)
    pd.testing.assert_frame_equal(a.probabilities, b.probabilities, check_exact=True)
    assert np.array_equal(a.paths("gdp_real"), b.paths("gdp_real"))
    assert not np.array_equal(a.paths("gdp_real"), c.paths("gdp_real"))
    late = a.percentiles["year"] > trend.base_year
    assert (a.percentiles.loc[late, "p50"] != c.percentiles.loc[late, "p50"]).all()


def test_default_seed_is_the_scenarios(trend):
    a = simulate(trend, n_paths=500)
    assert a.seed == trend.uncertainty.seed == DEFAULT_SEED == UNCERTAINTY_DEFAULTS["seed"]
    b = simulate(trend, n_paths=500, random_state=trend.uncertainty.seed)
    assert np.array_equal(a.paths("fiscal_revenue"), b.paths("fiscal_revenue"))


def test_generator_is_used_and_advanced(trend):
    rng = np.random.default_rng(3)
    a = simulate(trend, n_paths=300, random_state=rng)
    b = simulate(trend, n_paths=300, random_state=rng)
    assert a.seed is None
    assert not np.array_equal(a.paths("gdp_real"), b.paths("gdp_real"))
    c = simulate(trend, n_paths=300, random_state=np.random.default_rng(3))
    assert np.array_equal(a.paths("gdp_real"), c.paths("gdp_real"))


def test_check_random_state():
    g = np.random.default_rng(1)
    assert shocks.check_random_state(g) is g
    assert isinstance(shocks.check_random_state(None), np.random.Generator)
    x = shocks.check_random_state(5).standard_normal(3)
    assert np.array_equal(x, np.random.default_rng(5).standard_normal(3))
    with pytest.raises(TypeError):
        shocks.check_random_state("5")
    with pytest.raises(InputError):
        shocks.check_random_state(-1)


# --------------------------------------------------------------------------- shock moments
def test_shock_moments_recover_sd_ar1_and_correlation():
    spec = UncertaintySpec(sd_pct=(2.5, 3.5, 2.0), ar1=0.3, correlation=0.5, deflator_sd_pct=1.0)
    n, T = 200_000, 6
    shocks = draw_shocks(spec, n, T, np.random.default_rng(11))
    e = shocks.sector
    assert e.shape == (n, T, 3) and shocks.deflator.shape == (n, T)
    stationary_sd = np.array(spec.sd_pct) / math.sqrt(1 - spec.ar1**2)
    # stationary start: the first and the last year have the same spread
    for t in (0, T - 1):
        np.testing.assert_allclose(e[:, t, :].std(axis=0), stationary_sd, rtol=0.01)
    np.testing.assert_allclose(e.mean(axis=(0, 1)), 0.0, atol=0.02)
    # AR(1) coefficient per sector, pooled over paths and years (OLS through 0)
    x, y = e[:, :-1, :], e[:, 1:, :]
    ar1_hat = (x * y).sum(axis=(0, 1)) / (x * x).sum(axis=(0, 1))
    np.testing.assert_allclose(ar1_hat, spec.ar1, atol=0.01)
    # innovations: sd and common correlation
    u = (y - spec.ar1 * x).reshape(-1, 3)
    np.testing.assert_allclose(u.std(axis=0), spec.sd_pct, rtol=0.01)
    corr = np.corrcoef(u, rowvar=False)
    np.testing.assert_allclose(corr[np.triu_indices(3, 1)], spec.correlation, atol=0.01)
    np.testing.assert_allclose(shocks.deflator.std(), spec.deflator_sd_pct, rtol=0.01)
    # deflator shocks are iid and independent of real shocks
    d = shocks.deflator
    assert abs(np.corrcoef(d[:, :-1].ravel(), d[:, 1:].ravel())[0, 1]) < 0.01
    assert abs(np.corrcoef(d.ravel(), e[:, :, 1].ravel())[0, 1]) < 0.01


def test_perfect_correlation_and_no_persistence():
    spec = UncertaintySpec(sd_pct=(1.0, 2.0, 4.0), ar1=0.0, correlation=1.0, deflator_sd_pct=0.0)
    e = draw_shocks(spec, 20_000, 4, np.random.default_rng(2)).sector
    # one common shock scaled by each sector's sd
    np.testing.assert_allclose(e[..., 1], 2.0 * e[..., 0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(e[..., 2], 4.0 * e[..., 0], rtol=1e-9, atol=1e-12)
    assert abs(np.corrcoef(e[:, :-1, 0].ravel(), e[:, 1:, 0].ravel())[0, 1]) < 0.02


def test_covariance_and_stationary_covariance():
    spec = UncertaintySpec(sd_pct=(1.0, 2.0, 3.0), ar1=0.6, correlation=0.25)
    expected = np.array([[1.0, 0.5, 0.75], [0.5, 4.0, 1.5], [0.75, 1.5, 9.0]])
    np.testing.assert_allclose(spec.covariance(), expected, rtol=1e-12)
    np.testing.assert_allclose(spec.stationary_covariance(), expected / 0.64, rtol=1e-12)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"correlation": -0.5}, "uncertainty.correlation"),
        ({"correlation": 1.2}, "uncertainty.correlation"),
        ({"ar1": 1.0}, "uncertainty.ar1"),
        ({"ar1": -0.1}, "uncertainty.ar1"),
        ({"sd_pct": (1.0, -1.0, 1.0)}, "uncertainty.sd_pct"),
        ({"sd_pct": (1.0, float("nan"), 1.0)}, "uncertainty.sd_pct"),
        ({"deflator_sd_pct": -0.1}, "uncertainty.deflator_sd_pct"),
    ],
)
def test_invalid_parameters_raise_input_error(kwargs, field):
    with pytest.raises(InputError) as info:
        UncertaintySpec(**kwargs)
    assert info.value.field == field


def test_shock_factor_rejects_a_matrix_that_is_not_positive_definite():
    with pytest.raises(InputError, match="positive definite"):
        shocks.shock_factor((1.0, 1.0, 1.0), -0.6)
    factor = shocks.shock_factor((1.0, 2.0, 0.0), 0.3)
    cov = factor @ factor.T
    assert cov[2, 2] == 0.0 and cov[0, 1] == pytest.approx(0.6)


# --------------------------------------------------------------------------- defaults
def test_defaults_agree_with_the_scenario_schema(trend):
    assert shocks.DEFAULT_SD_PCT == UNCERTAINTY_DEFAULTS["sd_pct"]
    assert shocks.DEFAULT_AR1 == UNCERTAINTY_DEFAULTS["ar1"]
    assert shocks.DEFAULT_CORRELATION == UNCERTAINTY_DEFAULTS["correlation"]
    assert shocks.DEFAULT_DEFLATOR_SD_PCT == UNCERTAINTY_DEFAULTS["deflator_sd_pct"]
    assert UncertaintySpec().seed == UNCERTAINTY_DEFAULTS["seed"]
    assert UncertaintySpec.from_scenario(trend) == UncertaintySpec()


def test_spec_from_scenario_reads_the_section(trend):
    data = trend.to_parameters()
    data["uncertainty"] = {"ar1": 0.55, "sd_pct": {"primary": 2.5, "secondary": 3.5, "tertiary": 1.25}, "seed": 9}
    changed = scenario_from_dict(data)
    spec = UncertaintySpec.from_scenario(changed)
    assert spec.ar1 == 0.55 and spec.sd_pct == (2.5, 3.5, 1.25) and spec.seed == 9


def test_city_growth_sd_from_data_matches_hand_computation(region):
    sd, figures = shocks.city_growth_sd_pp(region.benchmark)
    assert region.benchmark.key == "panzhihua"
    assert figures == {2019: 6.3, 2020: 3.9, 2022: 2.6, 2023: 6.5}  # the 2021 H1 rate is another indicator
    # mean 4.825; squared deviations 2.175625 + 0.855625 + 4.950625 + 2.805625 = 10.7875
    assert sd == pytest.approx(math.sqrt(10.7875 / 3), rel=1e-12)
    assert 1.85 < sd < 1.95


FIGURES_HEADER = "id,indicator,region,year,period,value,unit,price_basis,kind,source,quote,trust,note\n"


def _write_region(data, key, rows, **info):
    """A region folder under ``data`` (region.yaml, figures.csv; the shipped data dictionary copied)."""
    folder = data / "regions" / key
    folder.mkdir(parents=True)
    if not (data / "indicators.csv").exists():
        shutil.copy(config.data_dir() / "indicators.csv", data / "indicators.csv")
    fields = {"key": key, "code": '"510499"', "name_en": f"{key} (test)", "name_zh": "测试", "base_year": 2020, **info}
    (folder / "region.yaml").write_text("".join(f"{k}: {v}\n" for k, v in fields.items()), encoding="utf-8")
    (folder / "figures.csv").write_text(FIGURES_HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")


def test_city_growth_sd_needs_two_benchmark_growth_figures(tmp_path):
    # no fallback constants: a benchmark with one usable annual real growth figure gives NaN
    data = tmp_path / "data"
    _write_region(data, "bench", [
        "bench.gdp_growth.2020,gdp_growth,bench,2020,,3.9,%,comparable,actual,test,-,high,",
        "bench.gdp_growth.2021,gdp_growth,bench,2021,,9.0,%,current,actual,test,-,high,nominal: not used",
        "bench.gdp_growth.2025,gdp_growth,bench,2025,,7.0,%,comparable,target,test,-,high,a goal: not used",
        "bench.gdp_growth.2016-2020,gdp_growth,bench,,2016-2020,5.0,%,comparable,stated_average,test,-,high,"
        "an average over years: not used",
    ])
    _write_region(data, "demo", ["demo.gdp.2020,gdp,demo,2020,,80,亿元,current,actual,test,-,high,"],
                  benchmark_region="bench")
    demo = load_region("demo", data)
    sd, figures = shocks.city_growth_sd_pp(demo.benchmark)
    assert math.isnan(sd) and figures == {2020: 3.9}
    # a second annual figure makes it computable: sd of 3.9 and 6.3 = |6.3 - 3.9| / sqrt(2)
    two = pd.concat([demo.benchmark.figures, demo.benchmark.figures.iloc[[0]].assign(
        id="bench.gdp_growth.2019", year=2019, value=6.3)], ignore_index=True)
    sd, figures = shocks.city_growth_sd_pp(dataclasses.replace(demo.benchmark, figures=two))
    assert figures == {2019: 6.3, 2020: 3.9} and sd == pytest.approx(2.4 / math.sqrt(2), rel=1e-12)
    # no growth figures at all
    sd, figures = shocks.city_growth_sd_pp(demo)
    assert math.isnan(sd) and figures == {}


def test_the_defaults_derivation_agrees_with_the_benchmark_data(region):
    # The docstring derives the defaults from Panzhihua's growth (sd ~1.9 pp) and, with Panzhihua's 2020 sector
    # shares as weights, an aggregate sd ~1.4 times that: both recomputed here from data/.
    bench = region.benchmark
    sd, _ = shocks.city_growth_sd_pp(bench)
    shares = {s: bench.figure(f"panzhihua.{s}_share.2020").value / 100 for s in SECTORS}  # per cent
    assert shares == pytest.approx({"primary": 0.0931, "secondary": 0.5365, "tertiary": 0.3704})
    innovation, stationary = shocks.implied_aggregate_sd_pp(shares)
    assert stationary == pytest.approx(innovation / math.sqrt(1 - 0.09))
    assert 1.9 < innovation < 3.5
    doc = " ".join(shocks.__doc__.split())
    for needle in (f"about {sd:.1f} pp", f"innovation sd of about {innovation:.1f} pp",
                   f"stationary sd of about {stationary:.1f} pp", f"roughly {stationary / sd:.1f} times",
                   "ch.1 §4", "assumptions", "80 %", "H1 +11.1 %"):
        assert needle in doc, needle


def test_implied_aggregate_sd_hand_computed():
    spec = UncertaintySpec(sd_pct=(2.0, 4.0, 0.0), ar1=0.0, correlation=0.5)
    # w = (0.5, 0.5, 0): var = 0.25*4 + 0.25*16 + 2*0.25*0.5*2*4 = 1 + 4 + 2 = 7
    innovation, stationary = shocks.implied_aggregate_sd_pp([0.5, 0.5, 0.0], spec)
    assert innovation == pytest.approx(math.sqrt(7.0)) and stationary == innovation


# --------------------------------------------------------------------------- percentiles
def test_percentiles_monotone_and_tidy(plan):
    result = simulate(plan, n_paths=3000, random_state=4)
    p = result.percentiles
    assert list(p.columns) == ["year", "indicator", "unit", *PERCENTILE_COLUMNS]
    assert set(p["indicator"]) == set(INDICATOR_UNITS)
    values = p[list(PERCENTILE_COLUMNS)].to_numpy()
    assert (np.diff(values, axis=1) >= 0).all()
    later = p["year"] > plan.base_year
    assert (p.loc[later, "p95"] > p.loc[later, "p5"]).all()
    assert p.loc[p.indicator == "gdp_per_capita", "unit"].eq("元").all()


@settings(max_examples=40)
@given(
    n=st.integers(1, 60),
    cols=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
    ties=st.booleans(),
)
def test_percentiles_of_agrees_with_numpy(n, cols, seed, ties):
    x = np.random.default_rng(seed).normal(size=(n, cols))
    if ties:
        x = np.round(x, 0)
    ours = percentiles_of(x)
    theirs = np.percentile(x, uncertainty.PERCENTILES, axis=0)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    assert (np.diff(ours, axis=0) >= 0).all()


def test_paths_are_read_only_with_the_right_shape(trend):
    result = simulate(trend, n_paths=50, random_state=1)
    arr = result.paths("gdp_real")
    assert arr.shape == (50, trend.horizon + 1)
    with pytest.raises(ValueError):
        arr[0, 0] = 1.0
    with pytest.raises(KeyError, match="unknown indicator"):
        result.paths("population")
    np.testing.assert_allclose(
        result.paths("primary") + result.paths("secondary") + result.paths("tertiary"), arr, rtol=1e-15
    )
    assert (arr[:, 0] == trend.gdp_base).all()


@pytest.mark.parametrize("bad", [0, -5, 2.5, True])
def test_bad_number_of_paths(trend, bad):
    with pytest.raises(InputError, match="paths"):
        simulate(trend, n_paths=bad)


# --------------------------------------------------------------------------- probabilities
def test_probabilities_in_unit_interval_and_labelled(plan, region):
    result = simulate(plan, region, n_paths=2000, random_state=5)
    prob = result.probabilities
    assert list(prob.columns) == list(PROBABILITY_COLUMNS) == ["target", "probability", "test", "column", "start_year",
                                                               "end_year", "bound_pct", "status"]
    assert prob["probability"].between(0, 1).all()
    assert {"xiqu.industrial_va_growth.2021-2025", "xiqu.services_va_growth.2021-2025"} <= set(prob["target"])
    assert doubling_label(2020, 2035) == DOUBLING
    # codes and numbers only: what each row tests, over which years, against which bound
    rows = prob.set_index("target")
    assert tuple(rows.loc["xiqu.industrial_va_growth.2021-2025", ["test", "column", "start_year", "end_year",
                                                                  "bound_pct", "status"]]) == (
        "at_least", "secondary", 2020, 2025, 7.5, "evaluated")
    doubling = rows.loc[DOUBLING]
    assert (doubling["test"], doubling["column"], doubling["start_year"], doubling["end_year"]) == (
        "doubling", "gdp_real", 2020, 2035)
    assert doubling["bound_pct"] == pytest.approx((2 ** (1 / 15) - 1) * 100)  # 4.73% a year doubles in 15 years
    from xiqu_analysis.reports.words.codes import probability_note

    assert "not a target of the plan" in probability_note(doubling.to_dict() | {"target": DOUBLING}, "en")
    assert "并非规划目标" in probability_note(doubling.to_dict() | {"target": DOUBLING}, "zh")


@pytest.mark.parametrize("name", SCENARIOS)
def test_zero_sd_probabilities_match_the_deterministic_gap(name, region):
    scenario = _scenario(name, region)
    result = simulate(scenario, region, n_paths=20, random_state=1, spec=ZERO)
    deterministic = project(scenario)
    prob = result.probabilities.set_index("target")["probability"]
    targets = plan_targets(region)
    assert len(targets) == 3
    for tg in targets:
        avg = column_average_growth_pct(deterministic, tg.column, f"{tg.start_year + 1}-{tg.end_year}")
        met = avg >= tg.floor_pct - 1e-9
        assert prob[tg.label] == (1.0 if met else 0.0), (tg.label, avg)
    g = deterministic.table.set_index("year")["gdp_real"]
    assert prob[DOUBLING] == (1.0 if g[2035] >= 2 * g[2020] else 0.0)


def test_known_probabilities_on_the_shipped_scenarios(region):
    # trend: every sector at 4.9 % -> the 7.5 % industry floor is missed, the 3.5 % agriculture floor met;
    # 4.9 % a year for 15 years doubles real GDP (2 ** (1/15) - 1 = 4.73 %).
    trend = _scenario("trend", region)
    prob = simulate(trend, region, n_paths=5, spec=ZERO).probabilities.set_index("target")["probability"]
    assert prob["xiqu.industrial_va_growth.2021-2025"] == 0.0
    assert prob["xiqu.agriculture_va_growth.2021-2025"] == 1.0
    assert prob[DOUBLING] == 1.0
    # plan_targets: each sector exactly on its floor -> met (a path on the floor meets a 不低于 floor)
    plan = _scenario("plan_targets", region)
    prob = simulate(plan, region, n_paths=5, spec=ZERO).probabilities.set_index("target")["probability"]
    assert len(prob) == 4 and (prob.drop(DOUBLING) == 1.0).all()


def test_probability_is_a_share_of_paths(trend):
    target = GrowthTarget("toy", "secondary", 2020, 2025, 4.9, "toy")
    result = simulate(trend, n_paths=4000, random_state=3, targets=[target])
    sec = result.paths("secondary")
    avg = ((sec[:, 5] / sec[:, 0]) ** (1 / 5) - 1) * 100
    assert result.probabilities.iloc[0]["probability"] == pytest.approx(np.mean(avg >= 4.9 - 1e-9))
    # growth at the floor plus symmetric shocks: about half the paths meet it
    assert 0.4 < result.probabilities.iloc[0]["probability"] < 0.6


def test_targets_outside_the_horizon_have_no_probability(trend, region):
    data = trend.to_parameters()
    data["end_year"] = 2023
    data["population"]["growth_pct"] = 0.0  # the trend's periods reach 2035
    data["assumptions"] = {k: v for k, v in data["assumptions"].items() if not k.startswith("population.growth_pct")}
    short = scenario_from_dict(data)
    prob = simulate(short, region, n_paths=100, random_state=1).probabilities
    assert len(prob) == 3 and prob["probability"].isna().all()
    assert (prob["status"] == "outside_projection").all() and (prob["end_year"] == 2025).all()
    assert DOUBLING not in set(prob["target"])


def test_probability_rows_come_from_the_region(trend, region, tmp_path):
    # without a region: no targets and no doubling row
    assert simulate(trend, n_paths=50, random_state=1).probabilities.empty
    # doubling_by alone gives the doubling row, named by the base year and the year asked
    prob = simulate(trend, n_paths=50, random_state=1, doubling_by=2030).probabilities
    assert prob["target"].tolist() == [doubling_label(2020, 2030)] == ["gdp_real_doubles_2020_by_2030"]
    assert tuple(prob.iloc[0][["test", "start_year", "end_year"]]) == ("doubling", 2020, 2030)
    # the caller's year overrides the region's long_range_year
    prob = simulate(trend, region, n_paths=50, random_state=1, doubling_by=2030).probabilities
    assert prob["target"].tolist()[-1] == "gdp_real_doubles_2020_by_2030" and DOUBLING not in set(prob["target"])
    # a region with no target figures: no targets; its long_range_year gives the doubling row
    data = tmp_path / "data"
    _write_region(data, "demo", ["demo.gdp.2020,gdp,demo,2020,,80,亿元,current,actual,test,-,high,"],
                  long_range_year=2035)
    demo = load_region("demo", data)
    assert plan_targets(demo) == []
    prob = simulate(trend, demo, n_paths=50, random_state=1).probabilities
    assert prob["target"].tolist() == [DOUBLING]
    # ... and without a long_range_year, no rows at all
    no_year = dataclasses.replace(demo, info=demo.info.model_copy(update={"long_range_year": None}))
    assert simulate(trend, no_year, n_paths=50, random_state=1).probabilities.empty


# --------------------------------------------------------------------------- property
@settings(max_examples=20, deadline=None)
@given(
    sector=st.sampled_from(["primary", "secondary", "tertiary"]),
    delta=st.floats(0.0, 5.0, allow_nan=False),
    seed=st.integers(0, 10_000),
)
def test_higher_growth_never_lowers_the_median(trend, sector, delta, seed):
    higher = trend.with_changes(**{f"real_growth_pct.{sector}": trend.value_at(f"real_growth_pct.{sector}") + delta})
    base = simulate(trend, n_paths=200, random_state=seed).percentiles
    up = simulate(higher, n_paths=200, random_state=seed).percentiles
    # buoyancy is 1 in trend, so revenue moves with nominal GDP and is monotone too
    assert trend.fiscal_revenue.buoyancy == 1.0
    assert (up["p50"].to_numpy() >= base["p50"].to_numpy() * (1 - 1e-12)).all()


def test_plan_targets_are_the_regions_growth_floors(region):
    # read from the region's target figures and the data dictionary (no constants to fall back on)
    key = lambda t: (t.label, t.column, t.start_year, t.end_year, t.floor_pct, t.direction)  # noqa: E731
    assert [key(t) for t in plan_targets(region)] == [
        ("xiqu.industrial_va_growth.2021-2025", "secondary", 2020, 2025, 7.5, "at_least"),
        ("xiqu.services_va_growth.2021-2025", "tertiary", 2020, 2025, 8.5, "at_least"),
        ("xiqu.agriculture_va_growth.2021-2025", "primary", 2020, 2025, 3.5, "at_least"),
    ]
    assert all("plan ch.2 §4.2" in t.note for t in plan_targets(region))
    # the park's 50 亿元 gross output is a level target, not a growth rate: not simulated
    figures = region.figures
    assert "xiqu.rehab_park_output.2025" in set(figures.loc[figures["kind"] == "target", "id"])
    # a ceiling (不超过) is read from the quote
    ceiling = figures[figures["id"] == "xiqu.services_va_growth.2021-2025"].assign(quote="年均增速不超过8.5%")
    (tg,) = plan_targets(dataclasses.replace(region, figures=ceiling))
    assert tg.direction == "at_most" and tg.column == "tertiary"


def test_ceiling_target_counts_paths_below(trend):
    floor = GrowthTarget("floor", "tertiary", 2020, 2025, 4.9, "toy")
    ceiling = GrowthTarget("ceiling", "tertiary", 2020, 2025, 4.9, "toy", direction="at_most")
    prob = simulate(trend, n_paths=3000, random_state=2, targets=[floor, ceiling]).probabilities
    p_floor, p_ceiling = prob["probability"].iloc[:2]
    assert p_floor + p_ceiling == pytest.approx(1.0)  # continuous distribution: no path exactly on 4.9
    assert list(prob["test"].iloc[:2]) == ["at_least", "at_most"]


# --------------------------------------------------------------------------- slow references
def test_shocks_match_a_scalar_reference():
    """Per-path, per-year scalar loop from the same normals (drawn as (3, T+1, n))."""
    spec = UncertaintySpec(sd_pct=(2.5, 3.5, 2.0), ar1=0.3, correlation=0.5, deflator_sd_pct=1.0)
    n, T = 7, 5
    fast = draw_shocks(spec, n, T, np.random.default_rng(99))
    rng = np.random.default_rng(99)
    z = rng.standard_normal((3, T + 1, n))
    d = rng.standard_normal((n, T))
    cov = spec.covariance()
    L = np.linalg.cholesky(cov)
    for p in range(n):
        prev = [sum(L[i][j] * z[j][0][p] for j in range(3)) / math.sqrt(1 - 0.09) for i in range(3)]
        for t in range(T):
            u = [sum(L[i][j] * z[j][t + 1][p] for j in range(3)) for i in range(3)]
            prev = [0.3 * prev[i] + u[i] for i in range(3)]
            for i in range(3):
                assert fast.sector[p, t, i] == pytest.approx(prev[i], rel=1e-12, abs=1e-12)
            assert fast.deflator[p, t] == pytest.approx(1.0 * d[p, t], rel=1e-15)


def test_simulated_paths_match_the_slow_reference_projection(trend):
    """Each simulated path equals the loop reference projection of that path's shocked growth."""
    spec = UncertaintySpec(sd_pct=(2.5, 3.5, 2.0), ar1=0.3, correlation=0.5, deflator_sd_pct=1.0)
    n = 6
    result = simulate(trend, n_paths=n, random_state=12, spec=spec)
    shocks = draw_shocks(spec, n, trend.horizon, np.random.default_rng(12))
    growth = trend.growth_matrix_pct() + shocks.sector
    deflator = trend.deflator_path_pct() + shocks.deflator
    for p in range(n):
        # trend with this path's growth and deflator, year by year (one-year periods): a real scenario
        data = trend.to_parameters()
        data["real_growth_pct"] = {s: per_year(growth[p, :, i], trend.base_year) for i, s in enumerate(SECTORS)}
        data["deflator_pct"] = per_year(deflator[p], trend.base_year)
        data["sources"] = {k: v for k, v in data["sources"].items() if not k.startswith("real_growth_pct")}
        path_scenario = scenario_from_dict(data, source=f"trend path {p}")
        assert (path_scenario.growth_matrix_pct() == growth[p]).all()
        ref = reference_project(path_scenario)
        for indicator in INDICATOR_UNITS:
            np.testing.assert_allclose(result.paths(indicator)[p], ref[indicator].to_numpy(), rtol=1e-12)


def test_the_main_table_is_the_percentiles(plan):
    result = simulate(plan, n_paths=20, random_state=1)
    assert result.table is result.percentiles
    assert list(result.table.columns[:3]) == ["year", "indicator", "unit"]


def test_percentiles_on_threads_equal_one_after_another(monkeypatch):
    """The threaded percentiles (large inputs, several CPUs) are the same numbers as one array at a time."""
    rng = np.random.default_rng(5)
    arrays = [np.asfortranarray(rng.normal(size=(3_001, 6)).cumsum(axis=1)) for _ in range(4)]
    alone = [percentiles_of(a) for a in arrays]
    monkeypatch.setattr(uncertainty, "THREADED_PERCENTILES_MIN_VALUES", 0)
    monkeypatch.setattr(uncertainty, "_free_cpus", lambda: 2)
    threaded = uncertainty.percentiles_of_each(arrays)
    assert all(np.array_equal(a, b) for a, b in zip(alone, threaded, strict=True))
