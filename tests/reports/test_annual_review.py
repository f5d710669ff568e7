"""reports.sections.annual_review and the annual review notebook without a kernel, on synthetic actuals (tests/fixtures,
labelled SYNTHETIC): the review's text in both languages, scenarios by their titles, skipped scenario files,
the notebook's parameters, the review chart.

The notebook executed in a kernel is in ``tests/end_to_end/test_annual_review_notebook.py``.
"""
from __future__ import annotations

import json
import re
import shutil
import warnings
from pathlib import Path

import pytest
import yaml

from xiqu_analysis.economics import review
from xiqu_analysis.errors import InputError
from xiqu_analysis.reports.sections import annual_review as report
from xiqu_analysis.reports.words import text as T
from xiqu_analysis.reports.parameters import check_parameters, default_actuals_path, resolve
from tests.helpers import ROOT
from tests.helpers.actuals import PLAN_FILE, SYNTHETIC, load_actuals, open_review


@pytest.mark.parametrize("lang, name", [("en", "Xiqu district (Panzhihua)"), ("zh", "攀枝花市西区")])
def test_review_text_names_the_region_from_region_yaml(tmp_path, lang, name):
    run = open_review(tmp_path, actuals=SYNTHETIC, scenarios=(), language=lang)
    report.section_intro(run)
    report.section_summary(run)
    report.section_actuals(run)
    run.finish()
    text = (tmp_path / "text.md").read_text("utf-8")
    assert name in text.split("\n\n")[1]  # the intro
    manifest = json.loads((tmp_path / "artifacts.json").read_text("utf-8"))
    assert name in manifest["captions"]["tables/actuals.csv"]
    assert ("district's" not in text) and ("全区" not in text)


def test_bad_scenario_file_is_listed_not_fatal(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ntitle: <b>x</b>\n", encoding="utf-8")
    run = open_review(tmp_path / "out", actuals=SYNTHETIC, scenarios=(bad, PLAN_FILE))
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
    run = open_review(tmp_path / "out", actuals=SYNTHETIC, scenarios=(city, PLAN_FILE))
    assert run.review.scenario_errors == (
        "city.yaml: field 'region': scenario of region 'panzhihua', not of the reviewed region 'xiqu'",)
    assert set(run.review.scenario_scores["scenario"]) == set(run.review.rebased["scenario"]) == {"plan_targets"}


def test_check_parameters():
    p = check_parameters("annual_review", review_year="2025", actuals_path=str(SYNTHETIC), scenario_paths=[str(PLAN_FILE)],
                         output_dir="", language="en")
    r = resolve(p)
    assert p.review_year == 2025 and p.region == "xiqu" and r.actuals_path == SYNTHETIC.resolve()
    assert r.scenario_files == (PLAN_FILE.resolve(),)
    assert r.output_dir.name == "annual_review-2025"
    assert r.as_dict()["actuals_path"] == str(SYNTHETIC.resolve())
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
    shutil.copy(SYNTHETIC, data / "bulletins" / "xiqu_actuals.csv")
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
    path = SYNTHETIC if actuals == "synthetic" else None
    en = open_review(tmp_path / "en", actuals=path, language="en")
    zh = open_review(tmp_path / "zh", actuals=path, language="zh")
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
    r = review.annual_review(2025, load_actuals(region), [], region, n_paths=50)
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
    whole = review.annual_review(2025, load_actuals(region, path), [], region, n_paths=50)
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
def test_review_figure(review_of_synthetic, review_without_actuals, lang):
    from xiqu_analysis.reports.charts.plots import png_bytes

    assert report.review_figure(review_without_actuals, "gdp_nominal", lang) is None  # nothing to draw
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing CJK glyph would raise
        fig = report.review_figure(review_of_synthetic, "gdp_nominal", lang)
        assert png_bytes(fig)[:4] == b"\x89PNG"
    ax = fig.axes[0]
    assert ax.get_ylabel() == T.t("review.fig_ylabel", lang, column=T.label("gdp_nominal", lang), unit="亿元")
    actual = next(line for line in ax.get_lines() if line.get_label() == T.t("review.fig_actual", lang))
    assert list(actual.get_ydata()) == [82.91, 90.0, 95.0, 100.0]  # the 2020 level, where the lines start
    assert ax.get_title() == "" and fig._suptitle is None  # the caption says what the figure shows


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


@pytest.mark.parametrize("actuals", ["synthetic", "none"])
def test_zh_review_calls_the_shipped_scenarios_by_their_chinese_titles(actuals, tmp_path):
    """Every shipped scenario's Chinese title (as written in its file) is in the Chinese review's text and tables;
    its English title is nowhere."""
    files = sorted((ROOT / "scenarios").glob("*.yaml"))
    run = open_review(tmp_path, actuals=SYNTHETIC if actuals == "synthetic" else None, scenarios=files, language="zh")
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
