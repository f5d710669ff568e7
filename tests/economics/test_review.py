"""economics.review, reports.annual_review and notebooks/annual_review on synthetic actuals
(tests/fixtures, labelled SYNTHETIC).

Expected numbers are computed by hand from the fixture and the plan floors
(plan ch.2 §4.2: industry 7.5 %, services 8.5 %, agriculture 3.5 % a year).
"""
from __future__ import annotations

import json
import math
import re
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from xiqu_analysis.economics import review
from xiqu_analysis.economics.projection import project
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.bulletins import load_bulletin
from xiqu_analysis.inputs.regions import load_region
from xiqu_analysis.inputs.scenario import UNCERTAINTY_DEFAULTS, load_scenario_with_region
from xiqu_analysis.reports import annual_review as report
from xiqu_analysis.reports import text as T
from xiqu_analysis.reports.parameters import (
    AnnualReviewParameters,
    Resolved,
    check_parameters,
    default_actuals_path,
    resolve,
)
from tests.helpers import FIXTURES, ROOT

FIXTURE = FIXTURES / "actuals_synthetic.csv"
PLAN = ROOT / "scenarios" / "plan_targets.yaml"


def _actuals(region, path=FIXTURE):
    return load_bulletin(path, indicators=region.indicators)


@pytest.fixture(scope="module")
def synthetic(region, plan):
    return review.annual_review(2025, _actuals(region), [plan], region, n_paths=300)


@pytest.fixture(scope="module")
def empty(region, plan):
    return review.annual_review(2025, None, [plan], region, n_paths=300)


def _open(tmp_path, review_year=2025, actuals=None, scenarios=(PLAN,), language="en") -> report.ReviewRun:
    """A review run as the notebook opens it (files already resolved), writing into ``tmp_path``."""
    params = AnnualReviewParameters(review_year=review_year, language=language)
    resolved = Resolved(params, Path(tmp_path), language, tuple(Path(p) for p in scenarios),
                        Path(actuals) if actuals else None)
    return report.open_run(resolved)


# --------------------------------------------------------------------------- no actuals
def test_no_actuals_says_so(empty, tmp_path):
    assert not empty.has_actuals and empty.latest_year is None and empty.base_year == 2020
    assert empty.scenario_scores.empty and empty.rebased.empty and empty.plan_comparison.empty
    # with nothing observed the growth required is the floor itself
    req = empty.required.set_index("column")
    assert req.loc["secondary", "required_pct"] == pytest.approx(7.5)
    assert req.loc["tertiary", "required_pct"] == pytest.approx(8.5)
    assert req.loc["primary", "required_pct"] == pytest.approx(3.5)
    assert (req["years_left"] == 5).all()
    assert (req["chained_indicator"] == "").all() and not req["period_over"].any() and (req["outcome"] == "").all()
    run = _open(tmp_path)
    assert run.review.latest_year is None
    summary = report.summary_text(run)
    assert summary.startswith("No actual figures after 2020 were supplied for the review of 2025")
    assert "No actuals file was given" in summary


def test_actuals_up_to_2020_only_count_as_none(tmp_path, region):
    path = tmp_path / "a.csv"
    path.write_text("region,indicator,year,value,unit,price_basis,source\nxiqu,gdp,2020,82.91,亿元,current,plan\n",
                    encoding="utf-8")
    r = review.annual_review(2025, _actuals(region, path), [], region, n_paths=100)
    assert r.latest_year is None and len(r.actuals) == 1
    run = _open(tmp_path / "out", actuals=path, scenarios=())
    assert report.summary_text(run).startswith("No actual figures after 2020")


# --------------------------------------------------------------------------- synthetic actuals
def test_calibration_with_short_actuals_shows_defaults(synthetic):
    cal = synthetic.calibration.set_index("field")
    assert cal["too_short"].all()
    assert cal.loc["ar1", "value"] == UNCERTAINTY_DEFAULTS["ar1"]
    assert cal.loc["sd_pct.secondary", "value"] == UNCERTAINTY_DEFAULTS["sd_pct"]["secondary"]


def test_latest_year(synthetic, tmp_path):
    assert synthetic.latest_year == 2023
    run = _open(tmp_path, actuals=FIXTURE)
    summary = report.summary_text(run)
    assert summary.startswith("Latest actual year: 2023 (review year 2025); 15 actual figures after 2020")  # 5 indicators x 2021-2023
    assert "Actuals read from actuals\\_synthetic.csv." in summary  # the file's name, escaped for Markdown


def test_plan_comparison_hand_computed(synthetic):
    pc = synthetic.plan_comparison.set_index(["indicator", "year"])
    row = pc.loc[("services_va_growth", 2022)]
    assert row["actual_index"] == pytest.approx(1.07 * 1.05)
    assert row["floor_index"] == pytest.approx(1.085**2)
    assert row["gap_pp"] == pytest.approx(5.0 - 8.5)
    assert row["index_gap_pct"] == pytest.approx(100 * (1.07 * 1.05 / 1.085**2 - 1))
    assert pc.loc[("industrial_va_growth", 2023), "actual_index"] == pytest.approx(1.09 * 1.03 * 1.06)


def test_required_growth_hand_computed(synthetic):
    req = synthetic.required.set_index("column")
    expected = ((1.075**5 / (1.09 * 1.03 * 1.06)) ** 0.5 - 1) * 100  # 9.8339 % a year in 2024-2025
    assert req.loc["secondary", "required_pct"] == pytest.approx(expected)
    assert req.loc["secondary", "required_pct"] == pytest.approx(9.8339, abs=1e-4)
    assert req.loc["secondary", "years_left"] == 2
    assert req.loc["secondary", "achieved_avg_pct"] == pytest.approx(((1.09 * 1.03 * 1.06) ** (1 / 3) - 1) * 100)
    assert req.loc["primary", "required_pct"] == pytest.approx(((1.035**5 / (1.04 * 1.03 * 1.02)) ** 0.5 - 1) * 100)
    # codes, not words: the report writes the note
    assert req.loc["secondary", "chained_indicator"] == "industrial_va_growth"
    assert req.loc["secondary", "from_year"] == 2023 and req.loc["secondary", "period"] == "2021-2025"
    assert not req["period_over"].any() and (req["outcome"] == "").all()
    assert "note" not in synthetic.required.columns


def test_rebased_projection_hand_computed(synthetic, plan):
    proj = project(plan).column("gdp_nominal")
    rb = synthetic.rebased[(synthetic.rebased["scenario"] == "plan_targets")
                           & (synthetic.rebased["column"] == "gdp_nominal")].set_index("year")
    assert rb.index.min() == 2023 and rb.index.max() == 2035
    assert rb.loc[2023, "rebased"] == pytest.approx(100.0)  # the latest synthetic actual, 亿元
    assert rb.loc[2025, "rebased"] == pytest.approx(100.0 * proj.loc[2025] / proj.loc[2023])
    # same growth path as the projection from 2023 on
    growth_rb = rb["rebased"].pct_change().dropna()
    growth_pr = rb["projected"].pct_change().dropna()
    pd.testing.assert_series_equal(growth_rb, growth_pr, check_names=False)


def test_scores_hand_computed(synthetic, plan):
    proj = project(plan)
    sc = synthetic.scenario_scores.set_index(["indicator", "year"])
    lvl = sc.loc[("gdp", 2021)]
    assert lvl["kind"] == "level" and lvl["unit"] == "亿元"
    assert lvl["error"] == pytest.approx(90.0 - proj.at(2021, "gdp_nominal"))
    assert lvl["error_pct"] == pytest.approx(100 * (90.0 / proj.at(2021, "gdp_nominal") - 1))
    gr = sc.loc[("industrial_va_growth", 2022)]
    assert gr["kind"] == "growth" and gr["projected"] == pytest.approx(7.5)  # the scenario grows at the floor
    assert gr["error"] == pytest.approx(3.0 - 7.5)
    assert set(sc["band"]) <= set(review.BANDS)
    # real growth is compared with the projection's real growth, never with nominal levels
    assert sc.loc[("gdp_growth", 2021), "column"] == "gdp_real"


@pytest.mark.parametrize("lang, name", [("en", "Xiqu district (Panzhihua)"), ("zh", "攀枝花市西区")])
def test_review_text_names_the_region_from_region_yaml(tmp_path, lang, name):
    run = _open(tmp_path, actuals=FIXTURE, scenarios=(), language=lang)
    report.section_intro(run)
    report.section_summary(run)
    report.section_actuals(run)
    run.finish()
    text = (tmp_path / "text.md").read_text("utf-8")
    assert name in text.split("\n\n")[1]  # the intro
    manifest = json.loads((tmp_path / "artifacts.json").read_text("utf-8"))
    assert name in manifest["captions"]["tables/actuals.csv"]
    assert ("district's" not in text) and ("全区" not in text)


def test_actuals_after_review_year_ignored(region, tmp_path):
    r = review.annual_review(2022, _actuals(region), [], region, n_paths=100)
    assert r.latest_year == 2022
    assert r.actuals["year"].max() == 2022
    run = _open(tmp_path, review_year=2022, actuals=FIXTURE, scenarios=())
    assert run.review.latest_year == 2022
    assert "No scenario files" in report.summary_text(run)


def test_actuals_of_other_regions_are_ignored(region, tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(FIXTURE.read_text("utf-8") + "panzhihua,gdp,2024,1200,亿元,current,SYNTHETIC test value\n",
                    encoding="utf-8")
    r = review.annual_review(2025, _actuals(region, path), [], region, n_paths=100)
    assert set(r.actuals["region"]) == {"xiqu"} and r.latest_year == 2023


# --------------------------------------------------------------------------- helpers
def test_fan_band_edges():
    q = [1, 2, 3, 4, 5, 6, 7]
    assert review.fan_band(0.5, q) == "below p5"
    assert review.fan_band(4, q) == "p50-p75"
    assert review.fan_band(3.5, q) == "p25-p50"
    assert review.fan_band(9, q) == "above p95"
    assert review.fan_band(float("nan"), q) == "n/a"


def test_rebase_path_simple():
    s = pd.Series([100.0, 110.0, 121.0, 133.1], index=[2020, 2021, 2022, 2023])
    out = review.rebase_path(s, 2021, 55.0)
    assert list(out.index) == [2021, 2022, 2023]
    assert out.to_numpy() == pytest.approx([55.0, 60.5, 66.55])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-20, 30), min_size=2, max_size=10), st.floats(1.0, 1e4), st.data())
def test_rebase_keeps_growth_and_hits_the_actual(growth, actual, data):
    years = list(range(2020, 2021 + len(growth)))
    levels = 82.91 * np.cumprod([1.0] + [1 + g / 100 for g in growth])
    path = pd.Series(levels, index=years)
    year = data.draw(st.sampled_from(years))
    out = review.rebase_path(path, year, actual)
    assert out.loc[year] == pytest.approx(actual)
    np.testing.assert_allclose(out.to_numpy() / out.iloc[0], path.loc[year:].to_numpy() / path.loc[year], rtol=1e-12)


def test_scenario_that_cannot_be_projected_is_listed_not_fatal(region, plan):
    bad = plan.with_changes(**{"fiscal_revenue.buoyancy": -20.0})  # revenue growth below -100 %: project() refuses
    r = review.annual_review(2025, _actuals(region), [bad, plan], region, n_paths=100)
    assert len(r.scenario_errors) == 1 and "fiscal_revenue.buoyancy" in r.scenario_errors[0]
    assert set(r.scenario_scores["scenario"]) == {"plan_targets"}


def test_bad_scenario_file_is_listed_not_fatal(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ntitle: <b>x</b>\n", encoding="utf-8")
    run = _open(tmp_path / "out", actuals=FIXTURE, scenarios=(bad, PLAN))
    assert len(run.review.scenario_errors) == 1 and run.review.scenario_errors[0].startswith("bad.yaml: ")
    assert set(run.review.scenario_scores["scenario"]) == {"plan_targets"}
    summary = report.summary_text(run)
    assert "Scenario skipped: bad.yaml" in summary


def test_scenario_of_another_region_is_listed_not_scored(tmp_path):
    city = tmp_path / "city.yaml"  # an assumed scenario for the benchmark city, not for the district reviewed
    city.write_text("name: city\ntitle: Another region\nregion: panzhihua\nbase_year: 2020\nend_year: 2030\n"
                    "gdp_base: 1040.82\nsector_shares: {primary: 0.09, secondary: 0.54, tertiary: 0.37}\n"
                    "real_growth_pct: {primary: 3.0, secondary: 6.0, tertiary: 6.0}\ndeflator_pct: 2.0\n"
                    "population: {base: 1212203, growth_pct: 0.0}\nurban_income: {base: 45000, growth_pct: 6.0}\n"
                    "fiscal_revenue: {base: 60.0, buoyancy: 1.0}\n", encoding="utf-8")
    run = _open(tmp_path / "out", actuals=FIXTURE, scenarios=(city, PLAN))
    assert run.review.scenario_errors == (
        "city.yaml: field 'region': scenario of region 'panzhihua', not of the reviewed region 'xiqu'",)
    assert set(run.review.scenario_scores["scenario"]) == set(run.review.rebased["scenario"]) == {"plan_targets"}


def test_check_parameters():
    p = check_parameters("annual_review", review_year="2025", actuals_path=str(FIXTURE), scenario_paths=[str(PLAN)],
                         output_dir="", language="en")
    r = resolve(p)
    assert p.review_year == 2025 and p.region == "xiqu" and r.actuals_path == FIXTURE.resolve()
    assert r.scenario_files == (PLAN.resolve(),)
    assert r.output_dir.name == "annual_review-2025"
    assert r.as_dict()["actuals_path"] == str(FIXTURE.resolve())
    for bad, field in [(dict(review_year=2019), "review_year"), (dict(review_year="soon"), "review_year"),
                       (dict(review_year=2101), "review_year"), (dict(actuals_path="missing.csv"), "actuals_path"),
                       (dict(language="fr"), "language"), (dict(scenario_paths=["nope.yaml"]), "scenario_paths[0]"),
                       (dict(region="atlantis"), "region")]:
        with pytest.raises(InputError) as info:
            resolve(check_parameters("annual_review", **bad))
        assert f"field '{field}'" in str(info.value)


def test_default_actuals_file_is_used_when_it_exists(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.setenv("XIQU_DATA_DIR", str(data))
    (data / "bulletins" / "xiqu_actuals.csv").unlink(missing_ok=True)
    assert resolve(check_parameters("annual_review")).actuals_path is None
    shutil.copy(FIXTURE, data / "bulletins" / "xiqu_actuals.csv")
    assert default_actuals_path("xiqu") == data / "bulletins" / "xiqu_actuals.csv"
    assert resolve(check_parameters("annual_review")).actuals_path == data / "bulletins" / "xiqu_actuals.csv"


REVIEW_VALUES = dict(year=2025, base=2020, latest=2023, n=3, indicators="gdp", path="x", error="e", scenario="s",
                     column="gdp_nominal", unit="亿元", indicator="gdp_growth", start=2021, end=2023, note="n",
                     outcome="met", region="r")


def test_every_review_text_key_renders_in_both_languages():
    keys = [k for k in T.keys("en") if k.startswith(("review.", "rebase.", "diff."))]
    assert len(keys) >= 120  # the review's text lives in locale/<lang>/annual_review.yaml, the diff's in runs.yaml
    values = {name: "1" for k in keys for name in T.placeholders(T._load("en")[k])}
    values.update(REVIEW_VALUES)
    locale = ROOT / "xiqu_analysis" / "reports" / "locale"
    assert not (ROOT / "xiqu_analysis" / "locale").exists()
    for lang in ("en", "zh"):
        assert "review:" in (locale / lang / "annual_review.yaml").read_text("utf-8")
    for key in keys:
        assert T.has_key(key, "zh"), key  # no silent English fallback in a Chinese review
        en, zh = T.t(key, "en", **values), T.t(key, "zh", **values)
        assert en and zh
        if key not in ("review.fig_ylabel", "diff.col_a", "diff.col_b"):  # brackets only; the letters A and B
            assert en != zh, key


_CJK = re.compile(r"[\u4e00-\u9fff]")
#: runs of three or more English words: a sentence or label a reader would see
_ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}(?:[ '-]+[A-Za-z]{2,}){2,}")


def _zh_review_text(run: report.ReviewRun) -> str:
    """Everything the Chinese review shows as prose: summary, headings, captions, required-table notes."""
    keys = ["review.title", "review.intro", "review.heading_plan", "review.heading_scores",
            "review.heading_rebased", "review.heading_required", "review.heading_calibration",
            "review.caption_figure", "review.nothing_to_compare", "review.caption_plan", "review.caption_scores",
            "review.caption_rebased", "review.caption_required", "review.caption_actuals"]
    values = dict(year=run.review.review_year, base=run.review.base_year, region=run.region.info.name("zh"))
    parts = [report.summary_text(run)]
    parts += [T.t(k, "zh", **values) for k in keys]
    parts += list(report.required_table(run.review, "zh")["note"])
    return "\n".join(parts)


@pytest.mark.parametrize("actuals", ["synthetic", "none"])
def test_zh_review_has_no_english_sentences(actuals, tmp_path):
    path = FIXTURE if actuals == "synthetic" else None
    en = _open(tmp_path / "en", actuals=path, language="en")
    zh = _open(tmp_path / "zh", actuals=path, language="zh")
    en_summary = report.summary_text(en)
    zh_summary = report.summary_text(zh)
    assert _CJK.search(zh_summary) and not _CJK.search(en_summary)
    # the key sentences of the English version appear nowhere in the Chinese one
    zh_all = _zh_review_text(zh)
    en_notes = report.required_table(en.review, "en")["note"]
    english = [s for s in re.split(r"(?<=[.:;])\s+", en_summary + "\n" + "\n".join(en_notes)) if s]
    assert english
    for sentence in english:
        words = _ENGLISH_WORDS.search(sentence)
        if words:
            assert words.group(0) not in zh_all, sentence
    # and no run of English words at all, once data identifiers (paths, indicator names) are removed
    scrubbed = re.sub(r"[\w./\\-]*(?:_|/|\.csv|\.yaml)[\w./\\-]*", "", zh_all)
    assert not _ENGLISH_WORDS.search(scrubbed), _ENGLISH_WORDS.search(scrubbed)
    # the numbers and identifiers are the same in both languages
    assert list(zh.review.required["required_pct"].round(9)) == list(en.review.required["required_pct"].round(9))
    if path is not None:
        first = zh_summary.split("\n\n")[0]
        assert "2023" in first and "工业增加值增速" in first and "industrial_va_growth" not in first
        assert "、" in first and ", " in en_summary.split("\n\n")[0]


def test_required_notes_follow_the_language_and_period_end(tmp_path, region):
    r = review.annual_review(2025, _actuals(region), [], region, n_paths=50)
    zh = report.required_table(r, "zh").set_index("column")
    assert zh.loc["secondary", "note"] == "industrial_va_growth 2021—2023年逐年连乘累计"
    assert list(report.required_table(r, "en").columns) == [
        "target", "column", "floor_pct", "period", "from_year", "achieved_avg_pct", "gap_pp", "years_left",
        "required_pct", "status", "note"]
    # SYNTHETIC: a whole period observed, industry above its 7.5 % floor every year, services below 8.5 %
    rows = ["region,indicator,year,value,unit,price_basis,source"]
    rows += [f"xiqu,industrial_va_growth,{y},8,%,comparable,SYNTHETIC" for y in range(2021, 2026)]
    rows += [f"xiqu,services_va_growth,{y},5,%,comparable,SYNTHETIC" for y in range(2021, 2026)]
    path = tmp_path / "whole_period.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    whole = review.annual_review(2025, _actuals(region, path), [], region, n_paths=50)
    req = whole.required.set_index("column")
    assert list(req.loc[["secondary", "tertiary", "primary"], "outcome"]) == ["met", "missed", ""]
    assert list(req.loc[["secondary", "tertiary", "primary"], "period_over"]) == [True, True, False]
    notes = {lang: report.required_table(whole, lang).set_index("column")["note"] for lang in ("en", "zh")}
    assert notes["en"]["secondary"] == "industrial_va_growth 2021-2025 chained; period over: met"
    assert notes["en"]["tertiary"] == "services_va_growth 2021-2025 chained; period over: missed"
    assert notes["en"]["primary"] == "no actual growth after 2020 for this sector: the floor itself"
    assert notes["zh"]["secondary"] == "industrial_va_growth 2021—2025年逐年连乘累计；规划期已结束：达到"
    assert notes["zh"]["tertiary"] == "services_va_growth 2021—2025年逐年连乘累计；规划期已结束：未达到"
    assert notes["zh"]["primary"] == "该产业2020年以后无实际增速数据：所需增速即底线本身"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_review_figure(synthetic, empty, lang):
    from xiqu_analysis.reports.plots import png_bytes

    assert report.review_figure(empty, "gdp_nominal", lang) is None  # nothing to draw
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing CJK glyph would raise
        fig = report.review_figure(synthetic, "gdp_nominal", lang)
        assert png_bytes(fig)[:4] == b"\x89PNG"
    ax = fig.axes[0]
    assert ax.get_ylabel() == T.t("review.fig_ylabel", lang, column=T.label("gdp_nominal", lang), unit="亿元")
    actual = next(line for line in ax.get_lines() if line.get_label() == T.t("review.fig_actual", lang))
    assert list(actual.get_ydata()) == [82.91, 90.0, 95.0, 100.0]  # the 2020 level, where the lines start
    assert ax.get_title() == T.t("review.fig_level_title", lang, column=T.label("gdp_nominal", lang), unit="亿元")


# --------------------------------------------------------------------------- notebook
NB = ROOT / "notebooks" / "annual_review"
#: parameter contract with the batch runner (xiqu_analysis.runner passes review_year, region, actuals_path,
#: scenario_paths, language; output_dir per run). Deliberate change: region is a parameter now.
CONTRACT = {"review_year": "int", "region": "str", "actuals_path": "str", "scenario_paths": "list",
            "final": "bool", "targets": "list", "output_dir": "str", "language": "str"}


def _parameters_source() -> str:
    import nbformat

    nb = nbformat.read(NB.with_suffix(".ipynb"), as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    return cells[0].source


def test_notebook_committed_clean_paired_and_typed():
    import ast

    import jupytext
    import nbformat

    nb = nbformat.read(NB.with_suffix(".ipynb"), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")
    py = jupytext.read(NB.with_suffix(".py"))
    assert [(c.cell_type, c.source) for c in jupytext.read(NB.with_suffix(".ipynb")).cells] == \
        [(c.cell_type, c.source) for c in py.cells]
    found = {}
    for node in ast.parse(_parameters_source()).body:
        assert isinstance(node, ast.AnnAssign)
        found[node.target.id] = ast.unparse(node.annotation)
    assert found == CONTRACT
    for cell in nb.cells:  # no arithmetic or loops in the notebook: the package does the work
        if cell.cell_type == "code":
            for node in ast.walk(ast.parse(cell.source)):
                assert not isinstance(node, (ast.BinOp, ast.AugAssign, ast.For, ast.While, ast.Lambda))


def test_help_notebook_explains_every_parameter():
    from click.testing import CliRunner
    from papermill.cli import papermill

    result = CliRunner().invoke(papermill, ["--help-notebook", str(NB.with_suffix(".ipynb"))])  # papermill's own CLI
    assert result.exit_code == 0, result.output
    out = result.output
    flat = " ".join(out.split())
    for line in _parameters_source().splitlines():
        name = line.split(":")[0].strip()
        comment = line.partition("  # ")[2].strip()
        assert comment, f"{name} has no comment"
        assert f"{name}: {CONTRACT[name]} (default" in out
        assert " ".join(comment.split())[:60] in flat


def _run_notebook(tmp_path, **params):
    import papermill

    out = tmp_path / "out"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "annual_review.ipynb"), str(tmp_path / "executed.ipynb"),
        parameters=dict(output_dir=str(out), scenario_paths=[str(PLAN)], **params),
        cwd=str(ROOT / "notebooks"), kernel_name="python3", progress_bar=False, execution_timeout=600,
    )
    manifest = json.loads((out / "artifacts.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True
    for item in manifest["tables"] + manifest["figures"]:  # paths relative to the output folder
        assert (out / item).is_file()
    assert (out / "tables.xlsx").is_file()
    return out, manifest


@pytest.mark.notebook
def test_notebook_no_actuals(tmp_path, monkeypatch):
    # a data folder without a default bulletin file (the kernel inherits the environment)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "bulletins" / "xiqu_actuals.csv").unlink(missing_ok=True)
    monkeypatch.setenv("XIQU_DATA_DIR", str(data))
    out, manifest = _run_notebook(tmp_path, review_year=2025, actuals_path="")
    assert "No actual figures after 2020" in (out / "text.md").read_text(encoding="utf-8")
    req = pd.read_csv(out / "tables" / "required_growth.csv")
    assert sorted(req["required_pct"].round(6)) == [3.5, 7.5, 8.5]
    assert [Path(f).stem for f in manifest["figures"]] == ["real_growth_vs_floors"]  # floors and scenarios, no dots


@pytest.mark.notebook
def test_notebook_synthetic_actuals(tmp_path):
    out, manifest = _run_notebook(tmp_path, review_year=2025, actuals_path=str(FIXTURE), language="zh")
    names = {Path(t).stem for t in manifest["tables"]}
    assert {"actuals", "plan_comparison", "scenario_scores", "rebased", "required_growth", "calibration",
            "tracking", "scenario_summary", "outlook", "scorecard", "targets_ahead"} <= names
    assert [Path(f).stem for f in manifest["figures"]] == ["real_growth_vs_floors", "gdp_rebased"]
    rb = pd.read_csv(out / "tables" / "rebased.csv")
    assert math.isclose(rb.loc[rb["year"] == 2023, "rebased"].iloc[0], 100.0, rel_tol=1e-9)
    req = pd.read_csv(out / "tables" / "required_growth.csv").set_index("column")
    assert req.loc["secondary", "note"] == "工业增加值增速 2021—2023年逐年连乘累计"  # the indicator's label
    text = (out / "text.md").read_text(encoding="utf-8")
    assert text.startswith("# 2025年度规划实施评估") and "本评估将统计公报文件提供的攀枝花市西区实际数据" in text
    assert manifest["captions"]["tables/actuals.csv"] == "所用实际数据（统计公报文件；攀枝花市西区，截至评估年份）"


@pytest.mark.parametrize("actuals", ["synthetic", "none"])
def test_zh_review_calls_the_shipped_scenarios_by_their_chinese_titles(actuals, tmp_path):
    """Every shipped scenario's Chinese title (as written in its file) is in the Chinese review's text and tables;
    its English title is nowhere."""
    files = sorted((ROOT / "scenarios").glob("*.yaml"))
    run = _open(tmp_path, actuals=FIXTURE if actuals == "synthetic" else None, scenarios=files, language="zh")
    tables = [report.summary_table(run), report.tracking_table(run), report.scorecard_table(run)]
    if run.review.has_actuals:
        tables.append(report.outlook_table(run))
    shown = "\n".join([report.summary_text(run), report.conclusions_text(run),
                       *(report.reader_view(run, df).to_csv(index=False) for df in tables)])
    assert len(run.titles) == len(files) == 4
    for path in files:
        titles = yaml_titles(path)
        assert titles["zh"] in shown or T.esc(titles["zh"]) in shown, (path.name, titles["zh"])
        assert titles["en"] not in shown and T.esc(titles["en"]) not in shown, (path.name, titles["en"])


def yaml_titles(path: Path) -> dict[str, str]:
    """A scenario file's ``title`` as written, by language (read here, not through the package)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["title"]
