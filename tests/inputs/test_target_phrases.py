"""Targets as the plan writes them: read into the solver's form with the registry's names and the region's years."""
from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from xiqu_analysis.cli import main
from xiqu_analysis.economics.solver import is_phrase, parse_target
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.indicators import indicator_registry, load_indicators
from xiqu_analysis.inputs.regions import load_region
from xiqu_analysis.inputs.target_phrases import has_cjk, read_target_phrase
from xiqu_analysis.reports.parameters import check_parameters


@pytest.fixture(scope="module")
def registry():
    return indicator_registry(load_indicators())


@pytest.mark.parametrize("phrase, coded", [
    ("工业增加值年均增长不低于7.5%", "secondary 7.5% from 2020 by 2025"),       # the plan's floor (ch.2 §4.2)
    ("服务业增加值年均增速8.5%以上", "tertiary 8.5% from 2020 by 2025"),
    ("地区生产总值2035年比2020年翻一番", "gdp_real x2 from 2020 by 2035"),      # doubling: real, from 2020
    ("到2035年，地区生产总值较2020年翻两番", "gdp_real x4 from 2020 by 2035"),
    ("地区生产总值是2020年的2.5倍", "gdp_real x2.5 from 2020 by 2025"),
    ("人均地区生产总值达到10万元", "gdp_per_capita 10 万元 by 2025"),            # a level: current prices
    ("2030年一般公共预算收入达到5亿元", "fiscal_revenue 5 亿元 by 2030"),
    ("城镇居民人均可支配收入年均增长８％", "urban_income 8% from 2020 by 2025"),   # full-width digits
    ("2025年 常住人口 达到 13 万人", "population 13 万人 by 2025"),               # stray spaces
])
def test_the_plans_phrases(registry, phrase, coded):
    assert read_target_phrase(phrase, registry, 2020, 2025) == coded


def test_a_phrase_solves_like_its_coded_form():
    region = load_region("xiqu")
    phrase = parse_target("人均地区生产总值2030年达到10万元", region=region)
    coded = parse_target("gdp_per_capita 100000 元 by 2030")
    assert (phrase.column, phrase.year, phrase.level) == (coded.column, coded.year, coded.level) == \
        ("gdp_per_capita", 2030, 100000.0)
    assert phrase.text == "人均地区生产总值2030年达到10万元"  # readers see the plan's words


@pytest.mark.parametrize("phrase, words", [
    ("本区人口翻一番", "names no indicator"),
    ("地区生产总值稳步增长", "states no target"),
    ("康复器具产业园总产值年均增长10%", "is not projected"),
])
def test_a_phrase_it_cannot_read_is_one_line(registry, phrase, words):
    with pytest.raises(InputError) as err:
        read_target_phrase(phrase, registry, 2020, 2025)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_without_a_region_a_phrase_is_refused():
    with pytest.raises(InputError, match="region"):
        parse_target("工业增加值年均增长不低于7.5%")
    assert has_cjk("工业") and not has_cjk("gdp_real x2 from 2020 by 2035")
    assert not is_phrase("urban_income 60000 元 by 2030") and is_phrase("人均地区生产总值达到10万元")


def test_xiqu_targets_solve_takes_the_plans_words():
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["targets", "--solve", "工业增加值年均增长不低于7.5%", "--format", "csv",
                     "scenarios/plan_targets.yaml"]) == 0
    lines = [line for line in out.getvalue().splitlines() if ",secondary," in line]
    assert lines and ",7.5," in lines[0]  # the plan_targets scenario grows industry at exactly its floor


def test_review_parameters_read_phrases_with_the_region():
    params = check_parameters("annual_review", targets=["地区生产总值2035年比2020年翻一番"])
    assert params.targets == ["地区生产总值2035年比2020年翻一番"]
    with pytest.raises(InputError, match="names no indicator"):
        check_parameters("annual_review", targets=["本区人口翻一番"])
