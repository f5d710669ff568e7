"""The grammar of ``xiqu extract`` on sentences written for these tests (invented places and numbers)."""
from __future__ import annotations

import pytest

from xiqu_analysis.inputs.extract import extract_figures
from xiqu_analysis.inputs.extract.normalise import chinese_number, normalise


def rows(text: str, **kw) -> set[tuple]:
    """(indicator, region, year or period, value, unit, price_basis, kind) of every figure of ``text``."""
    return {(f.indicator, f.region, f.year or f.period, f.value, f.unit, f.price_basis, f.kind)
            for f in extract_figures(text, **kw)}


def registry_rows(text: str, **kw) -> set[tuple]:
    return {r for r in rows(text, **kw) if not r[0].startswith("other:")}


BULLETIN = "松河县2030年国民经济和社会发展统计公报\n松河县统计局\n2031年3月2日\n"


def test_level_and_growth_share_the_subject_across_clauses():
    text = BULLETIN + "初步核算，全年全县实现地区生产总值188.20亿元，按可比价格计算，比上年增长4.4%。"
    assert registry_rows(text, region="songhe") == {
        ("gdp", "songhe", 2030, "188.20", "亿元", "current", "actual"),
        ("gdp_growth", "songhe", 2030, "4.4", "%", "comparable", "actual"),
    }


def test_sectors_falls_and_structure_from_the_previous_year():
    text = BULLETIN + ("其中，第一产业增加值20.10亿元，增长2.2%；第二产业增加值70.00亿元，下降1.5%；"
                       "第三产业增加值98.10亿元，增长6.0%。三次产业结构由上年的11.0:38.0:51.0调整为10.7:37.2:52.1。")
    got = registry_rows(text, region="songhe")
    assert ("secondary_va_growth", "songhe", 2030, "-1.5", "%", "comparable", "actual") in got
    assert ("primary_share", "songhe", 2029, "11.0", "", "current", "actual") in got
    assert ("tertiary_share", "songhe", 2030, "52.1", "", "current", "actual") in got
    assert ("tertiary_va", "songhe", 2030, "98.10", "亿元", "current", "actual") in got


def test_points_are_other_rows_never_the_indicator_and_the_city_keeps_its_own_figure():
    text = ("柏川县2030年统计公报\n2031年4月1日\n经榆州市统计局统一核算，全年全县实现地区生产总值55.5亿元，比上年增长"
            "7.1%，增速比全市（6.2%）高0.9个百分点，比上年回落0.5个百分点。")
    got = rows(text, region="baichuan")
    assert ("gdp_growth", "baichuan", 2030, "7.1", "%", "comparable", "actual") in got
    assert ("gdp_growth", "yuzhou", 2030, "6.2", "%", "comparable", "actual") in got
    assert ("other:gdp_growth_gap_vs_city", "baichuan", 2030, "0.9", "个百分点", "comparable", "actual") in got
    assert ("other:gdp_growth_change_vs_prev_year", "baichuan", 2030, "-0.5", "个百分点", "comparable",
            "actual") in got
    assert not any(r[0] == "gdp_growth" and r[3] in ("0.9", "-0.5", "0.5") for r in got)


def test_respectively_lists_give_each_name_its_number():
    text = BULLETIN + "城乡居民人均可支配收入分别达到40100元和21900元，分别增长4.0%和6.1%。"
    assert registry_rows(text, region="songhe") == {
        ("urban_disposable_income", "songhe", 2030, "40100", "元", "current", "actual"),
        ("rural_disposable_income", "songhe", 2030, "21900", "元", "current", "actual"),
        ("urban_disposable_income_growth", "songhe", 2030, "4.0", "%", "current", "actual"),
        ("rural_disposable_income_growth", "songhe", 2030, "6.1", "%", "current", "actual"),
    }


def test_other_places_and_sub_scopes_are_not_the_documents_region():
    text = ("2030年松河区经济运行情况\n松河区统计局  2031年2月1日\n全区一般公共预算收入20.00亿元，增长3.0%。"
            "其中，区本级一般公共预算收入12.00亿元，增长1.0%；经开区8.00亿元，增长6.0%。"
            "相邻的柳坪县2030年实现地区生产总值99.90亿元，增长4.0%。")
    got = registry_rows(text, region="songhe")
    assert ("general_budget_revenue", "songhe", 2030, "20.00", "亿元", "current", "actual") in got
    assert ("general_budget_revenue", "songhe_benji", 2030, "12.00", "亿元", "current", "actual") in got
    assert ("general_budget_revenue_growth", "songhe_jingkaiqu", 2030, "6.0", "%", "current", "actual") in got
    assert ("gdp", "liuping", 2030, "99.90", "亿元", "current", "actual") in got
    assert not any(r[0] == "gdp" and r[1] == "songhe" for r in got)


def test_partial_year_release_never_gives_annual_figures():
    text = ("2031年上半年松河县经济运行简析\n松河县统计局\n2031年7月20日\n上半年，全县实现地区生产总值40.20亿元，"
            "同比下降0.6%（一季度增长1.2%）。6月末，全县金融机构各项存款余额150.30亿元，同比增长5.0%。")
    got = rows(text, region="songhe")
    assert ("gdp", "songhe", "2031H1", "40.20", "亿元", "current", "actual") in got
    assert ("gdp_growth", "songhe", "2031H1", "-0.6", "%", "comparable", "actual") in got
    assert ("gdp_growth", "songhe", "2031Q1", "1.2", "%", "comparable", "actual") in got
    assert all(r[2] != 2031 for r in got if r[0].startswith("gdp"))


def test_work_report_preliminary_and_targets_with_qualifiers_and_ranges():
    text = ("政府工作报告\n——2031年1月8日在松河区人民代表大会上\n一、2030年工作回顾\n预计全年地区生产总值完成260.5亿元、"
            "增长5.1%。\n二、2031年主要目标\n地区生产总值增长5%左右，力争总量达到275亿元；规模以上工业增加值增长"
            "6%—7%。")
    got = registry_rows(text, region="songhe")
    assert ("gdp", "songhe", 2030, "260.5", "亿元", "current", "preliminary") in got
    assert ("gdp_growth", "songhe", 2030, "5.1", "%", "comparable", "preliminary") in got
    assert ("gdp_growth", "songhe", 2031, "5", "%", "comparable", "target") in got
    assert ("gdp", "songhe", 2031, "275", "亿元", "current", "target") in got
    assert ("industrial_va_growth", "songhe", 2031, "6", "%", "comparable", "target") in got
    assert ("industrial_va_growth", "songhe", 2031, "7", "%", "comparable", "target") in got


def test_plan_past_averages_and_future_targets():
    text = ("松河县国民经济和社会发展第十五个五年规划纲要\n（2026年2月1日松河县人民代表大会批准）\n"
            "第一节 “十四五”时期发展成就\n——地区生产总值从2020年的100.0亿元增长到2025年的140.0亿元，年均增长6.1%。\n"
            "第二节 “十五五”时期主要目标\n——到2030年，地区生产总值达到190亿元左右，年均增长6%左右。\n")
    got = registry_rows(text, region="songhe")
    assert ("gdp", "songhe", 2020, "100.0", "亿元", "current", "actual") in got
    assert ("gdp", "songhe", 2025, "140.0", "亿元", "current", "actual") in got
    assert ("gdp_growth", "songhe", "2021-2025", "6.1", "%", "comparable", "stated_average") in got
    assert ("gdp", "songhe", 2030, "190", "亿元", "current", "target") in got
    assert ("gdp_growth", "songhe", "2026-2030", "6", "%", "comparable", "target") in got


def test_traditional_full_width_chinese_numerals_separators_and_stray_spaces():
    text = ("柳坪縣2030年國民經濟和社會發展統計公報\n2031年3月9日\n全年一般公共預算收入１２．５億元，同口徑增長百分之三點五。"
            "城鎮居民人均可支配收入45,120元，增長4.2%。全年社會消費品零售總額1 034.6億元，增長5. 5%。")
    got = registry_rows(text, region="liuping")
    assert ("general_budget_revenue", "liuping", 2030, "12.5", "亿元", "current", "actual") in got
    assert ("general_budget_revenue_growth", "liuping", 2030, "3.5", "%", "current", "actual") in got
    assert ("urban_disposable_income", "liuping", 2030, "45120", "元", "current", "actual") in got
    assert ("retail_sales", "liuping", 2030, "1034.6", "亿元", "current", "actual") in got
    assert ("retail_sales_growth", "liuping", 2030, "5.5", "%", "current", "actual") in got
    quotes = [f.quote for f in extract_figures(text, region="liuping")]
    assert all(q in text for q in quotes)  # verbatim, in traditional characters
    assert "一般公共預算收入１２．５億元" in quotes


def test_news_item_resolves_this_year_and_last_year_from_the_dateline():
    text = ("松河区一季度经济稳中有进\n2031-04-20 09:00  来源：松河日报\n本报讯 今年一季度，松河区实现地区生产总值"
            "88.8亿元，同比增长5.2%。去年，松河区地区生产总值达到370.1亿元，增长4.9%，位居全市第二。")
    got = registry_rows(text, region="songhe")
    assert ("gdp", "songhe", "2031Q1", "88.8", "亿元", "current", "actual") in got
    assert ("gdp", "songhe", 2030, "370.1", "亿元", "current", "actual") in got
    assert ("gdp_growth", "songhe", 2030, "4.9", "%", "comparable", "actual") in got


def test_an_unknown_subject_is_not_given_the_previous_indicator():
    text = BULLETIN + "全年固定资产投资比上年增长3.3%。其中，第一产业投资下降8.0%，民间投资增长1.1%。"
    got = registry_rows(text, region="songhe")
    assert got == {("fixed_investment_growth", "songhe", 2030, "3.3", "%", "current", "actual")}


def test_dates_ranks_and_list_numbers_are_not_figures():
    text = BULLETIN + "1.本公报中2030年数据均为初步统计数。全县规模以上工业增加值增长9.0%，居全市第2位。"
    got = rows(text, region="songhe")
    assert got == {("industrial_va_growth", "songhe", 2030, "9.0", "%", "comparable", "actual")}


@pytest.mark.parametrize("cn, expected", [("五点二", "5.2"), ("二十一点四", "21.4"), ("十二", "12"), ("三", "3")])
def test_chinese_numbers(cn, expected):
    assert chinese_number(cn) == expected


def test_normalise_keeps_the_way_back_to_the_original():
    nt = normalise("增長６．５％，增長三成，1 234.5億元，43,518元，百分之五點二")
    assert nt.text == "增长6.5%，增长3成，1234.5亿元，43518元，5.2%"
    i = nt.text.index("1234.5")
    assert nt.original(i, i + len("1234.5亿元")) == "1 234.5億元"
    j = nt.text.index("5.2%")
    assert nt.original(j, j + 4) == "百分之五點二"


def test_plan_without_years_in_its_title_present_facts_and_floors():
    text = ("柳坪县协同发展规划\n（征求意见稿）\n柳坪县发展和改革局\n二〇二六年五月\n"
            "柳坪县幅员面积为812.5平方千米，森林覆盖率达58%。\n"
            "2025年，全县地区生产总值达到了96.40亿元，全县地区生产总值五年年平均增长率为5.1%。\n"
            "“十五五”期间，工业增加值年均增速不低于6.5%。加快农旅融合发展，农业增加值年均增速不低于3%。\n")
    got = registry_rows(text, region="liuping")
    assert ("area", "liuping", 2026, "812.5", "平方千米", "unknown", "actual") in got
    assert ("forest_cover", "liuping", 2026, "58", "%", "unknown", "actual") in got
    assert ("gdp", "liuping", 2025, "96.40", "亿元", "current", "actual") in got
    assert ("gdp_growth", "liuping", "2021-2025", "5.1", "%", "comparable", "stated_average") in got
    assert ("industrial_va_growth", "liuping", "2026-2030", "6.5", "%", "comparable", "target") in got
    assert ("agriculture_va_growth", "liuping", "2026-2030", "3", "%", "comparable", "target") in got


def test_a_new_noun_after_a_list_comma_is_not_the_first_nouns():
    text = BULLETIN + "全年城镇新增就业6120人、城镇调查失业率5.2%，新签约亿元以上项目12个、总投资88亿元。"
    got = rows(text, region="songhe")
    assert ("other:new_urban_jobs", "songhe", 2030, "6120", "人", "unknown", "actual") in got
    assert ("other:surveyed_unemployment_rate", "songhe", 2030, "5.2", "%", "unknown", "actual") in got
    assert not any(r[3] == "88" for r in got)


def test_growth_changes_and_gaps_keep_naming_the_growth():
    text = BULLETIN + "全年社会消费品零售总额66.0亿元，比上年增长5.0%，增速比上年加快1.0个百分点，比全市低0.3个百分点。"
    got = rows(text, region="songhe")
    assert ("other:retail_sales_growth_change_vs_prev_year", "songhe", 2030, "1.0", "个百分点", "current",
            "actual") in got
    assert ("other:retail_sales_growth_gap_vs_city", "songhe", 2030, "-0.3", "个百分点", "current", "actual") in got


def test_money_in_yi_alone_and_january_to_month_periods():
    text = ("2030年1-10月松河区经济运行情况\n松河区统计局  2030年11月20日\n1-10月，全区社会消费品零售总额80.1亿，"
            "增长4.4%。1-6月全区固定资产投资增长2.0%。接待游客1.2亿人次。")
    got = registry_rows(text, region="songhe")
    assert got == {("retail_sales", "songhe", "2030M1-10", "80.1", "亿", "current", "actual"),
                   ("retail_sales_growth", "songhe", "2030M1-10", "4.4", "%", "current", "actual"),
                   ("fixed_investment_growth", "songhe", "2030H1", "2.0", "%", "current", "actual")}
    gdp = extract_figures(BULLETIN + "全年地区生产总值89.5亿，增长4.0%。", region="songhe")[0]
    assert (gdp.indicator, gdp.value, gdp.unit) == ("gdp", "89.5", "亿")


def test_respectively_after_the_names_ratio_colons_and_dollar_conversions():
    text = BULLETIN + ("全年第一产业增加值3.1亿元，第二产业增加值40.2亿元，第三产业增加值50.3亿元，分别增长2.0%、5.1%和4.3%。"
                       "三次产业结构为3.3∶42.8∶53.9。人均地区生产总值68000元（按年平均汇率折算为9745美元）。")
    got = registry_rows(text, region="songhe")
    assert {r for r in got if r[0].endswith("_va_growth")} == {
        ("primary_va_growth", "songhe", 2030, "2.0", "%", "comparable", "actual"),
        ("secondary_va_growth", "songhe", 2030, "5.1", "%", "comparable", "actual"),
        ("tertiary_va_growth", "songhe", 2030, "4.3", "%", "comparable", "actual")}
    assert ("secondary_share", "songhe", 2030, "42.8", "", "current", "actual") in got
    assert not any(r[3] == "9745" for r in got)


def test_a_respectively_list_without_its_names_is_left_out():
    text = BULLETIN + "全年规模以上工业增加值增长6.0%。轻、重工业分别增长3.2%和7.1%。"
    got = rows(text, region="songhe")
    assert got == {("industrial_va_growth", "songhe", 2030, "6.0", "%", "comparable", "actual")}


def test_mid_term_review_labels_progress_and_cumulative_reductions():
    text = ("松河县“十五五”规划纲要实施中期评估报告\n松河县发展和改革局\n2028年9月\n"
            "地区生产总值：规划目标为2030年达到150亿元、年均增长6%。2026年、2027年分别增长5.0%和5.4%，年均增长5.2%，"
            "低于规划目标0.8个百分点；2027年达到128.5亿元，完成目标进度的41.0%。\n"
            "城镇调查失业率：规划目标为控制在5.5%以内。2027年为5.0%。\n"
            "单位地区生产总值能源消耗降低：规划目标为五年累计降低13.5%。2026—2027年累计降低5.0%，完成目标进度的37.0%。\n")
    got = rows(text, region="songhe")
    assert ("gdp", "songhe", 2030, "150", "亿元", "current", "target") in got
    assert ("gdp_growth", "songhe", "2026-2030", "6", "%", "comparable", "target") in got
    assert ("gdp_growth", "songhe", 2027, "5.4", "%", "comparable", "actual") in got
    assert ("gdp_growth", "songhe", "2026-2027", "5.2", "%", "comparable", "stated_average") in got
    assert ("other:gdp_growth_gap_vs_target", "songhe", "2026-2027", "-0.8", "个百分点", "comparable",
            "actual") in got
    assert ("other:gdp_target_progress", "songhe", 2027, "41.0", "%", "unknown", "actual") in got
    assert ("other:surveyed_unemployment_rate", "songhe", 2030, "5.5", "%", "unknown", "target") in got
    assert ("energy_intensity_reduction", "songhe", "2026-2030", "13.5", "%", "unknown", "target") in got
    assert ("energy_intensity_reduction", "songhe", "2026-2027", "5.0", "%", "unknown", "actual") in got


def test_a_paragraphs_time_carries_to_its_next_sentences_but_not_a_bracketed_aside():
    text = ("松河县经济运行简析\n松河县统计局\n2031年7月25日\n上半年，全县实现地区生产总值50.10亿元，同比增长2.0%"
            "（一季度增长1.1%）。分产业看，第一产业增加值6.20亿元，同比增长3.3%。\n")
    got = registry_rows(text, region="songhe")
    assert ("gdp_growth", "songhe", "2031Q1", "1.1", "%", "comparable", "actual") in got
    assert ("primary_va", "songhe", "2031H1", "6.20", "亿元", "current", "actual") in got
    assert ("primary_va_growth", "songhe", "2031H1", "3.3", "%", "comparable", "actual") in got
    assert not any(r[2] == 2031 for r in got)  # nothing of the half-year taken as annual


def test_a_plans_look_back_doubling_and_a_share_change_over_the_period():
    text = ("松河县国民经济和社会发展第十五个五年规划纲要\n（2026年2月1日松河县人民代表大会批准）\n"
            "第一节 “十四五”时期发展成就\n"
            "——三次产业结构由2020年的10.0:45.0:45.0调整为2025年的8.0:44.0:48.0，第三产业增加值比重提高3.0个百分点。"
            "森林覆盖率达到61.5%，比2020年提高2.5个百分点。\n"
            "第二节 二〇四〇年远景目标\n展望二〇四〇年，地区生产总值比2025年翻一番。\n")
    got = rows(text, region="songhe")
    assert ("other:tertiary_share_change", "songhe", "2021-2025", "3.0", "个百分点", "current", "actual") in got
    assert ("forest_cover", "songhe", 2025, "61.5", "%", "unknown", "actual") in got
    assert ("other:forest_cover_change", "songhe", "2021-2025", "2.5", "个百分点", "unknown", "actual") in got
    assert ("other:gdp_multiple_of_2025", "songhe", 2040, "2", "倍", "comparable", "target") in got


def test_work_report_headings_without_years():
    text = ("政府工作报告\n——2031年1月10日在松河区人民代表大会上\n一、过去一年工作回顾\n"
            "全年地区生产总值增长5.2%，社会消费品零售总额达到88.1亿元。\n二、今年工作安排\n全区地区生产总值增长5.5%左右。\n")
    assert registry_rows(text, region="songhe") == {
        ("gdp_growth", "songhe", 2030, "5.2", "%", "comparable", "actual"),
        ("retail_sales", "songhe", 2030, "88.1", "亿元", "current", "actual"),
        ("gdp_growth", "songhe", 2031, "5.5", "%", "comparable", "target")}
