"""Numbers a reader questions: populations written as the bulletins write them (12.94万人), and a
base-year figure that differs from the plan's (per-capita GDP of 2020, 63341元 against 65801元) with
its reason, sourced, in the note of the table that shows it. Hand-computed answers; the report's own
files (CSV, workbook, artifacts.json) re-opened."""
from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from xiqu_analysis.economics.projection import project
from xiqu_analysis.inputs.scenario import load_scenario_with_region
from xiqu_analysis.reports.parameters import check_parameters, resolve
from xiqu_analysis.reports.sections import scenario_report
from xiqu_analysis.reports.tables.plan_tables import projection_table, yearly_shown
from xiqu_analysis.reports.tables.scenario import headline_table, per_capita_base_note, provenance_table
from tests.helpers import ROOT

PLAN = ROOT / "scenarios" / "plan_targets.yaml"
#: the 2020 census count, used as the year-end population, and the year-start back-cast at -2.25 %
CENSUS = 129406.0
AVERAGE = (CENSUS / (1 - 0.0225) + CENSUS) / 2  # 130,895.3 persons
#: the plan's 82.91 亿元 over its 65,801 元
IMPLIED = 82.91e8 / 65801  # 126,001.1 persons


@pytest.fixture(scope="module")
def plan():
    scenario, region = load_scenario_with_region(PLAN)
    return scenario, region, project(scenario)


@pytest.mark.parametrize("lang, unit, value", [("zh", "万人", CENSUS / 1e4), ("en", "thousand persons", CENSUS / 1e3)])
def test_population_levels_are_shown_in_the_readers_unit(plan, lang, unit, value):
    _, _, projection = plan
    head = headline_table(projection, lang, [2020, 2025, 2035])
    row = head[head.iloc[:, 0] == ("年末常住人口" if lang == "zh" else "Resident population, year-end")].iloc[0]
    assert row.iloc[1] == unit and row.iloc[3] == pytest.approx(value)
    shown = yearly_shown(projection, lang)
    scaled = [c for c in shown.columns if unit in c]
    assert len(scaled) == 1 and shown[scaled[0]].iloc[0] == pytest.approx(value)
    # the data table for machines keeps whole persons, the unit in its column name
    full = projection_table(projection, lang)
    persons = [c for c in full.columns if c.startswith(("年末常住人口", "Resident population, year-end"))]
    assert persons and ("（人）" in persons[0] or "(persons)" in persons[0]) and full[persons[0]].iloc[0] == CENSUS


def test_the_per_capita_difference_is_explained_in_the_tables_own_note(plan):
    scenario, region, projection = plan
    assert projection.table.set_index("year").at[2020, "population_avg"] == pytest.approx(AVERAGE)
    note = per_capita_base_note(projection, region, provenance_table(scenario, region, "zh"), "zh")
    assert "本表为63341元" in note and "规划公布为65801元（规划第一章第三节第二条）" in note
    assert f"{AVERAGE / 1e4:.2f}万人" == "13.09万人" and "平均常住人口13.09万人" in note
    assert "年末常住人口12.94万人（第七次全国人口普查" in note
    assert f"{IMPLIED / 1e4:.2f}万人" == "12.60万人" and note.endswith("除以12.60万人。")
    assert "82.91亿元（规划第一章" in note and "“" not in note  # citations without their quotes
    en = per_capita_base_note(projection, region, provenance_table(scenario, region, "en"), "en")
    assert "63,341 yuan in this table, 65,801 yuan in the plan (plan ch.1 §3.2)" in en
    assert "130.9 thousand persons" in en and en.endswith("divided by 126.0 thousand persons.")


def test_no_note_when_the_base_year_agrees_with_the_plan(plan):
    """Control: with a GDP that gives the plan's 65,801 元 over the same population, nothing to explain."""
    scenario, region, _ = plan
    same = scenario.with_changes(gdp_base=65801 * AVERAGE / 1e8)
    projection = project(same)
    assert round(projection.table.set_index("year").at[2020, "gdp_per_capita"]) == 65801
    assert per_capita_base_note(projection, region, provenance_table(same, region, "zh"), "zh") == ""


def test_the_report_shows_the_note_and_the_workbook_the_population_in_wan(tmp_path):
    run = scenario_report.open_run(resolve(check_parameters("scenario_report", language="zh", output_dir=str(tmp_path),
                                                            scenario_path="plan_targets", n_paths=100)))
    scenario_report.section_headline(run)
    run.finish()
    caption = json.loads((tmp_path / "artifacts.json").read_text("utf-8"))["captions"]["tables/headline.csv"]
    assert caption.startswith("主要指标（2020、2025、2035年）。") and "差别在于分母" in caption
    csv = pd.read_csv(tmp_path / "tables" / "headline.csv").set_index("指标")
    assert csv.at["年末常住人口", "单位"] == "万人" and csv.at["年末常住人口", "2020年"] == pytest.approx(12.9406)
    book = openpyxl.load_workbook(tmp_path / "tables.xlsx")
    sheet = next(ws for ws in book.worksheets if ws["A1"].value == "指标")
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "年末常住人口")
    assert row[1].value == "万人" and row[3].value == pytest.approx(12.9406) and row[3].number_format.endswith("0.00")
