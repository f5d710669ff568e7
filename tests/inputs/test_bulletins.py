"""inputs/bulletins.py: a bulletin (actuals) file read and validated row by row, one line naming the row, column
and problem; the data dictionary given; the template and the fixtures."""
from __future__ import annotations


import pytest

from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.bulletins import bulletin_series, load_bulletin
from tests.helpers import FIXTURES, ROOT
from tests.helpers.actuals import BULLETIN_HEADER, write_bulletin

FIXTURE = FIXTURES / "actuals_synthetic.csv"


GOOD_ROW = "xiqu,gdp,2021,90,亿元,current,src\n"


# Messages of the shared CSV validator (inputs/csvtable.py) where it now does the check: a missing column,
# a year that is not a whole number or out of range, a value that is not a number.
BAD_INPUTS = [
    ("region,indicator,year,value,unit,source\n" + "xiqu,gdp,2021,90,亿元,src\n", "column price_basis",
     "required column missing"),
    (BULLETIN_HEADER + "xiqu,gdp,20x1,90,亿元,current,src\n", "row 2, column year", "expected a whole number, got '20x1'"),
    (BULLETIN_HEADER + GOOD_ROW + "xiqu,gdp,2022,ninety,亿元,current,src\n", "row 3, column value",
     "expected a number, got 'ninety'"),
    (BULLETIN_HEADER + "xiqu,gdp,2021,90,billion,current,src\n", "row 2, column unit", "unknown unit"),
    (BULLETIN_HEADER + "xiqu,gdp,2021,90,亿元,real,src\n", "row 2, column price_basis", "'real'"),
    (BULLETIN_HEADER + "xiqu,gdp,2021,90,亿元,not_applicable,src\n", "row 2, column price_basis", "money amount"),
    (BULLETIN_HEADER + GOOD_ROW + "# a comment\n" + GOOD_ROW, "row 4, column year", "duplicate of row 2"),
    (BULLETIN_HEADER + "xiqu,gdp_gross,2021,90,亿元,current,src\n", "row 2, column indicator", "unknown indicator"),
    (BULLETIN_HEADER + "xiqu,gdp,2021,5.1,%,comparable,src\n", "row 2, column unit", "does not fit indicator"),
    (BULLETIN_HEADER + "xiqu,gdp,2021,-3,亿元,current,src\n", "row 2, column value", "must be positive"),
    (BULLETIN_HEADER + GOOD_ROW + "xiqu,gdp,2022,95,亿元,comparable,src\n", "row 3, column price_basis", "mixes"),
    (BULLETIN_HEADER + "xiqu,gdp,2021,90,亿元,current,\n", "row 2, column source", "empty"),
    (BULLETIN_HEADER + "xiqu,gdp,1800,90,亿元,current,src\n", "row 2, column year", "1800 is below the minimum 1949"),
    (BULLETIN_HEADER + "xiqu,gdp,2101,90,亿元,current,src\n", "row 2, column year", "2101 is above the maximum 2100"),
    (BULLETIN_HEADER + "xiqu,gdp_growth,2021,5,%,not_applicable,src\n", "row 2, column price_basis", "growth of a money"),
    (BULLETIN_HEADER, None, "no data rows"),
    ("", None, "empty file"),
]


@pytest.mark.parametrize("body, where, problem", BAD_INPUTS)
def test_load_bulletin_bad_input_one_line(tmp_path, body, where, problem):
    path = write_bulletin(tmp_path, body)
    with pytest.raises(InputError) as info:
        load_bulletin(path)
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith(str(path))
    assert problem in msg
    if where:
        assert f"field '{where}'" in msg


def test_load_bulletin_checks_against_the_dictionary_given(tmp_path, indicators):
    path = write_bulletin(tmp_path, BULLETIN_HEADER + GOOD_ROW)
    assert load_bulletin(path, indicators=indicators)["value"].tolist() == [90.0]
    without_gdp = indicators[indicators["indicator"] != "gdp"]
    with pytest.raises(InputError, match="unknown indicator 'gdp'") as info:
        load_bulletin(path, indicators=without_gdp)
    assert info.value.field == "row 2, column indicator"


def test_load_bulletin_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_bulletin(tmp_path / "nope.csv")


def test_template_loads_and_holds_only_plan_figures():
    df = load_bulletin(ROOT / "data" / "bulletins" / "TEMPLATE.csv")
    assert set(df["year"]) <= {2015, 2020}
    assert df["source"].str.startswith("plan ch.1 §3.2").all()
    gdp = df[(df["indicator"] == "gdp")]
    assert gdp["value"].tolist() == [82.91]


def test_fixture_loads_with_kinds_kept_apart():
    df = load_bulletin(FIXTURE)
    assert set(df.loc[df["unit"] == "%", "kind"]) == {"rate"}
    assert set(df.loc[df["unit"] == "亿元", "kind"]) == {"level"}
    s = bulletin_series(df, "gdp_growth")
    assert s.attrs["kind"] == "rate" and s.attrs["price_basis"] == "comparable"
    assert list(s.index) == [2021, 2022, 2023]


def test_bulletin_series_with_gap_is_an_error(tmp_path):
    path = write_bulletin(tmp_path, BULLETIN_HEADER + GOOD_ROW + "xiqu,gdp,2023,95,亿元,current,src\n")
    with pytest.raises(InputError, match="missing 2022"):
        bulletin_series(load_bulletin(path), "gdp")
