"""The review's conclusions in words, its charts and summary tables, on INVENTED actuals and INVENTED scenarios.

Hand arithmetic (tests/fixtures/actuals_invented_2021_2025.csv, labelled
invented): real growth 2021-2025 of GDP 7 % every year, industry 8 %,
services 7 %, agriculture 4, 3, 3, 4, 4 %. Two invented scenarios grow every
sector at a constant 8 % ("fast") and 5 % ("slow"), so each projects 8 % or
5 % for every real growth figure:

* industry averaged 8.0 %, 0.5 pp above its 7.5 % floor: met; services 7.0 %,
  1.5 pp below 8.5 %: missed; agriculture (1.04^3 x 1.03^2)^(1/5) - 1 = 3.60 %,
  0.1 pp above 3.5 %: met;
* the tracking error weighs each figure by the share of GDP it measures: GDP
  1, and (every sector growing alike, the shares stay 0.02 / 0.58 / 0.40)
  industry 0.58, services 0.40, agriculture 0.02, a weight of 2.0 a year.
  fast: (|7-8| x 1 x 5 + 0 + |7-8| x 0.40 x 5 + (4+5+5+4+4) x 0.02) / 10 =
  (5 + 2 + 0.44) / 10 = 0.744 pp, bias -0.744 pp; slow: (2 x 5 + 3 x 0.58 x 5
  + 2 x 0.40 x 5 + 7 x 0.02) / 10 = (10 + 8.7 + 4 + 0.14) / 10 = 2.284 pp,
  bias (10 + 8.7 + 4 - 0.14) / 10 = +2.256 pp; fast tracked best (unweighted:
  1.6 and 2.1 pp, agriculture's 2 % of GDP counting like GDP);
* real GDP doubling 2020-2035 from the 2025 actual: 2 / 1.07^5 = 1.42597 in
  ten years, 3.6 % a year; fast (8 %) reaches it in 2030 (1.08^5 = 1.469),
  slow (5 %) in 2033 (1.05^8 = 1.477 > 1.426 > 1.05^7 = 1.407).
"""
from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from xiqu_analysis.economics.review import annual_review
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.bulletins import load_bulletin
from xiqu_analysis.inputs.scenario import scenario_from_dict
from xiqu_analysis.reports.sections import annual_review as report
from xiqu_analysis.reports.words import text as T
from xiqu_analysis.reports.formats.artifacts import Report
from xiqu_analysis.reports.parameters import AnnualReviewParameters, Resolved, check_parameters, resolve
from tests.helpers import FIXTURES

INVENTED = FIXTURES / "actuals_invented_2021_2025.csv"
SYNTHETIC = FIXTURES / "actuals_synthetic.csv"
TITLES = {"en": {"fast": "Fast growth", "slow": "Slow growth"}, "zh": {"fast": "快速增长", "slow": "缓慢增长"}}


def invented(name: str, rate: float):
    return scenario_from_dict({
        "name": name, "title": name, "base_year": 2020, "end_year": 2035, "gdp_base": 82.91,
        "sector_shares": {"primary": 0.02, "secondary": 0.58, "tertiary": 0.40},
        "real_growth_pct": {"primary": rate, "secondary": rate, "tertiary": rate}, "deflator_pct": 2.0,
        "population": {"base": 129406.0, "growth_pct": -1.0}, "urban_income": {"base": 41794.0, "growth_pct": 7.0},
        "fiscal_revenue": {"base": 1.85, "buoyancy": 1.0}})


@pytest.fixture(scope="module")
def final(region):
    actuals = load_bulletin(INVENTED, indicators=region.indicators)
    return annual_review(2025, actuals, [invented("fast", 8.0), invented("slow", 5.0)], region, n_paths=200,
                         final=True)


def run_of(review, region, lang, tmp_path, titles=None, actuals=INVENTED, final=True):
    params = AnnualReviewParameters(review_year=review.review_year, language=lang, final=final)
    resolved = Resolved(params, tmp_path, lang, tuple(Path(f"{n}.yaml") for n in (titles or {})), actuals)
    return report.ReviewRun(resolved, Report(tmp_path, lang), region, review, dict(titles or {}))


# --------------------------------------------------------------------------- words
def test_final_review_conclusions_in_english(final, region, tmp_path):
    text = report.conclusions_text(run_of(final, region, "en", tmp_path, TITLES["en"]))
    for sentence in [
        "Industrial value added: over 2021-2025 actual real growth averaged 8.0% a year, 0.5 pp above the floor of 7.5%: met.",
        "Services value added: over 2021-2025 actual real growth averaged 7.0% a year, 1.5 pp below the floor of 8.5%: missed.",
        "Agriculture value added: over 2021-2025 actual real growth averaged 3.6% a year, 0.1 pp above the floor of 3.5%: met.",
        "Rehabilitation-equipment park gross output (2025): no actual figure, not scored.",
        "Fast growth: mean absolute error of real growth 0.7 pp over 20 figures weighted by their share of GDP, "
        "bias -0.7 pp (actual - projected)",
        "Slow growth: mean absolute error of real growth 2.3 pp over 20 figures weighted by their share of GDP, "
        "bias +2.3 pp (actual - projected)",
        "Tracked best: Fast growth, with the smallest GDP-weighted mean absolute error of real growth (0.7 pp).",
        "Real GDP doubling from its 2020 level by 2035:",
        "Fast growth, re-based on 2025: every sector growing 3.6% a year (real) in 2026-2035 reaches it exactly",
        "the scenario itself averages 8.0% a year over those years and reaches it in 2030.",
        "the scenario itself averages 5.0% a year over those years and reaches it in 2033.",
        "Real GDP doubling by 2035 is a benchmark of the long-range goal year, not a target of the plan: an assumption.",
    ]:
        assert sentence in text, sentence
    assert final.best_scenario == "fast"
    # a target ahead heads a flat list of the scenarios (Word, PDF and HTML show it alike)
    assert "\n\nReal GDP doubling from its 2020 level by 2035:\n\n- Fast growth, re-based on 2025:" in text
    assert "\n  - " not in text
    # the re-based outlook: 128 亿元 in 2025 growing 1.08 x 1.02 a year; the original from 82.91 亿元 in 2020
    nominal = 1.08 * 1.02
    rebased, original = 128.0 * nominal ** 5, 82.91 * nominal ** 10
    change = 100 * (rebased / original - 1)
    assert (f"Fast growth: re-based on the 2025 actual, nominal GDP reaches {rebased:.2f} 亿元 in 2030 "
            f"({change:+.1f}% against the original {original:.2f} 亿元)") in text


def test_final_review_conclusions_in_chinese(final, region, tmp_path):
    text = report.conclusions_text(run_of(final, region, "zh", tmp_path, TITLES["zh"]))
    for sentence in [
        "工业增加值：2021—2025年实际年均增长8.0%，高于规划底线（7.5%）0.5个百分点，达到。",
        "服务业增加值：2021—2025年实际年均增长7.0%，低于规划底线（8.5%）1.5个百分点，未达到。",
        "农业增加值：2021—2025年实际年均增长3.6%，高于规划底线（3.5%）0.1个百分点，达到。",
        "快速增长：实际增速平均绝对误差0.7个百分点（20项，按占地区生产总值的比重加权），平均偏差-0.7个百分点（实际值减预测值）",
        "缓慢增长：实际增速平均绝对误差2.3个百分点（20项，按占地区生产总值的比重加权），平均偏差+2.3个百分点（实际值减预测值）",
        "跟踪实际最好的情景：快速增长（实际增速加权平均绝对误差最小，为0.7个百分点）。",
        "地区生产总值（不变价）到2035年比2020年翻一番：",
        "快速增长，以2025年为基期重新基准：2026—2035年三次产业年均实际增长3.6%即可恰好实现",
        "该情景同期自身年均增长8.0%，于2030年实现。",
        "该情景同期自身年均增长5.0%，于2033年实现。",
    ]:
        assert sentence in text, sentence
    for english in ("averaged", "floor", "Tracked", "re-based", "a year"):
        assert english not in text


@pytest.mark.parametrize("lang, expected", [
    ("en", "Industrial value added: actual real growth averaged 6.0% a year in 2021-2023, 1.5 pp below the floor of "
           "7.5% (missed so far); meeting the floor over 2021-2025 needs 9.8% a year in 2024-2025."),
    ("zh", "工业增加值：2021—2023年实际年均增长6.0%，低于规划底线（7.5%）1.5个百分点，目前未达到底线；"
           "要在2021—2025年达到底线，2024—2025年需年均增长9.8%。"),
])
def test_annual_review_states_the_growth_still_needed(region, tmp_path, lang, expected):
    """SYNTHETIC fixture: industry 9, 3, 6 % in 2021-2023 averages 5.97 %; ((1.075^5 / 1.190062)^(1/2) - 1 = 9.83 %."""
    r = annual_review(2025, load_bulletin(SYNTHETIC, indicators=region.indicators), [], region, n_paths=50)
    text = report.conclusions_text(run_of(r, region, lang, tmp_path, actuals=SYNTHETIC, final=False))
    assert expected in text
    services = "12.4%" if lang == "en" else "需年均增长12.4%"  # ((1.085^5 / (1.07 x 1.05 x 1.06))^(1/2) - 1
    assert services in text


def test_no_actuals_says_the_floor_stands(region, tmp_path):
    r = annual_review(2025, None, [invented("fast", 8.0)], region, n_paths=50)
    text = report.conclusions_text(run_of(r, region, "en", tmp_path, {"fast": "Fast"}, actuals=None, final=False))
    assert "Industrial value added: no actual real growth after 2020 yet; the floor of 7.5% a year over 2021-2025 stands." in text
    assert "Fast: no actual figure could be compared." in text and "No scenario could be compared" in text
    assert "Fast, from its base year 2020: every sector growing 4.7% a year (real) in 2021-2035" in text


def test_no_heading_stands_alone(region, tmp_path):
    """Without actuals each empty table says why, below its heading; its CSV is written all the same."""
    r = annual_review(2025, None, [invented("fast", 8.0)], region, n_paths=50)
    run = run_of(r, region, "en", tmp_path, {"fast": "Fast"}, actuals=None, final=False)
    for section in (report.section_scores, report.section_rebased, report.section_plan, report.section_actuals):
        section(run)
    run.finish()
    text = (tmp_path / "text.md").read_text("utf-8")
    blocks = text.split("\n\n")
    for i, block in enumerate(blocks):
        if block.startswith("## "):
            assert not blocks[i + 1].startswith("## "), block
    assert text.count("No actual figure to compare yet") == 4
    assert (tmp_path / "tables" / "plan_comparison.csv").is_file() and (tmp_path / "tables" / "outlook.csv").is_file()


# --------------------------------------------------------------------------- tables
def test_summary_table_one_row_per_indicator_and_scenario_in_readable_names(final, region, tmp_path):
    run = run_of(final, region, "en", tmp_path, TITLES["en"])
    summary = report.summary_table(run)
    assert len(summary) == 2 * 11  # 4 real growth series and 7 levels, each scenario
    assert "industrial_va_growth" not in set(summary["indicator"])
    row = summary[(summary["scenario"] == "Fast growth") & (summary["indicator"] == "GDP growth")].iloc[0]
    assert (row["years"], row["n"], row["kind"]) == ("2021-2025", 5, "real growth (pp)")
    assert row["mean_abs_error"] == pytest.approx(1.0) and row["bias"] == pytest.approx(-1.0)
    assert (row["last_year"], row["last_actual"], row["last_projected"]) == (2025, 7.0, pytest.approx(8.0))
    ranked = report.tracking_table(run)
    assert list(ranked["scenario"]) == ["Fast growth", "Slow growth"] and list(ranked["rank"]) == [1, 2]
    assert list(ranked["mae_growth_pp"]) == [pytest.approx(0.744), pytest.approx(2.284)]
    card = report.scorecard_table(run).set_index("target")
    assert card.loc["Services value added", "status"] == "missed" and card.loc["Services value added", "gap"] == pytest.approx(-1.5)
    assert T.column_header("mean_abs_error", "zh") == "平均绝对误差"


def test_long_tables_are_written_not_shown(final, region, tmp_path, monkeypatch):
    import xiqu_analysis.reports.formats.artifacts as artifacts

    run = run_of(final, region, "en", tmp_path, TITLES["en"])
    shown = []  # what the report shows (through IPython in a notebook)
    monkeypatch.setattr(artifacts, "_display", lambda obj: shown.append(str(getattr(obj, "data", ""))))
    report.section_scores(run)
    report.section_rebased(run)
    html = "\n".join(shown)
    assert (tmp_path / "tables" / "scenario_scores.csv").is_file() and (tmp_path / "tables" / "rebased.csv").is_file()
    assert "Fan band" not in html and "Mean absolute error" in html  # the summary, not the long dump
    # the CSV keeps it all: per scenario 20 real growth figures and 11 levels (GDP 2021-2025; the 2025
    # sector value added, population, income and revenue)
    assert sum(1 for _ in (tmp_path / "tables" / "scenario_scores.csv").open(encoding="utf-8")) == 1 + 2 * (20 + 11)


# --------------------------------------------------------------------------- charts
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_growth_chart_compares_real_with_real(final, lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing CJK glyph would raise
        fig = report.growth_figure(final, lang, {"fast": "fast", "slow": "slow"})
        from xiqu_analysis.reports.charts.plots import png_bytes

        assert png_bytes(fig)[:4] == b"\x89PNG"
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == [T.label(c, lang) for c in ("secondary", "tertiary", "primary", "gdp_real")]
    assert fig._suptitle is None  # the caption (review.caption_growth_figure) says what the figure shows
    lines = {line.get_label(): line for line in axes[0].get_lines()}
    actual = lines[T.t("review.fig_actual", lang)]
    assert list(actual.get_ydata()) == pytest.approx([100 * 1.08 ** k for k in range(6)])
    floor = lines[T.t("review.fig_floor", lang)]
    assert list(floor.get_xdata()) == list(range(2020, 2026))
    assert list(floor.get_ydata()) == pytest.approx([100 * 1.075 ** k for k in range(6)])
    slow = lines[T.t("review.fig_projected", lang, scenario="slow")]
    assert list(slow.get_xdata())[0] == 2020 and list(slow.get_ydata()) == pytest.approx([100 * 1.05 ** k for k in range(6)])
    assert axes[0].get_ylabel() == T.t("review.fig_index_label", lang, base=2020)
    # a scenario growing exactly at the floors does not hide them: the floor is drawn above every scenario,
    # dashed with open markers, narrower than the scenario line it may run along
    fast = lines[T.t("review.fig_projected", lang, scenario="fast")]
    assert floor.get_zorder() > max(fast.get_zorder(), slow.get_zorder())
    assert floor.get_linestyle() == "--" and fast.get_linestyle() == "-"
    assert floor.get_marker() == "s" and floor.get_markerfacecolor() == "white"
    assert floor.get_linewidth() < fast.get_linewidth()


def test_level_chart_draws_rebased_paths_from_the_latest_actual(final):
    fig = report.review_figure(final, "gdp_nominal", "en", {"fast": "fast", "slow": "slow"})
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    projected, rebased = lines["fast: projected"], lines["fast: re-based"]
    assert list(projected.get_xdata())[0] == 2020 and list(rebased.get_xdata())[0] == 2025
    assert list(rebased.get_ydata())[0] == pytest.approx(128.0)
    assert list(lines["actual"].get_ydata()) == [82.91, 90.0, 98.0, 107.0, 117.0, 128.0]


# --------------------------------------------------------------------------- the final mode
def test_final_mode_parameters(tmp_path):
    with pytest.raises(InputError) as exc:
        resolve(check_parameters("annual_review", review_year=2024, final=True))
    assert exc.value.field == "final" and "2021-2025" in exc.value.problem and "2025 or later" in exc.value.problem
    p = check_parameters("annual_review", review_year=2025, final=True, targets="gdp_real x2 from 2020 by 2035; "
                         "gdp_nominal 200 by 2030")
    assert p.targets == ["gdp_real x2 from 2020 by 2035", "gdp_nominal 200 by 2030"]
    assert resolve(p).output_dir.name == "annual_review-2025-final"
    with pytest.raises(InputError) as exc:
        check_parameters("annual_review", targets=["gdp_real 150 by 2030"])
    assert exc.value.field.startswith("targets") and "constant prices" in exc.value.problem


def test_final_review_scores_only_the_plan_period(region):
    later = load_bulletin(INVENTED, indicators=region.indicators)
    extra = later[later["year"] == 2025].assign(year=2026)
    both = pd.concat([later, extra], ignore_index=True)
    r = annual_review(2026, both, [invented("fast", 8.0)], region, n_paths=50, final=True)
    assert r.scenario_scores["year"].max() == 2025 and r.latest_year == 2026
    req = r.required.set_index("column")
    assert req.loc["secondary", "from_year"] == 2025 and req.loc["secondary", "status"] == "met"  # 2026 not chained in
