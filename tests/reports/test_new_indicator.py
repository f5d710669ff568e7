"""An indicator is data: 社会消费品零售总额 added with data and locale files only, and a tracked indicator.

A newcomer adds total retail sales of consumer goods (社会消费品零售总额, the
registry rule ``own_growth``: a level growing at its own nominal rate) to an
invented county: two rows of ``indicators.csv`` (the level and its growth),
the county's base-year figure and plan target, and the scenario's inputs. No
Python changes. The test first shows the indicator is unknown without the
rows, then that with them it appears, in English and Chinese, in ``xiqu
project``, the scenario report's headline table, 主要指标表 and year-by-year
table, the report's workbook, the explorer's controls and the annual review;
and that a ``tracked`` indicator (城镇化率: read, targeted, reviewed, not
projected) appears in the review with its target.

Hand-computed: 20 亿元 in 2018 growing 7 % a year is 20 x 1.07^5 =
28.0510346 亿元 in 2023 (the target of 28 亿元 is met) and 20 x 1.07^12 =
45.0437... in 2030. Actual retail sales of 21.5 亿元 in 2019 against the
projected 21.4 is an error of +0.1 亿元.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import openpyxl
import pytest

from xiqu_analysis.cli import main
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.scenario import load_scenario_with_region
from xiqu_analysis.reports.sections import annual_review, scenario_report
from xiqu_analysis.reports.explorer.controls import field_label
from xiqu_analysis.reports.explorer.schema import control_specs
from xiqu_analysis.reports.parameters import check_parameters, resolve

from tests.helpers import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "fictional"
RETAIL_2023 = 20.0 * 1.07**5  # 28.0510346... 亿元
RETAIL_2030 = 20.0 * 1.07**12

#: the two registry rows a newcomer writes (columns by name; the others empty)
REGISTRY_ROWS = [
    dict(indicator="retail_sales", label_en="total retail sales of consumer goods", label_zh="社会消费品零售总额",
         unit_family="yuan", population_like="false", projection_column="retail_sales",
         mapping_note="current prices (nominal)", unit="亿元", price_basis="current", higher_is_better="true",
         rule="own_growth", short_en="retail sales", short_zh="社零总额", synonyms="社会消费品零售总额|社零"),
    dict(indicator="retail_sales_growth", label_en="retail sales growth", label_zh="社会消费品零售总额增速",
         unit_family="percent", level_of="retail_sales", population_like="false", projection_column="retail_sales",
         mapping_note="nominal growth", unit="%", price_basis="current", higher_is_better="true"),
]
FIGURES = """\
ostland.retail_sales.2018,retail_sales,ostland,2018,,20.0,亿元,current,actual,invented plan ch.1,-,low,invented for tests
ostland.retail_sales.2023,retail_sales,ostland,2023,,28.0,亿元,current,target,invented plan ch.2,-,low,invented for tests
ostland.urbanisation_rate.2023,urbanisation_rate,ostland,2023,,70.0,%,not_applicable,target,invented plan ch.2,-,low,invented for tests
"""
SCENARIO_INPUTS = """
indicators:
  retail_sales: {base: 20.0, growth_pct: 7.0}
"""
ACTUALS = """\
region,indicator,year,value,unit,price_basis,source
ostland,gdp,2019,54.0,亿元,current,INVENTED test value
ostland,gdp,2020,58.0,亿元,current,INVENTED test value
ostland,gdp_growth,2019,6.0,%,comparable,INVENTED test value
ostland,gdp_growth,2020,5.5,%,comparable,INVENTED test value
ostland,gdp,2021,62.0,亿元,current,INVENTED test value
ostland,gdp_growth,2021,5.0,%,comparable,INVENTED test value
ostland,retail_sales,2019,21.5,亿元,current,INVENTED test value
ostland,retail_sales,2020,22.9,亿元,current,INVENTED test value
ostland,retail_sales,2021,24.3,亿元,current,INVENTED test value
ostland,urbanisation_rate,2021,66.5,%,not_applicable,INVENTED test value
"""


def _shipped_registry_without_retail() -> tuple[list[str], list[dict]]:
    with open(ROOT / "data" / "indicators.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = [r for r in reader if not r["indicator"].startswith("retail_sales")]
        return list(reader.fieldnames or []), rows


def _write_registry(path: Path, header: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


@pytest.fixture
def county(tmp_path, monkeypatch):
    """The invented county with a registry that lacks retail sales, its figures and a scenario giving them."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE / "data", data)
    header, rows = _shipped_registry_without_retail()
    _write_registry(data / "indicators.csv", header, rows)
    figures = data / "regions" / "ostland" / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8") + FIGURES, encoding="utf-8")
    scenarios = tmp_path / "scenarios"
    shutil.copytree(FIXTURE / "scenarios", scenarios)
    steady = scenarios / "ostland_steady.yaml"
    text = steady.read_text(encoding="utf-8").replace(
        "sources:\n", "sources:\n  indicators.retail_sales.base: ostland.retail_sales.2018\n")
    steady.write_text(text + SCENARIO_INPUTS, encoding="utf-8")
    (tmp_path / "actuals.csv").write_text(ACTUALS, encoding="utf-8")
    monkeypatch.setenv("XIQU_DATA_DIR", str(data))
    monkeypatch.setenv("XIQU_SCENARIO_DIR", str(scenarios))
    monkeypatch.setenv("XIQU_OUTPUT_DIR", str(tmp_path / "outputs"))
    return tmp_path


def _add_retail_rows(county: Path) -> None:
    """What the newcomer does: append the registry rows (data only)."""
    header, rows = _shipped_registry_without_retail()
    _write_registry(county / "data" / "indicators.csv", header, rows + REGISTRY_ROWS)


def _project(args: list[str]) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["project", *args]) == 0
    return out.getvalue()


def _report_words(folder: Path) -> tuple[str, dict[str, str]]:
    artifacts = json.loads((folder / "artifacts.json").read_text(encoding="utf-8"))
    assert artifacts["complete"] is True
    tables = {p.name: p.read_text(encoding="utf-8") for p in sorted((folder / "tables").glob("*.csv"))}
    return (folder / "text.md").read_text(encoding="utf-8"), tables


def _workbook_text(path: Path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
                     if c is not None)


def test_without_its_registry_rows_the_indicator_is_refused(county):
    with pytest.raises(InputError) as err:
        load_scenario_with_region(county / "scenarios" / "ostland_steady.yaml")
    assert err.value.field == "indicators.retail_sales"
    assert "not an indicator of the registry" in str(err.value)


def test_xiqu_project_shows_the_new_indicator(county):
    _add_retail_rows(county)
    path = str(county / "scenarios" / "ostland_steady.yaml")
    table = _project([path])
    assert "retail_sales* [亿元]" in table  # sourced base, assumed growth: marked * in the header
    rows = list(csv.DictReader(io.StringIO(_project([path, "--format", "csv"]))))
    by_year = {int(r["year"]): float(r["retail_sales"]) for r in rows}
    assert by_year[2018] == 20.0
    assert by_year[2023] == pytest.approx(RETAIL_2023, rel=1e-6)
    assert by_year[2030] == pytest.approx(RETAIL_2030, rel=1e-6)


@pytest.mark.parametrize("lang, name, target, met", [
    ("zh", "社会消费品零售总额", "不低于28亿元", "达到"),
    ("en", "Total retail sales of consumer goods", "at least 28 亿元", "met"),
])
def test_the_scenario_report_shows_it_in_every_table_and_the_workbook(county, lang, name, target, met):
    _add_retail_rows(county)
    out = county / "outputs" / f"report-{lang}"
    params = resolve(check_parameters("scenario_report", scenario_path="ostland_steady", n_paths=100, seed=1,
                                      language=lang, output_dir=str(out)))
    run = scenario_report.open_run(params)
    for section in (scenario_report.section_headline, scenario_report.section_main_indicators,
                    scenario_report.section_targets, scenario_report.section_yearly):
        section(run)
    run.finish()
    _, tables = _report_words(out)
    headline = next(v for k, v in tables.items() if "headline" in k)
    assert name in headline and "20" in headline
    main_table = next(v for k, v in tables.items() if "main_indicators" in k)
    rows = [r for r in csv.DictReader(io.StringIO(main_table)) if name.lower() in next(iter(r.values())).lower()]
    assert any(target in ",".join(r.values()) and met in r.values() for r in rows), main_table
    yearly = next(v for k, v in tables.items() if k == "projection.csv")
    header = yearly.splitlines()[0]
    assert name in header
    assert f"{RETAIL_2023:.4f}"[:6] in yearly  # 28.051... in the 2023 row
    assert name in _workbook_text(out / "tables.xlsx")


@pytest.mark.parametrize("lang, label", [("zh", "社会消费品零售总额（基年，现价）"),
                                         ("en", "total retail sales of consumer goods, base year (current prices)")])
def test_the_explorer_has_its_controls(county, lang, label):
    _add_retail_rows(county)
    scenario, _ = load_scenario_with_region(county / "scenarios" / "ostland_steady.yaml")
    specs = {s.path: s for s in control_specs(scenario)}
    assert specs["indicators.retail_sales.base"].value == 20.0
    assert specs["indicators.retail_sales.base"].unit == "亿元"
    assert specs["indicators.retail_sales.growth_pct"].unit == "%"
    assert field_label(specs["indicators.retail_sales.base"], lang) == label
    assert not any(p.startswith("indicator_rules") for p in specs)  # rules are read, not edited


@pytest.mark.parametrize("lang, retail, urban", [("zh", "社会消费品零售总额", "城镇化率"),
                                                 ("en", "total retail sales of consumer goods", "urbanisation rate")])
def test_the_annual_review_scores_it_and_reviews_the_tracked_target(county, lang, retail, urban):
    _add_retail_rows(county)
    out = county / "outputs" / f"review-{lang}"
    params = resolve(check_parameters("annual_review", review_year=2021, region="ostland", language=lang,
                                      actuals_path=str(county / "actuals.csv"),
                                      scenario_paths=[str(county / "scenarios" / "ostland_steady.yaml")],
                                      output_dir=str(out)))
    run = annual_review.open_run(params)
    scores = run.review.scenario_scores
    retail_rows = scores[scores["indicator"] == "retail_sales"].set_index("year")
    assert retail_rows.loc[2019, "actual"] == 21.5
    assert retail_rows.loc[2019, "projected"] == pytest.approx(21.4)
    assert retail_rows.loc[2019, "error"] == pytest.approx(0.1)
    assert set(retail_rows["band"]) == {"n/a"}  # its own rate is not shocked: no fan to place it in
    card = run.review.scorecard.set_index("indicator")
    assert card.loc["urbanisation_rate", "target"] == 70.0  # tracked: targeted and reviewed, never projected
    assert card.loc["urbanisation_rate", "status"] == "no_actual"  # its 2023 target year is not yet reported
    assert card.loc["retail_sales", "target"] == 28.0
    for section in (annual_review.section_scorecard, annual_review.section_scores):
        section(run)
    run.finish()
    _, tables = _report_words(out)
    words = "\n".join(tables.values()).lower()
    assert retail.lower() in words and urban.lower() in words
