"""The annual review opens with the plan evaluation's summary for leaders (摘要), in words from the locale files.

The invented actuals (tests/fixtures): industry 8 %, services 7 %, agriculture
4, 3, 3 % and GDP 7 % a year in 2021-2023 against the plan's floors of 7.5,
8.5 and 3.5 % (2021-2025). By hand, reviewed on 2023 (time progress 3/5 =
60 %): industry is 0.5 points above its floor (ahead), agriculture averages
(1.04 x 1.03 x 1.03)^(1/3) - 1 = 3.33 %, 0.17 below (on track), services 1.5
below (behind) and needs (1.085^5 / 1.07^3)^(1/2) - 1 = 10.8 % a year in
2024-2025; the rehabilitation park's output has no actual figure. GDP's 7.0 %
is 0.8 points below the 7.8 % the floors imply on the scenarios' 2:58:40.
"""
from __future__ import annotations

import pandas as pd
import pytest

from xiqu_analysis.reports.sections import annual_review as report
from xiqu_analysis.reports.parameters import check_parameters, resolve

from tests.helpers import FIXTURES


@pytest.fixture(scope="module", params=["zh", "en"])
def summary(request, tmp_path_factory):
    lang = request.param
    out = tmp_path_factory.mktemp(f"review-{lang}")
    params = resolve(check_parameters("annual_review", review_year=2023, language=lang, output_dir=str(out),
                                      actuals_path=str(FIXTURES / "actuals_invented_2021_2025.csv")))
    run = report.open_run(params)
    report.section_summary(run)
    run.finish()
    return lang, (out / "text.md").read_text(encoding="utf-8"), pd.read_csv(out / "tables" / "evaluation.csv")


def test_the_summary_states_every_verdict_and_gdp_against_the_floors(summary):
    lang, text, _ = summary
    expected = {
        "zh": ["## 摘要", "截至2023年，规划期时间进度为60%，规划4项目标中，快于预期1项、基本符合预期1项、滞后1项、尚无数据1项。",
               "2021—2023年地区生产总值年均增长7.0%（可比价），比2021—2025年三次产业增速底线按基年产业结构（情景假设）"
               "加权所要求的年均7.8%低0.8个百分点。",
               "需重点关注：服务业增加值增速（2024—2025年需年均增长10.8%）。",
               "康复器具产业园总产值尚无实际数据"],
        "en": ["## Summary", "By 2023, with 60% of the plan period elapsed, of the plan's 4 targets: 1 ahead of schedule, "
               "1 on track, 1 behind, 1 no data yet.", "GDP grew 7.0% a year in real terms over 2021-2023, 0.8 points "
               "below the 7.8% a year", "services value added growth (2024-2025 need 10.8% a year)"],
    }[lang]
    for sentence in expected:
        assert sentence in text, sentence


def test_the_evaluation_table_keeps_the_codes(summary):
    _, _, table = summary
    by = table.set_index("indicator")
    assert list(by["verdict"]) == ["ahead", "behind", "on_track", "no_data"]
    assert by.loc["services_va_growth", "required"] == pytest.approx(100 * ((1.085**5 / 1.07**3) ** 0.5 - 1))
    assert by.loc["agriculture_va_growth", "average_pct"] == pytest.approx(100 * ((1.04 * 1.03 * 1.03) ** (1 / 3) - 1))


@pytest.mark.parametrize("lang, verdict, sentence", [
    ("zh", "快于预期（缺少2025年数据）", "实际数据缺少：工业增加值增速（2025年）、地区生产总值增速（2022、2025年），"
     "相关指标评估至首个缺失年份之前。"),
    ("en", "ahead of schedule (no figure for 2025)", "Figures the actuals lack: industrial value added growth (2025), "
     "GDP growth (2022, 2025); each is evaluated up to the year before its first gap."),
])
def test_rows_the_actuals_lack_are_named_in_the_summary_and_the_table(tmp_path, lang, verdict, sentence):
    """Industry without 2025 (a review allowed to go on without it) and GDP growth without 2022 and 2025: the
    verdict of industry (8 % a year 2021-2024 against 7.5 %) says which year it lacks, the summary lists both,
    and the park's output (in no bulletin) stays in the sentence of targets without data."""
    from xiqu_analysis.reports.tables.evaluation import evaluation_table
    from tests.helpers.actuals import without_rows

    actuals = without_rows(tmp_path / "actuals.csv", "industrial_va_growth,2025", "gdp_growth,2022", "gdp_growth,2025")
    params = resolve(check_parameters("annual_review", review_year=2025, language=lang, output_dir=str(tmp_path / "out"),
                                      actuals_path=str(actuals)))
    run = report.open_run(params)
    report.section_summary(run)
    run.finish()
    text = (tmp_path / "out" / "text.md").read_text(encoding="utf-8")
    assert sentence in text and text.count(run.region.label("rehab_park_output", lang)) == 1
    ev = run.review.evaluation
    shown = evaluation_table(ev, {k: run.region.label(k, lang) for k in ev.table["indicator"]}, lang)
    verdicts = list(shown[shown.columns[-2]])
    assert verdicts[0] == verdict and verdicts[1:] == (
        ["未实现", "实现", "尚无数据"] if lang == "zh" else ["not achieved", "achieved", "no data yet"])
