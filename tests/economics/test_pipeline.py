"""The plan's project pipeline (economics/pipeline.py, reports/sections/project_pipeline.py) and the project files behind it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from xiqu_analysis.economics.pipeline import GROUP_COLUMNS, project_pipeline
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.regions import load_region
from xiqu_analysis.reports.sections import data_audit
from xiqu_analysis.reports.sections.project_pipeline import NAMED_GROUP_COLUMNS, named_groups
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def pipe(region):
    return project_pipeline(region)


def test_total_counted_once_against_gdp_by_hand(pipe):
    # 亿元: 18 (flow battery, once) + 1.5 + 50 + 5 + 13.9 + 35.6 + 39.87 = 163.87; 万元: 专栏9 101,560, the grape
    # farm 1,600 and 专栏13 1,300 + 2,600 + 3,000 + 2,000 = 8,900: 112,060 万元 = 11.206 亿元. 175.076 亿元 in all
    assert pipe.total_yi == pytest.approx(175.076, abs=1e-9)
    assert pipe.n_projects == 65 and pipe.n_counted == 26
    assert int(pipe.projects["stated"].sum()) == 27  # the flow-battery park is stated twice (专栏3 and 专栏4)
    assert pipe.repeats["id"].tolist() == ["zl04.vanadium_flow_battery"]
    assert (pipe.gdp_yi, pipe.gdp_year, pipe.gdp_figure_id) == (82.91, 2020, "xiqu.gdp.2020")
    assert pipe.ratio_to_gdp == pytest.approx(175.076 / 82.91)  # 2.11 times 2020 GDP
    assert len(pipe.unstated) == 65 - 27


def test_groups_add_up_to_the_total(pipe):
    for groups in (pipe.by_column, pipe.by_theme):
        assert list(groups.columns) == GROUP_COLUMNS
        assert groups["investment_yi"].sum() == pytest.approx(pipe.total_yi)
        assert groups["share_pct"].sum() == pytest.approx(100.0)
        assert groups["projects"].sum() == 65
    col = pipe.by_column.set_index("group")
    assert list(col.index) == [f"专栏{n}" for n in range(1, 15)]  # the plan's order, not text order
    assert col.loc["专栏4", "investment_yi"] == 0.0 and col.loc["专栏4", "projects"] == 2  # its repeat is not counted
    assert col.loc["专栏3", "investment_yi"] == pytest.approx(19.5)
    assert col.loc["专栏12", "to_gdp_pct"] == pytest.approx(49.5 / 82.91 * 100)
    # the themes are the plan's own ch.3 sections: 专栏1-4 in §1, 5-8 in §2, ...
    theme = pipe.by_theme.set_index("group")
    assert list(theme.index) == ["ch.3 §1", "ch.3 §2", "ch.3 §3", "ch.3 §4", "ch.3 §6", "ch.3 §7", "ch.3 §8"]
    assert theme.loc["ch.3 §1", "investment_yi"] == pytest.approx(19.5)


def test_the_report_names_the_groups_from_the_region_files(pipe, region):
    """Economics returns the groups' codes; the report names them from project_columns.csv."""
    theme = named_groups(pipe.by_theme, pipe, region, by="theme")
    assert list(theme.columns) == NAMED_GROUP_COLUMNS
    theme = theme.set_index("group")
    assert theme.loc["ch.3 §2", "group_zh"] == "第三章第二节" and "康养" in theme.loc["ch.3 §2", "title"]
    column = named_groups(pipe.by_column, pipe, region, by="column").set_index("group")
    assert (column.index == column["group_zh"]).all() and column.loc["专栏2", "title"] == "钒钛终端产品生产基地"


def test_a_region_without_projects_has_an_empty_pipeline(tmp_path, monkeypatch):
    region = load_region("panzhihua")
    pipe = project_pipeline(region)
    assert pipe.n_projects == 0 and pipe.total_yi == 0.0 and pipe.by_column.empty


@pytest.mark.parametrize("lang, words", [("en", ["175.08 亿元", "2.11 times", "counted once", "not value added"]),
                                         ("zh", ["175.08亿元", "2.11倍", "只计一次", "投资不等于增加值"])])
def test_the_section_in_both_languages(tmp_path, lang, words):
    run = data_audit.start(dict(region="xiqu", output_dir=str(tmp_path), language=lang))
    data_audit.section_projects(run)
    run.finish()
    text = (tmp_path / "text.md").read_text(encoding="utf-8")
    for w in words:
        assert w in text, w
    by_column = pd.read_csv(tmp_path / "tables" / "pipeline_by_column.csv")
    assert by_column["investment_yi"].sum() == pytest.approx(175.076)
    unstated = pd.read_csv(tmp_path / "tables" / "pipeline_unstated.csv")
    assert len(unstated) == 38 and unstated["investment_yi"].isna().all()


# --------------------------------------------------------------------------- project_parts.csv, project_columns.csv
def _copy(tmp_path) -> Path:
    dst = tmp_path / "data"
    shutil.copytree(ROOT / "data", dst)
    return dst


def test_a_part_of_an_unknown_project_is_refused(tmp_path):
    data = _copy(tmp_path)
    parts = data / "regions" / "xiqu" / "project_parts.csv"
    parts.write_text(parts.read_text(encoding="utf-8").replace(
        "zl13.subsidence_treatment.ecology,zl13.subsidence_treatment,", "zl13.subsidence_treatment.ecology,zl13.nope,"),
        encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_region("xiqu", data)
    assert "project_parts.csv" in str(info.value.source) and "column project" in info.value.field
    assert "zl13.nope" in info.value.problem


def test_a_part_in_a_measure_the_project_does_not_state_is_refused(tmp_path):
    data = _copy(tmp_path)
    parts = data / "regions" / "xiqu" / "project_parts.csv"
    text = parts.read_text(encoding="utf-8")
    parts.write_text(text.replace("观花区,,,300,亩,,,", "观花区,5,亿元,300,亩,,,"), encoding="utf-8")
    with pytest.raises(InputError, match="states no total_investment"):
        load_region("xiqu", data)


def test_every_column_of_the_projects_needs_its_title(tmp_path):
    data = _copy(tmp_path)
    cols = data / "regions" / "xiqu" / "project_columns.csv"
    cols.write_text("\n".join(line for line in cols.read_text(encoding="utf-8").splitlines()
                              if not line.startswith("专栏9,")) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="专栏9 of projects.csv not listed"):
        load_region("xiqu", data)
