"""economics.solver: targets read from text, and the solved growth against closed-form growth arithmetic.

Every expected rate below is the closed form of compound growth, computed in
the test: doubling in n years needs 2**(1/n) - 1 a year; with a constant
deflator d, nominal growth (1 + g)(1 + d) - 1; one sector s alone reaching a
real GDP multiple m with the others compounding at g_j needs
((m - sum_j w_j (1 + g_j)**n) / w_s)**(1/n) - 1; a lever's own rate over years
whose rates differ is their geometric mean. The scenarios are invented (constant
rates, and one whose rates change from period to period), not the shipped ones.
"""
from __future__ import annotations

import math


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiqu_analysis.economics import solver
from xiqu_analysis.economics.growth import year_reached
from xiqu_analysis.economics.projection import project
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.scenario import scenario_from_dict


def scenario(shares=(0.02, 0.58, 0.40), growth=(3.0, 7.0, 8.0), deflator=2.0, pop=-1.0, income=7.0,
             base=2020, end=2035, gdp=82.91, buoyancy=1.0):
    """An invented scenario with constant rates (no sources: every input an assumption)."""
    return scenario_from_dict({
        "name": "invented", "title": "Invented", "base_year": base, "end_year": end, "gdp_base": gdp,
        "sector_shares": dict(zip(("primary", "secondary", "tertiary"), shares)),
        "real_growth_pct": dict(zip(("primary", "secondary", "tertiary"), growth)),
        "deflator_pct": deflator, "population": {"base": 129406.0, "growth_pct": pop},
        "urban_income": {"base": 41794.0, "growth_pct": income},
        "fiscal_revenue": {"base": 1.85, "buoyancy": buoyancy},
    })


def by_lever(rows):
    return {r["lever"]: r for r in rows}


# --------------------------------------------------------------------------- reading targets
@pytest.mark.parametrize("text, expected", [
    ("gdp_real x2 from 2020 by 2035", dict(column="gdp_real", year=2035, from_year=2020, multiple=2.0, kind="multiple")),
    ("gdp_real 5% from 2025 by 2030", dict(column="gdp_real", year=2030, from_year=2025, growth_pct=5.0, kind="growth")),
    ("gdp_nominal 150 by 2030", dict(column="gdp_nominal", year=2030, level=150.0, kind="level")),
    ("gdp_nominal 1.5e2 亿元 by 2030", dict(column="gdp_nominal", year=2030, level=150.0, kind="level")),
    ("urban_income 6 万元 by 2030", dict(column="urban_income", year=2030, level=60000.0, kind="level")),
    ("population 12万人 by 2030", dict(column="population", year=2030, level=120000.0, kind="level")),
    ("  fiscal_revenue   3   by 2030 ", dict(column="fiscal_revenue", year=2030, level=3.0, kind="level")),
])
def test_parse_target(text, expected):
    t = solver.parse_target(text)
    for key, value in expected.items():
        assert getattr(t, key) == value, key
    assert t.text == text.strip()


def test_growth_target_ratio_is_the_compound_growth():
    t = solver.parse_target("gdp_real 5% from 2025 by 2030")
    assert t.ratio == pytest.approx(1.05 ** 5, rel=1e-15)


@pytest.mark.parametrize("text, problem", [
    ("double gdp by 2035", "is not a target"),
    ("gdp_growth x2 from 2020 by 2035", "is not a projected level"),
    ("gdp_real 150 by 2030", "constant prices of each scenario's base year"),
    ("gdp_real x2 by 2035", "needs 'from YEAR'"),
    ("gdp_nominal 150 from 2020 by 2030", "has no 'from' year"),
    ("gdp_real x2 from 2035 by 2035", "must be after the 'from' year"),
    ("gdp_real x0 from 2020 by 2035", "a multiple must be above 0"),
    ("gdp_nominal 0 by 2030", "a level must be above 0"),
    ("gdp_nominal 150 万人 by 2030", "does not fit gdp_nominal"),
    ("gdp_real -100% from 2020 by 2030", "above -100%"),
])
def test_bad_targets_are_one_line_naming_the_field(text, problem):
    with pytest.raises(InputError) as exc:
        solver.parse_target(text, "command line", "solve")
    assert exc.value.field == "solve" and problem in exc.value.problem and "\n" not in str(exc.value)


def test_levers_follow_the_columns_inputs():
    assert solver.levers_for("gdp_real") == ("all_sectors", "primary", "secondary", "tertiary")
    assert solver.levers_for("secondary") == ("all_sectors", "secondary")
    assert solver.levers_for("urban_income") == ("urban_income.growth_pct",)
    assert solver.levers_for("population") == ("population.growth_pct",)
    assert solver.levers_for("gdp_per_capita") == ("all_sectors", "primary", "secondary", "tertiary",
                                                   "population.growth_pct")


# --------------------------------------------------------------------------- closed forms
def test_doubling_by_2035_needs_4_729_percent_on_every_sector():
    rows = by_lever(solver.solve(scenario(), solver.parse_target("gdp_real x2 from 2020 by 2035")))
    assert rows["all_sectors"]["required_pct"] == pytest.approx(100 * (2 ** (1 / 15) - 1), abs=1e-9)
    assert rows["all_sectors"]["required_pct"] == pytest.approx(4.7294, abs=1e-4)
    assert rows["all_sectors"]["first_year"] == 2021 and rows["all_sectors"]["last_year"] == 2035


@settings(max_examples=40, deadline=None)
@given(st.floats(0.05, 0.9), st.floats(0.05, 0.9), st.lists(st.floats(-3, 12), min_size=3, max_size=3),
       st.floats(1.05, 4.0), st.integers(2021, 2035), st.sampled_from(["primary", "secondary", "tertiary"]))
def test_solved_rates_equal_the_closed_forms(a, b, growth, multiple, year, sector):
    shares = np.array([a, b, 1.0])
    shares = shares / shares.sum()
    sc = scenario(shares=tuple(shares), growth=tuple(growth))
    n = year - 2020
    rows = by_lever(solver.solve(sc, solver.SolveTarget("gdp_real", year, from_year=2020, multiple=multiple,
                                                        text="t")))
    # every sector alike: the real GDP multiple alone decides
    assert rows["all_sectors"]["required_pct"] == pytest.approx(100 * (multiple ** (1 / n) - 1), abs=1e-8)
    # one sector alone, the others compounding at their own rates
    s = ("primary", "secondary", "tertiary").index(sector)
    others = sum(shares[j] * (1 + growth[j] / 100) ** n for j in range(3) if j != s)
    rest = (multiple - others) / shares[s]
    closed = 100 * (rest ** (1 / n) - 1) if rest > 0 else math.nan
    row = rows[sector]
    if rest > 0 and solver.RATE_BOUNDS_PCT[0] < closed < solver.RATE_BOUNDS_PCT[1]:
        assert row["status"] == "solved"
        assert row["required_pct"] == pytest.approx(closed, abs=1e-7)
    else:
        assert row["status"] == "unreachable" and math.isnan(row["required_pct"])


@settings(max_examples=30, deadline=None)
@given(st.floats(-1, 6), st.floats(50, 400), st.integers(2022, 2035), st.floats(-2, 10))
def test_nominal_level_with_a_constant_deflator(deflator, level, year, income_level_growth):
    sc = scenario(deflator=deflator)
    n = year - 2020
    rows = by_lever(solver.solve(sc, solver.SolveTarget("gdp_nominal", year, level=level, text="t")))
    closed = 100 * ((level / 82.91) ** (1 / n) / (1 + deflator / 100) - 1)
    assert rows["all_sectors"]["required_pct"] == pytest.approx(closed, abs=1e-8)
    income = 41794.0 * (1 + income_level_growth / 100) ** n
    rows = by_lever(solver.solve(sc, solver.SolveTarget("urban_income", year, level=income, text="t")))
    assert rows["urban_income.growth_pct"]["required_pct"] == pytest.approx(income_level_growth, abs=1e-8)


def test_average_growth_from_a_later_year_is_the_growth_itself():
    """From 2025 on the 2025 level is the scenario's own: every sector at g gives real GDP growth g exactly."""
    rows = by_lever(solver.solve(scenario(), solver.parse_target("gdp_real 5.5% from 2025 by 2030")))
    assert rows["all_sectors"]["required_pct"] == pytest.approx(5.5, abs=1e-9)
    assert (rows["all_sectors"]["first_year"], rows["all_sectors"]["last_year"]) == (2026, 2030)


def test_the_solved_rate_reproduces_the_target_through_project():
    """The slow way round: a scenario built with the solved rate, projected, lands on the target."""
    sc = scenario(growth=(3.0, 7.0, 8.0), end=2030)
    target = solver.parse_target("gdp_nominal 160 by 2030")
    rows = by_lever(solver.solve(sc, target))
    for lever in ("all_sectors", "secondary", "tertiary"):
        g = rows[lever]["required_pct"]
        growth = [g, g, g] if lever == "all_sectors" else [
            g if s == lever else v for s, v in zip(("primary", "secondary", "tertiary"), (3.0, 7.0, 8.0))]
        solved = scenario(growth=tuple(growth), end=2030)
        assert project(solved).at(2030, "gdp_nominal") == pytest.approx(160.0, rel=solver.CHECK_RTOL)


def test_year_reached_and_the_scenarios_own_rate():
    sc = scenario(growth=(5.0, 5.0, 5.0))  # real GDP grows 5 % a year exactly
    rows = by_lever(solver.solve(sc, solver.parse_target("gdp_real x2 from 2020 by 2035")))
    # 1.05**14 = 1.98 < 2 <= 1.05**15 = 2.08: doubled in 2035
    assert rows["all_sectors"]["year_reached"] == 2035
    assert rows["all_sectors"]["scenario_pct"] == pytest.approx(5.0, abs=1e-12)
    assert rows["all_sectors"]["gap_pp"] == pytest.approx(5.0 - 100 * (2 ** (1 / 15) - 1), abs=1e-9)
    path = project(sc).column("gdp_real")
    assert rows["secondary"]["year_reached"] == year_reached(path.index, path.to_numpy(), 2 * 82.91)
    slow = by_lever(solver.solve(scenario(growth=(3.0, 3.0, 3.0)), solver.parse_target("gdp_real x2 from 2020 by 2035")))
    assert slow["all_sectors"]["year_reached"] is None  # 1.03**15 = 1.56


def test_a_sector_without_a_share_cannot_reach_anything():
    rows = by_lever(solver.solve(scenario(shares=(0.0, 0.6, 0.4)), solver.parse_target("gdp_real x2 from 2020 by 2035")))
    assert rows["primary"]["status"] == "unreachable" and math.isnan(rows["primary"]["required_pct"])
    assert rows["secondary"]["status"] == "solved"


def test_a_from_year_before_the_base_needs_its_level():
    sc = scenario(base=2025, end=2035, gdp=128.0)
    target = solver.parse_target("gdp_real x2 from 2020 by 2035")
    with pytest.raises(InputError, match="starts in 2025, after 2020"):
        solver.solve(sc, target)
    # with the 2020 level known (in the scenario's 2025 prices): 2 x 100 from 128 over 2026-2035
    rows = by_lever(solver.solve(sc, target, history={2020: 100.0}))
    assert rows["all_sectors"]["required_pct"] == pytest.approx(100 * ((200.0 / 128.0) ** 0.1 - 1), abs=1e-9)
    table = solver.solve_table([sc], [target])
    assert list(table["status"]) == ["outside"]


def test_target_year_outside_the_projection():
    with pytest.raises(InputError, match="outside the projected years"):
        solver.solve(scenario(end=2030), solver.parse_target("gdp_nominal 150 by 2035"))


# --------------------------------------------------------------------------- rates that vary by period
def _geometric_mean_pct(rates_pct):
    """The constant yearly rate with the same compound growth as ``rates_pct``, per cent (written out here)."""
    product = 1.0
    for r in rates_pct:
        product *= 1.0 + r / 100.0
    return (product ** (1.0 / len(rates_pct)) - 1.0) * 100.0


def _varying():
    """An invented scenario whose sector, income and population rates change between periods."""
    return scenario_from_dict({
        "name": "varying", "title": "Varying", "base_year": 2020, "end_year": 2035, "gdp_base": 82.91,
        "sector_shares": {"primary": 0.02, "secondary": 0.58, "tertiary": 0.40},
        "real_growth_pct": {"primary": {"2021-2025": 3.5, "2026-2035": 1.0},
                            "secondary": {"2021-2023": 9.0, "2024-2025": 4.0, "2026-2035": 5.0},
                            "tertiary": {"2021-2025": 8.5, "2026-2030": 2.0, "2031-2035": 6.0}},
        "deflator_pct": 2.0, "population": {"base": 129406.0, "growth_pct": {"2021-2023": 0.0, "2024-2035": -0.5}},
        "urban_income": {"base": 41794.0, "growth_pct": {"2021-2025": 7.0, "2026-2035": 4.0}},
        "fiscal_revenue": {"base": 1.85, "buoyancy": 1.0},
    })


#: the yearly rates of :func:`_varying`, year by year (per cent)
_YEARLY = {
    "primary": {y: 3.5 if y <= 2025 else 1.0 for y in range(2021, 2036)},
    "secondary": {y: 9.0 if y <= 2023 else 4.0 if y <= 2025 else 5.0 for y in range(2021, 2036)},
    "tertiary": {y: 8.5 if y <= 2025 else 2.0 if y <= 2030 else 6.0 for y in range(2021, 2036)},
    "urban_income.growth_pct": {y: 7.0 if y <= 2025 else 4.0 for y in range(2021, 2036)},
    "population.growth_pct": {y: 0.0 if y <= 2023 else -0.5 for y in range(2021, 2036)},
}


SECTOR_LEVERS = ["primary", "secondary", "tertiary"]


@pytest.mark.parametrize("text, first, last, levers", [
    ("gdp_real x2 from 2020 by 2035", 2021, 2035, SECTOR_LEVERS),  # every period
    ("gdp_real 5% from 2023 by 2028", 2024, 2028, SECTOR_LEVERS),  # from a year inside the scenario
    ("gdp_per_capita x1.5 from 2020 by 2030", 2021, 2030, [*SECTOR_LEVERS, "population.growth_pct"]),
    ("urban_income 60000 元 by 2030", 2021, 2030, ["urban_income.growth_pct"]),
    ("urban_income 9 万元 by 2035", 2021, 2035, ["urban_income.growth_pct"]),
])
def test_a_levers_own_rate_is_the_geometric_mean_of_its_yearly_rates(text, first, last, levers):
    """Each lever's ``scenario_pct`` compounds to the same growth as its yearly rates over the target's years.

    The arithmetic mean of the same rates differs by about a hundredth of a point
    (secondary 2021-2035: 5.6667 against 5.6532 %; urban income 2021-2030: 5.5
    against 5.4893 %), far outside the tolerance.
    """
    rows = by_lever(solver.solve(_varying(), solver.parse_target(text)))
    assert set(levers) <= set(rows)
    for lever in levers:
        rates = [_YEARLY[lever][y] for y in range(first, last + 1)]
        row = rows[lever]
        assert (row["first_year"], row["last_year"]) == (first, last), lever
        assert row["scenario_pct"] == pytest.approx(_geometric_mean_pct(rates), abs=1e-9), lever
        if len(set(rates)) > 1:  # the check tells the means apart
            assert abs(_geometric_mean_pct(rates) - sum(rates) / len(rates)) > 1e-4, lever
        if row["status"] == "solved":  # the margin on the favourable side: faster population growth lowers per capita
            sign = -1.0 if lever == "population.growth_pct" else 1.0
            assert row["bound"] == ("ceiling" if sign < 0 else "floor"), lever
            assert row["gap_pp"] == pytest.approx(sign * (row["scenario_pct"] - row["required_pct"]), abs=1e-12)


# --------------------------------------------------------------------------- lower is better: a ceiling
def _ceiling(growth):
    """GDP of 100 亿元 in 2020, no inflation, every sector at ``growth``; the target: at most 90 亿元 in 2025."""
    sc = scenario(growth=(growth,) * 3, deflator=0.0, gdp=100.0, end=2025)
    target = solver.SolveTarget("gdp_nominal", 2025, level=90.0, text="gdp_nominal 90 by 2025", direction="at_most")
    return by_lever(solver.solve(sc, target))


def test_a_ceiling_needs_a_fall_and_a_faster_fall_is_on_course():
    """From 100 to at most 90 in 5 years needs an average fall of 1 - 0.9**(1/5) = 2.085 % a year, a ceiling of the
    growth every sector may have. A scenario falling 3 % a year is 0.915 points on the favourable side and
    reaches 90 in 2024 (100 x 0.97**4 = 88.5; 0.97**3 = 91.3 is not yet); one growing 2 % is 4.085 points short
    and never reaches it."""
    need = 100 * (0.9 ** (1 / 5) - 1)
    assert need == pytest.approx(-2.0852, abs=1e-4)
    falling = _ceiling(-3.0)["all_sectors"]
    assert (falling["status"], falling["direction"], falling["bound"]) == ("solved", "at_most", "ceiling")
    assert falling["required_pct"] == pytest.approx(need, abs=1e-9)
    assert falling["gap_pp"] == pytest.approx(need + 3.0, abs=1e-9) and falling["gap_pp"] > 0
    assert falling["year_reached"] == 2024
    growing = _ceiling(2.0)["all_sectors"]
    assert growing["gap_pp"] == pytest.approx(need - 2.0, abs=1e-9) and growing["year_reached"] is None
    # each sector alone is a ceiling too: raising it raises the level
    assert {r["bound"] for r in _ceiling(2.0).values()} == {"ceiling"}


def test_a_floor_target_by_hand_keeps_its_sign():
    """The same numbers as a floor (at least 110 in 2025 from 100): 1.1**(1/5) - 1 = 1.924 % a year; growing 2 %
    is 0.076 points on course."""
    sc = scenario(growth=(2.0,) * 3, deflator=0.0, gdp=100.0, end=2025)
    row = by_lever(solver.solve(sc, solver.parse_target("gdp_nominal 110 by 2025")))["all_sectors"]
    assert (row["direction"], row["bound"]) == ("at_least", "floor")
    assert row["gap_pp"] == pytest.approx(2.0 - 100 * (1.1 ** 0.2 - 1), abs=1e-9)


def test_the_direction_comes_from_the_registry_or_the_plans_words(region):
    import dataclasses

    assert solver.parse_target("gdp_nominal 90 by 2025", region=region).direction == "at_least"
    assert solver.parse_target("地区生产总值2025年不超过90亿元", region=region).direction == "at_most"
    target = solver.parse_target("地区生产总值2025年控制在90亿元以内", region=region)
    assert (target.column, target.level, target.direction) == ("gdp_nominal", 90.0, "at_most")
    frame = region.indicators.copy()
    frame.loc[frame["indicator"] == "gdp", "higher_is_better"] = "false"  # a registry where lower is better
    lower = dataclasses.replace(region, indicators=frame)
    assert solver.target_direction("gdp_nominal", lower) == "at_most"
    assert solver.parse_target("gdp_nominal 90 by 2025", region=lower).direction == "at_most"
    assert solver.target_direction("gdp_real", lower) == "at_least"  # real GDP is read from gdp_growth's row
