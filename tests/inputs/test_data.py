"""data/ tables and their loaders (xiqu_analysis.inputs): content with provenance, validation, records,
the region record loaded once, hashes."""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from xiqu_analysis import config
from xiqu_analysis.errors import InputError
from xiqu_analysis.fileio import hash_files
from xiqu_analysis.inputs.csvtable import Column, read_csv_table, validate_table
from xiqu_analysis.inputs.figures import figure, load_all_figures, load_figures
from xiqu_analysis.inputs.indicators import load_indicators
from xiqu_analysis.inputs.projects import load_projects
from xiqu_analysis.inputs.regions import RegionData, data_files, load_region, load_region_info
from xiqu_analysis.units import KNOWN_UNITS, convert
from tests.helpers import ROOT

DATA = ROOT / "data"


@pytest.fixture()
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ that XIQU_DATA_DIR points at."""
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    monkeypatch.setenv("XIQU_DATA_DIR", str(dst))
    return dst


def _rewrite(path: Path, edit) -> None:
    """Apply ``edit(rows)`` to a CSV's rows (header included) and write it back."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _set(path: Path, row_id: str, column: str, value: str) -> int:
    """Set one cell of the row with id ``row_id``; return its line number in the file."""
    found = {}

    def edit(rows):
        col = rows[0].index(column)
        for i, r in enumerate(rows):
            if r[0] == row_id:
                r[col] = value
                found["line"] = i + 1
    _rewrite(path, edit)
    return found["line"]


# --------------------------------------------------------------------------
# content
# --------------------------------------------------------------------------
def test_every_region_loads_and_ids_are_unique():
    all_figs = load_all_figures()
    assert set(all_figs["region"]) == {"xiqu", "panzhihua", "sichuan"}
    assert all_figs["id"].is_unique
    assert set(all_figs["unit"]) <= KNOWN_UNITS
    assert (all_figs["source"].str.len() > 0).all() and (all_figs["trust"].str.len() > 0).all()


def test_plan_baseline_figures():
    f = figure("xiqu.gdp.2020")
    assert (f.value, f.unit, f.price_basis, f.kind, f.trust) == (82.91, "亿元", "current", "actual", "primary")
    assert f.value_in("元") == 8.291e9
    assert "§3.2" in f.source and "§4.1" in f.source and "§2.1" in f.source
    expected = {
        "xiqu.gdp_growth.2016-2020": (4.9, "%", "comparable", "stated_average"),
        "xiqu.gdp_per_capita.2020": (65801, "元", "current", "actual"),
        "xiqu.general_budget_revenue.2020": (1.85, "亿元", "current", "actual"),
        "xiqu.general_budget_revenue_growth.2016-2020.change": (33, "%", "current", "stated_change"),
        "xiqu.general_budget_revenue_growth.2016-2020": (8.24, "%", "current", "stated_average"),
        "xiqu.urban_disposable_income.2015": (28905, "元", "current", "actual"),
        "xiqu.urban_disposable_income.2020": (41794, "元", "current", "actual"),
        "xiqu.urban_disposable_income_growth.2016-2020": (8.9, "%", "current", "stated_average"),
        "xiqu.registered_population.2020": (12.5, "万人", "not_applicable", "actual"),
        "xiqu.resident_population.2020": (13.7, "万人", "not_applicable", "actual"),
        "xiqu.area.2021": (123.96, "km2", "not_applicable", "actual"),
        "xiqu.resident_population.2010.census": (162557, "人", "not_applicable", "census"),
        "xiqu.resident_population.2020.census": (129406, "人", "not_applicable", "census"),
    }
    for fid, (value, unit, basis, kind) in expected.items():
        f = figure(fid)
        assert (f.value, f.unit, f.price_basis, f.kind) == (value, unit, basis, kind), fid
    assert figure("xiqu.resident_population.2020").value_in("人") == 137000
    assert figure("xiqu.registered_population.2020").value_in("persons") == 125000
    census = figure("xiqu.resident_population.2020.census")
    assert census.trust == "high" and "census_county_2020_v1.xlsx" in census.source


def test_growth_targets_are_floors_at_comparable_prices():
    figs = load_figures("xiqu").set_index("id")
    for fid, value in (("xiqu.industrial_va_growth.2021-2025", 7.5), ("xiqu.services_va_growth.2021-2025", 8.5),
                       ("xiqu.agriculture_va_growth.2021-2025", 3.5)):
        row = figs.loc[fid]
        assert (row.value, row.kind, row.price_basis, row.period) == (value, "target", "comparable", "2021-2025")
        assert "floor (不低于)" in row.note and row.source == "plan ch.2 §4.2"
    park = figs.loc["xiqu.rehab_park_output.2025"]
    assert park.value == 50 and park.unit == "亿元" and park.kind == "target"
    assert "not value added" in park.note and "no year" in park.note


def test_indicator_links_and_projection_mapping():
    ind = load_indicators().set_index("indicator")
    assert ind.loc["gdp_per_capita", "per_capita_of"] == "gdp"
    assert ind.loc["urban_disposable_income_growth", "level_of"] == "urban_disposable_income"
    assert ind.loc["general_budget_revenue_growth", "level_of"] == "general_budget_revenue"
    assert ind.loc["gdp_growth", "level_of"] == "gdp"
    assert ind.loc["industrial_va_growth", "projection_column"] == "secondary"
    assert ind.loc["industrial_va_growth", "mapping_note"] == (
        "industry ~ secondary sector; secondary also includes construction: an assumption")
    assert ind.loc["services_va_growth", "projection_column"] == "tertiary"
    assert ind.loc["agriculture_va_growth", "projection_column"] == "primary"
    assert ind.loc["resident_population", "population_like"] and ind.loc["registered_population", "population_like"]
    assert not ind.loc["gdp", "population_like"]
    # every indicator used by a figure is defined, and every growth indicator's level exists
    used = set(load_all_figures()["indicator"])
    assert used <= set(ind.index)


def test_panzhihua_benchmark_rows_and_revision_caution():
    pz = load_figures("panzhihua").set_index("id")
    assert pz.loc["panzhihua.gdp.2020", "value"] == 1040.82
    assert pz.loc["panzhihua.gdp.2020", "trust"] == "medium-high"
    assert pz.loc["panzhihua.resident_population.2020.census", "value"] == 1212203
    for fid in ("panzhihua.gdp.2015", "panzhihua.gdp.2018", "panzhihua.gdp.2019", "panzhihua.gdp.2020"):
        assert "revision" in pz.loc[fid, "note"] and "never splice" in pz.loc[fid, "note"], fid
    region = load_region_info("xiqu")
    assert (region.code, region.benchmark_region, region.base_year) == ("510403", "panzhihua", 2020)
    assert (region.plan_end_year, region.long_range_year) == (2025, 2035)
    assert load_region_info("panzhihua").code == "510400"


def test_every_plan_quote_is_verbatim_in_the_plan(plan_text):
    plan = plan_text
    figs = load_all_figures()
    plan_rows = figs[figs["source"].str.startswith("plan")]
    assert len(plan_rows) >= 20
    for row in plan_rows.itertuples():
        assert row.quote in plan, f"{row.id}: quote not in the plan: {row.quote}"
    projects = load_projects("xiqu")
    for row in projects.itertuples():
        assert row.quote in plan, f"{row.id}: quote not in the plan: {row.quote}"
    region = load_region("xiqu")
    for row in region.project_parts.itertuples():
        assert row.quote in plan, f"{row.id}: quote not in the plan: {row.quote}"
    for row in region.project_columns.itertuples():
        assert row.title in plan and row.section_title in plan, row.column


def test_a_project_quote_gives_the_investment_its_row_records():
    # the quote of a row with an investment holds that investment as the plan writes it (two road rows once
    # quoted their lengths instead)
    for row in load_projects("xiqu").itertuples():
        if pd.isna(row.total_investment):
            continue
        assert f"{row.total_investment:g}{row.investment_unit}" in row.quote, (row.id, row.quote)
    roads = load_projects("xiqu").set_index("id")
    assert roads.loc["zl12.xinzhuang_heshiba_road", "quote"] == "项目总投资约13.9亿元"
    assert roads.loc["zl12.riverside_expressway", "quote"] == "投资估算35.6亿元"
    assert "4.1千米" in roads.loc["zl12.xinzhuang_heshiba_road", "note"]


def test_projects_cover_every_column_and_count_duplicates_once():
    p = load_projects("xiqu")
    assert set(p["column"]) == {f"专栏{n}" for n in range(1, 15)}
    assert p["id"].is_unique
    flow = p[p["name"].str.contains("全钒液流")]
    assert sorted(flow["column"]) == ["专栏3", "专栏4"]
    assert (flow["duplicate_of"] != "").sum() == 1
    assert all("count it once" in n or "excluded from totals" in n for n in flow["note"])
    # hand sum (亿元): 18 + 1.5 + 50 + 5 + 13.9 + 35.6 + 39.87 = 163.87, plus 专栏9's 101560 万元,
    # the grape farm's 1600 万元 and 专栏13's 1300 + 2600 + 3000 + 2000 = 8900 万元
    # (economics/pipeline.py sums them for the report; the sum here checks the table's amounts and units)
    once = p[(p["duplicate_of"] == "") & p["total_investment"].notna()]
    total_yi = sum(convert(v, u, "亿元") for v, u in zip(once["total_investment"], once["investment_unit"]))
    total_wan = sum(convert(v, u, "万元") for v, u in zip(once["total_investment"], once["investment_unit"]))
    assert total_yi == pytest.approx(163.87 + 10.156 + 0.16 + 0.89)
    assert total_wan == pytest.approx(1750760)
    pipes = p.set_index("id").loc["zl03.titanium_pipes"]
    assert (pipes.total_investment, pipes.investment_unit, pipes.output_value, pipes.capacity_unit) == (1.5, "亿元", 4, "吨")


def test_figure_record_is_frozen_and_converts():
    f = figure("xiqu.registered_population.2020")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.value = 1  # type: ignore[misc]
    assert f.value_in("人") == 125000 and f.rounding == pytest.approx(0.05)
    assert figure("xiqu.gdp_growth.2016-2020").years == (2016, 2020)
    with pytest.raises(ValueError):
        f.value_in("元")
    with pytest.raises(InputError, match="close: xiqu.gdp.2020"):
        figure("xiqu.gdp.2002")


def test_file_hashes_are_sha256(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b"abc")
    key = str(p.resolve())  # keys are absolute, resolved paths
    assert hash_files([p]) == {key: hashlib.sha256(b"abc").hexdigest()}
    assert hash_files([p])[key] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    with pytest.raises(InputError):
        hash_files([tmp_path / "missing.csv"])
    files = data_files()
    assert DATA / "indicators.csv" in files and DATA / "regions" / "xiqu" / "figures.csv" in files
    assert DATA / "regions" / "xiqu" / "region.yaml" in files and files == sorted(files)
    assert all(f.is_absolute() and f.is_file() for f in files)


def test_loaders_read_the_file_again_after_an_edit(data_copy):
    path = data_copy / "regions" / "xiqu" / "figures.csv"
    assert figure("xiqu.area.2021").value == 123.96
    _set(path, "xiqu.area.2021", "value", "124.00")
    f = figure("xiqu.area.2021")
    assert f.value == 124.0 and f.decimals == 2


# --------------------------------------------------------------------------
# validation: one line naming file, row and column
# --------------------------------------------------------------------------
def _expect(path: Path, line: int, column: str, problem: str):
    with pytest.raises(InputError) as info:
        load_figures("xiqu")
    msg = str(info.value)
    assert msg.startswith(f"{path}: field 'row {line}, column {column}': "), msg
    assert problem in msg and "\n" not in msg
    return msg


@pytest.mark.parametrize(
    "fid, column, value, problem",
    [
        ("xiqu.gdp.2020", "unit", "亿圆", "unknown unit '亿圆'"),
        ("xiqu.gdp.2020", "year", "20x0", "expected a whole number"),
        ("xiqu.gdp.2020", "year", "3020", "above the maximum"),
        ("xiqu.gdp.2020", "kind", "actuall", "'actuall' is not allowed (did you mean 'actual'?)"),
        ("xiqu.gdp.2020", "indicator", "gdpp", "'gdpp' is not defined in data/indicators.csv"),
        ("xiqu.gdp.2020", "price_basis", "real", "'real' is not allowed"),
        ("xiqu.gdp.2020", "trust", "very high", "not allowed"),
        ("xiqu.gdp.2020", "value", "82,91", "expected a number"),
        ("xiqu.gdp.2020", "value", "", "empty cell"),
        ("xiqu.gdp.2020", "unit", "万人", "unit '万人' is not a yuan unit"),
        ("xiqu.gdp.2020", "region", "panzhihua", "in the file of region 'xiqu'"),
        ("xiqu.gdp.2020", "period", "2016-2020", "give exactly one of year and period (both are set)"),
        ("xiqu.gdp_growth.2016-2020", "period", "2016/2020", "period must be YYYY-YYYY"),
        ("xiqu.gdp_growth.2016-2020", "period", "2020-2016", "ends before it starts"),
        ("xiqu.gdp_growth.2016-2020", "id", "xiqu.gdp_growth.2016-2021", "should be 'xiqu.gdp_growth.2016-2020'"),
    ],
)
def test_bad_cell_names_file_row_and_column(data_copy, fid, column, value, problem):
    path = data_copy / "regions" / "xiqu" / "figures.csv"
    line = _set(path, fid, column, value)
    _expect(path, line, column, problem)


def test_duplicate_id(data_copy):
    path = data_copy / "regions" / "xiqu" / "figures.csv"

    def edit(rows):
        rows.append(list(rows[1]))
    _rewrite(path, edit)
    n_lines = len(path.read_text(encoding="utf-8").splitlines())
    _expect(path, n_lines, "id", "duplicate id 'xiqu.gdp.2020' (first on row 2)")


def test_missing_column(data_copy):
    path = data_copy / "regions" / "xiqu" / "figures.csv"

    def edit(rows):
        i = rows[0].index("trust")
        for r in rows:
            del r[i]
    _rewrite(path, edit)
    with pytest.raises(InputError) as info:
        load_figures("xiqu")
    msg = str(info.value)
    assert msg.startswith(f"{path}: field 'column trust': required column missing"), msg


def test_neither_year_nor_period(data_copy):
    path = data_copy / "regions" / "xiqu" / "figures.csv"
    line = _set(path, "xiqu.gdp.2020", "year", "")
    _expect(path, line, "year", "both are empty")


def test_row_with_too_many_cells(data_copy):
    path = data_copy / "regions" / "xiqu" / "figures.csv"

    def edit(rows):
        rows[3].append("stray")
    _rewrite(path, edit)
    with pytest.raises(InputError, match=r"field 'row 4': 14 cells but the header has 13 columns"):
        load_figures("xiqu")


def test_line_numbers_count_quoted_line_breaks(data_copy):
    path = data_copy / "regions" / "xiqu" / "figures.csv"
    _set(path, "xiqu.gdp.2020", "note", "two\nlines")
    line = _set(path, "xiqu.gdp_per_capita.2020", "unit", "yuan!")
    assert line == 4  # csv row 4 ...
    _expect(path, 5, "unit", "unknown unit 'yuan!'")  # ... starts on line 5 of the file


def test_unknown_indicator_reference_in_dictionary(data_copy):
    path = data_copy / "indicators.csv"

    def edit(rows):
        for i, r in enumerate(rows):
            if r[0] == "gdp_growth":
                r[rows[0].index("level_of")] = "gpd"
    _rewrite(path, edit)
    with pytest.raises(InputError, match=r"indicators.csv: field 'row \d+, column level_of': 'gpd' is not an indicator"):
        load_indicators()


def test_project_value_without_unit(data_copy):
    path = data_copy / "regions" / "xiqu" / "projects.csv"
    line = _set(path, "zl12.riverside_expressway", "investment_unit", "")
    with pytest.raises(InputError) as info:
        load_projects("xiqu")
    assert str(info.value).startswith(f"{path}: field 'row {line}, column investment_unit': total_investment 35.6 has no unit")


def test_bad_region_yaml(data_copy):
    path = data_copy / "regions" / "xiqu" / "region.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"510403"', '"5104"'), encoding="utf-8")
    with pytest.raises(InputError, match="field 'code': expected a 6-digit"):
        load_region_info("xiqu")


@pytest.mark.parametrize("old, new, field, problem", [
    ('"510403"', '"5104030"', "code", "expected a 6-digit administrative code"),  # a 7-digit code holds 6 digits
    ("key: xiqu", "key: Xi/qu", "key", "is not a region key"),  # 'qu' alone would be a key
    ("key: xiqu", "key: panzhihua", "key", "differs from the folder name"),
    ("plan_end_year: 2025", "plan_end_year: 2025.0", "plan_end_year", "must be a whole number"),
    ("long_range_year: 2035", "long_range_year: 3035", "long_range_year", "must be at most 2100"),
    ("base_year: 2020", "base_year: 2020\nbase_yaer: 2020", "base_yaer", "did you mean 'base_year'"),
])
def test_region_yaml_is_checked_whole(data_copy, old, new, field, problem):
    path = data_copy / "regions" / "xiqu" / "region.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_region_info("xiqu")
    msg = str(info.value)
    assert msg.startswith(f"{path}: field '{field}': ") and problem in msg and "\n" not in msg, msg
    with pytest.raises(InputError, match=f"field '{field}'"):
        load_region("xiqu")  # the whole record refuses it too


def test_unknown_region_lists_known_ones():
    with pytest.raises(InputError, match="known regions: panzhihua, sichuan, xiqu"):
        load_figures("renhe")
    with pytest.raises(InputError, match="unknown region 'renhe'; known regions: panzhihua, sichuan, xiqu"):
        load_region("renhe")


# --------------------------------------------------------------------------
# the region record: every file of a region loaded once
# --------------------------------------------------------------------------
def test_region_data_holds_the_region_and_its_benchmark():
    region = load_region("xiqu", DATA)
    assert isinstance(region, RegionData) and region.key == "xiqu" and region.data_dir == DATA
    assert region.info == load_region_info("xiqu")
    assert region.figures["id"].tolist() == load_figures("xiqu", DATA)["id"].tolist()
    assert region.indicators["indicator"].tolist() == load_indicators(DATA)["indicator"].tolist()
    assert len(region.projects) == len(load_projects("xiqu", DATA)) > 0
    bench = region.benchmark
    assert bench is not None and bench.key == "panzhihua" and bench.benchmark is None  # one level deep
    # .figure() finds ids of the region and of its benchmark, as the files give them
    assert region.figure("xiqu.gdp.2020") == figure("xiqu.gdp.2020")
    assert region.figure("panzhihua.gdp.2020") == figure("panzhihua.gdp.2020")
    assert region.figure("panzhihua.gdp.2020").value == 1040.82
    assert region.has_figure("xiqu.gdp.2020") and region.has_figure("panzhihua.gdp.2020")
    assert not region.has_figure("sichuan.gdp.2020") and not bench.has_figure("xiqu.gdp.2020")
    with pytest.raises(InputError, match=r"no figure with id 'xiqu.gdp.2002' \(close: xiqu.gdp.2020"):
        region.figure("xiqu.gdp.2002")
    with pytest.raises(InputError, match="no figure with id 'sichuan.gdp.2020'"):
        region.figure("sichuan.gdp.2020")  # the benchmark's own benchmark is not loaded
    assert [f.id for f in region.records()] == region.figures["id"].tolist()  # the region's own, in file order
    assert region.label("gdp_per_capita", "en") != region.label("gdp_per_capita", "zh")
    assert region.label("no_such_indicator", "zh") == "no_such_indicator"
    assert region.info.name("zh") == "攀枝花市西区"


def test_region_without_projects_has_an_empty_table():
    pz = load_region("panzhihua", DATA, benchmark=False)
    assert pz.benchmark is None and pz.projects.empty and "total_investment" in pz.projects.columns


def test_region_data_reads_the_data_folder_it_is_given(data_copy):
    _set(data_copy / "regions" / "panzhihua" / "figures.csv", "panzhihua.gdp.2020", "value", "1040.83")
    assert load_region("xiqu").figure("panzhihua.gdp.2020").value == 1040.83  # XIQU_DATA_DIR
    assert load_region("xiqu", DATA).figure("panzhihua.gdp.2020").value == 1040.82


def test_benchmark_region_must_exist(data_copy):
    path = data_copy / "regions" / "xiqu" / "region.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("benchmark_region: panzhihua", "benchmark_region: renhe"),
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_region("xiqu")
    assert str(info.value).startswith(f"{path}: field 'benchmark_region': no region 'renhe'")
    assert load_region("xiqu", benchmark=False).benchmark is None


def test_broken_benchmark_file_is_named(data_copy):
    path = data_copy / "regions" / "panzhihua" / "figures.csv"
    line = _set(path, "panzhihua.gdp.2020", "unit", "亿圆")
    with pytest.raises(InputError) as info:
        load_region("xiqu")
    assert str(info.value).startswith(f"{path}: field 'row {line}, column unit': unknown unit '亿圆'")


# --------------------------------------------------------------------------
# the CSV reader
# --------------------------------------------------------------------------
def test_read_csv_table_with_comments_keeps_file_line_numbers(tmp_path):
    path = tmp_path / "bulletin.csv"
    path.write_text(
        "# a bulletin series\n"          # line 1
        "\n"                             # line 2
        "year,value,note\n"              # line 3: the header
        "2019,1.5,\n"                    # line 4
        "  # a comment between rows\n"   # line 5
        "2020,2.5,\"two\nlines\"\n"   # lines 6-7
        "\n"                             # line 8
        "2021,x,\n",                     # line 9
        encoding="utf-8",
    )
    df = read_csv_table(path, comments=True)
    assert df["_line"].tolist() == [4, 6, 9]
    assert df["year"].tolist() == ["2019", "2020", "2021"] and df["note"].tolist() == ["", "two\nlines", ""]
    spec = {"year": Column("int"), "value": Column("float"), "note": Column(nullable=True)}
    with pytest.raises(InputError) as info:
        validate_table(df, spec, path)
    assert str(info.value) == f"{path}: field 'row 9, column value': expected a number, got 'x'"
    # without comments=True a '#' line is data: the first line is the (one-column) header
    with pytest.raises(InputError, match="field 'row 3': 3 cells but the header has 1 columns"):
        read_csv_table(path)


def test_a_quoted_cell_line_starting_with_hash_is_not_a_comment(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text(
        'year,note\n'                           # line 1
        '2019,"first\n# not a comment"\n'      # lines 2-3: the '#' line continues the quoted cell
        '# a comment, "with a quote\n'          # line 4: a comment; its quote opens nothing
        '2020,"say ""hi""\n#still the cell"\n'  # lines 5-6: escaped quotes keep the cell open
        '2021,5" pipe\n'                        # line 7: a quote inside an unquoted cell is text
        '# another comment\n'                   # line 8
        '2022,last\n',                          # line 9
        encoding="utf-8",
    )
    df = read_csv_table(path, comments=True)
    assert df["year"].tolist() == ["2019", "2020", "2021", "2022"]  # no row swallowed
    assert df["note"].tolist() == ["first\n# not a comment", 'say "hi"\n#still the cell', '5" pipe', "last"]
    assert df["_line"].tolist() == [2, 5, 7, 9]


def test_only_line_ends_end_a_row(tmp_path):
    """U+2028, NEL and form feed are text inside a cell (str.splitlines would break the row there)."""
    path = tmp_path / "odd.csv"
    path.write_text("year,note\n2020,a\u2028b\n2021,c\x85d\r\n2022,e\x0cf\n2023,g\n", encoding="utf-8")
    df = read_csv_table(path)
    assert df["year"].tolist() == ["2020", "2021", "2022", "2023"]
    assert df["note"].tolist() == ["a\u2028b", "c\x85d", "e\x0cf", "g"]
    assert df["_line"].tolist() == [2, 3, 4, 5]


def test_read_csv_table_refuses_what_is_not_a_table(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("# only a comment\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty file: expected a header row"):
        read_csv_table(empty, comments=True)
    dup = tmp_path / "dup.csv"
    dup.write_text("year,value,year\n2020,1,2020\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"field 'row 1': duplicate column name\(s\): year"):
        read_csv_table(dup)
    with pytest.raises(InputError, match="is a folder"):
        read_csv_table(tmp_path)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("地区,值\n西区,1\n".encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_csv_table(gbk)


def test_validate_table_for_user_tables(tmp_path):
    spec = {"year": Column("int"), "value": Column("float", minimum=0),
            "unit": Column(check=lambda u: None if u in KNOWN_UNITS else f"unknown unit {u!r}")}
    df = pd.DataFrame({"year": ["2020", "2021"], "value": ["1.5", "-2"], "unit": ["亿元", "亿元"]})
    with pytest.raises(InputError) as info:
        validate_table(df, spec, tmp_path / "bulletin.csv")
    assert str(info.value) == f"{tmp_path / 'bulletin.csv'}: field 'row 3, column value': -2 is below the minimum 0"
    ok = validate_table(df.assign(value=["1.5", "2"]), spec, "x.csv")
    assert ok["year"].tolist() == [2020, 2021] and ok["value"].tolist() == [1.5, 2.0]
    with pytest.raises(InputError, match="field 'column valeu': unknown column \\(did you mean 'value'\\?\\)"):
        validate_table(df.rename(columns={"value": "valeu"}).assign(value="1"), spec, "x.csv")


@pytest.mark.process
def test_cli_reports_a_broken_data_file_on_one_line(data_copy):
    path = data_copy / "regions" / "xiqu" / "figures.csv"
    line = _set(path, "xiqu.gdp.2020", "unit", "billion")
    env = {"XIQU_DATA_DIR": str(data_copy), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "xiqu_analysis", "audit"], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"xiqu: error: {path}: field 'row {line}, column unit'")
    assert proc.stdout == ""


def test_data_dir_comes_from_the_environment(data_copy):
    assert config.data_dir() == data_copy.resolve()
    assert load_figures().shape[0] == load_figures("xiqu", DATA).shape[0]


def test_growth_indicator_must_be_in_percent(data_copy):
    path = data_copy / "indicators.csv"
    found = {}

    def edit(rows):
        for i, r in enumerate(rows):
            if r[0] == "gdp_growth":
                r[rows[0].index("unit_family")] = "yuan"
                found["line"] = i + 1
    _rewrite(path, edit)
    with pytest.raises(InputError) as info:
        load_indicators()
    assert str(info.value).startswith(f"{path}: field 'row {found['line']}, column unit_family': 'gdp_growth' states")
