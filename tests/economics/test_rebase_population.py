"""Re-based scenarios share one observed base-year population (economics/rebase.py): the population's change
during the new base year comes from the actuals, never from each scenario's own growth path, so the base year's
per-capita GDP is the same in every scenario re-based on the same actuals.

Hand-computed on the INVENTED actuals (tests/fixtures): 2025 GDP 128.00 亿元, population 12.50万 = 125,000.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from xiqu_analysis.economics.projection import project
from xiqu_analysis.economics.rebase import rebase_scenario
from xiqu_analysis.inputs.bulletins import load_bulletin
from xiqu_analysis.inputs.regions import load_region
from xiqu_analysis.inputs.scenario import load_scenario_with_region, scenario_from_dict
from xiqu_analysis.reports.words.review_text import rebase_document

ROOT = Path(__file__).resolve().parents[2]
INVENTED = ROOT / "tests" / "fixtures" / "actuals_invented_2021_2025.csv"
SHIPPED = ("high", "low", "plan_targets", "trend")  # population growth in 2025: 0.0, -2.0, -0.5, -2.25 %


@pytest.fixture(scope="module")
def region():
    return load_region("xiqu")


@pytest.fixture(scope="module")
def scenarios(region):
    return [load_scenario_with_region(ROOT / "scenarios" / f"{n}.yaml", {"xiqu": region})[0] for n in SHIPPED]


def _actuals(tmp_path, region, *extra: str):
    """The invented actuals with ``extra`` rows (``indicator,year,value,unit,price_basis``) of xiqu."""
    path = tmp_path / "actuals.csv"
    text = INVENTED.read_text(encoding="utf-8")
    path.write_text(text + "".join(f"xiqu,{row},INVENTED test value\n" for row in extra), encoding="utf-8")
    return load_bulletin(path, indicators=region.indicators)


def _rebased(scenarios, actuals, region):
    out = {}
    for sc in scenarios:
        rb = rebase_scenario(sc, actuals, 2025, region, actuals_ref="actuals.csv")
        out[sc.name] = (rb, project(scenario_from_dict({**rb.data, "title": str(sc.title)}, source=sc.name)))
    return out


def test_no_earlier_population_no_change_for_every_scenario(scenarios, region):
    """Only 2025's population: its year-end count is its average in every scenario, 128e8 / 125,000 = 102,400 元
    (before: each scenario's own 2025 rate, 101,235 (trend, -2.25 %) to 102,400 元 (high, 0 %))."""
    actuals = load_bulletin(INVENTED, indicators=region.indicators)
    for name, (rb, proj) in _rebased(scenarios, actuals, region).items():
        origin = rb.origins["population.base_year_growth_pct"]
        assert (origin.code, origin.figure_ids) == ("no_change", ("xiqu.resident_population.2025",)), name
        assert rb.data["population"]["base_year_growth_pct"] == 0.0
        assert proj.at(2025, "gdp_per_capita") == pytest.approx(102400.0, rel=1e-12), name


def test_the_year_before_in_the_actuals_gives_the_change(tmp_path, scenarios, region):
    """12.60万 at the end of 2024, 12.50万 at the end of 2025: a change of 100 (125,000 / 126,000 - 1) = -0.7937 %,
    an average population of (126,000 + 125,000) / 2 = 125,500 and a per-capita GDP of 128e8 / 125,500 =
    101,992.03 元 in every scenario."""
    actuals = _actuals(tmp_path, region, "resident_population,2024,12.60,万人,not_applicable")
    for name, (rb, proj) in _rebased(scenarios, actuals, region).items():
        origin = rb.origins["population.base_year_growth_pct"]
        assert origin.code == "actual_change"
        assert origin.figure_ids == ("xiqu.resident_population.2024", "xiqu.resident_population.2025")
        assert rb.data["population"]["base_year_growth_pct"] == pytest.approx(100 * (125000 / 126000 - 1))
        assert proj.at(2025, "population_avg") == pytest.approx(125500.0)
        assert proj.at(2025, "gdp_per_capita") == pytest.approx(128e8 / 125500, rel=1e-12), name


def test_an_earlier_population_is_interpolated(tmp_path, scenarios, region):
    """12.70万 at the end of 2023 and 12.50万 at the end of 2025: 2024 is not observed; the average change,
    100 ((125,000 / 127,000)^(1/2) - 1) = -0.7905 %, shared by every scenario."""
    actuals = _actuals(tmp_path, region, "resident_population,2023,12.70,万人,not_applicable")
    change = 100 * ((125000 / 127000) ** 0.5 - 1)
    per_capita = set()
    for rb, proj in _rebased(scenarios, actuals, region).values():
        origin = rb.origins["population.base_year_growth_pct"]
        assert (origin.code, origin.old_period) == ("interpolated_change", "2023-2025")
        assert rb.data["population"]["base_year_growth_pct"] == pytest.approx(change)
        start = 125000 / (1 + change / 100)
        assert proj.at(2025, "gdp_per_capita") == pytest.approx(128e8 / ((start + 125000) / 2), rel=1e-12)
        per_capita.add(round(proj.at(2025, "gdp_per_capita"), 6))
    assert len(per_capita) == 1


def test_the_reason_says_where_the_change_comes_from(tmp_path, scenarios, region):
    actuals = _actuals(tmp_path, region, "resident_population,2024,12.60,万人,not_applicable")
    rb = rebase_scenario(scenarios[0], actuals, 2025, region, actuals_ref="actuals.csv")
    doc = rebase_document(rb, "en", file_name="actuals.csv", old_file="high.yaml")
    reason = doc["assumptions"]["population.base_year_growth_pct"]
    assert "xiqu.resident_population.2024" in reason["en"] and "Derived from actual figures" in reason["en"]
    assert "-0.79%" in reason["en"]
    assert "由实际数据推算" in reason["zh"] and "2024年和2025年" in reason["zh"]
    # the file reads back as a scenario whose inputs say the same
    assert scenario_from_dict(doc, source="re-based").population.base_year_growth_pct == pytest.approx(-0.79365, abs=1e-5)
