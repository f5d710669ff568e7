"""Reports a district office can circulate: Chinese that reads like a 统计公报, the plan's own tables.

The Chinese scenario report, comparison and data audit are rendered once, in
this process, by the sections the notebooks call (no kernel); everything a
reader sees is collected -- the Markdown text, every table as displayed
(HTML), every CSV, every caption, every text drawn in a figure -- together
with the run's index page. Then: no run of four or more English words
anywhere; the bulletin's words and punctuation; citations in Chinese form; the
主要指标表 against numbers computed here by hand; a scenario that gives its
text only in English is said so once. A whole ``xiqu run --language zh`` with
real kernels: tests/end_to_end/test_chinese_run.py.
"""
from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path

import matplotlib.text
import pandas as pd
import pytest
import yaml
from tests.helpers.english_runs import english_runs, visible_text

from xiqu_analysis.economics.projection import project
from xiqu_analysis.economics.targets import analyse_targets
from xiqu_analysis.inputs.regions import load_region
from xiqu_analysis.inputs.scenario import LANGUAGE_TAG, LocalText, load_scenario_with_region, scenario_from_dict
from xiqu_analysis.reports.formats import artifacts
from xiqu_analysis.reports.sections import comparison, data_audit, scenario_report
from xiqu_analysis.reports.charts import plots
from xiqu_analysis.reports.words import text as T
from xiqu_analysis.reports.words.citations import chinese_number, known_source, plan_citation, source_name
from xiqu_analysis.reports.charts.comparison_plots import comparison_gaps, comparison_lines
from xiqu_analysis.reports.formats.htmltable import html_table
from xiqu_analysis.reports.parameters import check_parameters, resolve
from xiqu_analysis.reports.tables.plan_tables import main_indicators_table
from xiqu_analysis.reports.tables.scenario import provenance_table
from xiqu_analysis.runner.render import mark_notebook, render_index
from xiqu_analysis.runner.suites import natural_key
from tests.helpers import ROOT

SHIPPED = ["plan_targets", "trend", "low", "high"]
#: the scenarios of the rendered comparison (one that doubles real GDP by 2035, one that does not)
COMPARED = ["plan_targets", "low"]


# --------------------------------------------------------------------------- rendering, once
def _sections(module) -> list:
    return [getattr(module, n) for n in module.__all__ if n.startswith("section_")]


@pytest.fixture(scope="module")
def zh_run(tmp_path_factory):
    """The Chinese scenario report (plan_targets), the comparison of the shipped scenarios, the data
    audit and the index, rendered in this process; what each shows is collected on the way."""
    out = tmp_path_factory.mktemp("zh_run")
    shown: dict[str, list[str]] = {}
    drawn: dict[str, list[str]] = {}
    current = {"name": ""}
    real_png = plots.png_bytes

    def display(obj):
        data = getattr(obj, "data", None)
        if isinstance(data, str):
            shown[current["name"]].append(data)

    def png(fig, *args, **kwargs):
        drawn[current["name"]] += [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
        return real_png(fig, *args, **kwargs)

    mp = pytest.MonkeyPatch()
    mp.setattr(artifacts, "_display", display)
    mp.setattr(plots, "png_bytes", png)
    jobs = [
        ("scenario_report-plan_targets", scenario_report, "scenario_report",
         dict(scenario_path="plan_targets", n_paths=100, seed=3)),
        ("scenario_comparison", comparison, "scenario_comparison", dict(scenario_paths=COMPARED)),
        ("data_audit", data_audit, "data_audit", dict(region="xiqu")),
    ]
    try:
        for name, module, notebook, params in jobs:
            current["name"] = name
            shown[name], drawn[name] = [], []
            run = module.open_run(resolve(check_parameters(notebook, language="zh", output_dir=str(out / name),
                                                           **params)))
            order = {n: i for i, n in enumerate(_notebook_sections(notebook))}
            for section in sorted(_sections(module), key=lambda f: order[f.__name__]):
                section(run)
            run.finish()
    finally:
        mp.undo()
    from xiqu_analysis.runner.render import check_artifacts

    rows = []
    for name, _, notebook, _ in jobs:
        assert check_artifacts(out / name)[0] is None  # complete, as the batch runner requires
        manifest = json.loads((out / name / "artifacts.json").read_text("utf-8"))
        rows.append({"name": name, "title": name, "notebook": f"{notebook}.ipynb", "status": "ok", "error": None,
                     "duration_s": 1.0, "html": f"{name}/{notebook}.html", "executed": f"{name}/{notebook}.ipynb",
                     "tables": [f"{name}/{p}" for p in manifest["tables"]],
                     "figures": [f"{name}/{p}" for p in manifest["figures"]], "xlsx": f"{name}/tables.xlsx"})
    titles = {"scenario_report-plan_targets": T.t("index.job.scenario_report", "zh", title="2025年前按规划增速底线增长，此后增速放缓"),
              "scenario_comparison": T.t("index.job.scenario_comparison", "zh", region="攀枝花市西区"),
              "data_audit": T.t("index.job.data_audit", "zh", region="攀枝花市西区")}
    for row in rows:
        row["title"] = titles[row["name"]]
    render_index(out / "index.html", {"run_id": "r", "status": "complete", "started": "2026-01-01T00:00:00",
                                      "finished": "2026-01-01T00:01:00", "command": ["xiqu", "run", "--language", "zh"],
                                      "options": {"language": "zh"}}, rows)
    return out, shown, drawn


def _notebook_sections(notebook: str) -> list[str]:
    import ast

    import nbformat

    names = []
    for cell in nbformat.read(ROOT / "notebooks" / f"{notebook}.ipynb", as_version=4).cells:
        if cell.cell_type == "code":
            for stmt in ast.parse(cell.source).body:
                call = ast.unparse(stmt)
                if call.startswith("report.section_"):
                    names.append(call.removeprefix("report.").removesuffix("(run)"))
    return names


def _reader_texts(out: Path, shown, drawn) -> dict[str, str]:
    """Everything a reader of the zh run sees, by where it was seen."""
    texts = {}
    for name in shown:
        folder = out / name
        texts[f"{name}/text.md"] = (folder / "text.md").read_text("utf-8")
        texts[f"{name}/captions"] = "\n".join(json.loads((folder / "artifacts.json").read_text("utf-8"))["captions"].values())
        if name != "data_audit":  # (the audit's CSVs are its data exports: figure ids, project rows as in data/)
            for csv in sorted((folder / "tables").glob("*.csv")):
                texts[f"{name}/{csv.name}"] = csv.read_text("utf-8")
        texts[f"{name}/html"] = "\n".join(visible_text(h) for h in shown[name])
        texts[f"{name}/figures"] = "\n".join(drawn[name])
    texts["index.html"] = visible_text((out / "index.html").read_text("utf-8"), skip_code=True)
    return texts


# --------------------------------------------------------------------------- no English
def test_the_english_scan_finds_english():
    """Control: the scan flags a sentence, a title and a code name, and lets Chinese with file names pass."""
    assert english_runs("情景：Plan floors to 2025, slower growth to 2035") == ["Plan floors to 2025, slower growth to"]
    assert english_runs("影响最大的是xiqu.resident_population.2020.census。")
    assert english_runs("全部指标见 tables/projection.csv 和工作簿。") == []
    assert english_runs("（2021—2025年）Real GDP 增速") == []


def test_no_english_in_any_chinese_report(zh_run):
    out, shown, drawn = zh_run
    texts = _reader_texts(out, shown, drawn)
    assert len(texts) > 20 and sum(bool(v.strip()) for v in texts.values()) >= len(texts) - 1  # the audit draws nothing
    found = {where: runs for where, text in texts.items() if (runs := english_runs(text))}
    assert found == {}
    assert sum(len(v) for k, v in drawn.items()) > 100  # figure texts were read
    reports = "\n".join(t for k, t in texts.items() if k != "index.html")  # (the index is titled after the tool)
    assert "xiqu" not in reports.lower() and "攀枝花市西区" in reports  # names from region.yaml, never the key


def test_bulletin_words_and_punctuation(zh_run):
    out, shown, drawn = zh_run
    report = out / "scenario_report-plan_targets"
    md = (report / "text.md").read_text("utf-8")
    page = "\n".join(visible_text(h) for h in shown["scenario_report-plan_targets"]) + "\n" + md
    assert "地区生产总值（2020年不变价）" in page
    assert "实际地区生产总值" not in page and "名义地区生产总值" not in page
    pull = re.search(r"年均拉动地区生产总值增长(\d+\.\d)个百分点 \[a\]，贡献率为(\d+\.\d)%", md)
    assert pull, md  # 拉动 without a sign, 贡献率 beside it
    sectors = pd.read_csv(report / "tables" / "sectors.csv")
    assert {"年均拉动（百分点）", "贡献率（%）"} <= set(sectors.columns)
    first = sectors[sectors["时期"] == "2021—2025年"].set_index("三次产业")
    assert first.loc["地区生产总值", "年均拉动（百分点）"] == pytest.approx(
        first.loc[["第一产业", "第二产业", "第三产业"], "年均拉动（百分点）"].sum())
    assert first.loc[["第一产业", "第二产业", "第三产业"], "贡献率（%）"].sum() == pytest.approx(100.0)
    assert float(pull.group(1)) == pytest.approx(first.loc["第二产业", "年均拉动（百分点）"], abs=0.05)
    assert "2021—2025年" in page and not re.search(r"(?<![\w/.])\d{4}-\d{4}(?![\w.])", page)
    assert "随机种子" in page and not re.search(r"(?<!随机)种子", page)
    # full-width punctuation next to Chinese characters
    assert not re.search(r"[\u4e00-\u9fff][(),:;]|[(),:;][\u4e00-\u9fff]", md), re.findall(
        r".{6}[\u4e00-\u9fff][(),:;].{6}|.{6}[(),:;][\u4e00-\u9fff].{6}", md)
    # citations in Chinese form
    assert "规划第一章第三节第二条" in md and "plan ch." not in page
    assert "规划专栏1" in (report / "tables" / "targets.csv").read_text("utf-8")
    # the standard notes close the report
    notes = md.index("## 附注")
    assert md.index("## 输入与出处") < notes
    for phrase in ("按可比价格计算", "按现价计算", "四舍五入"):
        assert phrase in md[notes:]


def test_comparison_and_audit_in_chinese(zh_run):
    out, shown, drawn = zh_run
    table = pd.read_csv(out / "scenario_comparison" / "tables" / "comparison.csv")
    assert list(table["情景"])[0] == "2025年前按规划增速底线增长，此后增速放缓"  # titles, in the order given
    units = [c for c in table.columns if c[:4].isdigit()]
    assert len(units) == 6 and all(re.search(r"（(亿元|元)，(2020年不变价|现价)）$", c) for c in units)  # units in headers
    assert len(table) == len(COMPARED)
    doubling = table.set_index("情景")["地区生产总值（不变价）翻番年份"]
    assert doubling["约束趋紧（增速低于规划底线）"] == "到2035年未实现"
    assert str(doubling["2025年前按规划增速底线增长，此后增速放缓"]) == "2032"
    audit = (out / "data_audit" / "text.md").read_text("utf-8")
    assert "数据来源核查：攀枝花市西区" in audit and "## 附注" in audit
    index = (out / "index.html").read_text("utf-8")
    assert 'lang="zh-CN"' in index and "情景报告：2025年前按规划增速底线增长，此后增速放缓" in index
    assert "数据来源核查：攀枝花市西区" in index and ">完成<" in index


# --------------------------------------------------------------------------- 主要指标表
def _main_table(name: str, lang: str = "zh") -> pd.DataFrame:
    scenario, region = load_scenario_with_region(ROOT / "scenarios" / f"{name}.yaml")
    projection = project(scenario)
    analysis = analyse_targets(scenario, region, result=projection)
    return main_indicators_table(projection, analysis, region, provenance_table(scenario, region, lang), lang)


def test_main_indicators_table_against_hand_computed_values():
    table = _main_table("plan_targets").set_index("指标")
    assert list(table.columns) == ["单位", "2020年基期值", "基期值依据", "规划目标", "2025年预测值",
                                   "2021—2025年年均增长（%）", "完成情况", "差距（年均增速，百分点）"]  # no 属性: the plan states none
    gdp0 = 82.91
    va0 = {"primary": gdp0 * 0.02, "secondary": gdp0 * 0.58, "tertiary": gdp0 * 0.40}
    va5 = {"primary": va0["primary"] * 1.035 ** 5, "secondary": va0["secondary"] * 1.075 ** 5,
           "tertiary": va0["tertiary"] * 1.085 ** 5}
    real5 = sum(va5.values())
    row = table.loc["地区生产总值"]
    assert (row["单位"], row["2020年基期值"], row["基期值依据"]) == ("亿元（现价）", gdp0, "有出处")
    assert row["2025年预测值"] == pytest.approx(real5 * 1.02 ** 5)  # current prices: real x deflator index
    assert row["2021—2025年年均增长（%）"] == pytest.approx(((real5 / gdp0) ** 0.2 - 1) * 100)  # real growth
    industry = table.loc["工业增加值（按第二产业计）"]
    assert industry["单位"] == "亿元（2020年不变价）" and industry["基期值依据"] == "依赖假设"  # shares are assumed
    assert industry["2020年基期值"] == pytest.approx(48.0878)
    assert industry["2025年预测值"] == pytest.approx(48.0878 * 1.075 ** 5)
    assert (industry["规划目标"], industry["完成情况"]) == ("年均增长不低于7.5%", "达到")
    assert industry["2021—2025年年均增长（%）"] == pytest.approx(7.5) and industry["差距（年均增速，百分点）"] == 0.0
    assert table.loc["城镇居民人均可支配收入", "2025年预测值"] == pytest.approx(41794 * 1.07 ** 5)
    assert table.loc["一般公共预算收入", "2025年预测值"] == pytest.approx(1.85 * real5 * 1.02 ** 5 / gdp0)  # buoyancy 1
    population = table.loc["年末常住人口"]  # in 万人, as the bulletins write it (projection.csv keeps persons)
    assert population["单位"] == "万人" and population["2020年基期值"] == pytest.approx(12.9406)
    assert population["2025年预测值"] == pytest.approx(129406 * 1.0 ** 3 * 0.995 ** 2 / 1e4)  # flat to 2023
    park = table.loc["康复器具产业园总产值"]
    assert (park["规划目标"], park["完成情况"]) == ("不低于50亿元", "不在预测范围") and math.isnan(park["2025年预测值"])

    low = _main_table("low").set_index("指标")
    assert list(low["完成情况"].iloc[1:4]) == ["未达到"] * 3
    gaps = low["差距（年均增速，百分点）"]
    assert gaps["工业增加值（按第二产业计）"] == pytest.approx(4.0 - 7.5)
    assert gaps["服务业增加值（按第三产业计）"] == pytest.approx(5.5 - 8.5)
    assert gaps["农业增加值（按第一产业计）"] == pytest.approx(2.5 - 3.5)
    en = _main_table("low", "en")
    assert list(en.columns)[:3] == ["Indicator", "Unit", "2020 base"] and "missed" in set(en["Outcome"])


def test_attribute_column_only_where_the_plan_states_one():
    scenario, region = load_scenario_with_region(ROOT / "scenarios" / "plan_targets.yaml")
    figs = region.figures.copy()
    figs.loc[figs["id"] == "xiqu.industrial_va_growth.2021-2025", "note"] = "预期性指标"
    stated = dataclasses.replace(region, figures=figs)
    projection = project(scenario)
    table = main_indicators_table(projection, analyse_targets(scenario, stated, result=projection), stated,
                                  provenance_table(scenario, stated, "zh"), "zh").set_index("指标")
    assert table.loc["工业增加值（按第二产业计）", "属性"] == "预期性"
    assert table.loc["服务业增加值（按第三产业计）", "属性"] == ""


# --------------------------------------------------------------------------- formatting
def test_years_are_plain_integers_and_numbers_read_cleanly():
    frame = pd.DataFrame({"年份": [2029.0, 2035.0], "地区生产总值（不变价）翻番年份": [2029.0, math.nan],
                          "值": [7.499999999999996, 65801.0], "状态": ["达到", "未达到"],
                          "说明": ["第二产业", "一段很长很长很长很长很长很长的说明文字"]})
    html = html_table(frame, "表", "zh")
    cells = re.findall(r"<td style=\"[^\"]*text-align:(\w+)[^\"]*\">([^<]*)</td>", html)
    assert cells[:5] == [("right", "2029"), ("right", "2029"), ("right", "7.50"), ("left", "达到"), ("left", "第二产业")]
    assert ("right", "65801") in cells and "2,029" not in html and "2029.0" not in html
    assert "white-space:nowrap\">达到" in html  # a short status is never broken one character a line
    assert "white-space:nowrap\">第二产业" not in html  # a long text column wraps
    en = html_table(frame.rename(columns={"年份": "Year"}), "t", "en")
    assert ">65,801<" in en and ">2035<" in en


def test_probabilities_never_round_to_certainty():
    assert T.fmt_prob(0.9995) == T.fmt_prob(0.99999) == ">99.9%"
    assert T.fmt_prob(0.0004) == T.fmt_prob(1e-9) == "<0.1%"
    assert T.fmt_prob(1.0) == "100.0%" and T.fmt_prob(0.0) == "0.0%"  # only certainty reads as certain
    assert T.fmt_prob(0.9994) == "99.9%" and T.fmt_prob(0.0005) == "0.1%" and T.fmt_prob(0.4231, "zh") == "42.3%"


def test_sixteen_scenarios_stay_readable_in_their_natural_order():
    names = [f"s{i}.yaml" for i in range(1, 17)]
    assert sorted(reversed(names), key=natural_key) == names  # s2 before s10, not s1, s10, s11, ...
    scenario, _ = load_scenario_with_region(ROOT / "scenarios" / "plan_targets.yaml")
    base = project(scenario).table
    tables = {f"情景{i}：增长{i}%": base.assign(**{c: base[c] * (1 + i / 100) for c in
                                                ("gdp_real", "gdp_nominal", "gdp_per_capita", "fiscal_revenue")})
              for i in range(1, 17)}
    fig = comparison_lines(tables, ("gdp_real", "gdp_nominal", "gdp_per_capita", "fiscal_revenue"), "zh")
    fig.draw_without_rendering()  # runs the constrained layout
    for ax in fig.axes:
        styles = [(line.get_color(), line.get_linestyle()) for line in ax.get_lines()]
        assert len(styles) == 16 and len(set(styles)) == 16  # no repeated colour-and-style pair
    (legend,) = fig.legends
    assert [t.get_text().replace("\n", "") for t in legend.get_texts()] == list(tables)  # the given order
    box = legend.get_window_extent()
    assert all(not box.overlaps(ax.get_window_extent()) for ax in fig.axes)  # below the panels, not on them
    gaps = pd.DataFrame([{"scenario": n, "label": tg, "gap": g} for g, n in enumerate(tables)
                         for tg in ("甲目标", "乙目标")])
    fig = comparison_gaps(gaps, "zh")
    fig.draw_without_rendering()
    bars = [(c.patches[0].get_facecolor(), c.patches[0].get_hatch()) for c in fig.axes[0].containers]
    assert len(bars) == 16 and len(set(bars)) == 16  # no repeated colour-and-hatch pair
    assert [t.get_text().replace("\n", "") for t in fig.legends[0].get_texts()] == list(tables)


# --------------------------------------------------------------------------- scenario text in two languages
def _english_only(tmp_path: Path) -> Path:
    data = yaml.safe_load((ROOT / "scenarios" / "plan_targets.yaml").read_text("utf-8"))
    for key in ("title", "description", "reasoning"):
        data[key] = data[key]["en"]
    data["assumptions"] = {k: v["en"] for k, v in data["assumptions"].items()}
    data["name"] = "english_only"
    path = tmp_path / "english_only.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_scenario_without_chinese_text_is_flagged_once(tmp_path, lang):
    path = _english_only(tmp_path)
    run = scenario_report.open_run(resolve(check_parameters(
        "scenario_report", scenario_path=str(path), language=lang, output_dir=str(tmp_path / "out"))))
    scenario_report.section_intro(run)
    scenario_report.section_inputs(run)
    run.finish()
    md = (tmp_path / "out" / "text.md").read_text("utf-8")
    flag = "说明：本情景文件未提供标题、情景说明、情景依据、假设理由的中文文字，以下按情景文件原文列示。"
    if lang == "zh":
        assert md.count("未提供") == 1 and flag in md
        assert "Plan floors to 2025, slower growth to 2035" in md  # shown as written
        inputs = pd.read_csv(tmp_path / "out" / "tables" / "inputs.csv")
        assert inputs["出处或理由"].str.contains("The plan covers 2021-2025 only").any()
    else:
        assert "未提供" not in md and "Chinese only" not in md  # English text in an English report: nothing to say
    cmp = comparison.open_run(resolve(check_parameters(
        "scenario_comparison", scenario_paths=[str(path), "low"], language=lang, output_dir=str(tmp_path / "cmp"))))
    comparison.section_comparison(cmp)
    cmp.finish()
    text = (tmp_path / "cmp" / "text.md").read_text("utf-8")
    assert text.count("english\\_only") == (1 if lang == "zh" else 0)


def test_text_fields_take_a_string_or_both_languages(tmp_path):
    from xiqu_analysis.errors import InputError
    from xiqu_analysis.inputs.scenario import load_scenario

    assert all(LANGUAGE_TAG.fullmatch(lang) for lang in T.LANGUAGES)  # a scenario can be written in every report language
    shipped = load_scenario(ROOT / "scenarios" / "plan_targets.yaml")
    assert isinstance(shipped.title, LocalText) and set(shipped.title.languages) == {"en", "zh"}
    assert str(shipped.title) == "Plan floors to 2025, slower growth to 2035"  # the command line prints English
    assert scenario_from_dict(shipped.to_parameters()) == shipped  # both languages survive the round trip
    for name in SHIPPED:  # the shipped scenarios carry Chinese for every text a report shows
        s = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        assert T.missing_text_fields(s, "zh") == [] == T.missing_text_fields(s, "en"), name
    data = shipped.to_parameters()
    assert T.scenario_text(LocalText.plain("规划底线情景"), "zh") == ("规划底线情景", True)
    assert T.scenario_text(LocalText.plain("Floors of the plan (不低于)"), "zh") == ("Floors of the plan (不低于)", False)
    for bad, problem in (({"en": "x", "French": "y"}, "field 'title.French': 'French' is not a language tag"),
                         ({"zh": "  "}, "field 'title.zh': must not be empty"), (3, "field 'title': must be text")):
        with pytest.raises(InputError, match=re.escape(problem)):
            scenario_from_dict({**data, "title": bad}, source=tmp_path / "s.yaml")


# --------------------------------------------------------------------------- citations and words
def test_citations_in_chinese_form():
    assert [chinese_number(n) for n in (1, 3, 10, 12, 20, 35)] == ["一", "三", "十", "十二", "二十", "三十五"]
    assert plan_citation("plan ch.1 §3.2", "zh") == "规划第一章第三节第二条"
    assert plan_citation("plan 专栏3", "zh") == "规划专栏3"
    assert plan_citation("plan ch.1 §4", "zh") == "规划第一章第四节"
    assert plan_citation("plan ch.1 §2.1; ch.1 §3.2", "zh") == "规划第一章第二节第一条、第一章第三节第二条"
    assert plan_citation("plan ch.1 §3.2", "en") == "plan ch.1 §3.2" and plan_citation("a newspaper", "zh") is None
    sources = set()
    for folder in sorted((ROOT / "data" / "regions").iterdir()):
        sources |= set(load_region(folder.name).figures["source"])
    assert len(sources) > 15 and [s for s in sources if not known_source(s)] == []  # every shipped source named
    assert source_name("2021 city government work report (via external-figures.md)", "zh", "攀枝花市") == \
        "攀枝花市2021年政府工作报告"  # the region's name from region.yaml, not in the rule
    assert source_name("some other source", "zh") == "外部来源（some other source）"


def test_index_and_banner_in_the_reports_language(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"parameters": {"language": "zh"}}
    cell = mark_notebook(nb, "timeout", "TimeoutError: 1800 s").cells[0].source
    assert "本报告未完成（已停止：超过时间限制）。" in cell
    assert "This report did not finish (stopped: time limit exceeded)." in mark_notebook(
        nbformat.v4.new_notebook(), "timeout", "x").cells[0].source
    rows = [{"name": "data_audit", "title": "数据来源核查：攀枝花市西区", "notebook": "data_audit.ipynb",
             "status": "kernel_died", "error": "DeadKernelError", "duration_s": 2.0, "html": None, "executed": None,
             "tables": [], "figures": [], "xlsx": None}]
    render_index(tmp_path / "index.html", {"run_id": "r", "status": "failed", "started": "s", "finished": None,
                                           "command": ["xiqu"], "options": {"language": "zh"}}, rows)
    page = visible_text((tmp_path / "index.html").read_text("utf-8"), skip_code=True)
    assert "部分失败" in page and "内核退出" in page and english_runs(page) == []
    # the run's reason from its code, in the report's language (the manifest keeps the English line)
    for code, words in [({"code": "not_finished", "n": 1, "total": 3}, "3份报告中有1份未完成"),
                        ({"code": "signal.SIGHUP"}, "终端或连接已关闭（SIGHUP），运行中止"),
                        ({"code": "disk_full"}, "磁盘已满"), ({"code": "abandoned", "run": "r2"}, "由运行r2标记为已废弃")]:
        render_index(tmp_path / "index.html", {"run_id": "r", "status": "failed", "started": "s", "finished": None,
                                               "command": ["xiqu"], "options": {"language": "zh"},
                                               "reason": "a reason in English words only", "reason_code": code}, rows)
        page = visible_text((tmp_path / "index.html").read_text("utf-8"), skip_code=True)
        assert words in page and english_runs(page) == [], code


def test_job_titles_in_the_reports_language():
    from xiqu_analysis.runner.suites import plan_suite

    zh = {j.name: j.title for j in plan_suite(language="zh")}
    assert zh["scenario_report-low"] == "情景报告：约束趋紧（增速低于规划底线）"
    assert zh["scenario_comparison"] == "情景对比：攀枝花市西区" and zh["data_audit"] == "数据来源核查：攀枝花市西区"
    en = {j.name: j.title for j in plan_suite(language="en", suite="annual-review", year=2024, allow_empty=True)}
    assert en["scenario_report-low"] == "Constraints bind (growth below the plan's floors)"
    assert en["data_audit"] == "Data audit: Xiqu district (Panzhihua)"
    assert en["annual_review-2024"] == "Annual review 2024: Xiqu district (Panzhihua) (no actuals)"
