"""Report text: locale files, number formatting, escaping and narrative builders."""
from __future__ import annotations

import ast
import re
from dataclasses import replace
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiqu_analysis.economics.projection import project
from xiqu_analysis.economics.targets import analyse_targets
from xiqu_analysis.inputs.scenario import load_scenario_with_region
from xiqu_analysis.inputs.yamlfile import read_yaml
from xiqu_analysis.reports.words import locales as L
from xiqu_analysis.reports.words import narrative as N
from xiqu_analysis.reports.words import text as T
from xiqu_analysis.reports.tables.scenario import benchmark_per_capita, provenance_table
from tests.helpers import ROOT

PACKAGE = ROOT / "xiqu_analysis"
LOCALE = PACKAGE / "reports" / "locale"
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
    assert T.fmt_yuan(41794, "zh") == "41794元"  # no thousands separator, as the statistical bulletins write
    assert T.fmt_yuan(41794, "en") == "41,794 yuan"
    # populations as the bulletins write them: 万人 with two decimals; in English thousands with one
    assert T.fmt_persons(129406, "zh") == "12.94万人" and T.fmt_persons(129400, "zh") == "12.94万人"
    assert T.fmt_persons(1_212_203, "en") == "1,212.2 thousand persons" and T.fmt_persons(129406, "en") == \
        "129.4 thousand persons"
    assert T.persons_shown(129406, "zh") == pytest.approx(12.9406) and T.persons_shown(129406, "en") == 129.406
    assert T.fmt_pp(0.5, "zh") == "+0.5个百分点"


def test_is_finite():
    assert T.is_finite(1.5) and T.is_finite("2") and T.is_finite(0)
    assert not any(T.is_finite(v) for v in (float("nan"), float("inf"), None, "x"))


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
def test_languages_are_the_locale_folders():
    assert T.LANGUAGES == T.locale_languages() == ("en", "zh")
    assert sorted(p.name for p in LOCALE.iterdir() if p.is_dir()) == list(T.LANGUAGES)
    with pytest.raises(ValueError, match="unknown report language"):
        T._load("fr")


def test_missing_key_falls_back_to_english(monkeypatch):
    real = L.load_words
    zh = {k: v for k, v in real("zh").items() if k != "heading.inputs"}
    monkeypatch.setattr(L, "load_words", lambda lang: zh if lang == "zh" else real(lang))
    assert T.t("heading.inputs", "zh") == "Inputs and sources"
    assert T.t("heading.headline", "zh") == "主要指标"


def test_unknown_key_raises():
    with pytest.raises(KeyError, match="no report text"):
        T.t("heading.does_not_exist")


def test_missing_placeholder_value_names_it():
    with pytest.raises(KeyError, match="year"):
        T.t("caption.gdp_paths", "en")


def _locale_files(lang: str) -> dict[str, dict]:
    """Each locale file of ``lang`` (file name -> its flattened keys, ``_declares`` kept apart)."""
    out = {}
    for path in sorted((LOCALE / lang).glob("*.yaml")):
        if path.name == L.ERRORS_FILE:  # the catalogue of error messages: templates, not words
            continue
        data = read_yaml(path) or {}
        declares = data.pop("_declares", None)
        data.pop(L.SETTINGS_KEY, None)  # formats.yaml: how numbers are written, not words
        out[path.name] = {"keys": T._flatten(data), "declares": declares}
    return out


def test_locale_is_one_folder_per_language_with_the_same_files():
    en, zh = _locale_files("en"), _locale_files("zh")
    # the same files in every language (a new report's words are a file in each folder, nothing else)
    assert sorted(en) == sorted(zh)
    assert {"common.yaml", "formats.yaml", "codes.yaml", "citations.yaml", "runs.yaml"} <= set(en)
    # the merged language is exactly the union of its files
    for lang, files in (("en", en), ("zh", zh)):
        merged = [k for f in files.values() for k in f["keys"]]
        assert sorted(merged) == T.keys(lang)
    # a zh file translates the keys of the English file of the same name
    for name, f in zh.items():
        assert set(f["keys"]) <= set(en[name]["keys"]), name


def test_zh_has_every_key_it_declares():
    prefixes = T.declared_prefixes("zh")
    assert prefixes, "the zh locale declares no prefixes"
    missing = [k for k in T.keys("en") if k.split(".")[0] in prefixes and not T.has_key(k, "zh")]
    assert missing == []
    # every zh file declares its own prefixes; the merged list is their union
    files = _locale_files("zh")
    assert all(f["declares"] for f in files.values()), [n for n, f in files.items() if not f["declares"]]
    assert sorted(prefixes) == sorted(p for f in files.values() for p in f["declares"])
    for name, f in files.items():  # a file declares the prefixes of the keys it holds
        assert {p for p in f["declares"]} == {k.split(".")[0] for k in f["keys"]}, name
    # and together they declare every English prefix: a Chinese report falls back to English nowhere
    assert {k.split(".")[0] for k in T.keys("en")} <= set(prefixes)


def test_zh_keys_exist_in_english_with_the_same_placeholders():
    en = T._load("en")
    zh = T._load("zh")
    for key in T.keys("zh"):
        assert key in en, f"zh key {key} has no English original"
        assert T.placeholders(str(zh[key])) == T.placeholders(str(en[key])), key


def test_placeholder_check_can_fail():
    """Control: the comparison above does see a differing placeholder."""
    assert T.placeholders("{a} 和 {b}") != T.placeholders("{a} and {c}")


def test_a_key_defined_in_two_files_of_a_language_is_refused(tmp_path, monkeypatch):
    (tmp_path / "locale" / "zh").mkdir(parents=True)
    (tmp_path / "locale" / "zh" / "a.yaml").write_text("_declares: [heading]\nheading:\n  x: \"甲\"\n", "utf-8")
    (tmp_path / "locale" / "zh" / "b.yaml").write_text("_declares: [caption]\ncaption:\n  y: \"乙\"\n", "utf-8")
    monkeypatch.setattr(L, "resources", SimpleNamespace(files=lambda package: tmp_path))
    merged = L._read.__wrapped__("zh")[0]  # bypass the cache of the real files
    assert merged["heading.x"] == "甲" and merged["caption.y"] == "乙"
    assert merged["_declares"] == ["heading", "caption"]
    (tmp_path / "locale" / "zh" / "c.yaml").write_text("heading:\n  x: \"丙\"\n", "utf-8")
    with pytest.raises(ValueError, match="'heading.x' is defined twice"):
        L._read.__wrapped__("zh")


_CJK = re.compile(r"[\u4e00-\u9fff]")
#: runs of three or more English words: a sentence or label a reader would see
_ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}(?:[ '-]+[A-Za-z]{2,}){2,}")
#: data identifiers that stay as they are in every language: paths, module and column names, placeholders
_IDENTIFIER = re.compile(r"\{[^}]*\}|[\w./-]*(?:_|/|\.csv|\.yaml|\.md)[\w./-]*")


def test_no_english_sentences_in_zh():
    """Over every key of every zh file (merged): no run of English words once identifiers are removed."""
    zh = T._load("zh")
    texts = {k: str(zh[k]) for k in T.keys("zh")}
    assert len(texts) > 200
    found = {k: m.group(0) for k, v in texts.items() if (m := _ENGLISH_WORDS.search(_IDENTIFIER.sub("", v)))}
    assert found == {}
    # the English text of a key never reappears in Chinese (beyond units, symbols and identifiers)
    en = T._load("en")
    same = [k for k in texts if texts[k] == str(en[k]) and _ENGLISH_WORDS.search(_IDENTIFIER.sub("", texts[k]))]
    assert same == []
    # control: the check finds an English sentence when there is one
    assert _ENGLISH_WORDS.search(_IDENTIFIER.sub("", str(en["review.no_scenarios"])))


def _region_words() -> set[str]:
    words = set()
    for path in (ROOT / "data" / "regions").glob("*/region.yaml"):
        info = read_yaml(path)
        words |= {info["name_en"], info["name_zh"], info["key"].capitalize()}
        words |= {w for w in info["name_en"].replace("(", " ").replace(")", " ").split() if w[:1].isupper()}
    words |= {"西区", "攀枝花", "四川"}
    return words - {"District", "City", "Province"}


def test_locale_text_names_no_region_and_no_year():
    """Region names come from region.yaml ({region}, {benchmark}); years from the region and the scenario."""
    words = _region_words()
    assert {"Xiqu district (Panzhihua)", "攀枝花市西区", "Panzhihua"} <= words
    for lang in T.LANGUAGES:
        table = T._load(lang)
        for key in T.keys(lang):
            value = re.sub(r"xiqu_analysis[\w.]*", "", str(table[key]))
            assert not [w for w in words if w in value], (lang, key, value)
            assert not re.search(r"(?<!\d)(19|20)\d\d(?!\d)", value), (lang, key, value)


def _literal_keys() -> set[str]:
    """Every string literal passed as first argument to t(...) in the package, and narrative keys of add/render."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
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
    assert {"review.title", "heading.headline", "narrative.growth", "plot.per_capita.region"} <= keys  # every module
    assert sorted(k for k in keys if not T.has_key(k, "en")) == []


# --------------------------------------------------------------------------- escaping
def test_esc_neutralises_html_and_markdown():
    out = T.esc('<script>alert("x")</script> [link](javascript:x) *bold* a_b')
    assert "<" not in out and ">" not in out
    assert "\\[link\\]" in out and "\\*bold\\*" in out and "a\\_b" in out


# --------------------------------------------------------------------------- tagged numbers
def test_sourced_quantity_needs_a_citation():
    with pytest.raises(ValueError):
        N.Quantity(1.0, "yi", "sourced", None)
    with pytest.raises(ValueError):
        N.Quantity(1.0, "yi", "guessed", "x")


def test_builder_numbers_citations_once():
    b = N.NarrativeBuilder("en")
    a = b.tag(N.sourced(82.91, "yi", "plan ch.1"))
    c = b.tag(N.sourced(1.85, "yi", "plan ch.1"))
    d = b.tag(N.assumed(120.0, "yi"))
    assert (a, c, d) == ("82.91 亿元 [1]", "1.85 亿元 [1]", "120.00 亿元 [a]")
    n = b.build()
    assert n.notes == ("plan ch.1",)


_YEAR = re.compile(r"(?<![\d.,])(19|20)\d\d(?!\d)(?![.,]\d)")


def _untagged_numbers(narrative: N.Narrative) -> str:
    """The narrative text with every tagged quantity and every year removed."""
    text = narrative.text
    for q in narrative.quantities:
        text = text.replace(q.formatted(narrative.lang), "", 1)
    text = re.sub(r"\[(\d+|a)\]", "", text)
    text = _YEAR.sub("", text)
    return text


def _load(path):
    scenario, region = load_scenario_with_region(path)
    projection = project(scenario)
    return scenario, region, projection


def _growth(plan_projected, lang, **kw):
    info = plan_projected.region.info
    return N.growth_narrative(plan_projected.projection, plan_projected.provenance[lang], lang, mid_year=info.plan_end_year,
                              end_year=info.long_range_year, **kw)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_number_in_the_growth_narrative_is_tagged(plan_projected, lang):
    ia = plan_projected.analysis.implied_aggregate[0]
    n = _growth(plan_projected, lang, implied_pct=ia.average_pct, implied_citation="plan ch.2 §4.2", implied_status="assumed")
    assert len(n.quantities) >= 5
    rest = _untagged_numbers(n)
    assert not re.search(r"\d", rest), rest
    # the base-year GDP is the plan's sourced figure, projections rest on assumptions
    assert n.quantities[0].status == "sourced" and "82.91" in n.quantities[0].citation  # the plan's own words
    assert ("ch.1 §3.2" if lang == "en" else "第一章第三节第二条") in n.quantities[0].citation
    assert n.quantities[1].status == "assumed"
    assert n.notes[0] == n.quantities[0].citation


def test_growth_narrative_numbers_are_the_projection(plan_projected):
    projection = plan_projected.projection
    n = _growth(plan_projected, "en")
    gdp_2025 = projection.at(2025, "gdp_real")
    assert f"{gdp_2025:,.2f} 亿元 [a]" in n.text
    rate = ((gdp_2025 / 82.91) ** (1 / 5) - 1) * 100
    assert f"{rate:.1f}% [a] a year" in n.text
    ratio = projection.at(2035, "gdp_real") / 82.91
    assert (f"By 2035 real GDP reaches {projection.at(2035, 'gdp_real'):,.2f} 亿元 [a] at constant 2020 prices, "
            f"{ratio:.2f} times [a]") in n.text
    # real and nominal are never chained: the current-price levels of both years share a sentence of their own
    nominal = (f"At current prices (real growth and the scenario's deflator) GDP is "
               f"{projection.at(2025, 'gdp_nominal'):,.2f} 亿元 [a] in 2025 and "
               f"{projection.at(2035, 'gdp_nominal'):,.2f} 亿元 [a] in 2035.")
    assert nominal in n.text
    for sentence in n.text.split(". "):
        assert not ("real GDP" in sentence and "current prices" in sentence), sentence


def test_narrative_years_are_the_ones_given(plan_projected):
    """The builders take their years from the caller (the region's plan_end_year / long_range_year)."""
    n = N.growth_narrative(plan_projected.projection, plan_projected.provenance["en"], "en", mid_year=2030, end_year=2033)
    assert "in 2030" in n.text and "By 2033" in n.text and "2025" not in n.text and "2035" not in n.text
    only_end = N.growth_narrative(plan_projected.projection, plan_projected.provenance["en"], "en", mid_year=None, end_year=None)
    assert "in 2035" in only_end.text and "By " not in only_end.text  # no year given: the projection's end
    s = N.structure_narrative(plan_projected.projection, plan_projected.provenance["en"], "en", year1=2028)
    assert "in 2028" in s.text and "2021-2028" in s.text  # the growth years of the period


def test_without_provenance_every_projected_number_is_assumed(plan_projected):
    n = N.growth_narrative(plan_projected.projection, None, "en", mid_year=2025, end_year=2035)
    assert n.quantities and all(q.status == "assumed" for q in n.quantities) and n.notes == ()


def test_narrative_changes_with_the_scenario():
    texts = set()
    for path in SCENARIOS:
        scenario, region, projection = _load(path)
        prov = provenance_table(scenario, region, "en")
        texts.add(N.growth_narrative(projection, prov, "en", mid_year=region.info.plan_end_year,
                                     end_year=region.info.long_range_year).text)
    assert len(texts) == len(SCENARIOS) >= 2


def test_scenario_text_is_escaped_in_the_intro(plan_projected):
    evil = plan_projected.scenario.model_copy(update={"title": "<img src=x onerror=alert(1)>", "description": "**x** <b>"})
    md = N.scenario_intro(evil, "en", region_name="<i>Xiqu</i>").markdown()
    assert "<img" not in md and "<b>" not in md and "<i>" not in md
    assert "&lt;img" in md and "&lt;i&gt;Xiqu" in md


def test_region_names_come_from_region_yaml(plan_projected):
    region, projection = plan_projected.region, plan_projected.projection
    bench = benchmark_per_capita(region, 2020)
    for lang, here, there in (("en", "Xiqu district (Panzhihua)", "Panzhihua city"), ("zh", "攀枝花市西区", "攀枝花市")):
        text = N.per_capita_narrative(projection, plan_projected.provenance[lang], bench, lang, year1=2025,
                                      region_name=region.info.name(lang)).text
        assert here in text and there in text
        assert N.scenario_intro(plan_projected.scenario, lang, region_name=region.info.name(lang)).text.count(here) == 1
    # another benchmark name in region.yaml: the text follows it
    renamed = replace(bench, region=bench.region.model_copy(update={"name_en": "Testburg", "name_zh": "测试市"}))
    en = N.per_capita_narrative(projection, plan_projected.provenance["en"], renamed, "en", year1=2025, region_name="Testville").text
    zh = N.per_capita_narrative(projection, plan_projected.provenance["zh"], renamed, "zh", year1=2025, region_name="测试区").text
    assert "Testburg" in en and "Testville" in en and "Panzhihua" not in en and "Xiqu" not in en
    assert "测试市" in zh and "测试区" in zh and "攀枝花" not in zh


_WITH_UNIT = {
    "en": re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?: 亿元| yuan| pp| times|%)"),
    "zh": re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?:亿元|元|个百分点|倍|%)"),
}


def _report_narratives(path, lang):
    from xiqu_analysis.economics.sensitivity import sensitivity
    from xiqu_analysis.economics.uncertainty import simulate
    from xiqu_analysis.reports.sections.scenario_report import tornado_rows
    from xiqu_analysis.reports.tables.scenario import figure_citation, probability_labels, reported_per_capita, target_rows

    scenario, region, projection = _load(path)
    info = region.info
    prov = provenance_table(scenario, region, lang)
    analysis = analyse_targets(scenario, region, result=projection)
    simulation = simulate(scenario, region, n_paths=100, random_state=3)
    rows, year = tornado_rows(sensitivity(scenario, region))
    ia = analysis.implied_aggregate[0]
    fig = reported_per_capita(region, projection.base_year)
    reported = N.sourced(float(fig.value), "yuan", figure_citation(region, fig, lang))
    return [  # (the intro quotes the scenario's own text: its numbers are the author's, not computed)
        N.growth_narrative(projection, prov, lang, mid_year=info.plan_end_year, end_year=info.long_range_year,
                           implied_pct=ia.average_pct, implied_citation="plan ch.2 §4.2"),
        N.structure_narrative(projection, prov, lang, year1=info.plan_end_year),
        N.per_capita_narrative(projection, prov, benchmark_per_capita(region, projection.base_year), lang,
                               year1=info.plan_end_year, reported=reported, region_name=info.name(lang)),
        N.income_revenue_narrative(projection, prov, lang, year1=info.plan_end_year),
        N.targets_narrative(target_rows(analysis, lang), lang),
        N.uncertainty_narrative(simulation.percentiles, simulation.probabilities, lang, year=info.long_range_year,
                                n_paths=100, seed=3, labels=probability_labels(analysis, lang)),
        N.sensitivity_narrative(rows, lang, output_label="GDP", year=year),
        N.inputs_narrative(prov, lang),
        N.comparison_narrative({"a": projection}, {"a": prov}, lang, year=info.long_range_year),
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_quantity_in_every_report_narrative_carries_a_tag(path, lang):
    """Any number printed with a unit (亿元, yuan, %, pp, times) is followed by [n] or [a]."""
    checked = 0
    for narrative in _report_narratives(path, lang):
        for paragraph in narrative.paragraphs:
            for m in _WITH_UNIT[lang].finditer(paragraph):
                after = paragraph[m.end():m.end() + 5]
                assert re.match(r" \[(\d+|a)\]", after), f"untagged {m.group()!r} in: {paragraph}"
                checked += 1
        for q in narrative.quantities:
            assert q.status in ("sourced", "assumed")
        if any(q.status == "sourced" for q in narrative.quantities):
            assert narrative.notes
    assert checked >= 20  # the pattern does find the numbers


def test_mid_sentence_lowercases_words_not_acronyms():
    assert T.mid_sentence("Real GDP") == "real GDP"
    assert T.mid_sentence("GDP deflator index") == "GDP deflator index"
    assert T.mid_sentence("实际地区生产总值", "zh") == "实际地区生产总值"
