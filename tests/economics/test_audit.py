"""Source audit: hand-computed findings on the plan's figures, rounding tolerance,
price-basis rules, generality (no per-figure code). The ``xiqu audit`` command: tests/cli/test_audit.py."""
from __future__ import annotations

import ast
import math
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiqu_analysis.economics import audit, growth
from xiqu_analysis.economics import audit_findings, audit_parts
from xiqu_analysis.economics.audit import AUDIT_COLUMNS, FINDING_COLUMNS, REASONS, audit_frames, audit_region, findings
from xiqu_analysis.reports.sections.data_audit import explain, explained_table, findings_table
from xiqu_analysis.economics.growth import annualised_change_pct, average_growth_pct
from xiqu_analysis.inputs.figures import list_regions, load_figures
from xiqu_analysis.inputs.indicators import load_indicators
from xiqu_analysis.inputs.regions import load_region
from tests.helpers import ROOT

PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(PYTHON) if PYTHON.exists() else sys.executable


XIQU = load_region("xiqu")


@pytest.fixture(scope="module")
def xiqu_audit() -> pd.DataFrame:
    return audit_region(XIQU)


def _one(table: pd.DataFrame, check: str, figure_id: str, **match) -> pd.Series:
    rows = table[(table["check"] == check) & (table["figure_id"] == figure_id)]
    for key, value in match.items():
        rows = rows[rows["sources"].str.contains(value, regex=False)] if key == "source" else rows[rows[key] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# --------------------------------------------------------------------------
# the plan's figures, checked by hand
# --------------------------------------------------------------------------
def test_columns_and_verdict_vocabulary(xiqu_audit):
    assert list(xiqu_audit.columns) == AUDIT_COLUMNS
    assert set(xiqu_audit["verdict"]) <= set(audit.VERDICTS)


def test_revenue_change_of_33_pct_is_not_8_24_pct_a_year(xiqu_audit):
    # 1.33 ** (1/5) = exp(ln 1.33 / 5) = exp(0.285179 / 5) = exp(0.0570358) = 1.058694 -> 5.87 % a year
    row = _one(xiqu_audit, "growth_from_stated_change", "xiqu.general_budget_revenue_growth.2016-2020")
    assert row.stated == 8.24
    assert row.recomputed == pytest.approx(5.8694, abs=5e-4)
    assert row.difference == pytest.approx(2.37, abs=0.005)
    assert row.verdict == "inconsistent" and row.unit == "%"
    assert "xiqu.general_budget_revenue_growth.2016-2020.change" in row.sources


def test_urban_income_growth_is_7_65_not_8_9(xiqu_audit):
    # 41794 / 28905 = 1.445909; ln = 0.368741; / 5 = 0.0737482; exp = 1.076536 -> 7.65 % a year
    row = _one(xiqu_audit, "growth_from_levels", "xiqu.urban_disposable_income_growth.2016-2020")
    assert row.recomputed == pytest.approx(7.6536, abs=5e-4)
    assert row.stated == 8.9 and row.verdict == "inconsistent"
    assert "xiqu.urban_disposable_income.2015" in row.sources and "xiqu.urban_disposable_income.2020" in row.sources


def test_gdp_growth_and_revenue_growth_lack_a_2015_level(xiqu_audit):
    for fid in ("xiqu.gdp_growth.2016-2020", "xiqu.general_budget_revenue_growth.2016-2020",
                "xiqu.general_budget_revenue_growth.2016-2020.change"):
        row = _one(xiqu_audit, "growth_from_levels", fid)
        assert (row.verdict, row.reason, row.missing) == ("not_checkable", "missing_levels", "2015")
        assert "2015" in explain(row.to_dict(), XIQU) and "2015" in explain(row.to_dict(), XIQU, "zh")
        assert math.isnan(row.recomputed)


def test_per_capita_gdp_implies_126_000_people(xiqu_audit):
    rows = xiqu_audit[xiqu_audit["check"] == "per_capita"].set_index(
        xiqu_audit[xiqu_audit["check"] == "per_capita"]["sources"].str.extract(r"(xiqu\.\w+population\.2020(?:\.census)?)(?:;|$)")[0])
    # 82.91e8 yuan / 65801 yuan = 126,001 persons
    implied = rows["implied_population"].unique()
    assert len(implied) == 1 and implied[0] == pytest.approx(126_001, abs=1)
    assert 125_000 < implied[0] < 129_406
    assert rows.loc["xiqu.registered_population.2020", "recomputed"] == pytest.approx(66_328, abs=1)  # 82.91e8 / 125000
    assert rows.loc["xiqu.resident_population.2020.census", "recomputed"] == pytest.approx(64_069.6, abs=0.5)
    assert rows.loc["xiqu.resident_population.2020", "recomputed"] == pytest.approx(60_518.2, abs=0.5)
    # no resident population of 2020 gives 65801 within rounding; the registered (hukou) population is not
    # a per-capita denominator (the data dictionary says so): not comparable, not a finding
    assert rows.loc["xiqu.resident_population.2020", "verdict"] == "inconsistent"
    assert rows.loc["xiqu.resident_population.2020.census", "verdict"] == "inconsistent"
    hukou = rows.loc["xiqu.registered_population.2020"]
    assert (hukou["verdict"], hukou["reason"]) == ("not_comparable", "non_standard_denominator")
    assert pd.isna(hukou["finding"])


def test_plan_resident_population_against_census(xiqu_audit):
    row = _one(xiqu_audit, "same_figure_other_source", "xiqu.resident_population.2020")
    assert (row.stated, row.recomputed, row.difference, row.unit) == (137_000, 129_406, 7_594, "人")
    assert row.verdict == "inconsistent"


def test_benchmark_rows_are_context(xiqu_audit):
    row = _one(xiqu_audit, "benchmark", "xiqu.gdp.2020")
    assert row.verdict == "context" and row.recomputed == 1040.82 and row.reason == "ratio"
    assert "8.0% of Panzhihua city" in explain(row.to_dict(), XIQU)  # 82.91 / 1040.82 = 0.0797
    assert "攀枝花市" in explain(row.to_dict(), XIQU, "zh") and "8.0%" in explain(row.to_dict(), XIQU, "zh")
    income = _one(xiqu_audit, "benchmark", "xiqu.urban_disposable_income.2020")
    assert income.recomputed == 44209 and "94.5%" in explain(income.to_dict(), XIQU)  # 41794 / 44209
    assert set(xiqu_audit.loc[xiqu_audit["check"] == "benchmark", "verdict"]) == {"context"}


def test_benchmark_rows_come_from_the_regions_benchmark():
    # region.yaml names the benchmark (xiqu -> panzhihua); a record loaded without it has no benchmark rows
    alone = audit_region(load_region("xiqu", benchmark=False))
    assert len(alone) and "benchmark" not in set(alone["check"])
    with_bench = audit_region(load_region("xiqu"))
    pd.testing.assert_frame_equal(with_bench[with_bench["check"] != "benchmark"].reset_index(drop=True), alone)
    assert with_bench.loc[with_bench["check"] == "benchmark", "sources"].str.contains("panzhihua.").all()


def test_real_growth_against_current_price_levels_is_not_comparable():
    table = audit_region(load_region("panzhihua"))
    row = _one(table, "growth_from_levels", "panzhihua.gdp_growth.2020")
    # nominal 1040.82 / 1010.13 - 1 = 3.04 %, stated real 3.9 %
    assert row.verdict == "not_comparable" and row.recomputed == pytest.approx(3.038, abs=0.001)
    straddle = _one(table, "growth_from_levels", "panzhihua.gdp_growth.2019")
    assert straddle.series_break  # the endpoints' notes differ: a series break
    assert "revision" in explain(straddle.to_dict(), load_region("panzhihua"))


# --------------------------------------------------------------------------
# synthetic frames: rounding tolerance and rules
# --------------------------------------------------------------------------
IND = pd.DataFrame(
    [
        ("lvl", "a level", "级", "yuan", "", "", False, "", ""),
        ("lvl_growth", "its growth", "增速", "percent", "lvl", "", False, "", ""),
        ("agg", "an aggregate", "总量", "yuan", "", "", False, "", ""),
        ("agg_pc", "per head", "人均", "yuan", "", "agg", False, "", ""),
        ("pop", "population", "人口", "persons", "", "", True, "", ""),
    ],
    columns=["indicator", "label_en", "label_zh", "unit_family", "level_of", "per_capita_of",
             "population_like", "projection_column", "mapping_note"],
)


def fig(fid, value, unit, *, year=None, period="", kind="actual", basis="current", decimals=0, trust="primary"):
    indicator = fid.split(".")[1]
    return dict(id=fid, indicator=indicator, region="r", year=year, period=period, value=value, unit=unit,
                price_basis=basis, kind=kind, source="test", quote="-", trust=trust, note="", decimals=decimals)


def frame(*rows) -> pd.DataFrame:
    df = pd.DataFrame(list(rows))
    df["year"] = df["year"].astype("Int64")
    return df


def _growth_row(stated: float, decimals: int, start=28905.0, end=41794.0, basis="current", level_basis="current"):
    t = audit_frames(frame(
        fig("r.lvl.2015", start, "元", year=2015, basis=level_basis),
        fig("r.lvl.2020", end, "元", year=2020, basis=level_basis),
        fig("r.lvl_growth.2016-2020", stated, "%", period="2016-2020", kind="stated_average",
            basis=basis, decimals=decimals),
    ), IND)
    return t.iloc[0]


@pytest.mark.parametrize("stated, decimals, verdict", [
    (7.65, 2, "consistent"),    # [7.645, 7.655] holds 7.6536
    (7.7, 1, "consistent"),     # [7.65, 7.75] holds 7.6536
    (7.6, 1, "inconsistent"),   # [7.55, 7.65] stops just short of 7.6533
    (7.66, 2, "inconsistent"),  # [7.655, 7.665]
    (8, 0, "consistent"),       # [7.5, 8.5]
    (8.9, 1, "inconsistent"),
])
def test_tolerance_is_the_rounding_of_the_stated_digits(stated, decimals, verdict):
    assert _growth_row(stated, decimals).verdict == verdict


def test_rounding_of_the_levels_widens_the_tolerance():
    # 100 -> 110 over one year is 10 %; levels rounded to whole units allow 109.5/100.5 - 1 = 8.96 % .. 110.5/99.5 - 1 = 11.06 %
    t = audit_frames(frame(
        fig("r.lvl.2019", 100, "元", year=2019), fig("r.lvl.2020", 110, "元", year=2020),
        fig("r.lvl_growth.2020", 11.0, "%", year=2020, decimals=1),
    ), IND)
    assert t.iloc[0].verdict == "consistent" and t.iloc[0].recomputed == pytest.approx(10.0)
    t2 = audit_frames(frame(
        fig("r.lvl.2019", 100, "元", year=2019), fig("r.lvl.2020", 110, "元", year=2020),
        fig("r.lvl_growth.2020", 11.2, "%", year=2020, decimals=1),
    ), IND)
    assert t2.iloc[0].verdict == "inconsistent"


def test_real_rate_against_current_levels_is_not_comparable_and_says_why():
    row = _growth_row(7.65, 2, basis="comparable")
    assert (row.verdict, row.reason) == ("not_comparable", "real_rate_current_levels")
    assert row.recomputed == pytest.approx(7.6536, abs=1e-3)


def test_units_of_levels_are_converted():
    # 1.0 亿元 -> 12100 万元 over 2 years: sqrt(1.21) - 1 = 10 %
    t = audit_frames(frame(
        fig("r.lvl.2018", 1.0, "亿元", year=2018, decimals=1), fig("r.lvl.2020", 12100, "万元", year=2020),
        fig("r.lvl_growth.2019-2020", 10.0, "%", period="2019-2020", kind="stated_average", decimals=1),
    ), IND)
    assert t.iloc[0].recomputed == pytest.approx(10.0) and t.iloc[0].verdict == "consistent"


def test_per_capita_without_population_is_not_checkable():
    t = audit_frames(frame(fig("r.agg.2020", 82.91, "亿元", year=2020, decimals=2),
                           fig("r.agg_pc.2020", 65801, "元", year=2020)), IND)
    assert t.iloc[0].check == "per_capita" and t.iloc[0].verdict == "not_checkable"


def test_targets_are_not_audited_as_facts():
    t = audit_frames(frame(
        fig("r.lvl.2020", 100, "元", year=2020),
        fig("r.lvl_growth.2021-2025", 7.5, "%", period="2021-2025", kind="target", basis="comparable", decimals=1),
    ), IND)
    assert t.empty


def _code_constants(path: Path) -> list:
    """Constants of a module's code, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in docstrings]


@pytest.mark.parametrize("module", [audit, audit_parts, audit_findings, growth],
                         ids=["audit", "audit_parts", "audit_findings", "growth"])
def test_audit_code_has_no_case_for_a_particular_figure(module):
    # the audit's checks and the growth formulas it uses (economics/growth.py)
    constants = _code_constants(Path(module.__file__))
    # (the project measures total_investment, area, capacity are columns of projects.csv, not indicators)
    names = (set(load_indicators()["indicator"]) | set(list_regions())) - set(audit_parts.MEASURES)
    strings = [c for c in constants if isinstance(c, str)]
    named = {n for n in names for s in strings if s == n or s.startswith(n + ".")}
    assert not named, f"{module.__name__} names particular indicators or regions: {named}"
    plan_values = set(load_figures("xiqu")["value"])
    numbers = {c for c in constants if isinstance(c, (int, float)) and not isinstance(c, bool)}
    assert not numbers & (plan_values - {0, 1, 2, 100}), numbers & plan_values


# --------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------
@settings(max_examples=30)
@given(
    start=st.integers(1_000, 1_000_000),
    growth=st.floats(-10, 25, allow_nan=False),
    years=st.integers(1, 10),
    decimals=st.integers(0, 3),
)
def test_rounded_average_built_from_endpoints_is_consistent(start, growth, years, decimals):
    end = round(start * (1 + growth / 100) ** years)
    exact = average_growth_pct(start, end, years)
    first = 2020 - years + 1
    period = f"{first}-2020"
    rows = [fig(f"r.lvl.{first - 1}", start, "元", year=first - 1), fig("r.lvl.2020", end, "元", year=2020)]
    good = fig(f"r.lvl_growth.{period}", round(exact, decimals), "%", period=period, kind="stated_average",
               decimals=decimals)
    bad = dict(good, value=round(exact + 2.0, decimals))  # off by >= 1.5 points: more than any rounding here
    assert audit_frames(frame(*rows, good), IND).iloc[0].verdict == "consistent"
    assert audit_frames(frame(*rows, bad), IND).iloc[0].verdict == "inconsistent"


@settings(max_examples=30)
@given(change=st.floats(-50, 200, allow_nan=False), years=st.integers(1, 10),
       dc=st.integers(0, 2), da=st.integers(0, 3))
def test_average_recomputed_from_a_rounded_change_is_consistent(change, years, dc, da):
    c = round(change, dc)
    avg = annualised_change_pct(change, years)
    period = f"{2020 - years + 1}-2020"
    t = audit_frames(frame(
        fig(f"r.lvl_growth.{period}.change", c, "%", period=period, kind="stated_change", decimals=dc),
        fig(f"r.lvl_growth.{period}", round(avg, da), "%", period=period, kind="stated_average", decimals=da),
    ), IND)
    row = t[t["check"] == "growth_from_stated_change"].iloc[0]
    assert row.verdict == "consistent"
    assert (1 + row.recomputed / 100) ** years == pytest.approx(1 + c / 100, rel=1e-9)


@settings(max_examples=30)
@given(pop=st.integers(10_000, 2_000_000), per_head=st.integers(5_000, 200_000))
def test_per_capita_built_from_aggregate_and_population_is_consistent(pop, per_head):
    aggregate_yi = round(pop * per_head / 1e8, 2)
    stated = round(aggregate_yi * 1e8 / pop)
    t = audit_frames(frame(fig("r.agg.2020", aggregate_yi, "亿元", year=2020, decimals=2),
                           fig("r.pop.2020", pop, "人", year=2020),
                           fig("r.agg_pc.2020", stated, "元", year=2020)), IND)
    row = t.iloc[0]
    assert row.verdict == "consistent"
    assert row.implied_population == pytest.approx(aggregate_yi * 1e8 / stated)


def test_non_positive_levels_are_not_checkable_rather_than_a_crash():
    t = audit_frames(frame(
        fig("r.lvl.2019", 0, "元", year=2019), fig("r.lvl.2020", 110, "元", year=2020),
        fig("r.lvl_growth.2020", 11.0, "%", year=2020, decimals=1),
        fig("r.agg.2020", 82.91, "亿元", year=2020, decimals=2), fig("r.pop.2020", 0, "人", year=2020),
        fig("r.agg_pc.2020", 65801, "元", year=2020),
    ), IND)
    assert t["verdict"].tolist() == ["not_checkable", "not_checkable"]
    assert t["check"].tolist() == ["growth_from_levels", "per_capita"]


# --------------------------------------------------------------------------
# findings: one per inconsistency
# --------------------------------------------------------------------------
def test_six_inconsistent_checks_of_the_plans_figures_are_three_findings(xiqu_audit):
    figures = xiqu_audit[xiqu_audit["kind"] != "project"]
    assert int((figures["verdict"] == "inconsistent").sum()) == 5  # income, revenue, two per-capita, population
    found = findings(xiqu_audit)
    assert list(found.columns) == FINDING_COLUMNS
    by_figure = {f.figure_ids: f for f in found.itertuples()}
    assert set(by_figure) == {
        "xiqu.urban_disposable_income_growth.2016-2020",          # 8.9 % against the levels' 7.65 %
        "xiqu.general_budget_revenue_growth.2016-2020",            # 8.24 % against the 33 % change's 5.87 %
        "xiqu.gdp_per_capita.2020; xiqu.resident_population.2020",  # 65,801 元 and 13.7万 against the census
    }  # the tropical-plants base is not one: its greenhouse may lie inside a zone (not_checkable)
    per_capita = by_figure["xiqu.gdp_per_capita.2020; xiqu.resident_population.2020"]
    ids = [int(i) for i in per_capita.check_ids.split("; ")]
    checks = xiqu_audit.set_index("check_id").loc[ids]
    assert per_capita.n_checks == 3 == len(ids)
    assert sorted(checks["check"]) == ["per_capita", "per_capita", "same_figure_other_source"]
    assert (checks["finding"] == per_capita.finding).all()
    # every inconsistent check belongs to exactly one finding, and nothing else does
    bad = xiqu_audit[xiqu_audit["verdict"] == "inconsistent"]
    assert bad["finding"].notna().all() and xiqu_audit.loc[xiqu_audit["verdict"] != "inconsistent", "finding"].isna().all()
    assert sum(found["n_checks"]) == len(bad)


def test_findings_merge_checks_of_one_figure_and_keep_unrelated_ones_apart():
    # the per-capita figure fails against two populations (one finding); an unrelated growth rate is its own
    t = audit_frames(frame(
        fig("r.agg.2020", 100.0, "亿元", year=2020, decimals=1), fig("r.pop.2020", 100_000, "人", year=2020),
        fig("r.pop.2020.census", 90_000, "人", year=2020, kind="census", trust="high"),
        fig("r.agg_pc.2020", 50_000, "元", year=2020),
        fig("r.lvl.2019", 100, "元", year=2019), fig("r.lvl.2020", 110, "元", year=2020),
        fig("r.lvl_growth.2020", 20.0, "%", year=2020, decimals=1),
    ), IND)
    found = findings(t)
    assert len(t[t["verdict"] == "inconsistent"]) == 4  # two per-capita, the population pair, the growth
    assert found["n_checks"].tolist() == [1, 3] or sorted(found["n_checks"]) == [1, 3]
    assert len(found) == 2


def test_no_inconsistency_no_finding():
    t = audit_frames(frame(fig("r.lvl.2019", 100, "元", year=2019), fig("r.lvl.2020", 110, "元", year=2020),
                           fig("r.lvl_growth.2020", 10.0, "%", year=2020, decimals=1)), IND)
    assert findings(t).empty and t["finding"].isna().all()


# --------------------------------------------------------------------------
# sum of parts
# --------------------------------------------------------------------------
IND_PARTS = pd.concat([IND, pd.DataFrame(
    [("tot", "a total", "合计", "yuan", "", "", False, "", ""),
     ("part_a", "part a", "分项a", "yuan", "", "", False, "", ""),
     ("part_b", "part b", "分项b", "yuan", "", "", False, "", ""),
     ("sh_a", "share a", "占比a", "percent", "", "", False, "", ""),
     ("sh_b", "share b", "占比b", "percent", "", "", False, "", "")],
    columns=IND.columns)], ignore_index=True)
IND_PARTS["part_of"] = ["", "", "", "", "", "", "tot", "tot", "100", "100"]


@pytest.mark.parametrize("a, b, total, verdict", [
    (10.2, 20.1, 30.3, "consistent"),    # exact
    (10.2, 20.1, 30.4, "consistent"),    # parts 30.2-30.4 against 30.35-30.45: rounding explains it
    (10.2, 20.1, 30.5, "inconsistent"),  # 30.45-30.55 against at most 30.4
])
def test_parts_against_their_total_within_rounding(a, b, total, verdict):
    t = audit_frames(frame(fig("r.tot.2020", total, "亿元", year=2020, decimals=1),
                           fig("r.part_a.2020", a, "亿元", year=2020, decimals=1),
                           fig("r.part_b.2020", b, "万元", year=2020, decimals=0) | {"value": b * 1e4}), IND_PARTS)
    row = t[t["check"] == "sum_of_parts"].iloc[0]
    assert row.verdict == verdict and row.figure_id == "r.tot.2020"
    assert row.recomputed == pytest.approx(a + b)


def test_shares_add_up_to_100_and_a_missing_part_is_not_checkable():
    t = audit_frames(frame(fig("r.sh_a.2020", 53.65, "%", year=2020, decimals=2),
                           fig("r.sh_b.2020", 46.35, "%", year=2020, decimals=2)), IND_PARTS)
    row = t[t["check"] == "sum_of_parts"].iloc[0]
    assert (row.verdict, row.stated, row.recomputed) == ("consistent", 100.0, pytest.approx(100.0))
    t = audit_frames(frame(fig("r.tot.2020", 30.3, "亿元", year=2020, decimals=1),
                           fig("r.part_a.2020", 10.2, "亿元", year=2020, decimals=1)), IND_PARTS)
    row = t[t["check"] == "sum_of_parts"].iloc[0]
    assert (row.verdict, row.reason, row.missing) == ("not_checkable", "missing_parts", "part_b")


def test_the_plans_project_parts_by_hand(xiqu_audit):
    parts = xiqu_audit[(xiqu_audit["check"] == "sum_of_parts") & (xiqu_audit["kind"] == "project")]
    rows = {(r.figure_id, r.indicator): r for r in parts.itertuples()}
    # subsidence programme: 18.97 + 3.94 + 16.96 = 39.87 亿元, 18 + 4 + 9 = 31 projects (plan 专栏13)
    money = rows[("zl13.subsidence_treatment", "total_investment")]
    assert (money.stated, money.recomputed, money.verdict) == (39.87, 39.87, "consistent")
    count = rows[("zl13.subsidence_treatment", "capacity")]
    assert (count.stated, count.recomputed, count.unit, count.verdict) == (31, 31, "个", "consistent")
    # irrigation: 1.8782 + 1.0084 + 0.1079 = 2.9945 万亩; farm phases 900 + 2600 + 1500 = 5000 亩
    assert rows[("zl13.meiziqing_irrigation", "capacity")].recomputed == pytest.approx(2.9945, abs=1e-12)
    assert rows[("zl11.wopusheng_smart_agriculture", "area")].verdict == "consistent"
    # the tropical-plants base: 300 + 300 + 100 + 100 + 50 + 50 + 100 = 1000 亩, plus the 5000 m2 greenhouse
    # (5000 / (10000/15) = 7.5 亩) listed among the parts, which may lie inside a zone: 1000 to 1007.5 亩
    # against 1000, not checkable
    park = rows[("zl06.tropical_plants_subsidence", "area")]
    assert (park.verdict, park.reason, park.unit) == ("not_checkable", "may_overlap", "亩")
    assert park.missing == "zl06.tropical_plants_subsidence.greenhouse"


def test_every_row_has_a_known_reason_and_explains_itself_in_both_languages():
    for key in ("xiqu", "panzhihua"):
        region = load_region(key)
        table = audit_region(region)
        for row in table.to_dict("records"):
            assert row["reason"] in REASONS[row["check"]], row
            for lang in ("en", "zh"):
                text = explain(row, region, lang)
                assert text and "{" not in text and "n/a" not in text.replace("n/an", ""), (lang, text)
                assert "no explanation written yet" not in text and "尚无说明" not in text
            assert re.search(r"[\u4e00-\u9fff]{4,}", explain(row, region, "zh").replace("亿元", ""))
        en = explained_table(table, region, "en")
        assert en["explanation"].str.len().gt(20).all() and en["sources"].str.contains("trust").any()
        found = findings_table(table, region, "zh")
        assert found["explanation"].astype(str).str.startswith("发现").all()


def test_the_audit_itself_writes_no_sentence(xiqu_audit):
    # codes and numbers only: no column holds prose
    text_columns = [c for c in xiqu_audit.columns if xiqu_audit[c].dtype == object]
    for c in text_columns:
        assert not xiqu_audit[c].astype(str).str.contains(r"\. [A-Z]|rounding|prices", regex=True).any(), c
