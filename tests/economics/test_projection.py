"""Tests of the projection engine: hand-computed answers, properties, a slow reference."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from tests.helpers.reference_projection import reference_project, toy_scenario
from xiqu_analysis import config
from xiqu_analysis.economics.columns import COLUMN_INPUTS, COLUMN_UNITS, TABLE_COLUMNS
from xiqu_analysis.economics.growth import compound_index
from xiqu_analysis.economics.indicators import buoyancy_path
from xiqu_analysis.economics.projection import (
    assumed_columns,
    average_population,
    check_projection,
    per_capita_yuan,
    project,
    project_arrays,
    scenario_inputs,
    sector_paths,
)
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.regions import load_region
from xiqu_analysis.inputs.scenario import load_scenario

# --------------------------------------------------------------------------- toy
# Two projected years, numbers chosen so every answer can be worked by hand.
# GDP 100 亿元, shares 0.1/0.5/0.4 -> VA 10/50/40.
# Year 1 growth (10, 0, 5) %: VA 11/50/42, GDP 103, growth 3 %.
#   pulls: (11-10)/100*100 = 1, 0, (42-40)/100*100 = 2 pp (sum 3 = growth)
#   contributions: 1/3*100 = 33.33.., 0, 66.66.. (sum 100)
# Year 2 growth (0, 10, 0) %: VA 11/55/42, GDP 108, growth 5/103*100 = 4.854368932 %.
#   pulls: 0, 5/103*100 = 4.854368932, 0; contributions 0, 100, 0.
# Deflator 2 %, 3 %: index 1, 1.02, 1.0506; nominal GDP 100, 105.06, 113.4648.
#   nominal growth 5.06 %, then 108*1.03/103 = 1.08 -> 8 %.
# Fiscal 10 亿元, buoyancy 1.5: 10*(1+1.5*0.0506) = 10.759; 10.759*(1+1.5*0.08) = 12.05008.
# Population 1000 (year-end 2020), +1 %: 1000, 1010, 1020.1; +1 % during 2020 too (base data).
#   base year-start back-cast 1000/1.01 = 990.0990099; averages 995.0495050, 1005, 1015.05.
#   per-capita year 1: 105.06e8/1005 = 10,453,731.343 元.
# Urban income 40,000 元 +5 %: 40,000, 42,000, 44,100.
TOY_INPUTS = dict(
    base_year=2020,
    end_year=2022,
    gdp_base=100.0,
    shares={"primary": 0.1, "secondary": 0.5, "tertiary": 0.4},
    growth=((10.0, 0.0, 5.0), (0.0, 10.0, 0.0)),
    deflator=(2.0, 3.0),
    population=(1000.0, 1.0, 1.0),
    urban_income=(40000.0, 5.0),
    fiscal_revenue=(10.0, 1.5),
)
TOY = toy_scenario(**TOY_INPUTS)  # every input sourced (made-up figure ids)

EXPECTED_COLUMNS = [
    "year", "gdp_real", "gdp_nominal", "primary", "secondary", "tertiary",
    "primary_nominal", "secondary_nominal", "tertiary_nominal",
    "gdp_growth", "primary_growth", "secondary_growth", "tertiary_growth",
    "primary_pull", "secondary_pull", "tertiary_pull",
    "primary_contribution", "secondary_contribution", "tertiary_contribution",
    "deflator_index", "nominal_growth", "primary_share", "secondary_share", "tertiary_share",
    "population", "population_avg", "gdp_per_capita", "gdp_per_capita_real", "urban_income", "fiscal_revenue",
    "revenue_to_gdp",
]  # fmt: skip


@pytest.fixture(scope="module")
def toy():
    return project(TOY)


def test_table_has_the_contract_columns_in_order(toy):
    assert list(toy.table.columns) == EXPECTED_COLUMNS
    assert tuple(EXPECTED_COLUMNS) == TABLE_COLUMNS
    assert set(COLUMN_UNITS) == set(TABLE_COLUMNS) == set(COLUMN_INPUTS)
    assert pd.api.types.is_integer_dtype(toy.table["year"])
    assert toy.table["year"].tolist() == [2020, 2021, 2022]


def test_toy_levels(toy):
    t = toy.table
    assert_allclose(t["primary"], [10, 11, 11], rtol=1e-14)
    assert_allclose(t["secondary"], [50, 50, 55], rtol=1e-14)
    assert_allclose(t["tertiary"], [40, 42, 42], rtol=1e-14)
    assert_allclose(t["gdp_real"], [100, 103, 108], rtol=1e-14)
    assert_allclose(t["deflator_index"], [1, 1.02, 1.0506], rtol=1e-14)
    assert_allclose(t["gdp_nominal"], [100, 105.06, 113.4648], rtol=1e-14)
    assert_allclose(t["secondary_nominal"], [50, 51, 57.783], rtol=1e-14)  # 55*1.0506


def test_toy_growth_pulls_contributions(toy):
    t = toy.table
    assert t.loc[0, ["gdp_growth", "primary_growth", "primary_pull", "tertiary_contribution", "nominal_growth"]].isna().all()
    assert_allclose(t["gdp_growth"][1:], [3.0, 500 / 103], rtol=1e-12)
    assert_allclose(t["primary_growth"][1:], [10, 0])
    assert_allclose(t["secondary_growth"][1:], [0, 10])
    assert_allclose(t["primary_pull"][1:], [1, 0], atol=1e-12)
    assert_allclose(t["secondary_pull"][1:], [0, 500 / 103], atol=1e-12)
    assert_allclose(t["tertiary_pull"][1:], [2, 0], atol=1e-12)
    assert_allclose(t["primary_contribution"][1:], [100 / 3, 0], atol=1e-10)
    assert_allclose(t["secondary_contribution"][1:], [0, 100], atol=1e-10)
    assert_allclose(t["tertiary_contribution"][1:], [200 / 3, 0], atol=1e-10)
    pulls = t[["primary_pull", "secondary_pull", "tertiary_pull"]].sum(axis=1)[1:]
    assert_allclose(pulls, t["gdp_growth"][1:], rtol=1e-12)
    contribs = t[["primary_contribution", "secondary_contribution", "tertiary_contribution"]].sum(axis=1)[1:]
    assert_allclose(contribs, [100, 100], rtol=1e-12)
    assert_allclose(t["nominal_growth"][1:], [5.06, 8.0], rtol=1e-12)


def test_toy_nominal_is_real_times_index_and_shares_are_real_shares(toy):
    t = toy.table
    assert_allclose(t["gdp_nominal"], t["gdp_real"] * t["deflator_index"], rtol=1e-15)
    for s in ("primary", "secondary", "tertiary"):
        assert_allclose(t[f"{s}_nominal"], t[s] * t["deflator_index"], rtol=1e-15)
        assert_allclose(t[f"{s}_share"], t[s] / t["gdp_real"], rtol=1e-14)
    assert_allclose(t["primary_share"], [0.1, 11 / 103, 11 / 108], rtol=1e-14)


def test_toy_fiscal_population_income(toy):
    t = toy.table
    assert_allclose(t["fiscal_revenue"], [10, 10.759, 12.05008], rtol=1e-13)
    assert_allclose(t["revenue_to_gdp"], [10, 10.759 / 105.06 * 100, 12.05008 / 113.4648 * 100], rtol=1e-13)
    assert_allclose(t["population"], [1000, 1010, 1020.1], rtol=1e-14)
    assert_allclose(t["population_avg"], [(1000 / 1.01 + 1000) / 2, 1005, 1015.05], rtol=1e-14)
    assert_allclose(t.loc[1, "gdp_per_capita"], 105.06e8 / 1005, rtol=1e-14)
    assert t.loc[1, "gdp_per_capita"] == pytest.approx(10_453_731.343, abs=1e-3)
    assert_allclose(t["urban_income"], [40000, 42000, 44100], rtol=1e-14)


def test_accessors(toy):
    assert toy.at(2022, "gdp_real") == pytest.approx(108)
    assert toy.base_year == 2020 and toy.end_year == 2022
    assert toy.column("secondary").loc[2022] == pytest.approx(55)
    assert toy.unit("gdp_per_capita") == "元"
    with pytest.raises(KeyError, match="outside"):
        toy.at(2030, "gdp_real")
    with pytest.raises(KeyError, match="unknown projection column"):
        toy.at(2021, "gdp")


def test_result_is_frozen(toy):
    with pytest.raises(AttributeError):
        toy.table = None  # type: ignore[misc]


# --------------------------------------------------------------------------- core functions
def test_compound_index_known_answer():
    assert_allclose(compound_index([10.0, -50.0, 0.0]), [1.0, 1.1, 0.55, 0.55], rtol=1e-15)
    assert compound_index(np.zeros((4, 0))).shape == (4, 1)
    with pytest.raises(ValueError):
        compound_index(3.0)


def test_sector_paths_shape_and_values():
    out = sector_paths([1.0, 2.0, 4.0], [[100.0, 0.0, -50.0]])
    assert out.shape == (2, 3)
    assert_allclose(out, [[1, 2, 4], [2, 2, 2]])
    with pytest.raises(ValueError, match=r"\(\.\.\., T, 3\)"):
        sector_paths([1.0, 2.0, 4.0], [1.0, 2.0])


def test_buoyancy_path():
    # buoyancy 1.5 on 10 % nominal growth -> revenue grows 15 % a year.
    assert_allclose(buoyancy_path(2.0, 1.5, [10.0, 10.0]), [2.0, 2.3, 2.645], rtol=1e-14)
    # buoyancy 1 keeps the revenue/GDP ratio: revenue index == GDP index.
    assert_allclose(buoyancy_path(1.0, 1.0, [4.0, -3.0]), compound_index([4.0, -3.0]), rtol=1e-15)
    # per-path buoyancy, shape (n, 1)
    out = buoyancy_path(np.array([1.0, 1.0]), np.array([[0.0], [2.0]]), np.array([[5.0], [5.0]]))
    assert_allclose(out, [[1.0, 1.0], [1.0, 1.1]])


def test_per_capita_plan_base_year_implies_126_thousand_persons():
    # The plan's 82.91 亿元 / 65,801 元 = 126,001 persons (average population).
    # With zero population growth the average equals the year-end count.
    pc = per_capita_yuan(np.array([82.91]), np.array([126_001.0]), 0.0)
    assert pc[0] == pytest.approx(65_801.0, abs=1.0)
    # With the 2020 census count, 129,406 persons, per-capita is lower: 64,069 元.
    pc_census = per_capita_yuan(np.array([82.91]), np.array([129_406.0]), 0.0)
    assert pc_census[0] == pytest.approx(82.91e8 / 129_406, rel=1e-14)
    assert 64_068 < pc_census[0] < 64_070


def test_average_population_back_cast():
    # -2 % in the first year: year-start 2020 = 100/0.98; average (102.0408.. + 100)/2
    avg = average_population(np.array([100.0, 98.0]), -2.0)
    assert_allclose(avg, [(100 / 0.98 + 100) / 2, 99.0], rtol=1e-15)


# --------------------------------------------------------------------------- broadcasting
def _toy_kwargs(growth, deflator):
    return dict(
        gdp_base_yi=82.91,
        shares=[0.02, 0.58, 0.40],
        growth_pct=growth,
        deflator_pct=deflator,
        population_base_persons=129_406.0,
        population_growth_pct=-0.3,
        urban_income_base_yuan=41_794.0,
        urban_income_growth_pct=7.0,
        fiscal_base_yi=1.85,
        buoyancy=1.1,
    )


def test_paths_equal_to_deterministic_growth_reproduce_it_exactly():
    rng = np.random.default_rng(20260101)
    T, n = 15, 7
    growth = rng.uniform(-5, 12, size=(T, 3))
    deflator = rng.uniform(0, 4, size=T)
    det = project_arrays(**_toy_kwargs(growth, deflator))
    tiled = project_arrays(**_toy_kwargs(np.broadcast_to(growth, (n, T, 3)).copy(), np.tile(deflator, (n, 1))))
    # also: deterministic path embedded among shocked paths, 2 leading dims
    mixed_g = growth + rng.normal(0, 1, size=(2, n, T, 3))
    mixed_d = deflator + rng.normal(0, 0.5, size=(2, n, T))
    mixed_g[1, 3] = growth
    mixed_d[1, 3] = deflator
    mixed = project_arrays(**_toy_kwargs(mixed_g, mixed_d))
    assert set(det) == set(tiled) == set(TABLE_COLUMNS[1:])
    for key, value in det.items():
        assert value.shape == (T + 1,)
        assert tiled[key].shape == (n, T + 1)
        for i in range(n):
            assert_array_equal(tiled[key][i], value, err_msg=key)  # exact, NaN == NaN
        assert_array_equal(mixed[key][1, 3], value, err_msg=key)
        assert not np.array_equal(mixed[key][0, 0][1:], value[1:]) or key in ("population", "population_avg", "urban_income")


@pytest.mark.parametrize(
    "subset",
    [("gdp_real",), ("gdp_per_capita", "fiscal_revenue"), ("tertiary_contribution",), ("secondary_share", "urban_income", "revenue_to_gdp")],
)
def test_column_subset_gives_the_same_numbers(subset):
    rng = np.random.default_rng(7)
    growth = rng.uniform(-5, 12, size=(3, 10, 3))
    deflator = rng.uniform(0, 4, size=(3, 10))
    full = project_arrays(**_toy_kwargs(growth, deflator))
    part = project_arrays(**_toy_kwargs(growth, deflator), columns=subset)
    assert list(part) == [c for c in TABLE_COLUMNS if c in subset]
    for key in subset:
        assert_array_equal(part[key], full[key])


def test_unknown_column_and_bad_shapes_are_rejected():
    with pytest.raises(ValueError, match="unknown projection columns: gdp"):
        project_arrays(**_toy_kwargs(np.zeros((2, 3)), 0.0), columns=["gdp"])
    with pytest.raises(ValueError, match="shares"):
        project_arrays(**{**_toy_kwargs(np.zeros((2, 3)), 0.0), "shares": [0.5, 0.5]})


def test_shared_deflator_broadcasts_over_paths():
    growth = np.full((4, 5, 3), 5.0)
    out = project_arrays(**_toy_kwargs(growth, 2.0))
    assert out["gdp_nominal"].shape == (4, 6)
    assert_allclose(out["deflator_index"][2], compound_index(np.full(5, 2.0)))


# --------------------------------------------------------------------------- reference
def _random_scenario(seed: int):
    rng = np.random.default_rng(seed)
    T = int(rng.integers(1, 20))
    raw = rng.uniform(0.01, 1.0, size=3)
    shares = raw / raw.sum()
    return toy_scenario(
        base_year=2020,
        end_year=2020 + T,
        gdp_base=float(rng.uniform(1, 500)),
        shares=shares.tolist(),
        growth=rng.uniform(-15, 25, size=(T, 3)),
        deflator=rng.uniform(-3, 8, size=T),
        # population and income growth vary by year too (the reference loop reads each year's rate)
        population=(float(rng.uniform(1e4, 1e6)), rng.uniform(-2, 2, size=T), float(rng.uniform(-3, 3))),
        urban_income=(float(rng.uniform(1e4, 1e5)), rng.uniform(-2, 12, size=T)),
        fiscal_revenue=(float(rng.uniform(0.1, 50)), float(rng.uniform(0, 2.5))),
    )


@pytest.mark.parametrize("seed", range(25))
def test_vectorised_engine_matches_slow_reference(seed):
    scenario = _random_scenario(seed)
    fast = project(scenario).table
    slow = reference_project(scenario)
    assert len(fast) == len(slow) == scenario.end_year - scenario.base_year + 1
    assert fast["year"].tolist() == slow["year"].tolist()
    for col in TABLE_COLUMNS[1:]:
        assert_allclose(fast[col].to_numpy(), slow[col].to_numpy(), rtol=1e-12, atol=1e-9 if "pull" in col or "contribution" in col else 0, err_msg=col)


def test_reference_agrees_on_the_toy():
    slow = reference_project(TOY)
    assert_allclose(slow["gdp_real"], [100, 103, 108], rtol=1e-14)
    assert_allclose(slow["fiscal_revenue"], [10, 10.759, 12.05008], rtol=1e-13)


# --------------------------------------------------------------------------- properties
T_MAX = 12
shares_st = st.lists(st.floats(0.001, 1.0), min_size=3, max_size=3).map(lambda v: np.array(v) / sum(v))


@st.composite
def growth_st(draw, lo=-30.0, hi=40.0):
    T = draw(st.integers(1, T_MAX))
    flat = draw(st.lists(st.floats(lo, hi, allow_nan=False), min_size=3 * T, max_size=3 * T))
    return np.array(flat).reshape(T, 3)


def _arrays(shares, growth, deflator=2.0):
    kw = _toy_kwargs(growth, deflator)
    kw["shares"] = shares
    return project_arrays(**kw)


@given(shares=shares_st, growth=growth_st())
def test_sectors_sum_to_gdp_and_shares_to_one(shares, growth):
    out = _arrays(shares, growth)
    assert_allclose(out["primary"] + out["secondary"] + out["tertiary"], out["gdp_real"], rtol=1e-12)
    assert_allclose(out["primary_nominal"] + out["secondary_nominal"] + out["tertiary_nominal"], out["gdp_nominal"], rtol=1e-12)
    assert_allclose(out["primary_share"] + out["secondary_share"] + out["tertiary_share"], 1.0, rtol=1e-12)


@given(shares=shares_st, growth=growth_st())
def test_pulls_sum_to_growth(shares, growth):
    out = _arrays(shares, growth)
    total = out["primary_pull"] + out["secondary_pull"] + out["tertiary_pull"]
    assert np.isnan(total[0])
    assert_allclose(total[1:], out["gdp_growth"][1:], rtol=1e-9, atol=1e-9)
    contrib = out["primary_contribution"] + out["secondary_contribution"] + out["tertiary_contribution"]
    ok = np.abs(out["gdp_growth"][1:]) > 1e-3
    assert_allclose(contrib[1:][ok], 100.0, rtol=1e-6)


@given(shares=shares_st, T=st.integers(1, T_MAX))
def test_zero_growth_stays_flat(shares, T):
    out = _arrays(shares, np.zeros((T, 3)), deflator=0.0)
    for key in ("primary", "secondary", "tertiary", "gdp_real", "gdp_nominal", "fiscal_revenue"):
        assert np.all(out[key] == out[key][0]), key
    assert np.all(out["gdp_growth"][1:] == 0.0)
    assert np.all(np.isnan(out["primary_contribution"]))  # 0/0 growth: contribution undefined


@given(
    shares=shares_st,
    growth=growth_st(),
    where=st.tuples(st.integers(0, T_MAX - 1), st.integers(0, 2)),
    bump=st.floats(1e-6, 20.0),
)
def test_higher_growth_never_lowers_gdp(shares, growth, where, bump):
    t, s = where[0] % growth.shape[0], where[1]
    higher = growth.copy()
    higher[t, s] += bump
    low, high = _arrays(shares, growth), _arrays(shares, higher)
    assert np.all(high["gdp_real"] >= low["gdp_real"])
    assert np.all(high["gdp_nominal"] >= low["gdp_nominal"])
    assert high["gdp_real"][-1] > low["gdp_real"][-1] or shares[s] * 100 < 1e-300


# --------------------------------------------------------------------------- provenance
def test_assumed_columns_follow_inputs():
    assert project(TOY).assumed_columns == frozenset()
    only_deflator = project(toy_scenario(**TOY_INPUTS, assumed=("deflator_pct",)))
    cols = only_deflator.assumed_columns
    assert {"gdp_nominal", "deflator_index", "nominal_growth", "gdp_per_capita", "fiscal_revenue", "revenue_to_gdp"} <= cols
    assert not {"gdp_real", "gdp_growth", "primary", "primary_pull", "population", "urban_income"} & cols
    pop = project(toy_scenario(**TOY_INPUTS, assumed=("population.growth_pct",))).assumed_columns
    assert pop == {"population", "population_avg", "gdp_per_capita", "gdp_per_capita_real"}


def _periods_scenario(assumed):
    """Secondary growth given by period; everything else sourced unless listed in ``assumed``."""
    return toy_scenario(
        end_year=2035, gdp_base=82.91, shares=(0.02, 0.58, 0.40),
        growth={"primary": 3.5, "secondary": {"2021-2025": 7.5, "2026-2035": 6.0}, "tertiary": 8.5},
        deflator=2.0, population=(129_406.0, -1.0), urban_income=(41_794.0, 7.0), fiscal_revenue=(1.85, 1.0),
        assumed=assumed,
    )


def test_assumed_columns_match_dotted_prefixes():
    # one period of one sector assumed: that sector's columns and GDP, not the other sectors
    one_period = _periods_scenario(("real_growth_pct.secondary.2021-2025",))
    assert one_period.status_of("real_growth_pct.secondary.2026-2035") == "sourced"
    cols = assumed_columns(one_period)
    assert "secondary" in cols and "secondary_growth" in cols and "gdp_real" in cols
    assert "primary" not in cols and "primary_growth" not in cols and "population" not in cols
    # a whole group assumed covers every sector's growth
    whole = assumed_columns(_periods_scenario(("real_growth_pct",)))
    assert {"primary_growth", "secondary_growth", "tertiary_growth"} <= whole
    # the uncertainty settings (assumed, at their defaults) feed no projection column
    everything_sourced = _periods_scenario(())
    assert everything_sourced.status_of("uncertainty.ar1") == "assumed"
    assert assumed_columns(everything_sourced) == frozenset()
    assert project(everything_sourced).assumed_columns == frozenset()


# --------------------------------------------------------------------------- the shipped scenario
@pytest.fixture(scope="module")
def all_shipped():
    return [load_scenario(p) for p in sorted(config.scenario_dir().glob("*.yaml"))]


@pytest.fixture(scope="module")
def plan_targets():
    return load_scenario(config.scenario_dir() / "plan_targets.yaml", load_region("xiqu"))


def test_plan_targets_projection_by_hand(plan_targets):
    result = project(plan_targets)
    t = result.table
    assert list(t.columns) == EXPECTED_COLUMNS
    assert t["year"].tolist() == list(range(2020, 2036))
    # 2020: 82.91 亿元 split 2:58:40 -> 1.6582 / 48.0878 / 33.164
    assert_allclose(t.loc[0, ["primary", "secondary", "tertiary"]].astype(float), [1.6582, 48.0878, 33.164], rtol=1e-13)
    assert t.loc[0, "gdp_real"] == pytest.approx(82.91, rel=1e-14)
    # 2021 growth 0.02*3.5 + 0.58*7.5 + 0.40*8.5 = 7.82 %; secondary pull 0.58*7.5 = 4.35 pp
    assert result.at(2021, "gdp_growth") == pytest.approx(7.82, abs=1e-12)
    assert result.at(2021, "secondary_pull") == pytest.approx(4.35, abs=1e-12)
    # 2025 real GDP = 82.91 * (0.02*1.035**5 + 0.58*1.075**5 + 0.40*1.085**5) = 82.91 * 1.4578814 = 120.873
    assert result.at(2025, "gdp_real") == pytest.approx(82.91 * 1.4578814113638745, rel=1e-13)
    # nominal = real * 1.02**5 in 2025; deflator 2 % a year
    assert result.at(2025, "gdp_nominal") == pytest.approx(result.at(2025, "gdp_real") * 1.02**5, rel=1e-14)
    # buoyancy 1.0 keeps revenue/GDP at 1.85/82.91 = 2.2313 %
    assert_allclose(t["revenue_to_gdp"], 1.85 / 82.91 * 100, rtol=1e-12)
    # population flat 2021-2023 (129,406 at the census, 12.94万 at the end of 2023), then -0.5 % a year
    assert result.at(2021, "population_avg") == 129_406
    assert result.at(2025, "population_avg") == pytest.approx((129_406 * 0.995 + 129_406 * 0.995**2) / 2, rel=1e-14)
    # the base year's average: year-start back-cast at -2.25 % (base data), not at 2021's 0 %
    assert result.at(2020, "population_avg") == pytest.approx((129_406 / 0.9775 + 129_406) / 2, rel=1e-14)
    # urban income 41,794 元 * 1.07**15 in 2035
    assert result.at(2035, "urban_income") == pytest.approx(41_794 * 1.07**15, rel=1e-13)


def test_plan_targets_matches_reference_and_marks_assumptions(plan_targets):
    result = project(plan_targets)
    slow = reference_project(plan_targets)
    for col in TABLE_COLUMNS[1:]:
        assert_allclose(result.table[col].to_numpy(), slow[col].to_numpy(), rtol=1e-12, atol=1e-12, err_msg=col)
    # sector shares are assumed (the plan gives none): every GDP-derived column rests on an assumption
    assert {"gdp_real", "gdp_nominal", "gdp_growth", "secondary_pull", "gdp_per_capita"} <= result.assumed_columns
    assert "year" not in result.assumed_columns


def test_with_changes_population_growth_flows_through(plan_targets):
    # urban_income.base is sourced but its growth is assumed -> urban_income is assumed.
    result = project(plan_targets)
    assert result.is_assumed("urban_income")
    changed = plan_targets.with_changes(**{"population.growth_pct": 0.0})
    flat = project(changed)
    assert_allclose(flat.table["population"], 129_406.0)
    assert_allclose(flat.table["population_avg"][1:], 129_406.0)
    assert flat.table["population_avg"][0] == result.table["population_avg"][0]  # the base year is base data
    assert_allclose(flat.table["gdp_real"], result.table["gdp_real"], rtol=0)


# --------------------------------------------------------------------------- projectability
def test_revenue_growth_at_or_below_minus_100_pct_is_refused():
    # nominal growth of the toy: 5.06 % in 2021, 8 % in 2022. Buoyancy -13: revenue growth -65.8 % in 2021,
    # -104 % in 2022 (revenue would turn negative): refused, naming 2022.
    bad = toy_scenario(**{**TOY_INPUTS, "fiscal_revenue": (10.0, -13.0)})
    with pytest.raises(InputError) as info:
        check_projection(bad)
    assert info.value.field == "fiscal_revenue.buoyancy" and "in 2022" in info.value.problem
    with pytest.raises(InputError, match="at or below -100%"):
        project(bad)
    # -12 gives -96 % in 2022: allowed
    check_projection(toy_scenario(**{**TOY_INPUTS, "fiscal_revenue": (10.0, -12.0)}))


def test_a_path_that_overflows_is_refused():
    # 1000 % a year (the schema's ceiling) for 200 years multiplies by 11 ** 200 = 1.9e208: from a level of 1e200
    # the path leaves the floats (max 1.8e308), and the input that compounds it is named
    inputs = dict(end_year=2220, gdp_base=1.0, shares=(0.0, 1.0, 0.0), growth=(0.0, 5.0, 0.0), deflator=0.0,
                  population=(1000.0, 0.0), urban_income=(1.0, 0.0), fiscal_revenue=(1.0, 1.0))
    check_projection(toy_scenario(**inputs))
    for changes, field in [
        (dict(gdp_base=1e200, growth=(0.0, 1000.0, 0.0)), "real_growth_pct"),
        (dict(urban_income=(1e200, 1000.0)), "urban_income.growth_pct"),
        (dict(population=(1e200, 1000.0)), "population.growth_pct"),
    ]:
        with pytest.raises(InputError) as info:
            project(toy_scenario(**{**inputs, **changes}))
        assert info.value.field == field and "not a finite number" in info.value.problem


# --------------------------------------------------------------------------- the observed base year
def test_base_year_average_population_with_period_varying_growth_by_hand():
    # Population 100,000 at the end of 2020; it fell 2 % during 2020 (base data); the scenario then has
    # -3 % in 2021 and +2 % a year 2022-2023. Year-start 2020 = 100,000 / 0.98 = 102,040.8163...
    # 2020 average (102,040.8163 + 100,000) / 2 = 101,020.40816...  (neither -3 % nor +2 % enters it)
    # 2021: year-end 97,000, average (100,000 + 97,000) / 2 = 98,500
    # 2022: 97,000 * 1.02 = 98,940, average (97,000 + 98,940) / 2 = 97,970
    # 2023: 98,940 * 1.02 = 100,918.8, average (98,940 + 100,918.8) / 2 = 99,929.4
    s = toy_scenario(end_year=2023, gdp_base=50.0, shares=(0.1, 0.5, 0.4), growth=(5.0, 5.0, 5.0), deflator=0.0,
                     population=(100_000.0, {"2021-2021": -3.0, "2022-2023": 2.0}, -2.0),
                     urban_income=(1.0, 0.0), fiscal_revenue=(1.0, 1.0))
    t = project(s).table
    assert_allclose(t["population"], [100_000, 97_000, 98_940, 100_918.8], rtol=1e-14)
    assert_allclose(t["population_avg"], [(100_000 / 0.98 + 100_000) / 2, 98_500, 97_970, 99_929.4], rtol=1e-14)
    # per-capita GDP of 2020: 50 亿元 / 101,020.408 persons = 49,494.95 元 (prices of 2020: real = nominal)
    assert t.loc[0, "gdp_per_capita"] == pytest.approx(50e8 / ((100_000 / 0.98 + 100_000) / 2), rel=1e-14)
    assert t.loc[0, "gdp_per_capita"] == pytest.approx(49_494.949, abs=1e-3)
    assert_allclose(t["gdp_per_capita_real"], t["gdp_per_capita"], rtol=1e-15)  # deflator 0
    # the slow reference agrees on the same scenario
    assert_allclose(reference_project(s)["population_avg"], t["population_avg"], rtol=1e-14)


def test_without_a_base_year_change_the_year_end_count_is_the_base_years_average():
    s = toy_scenario(end_year=2022, gdp_base=50.0, shares=(0.1, 0.5, 0.4), growth=(5.0, 5.0, 5.0), deflator=0.0,
                     population=(100_000.0, -4.0), urban_income=(1.0, 0.0), fiscal_revenue=(1.0, 1.0))
    assert project(s).table.loc[0, "population_avg"] == 100_000.0


def _base_row(result) -> pd.Series:
    """The base-year row without the growth columns (NaN by definition in the base year)."""
    return result.table.iloc[0].dropna()


def test_every_shipped_scenario_has_the_same_base_year_row(all_shipped):
    rows = [_base_row(project(s)) for s in all_shipped]
    for row in rows[1:]:
        pd.testing.assert_series_equal(row, rows[0], check_names=False)
    # 82.91 亿元 over the average of 129,406 / 0.9775 (year-start) and 129,406 (year-end) persons
    avg = (129_406 / 0.9775 + 129_406) / 2
    assert rows[0]["population_avg"] == pytest.approx(avg, rel=1e-14)
    assert rows[0]["gdp_per_capita"] == pytest.approx(82.91e8 / avg, rel=1e-14)
    assert round(rows[0]["gdp_per_capita"]) == 63_341


@given(growth=st.floats(-5, 10), pop=st.floats(-5, 5), deflator=st.floats(-2, 8), buoyancy=st.floats(0, 2),
       income=st.floats(-2, 12))
def test_any_user_scenario_with_the_same_base_data_has_the_same_base_year_row(plan_targets, growth, pop, deflator,
                                                                               buoyancy, income):
    changed = plan_targets.with_changes(**{
        "real_growth_pct.secondary": growth, "population.growth_pct": pop, "deflator_pct": deflator,
        "fiscal_revenue.buoyancy": buoyancy, "urban_income.growth_pct": income})
    pd.testing.assert_series_equal(_base_row(project(changed)), _base_row(project(plan_targets)), check_names=False)


def test_base_year_row_is_the_base_data():
    base = project(TOY).table.iloc[0]
    assert base["gdp_real"] == base["gdp_nominal"] == 100.0
    assert base["population"] == 1000.0 and base["urban_income"] == 40_000.0 and base["fiscal_revenue"] == 10.0


# --------------------------------------------------------------------------- sectors' own deflators
def test_sector_deflators_by_hand():
    # Toy with the secondary sector's prices rising 10 % in 2021 and 0 % in 2022; the others keep the GDP
    # deflator (2 %, 3 %). Nominal 2021: primary 11*1.02 = 11.22, secondary 50*1.10 = 55, tertiary 42*1.02 = 42.84;
    # nominal GDP 109.06; implicit deflator 109.06/103. 2022: 11*1.0506 = 11.5566, 55*1.10 = 60.5,
    # 42*1.0506 = 44.1252; nominal GDP 116.1818.
    s = toy_scenario(**TOY_INPUTS, sector_deflator={"secondary": {"2021-2021": 10.0, "2022-2022": 0.0}})
    t = project(s).table
    assert_allclose(t["gdp_real"], [100, 103, 108], rtol=1e-14)  # real values do not move
    assert_allclose(t["secondary_nominal"], [50, 55, 60.5], rtol=1e-14)
    assert_allclose(t["primary_nominal"], [10, 11.22, 11.5566], rtol=1e-14)
    assert_allclose(t["gdp_nominal"], [100, 109.06, 116.1818], rtol=1e-14)
    assert_allclose(t["deflator_index"], [1, 109.06 / 103, 116.1818 / 108], rtol=1e-14)
    # nominal shares now differ from real shares: relative prices moved
    assert_allclose(t["secondary_share"], [0.5, 55 / 109.06, 60.5 / 116.1818], rtol=1e-14)
    assert t.loc[1, "secondary_share"] > t.loc[1, "secondary"] / t.loc[1, "gdp_real"]
    assert_allclose(t["nominal_growth"][1:], [9.06, (116.1818 / 109.06 - 1) * 100], rtol=1e-12)
    assert_allclose(reference_project(s)["gdp_nominal"], t["gdp_nominal"], rtol=1e-14)
    # the revenue follows nominal GDP growth, which now includes the secondary sector's prices
    assert t.loc[1, "fiscal_revenue"] == pytest.approx(10 * (1 + 1.5 * 0.0906), rel=1e-14)
    # a sector's own deflator is an input the nominal columns rest on
    assumed = project(toy_scenario(**TOY_INPUTS, sector_deflator={"secondary": 4.0},
                                   assumed=("sector_deflator_pct",))).assumed_columns
    assert {"secondary_nominal", "gdp_nominal", "deflator_index", "primary_share"} <= assumed
    assert not {"primary_nominal", "gdp_real"} & assumed


def test_sector_deflators_equal_to_the_gdp_deflator_give_the_same_numbers():
    same = toy_scenario(**TOY_INPUTS, sector_deflator={s: (2.0, 3.0) for s in ("primary", "secondary", "tertiary")})
    a, b = project(TOY).table, project(same).table
    for col in TABLE_COLUMNS[1:]:
        assert_allclose(b[col].to_numpy(), a[col].to_numpy(), rtol=1e-14, atol=1e-12, err_msg=col)


def test_without_sector_deflators_the_numbers_are_exactly_todays(plan_targets):
    # the option absent: nominal = real x the one GDP index, bit for bit, as before the option existed
    args = scenario_inputs(plan_targets)
    assert args["sector_deflator_pct"] is None
    out = project_arrays(**args)
    assert_array_equal(out["gdp_nominal"], out["gdp_real"] * out["deflator_index"])
    for s in ("primary", "secondary", "tertiary"):
        assert_array_equal(out[f"{s}_nominal"], out[s] * out["deflator_index"])
