"""Report text: locale files, number formatting, escaping and narrative builders."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiqu_analysis import text as T
from xiqu_analysis.projection import project
from xiqu_analysis.scenario import load_scenario
from xiqu_analysis.targets import analyse_targets

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "xiqu_analysis"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


# --------------------------------------------------------------------------- formatting
def test_number_formats_hand_computed():
    assert T.fmt_yi(82.91) == "82.91 亿元"
    assert T.fmt_yi(82.905) in ("82.91 亿元", "82.90 亿元")  # binary rounding, but two decimals
    assert T.fmt_yi(1234.5) == "1,234.50 亿元"
    assert T.fmt_yuan(65801.4) == "65,801 yuan"
    assert T.fmt_yuan(1212203) == "1,212,203 yuan"
    assert T.fmt_pct(4.9) == "4.9%"
    assert T.fmt_pct(7.8312) == "7.8%"
    assert T.fmt_pp(0.26) == "+0.3 pp"
    assert T.fmt_pp(-1.24) == "-1.2 pp"
    assert T.fmt_pp(-0.04) == "+0.0 pp"  # no "-0.0"
    assert T.fmt_prob(0.4231) == "42.3%"
    assert T.fmt_ratio(2.4653) == "2.47 times"
    assert T.fmt_yi(float("nan")) == "n/a 亿元"


def test_number_formats_chinese():
    assert T.fmt_yi(82.91, "zh") == "82.91亿元"
    assert T.fmt_yuan(41794, "zh") == "41,794元"
    assert T.fmt_pp(0.5, "zh") == "+0.5个百分点"


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_fmt_yuan_round_trips_to_whole_yuan(x):
    shown = T.fmt_yuan(x)
    number = shown.removesuffix(" yuan").replace(",", "")
    assert abs(int(number) - x) <= 0.5 + 1e-6


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_fmt_yi_has_two_decimals(x):
    number = T.fmt_yi(x).removesuffix(" 亿元").replace(",", "")
    assert re.fullmatch(r"-?\d+\.\d\d", number)
    assert abs(float(number) - x) <= 0.005 + 1e-9 * abs(x)


# --------------------------------------------------------------------------- locale files
def test_missing_key_falls_back_to_english(monkeypatch):
    real = T._load
    zh = {k: v for k, v in real("zh").items() if k != "heading.inputs"}
    monkeypatch.setattr(T, "_load", lambda lang: zh if lang == "zh" else real(lang))
    assert T.t("heading.inputs", "zh") == "Inputs and sources"
    assert T.t("heading.headline", "zh") == "主要指标"


def test_unknown_key_raises():
    with pytest.raises(KeyError, match="no report text"):
        T.t("heading.does_not_exist")


def test_missing_placeholder_value_names_it():
    with pytest.raises(KeyError, match="year"):
        T.t("caption.gdp_paths", "en")


def test_zh_has_every_key_it_declares():
    prefixes = T.declared_prefixes("zh")
    assert prefixes, "zh.yaml declares no prefixes"
    missing = [k for k in T.keys("en") if k.split(".")[0] in prefixes and not T.has_key(k, "zh")]
    assert missing == []


def test_zh_keys_exist_in_english_with_the_same_placeholders():
    en = T._load("en")
    zh = T._load("zh")
    for key in T.keys("zh"):
        assert key in en, f"zh key {key} has no English original"
        assert T.placeholders(str(zh[key])) == T.placeholders(str(en[key])), key


def _literal_keys() -> set[str]:
    """Every string literal passed as first argument to t(...) in the package."""
    found = set()
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("add", "render")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                    and node.args[0].value.startswith("narrative.")):
                found.add(node.args[0].value)
    return found


def test_every_key_used_in_code_is_defined_in_english():
    keys = _literal_keys()
    assert len(keys) > 50  # the scan does find the calls
    assert sorted(k for k in keys if not T.has_key(k, "en")) == []


# --------------------------------------------------------------------------- escaping
def test_esc_neutralises_html_and_markdown():
    out = T.esc('<script>alert("x")</script> [link](javascript:x) *bold* a_b')
    assert "<" not in out and ">" not in out
    assert "\\[link\\]" in out and "\\*bold\\*" in out and "a\\_b" in out


# --------------------------------------------------------------------------- tagged numbers
def test_sourced_quantity_needs_a_citation():
    with pytest.raises(ValueError):
        T.Quantity(1.0, "yi", "sourced", None)
    with pytest.raises(ValueError):
        T.Quantity(1.0, "yi", "guessed", "x")


def test_builder_numbers_citations_once():
    b = T.NarrativeBuilder("en")
    a = b.tag(T.sourced(82.91, "yi", "plan ch.1"))
    c = b.tag(T.sourced(1.85, "yi", "plan ch.1"))
    d = b.tag(T.assumed(120.0, "yi"))
    assert (a, c, d) == ("82.91 亿元 [1]", "1.85 亿元 [1]", "120.00 亿元 [a]")
    n = b.build()
    assert n.notes == ("plan ch.1",)


_YEAR = re.compile(r"(?<![\d.,])(19|20)\d\d(?!\d)(?![.,]\d)")


def _untagged_numbers(narrative: T.Narrative) -> str:
    """The narrative text with every tagged quantity and every year removed."""
    text = narrative.text
    for q in narrative.quantities:
        text = text.replace(q.formatted(narrative.lang), "", 1)
    text = re.sub(r"\[(\d+|a)\]", "", text)
    text = _YEAR.sub("", text)
    return text


@pytest.fixture(scope="module")
def plan():
    scenario = load_scenario(ROOT / "scenarios" / "plan_targets.yaml")
    projection = project(scenario)
    return scenario, projection, analyse_targets(scenario, result=projection)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_number_in_the_growth_narrative_is_tagged(plan, lang):
    scenario, projection, analysis = plan
    ia = analysis.implied_aggregate[0]
    n = T.growth_narrative(projection, lang, implied_pct=ia.average_pct, implied_citation="plan ch.2 §4.2",
                           implied_status="assumed")
    assert len(n.quantities) >= 5
    rest = _untagged_numbers(n)
    assert not re.search(r"\d", rest), rest
    # the base-year GDP is the plan's sourced figure, projections rest on assumptions
    assert n.quantities[0].status == "sourced" and "xiqu.gdp.2020" in n.quantities[0].citation
    assert n.quantities[1].status == "assumed"


def test_growth_narrative_numbers_are_the_projection(plan):
    _, projection, _ = plan
    n = T.growth_narrative(projection, "en")
    gdp_2025 = projection.at(2025, "gdp_real")
    assert f"{gdp_2025:,.2f} 亿元 [a]" in n.text
    rate = ((gdp_2025 / 82.91) ** (1 / 5) - 1) * 100
    assert f"{rate:.1f}% [a] a year" in n.text


def test_narrative_changes_with_the_scenario():
    texts = set()
    for path in SCENARIOS:
        projection = project(load_scenario(path))
        texts.add(T.growth_narrative(projection, "en").text)
    assert len(texts) == len(SCENARIOS) >= 2


def test_scenario_text_is_escaped_in_the_intro(plan):
    scenario, _, _ = plan
    evil = scenario.model_copy(update={"title": "<img src=x onerror=alert(1)>", "description": "**x** <b>"})
    md = T.scenario_intro(evil, "en").markdown()
    assert "<img" not in md and "<b>" not in md
    assert "&lt;img" in md


_WITH_UNIT = {
    "en": re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?: 亿元| yuan| pp| times|%)"),
    "zh": re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?:亿元|元|个百分点|倍|%)"),
}


def _report_narratives(path, lang):
    from xiqu_analysis import report
    from xiqu_analysis.sensitivity import sensitivity
    from xiqu_analysis.uncertainty import simulate

    scenario = load_scenario(path)
    projection = project(scenario)
    analysis = analyse_targets(scenario, result=projection)
    simulation = simulate(scenario, n_paths=100, random_state=3)
    rows, year = report.tornado_rows(sensitivity(scenario))
    ia = analysis.implied_aggregate[0]
    return [
        T.growth_narrative(projection, lang, implied_pct=ia.average_pct, implied_citation="plan ch.2 §4.2"),
        T.structure_narrative(projection, lang, year1=2025),
        T.per_capita_narrative(projection, report.panzhihua_benchmark(), lang),
        T.income_revenue_narrative(projection, lang),
        T.targets_narrative(report.target_rows(analysis, lang), lang),
        T.uncertainty_narrative(simulation.percentiles, simulation.probabilities, lang, n_paths=100, seed=3),
        T.sensitivity_narrative(rows, lang, output_label="GDP", year=year),
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_quantity_in_every_report_narrative_carries_a_tag(path, lang):
    """Any number printed with a unit (亿元, yuan, %, pp, times) is followed by [n] or [a]."""
    for narrative in _report_narratives(path, lang):
        for paragraph in narrative.paragraphs:
            for m in _WITH_UNIT[lang].finditer(paragraph):
                after = paragraph[m.end():m.end() + 5]
                assert re.match(r" \[(\d+|a)\]", after), f"untagged {m.group()!r} in: {paragraph}"
        for q in narrative.quantities:
            assert q.status in ("sourced", "assumed")
        if any(q.status == "sourced" for q in narrative.quantities):
            assert narrative.notes


def test_mid_sentence_lowercases_words_not_acronyms():
    assert T.mid_sentence("Real GDP") == "real GDP"
    assert T.mid_sentence("GDP deflator index") == "GDP deflator index"
    assert T.mid_sentence("实际地区生产总值", "zh") == "实际地区生产总值"
