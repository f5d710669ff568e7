"""economics.rebase, a scenario's ``actuals`` sources, and ``xiqu rebase``, on INVENTED actuals (tests/fixtures).

Hand-computed: the invented file's 2025 levels are GDP 128.00 亿元, sector value
added 2.56 / 74.24 / 51.20 亿元 (shares 0.02 / 0.58 / 0.40 of their sum),
12.50 万人 = 125,000 persons, urban income 58,000 元, budget revenue 2.60 亿元.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from xiqu_analysis.cli import main
from xiqu_analysis.economics.projection import project
from xiqu_analysis.economics.rebase import rebase_scenario
from xiqu_analysis.economics.review_scores import rebase_path
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.bulletins import load_bulletin
from xiqu_analysis.inputs.regions import load_region
from xiqu_analysis.inputs.scenario import load_scenario, load_scenario_with_region, provenance
from xiqu_analysis.reports.tables import provenance_table

ROOT = Path(__file__).resolve().parent.parent
INVENTED = ROOT / "tests" / "fixtures" / "actuals_invented_2021_2025.csv"
PLAN = ROOT / "scenarios" / "plan_targets.yaml"


@pytest.fixture(scope="module")
def region():
    return load_region("xiqu")


@pytest.fixture(scope="module")
def plan(region):
    return load_scenario_with_region(PLAN, {"xiqu": region})[0]


@pytest.fixture(scope="module")
def actuals(region):
    return load_bulletin(INVENTED, indicators=region.indicators)


def test_levels_of_the_latest_year_from_the_actuals(plan, actuals, region):
    rb = rebase_scenario(plan, actuals, 2025, region, actuals_ref="a.csv")
    d = rb.data
    assert rb.base_year == 2025 and d["base_year"] == 2025 and d["end_year"] == 2035
    assert d["gdp_base"] == 128.0 and d["population"]["base"] == 125000.0
    assert d["urban_income"]["base"] == 58000.0 and d["fiscal_revenue"]["base"] == pytest.approx(2.6)
    assert d["sources"] == {"gdp_base": "actuals:xiqu.gdp.2025", "population.base": "actuals:xiqu.resident_population.2025",
                            "urban_income.base": "actuals:xiqu.urban_disposable_income.2025",
                            "fiscal_revenue.base": "actuals:xiqu.general_budget_revenue.2025"}
    assert d["sector_shares"] == pytest.approx({"primary": 0.02, "secondary": 0.58, "tertiary": 0.40}, abs=1e-15)
    assert sum(d["sector_shares"].values()) == pytest.approx(1.0, abs=1e-15)
    assert rb.origins["sector_shares"].code == "actual_shares"
    # growth: the old scenario's remaining path, every part an assumption carried over
    assert d["real_growth_pct"] == {"primary": {"2026-2035": 3.0}, "secondary": {"2026-2035": 5.0},
                                    "tertiary": {"2026-2035": 6.0}}
    # plan_targets: population flat to 2023 (the end-2023 count), then -0.5 % a year
    assert d["deflator_pct"] == 2.0 and d["population"]["growth_pct"] == {"2026-2035": -0.5}
    # the new base year's own change (for its average population): the actuals hold no population before 2025,
    # so none is assumed, the same for every scenario (tests/test_rebase_population.py)
    assert d["population"]["base_year_growth_pct"] == 0.0
    assert rb.origins["population.base_year_growth_pct"].code == "no_change"
    carried = rb.origins["real_growth_pct.secondary.2026-2035"]
    assert (carried.code, carried.old_period, carried.old_value, carried.old_status) == ("carried_growth", "2026-2035",
                                                                                         5.0, "assumed")
    assert "2.5 points below" in carried.old_source  # the old file's own reason


def test_an_earlier_year_cuts_the_periods_and_carries_the_projection(plan, actuals, region):
    rb = rebase_scenario(plan, actuals, 2023, region, actuals_ref="a.csv")
    d = rb.data
    assert rb.base_year == 2023 and d["gdp_base"] == 107.0
    assert d["real_growth_pct"]["secondary"] == {"2024-2025": 7.5, "2026-2035": 5.0}
    floor = rb.origins["real_growth_pct.secondary.2024-2025"]
    assert (floor.old_period, floor.old_status, floor.old_source) == ("2021-2025", "sourced",
                                                                     "xiqu.industrial_va_growth.2021-2025")
    old = project(plan)
    # no population, income, revenue or sector value added in 2023: the old projection's, carried over
    assert rb.origins["population.base"].code == "projected_level"
    assert d["population"]["base"] == pytest.approx(old.at(2023, "population"), rel=1e-15)
    assert rb.origins["sector_shares"].code == "projected_shares"
    assert d["sector_shares"]["secondary"] == pytest.approx(old.at(2023, "secondary_share"), rel=1e-12)
    assert list(d["sources"]) == ["gdp_base"]


def test_with_the_projected_shares_nominal_gdp_is_the_rebased_path(plan, actuals, region):
    """Re-based on 2023 with the old shares, the new scenario's nominal GDP is the old path moved onto 107 亿元."""
    from xiqu_analysis.inputs.scenario import scenario_from_dict

    rb = rebase_scenario(plan, actuals, 2023, region, actuals_ref="a.csv")
    new = project(scenario_from_dict({**rb.data, "title": "x"})).column("gdp_nominal")
    moved = rebase_path(project(plan).column("gdp_nominal"), 2023, 107.0)
    pd.testing.assert_series_equal(new, moved, check_names=False, rtol=1e-12)


def test_no_gdp_level_is_refused(plan, region, tmp_path):
    path = tmp_path / "growth_only.csv"
    path.write_text("# INVENTED\nregion,indicator,year,value,unit,price_basis,source\n"
                    "xiqu,gdp_growth,2021,7,%,comparable,INVENTED\n", encoding="utf-8")
    frame = load_bulletin(path, indicators=region.indicators)
    with pytest.raises(InputError) as exc:
        rebase_scenario(plan, frame, 2025, region, actuals_ref="x", source=str(path))
    assert exc.value.source == str(path) and exc.value.field == "year"
    assert "no actual GDP level" in exc.value.problem and "2021-2025" in exc.value.problem
    with pytest.raises(InputError, match="2020 is not after the scenario's base year 2020"):
        rebase_scenario(plan, frame, 2020, region, actuals_ref="x", source=str(path))


# --------------------------------------------------------------------------- the scenario's actuals sources
def _rebased_file(tmp_path, *extra) -> Path:
    shutil.copy(INVENTED, tmp_path / INVENTED.name)
    out = tmp_path / "rebased.yaml"
    assert main(["rebase", str(PLAN), "--actuals", str(tmp_path / INVENTED.name), "--year", "2025",
                 "--output", str(out), *extra]) == 0
    return out


def test_xiqu_rebase_writes_a_valid_sourced_scenario(tmp_path, capsys, region):
    out = _rebased_file(tmp_path)
    assert capsys.readouterr().out.strip() == str(out.absolute())
    sc = load_scenario(out)  # schema and every source, against the actuals file named in it
    assert sc.actuals == INVENTED.name and sc.name == "plan_targets_rebased_2025" and sc.base_year == 2025
    prov = provenance(sc).set_index("input")
    assert prov.loc["gdp_base", "status"] == "sourced" and prov.loc["gdp_base", "figure_id"] == "actuals:xiqu.gdp.2025"
    assert prov.loc["real_growth_pct.secondary.2026-2035", "status"] == "assumed"
    assert prov.loc["real_growth_pct.secondary.2026-2035", "reason"].startswith(
        "Carried over from the remaining path of the plan_targets scenario (2026-2035: 5%, there assumed:")
    assert prov.loc["sector_shares.primary", "reason"].startswith("Shares of the actual current-price value added")
    cites = provenance_table(sc, region).set_index("input")["citation_or_reason"]
    assert cites["gdp_base"] == "actuals:xiqu.gdp.2025: actuals_invented_2021_2025.csv: INVENTED test value"
    assert sc.title == "Plan floors to 2025, slower growth to 2035, re-based on the 2025 actuals"
    assert project(sc).at(2025, "gdp_nominal") == 128.0


def test_xiqu_rebase_in_chinese_and_refusals(tmp_path, capsys):
    out = _rebased_file(tmp_path, "--language", "zh")
    capsys.readouterr()
    before = out.read_bytes()
    rebased = load_scenario(out)
    # every text in both languages, the one asked for first
    assert rebased.title.get("zh") == "2025年前按规划增速底线增长，此后增速放缓（以2025年实际数据重新基准）"
    assert rebased.title.get("en") == "Plan floors to 2025, slower growth to 2035, re-based on the 2025 actuals"
    assert out.read_text(encoding="utf-8").index("zh:") < out.read_text(encoding="utf-8").index("en:")
    for text in (rebased.description, rebased.reasoning, *rebased.assumptions.values()):
        assert set(text.languages) == {"en", "zh"}
    # an existing file is not replaced without --force; nothing changes
    code = main(["rebase", str(PLAN), "--actuals", str(tmp_path / INVENTED.name), "--year", "2025", "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "exists already" in err and out.read_bytes() == before
    # a bad actuals file: one line naming file, row and column; nothing written
    bad = tmp_path / "bad.csv"
    bad.write_text("region,indicator,year,value,unit,price_basis,source\nxiqu,gdp,2025,128,亿,current,INVENTED\n",
                   encoding="utf-8")
    code = main(["rebase", str(PLAN), "--actuals", str(bad), "--year", "2025", "--output", str(tmp_path / "n.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and f"{bad}: field 'row 2, column unit'" in err
    assert not (tmp_path / "n.yaml").exists() and not list(tmp_path.glob(".*.tmp.yaml"))


def test_actuals_sources_are_checked_on_every_load(tmp_path):
    out = _rebased_file(tmp_path)
    text = out.read_text(encoding="utf-8")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(text.replace("gdp_base: 128.0", "gdp_base: 129.0"), encoding="utf-8")
    with pytest.raises(InputError, match=r"value 129 亿元 disagrees with figure 'actuals:xiqu.gdp.2025' = 128 亿元"):
        load_scenario(wrong)
    missing = tmp_path / "missing.yaml"
    missing.write_text(text.replace("actuals:xiqu.gdp.2025", "actuals:xiqu.gdp.2019"), encoding="utf-8")
    with pytest.raises(InputError, match="no row xiqu, gdp, 2019 in the actuals file"):
        load_scenario(missing)
    unnamed = tmp_path / "unnamed.yaml"
    unnamed.write_text(text.replace(f"actuals: {INVENTED.name}\n", ""), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_scenario(unnamed)
    assert exc.value.field == "sources.gdp_base" and "names no actuals file" in exc.value.problem
    (tmp_path / INVENTED.name).unlink()
    with pytest.raises(InputError, match=INVENTED.name):
        load_scenario(out)


def test_a_variant_of_a_rebased_scenario_saved_from_the_explorer_keeps_its_actuals(tmp_path, capsys):
    from xiqu_analysis.reports.explorer.state import ExplorerState

    out = _rebased_file(tmp_path)
    capsys.readouterr()
    state = ExplorerState.from_path(out)
    state.set("deflator_pct", 2.5)
    saved = state.save(tmp_path / "elsewhere", "variant", "a faster price rise")
    again = load_scenario(saved)  # its actuals sources checked against the same file
    assert Path(again.actuals) == (tmp_path / INVENTED.name).absolute() and again.deflator_pct == 2.5
    assert again.sources["gdp_base"] == "actuals:xiqu.gdp.2025"
