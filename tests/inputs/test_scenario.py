"""Scenario schema, strict YAML loading, provenance, sources against the region's data and with_changes.

Bad inputs through the command line are in tests/cli/test_project.py; this module tests the
library API: known answers, the shipped files, and hypothesis properties.
"""
from __future__ import annotations

import math
import shutil

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.regions import RegionData, load_region
from xiqu_analysis.inputs.scenario import (
    PROVENANCE_COLUMNS,
    SECTORS,
    UNCERTAINTY_DEFAULTS,
    InputStatus,
    Scenario,
    check_sources,
    load_scenario,
    load_scenario_with_region,
    provenance,
    scenario_from_dict,
)
from xiqu_analysis.inputs import yamlfile
from xiqu_analysis.inputs.yamlfile import parse_yaml, read_yaml
from xiqu_analysis.periods import check_period_text, parse_period, period_text, steps, years_label
from tests.helpers import ROOT
from tests.helpers.scenario_text import PLAN, edit

SCENARIOS = ROOT / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))


@pytest.fixture
def minimal_plan(tmp_path) -> Scenario:
    """The minimal plan_targets scenario (:data:`tests.helpers.scenario_text.PLAN`), loaded from a file.

    Not the shipped file (the ``plan`` fixture): no sources, assumptions or reasoning, constant
    population growth -1 %.
    """
    path = tmp_path / "plan_targets.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return load_scenario(path)


def _load_text(tmp_path, text: str, name: str = "s.yaml") -> Scenario:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


# --------------------------------------------------------------------------- shipped files


def test_the_four_scenarios_are_shipped():
    assert {p.stem for p in SHIPPED} >= {"trend", "plan_targets", "low", "high"}


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenarios_validate_with_reasoning_and_sources(path):
    s = load_scenario(path)
    assert s.name == path.stem  # output folders are named after the scenario
    assert s.source_path == path
    assert s.reasoning and len(s.reasoning) > 200
    assert s.region == "xiqu"
    prov = provenance(s)
    status = dict(zip(prov["input"], prov["status"]))
    # shares are assumptions in every file (the plan gives none) ...
    assert {status[f"sector_shares.{x}"] for x in SECTORS} == {"assumed"}
    # ... and every assumed input of the economy carries a stated reason, or is a cited figure of other years
    # carried forward (its status says so: assumed, continuing the figure)
    economy = prov[~prov["input"].str.startswith("uncertainty.")]
    assumed = economy[economy["status"] == "assumed"]
    carried = assumed[assumed["origin"] == "carried_forward"]
    assert carried["figure_id"].str.startswith("xiqu.").all()
    assumed = assumed[assumed["origin"] != "carried_forward"]
    unstated = assumed[(assumed["origin"] != "assumptions") | (assumed["reason"].str.strip() == "")]
    assert unstated.empty, list(unstated["input"])
    for field in ("gdp_base", "population.base", "urban_income.base", "fiscal_revenue.base"):
        assert status[field] == "sourced", field
    sourced = prov[prov["status"] == "sourced"]
    assert (sourced["origin"] == "sources").all() and sourced["figure_id"].str.startswith("xiqu.").all()


def test_shipped_plan_targets_is_the_minimal_plan_plus_optional_fields(minimal_plan):
    shipped = load_scenario(SCENARIOS / "plan_targets.yaml").to_parameters()
    literal = minimal_plan.to_parameters()
    for key in ("name", "base_year", "end_year", "gdp_base", "sector_shares", "real_growth_pct",
                "deflator_pct", "urban_income", "fiscal_revenue", "uncertainty"):  # fmt: skip
        assert shipped[key] == literal[key], key
    # the minimal plan's title in English, with its Chinese beside it
    assert shipped["title"]["en"] == literal["title"] and shipped["title"]["zh"]
    # the population was revisited in the light of the end-2023 count (12.94万, flat since the 2020 census)
    assert shipped["population"] == {"base": 129406.0, "growth_pct": {"2021-2023": 0.0, "2024-2035": -0.5},
                                     "base_year_growth_pct": -2.25}
    assert literal["population"]["growth_pct"] == -1.0


def test_shipped_plan_targets_sources_the_growth_floors():
    s, region = load_scenario_with_region(SCENARIOS / "plan_targets.yaml")
    assert s.sources["gdp_base"] == "xiqu.gdp.2020"
    assert s.sources["real_growth_pct.secondary.2021-2025"] == "xiqu.industrial_va_growth.2021-2025"
    prov = provenance(s).set_index("input")
    assert prov.loc["gdp_base", "status"] == "sourced"
    assert prov.loc["gdp_base", "figure_id"] == "xiqu.gdp.2020"
    assert "82.91" in region.figure(prov.loc["gdp_base", "figure_id"]).quote  # the plan's own words are cited
    assert prov.loc["real_growth_pct.secondary.2026-2035", "status"] == "assumed"
    assert prov.loc["real_growth_pct.secondary.2026-2035", "figure_id"] == ""


def test_trend_is_the_plans_five_year_average():
    s = load_scenario(SCENARIOS / "trend.yaml")
    assert_array_equal(s.growth_matrix_pct(), np.full((15, 3), 4.9))
    # the 2016-2020 figure is cited, but continuing it to 2021-2035 is an assumption
    st_ = s.input_status("real_growth_pct.secondary")
    assert (st_.status, st_.origin, st_.figure_id) == ("assumed", "carried_forward", "xiqu.gdp_growth.2016-2020")
    assert s.status_of("gdp_base") == "sourced"  # a base-year level of the base year is not carried
    # income continues the plan's levels (7.65 % a year), not its stated 8.9 %, and says why
    assert s.urban_income.growth_pct == 7.65
    assert "8.9%" in s.input_status("urban_income.growth_pct").reason


def test_a_rate_cited_for_its_own_years_is_sourced_and_for_other_years_carried_forward(minimal_plan):
    same = minimal_plan.model_copy()
    data = minimal_plan.to_parameters()
    data["sources"] = {"real_growth_pct.secondary.2021-2025": "xiqu.industrial_va_growth.2021-2025",
                       "real_growth_pct.secondary.2026-2035": "xiqu.industrial_va_growth.2021-2025"}
    data["real_growth_pct"]["secondary"] = {"2021-2025": 7.5, "2026-2035": 7.5}
    s = scenario_from_dict(data)
    assert s.input_status("real_growth_pct.secondary.2021-2025").origin == "sources"
    later = s.input_status("real_growth_pct.secondary.2026-2035")
    assert (later.status, later.origin) == ("assumed", "carried_forward")
    assert s.input_years("real_growth_pct.secondary.2026-2035") == (2026, 2035)
    assert s.input_years("deflator_pct") == (2021, 2035) and s.input_years("gdp_base") is None
    assert same == minimal_plan


def test_low_below_and_high_above_the_floors():
    floors = np.array([3.5, 7.5, 8.5])
    low = load_scenario(SCENARIOS / "low.yaml").growth_matrix_pct()[:5]
    high = load_scenario(SCENARIOS / "high.yaml").growth_matrix_pct()[:5]
    assert (low < floors).all() and (high > floors).all()


# --------------------------------------------------------------------------- known answers


def test_minimal_plan_validates(minimal_plan):
    assert minimal_plan.name == "plan_targets"
    assert minimal_plan.gdp_base == 82.91
    assert minimal_plan.sector_shares.as_array().tolist() == [0.02, 0.58, 0.40]
    assert minimal_plan.uncertainty.model_dump() == UNCERTAINTY_DEFAULTS
    assert minimal_plan.sources == {} and minimal_plan.assumptions == {}


def test_growth_matrix_known_answer(minimal_plan):
    g = minimal_plan.growth_matrix_pct()
    assert g.shape == (15, 3) and g.dtype == float
    expected = np.vstack([np.tile([3.5, 7.5, 8.5], (5, 1)), np.tile([3.0, 5.0, 6.0], (10, 1))])
    assert_array_equal(g, expected)
    assert_array_equal(minimal_plan.years, np.arange(2020, 2036))
    assert_array_equal(minimal_plan.growth_years, np.arange(2021, 2036))
    assert_array_equal(minimal_plan.deflator_path_pct(), np.full(15, 2.0))
    assert_array_equal(minimal_plan.population_growth_path_pct(), np.full(15, -1.0))
    assert_array_equal(minimal_plan.urban_income_growth_path_pct(), np.full(15, 7.0))


def test_single_year_keys_and_periods_in_every_growth_field(tmp_path):
    text = edit("  primary:   {2021-2025: 3.5, 2026-2035: 3.0}", "  primary:   {2021: 1.0, 2022-2034: 2.0, '2035': 9.0}")
    text = text.replace("deflator_pct: 2.0", "deflator_pct: {2021-2030: 2.0, 2031-2035: 1.0}")
    text = text.replace("growth_pct: -1.0", "growth_pct: {2021-2025: -1.0, 2026-2035: -0.5}")
    s = _load_text(tmp_path, text)
    g = s.growth_matrix_pct()[:, 0]
    assert g[0] == 1.0 and g[-1] == 9.0 and (g[1:-1] == 2.0).all()
    assert list(s.real_growth_pct.primary) == ["2021-2021", "2022-2034", "2035-2035"]
    assert_array_equal(s.deflator_path_pct(), [2.0] * 10 + [1.0] * 5)
    assert_array_equal(s.population_growth_path_pct(), [-1.0] * 5 + [-0.5] * 10)


def test_integers_are_numbers_but_bools_and_text_are_not(tmp_path):
    s = _load_text(tmp_path, edit("deflator_pct: 2.0", "deflator_pct: 2"))
    assert s.deflator_pct == 2.0
    for bad in ("true", "'2'", "yes", "[2]"):
        with pytest.raises(InputError) as err:
            _load_text(tmp_path, edit("deflator_pct: 2.0", f"deflator_pct: {bad}"))
        assert err.value.field == "deflator_pct"


def test_yaml_1_2_exponent_is_a_number_and_octal_is_rejected(tmp_path):
    s = _load_text(tmp_path, edit("gdp_base: 82.91", "gdp_base: 8.291e1"))
    assert s.gdp_base == pytest.approx(82.91)
    with pytest.raises(InputError, match="octal|ambiguous"):
        _load_text(tmp_path, edit("base_year: 2020", "base_year: 03744"))
    with pytest.raises(InputError, match="ambiguous"):
        _load_text(tmp_path, edit("base_year: 2020", "base_year: 33:40"))


def test_duplicate_key_error_names_field_and_line(tmp_path):
    with pytest.raises(InputError) as err:
        _load_text(tmp_path, edit("  primary: 0.02\n", "  primary: 0.02\n  primary: 0.03\n"))
    assert err.value.field == "sector_shares.primary"
    assert "line 8" in err.value.problem


def test_read_yaml_keeps_merge_keys(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("a: &x {p: 1, q: 2}\nb:\n  <<: *x\n  q: 3\n", encoding="utf-8")
    assert read_yaml(path) == {"a": {"p": 1, "q": 2}, "b": {"p": 1, "q": 3}}


def test_errors_are_one_line_with_file_and_dotted_field(tmp_path):
    with pytest.raises(InputError) as err:
        _load_text(tmp_path, edit("{2021-2025: 7.5, 2026-2035: 5.0}", "{2021-2025: '7.5', 2026-2035: 5.0}"), "x.yaml")
    e = err.value
    assert e.field == "real_growth_pct.secondary.2021-2025"
    assert "x.yaml" in str(e) and "\n" not in str(e)
    assert "text '7.5'" in e.problem


def test_unknown_key_suggests_the_right_one(tmp_path):
    with pytest.raises(InputError) as err:
        _load_text(tmp_path, edit("deflator_pct: 2.0", "deflator_pc: 2.0"))
    assert err.value.field == "deflator_pc"
    assert "did you mean 'deflator_pct'" in err.value.problem


def test_scenario_is_frozen_and_strict(minimal_plan):
    with pytest.raises(Exception):
        minimal_plan.gdp_base = 1.0  # type: ignore[misc]
    data = minimal_plan.to_parameters()
    data["gdp_base"] = "82.91"
    with pytest.raises(InputError):
        scenario_from_dict(data)


def test_parse_period():
    assert parse_period("2021-2025") == (2021, 2025)
    assert parse_period(2021) == (2021, 2021)
    assert parse_period(" 2021 - 2025 ") == (2021, 2025)
    for bad in ("2025-2021", "2021/2025", "21-25", True, 1.5, "2021-"):
        with pytest.raises(ValueError):
            parse_period(bad)
    assert period_text(*parse_period(" 2021 - 2025 ")) == "2021-2025"
    assert (years_label(2025, 2025), years_label(2025, 2027)) == ("2025", "2025-2027")
    assert (steps("2021-2025"), steps(2030)) == (5, 1)  # growth years 2021..2025: five annual steps from 2020
    # data files write periods strictly
    assert check_period_text("2016-2020") is None
    for bad, problem in (("2016 - 2020", "must be YYYY-YYYY"), ("2020", "must be YYYY-YYYY"),
                         ("2020-2016", "ends before it starts"), ("1800-2020", "outside 1900-2100")):
        assert problem in str(check_period_text(bad)), bad


# --------------------------------------------------------------------------- provenance and data


def test_provenance_marks_shares_assumed_and_gdp_base_sourced(tmp_path):
    s = _load_text(tmp_path, PLAN + "sources: {gdp_base: xiqu.gdp.2020}\n"
                   "assumptions: {sector_shares: the plan gives none}\n")  # fmt: skip
    prov = provenance(s)
    assert list(prov.columns) == list(PROVENANCE_COLUMNS) == [
        "input", "value", "unit", "status", "origin", "figure_id", "reason"]
    row = prov.set_index("input")
    assert row.loc["gdp_base", "status"] == "sourced" and row.loc["gdp_base", "unit"] == "亿元"
    assert (row.loc["gdp_base", "origin"], row.loc["gdp_base", "figure_id"]) == ("sources", "xiqu.gdp.2020")
    assert (row.loc[[f"sector_shares.{x}" for x in SECTORS], "status"] == "assumed").all()
    assert row.loc["sector_shares.primary", "reason"] == "the plan gives none"  # a group's reason covers its inputs
    assert row.loc["sector_shares.primary", "origin"] == "assumptions"
    assert (row.loc["deflator_pct", "origin"], row.loc["deflator_pct", "reason"]) == ("unstated", "")
    assert (row.loc["uncertainty.ar1", "status"], row.loc["uncertainty.ar1", "origin"]) == ("assumed", "default")
    assert row.loc["population.base", "unit"] == "persons"
    assert row.loc["real_growth_pct.secondary.2021-2025", "value"] == 7.5
    assert not row.index.str.contains("seed").any()
    assert len(provenance(s, include_uncertainty=False)) == len(prov) - 7
    # the same record for one input
    assert s.input_status("gdp_base") == InputStatus("sourced", "sources", figure_id="xiqu.gdp.2020")
    assert s.input_status("sector_shares.tertiary") == InputStatus("assumed", "assumptions", reason="the plan gives none")
    assert s.status_of("gdp_base") == "sourced" and s.status_of("deflator_pct") == "assumed"
    # an uncertainty section written in the file is no longer the default
    u = _load_text(tmp_path, PLAN + "uncertainty: {ar1: 0.3}\n", "u.yaml")
    assert u.input_status("uncertainty.ar1").origin == "unstated"


def test_sources_are_checked_against_data_after_unit_conversion(tmp_path):
    # 129,406 persons agree with the census figure in 人; 137,000 persons with 13.7 万人
    ok = _load_text(tmp_path, PLAN + "sources: {population.base: xiqu.resident_population.2020.census}\n")
    assert ok.status_of("population.base") == "sourced"
    ok2 = _load_text(tmp_path, edit("base: 129406", "base: 137000") + "sources: {population.base: xiqu.resident_population.2020}\n")
    assert ok2.population.base == 137000
    with pytest.raises(InputError) as err:
        _load_text(tmp_path, PLAN + "sources: {population.base: xiqu.resident_population.2020}\n")
    assert err.value.field == "population.base" and "disagrees" in err.value.problem
    # a real growth rate may not be sourced from a current-price (nominal) figure
    with pytest.raises(InputError, match="current prices"):
        _load_text(tmp_path, edit("{2021-2025: 8.5, 2026-2035: 6.0}", "{2021-2025: 8.9, 2026-2035: 6.0}")
                   + "sources: {real_growth_pct.tertiary.2021-2025: xiqu.urban_disposable_income_growth.2016-2020}\n")


def test_source_keys_are_canonical_periods(tmp_path):
    s = _load_text(tmp_path, PLAN + "sources: {'real_growth_pct.secondary. 2021 - 2025': xiqu.industrial_va_growth.2021-2025}\n")
    assert "real_growth_pct.secondary.2021-2025" in s.sources


def test_sources_may_name_the_benchmark_but_no_other_region(tmp_path):
    region = load_region("xiqu")
    text = edit("gdp_base: 82.91", "gdp_base: 1040.82") + "sources: {gdp_base: panzhihua.gdp.2020}\n"
    s = _load_text(tmp_path, text, "pz.yaml")  # Panzhihua's GDP as a base: odd, but a figure of the benchmark
    check_sources(s, region, "pz.yaml")
    s = scenario_from_dict({**s.to_parameters(), "sources": {"gdp_base": "sichuan.gdp.2020"}})
    with pytest.raises(InputError) as err:
        check_sources(s, region, "sc.yaml")
    assert str(err.value).startswith("sc.yaml: field 'sources.gdp_base': figure id 'sichuan.gdp.2020' is not of "
                                     "region 'xiqu' or its benchmark (panzhihua, xiqu)")


def test_scenario_region_defaults_to_xiqu_and_must_be_a_key(tmp_path, minimal_plan):
    assert minimal_plan.region == "xiqu"
    assert _load_text(tmp_path, PLAN + "region: panzhihua\n", "pz.yaml").region == "panzhihua"
    for bad in ("Xiqu", "xi/../qu", "'../xiqu'", "''"):  # a key anywhere inside the text is not enough
        with pytest.raises(InputError) as err:
            _load_text(tmp_path, PLAN + f"region: {bad}\n", "bad.yaml")
        assert err.value.field == "region" and "not a region key" in err.value.problem, bad


def test_unknown_region_is_the_scenario_files_problem(tmp_path):
    path = tmp_path / "renhe.yaml"
    path.write_text(PLAN + "region: renhe\nsources: {gdp_base: xiqu.gdp.2020}\n", encoding="utf-8")
    for load in (load_scenario, load_scenario_with_region):
        with pytest.raises(InputError) as err:
            load(path)
        assert (err.value.source, err.value.field) == (str(path), "region")
        assert "no region 'renhe'" in err.value.problem and "known regions: panzhihua, sichuan, xiqu" in err.value.problem
    assert load_scenario(path, check=False).region == "renhe"  # nothing to check without the data


def test_load_scenario_with_region_reads_each_region_once(tmp_path):
    regions: dict[str, RegionData] = {}
    a, region_a = load_scenario_with_region(SCENARIOS / "plan_targets.yaml", regions)
    b, region_b = load_scenario_with_region(SCENARIOS / "low.yaml", regions)
    assert region_a is region_b is regions["xiqu"] and list(regions) == ["xiqu"]
    assert region_a.benchmark is not None and region_a.benchmark.key == "panzhihua"
    assert (a.name, b.name) == ("plan_targets", "low") and a.source_path == SCENARIOS / "plan_targets.yaml"
    # without a dict each call loads its own record
    _, fresh = load_scenario_with_region(SCENARIOS / "plan_targets.yaml")
    assert fresh is not region_a and fresh.key == "xiqu"


def test_load_scenario_with_region_uses_the_regions_given(tmp_path):
    """A region already in the dict is used as it is (not read again): its figures decide the source check."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    figures = data / "regions" / "xiqu" / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    assert text.count("xiqu.gdp.2020,gdp,xiqu,2020,,82.91,") == 1
    figures.write_text(text.replace("xiqu.gdp.2020,gdp,xiqu,2020,,82.91,", "xiqu.gdp.2020,gdp,xiqu,2020,,82.92,"),
                       encoding="utf-8")
    edited = load_region("xiqu", data)
    path = SCENARIOS / "plan_targets.yaml"  # sources gdp_base 82.91 from xiqu.gdp.2020
    with pytest.raises(InputError) as err:
        load_scenario_with_region(path, {"xiqu": edited})
    assert (err.value.source, err.value.field) == (str(path), "gdp_base") and "disagrees" in err.value.problem
    with pytest.raises(InputError, match="disagrees"):
        load_scenario_with_region(path, data_dir=data)  # the data folder given
    with pytest.raises(InputError, match="disagrees"):
        load_scenario(path, edited)  # load_scenario takes the region too
    scenario, region = load_scenario_with_region(path, {})
    assert region.figure("xiqu.gdp.2020").value == 82.91 and scenario.gdp_base == 82.91
    assert load_scenario(path, edited, check=False).gdp_base == 82.91


def test_revenue_growth_below_minus_100_is_refused_by_the_projection(tmp_path):
    """The schema no longer knows the projection: loading succeeds, projecting is refused (one line, the field)."""
    from xiqu_analysis.economics.projection import check_projection, project

    path = tmp_path / "revenue.yaml"
    path.write_text(edit("deflator_pct: 2.0", "deflator_pct: -15").replace("buoyancy: 1.0", "buoyancy: 20"),
                    encoding="utf-8")
    s = load_scenario(path)
    assert s.fiscal_revenue.buoyancy == 20.0
    for run in (check_projection, project):
        with pytest.raises(InputError) as err:
            run(s)
        assert (err.value.source, err.value.field) == (str(path), "fiscal_revenue.buoyancy")
        assert "at or below -100%" in err.value.problem and "\n" not in str(err.value)
    # with_changes builds such a scenario too; projecting it is refused the same way
    ok = load_scenario(SCENARIOS / "plan_targets.yaml")
    t = ok.with_changes(deflator_pct=-15.0, **{"fiscal_revenue.buoyancy": 20.0})
    with pytest.raises(InputError, match="fiscal_revenue.buoyancy"):
        check_projection(t)
    check_projection(ok)  # the shipped file projects


# --------------------------------------------------------------------------- with_changes


def test_with_changes_returns_a_new_validated_scenario():
    s = load_scenario(SCENARIOS / "plan_targets.yaml")
    t = s.with_changes(**{"real_growth_pct.secondary": 8.0, "real_growth_pct.tertiary.2021-2025": 9.0, "gdp_base": 90.0})
    assert s.real_growth_pct.secondary == {"2021-2025": 7.5, "2026-2035": 5.0}  # original untouched
    assert_array_equal(t.growth_matrix_pct()[:, 1], np.full(15, 8.0))
    assert t.growth_matrix_pct()[0, 2] == 9.0 and t.growth_matrix_pct()[5, 2] == 6.0
    assert t.source_path == s.source_path
    # changed sourced inputs are no longer sourced
    assert "gdp_base" not in t.sources and t.status_of("gdp_base") == "assumed"
    assert "changed by with_changes (was 82.91, sourced from xiqu.gdp.2020)" == t.input_status("gdp_base").reason
    assert "real_growth_pct.secondary.2021-2025" not in t.sources
    assert t.status_of("real_growth_pct.tertiary.2021-2025") == "assumed"
    assert t.status_of("population.base") == "sourced"


def test_with_changes_rejects_bad_changes():
    s = load_scenario(SCENARIOS / "plan_targets.yaml")
    with pytest.raises(InputError) as err:
        s.with_changes(**{"sector_shares.primary": 0.5})
    assert err.value.field == "sector_shares"
    with pytest.raises(InputError) as err:
        s.with_changes(**{"real_growth_pct.mining": 1.0})
    assert err.value.field == "real_growth_pct.mining"
    with pytest.raises(InputError):
        s.with_changes(deflator_pct=-100.0)
    with pytest.raises(InputError):
        s.with_changes(**{"deflator_pct.2021-2025": 1.0})  # deflator is one number, not periods
    t = s.with_changes(**{"sector_shares.primary": 0.1, "sector_shares.secondary": 0.5})
    assert t.sector_shares.as_array().tolist() == [0.1, 0.5, 0.4]
    assert s.with_changes(gdp_base=np.float64(90.0)).gdp_base == 90.0
    # fields that are not economic inputs change too, without an assumption note
    u = s.with_changes(**{"uncertainty.seed": 7, "name": "plan_targets_seed7", "uncertainty.ar1": 0.5})
    assert (u.uncertainty.seed, u.name, u.uncertainty.ar1) == (7, "plan_targets_seed7", 0.5)
    assert "uncertainty.seed" not in u.assumptions and "changed" in u.input_status("uncertainty.ar1").reason


def test_to_parameters_is_json_and_reads_back(minimal_plan):
    import json

    params = minimal_plan.to_parameters()
    assert json.loads(json.dumps(params)) == params
    back = scenario_from_dict(params)
    assert back.to_parameters() == params
    assert back == minimal_plan and hash(back) == hash(minimal_plan)  # equal content, whatever the file
    assert back != minimal_plan.with_changes(gdp_base=90.0)


# --------------------------------------------------------------------------- properties

_rate = st.floats(-40.0, 30.0, allow_nan=False)


@st.composite
def growth_specs(draw, first: int, last: int):
    if draw(st.booleans()):
        return draw(_rate)
    cuts = sorted(draw(st.sets(st.integers(first + 1, last), max_size=4))) if last > first else []
    starts = [first, *cuts]
    ends = [c - 1 for c in cuts] + [last]
    return {f"{a}-{b}": draw(_rate) for a, b in zip(starts, ends)}


@st.composite
def scenarios(draw):
    base = draw(st.integers(2000, 2030))
    end = base + draw(st.integers(1, 20))
    a = draw(st.floats(0.0, 1.0))
    b = draw(st.floats(0.0, 1.0 - a))
    spec = lambda: growth_specs(base + 1, end)  # noqa: E731
    return {
        "name": draw(st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,20}", fullmatch=True)),
        "title": "random",
        "base_year": base,
        "end_year": end,
        "gdp_base": draw(st.floats(0.01, 1e5)),
        "sector_shares": {"primary": a, "secondary": b, "tertiary": 1.0 - a - b},
        "real_growth_pct": {s: draw(spec()) for s in SECTORS},
        "deflator_pct": draw(spec()),
        "population": {"base": draw(st.floats(1.0, 1e8)), "growth_pct": draw(spec())},
        "urban_income": {"base": draw(st.floats(1.0, 1e6)), "growth_pct": draw(spec())},
        "fiscal_revenue": {"base": draw(st.floats(0.01, 1e4)), "buoyancy": draw(st.floats(0.0, 1.2))},
    }


@given(scenarios(), st.data())
def test_random_valid_scenarios_round_trip_with_changes(data, draw):
    # Rates >= -40% and buoyancy <= 1.2 keep revenue growth above -100%: every draw is valid.
    s = scenario_from_dict(data)  # sources are checked against the data by the loaders, not here
    assert scenario_from_dict(s.to_parameters()).to_parameters() == s.to_parameters()
    T = s.end_year - s.base_year
    assert s.growth_matrix_pct().shape == (T, 3)
    for path in s.growth_fields():
        assert s.growth_path_pct(path).shape == (T,)
    paths = [p for p in s.input_paths() if not p.startswith(("sector_shares", "uncertainty"))]
    path = draw.draw(st.sampled_from(paths))
    old = s.value_at(path)
    new = draw.draw(st.floats(0.5, 5.0)) if ("base" in path or path == "gdp_base") else draw.draw(st.floats(-5.0, 5.0))
    if path == "fiscal_revenue.buoyancy":
        new = abs(new) / 5.0
    t = s.with_changes(**{path: new})
    assert t.value_at(path) == new
    for other in s.input_paths():
        if other != path:
            assert t.value_at(other) == s.value_at(other), other
    assert t.status_of(path) == "assumed" and "changed by with_changes" in t.input_status(path).reason
    back = t.with_changes(**{path: old}).to_parameters()
    original = s.to_parameters()
    for key in ("sources", "assumptions"):  # they record the change
        back.pop(key), original.pop(key)
    assert back == original
    # the growth matrix moves only where the change applies
    changed = np.flatnonzero((t.growth_matrix_pct() != s.growth_matrix_pct()).any(axis=1))
    if path.startswith("real_growth_pct") and path.count(".") == 2:
        a, b = parse_period(path.rsplit(".", 1)[1])
        assert set(changed + s.base_year + 1) <= set(range(a, b + 1))
    elif not path.startswith("real_growth_pct"):
        assert changed.size == 0


@given(st.floats(allow_nan=True, allow_infinity=True) | st.booleans() | st.text(max_size=5) | st.none())
def test_gdp_base_accepts_only_positive_finite_numbers(value):
    params = {
        "name": "x", "title": "t", "base_year": 2020, "end_year": 2021, "gdp_base": value,
        "sector_shares": {"primary": 0.2, "secondary": 0.3, "tertiary": 0.5},
        "real_growth_pct": {"primary": 1.0, "secondary": 1.0, "tertiary": 1.0}, "deflator_pct": 1.0,
        "population": {"base": 1.0, "growth_pct": 0.0}, "urban_income": {"base": 1.0, "growth_pct": 0.0},
        "fiscal_revenue": {"base": 1.0, "buoyancy": 1.0},
    }  # fmt: skip
    valid = isinstance(value, float) and math.isfinite(value) and value > 0
    if valid:
        assert scenario_from_dict(params).gdp_base == value
    else:
        with pytest.raises(InputError) as err:
            scenario_from_dict(params)
        assert err.value.field == "gdp_base"


# --------------------------------------------------------------------------- share-sum boundary
@pytest.mark.parametrize("excess, accepted", [(1e-5, False), (-1e-5, False), (1e-7, True), (-1e-7, True),
                                              (5e-3, False)])
def test_share_sum_tolerance_boundary(minimal_plan, excess, accepted):
    # the tolerance is 1e-6: shares summing to 1 + 1e-5 are refused (a looser tolerance would let shares
    # summing to 1.005 through and put base-year GDP 0.5 % off gdp_base), 1 + 1e-7 accepted
    data = minimal_plan.to_parameters()
    data["sector_shares"] = {"primary": 0.02, "secondary": 0.58, "tertiary": 0.40 + excess}
    if accepted:
        s = scenario_from_dict(data)
        from xiqu_analysis.economics.projection import project

        base_gdp = project(s).table.loc[0, "gdp_real"]
        assert base_gdp == pytest.approx(82.91 * (1 + excess), rel=1e-12)
        assert abs(base_gdp / 82.91 - 1) < 1e-6
    else:
        with pytest.raises(InputError) as info:
            scenario_from_dict(data)
        assert info.value.field == "sector_shares" and "sum to 1" in info.value.problem


@pytest.mark.parametrize("text, problem", [
    ("a: 1\na: 2\n", "duplicate key 'a' at line 2"),
    ("base_year: 03744\n", "ambiguous"),
    ("base_year: 33:40\n", "ambiguous"),
    ("a: b: c\n", "mapping values are not allowed here"),  # PyYAML's own words, not libyaml's
])
def test_libyaml_and_pyyaml_loaders_are_equally_strict(text, problem):
    """The libyaml loader (tried first) keeps every check of the strict reader; errors keep PyYAML's words."""
    for loader in (yamlfile._StrictLoader, yamlfile._FastStrictLoader):
        with pytest.raises(InputError, match=problem if loader is yamlfile._StrictLoader else "."):
            yamlfile._parse(loader, text, "x.yaml")
    with pytest.raises(InputError, match=problem):
        parse_yaml(text, "x.yaml")


def test_every_locale_and_shipped_yaml_file_reads_the_same_with_either_loader():
    assert yamlfile._FastStrictLoader is not yamlfile._StrictLoader  # PyYAML's wheels carry libyaml
    files = sorted((ROOT / "xiqu_analysis" / "reports" / "locale").glob("*/*.yaml"))
    files += sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "data").rglob("*.yaml"))
    assert len(files) >= 35
    for path in files:
        text = path.read_text("utf-8")
        assert yamlfile._parse(yamlfile._FastStrictLoader, text, path.name) == \
            yamlfile._parse(yamlfile._StrictLoader, text, path.name), path
