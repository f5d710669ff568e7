"""A region is files, not code: an invented county renders every report without a word about Xiqu.

The fixture ``tests/fixtures/fictional/`` holds an invented county (Ostland,
东地县) with its own ``region.yaml`` (base year 2018, plan end 2023, long-range
year 2030), figures, an invented benchmark city and two scenarios. With the
data dictionary copied beside them, the scenario report, the comparison and
the data audit are rendered in English and Chinese (in this process, the
report sections the notebooks call), and the test then reads every written
word: the region's own names appear, Xiqu's and Panzhihua's never, and no
year of the Xiqu plan (2020, 2025, 2035) is printed where the reports choose
years themselves. The same county through ``xiqu run`` with real kernels:
tests/end_to_end/test_fictional_region_run.py.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from xiqu_analysis.inputs.regions import load_region
from xiqu_analysis.inputs.scenario import load_scenario_with_region
from xiqu_analysis.economics.targets import analyse_targets
from xiqu_analysis.reports.sections import comparison, data_audit, scenario_report
from xiqu_analysis.reports.parameters import check_parameters, resolve
from tests.helpers.fictional import FOREIGN


def _words(folder: Path) -> str:
    """Every word a reader of the report sees: its text, captions and table headers and labels."""
    text = (folder / "text.md").read_text(encoding="utf-8")
    artifacts = json.loads((folder / "artifacts.json").read_text(encoding="utf-8"))
    assert artifacts["complete"] is True
    captions = "\n".join(artifacts["captions"].values())
    tables = "\n".join(p.read_text(encoding="utf-8") for p in sorted((folder / "tables").glob("*.csv")))
    return text + "\n" + captions + "\n" + tables


def _render_scenario_report(out: Path, lang: str) -> str:
    params = resolve(check_parameters("scenario_report", scenario_path="ostland_steady", n_paths=200, seed=1,
                                      language=lang, output_dir=str(out)))
    run = scenario_report.open_run(params)
    for section in (scenario_report.section_intro, scenario_report.section_headline, scenario_report.section_gdp,
                    scenario_report.section_structure, scenario_report.section_per_capita,
                    scenario_report.section_income_revenue, scenario_report.section_targets,
                    scenario_report.section_uncertainty, scenario_report.section_sensitivity,
                    scenario_report.section_inputs):
        section(run)
    run.finish()
    return _words(out)


def test_the_region_is_read_from_its_files(fictional):
    region = load_region("ostland")
    assert (region.info.base_year, region.info.plan_end_year, region.info.long_range_year) == (2018, 2023, 2030)
    assert region.benchmark is not None and region.benchmark.info.name_zh == "西地市"
    scenario, same = load_scenario_with_region(fictional / "scenarios" / "ostland_fast.yaml")
    assert scenario.region == "ostland" and same.key == "ostland"
    analysis = analyse_targets(scenario, same)
    assert analysis.doubling.by_year == 2030  # the region's long-range year, not 2035
    assert set(analysis.gaps["id"]) == {"ostland.industrial_va_growth.2019-2023",
                                        "ostland.services_va_growth.2019-2023",
                                        "ostland.agriculture_va_growth.2019-2023"}
    # the fast scenario grows at 8 / 9 / 4 % over 2019-2023: every invented floor (6 / 7 / 3 %) is met
    assert analysis.gaps["met"].all()


@pytest.mark.parametrize("lang, name, benchmark", [("en", "Ostland county", "Westland city"), ("zh", "东地县", "西地市")])
def test_scenario_report_speaks_of_the_region_only(fictional, lang, name, benchmark):
    words = _render_scenario_report(fictional / f"report-{lang}", lang)
    assert name in words and benchmark in words
    for foreign in FOREIGN:
        assert foreign not in words, foreign
    # headline years are the region's: base 2018, plan end 2023, long range 2030
    folder = fictional / f"report-{lang}"
    text = (folder / "text.md").read_text(encoding="utf-8")
    assert "2018" in text and "2023" in text and "2030" in text
    for year in ("2020", "2025", "2035"):
        assert year not in text, year
    headline = pd.read_csv(folder / "tables" / "headline.csv")
    assert [c.removesuffix("年") for c in headline.columns if c.removesuffix("年").isdigit()] == ["2018", "2023", "2030"]
    sensitivity = pd.read_csv(folder / "tables" / "sensitivity.csv")
    assert sorted(set(sensitivity[{"en": "Year", "zh": "年份"}[lang]])) == [2023, 2030]
    probabilities = pd.read_csv(folder / "tables" / "probabilities.csv")
    assert any("2030" in str(label) for label in probabilities.iloc[:, 0])  # the doubling benchmark's year


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_comparison_and_audit_speak_of_the_region_only(fictional, lang):
    out = fictional / f"comparison-{lang}"
    run = comparison.open_run(resolve(check_parameters("scenario_comparison", language=lang, output_dir=str(out))))
    assert [c.scenario.name for c in run.compared] == ["ostland_fast", "ostland_steady"]
    comparison.section_comparison(run)
    comparison.section_comparison_charts(run)
    comparison.section_comparison_gaps(run)
    run.finish()
    audit_out = fictional / f"audit-{lang}"
    audit = data_audit.open_run(resolve(check_parameters("data_audit", region="ostland", language=lang,
                                                         output_dir=str(audit_out))))
    data_audit.section_audit(audit)
    audit.finish()
    words = _words(out) + _words(audit_out)
    assert ("东地县" if lang == "zh" else "Ostland county") in words
    for foreign in FOREIGN:
        assert foreign not in words, foreign
    # the invented real rate of 5.0 % a year against the invented current-price levels
    # (50 / 40) ** (1/5) - 1 = 4.56 % a year: current-price levels cannot test a real rate
    table = audit.audit
    row = table[(table["check"] == "growth_from_levels") & (table["figure_id"] == "ostland.gdp_growth.2014-2018")]
    assert list(row["verdict"]) == ["not_comparable"]
    assert row["recomputed"].iloc[0] == pytest.approx(((50 / 40) ** 0.2 - 1) * 100)
