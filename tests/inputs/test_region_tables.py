"""A region's files checked without pandas (tables), and the frames made from them when first read."""
from __future__ import annotations

import dataclasses

import pandas as pd
from pandas.testing import assert_frame_equal

from xiqu_analysis.inputs.csvtable import Column, check_rows, read_csv_rows, read_csv_table, validate_table
from xiqu_analysis.inputs.figures import figures_from_frame, load_figures
from xiqu_analysis.inputs.indicators import load_indicators
from xiqu_analysis.inputs.projects import load_project_columns, load_project_parts, load_projects
from xiqu_analysis.inputs.regions import RegionData, load_region


def test_a_regions_frames_are_those_of_the_load_functions():
    region = load_region("xiqu")
    assert_frame_equal(region.figures, load_figures("xiqu"))
    assert_frame_equal(region.indicators, load_indicators())
    projects = load_projects("xiqu")
    assert_frame_equal(region.projects, projects)
    assert_frame_equal(region.project_parts, load_project_parts(projects, "xiqu"))
    assert_frame_equal(region.project_columns, load_project_columns(projects, "xiqu"))
    assert str(region.figures["year"].dtype) == "Int64" and region.figures.columns[-1] == "_line"
    assert region.figures is region.figures  # made once, shared


def test_records_come_from_the_table_or_from_a_frame_given():
    region = load_region("xiqu")
    assert [f.id for f in region.records()] == [f.id for f in figures_from_frame(load_figures("xiqu"))]
    assert region.records() == figures_from_frame(load_figures("xiqu"))
    fewer = dataclasses.replace(region, figures=region.figures.head(3))
    assert [f.id for f in fewer.records()] == region.figures["id"].head(3).tolist()
    assert region.has_figure(region.figures["id"].iloc[5]) and not fewer.has_figure(region.figures["id"].iloc[5])


def test_a_record_built_from_frames_alone_has_empty_parts_with_their_columns():
    region = load_region("xiqu")
    bare = RegionData(info=region.info, figures=region.figures, indicators=region.indicators,
                      projects=region.projects)
    assert bare.project_parts.empty and list(bare.project_parts.columns) == list(region.project_parts.columns)
    assert bare.project_columns.empty and "section_zh" in bare.project_columns.columns
    assert bare.records() == region.records()


def test_a_checked_table_converts_as_the_frame_validator_does(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,c,extra\n1,,yes, x \n,2.5,,\n", encoding="utf-8")
    spec = {"a": Column("int", nullable=True), "b": Column("float", nullable=True),
            "c": Column("bool", nullable=True), "d": Column(required=False, nullable=True)}
    table = check_rows(read_csv_rows(path), spec, path, allow_extra=True)
    frame = validate_table(read_csv_table(path), spec, path, allow_extra=True)
    assert_frame_equal(table.frame(), frame)
    assert [str(t) for t in frame.dtypes] == ["Int64", "float64", "bool", "object", "str", "int64"]
    rows = table.records()
    assert rows[0]["a"] == 1 and rows[1]["a"] is None and rows[1]["c"] is False and rows[1]["d"] == ""
    assert rows[0]["extra"] == " x " and [r._line for r in rows] == [2, 3]
    assert pd.isna(rows[0]["b"]) and rows[1]["b"] == 2.5
